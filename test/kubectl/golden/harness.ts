/**
 * Golden comparison harness: two identical sandboxes (same seed, same manual clock time, same
 * nodes), one driven by REAL kubectl and one by ours. A case's setup runs with real kubectl on
 * both; then the command under test runs with real kubectl on A and with ours on B, and stdout,
 * stderr and exit code must match after masking what legitimately differs (ages, times, uids,
 * generated names).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { ManualClock } from '../../../src/sandbox/clock.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/sandbox.js';
import { run as runOurs, Session } from '../../../src/kubectl/index.js';
import type { KubectlBinary } from '../../helpers/kubectl.js';

export interface GoldenVariant {
  name: string;
  nodes: number;
  /** the namespace the kubeconfig's context points at (created when not default) */
  namespace: string;
  seed: number;
}

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Side {
  sandbox: Sandbox;
  clock: ManualClock;
  kubeconfig: string;
}

export class GoldenPair {
  private constructor(
    readonly bin: KubectlBinary,
    readonly variant: GoldenVariant,
    readonly dir: string,
    readonly real: Side,
    readonly ours: Side,
    readonly session: Session,
  ) {}

  static async start(bin: KubectlBinary, variant: GoldenVariant): Promise<GoldenPair> {
    const dir = mkdtempSync(join(tmpdir(), 'kt-golden-'));
    const side = async (label: string): Promise<Side> => {
      const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));
      const sandbox = await startSandbox({ nodes: variant.nodes, clock, seed: variant.seed });
      const doc = parseYaml(sandbox.kubeconfig());
      for (const c of doc.contexts ?? []) c.context.namespace = variant.namespace;
      const kubeconfig = join(dir, `${label}.kubeconfig`);
      writeFileSync(kubeconfig, toYaml(doc), { mode: 0o600 });
      return { sandbox, clock, kubeconfig };
    };
    const [real, ours] = await Promise.all([side('real'), side('ours')]);
    const session = new Session({ env: { ...process.env, KUBECONFIG: ours.kubeconfig }, cwd: dir, confirmDestructive: false });
    const pair = new GoldenPair(bin, variant, dir, real, ours, session);
    await pair.settle();
    if (variant.namespace !== 'default') await pair.setup([`create namespace ${variant.namespace}`]);
    return pair;
  }

  /** let both clusters reach a steady state at the same simulated time */
  async settle(advanceMs = 0): Promise<void> {
    for (const s of [this.real, this.ours]) {
      if (advanceMs) await s.clock.advance(advanceMs);
      await s.clock.settle();
    }
  }

  writeFile(name: string, content: string): string {
    const p = join(this.dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    return p;
  }

  realKubectl(side: Side, args: string[], stdin?: string, env?: Record<string, string>): Promise<Outcome> {
    return new Promise((resolve) => {
      const child = execFile(
        this.bin.path,
        args,
        { cwd: this.dir, env: { ...process.env, ...env, KUBECONFIG: side.kubeconfig }, timeout: 20_000, killSignal: 'SIGKILL' },
        (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
          resolve({ stdout: String(stdout), stderr: String(stderr), code: e ? (typeof e.code === 'number' ? e.code : -1) : 0 });
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
      else child.stdin?.end();
    });
  }

  /** a session of our kubectl on one side (setup and effect checks run in-process: identical on both sides, and fast) */
  private sideSession(side: Side): Session {
    return side === this.ours ? this.session : (this.realSession ??= new Session({ env: { ...process.env, KUBECONFIG: this.real.kubeconfig }, cwd: this.dir, confirmDestructive: false, hints: false }));
  }
  private realSession?: Session;

  /**
   * Setup commands on both clusters, each must succeed. They run through our kubectl on both sides
   * (the same commands are themselves golden cases), so both clusters get exactly the same requests.
   */
  async setup(commands: string[]): Promise<void> {
    for (const c of commands) {
      const args = splitArgs(c);
      for (const side of [this.real, this.ours]) {
        const r = await runOurs(args, this.sideSession(side));
        if (r.exitCode !== 0) throw new Error(`setup "${c}" failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
      }
      await this.settle();
    }
  }

  /** the command under test on both sides */
  async compare(command: string, stdin?: string, env?: Record<string, string>): Promise<{ real: Outcome; ours: Outcome }> {
    const args = splitArgs(command);
    const real = await this.realKubectl(this.real, ['--cache-dir', join(this.dir, 'cache-real'), ...args], stdin, env);
    const session = env ? new Session({ env: { ...this.session.env, ...env }, cwd: this.dir, confirmDestructive: false }) : this.session;
    const r = await runOurs(args, session, stdin !== undefined ? { stdin: stringStdin(stdin) } : {});
    await this.settle();
    return { real: mask(real), ours: mask({ stdout: r.stdout, stderr: r.stderr, code: r.exitCode }) };
  }

  /** a read-only command on both clusters (the same client on both: compares the effect of a command) */
  async readBoth(command: string): Promise<{ real: Outcome; ours: Outcome }> {
    const args = splitArgs(command);
    const [real, ours] = await Promise.all([runOurs(args, this.sideSession(this.real)), runOurs(args, this.sideSession(this.ours))]);
    const o = (r: { stdout: string; stderr: string; exitCode: number }) => mask({ stdout: r.stdout, stderr: r.stderr, code: r.exitCode });
    return { real: o(real), ours: o(ours) };
  }

  async close(): Promise<void> {
    await this.real.sandbox.close();
    await this.ours.sandbox.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function stringStdin(text: string) {
  return {
    readAll: async () => text,
    on: (event: string, cb: (c?: Buffer) => void) => {
      queueMicrotask(() => (event === 'data' ? cb(Buffer.from(text)) : event === 'end' ? cb() : undefined));
    },
  } as never;
}

/** split a case's command like a shell would (quotes only; cases use no variables) */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  let cur = '';
  let last = -1;
  while ((m = re.exec(line))) {
    const piece = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!);
    if (m.index === last) cur += piece;
    else {
      if (last >= 0) out.push(cur);
      cur = piece;
    }
    last = re.lastIndex;
  }
  if (last >= 0) out.push(cur);
  return out;
}

/** mask what differs between two identical clusters and between two clients */
export function mask(o: Outcome): Outcome {
  const m = (s: string) =>
    s
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uid>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>')
      .replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\b/g, '<time>')
      .replace(/[^\s"]*kubectl(?:\.\d+\.\d+)?-edit-\d+\.(yaml|json)/g, '<edit-file>.$1')
      .replace(/https:\/\/127\.0\.0\.1:\d+/g, 'https://127.0.0.1:<port>')
      .replace(/127\.0\.0\.1:\d{4,5}\b/g, '127.0.0.1:<port>')
      .replace(/\bkube-api-access-[a-z0-9]{5}\b/g, 'kube-api-access-<id>')
      .replace(/resourceVersion: "\d+"/g, 'resourceVersion: "<rv>"')
      .replace(/"resourceVersion": "\d+"/g, '"resourceVersion": "<rv>"');
  return { stdout: m(o.stdout), stderr: m(o.stderr), code: o.code };
}
