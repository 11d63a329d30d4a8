/**
 * What a line typed at the tutor prompt does, outside the tutor's own slash commands:
 * - a kubectl line (`kubectl …`, `k …`, or a bare verb) runs through our kubectl; commands that
 *   stream until stopped (`port-forward`, `get -w`, `logs -f`) keep running in the background;
 *   interactive ones (`exec -it`, `attach -i`, `run -it`) too, reading what the learner types next;
 * - `curl …` on the host side is a real HTTP request (sandbox LoadBalancer/NodePort services and
 *   port-forwards listen on 127.0.0.1);
 * - `/warp 15m` and `/node down|up NAME` use the sandbox's powers, through its API.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ApiClient } from '../kubectl/client/api.js';
import { run, start, type Execution, type RunResult, type Session, type Stdin } from '../kubectl/index.js';
import { parseLine } from '../kubectl/run.js';
import { tokenize } from '../kubectl/input/tokenize.js';

export const DOWN_ANNOTATION = 'kube-tutor.dev/down';

export interface ShellResult extends RunResult {
  /** what kind of line it was */
  kind: 'kubectl' | 'curl' | 'sandbox' | 'background';
  /** set when the command keeps running (port-forward, watch): stop it with stop() */
  background?: BackgroundJob;
}

export interface BackgroundJob {
  id: number;
  line: string;
  execution: Execution;
  output: string;
  stop(): void;
  /** set for interactive commands: what the learner types goes to the command's stdin */
  input?: {
    /** whether the remote side has a terminal (`-t`): it echoes, and lines end with \r */
    tty: boolean;
    write(text: string): void;
    /** end of input (Ctrl-D) */
    end(): void;
  };
}

export interface ShellOptions {
  /** live output of every command, including background ones */
  onOutput?: (text: string, stream: 'stdout' | 'stderr', job?: BackgroundJob) => void;
  /** interactive commands keep running and read what is typed next (a screen feeds them); else they run with no input */
  interactive?: boolean;
}

/** kubectl commands that run until stopped */
export function isStreaming(argv: string[]): boolean {
  const verb = argv.find((a) => !a.startsWith('-'));
  if (verb === 'port-forward' || verb === 'proxy') return true;
  if (verb === 'get' && argv.some((a) => a === '-w' || a === '--watch' || a === '--watch-only' || /^-[a-zA-Z]*w$/.test(a))) return true;
  if ((verb === 'logs' || verb === 'events') && argv.some((a) => a === '-f' || a === '--follow' || a === '-w' || a === '--watch')) return true;
  if (verb === 'rollout' && argv.includes('status')) return false;
  return false;
}

/** the kubectl flags before `--` (what follows belongs to the container's command) */
function ownFlags(argv: string[]): string[] {
  const dash = argv.indexOf('--');
  return (dash < 0 ? argv : argv.slice(0, dash)).filter((a) => a.startsWith('-'));
}

/** `exec -it`, `attach -i`, `run -it …`: commands that read the learner's input while they run */
export function isInteractive(argv: string[]): boolean {
  const verb = argv.find((a) => !a.startsWith('-'));
  if (verb !== 'exec' && verb !== 'attach' && verb !== 'run') return false;
  return ownFlags(argv).some((f) => f === '--stdin' || f === '--stdin=true' || /^-[a-zA-Z]*i[a-zA-Z]*$/.test(f));
}

function wantsTty(argv: string[]): boolean {
  return ownFlags(argv).some((f) => f === '--tty' || f === '--tty=true' || /^-[a-zA-Z]*t[a-zA-Z]*$/.test(f));
}

export class TutorShell {
  private jobs: BackgroundJob[] = [];
  private nextId = 1;

  constructor(
    readonly session: Session,
    private readonly opts: ShellOptions = {},
  ) {}

  get background(): readonly BackgroundJob[] {
    return this.jobs;
  }

  stopAll(): void {
    for (const j of [...this.jobs]) j.stop();
  }

  private client(): ApiClient {
    return this.session.client({});
  }

  async exec(line: string, stdin?: Stdin): Promise<ShellResult> {
    const trimmed = line.trim();
    if (trimmed.startsWith('/warp') || trimmed.startsWith('/node')) return this.sandboxPower(trimmed);
    const words = tokenize(trimmed, this.session.env).tokens.map((t) => t.value);
    if (words[0] === 'curl') return this.curl(words.slice(1));
    const parsed = parseLine(trimmed, this.session.env);
    if (!parsed.error && this.opts.interactive && isInteractive(parsed.argv)) return this.startBackground(trimmed, wantsTty(parsed.argv));
    if (!parsed.error && isStreaming(parsed.argv)) return this.startBackground(trimmed);
    const r = await run(trimmed, this.session, {
      stdin,
      onOutput: (stream, text) => this.opts.onOutput?.(text, stream),
    });
    return { ...r, kind: 'kubectl' };
  }

  private startBackground(line: string, tty?: boolean): ShellResult {
    const input = tty === undefined ? undefined : pushStdin(tty);
    const job: BackgroundJob = {
      id: this.nextId++,
      line,
      output: '',
      execution: undefined as unknown as Execution,
      stop: () => {
        job.execution.cancel();
      },
    };
    if (input) job.input = { tty: !!tty, write: input.write, end: input.end };
    job.execution = start(line, this.session, {
      stdin: input?.stdin,
      onOutput: (stream, text) => {
        job.output += text;
        this.opts.onOutput?.(text, stream, job);
      },
    });
    this.jobs.push(job);
    job.execution.done.finally(() => {
      this.jobs = this.jobs.filter((j) => j !== job);
    });
    return { stdout: '', stderr: '', exitCode: 0, effects: [], argv: [], kind: 'background', background: job };
  }

  private async sandboxPower(line: string): Promise<ShellResult> {
    const [cmd, a, b] = line.split(/\s+/);
    const done = (stdout: string, stderr = '', exitCode = 0): ShellResult => ({ stdout, stderr, exitCode, effects: [], argv: [], kind: 'sandbox' });
    try {
      const client = this.client();
      if (cmd === '/warp') {
        if (!a) return done('', 'usage: /warp DURATION (e.g. /warp 15m)\n', 1);
        const res = await client.rest.raw('/sandbox/v1/time', { method: 'POST', query: { warp: a } });
        if (res.status === 404) return done('', 'time warp needs the kube-tutor sandbox; on a real cluster, wait or use another way (the lesson says which)\n', 1);
        if (res.status !== 200) return done('', `${res.json().message ?? res.text()}\n`, 1);
        return done(`Sandbox clock moved forward ${a}: now ${res.json().now}\n`);
      }
      if (cmd === '/node') {
        if ((a !== 'down' && a !== 'up') || !b) return done('', 'usage: /node down|up NODE\n', 1);
        const nodes = await client.discovery.resolve('nodes');
        const probe = await client.rest.raw('/sandbox/v1/time');
        if (probe.status === 404) return done('', 'taking a node down needs the kube-tutor sandbox; on a real cluster a node failure cannot be simulated safely\n', 1);
        await client.patch(nodes, undefined, b, { metadata: { annotations: { [DOWN_ANNOTATION]: a === 'down' ? 'true' : null } } }, 'merge', { fieldManager: 'kube-tutor' });
        return done(a === 'down' ? `node/${b} is down: its kubelet stopped reporting; it goes NotReady in about 50s\n` : `node/${b} is up again\n`);
      }
    } catch (e) {
      return done('', `error: ${(e as Error).message}\n`, 1);
    }
    return done('', `unknown command ${cmd}\n`, 1);
  }

  /** host-side curl: the flags learners use (-s, -v, -i, -H, -X, -d, -k, -m) */
  private async curl(args: string[]): Promise<ShellResult> {
    const headers: Record<string, string> = {};
    let method: string | undefined;
    let data: string | undefined;
    let verbose = false;
    let include = false;
    let insecure = false;
    let silent = false;
    let timeoutMs = 10_000;
    let url: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-s' || a === '--silent') silent = true;
      else if (a === '-v' || a === '--verbose') verbose = true;
      else if (a === '-i' || a === '--include') include = true;
      else if (a === '-k' || a === '--insecure') insecure = true;
      else if (a === '-H' || a === '--header') {
        const [k, ...v] = (args[++i] ?? '').split(':');
        if (k) headers[k.trim()] = v.join(':').trim();
      } else if (a === '-X' || a === '--request') method = args[++i];
      else if (a === '-d' || a === '--data') data = args[++i];
      else if (a === '-m' || a === '--max-time') timeoutMs = Number(args[++i]) * 1000;
      else if (/^-[sSvik]+$/.test(a)) {
        silent ||= a.includes('s');
        verbose ||= a.includes('v');
        include ||= a.includes('i');
        insecure ||= a.includes('k');
      } else if (!a.startsWith('-')) url = a;
    }
    void silent;
    const done = (stdout: string, stderr: string, exitCode: number): ShellResult => ({ stdout, stderr, exitCode, effects: [], argv: ['curl', ...args], kind: 'curl' });
    if (!url) return done('', 'curl: no URL specified!\n', 2);
    const target = /^[a-z]+:\/\//i.test(url) ? url : `http://${url}`;
    let u: URL;
    try {
      u = new URL(target);
    } catch {
      return done('', `curl: (3) URL rejected: Malformed input to a URL function\n`, 3);
    }
    return new Promise((resolve) => {
      const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(u, { method: method ?? (data !== undefined ? 'POST' : 'GET'), headers: { 'User-Agent': 'curl/8.5.0', Accept: '*/*', ...headers }, rejectUnauthorized: !insecure, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let head = '';
          if (include || verbose) {
            head = `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}\n`;
            for (let i = 0; i < res.rawHeaders.length; i += 2) head += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\n`;
            head += '\n';
          }
          resolve(done((include ? head : '') + Buffer.concat(chunks).toString('utf8'), verbose ? head.replace(/^/gm, '< ') : '', 0));
        });
      });
      req.on('timeout', () => {
        req.destroy();
        resolve(done('', `curl: (28) Operation timed out after ${timeoutMs} milliseconds with 0 bytes received\n`, 28));
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNREFUSED') resolve(done('', `curl: (7) Failed to connect to ${u.hostname} port ${u.port || (u.protocol === 'https:' ? 443 : 80)} after 0 ms: Couldn't connect to server\n`, 7));
        else if (e.code === 'ENOTFOUND') resolve(done('', `curl: (6) Could not resolve host: ${u.hostname}\n`, 6));
        else resolve(done('', `curl: (56) ${e.message}\n`, 56));
      });
      if (data !== undefined) req.write(data);
      req.end();
    });
  }
}

/** a command's stdin fed by the prompt: lines the learner submits, then the end (Ctrl-D) */
function pushStdin(tty: boolean): { stdin: Stdin; write(text: string): void; end(): void } {
  const data: ((c: Buffer) => void)[] = [];
  const ends: (() => void)[] = [];
  let all = '';
  let ended = false;
  let finish: (() => void) | undefined;
  const allRead = new Promise<void>((r) => (finish = r));
  return {
    stdin: {
      isTTY: tty,
      readAll: async () => {
        await allRead;
        return all;
      },
      on: ((event: 'data' | 'end', cb: (c?: Buffer) => void) => {
        if (event === 'data') data.push(cb as (c: Buffer) => void);
        else if (ended) cb();
        else ends.push(cb as () => void);
      }) as Stdin['on'],
    },
    write: (text) => {
      if (ended) return;
      all += text;
      for (const cb of data) cb(Buffer.from(text));
    },
    end: () => {
      if (ended) return;
      ended = true;
      finish?.();
      for (const cb of ends) cb();
    },
  };
}
