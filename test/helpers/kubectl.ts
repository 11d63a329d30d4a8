/**
 * Harness for driving the sandbox with the REAL kubectl binaries.
 *
 * - `findKubectlBinaries()` locates `kubectl.1.27` … `kubectl.1.33`, which sit beside the target of the
 *   `kubectl` on PATH (a dispatcher). `KUBECTL_BIN_DIR` overrides the directory.
 * - `startKubectlEnv(bin)` starts one in-process sandbox (ephemeral, random port, 3 nodes), writes its
 *   kubeconfig to a fresh temp dir and gives every kubectl run a fresh `--cache-dir` (the discovery cache is
 *   keyed by host:port, so it must never be shared between sandboxes).
 * - `env.run([...args])` runs kubectl with execFile (no shell), KUBECONFIG set, HOME untouched, a 20 s timeout,
 *   and returns stdout, stderr and the exit code (never throws for a non-zero exit).
 * - `startServedKubectlEnv(bin, { speed })` instead runs the built CLI, `kube-tutor serve --ephemeral --speed X`,
 *   as a child process (the way a learner does), with `env.tutor([...])` / `env.warp('15m')` for
 *   `kube-tutor sandbox …`. Both environments share `KubectlRunner` (run, ok, getJson, spawn, …).
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

export const KUBECTL_TIMEOUT_MS = 20_000;

export interface KubectlBinary {
  /** "1.27" */
  version: string;
  /** absolute path of kubectl.1.27 */
  path: string;
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  /** exit code; -1 when killed (timeout) */
  code: number;
  /** "kubectl.1.33 get pods" (for assertion messages) */
  cmd: string;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** the directory that holds kubectl.1.XX: beside the resolved target of the `kubectl` on PATH */
export function kubectlBinDir(): string | undefined {
  const override = process.env.KUBECTL_BIN_DIR;
  if (override) return override;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'kubectl');
    if (!isExecutable(candidate)) continue;
    try {
      return dirname(realpathSync(candidate));
    } catch {
      continue;
    }
  }
  return undefined;
}

/** the versioned kubectl binaries found (only those asked for, in that order) */
export function findKubectlBinaries(versions: string[] = ['1.27', '1.33']): KubectlBinary[] {
  const dir = kubectlBinDir();
  if (!dir) return [];
  const out: KubectlBinary[] = [];
  for (const version of versions) {
    const path = join(dir, `kubectl.${version}`);
    if (isExecutable(path)) out.push({ version, path });
  }
  return out;
}

export interface RunOptions {
  /** extra environment variables (merged over process.env + KUBECONFIG) */
  env?: Record<string, string>;
  /** written to kubectl's stdin, then closed */
  stdin?: string;
  timeoutMs?: number;
}

/** a `kubectl … -w` style long-running process whose stdout can be awaited line by line */
export interface StreamingKubectl {
  child: ChildProcessWithoutNullStreams;
  /** everything printed so far */
  stdout(): string;
  stderr(): string;
  /** resolves with the whole stdout once it matches (rejects after timeoutMs); a function gets the stdout so far */
  waitFor(pattern: RegExp | string | ((stdout: string) => boolean), timeoutMs?: number): Promise<string>;
  /** kill the process (SIGTERM) and wait for it to exit */
  kill(): Promise<void>;
}

/**
 * What every kubectl environment offers (run, ok, getJson, spawn, …), whatever runs the cluster:
 * `KubectlEnv` (an in-process sandbox) or `ServedKubectlEnv` (a `kube-tutor serve` child process).
 */
export abstract class KubectlRunner {
  private counter = 0;

  constructor(
    readonly bin: KubectlBinary,
    /** temp dir: kubeconfig, cache dir, manifests */
    readonly dir: string,
    readonly kubeconfigPath: string,
    readonly cacheDir: string,
  ) {}

  abstract close(): Promise<void>;

  private envFor(extra?: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: this.kubeconfigPath, ...extra };
    // never let a developer's editor or kubectl plugins/config leak in
    delete env.KUBECTL_EXTERNAL_DIFF;
    if (!extra?.KUBE_EDITOR) delete env.KUBE_EDITOR;
    return env;
  }

  private argv(args: string[]): string[] {
    return [`--cache-dir=${this.cacheDir}`, ...args];
  }

  /** run kubectl to completion */
  run(args: string[], opts: RunOptions = {}): Promise<KubectlResult> {
    const cmd = `kubectl.${this.bin.version} ${args.join(' ')}`;
    return new Promise((resolve) => {
      const child = execFile(
        this.bin.path,
        this.argv(args),
        { env: this.envFor(opts.env), timeout: opts.timeoutMs ?? KUBECTL_TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024, killSignal: 'SIGKILL' },
        (err, stdout, stderr) => {
          let code = 0;
          if (err) {
            const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
            code = typeof e.code === 'number' ? e.code : -1;
            if (e.killed) stderr = `${stderr}\n[harness] killed after ${opts.timeoutMs ?? KUBECTL_TIMEOUT_MS} ms`;
          }
          resolve({ stdout: String(stdout), stderr: String(stderr), code, cmd });
        },
      );
      if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
      else child.stdin?.end();
    });
  }

  /** run kubectl and fail (with its output in the message) unless it exits 0 */
  async ok(args: string[], opts: RunOptions = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.code !== 0) {
      throw new Error(`${r.cmd} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
    }
    return r.stdout;
  }

  /** `kubectl get … -o json`, parsed */
  async getJson<T = any>(args: string[]): Promise<T> {
    return JSON.parse(await this.ok(['get', ...args, '-o', 'json'])) as T;
  }

  /** write a file into this environment's temp dir; returns its path */
  writeFile(name: string, content: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }

  /** a unique name with the given prefix (unique within this environment) */
  unique(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}`;
  }

  /** start a long-running kubectl (e.g. `get pods -w`) */
  spawn(args: string[], opts: RunOptions = {}): StreamingKubectl {
    const child = spawn(this.bin.path, this.argv(args), { env: this.envFor(opts.env), stdio: 'pipe' });
    let out = '';
    let err = '';
    const waiters: (() => void)[] = [];
    const notify = () => {
      for (const w of waiters.splice(0)) w();
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      notify();
    });
    child.stderr.on('data', (d: string) => {
      err += d;
      notify();
    });
    let exited = false;
    const exitP = new Promise<void>((resolve) =>
      child.on('exit', () => {
        exited = true;
        notify();
        resolve();
      }),
    );
    // a hard upper bound so a broken watch can never outlive the test run
    const hardKill = setTimeout(() => child.kill('SIGKILL'), 120_000);
    hardKill.unref();
    exitP.then(() => clearTimeout(hardKill));
    child.stdin.end();

    const matches = (p: RegExp | string | ((stdout: string) => boolean)) =>
      typeof p === 'string' ? out.includes(p) : typeof p === 'function' ? p(out) : p.test(out);
    return {
      child,
      stdout: () => out,
      stderr: () => err,
      waitFor: (pattern, timeoutMs = KUBECTL_TIMEOUT_MS) =>
        new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new Error(`timed out waiting for ${String(pattern)}\n--- stdout\n${out}\n--- stderr\n${err}`));
          }, timeoutMs);
          const check = () => {
            if (matches(pattern)) {
              clearTimeout(timer);
              resolve(out);
            } else if (exited) {
              clearTimeout(timer);
              reject(new Error(`kubectl exited before printing ${String(pattern)}\n--- stdout\n${out}\n--- stderr\n${err}`));
            } else {
              waiters.push(check);
            }
          };
          check();
        }),
      kill: async () => {
        if (!exited) child.kill('SIGTERM');
        await exitP;
      },
    };
  }

}

export class KubectlEnv extends KubectlRunner {
  constructor(
    bin: KubectlBinary,
    readonly sandbox: Sandbox,
    dir: string,
    kubeconfigPath: string,
    cacheDir: string,
  ) {
    super(bin, dir, kubeconfigPath, cacheDir);
  }

  async close(): Promise<void> {
    await this.sandbox.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** the repository root (test/helpers/../..) and its `bin/kube-tutor` (runs the built bundle dist/main.js) */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const KUBE_TUTOR_BIN = join(REPO_ROOT, 'bin', 'kube-tutor');

/** whether the built bundle that `bin/kube-tutor` runs exists (`node scripts/build.mjs`) */
export function kubeTutorBuilt(): boolean {
  return existsSync(join(REPO_ROOT, 'dist', 'main.js'));
}

export interface ServeOptions {
  /** `--speed` (default 60) */
  speed?: number;
  /** `--nodes` (default 3) */
  nodes?: number;
  /** how long to wait for the "sandbox ready" line (default 30 s) */
  startTimeoutMs?: number;
}

/** kubectl against a real `kube-tutor serve --ephemeral` child process (the way a learner runs it) */
export class ServedKubectlEnv extends KubectlRunner {
  constructor(
    bin: KubectlBinary,
    readonly child: ChildProcessWithoutNullStreams,
    /** https://127.0.0.1:PORT, from the ready line */
    readonly url: string,
    dir: string,
    kubeconfigPath: string,
    cacheDir: string,
    private readonly output: () => string,
  ) {
    super(bin, dir, kubeconfigPath, cacheDir);
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** everything the serve process printed so far (stdout + stderr) */
  serveOutput(): string {
    return this.output();
  }

  /** run `kube-tutor <args> --kubeconfig <this kubeconfig>` to completion (never throws for a non-zero exit) */
  tutor(args: string[], timeoutMs = 30_000): Promise<KubectlResult> {
    const cmd = `kube-tutor ${args.join(' ')}`;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [KUBE_TUTOR_BIN, ...args, '--kubeconfig', this.kubeconfigPath],
        { timeout: timeoutMs, killSignal: 'SIGKILL' },
        (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
          resolve({ stdout: String(stdout), stderr: String(stderr), code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, cmd });
        },
      );
    });
  }

  /** `kube-tutor sandbox warp DURATION`; fails unless it exits 0 */
  async warp(duration: string): Promise<string> {
    const r = await this.tutor(['sandbox', 'warp', duration]);
    if (r.code !== 0) throw new Error(`${r.cmd} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
    return r.stdout;
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * start `node bin/kube-tutor serve --ephemeral --kubeconfig K --speed X` as a child process (needs the
 * built bundle, see `kubeTutorBuilt()`), wait for its ready line and return a kubectl environment for it
 */
export async function startServedKubectlEnv(bin: KubectlBinary, opts: ServeOptions = {}): Promise<ServedKubectlEnv> {
  const dir = mkdtempSync(join(tmpdir(), `kube-tutor-serve-${bin.version}-`));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const cacheDir = mkdtempSync(join(dir, 'cache-'));
  const args = [KUBE_TUTOR_BIN, 'serve', '--ephemeral', '--kubeconfig', kubeconfigPath, '--speed', String(opts.speed ?? 60)];
  if (opts.nodes !== undefined) args.push('--nodes', String(opts.nodes));
  const child = spawn(process.execPath, args, { stdio: 'pipe', cwd: REPO_ROOT });
  child.stdin.end();
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kube-tutor serve printed no ready line in time\n${out}`));
    }, opts.startTimeoutMs ?? 30_000);
    const onData = (d: string) => {
      out += d;
      const m = /kube-tutor sandbox ready at (https:\/\/\S+) \(kubeconfig: /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: string) => (out += d));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`kube-tutor serve exited (${code ?? signal}) before it was ready\n${out}`));
    });
  });
  return new ServedKubectlEnv(bin, child, url, dir, kubeconfigPath, cacheDir, () => out);
}

/** start a sandbox (3 worker nodes, ephemeral, random port) and a kubectl environment pointing at it */
export async function startKubectlEnv(bin: KubectlBinary): Promise<KubectlEnv> {
  const sandbox = await startSandbox({ nodes: 3 });
  const dir = mkdtempSync(join(tmpdir(), `kube-tutor-kubectl-${bin.version}-`));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, sandbox.kubeconfig(), { mode: 0o600 });
  const cacheDir = mkdtempSync(join(dir, 'cache-'));
  return new KubectlEnv(bin, sandbox, dir, kubeconfigPath, cacheDir);
}

/** the first line of a table (header), split into column names */
export function tableHeader(out: string): string[] {
  const first = out.split('\n').find((l) => l.trim() !== '') ?? '';
  return first.trim().split(/\s{2,}/);
}

/** the rows of a table (no header), each split into cells on runs of 2+ spaces */
export function tableRows(out: string): string[][] {
  return out
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s{2,}/));
}

/** parse a table into objects keyed by header name (works when no cell is blank) */
export function parseTable(out: string): Record<string, string>[] {
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  if (!lines.length) return [];
  const header = lines[0];
  // column start offsets from the header
  const starts: number[] = [];
  const names: string[] = [];
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header))) {
    starts.push(m.index);
    names.push(m[0]);
  }
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    names.forEach((n, i) => {
      row[n] = line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim();
    });
    return row;
  });
}

/** remove ANSI colour escapes (kubectl 1.27 `cluster-info` colours its output unconditionally) */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
