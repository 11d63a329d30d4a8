/**
 * A small POSIX-sh subset for the commands learners put in pods and probes: `sleep N`,
 * `echo …`, `exit N`, `date`, `sh -c 'while true; do …; sleep N; done'`, `touch/rm/cat FILE`,
 * `[ -f FILE ]`, `&&`, `||`, `;`, pipes (`| grep`, `| head`, `| wc -l`, `| sort`, `| while read`),
 * redirections, `cd`/`pwd`/`export`, `ls`, `ps`, `whoami`, `id`, `uname`, `node -v` (node images).
 * Time passes on the sandbox clock.
 *
 * Pipeline stages run at the same time, connected by `Pipe`s: a stage's output reaches the next
 * one as it is written (`while true; do echo hi; sleep 1; done | grep hi` streams), and a stage
 * writing to a pipe whose reader ended gets EPIPE and stops (status 141), so an endless producer
 * piped into `head -n 3` ends. Every command that is not a shell builtin is a process in the
 * container's table (procs.ts) while it runs: `ps` lists them.
 *
 * `runScript`/`runArgv` run one script or argv in a fresh shell; `createSession` is a shell that
 * keeps its working directory, variables, exports and `$?` from one command line to the next
 * (interactive.ts).
 */
import { runNetTool, type ContainerNet } from './net.js';
import { busyboxDate } from './process.js';
import { formatPs, procTable } from './procs.js';

export interface ShellEnv {
  fs: Map<string, string>;
  env: Record<string, string>;
  hostname: string;
  now(): number;
  /** wait `ms` of simulated time (rejects when the process is killed) */
  sleep(ms: number): Promise<void>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** name of the shell in error messages (`sh`) */
  shell?: string;
  /** the container's network (curl, wget, nslookup, ping, getent); without it names do not resolve */
  net?: ContainerNet;
  /** stdout is a terminal (exec -t) */
  tty?: boolean;
  /** aborted when the session ends (^C): long-running tools (ping) stop */
  signal?: AbortSignal;
  /** the working directory the shell starts in (default `/`) */
  cwd?: string;
  /** the user the container runs as (`root`) */
  user?: string;
  /** the container's main process argv (PID 1 in `ps`) */
  mainArgv?: string[];
  /** the node's kernel release (`uname -r`) */
  kernel?: string;
  /** this shell is the container's main process (PID 1): the argv it runs is not a new process */
  main?: boolean;
}

/** what a shell keeps between command lines: working directory, variables, exported names, `$?` */
interface SessionState {
  cwd: string;
  exported: Set<string>;
  unset?: Set<string>;
}

class ExitSignal {
  constructor(readonly code: number) {}
}

/** a write to a pipe whose reader is gone (SIGPIPE): the writing stage stops with status 141 */
export class BrokenPipe extends Error {
  constructor() {
    super('Broken pipe');
  }
}

/**
 * A pipe between two commands (or a file / here-string as stdin): the writer appends, the reader
 * waits for data on promises (no timers). `end()` is EOF for the reader; `close()` is the reader
 * going away, after which writes throw BrokenPipe.
 */
export class Pipe {
  private buf = '';
  private ended = false;
  private readerGone = false;
  private wake: (() => void) | undefined;

  /** a pipe that holds `text` and is already at its end (`< file`) */
  static of(text: string): Pipe {
    const p = new Pipe();
    p.buf = text;
    p.ended = true;
    return p;
  }

  write(text: string): void {
    if (this.readerGone) throw new BrokenPipe();
    if (!text) return;
    this.buf += text;
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  close(): void {
    this.readerGone = true;
    this.buf = '';
    this.notify();
  }

  get closed(): boolean {
    return this.readerGone;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private more(): Promise<void> {
    return new Promise((resolve) => {
      const prev = this.wake;
      this.wake = () => {
        prev?.();
        resolve();
      };
    });
  }

  /** what is buffered (waiting for some), or undefined at EOF */
  async read(): Promise<string | undefined> {
    while (!this.buf && !this.ended && !this.readerGone) await this.more();
    if (!this.buf) return undefined;
    const t = this.buf;
    this.buf = '';
    return t;
  }

  /** the next line with its newline (the last one may lack it), or undefined at EOF */
  async readLine(): Promise<string | undefined> {
    for (;;) {
      const i = this.buf.indexOf('\n');
      if (i >= 0 || ((this.ended || this.readerGone) && this.buf)) {
        const end = i >= 0 ? i + 1 : this.buf.length;
        const line = this.buf.slice(0, end);
        this.buf = this.buf.slice(end);
        return line;
      }
      if (this.ended || this.readerGone) return undefined;
      await this.more();
    }
  }

  /** everything until EOF */
  async readAll(): Promise<string> {
    let s = '';
    for (let c = await this.read(); c !== undefined; c = await this.read()) s += c;
    return s;
  }
}

// ---------------------------------------------------------------- tokens

type Seg = { text: string; q: 'n' | 's' | 'd' };
type Tok = { op: string } | { word: Seg[] };

const OPS = ['&&', '||', '>>', '2>&1', '2>', ';;', ';', '\n', '|', '&', '>', '<', '(', ')'];

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let cur: Seg[] | null = null;
  const seg = (text: string, q: Seg['q']) => {
    cur ??= [];
    cur.push({ text, q });
  };
  const flush = () => {
    if (cur) out.push({ word: cur });
    cur = null;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      flush();
      i++;
      continue;
    }
    if (c === '#' && !cur) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op && (!(op === '2>&1' || op === '2>') || !cur)) {
      flush();
      out.push({ op });
      i += op.length;
      continue;
    }
    if (c === "'") {
      const j = src.indexOf("'", i + 1);
      const end = j < 0 ? src.length : j;
      seg(src.slice(i + 1, end), 's');
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && '"\\$`'.includes(src[j + 1] ?? '')) {
          text += src[j] === '\\' && src[j + 1] === '$' ? '\\$' : src[j + 1];
          j += 2;
          continue;
        }
        if (src[j] === '$' && src[j + 1] === '(') {
          const k = matchParen(src, j + 1);
          text += src.slice(j, k + 1);
          j = k + 1;
          continue;
        }
        text += src[j++];
      }
      seg(text, 'd');
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      seg(src[i + 1] ?? '', 's');
      i += 2;
      continue;
    }
    if (c === '$' && src[i + 1] === '(') {
      const k = matchParen(src, i + 1);
      seg(src.slice(i, k + 1), 'n');
      i = k + 1;
      continue;
    }
    let j = i;
    while (j < src.length && !" \t\n;&|<>()'\"\\".includes(src[j]) && !(src[j] === '$' && src[j + 1] === '(')) j++;
    if (j === i) {
      // a lone operator character inside a word (e.g. `a>b`)
      const op2 = OPS.find((o) => src.startsWith(o, i));
      flush();
      if (op2) {
        out.push({ op: op2 });
        i += op2.length;
      } else i++;
      continue;
    }
    seg(src.slice(i, j), 'n');
    i = j;
  }
  flush();
  return out;
}

function matchParen(src: string, open: number): number {
  let depth = 0;
  for (let k = open; k < src.length; k++) {
    if (src[k] === '(') depth++;
    else if (src[k] === ')' && --depth === 0) return k;
  }
  return src.length - 1;
}

// ---------------------------------------------------------------- syntax tree

type Redirect = { op: '>' | '>>' | '2>' | '2>&1' | '<'; target: Seg[] };
type Node =
  | { t: 'cmd'; words: Seg[][]; redirects: Redirect[] }
  | { t: 'while'; until: boolean; cond: Node[]; body: Node[] }
  | { t: 'for'; name: string; items: Seg[][]; body: Node[] }
  | { t: 'if'; branches: { cond: Node[]; body: Node[] }[]; otherwise?: Node[] }
  | { t: 'andor'; first: Node; rest: { op: '&&' | '||'; node: Node }[] }
  | { t: 'pipe'; parts: Node[] }
  | { t: 'group'; body: Node[] };

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peekWord(): string | undefined {
    const t = this.toks[this.i];
    return t && 'word' in t && t.word.length === 1 && t.word[0].q === 'n' ? t.word[0].text : undefined;
  }

  private peekOp(): string | undefined {
    const t = this.toks[this.i];
    return t && 'op' in t ? t.op : undefined;
  }

  private skipSeps(): void {
    while (this.peekOp() === ';' || this.peekOp() === '\n' || this.peekOp() === '&') this.i++;
  }

  list(stop: string[]): Node[] {
    const out: Node[] = [];
    for (;;) {
      this.skipSeps();
      if (this.i >= this.toks.length) return out;
      const w = this.peekWord();
      if (w && stop.includes(w)) return out;
      if (this.peekOp() === ')') return out;
      out.push(this.andOr());
    }
  }

  private expectWord(w: string): void {
    this.skipSeps();
    if (this.peekWord() !== w) throw new SyntaxError(`syntax error: expected "${w}"`);
    this.i++;
  }

  private andOr(): Node {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; node: Node }[] = [];
    while (this.peekOp() === '&&' || this.peekOp() === '||') {
      const op = this.peekOp() as '&&' | '||';
      this.i++;
      while (this.peekOp() === '\n') this.i++;
      rest.push({ op, node: this.pipeline() });
    }
    return rest.length ? { t: 'andor', first, rest } : first;
  }

  private pipeline(): Node {
    const parts = [this.command()];
    while (this.peekOp() === '|') {
      this.i++;
      parts.push(this.command());
    }
    return parts.length > 1 ? { t: 'pipe', parts } : parts[0];
  }

  private command(): Node {
    const w = this.peekWord();
    if (w === 'while' || w === 'until') {
      this.i++;
      const cond = this.list(['do']);
      this.expectWord('do');
      const body = this.list(['done']);
      this.expectWord('done');
      return { t: 'while', until: w === 'until', cond, body };
    }
    if (w === 'for') {
      this.i++;
      const name = this.peekWord() ?? 'i';
      this.i++;
      const items: Seg[][] = [];
      if (this.peekWord() === 'in') {
        this.i++;
        while (this.i < this.toks.length && 'word' in this.toks[this.i]) items.push((this.toks[this.i++] as { word: Seg[] }).word);
      }
      this.expectWord('do');
      const body = this.list(['done']);
      this.expectWord('done');
      return { t: 'for', name, items, body };
    }
    if (w === 'if') {
      this.i++;
      const branches: { cond: Node[]; body: Node[] }[] = [];
      let otherwise: Node[] | undefined;
      const cond = this.list(['then']);
      this.expectWord('then');
      branches.push({ cond, body: this.list(['elif', 'else', 'fi']) });
      for (;;) {
        this.skipSeps();
        const k = this.peekWord();
        this.i++;
        if (k === 'elif') {
          const c = this.list(['then']);
          this.expectWord('then');
          branches.push({ cond: c, body: this.list(['elif', 'else', 'fi']) });
        } else if (k === 'else') {
          otherwise = this.list(['fi']);
        } else if (k === 'fi') break;
        else throw new SyntaxError('syntax error: unexpected end of file (expecting "fi")');
      }
      return { t: 'if', branches, otherwise };
    }
    if (this.peekOp() === '(') {
      this.i++;
      const body = this.list([]);
      if (this.peekOp() === ')') this.i++;
      return { t: 'group', body };
    }
    const words: Seg[][] = [];
    const redirects: Redirect[] = [];
    while (this.i < this.toks.length) {
      const t = this.toks[this.i];
      if ('word' in t) {
        words.push(t.word);
        this.i++;
        continue;
      }
      if (['>', '>>', '2>', '<'].includes(t.op)) {
        this.i++;
        const target = this.toks[this.i];
        this.i++;
        redirects.push({ op: t.op as Redirect['op'], target: target && 'word' in target ? target.word : [] });
        continue;
      }
      if (t.op === '2>&1') {
        this.i++;
        redirects.push({ op: '2>&1', target: [] });
        continue;
      }
      break;
    }
    if (!words.length && !redirects.length) throw new SyntaxError(`syntax error: unexpected "${this.peekOp() ?? 'end of file'}"`);
    return { t: 'cmd', words, redirects };
  }
}

export function parseScript(src: string): Node[] {
  const p = new Parser(tokenize(src));
  const nodes = p.list([]);
  return nodes;
}

// ---------------------------------------------------------------- execution

interface Frame {
  env: ShellEnv;
  vars: Record<string, string>;
  status: number;
  sess: SessionState;
  /** what the command reads on stdin (a pipe or `<`); undefined: nothing */
  stdin?: Pipe;
  stdout: (t: string) => void;
  stderr: (t: string) => void;
  /** input this process consumed (shared by its nested frames, not by sibling pipeline stages) */
  progress?: { reads: number };
}

/** note that a command of `f` consumed input: a loop that reads is making progress */
function consumed(f: Frame): void {
  if (f.progress) f.progress.reads++;
}

/** parse a duration as busybox sleep does: `5`, `0.5`, `10s`, `2m`, `infinity` */
function sleepMs(arg: string): number | undefined {
  if (arg === 'infinity' || arg === 'inf') return Number.MAX_SAFE_INTEGER / 4;
  const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  const mult = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]]!;
  return Math.round(parseFloat(m[1]) * mult);
}

async function expand(f: Frame, word: Seg[]): Promise<string> {
  let s = '';
  for (const seg of word) {
    if (seg.q === 's') {
      s += seg.text;
      continue;
    }
    let text = seg.text;
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\' && text[i + 1] === '$') {
        out += '$';
        i++;
        continue;
      }
      if (c !== '$') {
        out += c;
        continue;
      }
      if (text[i + 1] === '(') {
        const k = matchParen(text, i + 1);
        const inner = text.slice(i + 2, k);
        let captured = '';
        const sub: Frame = { ...f, stdout: (t) => { captured += t; }, stderr: f.stderr };
        await runList(sub, parseScript(inner));
        out += captured.replace(/\n+$/, '');
        i = k;
        continue;
      }
      const m = /^\{(\w+)\}|^(\w+|\?)/.exec(text.slice(i + 1));
      if (!m) {
        out += c;
        continue;
      }
      const name = m[1] ?? m[2];
      out += name === '?' ? String(f.status) : (f.vars[name] ?? f.env.env[name] ?? (name === 'HOSTNAME' ? f.env.hostname : name === 'PWD' ? f.sess.cwd : ''));
      i += m[0].length;
    }
    text = out;
    s += text;
  }
  return s;
}

async function runList(f: Frame, nodes: Node[]): Promise<number> {
  for (const n of nodes) f.status = await runNode(f, n);
  return f.status;
}

async function runNode(f: Frame, n: Node): Promise<number> {
  switch (n.t) {
    case 'andor': {
      let st = await runNode(f, n.first);
      for (const r of n.rest) {
        if ((r.op === '&&' && st === 0) || (r.op === '||' && st !== 0)) st = await runNode(f, r.node);
      }
      return st;
    }
    case 'pipe':
      return runPipeline(f, n.parts);
    case 'group':
      return runList(f, n.body);
    case 'while': {
      let st = 0;
      for (;;) {
        const t0 = f.env.now();
        f.progress ??= { reads: 0 };
        const r0 = f.progress.reads;
        const c = await runList(f, n.cond);
        if (n.until ? c === 0 : c !== 0) break;
        st = await runList(f, n.body);
        // a loop that takes no time and reads nothing would spin forever: let simulated time pass
        if (f.env.now() === t0 && f.progress.reads === r0) await f.env.sleep(100);
      }
      return st;
    }
    case 'for': {
      let st = 0;
      for (const w of n.items) {
        for (const item of (await expand(f, w)).split(/\s+/).filter(Boolean)) {
          f.vars[n.name] = item;
          st = await runList(f, n.body);
        }
      }
      return st;
    }
    case 'if': {
      for (const b of n.branches) {
        if ((await runList(f, b.cond)) === 0) return runList(f, b.body);
      }
      return n.otherwise ? runList(f, n.otherwise) : 0;
    }
    case 'cmd':
      return runCommand(f, n.words, n.redirects);
  }
}

/** the stages of `a | b | c` run at the same time, each in a subshell, joined by pipes */
async function runPipeline(f: Frame, parts: Node[]): Promise<number> {
  const n = parts.length;
  const pipes = Array.from({ length: n - 1 }, () => new Pipe());
  const stages = parts.map(async (part, i) => {
    const out = i === n - 1 ? f.stdout : (t: string) => pipes[i].write(t);
    const sub: Frame = {
      ...f, vars: { ...f.vars }, sess: { ...f.sess, exported: new Set(f.sess.exported) },
      stdin: i === 0 ? f.stdin : pipes[i - 1], stdout: out, progress: { reads: 0 },
    };
    try {
      return await runNode(sub, part);
    } catch (err) {
      if (err instanceof BrokenPipe) return 141;
      if (err instanceof ExitSignal) return err.code;
      throw err;
    } finally {
      if (i < n - 1) pipes[i].end();
      if (i > 0) pipes[i - 1].close();
    }
  });
  const results = await Promise.allSettled(stages);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return (results[n - 1] as PromiseFulfilledResult<number>).value;
}

async function runCommand(f: Frame, words: Seg[][], redirects: Redirect[]): Promise<number> {
  const argv: string[] = [];
  for (const w of words) {
    const v = await expand(f, w);
    // unquoted expansions split into fields
    if (w.every((s) => s.q === 'n') && w.some((s) => s.text.includes('$'))) argv.push(...v.split(/\s+/).filter(Boolean));
    else if (w[0]?.q === 'n' && /^~(\/|$)/.test(v)) argv.push(homeOf(f) + v.slice(1));
    else argv.push(v);
  }
  // VAR=value assignments
  while (argv.length && /^[A-Za-z_]\w*=/.test(argv[0])) {
    const a = argv.shift()!;
    const eq = a.indexOf('=');
    f.vars[a.slice(0, eq)] = a.slice(eq + 1);
  }
  if (!argv.length) return 0;
  let stdout = f.stdout;
  let stderr = f.stderr;
  let stdin = f.stdin;
  const files: { path: string; text: string; append: boolean }[] = [];
  for (const r of redirects) {
    if (r.op === '2>&1') {
      stderr = stdout;
      continue;
    }
    const path = resolvePath(f, await expand(f, r.target));
    if (r.op === '<') {
      const text = f.env.fs.get(path) ?? STATIC_FILES[path];
      if (text === undefined) {
        f.stderr(`${sh(f)}: can't open ${path}: no such file\n`);
        return 1;
      }
      stdin = Pipe.of(text);
      continue;
    }
    if (path === '/dev/null') {
      if (r.op === '2>') stderr = () => {};
      else stdout = () => {};
      continue;
    }
    const file = { path, text: '', append: r.op === '>>' };
    files.push(file);
    if (r.op === '2>') stderr = (t) => { file.text += t; };
    else stdout = (t) => { file.text += t; };
  }
  const sub: Frame = { ...f, stdout, stderr, stdin };
  try {
    return await spawn(sub, argv, false);
  } finally {
    for (const file of files) f.env.fs.set(file.path, (file.append ? f.env.fs.get(file.path) ?? '' : '') + file.text);
  }
}

const sh = (f: Frame) => f.env.shell ?? 'sh';

/** what the shell runs itself, without a new process */
const SHELL_BUILTINS = new Set(['true', ':', 'false', 'exit', 'echo', 'printf', 'cd', 'pwd', 'export', 'unset', 'test', '[', 'read']);

/** run a command; one that is not a shell builtin is a process in the container's table while it runs */
async function spawn(f: Frame, argv: string[], topLevel: boolean): Promise<number> {
  const cmd = argv[0].replace(/^\/(usr\/)?s?bin\//, '');
  if (SHELL_BUILTINS.has(cmd) || (topLevel && f.env.main)) return builtin(f, argv);
  const table = procTable(f.env.fs);
  const pid = table.spawn(argv, f.env.user ?? 'root', topLevel);
  try {
    return await builtin(f, argv);
  } finally {
    table.exit(pid);
  }
}

async function builtin(f: Frame, argv: string[]): Promise<number> {
  const [cmd0, ...args] = argv;
  const cmd = cmd0.replace(/^\/(usr\/)?s?bin\//, '');
  const fs = f.env.fs;
  switch (cmd) {
    case 'true':
    case ':':
      return 0;
    case 'false':
      return 1;
    case 'exit':
      throw new ExitSignal(args.length ? Number(args[0]) & 255 : f.status);
    case 'echo': {
      let a = args;
      let nl = true;
      while (a[0] === '-n' || a[0] === '-e') {
        if (a[0] === '-n') nl = false;
        a = a.slice(1);
      }
      f.stdout(a.join(' ') + (nl ? '\n' : ''));
      return 0;
    }
    case 'printf': {
      const [fmt = '', ...rest] = args;
      let k = 0;
      const s = fmt.replace(/%[sd]/g, () => rest[k++] ?? '').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      f.stdout(s);
      return 0;
    }
    case 'sleep': {
      if (!args.length) {
        f.stderr('sleep: missing operand\n');
        return 1;
      }
      let total = 0;
      for (const a of args) {
        const ms = sleepMs(a);
        if (ms === undefined) {
          f.stderr(`sleep: invalid number '${a}'\n`);
          return 1;
        }
        total += ms;
      }
      await f.env.sleep(total);
      return 0;
    }
    case 'date':
      f.stdout(`${args[0] === '+%s' ? Math.floor(f.env.now() / 1000) : busyboxDate(f.env.now())}\n`);
      return 0;
    case 'hostname':
      f.stdout(`${args[0] === '-i' || args[0] === '-I' ? (f.env.net?.ip ?? '127.0.0.1') : f.env.hostname}\n`);
      return 0;
    case 'env':
    case 'printenv': {
      const all = envOf(f);
      if (cmd === 'printenv' && args.length) {
        const v = all[args[0]];
        if (v === undefined) return 1;
        f.stdout(`${v}\n`);
        return 0;
      }
      f.stdout(Object.entries(all).map(([k, v]) => `${k}=${v}\n`).join(''));
      return 0;
    }
    case 'cd': {
      const target = args[0] === undefined ? homeOf(f) : args[0] === '-' ? (f.vars.OLDPWD ?? f.sess.cwd) : args[0];
      const p = resolvePath(f, target);
      if (!isDir(fs, p)) {
        const why = readFile(f, p) !== undefined ? 'Not a directory' : 'No such file or directory';
        f.stderr(sh(f) === 'bash' ? `bash: cd: ${target}: ${why}\n` : `${sh(f)}: cd: can't cd to ${target}: ${why}\n`);
        return sh(f) === 'bash' ? 1 : 2;
      }
      f.vars.OLDPWD = f.sess.cwd;
      f.sess.cwd = p;
      return 0;
    }
    case 'pwd':
      f.stdout(`${f.sess.cwd}\n`);
      return 0;
    case 'export':
    case 'unset': {
      if (cmd === 'export' && (!args.length || args[0] === '-p')) {
        f.stdout(Object.entries(envOf(f)).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'"'"'`)}'\n`).join(''));
        return 0;
      }
      for (const a of args) {
        const eq = a.indexOf('=');
        const name = eq < 0 ? a : a.slice(0, eq);
        if (cmd === 'unset') {
          delete f.vars[name];
          f.sess.exported.delete(name);
          f.sess.unset ??= new Set();
          f.sess.unset.add(name);
          continue;
        }
        if (eq >= 0) f.vars[name] = a.slice(eq + 1);
        else if (f.vars[name] === undefined && f.env.env[name] !== undefined) f.vars[name] = f.env.env[name];
        f.sess.exported.add(name);
      }
      return 0;
    }
    case 'cat': {
      let st = 0;
      for (const a of args.length ? args : ['-']) {
        if (a === '-') {
          // stdin as it comes (a pipe streams)
          if (f.stdin) {
            for (let c = await f.stdin.read(); c !== undefined; c = await f.stdin.read()) {
              consumed(f);
              f.stdout(c);
            }
          }
          continue;
        }
        const p = resolvePath(f, a);
        const c = readFile(f, p);
        if (c === undefined) {
          f.stderr(isDir(fs, p) ? `cat: read error: Is a directory\n` : `cat: can't open '${a}': No such file or directory\n`);
          st = 1;
        } else f.stdout(c);
      }
      return st;
    }
    case 'touch':
      for (const a of args.filter((x) => !x.startsWith('-'))) {
        const p = resolvePath(f, a);
        if (!fs.has(p)) fs.set(p, '');
      }
      return 0;
    case 'mkdir':
      for (const a of args.filter((x) => !x.startsWith('-'))) fs.set(`${resolvePath(f, a)}/.keep`, '');
      return 0;
    case 'rm': {
      const force = args.some((a) => /^-\w*f/.test(a));
      let st = 0;
      for (const a of args.filter((x) => !x.startsWith('-'))) {
        if (!fs.delete(resolvePath(f, a)) && !force) {
          f.stderr(`rm: can't remove '${a}': No such file or directory\n`);
          st = 1;
        }
      }
      return st;
    }
    case 'ls':
      return ls(f, args);
    case 'grep':
    case 'egrep':
      return grep(f, args);
    case 'read':
      return readBuiltin(f, args);
    case 'node':
      return node(f, args);
    case 'head':
    case 'tail': {
      let n = 10;
      const files: string[] = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === '-n') n = Number(args[++i]);
        else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
        else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
        else if (a.startsWith('-') && a !== '-') continue;
        else files.push(a);
      }
      if (cmd === 'head' && (!files.length || (files.length === 1 && files[0] === '-'))) {
        // stream the first n lines, then stop reading (the writer gets EPIPE)
        for (let k = 0; k < n && f.stdin; k++) {
          const line = await f.stdin.readLine();
          if (line === undefined) break;
          consumed(f);
          f.stdout(line);
        }
        return 0;
      }
      const text = await inputOf(f, files);
      if (text === undefined) return 1;
      const lines = splitLines(text);
      const picked = cmd === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n));
      f.stdout(picked.map((l) => `${l}\n`).join(''));
      return 0;
    }
    case 'wc': {
      const flags = args.filter((a) => a.startsWith('-') && a !== '-').join('');
      const files = args.filter((a) => !a.startsWith('-') || a === '-');
      const text = await inputOf(f, files);
      if (text === undefined) return 1;
      const counts = { l: (text.match(/\n/g) ?? []).length, w: text.split(/\s+/).filter(Boolean).length, c: Buffer.byteLength(text) };
      const which = (['l', 'w', 'c'] as const).filter((k) => flags.includes(k));
      const shown = which.length ? which : (['l', 'w', 'c'] as const);
      const nums = shown.map((k) => (shown.length === 1 ? String(counts[k]) : String(counts[k]).padStart(7)));
      f.stdout(`${nums.join(shown.length === 1 ? '' : ' ')}${files.length ? ` ${files.join(' ')}` : ''}\n`);
      return 0;
    }
    case 'sort': {
      const files = args.filter((a) => !a.startsWith('-'));
      const text = await inputOf(f, files);
      if (text === undefined) return 1;
      const lines = splitLines(text).sort();
      if (args.includes('-r')) lines.reverse();
      f.stdout(lines.map((l) => `${l}\n`).join(''));
      return 0;
    }
    case 'whoami':
      f.stdout(`${f.env.user ?? 'root'}\n`);
      return 0;
    case 'id': {
      const u = userOf(f);
      const flags = args.join('');
      if (flags.includes('u') || flags.includes('g')) {
        f.stdout(`${flags.includes('n') ? (flags.includes('u') ? u.name : u.group) : flags.includes('u') ? u.uid : u.gid}\n`);
        return 0;
      }
      f.stdout(`uid=${u.uid}(${u.name}) gid=${u.gid}(${u.group}) groups=${u.groups}\n`);
      return 0;
    }
    case 'uname': {
      const kernel = f.env.kernel ?? '6.8.0-60-generic';
      const all = args.some((a) => a.startsWith('-') && a.includes('a'));
      if (all) f.stdout(`Linux ${f.env.hostname} ${kernel} #60-Ubuntu SMP PREEMPT_DYNAMIC Fri May 23 23:42:32 UTC 2025 x86_64 GNU/Linux\n`);
      else if (args.includes('-r')) f.stdout(`${kernel}\n`);
      else if (args.includes('-m')) f.stdout('x86_64\n');
      else if (args.includes('-n')) f.stdout(`${f.env.hostname}\n`);
      else f.stdout('Linux\n');
      return 0;
    }
    case 'ps': {
      // busybox ps: PID 1 is the container's command, then what runs now (this ps included).
      // The shell starts every stage of a pipeline before any runs: let the siblings get going
      // (microtasks only, no time passes) so `ps | grep x` lists the grep too.
      for (let i = 0; i < 64; i++) await Promise.resolve();
      const user = f.env.user ?? 'root';
      f.stdout(formatPs({ argv: f.env.mainArgv ?? ['sh'], user }, procTable(f.env.fs).list()));
      return 0;
    }
    case 'test':
    case '[': {
      const a = cmd === '[' ? args.slice(0, -1) : args;
      return evalTest(f, a) ? 0 : 1;
    }
    case 'sh':
    case 'bash':
    case 'ash': {
      const i = args.indexOf('-c');
      if (i < 0) return 0; // no stdin: an interactive shell without a terminal exits at once
      return runScript({ ...f.env, env: envOf(f), cwd: f.sess.cwd, stdout: f.stdout, stderr: f.stderr, main: false }, args[i + 1] ?? '', f.stdin);
    }
    default: {
      const net = f.env.net;
      const tool = net && runNetTool({
        net, now: f.env.now, sleep: f.env.sleep, stdout: f.stdout, stderr: f.stderr, fs, tty: f.env.tty, signal: f.env.signal,
      }, cmd, args);
      if (tool) return tool;
      f.stderr(`${sh(f)}: ${cmd0}: not found\n`);
      return 127;
    }
  }
}

// ---------------------------------------------------------------- the container's filesystem

/** directories every image has (the rest come from the files under them) */
const STATIC_DIRS = ['/', '/bin', '/dev', '/etc', '/home', '/lib', '/proc', '/root', '/sbin', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/local', '/usr/local/bin', '/usr/sbin', '/var', '/var/run', '/run'];

/** files every image has */
export const STATIC_FILES: Record<string, string> = {
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
  '/etc/group': 'root:x:0:\n',
};

/** the commands the shell model runs itself (besides the network tools of net.ts) */
export const BUILTIN_COMMANDS = new Set([
  'true', ':', 'false', 'exit', 'echo', 'printf', 'sleep', 'date', 'hostname', 'env', 'printenv', 'cd', 'pwd', 'export', 'unset',
  'cat', 'touch', 'mkdir', 'rm', 'ls', 'grep', 'egrep', 'head', 'tail', 'wc', 'sort', 'whoami', 'id', 'uname', 'ps', 'test', '[',
  'sh', 'bash', 'ash', 'read',
]);

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function resolvePath(f: Frame, p: string): string {
  if (p === '/dev/null') return p;
  return normalize(p.startsWith('/') ? p : `${f.sess.cwd}/${p}`);
}

function homeOf(f: Frame): string {
  return f.vars.HOME ?? f.env.env.HOME ?? '/root';
}

function readFile(f: Frame, p: string): string | undefined {
  return f.env.fs.get(p) ?? STATIC_FILES[p];
}

function isDir(fs: Map<string, string>, p: string): boolean {
  if (STATIC_DIRS.includes(p)) return true;
  const prefix = p === '/' ? '/' : `${p}/`;
  for (const k of fs.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

/** the names directly inside directory `p` */
function children(fs: Map<string, string>, p: string): string[] {
  const prefix = p === '/' ? '/' : `${p}/`;
  const names = new Set<string>();
  for (const k of [...STATIC_DIRS, ...Object.keys(STATIC_FILES), ...fs.keys()]) {
    if (!k.startsWith(prefix) || k === p) continue;
    const name = k.slice(prefix.length).split('/')[0];
    if (name && !name.startsWith('.')) names.add(name);
  }
  return [...names].sort();
}

function ls(f: Frame, args: string[]): number {
  const fs = f.env.fs;
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const paths = args.filter((a) => !a.startsWith('-'));
  if (!paths.length) paths.push('.');
  const long = flags.includes('l');
  const line = (name: string, full: string) => {
    if (!long) return name;
    const dir = isDir(fs, full);
    const size = dir ? 4096 : Buffer.byteLength(readFile(f, full) ?? '');
    return `${dir ? 'drwxr-xr-x' : '-rw-r--r--'}    1 root     root     ${String(size).padStart(8)} Jan  1 00:00 ${name}`;
  };
  const out = (names: string[]) => {
    if (!names.length) return;
    f.stdout(long || !f.env.tty ? names.map((n) => `${n}\n`).join('') : `${names.join('  ')}\n`);
  };
  let st = 0;
  const many = paths.length > 1;
  for (const [i, a] of paths.entries()) {
    const p = resolvePath(f, a);
    if (isDir(fs, p)) {
      if (many) f.stdout(`${i ? '\n' : ''}${a}:\n`);
      const names = children(fs, p);
      if (long) f.stdout(`total ${names.length * 4}\n`);
      out(names.map((n) => line(n, p === '/' ? `/${n}` : `${p}/${n}`)));
    } else if (readFile(f, p) !== undefined) {
      out([line(a, p)]);
    } else {
      f.stderr(`ls: ${a}: No such file or directory\n`);
      st = 1;
    }
  }
  return st;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** the files' contents, or stdin (all of it) without files */
async function inputOf(f: Frame, files: string[]): Promise<string | undefined> {
  if (!files.length || (files.length === 1 && files[0] === '-')) return f.stdin ? f.stdin.readAll() : '';
  let text = '';
  for (const a of files) {
    const c = readFile(f, resolvePath(f, a));
    if (c === undefined) {
      f.stderr(`${a}: No such file or directory\n`);
      return undefined;
    }
    text += c;
  }
  return text;
}

async function grep(f: Frame, args: string[]): Promise<number> {
  let invert = false, icase = false, count = false, quiet = false, number = false, fixed = false;
  let pattern: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-e') {
      const e = args[++i] ?? '';
      pattern = pattern === undefined ? e : `${pattern}|${e}`;
    } else if (a === '--') {
      if (pattern === undefined) pattern = args[++i];
    }
    else if (a.startsWith('-') && a.length > 1 && pattern === undefined) {
      for (const c of a.slice(1)) {
        if (c === 'v') invert = true;
        else if (c === 'i') icase = true;
        else if (c === 'c') count = true;
        else if (c === 'q') quiet = true;
        else if (c === 'n') number = true;
        else if (c === 'F') fixed = true;
      }
    } else if (pattern === undefined) pattern = a;
    else files.push(a);
  }
  if (pattern === undefined) {
    f.stderr('Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n');
    return 2;
  }
  let re: RegExp;
  try {
    re = new RegExp(fixed ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern.replace(/\\([|(){}+?])/g, '$1'), icase ? 'i' : '');
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), icase ? 'i' : '');
  }
  const match = (l: string) => re.test(l) !== invert;
  if (!files.length || (files.length === 1 && files[0] === '-')) {
    // a pipe: each matching line goes out as soon as it came in
    let hits = 0;
    let n = 0;
    for (let raw = await f.stdin?.readLine(); raw !== undefined; raw = await f.stdin?.readLine()) {
      const l = raw.replace(/\n$/, '');
      consumed(f);
      n++;
      if (!match(l)) continue;
      hits++;
      if (quiet) return 0;
      if (!count) f.stdout(`${number ? `${n}:` : ''}${l}\n`);
    }
    if (count) f.stdout(`${hits}\n`);
    return hits ? 0 : 1;
  }
  const text = await inputOf(f, files);
  if (text === undefined) return 2;
  const hits = splitLines(text).map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => match(l));
  if (quiet) return hits.length ? 0 : 1;
  if (count) f.stdout(`${hits.length}\n`);
  else f.stdout(hits.map(({ l, n }) => `${number ? `${n}:` : ''}${l}\n`).join(''));
  return hits.length ? 0 : 1;
}

/** `read [-r] [-p PROMPT] [NAME...]`: one line of stdin into variables (status 1 at EOF) */
async function readBuiltin(f: Frame, args: string[]): Promise<number> {
  const names: string[] = [];
  let raw = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-r') raw = true;
    else if (args[i] === '-p') f.stderr(args[++i] ?? '');
    else names.push(args[i]);
  }
  if (!names.length) names.push('REPLY');
  const line = f.stdin ? await f.stdin.readLine() : undefined;
  if (line === undefined) {
    for (const n of names) f.vars[n] = '';
    return 1;
  }
  consumed(f);
  let text = line.replace(/\n$/, '');
  if (!raw) text = text.replace(/\\(.)/g, '$1');
  const fields = text.trim().split(/\s+/);
  names.forEach((n, i) => {
    f.vars[n] = i === names.length - 1 ? fields.slice(i).join(' ') : fields[i] ?? '';
  });
  return 0;
}

/**
 * `node` in images built FROM node (NODE_VERSION in the image's environment, e.g. luksa/kubia on
 * node:7): `-v`/`--version`, `-p`/`-e` with a few expressions, and `node app.js` next to PID 1
 * (the port is taken).
 */
async function node(f: Frame, args: string[]): Promise<number> {
  const version = envOf(f).NODE_VERSION;
  if (!version) {
    f.stderr(`${sh(f)}: node: not found\n`);
    return 127;
  }
  const a0 = args[0];
  if (a0 === '-v' || a0 === '--version') {
    f.stdout(`v${version}\n`);
    return 0;
  }
  if (a0 === '-p' || a0 === '--print' || a0 === '-e' || a0 === '--eval') {
    const src = (args[1] ?? '').trim().replace(/;$/, '');
    const log = /^console\.log\((.*)\)$/.exec(src);
    const expr = a0 === '-p' || a0 === '--print' ? src : log?.[1];
    if (expr === undefined) return 0;
    const value = nodeValue(f, expr.trim(), version);
    if (value === undefined) {
      f.stderr(`[eval]:1\n${src}\n^\n\nReferenceError: ${expr.split(/[.(]/)[0]} is not defined\n    at [eval]:1:1\n`);
      return 1;
    }
    f.stdout(`${value}\n`);
    return 0;
  }
  if (a0 && !a0.startsWith('-')) {
    const path = resolvePath(f, a0);
    if (path === '/app.js' && f.env.mainArgv?.[0] === 'node') {
      // the same server again: the first line, then the port is taken (node 7's uncaught error)
      f.stdout('Kubia server starting...\n');
      f.stderr(`events.js:163\n      throw er; // Unhandled 'error' event\n      ^\n\nError: listen EADDRINUSE :::8080\n    at Object.exports._errnoException (util.js:1050:11)\n    at exports._exceptionWithHostPort (util.js:1073:20)\n    at Server._listen2 (net.js:1259:14)\n    at listen (net.js:1295:10)\n    at Server.listen (net.js:1391:5)\n    at Object.<anonymous> (/app.js:14:8)\n    at Module._compile (module.js:571:32)\n    at Object.Module._extensions..js (module.js:580:10)\n    at Module.load (module.js:488:32)\n    at tryModuleLoad (module.js:447:12)\n`);
      return 1;
    }
    if (readFile(f, path) === undefined) {
      f.stderr(`module.js:471\n    throw err;\n    ^\n\nError: Cannot find module '${path}'\n    at Function.Module._resolveFilename (module.js:469:15)\n    at Function.Module._load (module.js:417:25)\n    at Module.runMain (module.js:604:10)\n    at run (bootstrap_node.js:389:7)\n    at startup (bootstrap_node.js:149:9)\n    at bootstrap_node.js:504:3\n`);
      return 1;
    }
    return 0;
  }
  // a REPL without a terminal reads a script from stdin: nothing to run
  if (f.stdin) await f.stdin.readAll();
  return 0;
}

function nodeValue(f: Frame, expr: string, version: string): string | undefined {
  const str = /^(['"`])(.*)\1$/.exec(expr);
  if (str) return str[2];
  if (/^-?\d+(\.\d+)?$/.test(expr)) return String(Number(expr));
  const env = /^process\.env\.(\w+)$/.exec(expr);
  if (env) return envOf(f)[env[1]] ?? 'undefined';
  switch (expr.replace(/\s+/g, '')) {
    case 'process.version': return `v${version}`;
    case 'process.versions.node': return version;
    case 'process.pid': return String(f.env.mainArgv?.[0] === 'node' ? 7 : 1);
    case 'process.platform': return 'linux';
    case 'process.arch': return 'x64';
    case 'require("os").hostname()': case "require('os').hostname()": case 'os.hostname()': return f.env.hostname;
  }
  return undefined;
}

/** the environment a child process gets: the container's, minus unset names, plus exported variables */
function envOf(f: Frame): Record<string, string> {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...f.env.env, HOSTNAME: f.env.env.HOSTNAME ?? f.env.hostname })) if (!f.sess.unset?.has(k)) all[k] = v;
  for (const k of f.sess.exported) if (f.vars[k] !== undefined) all[k] = f.vars[k];
  return all;
}

function userOf(f: Frame): { name: string; uid: number; gid: number; group: string; groups: string } {
  const name = f.env.user ?? 'root';
  if (name === 'root') return { name, uid: 0, gid: 0, group: 'root', groups: '0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)' };
  return { name, uid: 100, gid: 101, group: name.replace(/_user$/, '_group'), groups: `101(${name.replace(/_user$/, '_group')})` };
}

function evalTest(f: Frame, a: string[]): boolean {
  if (a[0] === '!') return !evalTest(f, a.slice(1));
  if (a.length === 2 && a[0] === '-f') return readFile(f, resolvePath(f, a[1])) !== undefined;
  if (a.length === 2 && a[0] === '-d') return isDir(f.env.fs, resolvePath(f, a[1]));
  if (a.length === 2 && a[0] === '-e') return readFile(f, resolvePath(f, a[1])) !== undefined || isDir(f.env.fs, resolvePath(f, a[1]));
  if (a.length === 2 && a[0] === '-s') return (readFile(f, resolvePath(f, a[1])) ?? '').length > 0;
  if (a.length === 2 && a[0] === '-z') return a[1] === '';
  if (a.length === 2 && a[0] === '-n') return a[1] !== '';
  if (a.length === 3) {
    const [x, op, y] = a;
    switch (op) {
      case '=': case '==': return x === y;
      case '!=': return x !== y;
      case '-eq': return Number(x) === Number(y);
      case '-ne': return Number(x) !== Number(y);
      case '-lt': return Number(x) < Number(y);
      case '-le': return Number(x) <= Number(y);
      case '-gt': return Number(x) > Number(y);
      case '-ge': return Number(x) >= Number(y);
    }
  }
  return a.length === 1 && a[0] !== '';
}

const newState = (env: ShellEnv): SessionState => ({ cwd: env.cwd ?? '/', exported: new Set() });

/** run a script to completion (reading `stdin` if given); resolves with the exit status */
export async function runScript(env: ShellEnv, script: string, stdin?: Pipe): Promise<number> {
  let nodes: Node[];
  try {
    nodes = parseScript(script);
  } catch (err) {
    env.stderr(`${env.shell ?? 'sh'}: ${(err as Error).message}\n`);
    return 2;
  }
  const f: Frame = { env, vars: {}, status: 0, stdout: env.stdout, stderr: env.stderr, sess: newState(env), stdin };
  try {
    return await runList(f, nodes);
  } catch (err) {
    if (err instanceof ExitSignal) return err.code;
    throw err;
  }
}

/**
 * run an argv (not a script): `["cat", "/tmp/healthy"]`, `["sh", "-c", "…"]`. It is a new process in
 * the container (exec) unless `env.main` (the container's own command, PID 1).
 */
export async function runArgv(env: ShellEnv, argv: string[], stdin?: Pipe): Promise<number> {
  const f: Frame = { env, vars: {}, status: 0, stdout: env.stdout, stderr: env.stderr, sess: newState(env), stdin };
  if (!argv.length) return 0;
  try {
    return await spawn(f, argv, true);
  } catch (err) {
    if (err instanceof ExitSignal) return err.code;
    throw err;
  }
}

/** is `exe` (a name or a path) a program the shell model can start (builtins and network tools) */
export function isKnownCommand(exe: string): boolean {
  const name = exe.replace(/^\/(usr\/)?(local\/)?s?bin\//, '');
  if (name.includes('/')) return false;
  return BUILTIN_COMMANDS.has(name) || ['curl', 'wget', 'nslookup', 'ping', 'getent'].includes(name);
}

/** a shell that keeps its state from one command line to the next (interactive sessions) */
export interface ShellSessionState {
  /** run one complete command line; `exited` is set when it ran `exit` */
  run(line: string): Promise<{ status: number; exited?: number }>;
  /** shell variables (exported or not) */
  readonly vars: Record<string, string>;
  /** the working directory */
  readonly cwd: string;
  /** `$?` (set by the caller after ^C or a nested shell) */
  status: number;
  /** the environment a command started from here gets */
  environment(): Record<string, string>;
}

export function createSession(env: ShellEnv): ShellSessionState {
  const sess = newState(env);
  const vars: Record<string, string> = {};
  let status = 0;
  const frame = (): Frame => ({ env, vars, status, stdout: env.stdout, stderr: env.stderr, sess });
  return {
    vars,
    get cwd() {
      return sess.cwd;
    },
    get status() {
      return status;
    },
    set status(n: number) {
      status = n;
    },
    environment: () => envOf(frame()),
    async run(line) {
      let nodes: Node[];
      try {
        nodes = parseScript(line);
      } catch (err) {
        env.stderr(`${env.shell ?? 'sh'}: ${(err as Error).message}\n`);
        status = 2;
        return { status };
      }
      const f = frame();
      try {
        status = await runList(f, nodes);
        return { status };
      } catch (err) {
        if (err instanceof ExitSignal) {
          status = err.code;
          return { status, exited: err.code };
        }
        throw err;
      }
    },
  };
}
