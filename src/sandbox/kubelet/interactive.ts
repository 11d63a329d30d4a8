/**
 * Interactive use of the simulated containers: what `kubectl exec -it POD -- sh`, `kubectl attach`
 * and `kubectl run -i/-it --rm` connect to.
 *
 * - `LineDiscipline`: a terminal's canonical mode (echo, backspace, ^C, ^D, ^U, ^W; escape
 *   sequences swallowed) or, without a tty, plain newline-separated input.
 * - `ShellSession`: an interactive shell (prompt, continuation lines, `exit [N]`, ^C interrupting
 *   the running command) on top of a persistent shell of programs/shell.ts (`createSession`).
 * - `ContainerStdio`: a container's stdin/stdout as attach sessions see them (spec.stdin,
 *   stdinOnce, tty): output fan-out, the shared stdin pipe, exit notification, deferred start.
 * - `execSession` / `attachSession` / `startMainProcess`: what Runtime.exec/attach and the
 *   container start path of kubelet.ts call.
 *
 * Nothing here reads the wall clock: time passes only in the shell model's `sleep` (sandbox clock).
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Clock, Timer } from '../clock.js';
import type { ResolvedImage } from './images.js';
import {
  Killed, createSession, isKnownCommand, parseScript, procTable, runArgv, shellEnvOf, type ShellEnv, type ShellSessionState, type SimProcess,
} from './programs/index.js';
import type { SessionIO } from './runtime.js';

type Out = { stdout(t: string): void; stderr(t: string): void };

/** a tty's output processing (ONLCR): `\n` → `\r\n` */
export function onlcr(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

const basename = (p: string) => p.split('/').pop() ?? p;

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);

/** `sh`, `/bin/sh`, `bash -l`, `sh -i`: a shell that reads commands from stdin (no -c, no script file) */
export function isInteractiveShell(argv: string[]): boolean {
  if (!argv.length || !SHELLS.has(basename(argv[0]))) return false;
  return argv.slice(1).every((a) => a.startsWith('-') && a !== '-c' && !/^-[a-z]*c[a-z]*$/.test(a));
}

// ------------------------------------------------------------------------------------ images

export interface ShellFlavor {
  family: 'busybox' | 'debian';
  user: string;
  /** the working directory of the image (`~` when it is the user's home) */
  cwd: string;
  home: string;
}

/**
 * Which userland an image has (decides prompts and which shells exist). The catalogue (images.ts)
 * does not record it yet; the book's images: kubia is node:7 (Debian), nginx is Debian unless an
 * alpine tag, busybox/alpine/curl and luksa's batch-job/ssd-monitor are busybox-based.
 */
export function shellFlavor(image: Pick<ResolvedImage, 'ref'> | undefined): ShellFlavor {
  const repo = image?.ref.repo ?? '';
  const tag = image?.ref.tag ?? '';
  const root = { user: 'root', cwd: '/', home: '/root' };
  if (repo === 'docker.io/curlimages/curl') return { family: 'busybox', user: 'curl_user', cwd: '/home/curl_user', home: '/home/curl_user' };
  if (repo === 'docker.io/library/nginx') return { family: tag.includes('alpine') ? 'busybox' : 'debian', ...root };
  if (/kubia/.test(repo)) return { family: 'debian', ...root };
  return { family: 'busybox', ...root };
}

/** is this shell installed in the image (busybox has no bash, Debian has no ash) */
export function hasShell(flavor: ShellFlavor, shell: string): boolean {
  const s = basename(shell);
  if (flavor.family === 'busybox') return s === 'sh' || s === 'ash';
  return s === 'sh' || s === 'bash' || s === 'dash';
}

/** the shell's primary prompt as it looks right after start */
export function promptFor(flavor: ShellFlavor, shell: string, hostname: string, dir = flavor.cwd): string {
  const root = flavor.user === 'root';
  const sign = root ? '#' : '$';
  const cwd = dir === flavor.home ? '~' : dir.startsWith(`${flavor.home}/`) ? `~${dir.slice(flavor.home.length)}` : dir;
  if (flavor.family === 'debian') {
    // bash: `\u@\h:\w\$ `; dash: plain `# `
    return basename(shell) === 'bash' ? `${flavor.user}@${hostname.split('.')[0]}:${cwd}${sign} ` : `${sign} `;
  }
  return `${cwd} ${sign} `; // busybox ash: `\w \$ `
}

export function execNotFound(exe: string): string {
  return `OCI runtime exec failed: exec failed: unable to start container process: exec: "${exe}": executable file not found in $PATH: unknown`;
}

let execSerial = 0;

/**
 * containerd could not start the exec'd process (runc found no such executable). No process ran,
 * so there is no exit code: the CRI returns an error, which the kubelet's streaming server sends as
 * an InternalError Status (`error executing command in container: …`); kubectl prints
 * `error: Internal error occurred: …` and exits 1.
 */
export class ExecStartError extends Error {
  constructor(exe: string, seed: string) {
    const id = createHash('sha256').update(`exec:${seed}:${++execSerial}`).digest('hex');
    super(`failed to exec in container: failed to start exec "${id}": ${execNotFound(exe)}`);
  }
}

// ------------------------------------------------------------------------------- line discipline

export interface LineEvents {
  line(text: string): void;
  eof(): void;
  intr(): void;
}

/**
 * Turns input bytes into lines. With a tty: canonical mode with echo (what the user sees typed),
 * backspace, ^C (intr), ^D on an empty line (eof), ^U, ^W; cursor keys and other escape sequences
 * are swallowed. Without: lines split on `\n`, nothing echoed; end of input flushes a last line.
 */
export class LineDiscipline {
  private buf = '';
  private readonly decoder = new StringDecoder('utf8');
  private lastCR = false;
  private esc = 0;
  private ended = false;

  constructor(private readonly tty: boolean, private readonly echo: (text: string) => void, private readonly ev: LineEvents) {}

  feed(chunk: Buffer | string): void {
    if (this.ended) return;
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (!this.tty) {
      this.buf += text;
      for (let i = this.buf.indexOf('\n'); i >= 0 && !this.ended; i = this.buf.indexOf('\n')) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        this.ev.line(line.replace(/\r$/, ''));
      }
      return;
    }
    for (const ch of text) {
      if (this.ended) return;
      const cr = this.lastCR;
      this.lastCR = false;
      if (this.esc === 1) {
        this.esc = ch === '[' || ch === 'O' ? 2 : 0;
        continue;
      }
      if (this.esc === 2) {
        if (ch >= '@' && ch <= '~') this.esc = 0;
        continue;
      }
      switch (ch) {
        case '\x1b':
          this.esc = 1;
          continue;
        case '\r':
          this.lastCR = true;
          this.enter();
          continue;
        case '\n':
          if (!cr) this.enter();
          continue;
        case '\x7f':
        case '\b':
          if (this.buf) {
            this.buf = [...this.buf].slice(0, -1).join('');
            this.echo('\b \b');
          }
          continue;
        case '\x03':
          this.echo('^C');
          this.buf = '';
          this.ev.intr();
          continue;
        case '\x04':
          if (!this.buf) {
            this.ended = true;
            this.ev.eof();
          }
          continue;
        case '\x15':
          this.echo('\b \b'.repeat([...this.buf].length));
          this.buf = '';
          continue;
        case '\x17': {
          const kept = this.buf.replace(/\S*\s*$/, '');
          this.echo('\b \b'.repeat([...this.buf].length - [...kept].length));
          this.buf = kept;
          continue;
        }
        default:
          if (ch < ' ') continue; // tab, ^L, ^\ …: not modelled
          this.buf += ch;
          this.echo(ch);
      }
    }
  }

  private enter(): void {
    this.echo('\n');
    const line = this.buf;
    this.buf = '';
    this.ev.line(line);
  }

  /** the input stream ended */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.tty) {
      this.buf += this.decoder.end();
      if (this.buf) this.ev.line(this.buf.replace(/\r$/, ''));
    }
    this.buf = '';
    this.ev.eof();
  }
}

// ------------------------------------------------------------------------------- interruptions

/** thrown into the running command's sleeps by ^C */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/** makes a ShellEnv's sleeps interruptible (^C) and killable (container gone, client gone) */
export class Interrupter {
  private readonly waiting = new Set<(err: Error) => void>();
  private pending: Error | undefined;
  killed = false;

  wrap(env: ShellEnv): ShellEnv {
    return { ...env, sleep: (ms) => this.sleep(env, ms) };
  }

  private sleep(env: ShellEnv, ms: number): Promise<void> {
    if (this.pending) {
      const e = this.pending;
      if (!this.killed) this.pending = undefined;
      return Promise.reject(e);
    }
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const fail = (err: Error) => {
        if (done) return;
        done = true;
        this.waiting.delete(fail);
        reject(err);
      };
      this.waiting.add(fail);
      env.sleep(ms).then(() => {
        if (done) return;
        done = true;
        this.waiting.delete(fail);
        resolve();
      }, fail);
    });
  }

  /** ^C: fail the sleep in progress, or the next one if the command is busy elsewhere */
  interrupt(): void {
    this.raise(new Interrupted());
  }

  kill(): void {
    this.killed = true;
    this.raise(new Killed());
  }

  /** forget an interrupt nobody received (the command ended first) */
  reset(): void {
    if (!this.killed) this.pending = undefined;
  }

  private raise(err: Error): void {
    if (this.waiting.size) {
      for (const w of [...this.waiting]) w(err);
      if (this.killed) this.pending = err;
    } else this.pending = err;
  }
}

// ------------------------------------------------------------------------------- the shell

export interface ShellSessionOptions {
  tty: boolean;
  /** show prompts (a tty, or `sh -i`) */
  prompts: boolean;
  /** the primary prompt for the working directory */
  prompt: string | ((cwd: string) => string);
  /** the working directory the shell starts in */
  cwd?: string;
  /** `sh`, `bash`: the name in its messages */
  shellName: string;
  /** the shell's argv as `ps` lists it (an exec'd shell); absent: it is PID 1 (the container's command) */
  process?: string[];
  /** the container's shell environment for one command, writing to `out` */
  env(out: Out): ShellEnv;
  /** what the terminal shows / the stdout pipe (newlines as `\n`; the caller does ONLCR) */
  write(text: string): void;
  /** the stderr pipe (with a tty: the terminal too) */
  writeErr(text: string): void;
}

type InputEvent = { t: 'line'; text: string } | { t: 'eof' } | { t: 'intr' } | { t: 'killed' };

/** appended to a complete script to tell whether an open quote or `\` swallows what follows */
const TAIL_PROBE = 'echo @kt-probe@';

type Classified = { t: 'empty' } | { t: 'incomplete' } | { t: 'error'; message: string } | { t: 'ok' };

/** is `script` a complete command (or does the shell ask for more with `> `) */
export function classify(script: string): Classified {
  if (!script.trim()) return { t: 'empty' };
  let n: number;
  try {
    n = parseScript(script).length;
  } catch (err) {
    const message = (err as Error).message;
    return /expect|end of file/.test(message) ? { t: 'incomplete' } : { t: 'error', message };
  }
  if (!n) return { t: 'empty' };
  try {
    // an open quote or a trailing backslash swallows what follows
    if (parseScript(`${script}\n${TAIL_PROBE}`).length !== n + 1) return { t: 'incomplete' };
  } catch {
    return { t: 'incomplete' };
  }
  return { t: 'ok' };
}

/**
 * An interactive shell over `createSession`: one line (or a multi-line construct) at a time; the
 * session keeps the working directory (shown in the prompt), variables, exports and `$?`.
 */
export class ShellSession {
  private readonly queue: InputEvent[] = [];
  private waiter: ((e: InputEvent) => void) | undefined;
  private running = false;
  private readonly intr = new Interrupter();
  private killed = false;
  private readonly ld: LineDiscipline;
  status = 0;

  constructor(private readonly o: ShellSessionOptions) {
    this.ld = new LineDiscipline(o.tty, (t) => o.write(t), {
      line: (text) => this.push({ t: 'line', text }),
      eof: () => this.push({ t: 'eof' }),
      intr: () => {
        if (this.running) {
          // SIGINT to the foreground command; the tty flushes typed-ahead input
          this.queue.length = 0;
          this.intr.interrupt();
        } else this.push({ t: 'intr' });
      },
    });
  }

  input(chunk: Buffer | string): void {
    this.ld.feed(chunk);
  }

  endInput(): void {
    this.ld.end();
  }

  /** the session's process is gone (container stopped, client disconnected) */
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    this.intr.kill();
    this.queue.length = 0;
    this.push({ t: 'killed' });
  }

  private push(e: InputEvent): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(e);
    } else this.queue.push(e);
  }

  private next(): Promise<InputEvent> {
    const e = this.queue.shift();
    if (e) return Promise.resolve(e);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** runs until `exit`, end of input or kill; resolves with the exit status (137 when killed) */
  async run(): Promise<number> {
    const base = this.o.env({ stdout: () => {}, stderr: () => {} });
    const table = procTable(base.fs);
    const pid = this.o.process ? table.spawn(this.o.process, base.user ?? 'root', true) : undefined;
    try {
      return await this.loop(this.newShell(base.env, this.o.cwd));
    } finally {
      if (pid !== undefined) table.exit(pid);
    }
  }

  /** a shell process: its own variables and working directory, starting from `environment` */
  private newShell(environment: Record<string, string>, cwd: string | undefined): ShellSessionState {
    const { o } = this;
    const base = o.env({ stdout: (t) => o.write(t), stderr: (t) => o.writeErr(t) });
    return createSession(this.intr.wrap({ ...base, env: environment, shell: o.shellName, cwd: cwd ?? base.cwd }));
  }

  private prompt(sh: ShellSessionState): string {
    const p = this.o.prompt;
    return typeof p === 'string' ? p : p(sh.cwd);
  }

  private async loop(sh: ShellSessionState): Promise<number> {
    const { o } = this;
    let pending = '';
    for (;;) {
      if (this.killed) return 137;
      if (o.prompts) o.write(pending ? '> ' : this.prompt(sh));
      const ev = await this.next();
      if (ev.t === 'killed') return 137;
      if (ev.t === 'eof') {
        if (o.prompts) o.write(o.shellName === 'bash' ? 'exit\n' : '\n');
        return this.status;
      }
      if (ev.t === 'intr') {
        pending = '';
        this.status = sh.status = 130;
        o.write('\n');
        continue;
      }
      const script = pending + ev.text;
      const c = classify(script);
      if (c.t === 'incomplete') {
        pending = `${script}\n`;
        continue;
      }
      pending = '';
      if (c.t === 'empty') continue;
      if (c.t === 'error') {
        o.writeErr(`${o.shellName}: ${c.message}\n`);
        this.status = 2;
        continue;
      }
      const words = script.trim().split(/\s+/);
      if (words[0] === 'exit' && words.length === 1) {
        if (o.shellName === 'bash' && o.prompts) o.write('exit\n');
        return this.status;
      }
      if (isInteractiveShell(words) && !/[;&|<>()$`'"]/.test(script)) {
        // a shell inside the shell: same terminal, same prompt; its exit returns here
        const base = o.env({ stdout: () => {}, stderr: () => {} });
        const table = procTable(base.fs);
        const pid = table.spawn(words, base.user ?? 'root', false);
        try {
          this.status = await this.loop(this.newShell(sh.environment(), sh.cwd));
        } finally {
          table.exit(pid);
        }
        if (this.killed) return 137;
        sh.status = this.status; // $? of the inner shell
        continue;
      }
      const r = await this.exec(sh, script);
      if (r.killed) return 137;
      if (r.exit) {
        if (o.shellName === 'bash' && o.prompts) o.write('exit\n');
        return r.code;
      }
      this.status = r.code;
    }
  }

  /** run one complete command line; tells whether it ran `exit` */
  private async exec(sh: ShellSessionState, script: string): Promise<{ code: number; exit: boolean; killed?: boolean }> {
    const { o } = this;
    this.running = true;
    this.intr.reset();
    try {
      const r = await sh.run(script);
      return r.exited !== undefined ? { code: r.exited, exit: true } : { code: r.status, exit: false };
    } catch (err) {
      if (err instanceof Interrupted) {
        o.write('\n');
        sh.status = 130;
        return { code: 130, exit: false };
      }
      if (err instanceof Killed || this.killed) return { code: 137, exit: false, killed: true };
      o.writeErr(`${o.shellName}: ${String((err as Error)?.message ?? err)}\n`);
      return { code: 2, exit: false };
    } finally {
      this.running = false;
      this.intr.reset();
    }
  }
}

// ------------------------------------------------------------------------------- container stdio

type OutputListener = (stream: 'stdout' | 'stderr', text: string) => void;

/** how long a deferred (`kubectl run -i`) command waits for its first attach before it runs anyway */
export const DEFERRED_START_MS = 60_000;

/**
 * One container instance's stdio as the runtime keeps it: the stdin pipe (spec.stdin; with
 * stdinOnce, closed when the first attached client lets go), the output every attach session
 * receives, and the exit.
 */
export class ContainerStdio {
  readonly stdinOpen: boolean;
  readonly once: boolean;
  readonly tty: boolean;
  private reader: { data(b: Buffer): void; end(): void } | undefined;
  private buffered: Buffer[] = [];
  private stdinClosed = false;
  private stdinClaimed = false;
  private readonly outputs = new Set<OutputListener>();
  private readonly exits = new Set<(code: number) => void>();
  exitCode: number | undefined;
  private deferred: { start: () => void; timer: Timer } | undefined;

  constructor(spec: { stdin?: boolean; stdinOnce?: boolean; tty?: boolean }) {
    this.stdinOpen = spec.stdin === true;
    this.once = spec.stdinOnce === true;
    this.tty = spec.tty === true;
  }

  // ---- the process's side

  /** the process reads its stdin (data written before is delivered now) */
  read(reader: { data(b: Buffer): void; end(): void }): void {
    this.reader = reader;
    for (const b of this.buffered.splice(0)) reader.data(b);
    if (this.stdinClosed || !this.stdinOpen) reader.end();
  }

  /** what the process wrote (called for every write, besides the log) */
  output(stream: 'stdout' | 'stderr', text: string): void {
    for (const l of [...this.outputs]) l(stream, text);
  }

  exited(code: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    this.deferred?.timer.cancel();
    this.deferred = undefined;
    for (const l of [...this.exits]) l(code);
    this.exits.clear();
    this.outputs.clear();
  }

  onExit(l: (code: number) => void): () => void {
    if (this.exitCode !== undefined) {
      l(this.exitCode);
      return () => {};
    }
    this.exits.add(l);
    return () => this.exits.delete(l);
  }

  /** start the process when the first client attaches (or after `ms` of simulated time) */
  defer(start: () => void, clock: Clock, ms = DEFERRED_START_MS): void {
    const timer = clock.after(ms, () => this.startDeferred());
    this.deferred = { start, timer };
  }

  get waitingForAttach(): boolean {
    return this.deferred !== undefined;
  }

  private startDeferred(): void {
    const d = this.deferred;
    if (!d) return;
    this.deferred = undefined;
    d.timer.cancel();
    d.start();
  }

  // ---- the attach sessions' side

  private deliver(b: Buffer): void {
    if (this.stdinClosed || !this.stdinOpen) return;
    if (this.reader) this.reader.data(b);
    else this.buffered.push(b);
  }

  private closeStdin(): void {
    if (this.stdinClosed) return;
    this.stdinClosed = true;
    this.reader?.end();
  }

  /**
   * Connect an attach session: its output listener now, its stdin (if any) to the pipe. Starts a
   * deferred process. Returns the detach function.
   */
  connect(out: OutputListener, stdin: Readable | undefined): () => void {
    this.outputs.add(out);
    let owner = false;
    const onData = (d: Buffer | string) => this.deliver(Buffer.isBuffer(d) ? d : Buffer.from(d));
    const onEnd = () => {
      if (owner) this.closeStdin();
    };
    if (stdin) {
      if (this.stdinOpen && !this.stdinClosed && !(this.once && this.stdinClaimed)) {
        owner = this.once;
        this.stdinClaimed = true;
        stdin.on('data', onData);
        stdin.once('end', onEnd);
      } else stdin.resume(); // nothing reads it
    }
    this.startDeferred();
    return () => {
      this.outputs.delete(out);
      if (stdin) {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
      }
      onEnd();
    };
  }
}

// ------------------------------------------------------------------------------- exec

export interface ExecSessionOptions {
  argv: string[];
  io: SessionIO;
  signal: AbortSignal;
  image: ResolvedImage | undefined;
  hostname: string;
  /** the container's shell environment writing to `out` */
  env(out: Out): ShellEnv;
  /** the container's stdio (to end the session when the container stops) */
  stdio: ContainerStdio | undefined;
}

/** `kubectl exec`: a command, or an interactive shell when stdin is attached */
export async function execSession(o: ExecSessionOptions): Promise<number> {
  const { io, argv } = o;
  const conv = io.tty ? onlcr : (t: string) => t;
  const write = (t: string) => {
    if (io.stdout && !io.stdout.writableEnded) io.stdout.write(conv(t));
  };
  const errOut = io.tty ? io.stdout : io.stderr;
  const writeErr = (t: string) => {
    if (errOut && !errOut.writableEnded) errOut.write(conv(t));
  };
  const exe = basename(argv[0] ?? '');
  const flavor = shellFlavor(o.image);
  // the runtime starts the executable itself (no shell): a missing one fails in runc
  const inImage = (o.image && Object.prototype.hasOwnProperty.call(o.image.binaries, exe)) || isKnownCommand(argv[0] ?? '');
  if ((SHELLS.has(exe) && !hasShell(flavor, exe)) || !inImage) throw new ExecStartError(argv[0] ?? '', o.hostname);
  io.onResize?.(() => {}); // accepted; nothing draws to a size

  const cleanups: (() => void)[] = [];
  const onStop = (fn: () => void) => {
    if (o.signal.aborted) fn();
    else {
      o.signal.addEventListener('abort', fn);
      cleanups.push(() => o.signal.removeEventListener('abort', fn));
    }
    if (o.stdio) cleanups.push(o.stdio.onExit(() => fn()));
  };
  const feed = (stdin: Readable, data: (d: Buffer) => void, end: () => void) => {
    const onData = (d: Buffer | string) => data(Buffer.isBuffer(d) ? d : Buffer.from(d));
    stdin.on('data', onData);
    stdin.once('end', end);
    cleanups.push(() => {
      stdin.off('data', onData);
      stdin.off('end', end);
    });
  };
  try {
    if (io.stdin && isInteractiveShell(argv)) {
      const s = new ShellSession({
        tty: io.tty, prompts: io.tty || argv.includes('-i'), prompt: (cwd) => promptFor(flavor, exe, o.hostname, cwd), shellName: exe, cwd: flavor.cwd,
        process: argv,
        env: o.env, write, writeErr,
      });
      feed(io.stdin, (d) => s.input(d), () => s.endInput());
      onStop(() => s.kill());
      return await s.run();
    }
    if (io.stdin && exe === 'cat' && argv.length === 1) {
      // `exec -i POD -- cat`: copy stdin back
      return await new Promise<number>((resolve) => {
        const ld = new LineDiscipline(io.tty, write, { line: (l) => write(`${l}\n`), eof: () => resolve(0), intr: () => resolve(130) });
        feed(io.stdin!, (d) => (io.tty ? ld.feed(d) : write(d.toString('utf8'))), () => resolve(0));
        onStop(() => resolve(137));
      });
    }
    const intr = new Interrupter();
    if (io.stdin && io.tty) {
      // the terminal turns ^C into SIGINT for the command
      feed(io.stdin, (d) => {
        if (d.includes(3)) {
          write('^C');
          intr.interrupt();
        }
      }, () => {});
    }
    onStop(() => intr.kill());
    try {
      return await runArgv(intr.wrap({ ...o.env({ stdout: write, stderr: writeErr }) }), argv);
    } catch (err) {
      if (err instanceof Interrupted) return 130;
      if (err instanceof Killed) return 137;
      return 1;
    }
  } finally {
    for (const c of cleanups) c();
  }
}

// ------------------------------------------------------------------------------- attach

/** `kubectl attach`: the container's output from now on, stdin into its pipe; ends with the process */
export function attachSession(stdio: ContainerStdio, io: SessionIO, signal: AbortSignal): Promise<number> {
  return new Promise((resolve) => {
    if (stdio.exitCode !== undefined) return resolve(stdio.exitCode);
    const conv = stdio.tty ? onlcr : (t: string) => t;
    const out: OutputListener = (stream, text) => {
      // a tty merges stderr into the terminal; without one, stderr goes where the client asked
      const w = stream === 'stderr' && !stdio.tty ? io.stderr : io.stdout;
      if (w && !w.writableEnded) w.write(conv(text));
    };
    io.onResize?.(() => {});
    let detach: () => void = () => {};
    let offExit: () => void = () => {};
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      detach();
      offExit();
      resolve(code);
    };
    const onAbort = () => finish(0);
    signal.addEventListener('abort', onAbort);
    offExit = stdio.onExit(finish);
    if (!done) detach = stdio.connect(out, io.stdin);
    if (done) detach();
  });
}

// ------------------------------------------------------------------------------- main process

export interface MainProcessOptions {
  proc: SimProcess;
  program: string;
  argv: string[];
  stdio: ContainerStdio;
  image: ResolvedImage | undefined;
  clock: Clock;
  /** rebuilt after a kubelet restart (no deferral) */
  adopted: boolean;
  /** start the program the ordinary way */
  run(): void;
}

/**
 * The curl image's `/entrypoint.sh`: a first argument that is not a flag is the command to run
 * (`kubectl run -it curl --image=curlimages/curl -- sh`), otherwise `curl` gets the arguments.
 */
export function resolveEntrypoint(program: string, argv: string[], shellCommands: Set<string>): { program: string; argv: string[] } {
  if (basename(argv[0] ?? '') === 'entrypoint.sh' && program === 'curl' && argv.length > 1 && !argv[1].startsWith('-')) {
    const exe = basename(argv[1]);
    if (exe === 'curl') return { program: 'curl', argv: argv.slice(1) };
    if (shellCommands.has(exe)) return { program: 'shell', argv: argv.slice(1) };
  }
  return { program, argv };
}

/**
 * Start a container's main process with its stdio in mind:
 * - a shell with `stdin: true` reads commands from the container's stdin (a terminal with `tty`);
 * - a shell command with `stdin` + `stdinOnce` (`kubectl run -i … -- echo hi`) waits for the first
 *   attach, so its output reaches the client that asked for it (or runs after DEFERRED_START_MS);
 * - anything else starts at once.
 */
export function startMainProcess(o: MainProcessOptions): void {
  const { proc, stdio } = o;
  if (o.program === 'shell' && stdio.stdinOpen && isInteractiveShell(o.argv)) {
    const exe = basename(o.argv[0]);
    const flavor = shellFlavor(o.image);
    const s = new ShellSession({
      tty: stdio.tty, prompts: stdio.tty || o.argv.includes('-i'), prompt: (cwd) => promptFor(flavor, exe, proc.host.hostname, cwd), shellName: exe,
      cwd: flavor.cwd,
      env: (out) => shellEnvOf(proc, out),
      write: (t) => proc.out(t),
      writeErr: (t) => (stdio.tty ? proc.out(t) : proc.err(t)),
    });
    stdio.onExit(() => s.kill());
    stdio.read({ data: (b) => s.input(b), end: () => s.endInput() });
    s.run().then((code) => proc.exit(code), (err) => {
      if (!(err instanceof Killed)) proc.exit(2);
    });
    return;
  }
  if (o.program === 'shell' && stdio.stdinOpen && stdio.once && !o.adopted) {
    stdio.defer(o.run, o.clock);
    return;
  }
  o.run();
}
