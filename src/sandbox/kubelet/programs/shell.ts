/**
 * A small POSIX-sh subset for the commands learners put in pods and probes: `sleep N`,
 * `echo …`, `exit N`, `date`, `sh -c 'while true; do …; sleep N; done'`, `touch/rm/cat FILE`,
 * `[ -f FILE ]`, `&&`, `||`, `;`, redirections to files. Time passes on the sandbox clock.
 */
import { runNetTool, type ContainerNet } from './net.js';
import { busyboxDate } from './process.js';

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
}

class ExitSignal {
  constructor(readonly code: number) {}
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
  stdout: (t: string) => void;
  stderr: (t: string) => void;
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
      out += name === '?' ? String(f.status) : (f.vars[name] ?? f.env.env[name] ?? (name === 'HOSTNAME' ? f.env.hostname : ''));
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
    case 'pipe': {
      // no real pipes: every stage but the last writes nowhere
      let st = 0;
      for (let i = 0; i < n.parts.length; i++) {
        const last = i === n.parts.length - 1;
        st = await runNode(last ? f : { ...f, stdout: () => {} }, n.parts[i]);
      }
      return st;
    }
    case 'group':
      return runList(f, n.body);
    case 'while': {
      let st = 0;
      for (;;) {
        const t0 = f.env.now();
        const c = await runList(f, n.cond);
        if (n.until ? c === 0 : c !== 0) break;
        st = await runList(f, n.body);
        // a loop that takes no time would spin forever: let simulated time pass
        if (f.env.now() === t0) await f.env.sleep(100);
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

async function runCommand(f: Frame, words: Seg[][], redirects: Redirect[]): Promise<number> {
  const argv: string[] = [];
  for (const w of words) {
    const v = await expand(f, w);
    // unquoted expansions split into fields
    if (w.every((s) => s.q === 'n') && w.some((s) => s.text.includes('$'))) argv.push(...v.split(/\s+/).filter(Boolean));
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
  const files: { path: string; text: string; append: boolean }[] = [];
  for (const r of redirects) {
    if (r.op === '2>&1') {
      stderr = stdout;
      continue;
    }
    const path = await expand(f, r.target);
    if (r.op === '<') continue;
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
  const sub: Frame = { ...f, stdout, stderr };
  try {
    return await builtin(sub, argv);
  } finally {
    for (const file of files) f.env.fs.set(file.path, (file.append ? f.env.fs.get(file.path) ?? '' : '') + file.text);
  }
}

const sh = (f: Frame) => f.env.shell ?? 'sh';

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
      const all: Record<string, string> = { ...f.env.env, HOSTNAME: f.env.hostname };
      if (cmd === 'printenv' && args.length) {
        const v = all[args[0]];
        if (v === undefined) return 1;
        f.stdout(`${v}\n`);
        return 0;
      }
      f.stdout(Object.entries(all).map(([k, v]) => `${k}=${v}\n`).join(''));
      return 0;
    }
    case 'cat': {
      let st = 0;
      for (const p of args) {
        const c = fs.get(p);
        if (c === undefined) {
          f.stderr(`cat: can't open '${p}': No such file or directory\n`);
          st = 1;
        } else f.stdout(c);
      }
      return st;
    }
    case 'touch':
      for (const p of args.filter((a) => !a.startsWith('-'))) if (!fs.has(p)) fs.set(p, '');
      return 0;
    case 'mkdir':
      return 0;
    case 'rm': {
      const force = args.some((a) => /^-\w*f/.test(a));
      let st = 0;
      for (const p of args.filter((a) => !a.startsWith('-'))) {
        if (!fs.delete(p) && !force) {
          f.stderr(`rm: can't remove '${p}': No such file or directory\n`);
          st = 1;
        }
      }
      return st;
    }
    case 'ls': {
      const paths = args.filter((a) => !a.startsWith('-'));
      let st = 0;
      for (const p of paths) {
        if (fs.has(p)) f.stdout(`${p}\n`);
        else {
          const children = [...fs.keys()].filter((k) => k.startsWith(p.endsWith('/') ? p : `${p}/`));
          if (children.length) f.stdout(children.map((c) => c.slice(p.replace(/\/$/, '').length + 1)).join('\n') + '\n');
          else {
            f.stderr(`ls: ${p}: No such file or directory\n`);
            st = 1;
          }
        }
      }
      return st;
    }
    case 'test':
    case '[': {
      const a = cmd === '[' ? args.slice(0, -1) : args;
      return evalTest(fs, a) ? 0 : 1;
    }
    case 'sh':
    case 'bash':
    case 'ash': {
      const i = args.indexOf('-c');
      if (i < 0) return 0; // no stdin: an interactive shell without a terminal exits at once
      return runScript({ ...f.env, stdout: f.stdout, stderr: f.stderr }, args[i + 1] ?? '');
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

function evalTest(fs: Map<string, string>, a: string[]): boolean {
  if (a[0] === '!') return !evalTest(fs, a.slice(1));
  if (a.length === 2 && (a[0] === '-f' || a[0] === '-e')) return fs.has(a[1]);
  if (a.length === 2 && a[0] === '-s') return (fs.get(a[1]) ?? '').length > 0;
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

/** run a script to completion; resolves with the exit status */
export async function runScript(env: ShellEnv, script: string): Promise<number> {
  let nodes: Node[];
  try {
    nodes = parseScript(script);
  } catch (err) {
    env.stderr(`${env.shell ?? 'sh'}: ${(err as Error).message}\n`);
    return 2;
  }
  const f: Frame = { env, vars: {}, status: 0, stdout: env.stdout, stderr: env.stderr };
  try {
    return await runList(f, nodes);
  } catch (err) {
    if (err instanceof ExitSignal) return err.code;
    throw err;
  }
}

/** run an argv (not a script): `["cat", "/tmp/healthy"]`, `["sh", "-c", "…"]` */
export async function runArgv(env: ShellEnv, argv: string[]): Promise<number> {
  const f: Frame = { env, vars: {}, status: 0, stdout: env.stdout, stderr: env.stderr };
  try {
    return await builtin(f, argv);
  } catch (err) {
    if (err instanceof ExitSignal) return err.code;
    throw err;
  }
}
