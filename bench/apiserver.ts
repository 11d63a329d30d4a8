/**
 * API server benchmark: boot time, request latency, kubectl overhead and memory of the sandbox.
 *
 *   node bench/run.mjs apiserver            # full run (~1-2 min)
 *   node bench/run.mjs apiserver --quick    # fewer samples
 *   node bench/run.mjs apiserver --dist     # time `bin/kube-tutor` against the existing dist/ as-is
 *   node bench/run.mjs apiserver --cpu-prof # + a CPU profile in bench/.tmp/prof/
 *                                           #   (summary: node bench/profile-summary.mjs <file>)
 *
 * Boot: by default the CLI is built from the current src/ with the project's own
 * scripts/build.mjs into a private bench/.tmp/cli/ (so a stale or concurrently rebuilt dist/ does
 * not skew it, and dist/ is never touched), then `node <that>/bin/kube-tutor serve --ephemeral
 * --kubeconfig <tmp> --port 0` is timed from spawn to its ready line.
 * Latency: client-node 1.4 against an in-process `startSandbox()`. Each client-node call opens a
 * fresh TLS connection (client-node builds a new https.Agent per request); the raw https.request
 * rows do the same via `kc.applyToHTTPSOptions()` so the JSON and Table rows are comparable.
 * Benchmarks print figures with PASS/MISS next to targets; they never fail (exit code 0).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, copyFileSync, chmodSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.js';
import type { KObject } from '../src/sandbox/apiserver/types.js';

// ----------------------------------------------------------------------------- setup

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const USE_DIST = argv.includes('--dist');
// bench/.tmp/apiserver.mjs (bundled) or bench/apiserver.ts: the repo root is two levels up either way
const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, here.endsWith('.tmp') ? '../..' : '..');
const TMP = mkdtempSync(join(tmpdir(), 'kt-bench-'));

const TARGET_READY_MS = 300;
const TARGET_TABLE10K_MS = 150;
const TARGET_RSS_MB = 300;

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}
const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => quantile(sortNum(xs), 0.5);
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 1)} ms` : 'n/a');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const pad = (s: string, n: number) => s.padEnd(n);

/** run fn `warm` times untimed, then `n` times timed (sequentially); returns sorted ms */
async function sample(n: number, warm: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warm; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return sortNum(out);
}

function section(title: string): void {
  console.log(`\n== ${title}`);
}

// ----------------------------------------------------------------------------- 1. boot

/** wall time of a process from spawn until it exits */
function timeExit(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: env ?? process.env });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', rej);
    p.on('exit', (code) => (code === 0 ? res(performance.now() - t0) : rej(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

/** run a process to completion without blocking this event loop (the in-process server must keep serving) */
function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', rej);
    p.on('exit', (status) => res({ status, stdout, stderr }));
  });
}

/** wall time from spawning `kube-tutor serve` to its ready line; the process is then stopped */
function timeServeReady(bin: string, i: number): Promise<number> {
  const kubeconfig = join(TMP, `serve-${i}.kubeconfig`);
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [bin, 'serve', '--ephemeral', '--kubeconfig', kubeconfig, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no ready line after 20 s; stdout=${out} stderr=${err}`)), 20_000);
    function finish(e: Error | null, t?: number) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      p.once('exit', () => (e ? rej(e) : res(t!)));
      if (p.exitCode !== null || p.signalCode !== null) p.emit('exit');
      else p.kill('SIGTERM');
    }
    p.stdout.on('data', (d) => {
      out += d;
      if (out.includes('sandbox ready at')) finish(null, performance.now() - t0);
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('error', (e) => finish(e));
    p.on('exit', (code) => finish(new Error(`serve exited ${code} before ready: ${err}`)));
  });
}

/** build the CLI from the current src/ with the project's build script, into bench/.tmp/cli */
function buildPrivateCli(): string {
  const root = join(ROOT, 'bench', '.tmp', 'cli');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'bin'), { recursive: true });
  // scripts/build.mjs works on cwd-relative src/ and dist/; esbuild follows the symlink to the real src/
  symlinkSync(join(ROOT, 'src'), join(root, 'src'));
  copyFileSync(join(ROOT, 'bin', 'kube-tutor'), join(root, 'bin', 'kube-tutor'));
  chmodSync(join(root, 'bin', 'kube-tutor'), 0o755);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CLI build failed: ${r.stderr}`);
  return join(root, 'bin', 'kube-tutor');
}

async function bootBench(): Promise<{ readyMs: number }> {
  section('boot-to-ready');
  const bin = USE_DIST ? join(ROOT, 'bin', 'kube-tutor') : buildPrivateCli();
  console.log(`binary: ${bin}${USE_DIST ? ' (existing dist/, as-is)' : ' (fresh build of src/ via scripts/build.mjs)'}`);
  const N = 5;
  const baseline: number[] = [];
  const ready: number[] = [];
  // interleave so machine noise hits both series alike; one untimed warm-up each (page cache)
  await timeExit(process.execPath, ['-e', '']);
  await timeServeReady(bin, -1);
  for (let i = 0; i < N; i++) {
    baseline.push(await timeExit(process.execPath, ['-e', '']));
    ready.push(await timeServeReady(bin, i));
  }
  const b = median(baseline);
  const r = median(ready);
  console.log(`node -e ""   process start→exit  median of ${N}: ${ms(b)}   [${sortNum(baseline).map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`kube-tutor serve  spawn→ready     median of ${N}: ${ms(r)}   [${sortNum(ready).map((x) => x.toFixed(0)).join(', ')}]   target < ${TARGET_READY_MS} ms: ${verdict(r < TARGET_READY_MS)}`);
  console.log(`ratio serve-ready / node baseline: ${(r / b).toFixed(2)}x   (serve beyond node start: ${ms(r - b)})`);

  const inproc: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const sb = await startSandbox({ nodes: 3 });
    inproc.push(performance.now() - t0);
    await sb.close();
  }
  console.log(`in-process startSandbox({nodes:3}) median of ${N}: ${ms(median(inproc))}   [${inproc.map((x) => x.toFixed(1)).join(', ')}] (first call first)`);
  return { readyMs: r };
}

// ----------------------------------------------------------------------------- 2. populate

function podManifest(name: string, namespace: string, i: number): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name, namespace,
      labels: { app: `web-${i % 10}`, tier: 'frontend', 'pod-template-hash': '5d7c9b8f6d' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' },
    },
    spec: {
      containers: [{
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'MODE', value: 'bench' }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
      }],
    },
  } as KObject;
}

async function populate(sb: Sandbox): Promise<void> {
  const nsRt = sb.registry.forKind('', 'Namespace')!;
  const podRt = sb.registry.forKind('', 'Pod')!;
  for (const ns of ['bench', 'bench100', 'bench10k']) {
    await sb.store.create(nsRt, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KObject);
  }
  const t0 = performance.now();
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < 100; i++) writes.push(sb.store.create(podRt, 'bench100', podManifest(`pod-${String(i).padStart(5, '0')}`, 'bench100', i)));
  for (let i = 0; i < 10_000; i++) writes.push(sb.store.create(podRt, 'bench10k', podManifest(`pod-${String(i).padStart(5, '0')}`, 'bench10k', i)));
  writes.push(sb.store.create(podRt, 'bench', podManifest('one', 'bench', 0)));
  await Promise.all(writes);
  const dt = performance.now() - t0;
  console.log(`populated 10,101 pods in-process via store.create in ${ms(dt)} (${(10_101 / (dt / 1000)).toFixed(0)} pods/s)`);
}

// ----------------------------------------------------------------------------- 3. latency

/** GET through https.request with client-node's own TLS/auth options (a fresh agent per call, like client-node) */
async function rawGet(kc: KubeConfig, path: string, accept: string): Promise<{ status: number; bytes: number; body: Buffer }> {
  const url = new URL(kc.getCurrentCluster()!.server + path);
  const opts: RequestOptions = { method: 'GET', hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: { Accept: accept } };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((res, rej) => {
    const req = request(opts, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        const body = Buffer.concat(chunks);
        res({ status: r.statusCode ?? 0, bytes: body.length, body });
      });
      r.on('error', rej);
    });
    req.on('error', rej);
    req.end();
  });
}

/** raw GET + JSON.parse: the work a client does for a table (kubectl prints from the parsed Table) */
async function rawGetParsed(kc: KubeConfig, path: string, accept: string): Promise<any> {
  const r = await rawGet(kc, path, accept);
  if (r.status !== 200) throw new Error(`GET ${path} (${accept}) -> ${r.status}: ${r.body.toString().slice(0, 300)}`);
  return JSON.parse(r.body.toString('utf8'));
}

interface Row { name: string; sorted: number[]; note?: string }
function printHeader(): void {
  console.log(`${pad('request', 52)} ${pad('n', 5)} ${pad('p50', 10)} ${pad('p99', 10)} note`);
}
function printRow(r: Row): void {
  {
    console.log(`${pad(r.name, 52)} ${pad(String(r.sorted.length), 5)} ${pad(ms(quantile(r.sorted, 0.5)), 10)} ${pad(ms(quantile(r.sorted, 0.99)), 10)} ${r.note ?? ''}`);
  }
}

async function latencyBench(sb: Sandbox, kc: KubeConfig): Promise<{ table10kP50: number; table10kP99: number; table100P50: number }> {
  section('latency (client-node 1.4, in-process server, fresh TLS connection per request as client-node does)');
  const core = kc.makeApiClient(CoreV1Api);
  const k = QUICK ? 0.2 : 1;
  const n = (x: number) => Math.max(10, Math.round(x * k));

  // sanity: the Table endpoint answers a Table with the right row count
  const t100 = await rawGetParsed(kc, '/api/v1/namespaces/bench100/pods', TABLE_ACCEPT);
  const t10k = await rawGetParsed(kc, '/api/v1/namespaces/bench10k/pods', TABLE_ACCEPT);
  if (t100.kind !== 'Table' || t100.rows?.length !== 100) throw new Error(`bench100 Table: kind=${t100.kind} rows=${t100.rows?.length}`);
  if (t10k.kind !== 'Table' || t10k.rows?.length !== 10_000) throw new Error(`bench10k Table: kind=${t10k.kind} rows=${t10k.rows?.length}`);
  const size = async (p: string, a: string) => ((await rawGet(kc, p, a)).bytes / 1024).toFixed(0) + ' KiB';

  const rows: Row[] = [];
  printHeader();
  const push = (r: Row) => {
    rows.push(r);
    printRow(r);
  };
  push({ name: 'get pod (client-node readNamespacedPod)', sorted: await sample(n(500), 20, () => core.readNamespacedPod({ name: 'pod-00000', namespace: 'bench100' })) });
  push({ name: 'list 100 pods JSON (client-node listNamespacedPod)', sorted: await sample(n(300), 10, () => core.listNamespacedPod({ namespace: 'bench100' })) });
  push({ name: 'list 100 pods JSON (raw https + JSON.parse)', sorted: await sample(n(300), 10, () => rawGetParsed(kc, '/api/v1/namespaces/bench100/pods', 'application/json')), note: await size('/api/v1/namespaces/bench100/pods', 'application/json') });
  push({ name: 'list 100 pods Table (raw https + JSON.parse)', sorted: await sample(n(300), 10, () => rawGetParsed(kc, '/api/v1/namespaces/bench100/pods', TABLE_ACCEPT)), note: await size('/api/v1/namespaces/bench100/pods', TABLE_ACCEPT) });
  push({ name: 'list 10,000 pods JSON (client-node listNamespacedPod)', sorted: await sample(n(50), 3, () => core.listNamespacedPod({ namespace: 'bench10k' })) });
  push({ name: 'list 10,000 pods JSON (raw https + JSON.parse)', sorted: await sample(n(50), 3, () => rawGetParsed(kc, '/api/v1/namespaces/bench10k/pods', 'application/json')), note: await size('/api/v1/namespaces/bench10k/pods', 'application/json') });
  const table10k = await sample(n(100), 3, () => rawGetParsed(kc, '/api/v1/namespaces/bench10k/pods', TABLE_ACCEPT));
  push({ name: 'list 10,000 pods Table (raw https + JSON.parse)', sorted: table10k, note: (await size('/api/v1/namespaces/bench10k/pods', TABLE_ACCEPT)) + `   target p50 < ${TARGET_TABLE10K_MS} ms: ${verdict(quantile(table10k, 0.5) < TARGET_TABLE10K_MS)}` });
  let seq = 0;
  push({
    name: 'create pod (client-node createNamespacedPod)',
    sorted: await sample(n(500), 20, () => core.createNamespacedPod({ namespace: 'bench', body: podManifest(`created-${seq++}`, 'bench', seq) as any })),
  });
  const t100row = rows.find((r) => r.name.startsWith('list 100 pods Table'))!;
  return { table10kP50: quantile(table10k, 0.5), table10kP99: quantile(table10k, 0.99), table100P50: quantile(t100row.sorted, 0.5) };
}

// ----------------------------------------------------------------------------- 4. kubectl

function kubectlBinary(): string | undefined {
  const r = spawnSync('sh', ['-c', 'readlink -f "$(command -v kubectl)"'], { encoding: 'utf8' });
  const dir = dirname(r.stdout.trim());
  const p = join(dir, 'kubectl.1.33');
  if (existsSync(p)) return p;
  const w = spawnSync('sh', ['-c', 'command -v kubectl.1.33'], { encoding: 'utf8' }).stdout.trim();
  return w || undefined;
}

async function kubectlBench(sb: Sandbox, table100P50: number): Promise<void> {
  section('kubectl process vs in-process request (get pods, 100 pods, Table)');
  const kubectl = kubectlBinary();
  if (!kubectl) {
    console.log('kubectl.1.33 not found: skipped');
    return;
  }
  const kubeconfig = join(TMP, 'bench.kubeconfig');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(kubeconfig, sb.kubeconfig(), { mode: 0o600 });
  const cacheDir = join(TMP, 'kubectl-cache');
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: TMP };
  const getArgs = ['get', 'pods', '-n', 'bench100', '--kubeconfig', kubeconfig, '--cache-dir', cacheDir];
  // warm the discovery cache once, and check the output (async: the server lives in this event loop)
  const first = await run(kubectl, getArgs, env);
  const lines = first.stdout.trim().split('\n');
  if (first.status !== 0 || lines.length !== 101) throw new Error(`kubectl get pods: status ${first.status}, ${lines.length} lines; ${first.stderr}`);
  const N = QUICK ? 5 : 15;
  const ver: number[] = [];
  const get: number[] = [];
  await timeExit(kubectl, ['version', '--client']);
  for (let i = 0; i < N; i++) {
    ver.push(await timeExit(kubectl, ['version', '--client'], env));
    get.push(await timeExit(kubectl, getArgs, env));
  }
  const v = median(ver);
  const g = median(get);
  console.log(`binary: ${kubectl}`);
  console.log(`kubectl.1.33 version --client          median of ${N}: ${ms(v)}`);
  console.log(`kubectl.1.33 get pods -n bench100      median of ${N}: ${ms(g)}   (warm --cache-dir; beyond process baseline: ${ms(g - v)})`);
  console.log(`client-node Table list of 100 pods     p50: ${ms(table100P50)}`);
  console.log(`ratio kubectl process / in-process request: ${(g / table100P50).toFixed(1)}x   (kubectl minus its baseline / request: ${((g - v) / table100P50).toFixed(1)}x)`);
}

// ----------------------------------------------------------------------------- 5. memory

function rssMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().rss / 1024 / 1024;
}

// ----------------------------------------------------------------------------- main

async function main(): Promise<void> {
  console.log(`kube-tutor apiserver bench  node ${process.version}  ${new Date().toISOString()}${QUICK ? '  (--quick)' : ''}`);
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (at start; absolute figures scale with load, the ratios less so)`);
  console.log(`GC exposed: ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'yes (RSS after gc())' : 'no (RSS as is)'}`);
  const { readyMs } = await bootBench();

  section('populate');
  const rssBefore = rssMB();
  const sb = await startSandbox({ nodes: 3 });
  const rssEmpty = rssMB();
  await populate(sb);
  // the target figure: right after populating, before the latency runs inflate the RSS high-water mark
  const rssPods = rssMB();
  const heapPods = process.memoryUsage().heapUsed / 1048576;
  const kc = new KubeConfig();
  kc.loadFromString(sb.kubeconfig());

  const lat = await latencyBench(sb, kc);
  await kubectlBench(sb, lat.table100P50);

  section('memory (in-process: bench + client-node + sandbox)');
  const rss = rssPods;
  const rssEnd = rssMB();
  const heap = process.memoryUsage();
  console.log(`RSS before sandbox: ${rssBefore.toFixed(0)} MB (after the boot runs); empty sandbox: ${rssEmpty.toFixed(0)} MB`);
  console.log(`RSS with 10,101 pods (after populate, gc): ${rss.toFixed(0)} MB, heapUsed ${heapPods.toFixed(0)} MB   target < ${TARGET_RSS_MB} MB: ${verdict(rss < TARGET_RSS_MB)}`);
  console.log(`RSS at end of the latency runs (gc; high-water of 16 MB responses): ${rssEnd.toFixed(0)} MB; heapUsed ${(heap.heapUsed / 1048576).toFixed(0)} MB, heapTotal ${(heap.heapTotal / 1048576).toFixed(0)} MB, external ${(heap.external / 1048576).toFixed(0)} MB`);

  section('summary');
  console.log(`ready (spawn→ready line, median of 5)   ${pad(ms(readyMs), 10)} target < ${TARGET_READY_MS} ms   ${verdict(readyMs < TARGET_READY_MS)}`);
  console.log(`list 10,000 pods as Table (p50 / p99)   ${pad(ms(lat.table10kP50), 10)} / ${ms(lat.table10kP99)}  target < ${TARGET_TABLE10K_MS} ms   ${verdict(lat.table10kP50 < TARGET_TABLE10K_MS)}`);
  console.log(`RSS with 10,000 pods                    ${pad(rss.toFixed(0) + ' MB', 10)} target < ${TARGET_RSS_MB} MB   ${verdict(rss < TARGET_RSS_MB)}`);

  await sb.close();
}

try {
  await main();
} catch (err) {
  console.error('bench error:', err);
} finally {
  rmSync(TMP, { recursive: true, force: true });
}
process.exit(0);
