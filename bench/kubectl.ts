/**
 * Our kubectl (in-process, the way the tutor runs it) vs a real kubectl process, on the same
 * sandbox: per-command latency and the ratio. Also completion latency (p50/p99) from the
 * watch-backed name cache.
 *
 *   node bench/run.mjs kubectl [--runs N]
 *
 * Needs kubectl.1.33 beside the `kubectl` on PATH (or KUBECTL_BIN_DIR). Prints figures; never fails.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { realpathSync } from 'node:fs';
import { Completer } from '../src/kubectl/complete.js';
import { run, Session } from '../src/kubectl/index.js';
import { ManualClock } from '../src/sandbox/clock.js';
import { startSandbox } from '../src/sandbox/sandbox.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;

function kubectlPath(): string {
  const dir = process.env.KUBECTL_BIN_DIR ?? dirname(realpathSync(execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim()));
  return join(dir, 'kubectl.1.33');
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));
const sandbox = await startSandbox({ nodes: 3, clock, seed: 1 });
const dir = mkdtempSync(join(tmpdir(), 'kt-bench-kubectl-'));
const kc = join(dir, 'kubeconfig');
writeFileSync(kc, sandbox.kubeconfig());
const session = new Session({ env: { ...process.env, KUBECONFIG: kc }, cwd: dir, confirmDestructive: false, hints: false });
const bin = kubectlPath();
// async: the sandbox lives in this process, so a blocking call would starve it
const execFileP = promisify(execFile);
const real = async (args: string[]) => {
  try {
    return await execFileP(bin, ['--cache-dir', join(dir, 'cache'), ...args], { env: { ...process.env, KUBECONFIG: kc } });
  } catch (e) {
    throw new Error(`kubectl ${args.join(' ')}: ${String((e as { stderr?: string }).stderr ?? e)}`);
  }
};

// a scenario: an RC with 3 pods, a service, a labelled pod
writeFileSync(join(dir, 'rc.yaml'), `apiVersion: v1
kind: ReplicationController
metadata: {name: kubia}
spec:
  replicas: 3
  selector: {app: kubia}
  template:
    metadata: {labels: {app: kubia}}
    spec: {containers: [{name: kubia, image: luksa/kubia, ports: [{containerPort: 8080}]}]}
`);
await real(['create', '-f', join(dir, 'rc.yaml')]);
await real(['expose', 'rc', 'kubia', '--port=80', '--target-port=8080']);
await clock.advance(30_000);
await clock.settle();

const commands: Array<{ name: string; args: () => string[] }> = [
  { name: 'get pods', args: () => ['get', 'pods'] },
  { name: 'get po -o wide', args: () => ['get', 'po', '-o', 'wide'] },
  { name: 'get svc kubia -o yaml', args: () => ['get', 'svc', 'kubia', '-o', 'yaml'] },
  { name: 'describe rc kubia', args: () => ['describe', 'rc', 'kubia'] },
  { name: 'describe svc kubia', args: () => ['describe', 'svc', 'kubia'] },
  { name: 'label rc kubia tier=web --overwrite', args: () => ['label', 'rc', 'kubia', 'tier=web', '--overwrite'] },
  { name: 'scale rc kubia --replicas=3', args: () => ['scale', 'rc', 'kubia', '--replicas=3'] },
];

// warm both (discovery caches, JIT)
for (const c of commands) {
  await real(c.args());
  await run(c.args(), session);
}

console.log(`kubectl bench: ${RUNS} runs per command, sandbox with 3 nodes; ours in-process vs ${bin.split('/').pop()} as a process`);
console.log(`${'command'.padEnd(40)} ${'ours p50'.padStart(9)} ${'real p50'.padStart(9)}  ratio`);
for (const c of commands) {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const r = await run(c.args(), session);
    ours.push(performance.now() - t);
    if (r.exitCode !== 0) console.log(`  (ours exited ${r.exitCode}: ${r.stderr.trim()})`);
    t = performance.now();
    await real(c.args());
    theirs.push(performance.now() - t);
  }
  const o = pct(ours, 50);
  const r = pct(theirs, 50);
  console.log(`${c.name.padEnd(40)} ${o.toFixed(1).padStart(7)}ms ${r.toFixed(1).padStart(7)}ms  ${(r / o).toFixed(1)}x`);
}

const completer = new Completer(session);
const lines = ['get po ', 'describe rc ', 'get ', 'logs ', 'get po -n ', 'get po --'];
for (const l of lines) await completer.complete(l); // warm the caches (first use lists + watches)
const times: number[] = [];
for (let i = 0; i < RUNS * 20; i++) {
  const l = lines[i % lines.length]!;
  const t = performance.now();
  await completer.complete(l);
  times.push(performance.now() - t);
}
console.log(`completion (${times.length} calls over ${lines.length} lines, warm): p50 ${pct(times, 50).toFixed(2)} ms, p99 ${pct(times, 99).toFixed(2)} ms`);
completer.close();
await sandbox.close();
process.exit(0);
