/**
 * Cluster benchmark: how fast the sandbox's control plane turns a `scale --replicas=1000` into
 * Running pods, how watch events fan out to many watchers, and the memory of 10,000 Running pods.
 *
 *   node bench/run.mjs cluster                 # full run: 100 workers, 1,000-pod scale, 50 watchers, RSS at 10,000 pods
 *   node bench/run.mjs cluster --quick         # 20 workers, 1,000-pod scale, fewer fan-out events, RSS at 2,000 pods
 *   node bench/run.mjs cluster --clock scaled --speed 1000   # real timers at that speed instead of the manual clock
 *   node bench/run.mjs cluster --cpu-prof      # + a CPU profile in bench/.tmp/prof/
 *   node bench/run.mjs cluster --quick --only scale --prof-scale   # the scale alone, profiled (bench/.tmp/prof/scale-*.cpuprofile)
 *   options: --nodes N (workers), --replicas N (scale target, default 1000), --rss-pods N, --watchers N, --events N
 *
 * "--speed unlimited": every wait in the sandbox (pod sandbox setup, image pull, create, start, heartbeats)
 * is a timer on its Clock. By default the bench injects a ManualClock and advances it in a loop
 * (`await clock.advance(STEP)` until the target is reached), so simulated delays cost no wall time
 * and only the sandbox's own work (API server, scheduler, controllers, kubelets, watch fan-out) is
 * timed. ManualClock.advance() lets setImmediate run between timers, so HTTP requests and work queues
 * proceed as they do with a real clock. A huge ScaledClock speed (1e6) does not measure the sandbox:
 * each node's 10 s lease-renew timer becomes due every 10 µs of wall time, so ScaledClock.fireDue()
 * never leaves its loop (measured: startSandbox({speed: 1e6, nodes: 10}) printed nothing in 120 s);
 * `--clock scaled --speed N` is there for moderate speeds (100 works).
 *
 * The scale is done like `kubectl scale rc bench --replicas=1000`: a client-node PATCH (merge patch)
 * of the RC's scale subresource. "Running" = phase Running and condition Ready=True, counted from
 * store events (store.subscribe), i.e. the moment the kubelet's status write commits.
 * RSS: the RC path is quadratic in the pods of its namespace (each RC sync lists and scans them all),
 * so by default the pods beyond the RC's are ownerless pods created in-process (`--rss-mode rc` scales
 * the RC instead). Benchmarks print figures; they never fail (exit code 0).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CoreV1Api, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from '@kubernetes/client-node';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.js';
import { ManualClock, ScaledClock } from '../src/sandbox/clock.js';
import type { KObject } from '../src/sandbox/apiserver/types.js';
import type { StoreEvent } from '../src/sandbox/apiserver/store.js';

// ----------------------------------------------------------------------------- setup

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
function opt(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
const CLOCK = (opt('clock') ?? 'manual') as 'manual' | 'scaled';
const SPEED = Number(opt('speed') ?? 1000);
const REPLICAS = Number(opt('replicas') ?? 1000);
const RSS_PODS = Number(opt('rss-pods') ?? (QUICK ? 2000 : 10_000));
const WATCHERS = Number(opt('watchers') ?? 50);
const EVENTS = Number(opt('events') ?? (QUICK ? 100 : 300));
/** allocatable pods per node is 110 (bootstrap/nodes.ts NODE_CAPACITY), minus the kube-proxy and kindnet daemon pods */
const PODS_PER_NODE = 108;
const NODES = Number(opt('nodes') ?? Math.max(QUICK ? 20 : 100, Math.ceil(Math.max(REPLICAS, RSS_PODS) / PODS_PER_NODE) + 1));
const STEP_MS = 1000;
const TIMEOUT_MS = Number(opt('timeout') ?? 15 * 60) * 1000;
/** rc: scale the RC further; bare: create ownerless pods in-process (store.create), see main() */
const RSS_MODE = (opt('rss-mode') ?? 'bare') as 'rc' | 'bare';
/** `--only scale`: stop after the scale figure (for profiles of the pod start path) */
const ONLY = opt('only');
/** `--prof-scale`: a CPU profile of the scale alone (node:inspector), written to bench/.tmp/prof/scale-<time>.cpuprofile */
const PROF_SCALE = argv.includes('--prof-scale');
const KWOK_PODS_PER_S = 20;
const NS = 'bench';

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}
const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(Math.abs(x) < 10 ? 2 : 1)} ms` : 'n/a');
const pad = (s: string, n: number) => s.padEnd(n);
const section = (t: string) => console.log(`\n== ${t}`);

function rssMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().rss / 1048576;
}

/** start the V8 CPU profiler in this process; the returned function stops it and writes the profile */
async function startProfile(): Promise<() => Promise<string>> {
  const { Session } = await import('node:inspector');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) =>
    session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    session.disconnect();
    const dir = join(dirname(fileURLToPath(import.meta.url)), 'prof');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `scale-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };
}

// ----------------------------------------------------------------------------- readiness tracking

const isReady = (p: KObject) =>
  p.status?.phase === 'Running' && !p.metadata.deletionTimestamp &&
  (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

/** counts Running+Ready pods in a namespace (of one RC, if named) from store events; `until(n)` resolves when n are ready */
class ReadyCounter {
  readonly ready = new Set<string>();
  private waiters: { n: number; resolve: () => void }[] = [];
  private unsubscribe: () => void;
  constructor(sb: Sandbox, private readonly ns: string, private readonly rcName?: string) {
    this.unsubscribe = sb.store.subscribe((e: StoreEvent) => this.onEvent(e));
  }
  private onEvent(e: StoreEvent): void {
    const o = e.object;
    if (e.rt.kind !== 'Pod' || o.metadata.namespace !== this.ns) return;
    if (this.rcName && !(o.metadata.ownerReferences ?? []).some((r: { name: string }) => r.name === this.rcName)) return;
    const name = o.metadata.name!;
    if (e.type !== 'DELETED' && isReady(o)) this.ready.add(name);
    else this.ready.delete(name);
    for (const w of [...this.waiters]) {
      if (this.ready.size >= w.n) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }
  until(n: number): Promise<void> {
    if (this.ready.size >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  stop(): void {
    this.unsubscribe();
  }
}

/** drive the clock until `done` (manual: advance in a loop; scaled: just wait) */
async function drive(sb: Sandbox, done: Promise<void>, timeoutMs: number, progress?: () => string): Promise<{ simMs: number; timedOut: boolean }> {
  const sim0 = sb.clock.now();
  let finished = false;
  void done.then(() => (finished = true));
  const t0 = performance.now();
  let lastLog = t0;
  const tick = () => {
    const now = performance.now();
    if (progress && now - lastLog > 10_000) {
      lastLog = now;
      console.log(`  … ${((now - t0) / 1000).toFixed(0)} s: ${progress()}`);
    }
  };
  if (sb.clock instanceof ManualClock) {
    while (!finished && performance.now() - t0 < timeoutMs) {
      await sb.clock.advance(STEP_MS);
      tick();
    }
  } else {
    const iv = setInterval(tick, 1000);
    await Promise.race([done, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    clearInterval(iv);
  }
  return { simMs: sb.clock.now() - sim0, timedOut: !finished };
}

// ----------------------------------------------------------------------------- 1. scale

function rcManifest(name: string, replicas: number): any {
  return {
    apiVersion: 'v1', kind: 'ReplicationController',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { app: name },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{
            name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }],
            resources: { requests: { cpu: '1m', memory: '1Mi' } },
          }],
        },
      },
    },
  };
}

async function scaleTo(core: CoreV1Api, name: string, replicas: number): Promise<void> {
  await core.patchNamespacedReplicationControllerScale(
    { name, namespace: NS, body: { spec: { replicas } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

interface ScaleResult { pods: number; wallMs: number; cpuMs?: number; simMs: number; podsPerS: number; timedOut: boolean }

/** scale `rc` from its current ready count to `to` replicas; wall time from the PATCH to `to` pods Running+Ready */
async function timedScale(sb: Sandbox, core: CoreV1Api, counter: ReadyCounter, rc: string, to: number): Promise<ScaleResult> {
  const from = counter.ready.size;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sim0 = sb.clock.now();
  await scaleTo(core, rc, to);
  const r = await drive(sb, counter.until(to), TIMEOUT_MS, () => `${counter.ready.size - from} new pods Running+Ready`);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const pods = counter.ready.size - from;
  return { pods, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, simMs: sb.clock.now() - sim0, podsPerS: pods / (wallMs / 1000), timedOut: r.timedOut };
}

// ----------------------------------------------------------------------------- 2. watch fan-out

interface FanOut { watchers: number; events: number; fromResponse: number[]; fromRequest: number[]; missing: number }

/**
 * `watchers` client-node Watch streams on pods in a fresh namespace; then EVENTS pods are created
 * one after another with client-node (each awaited). Latency per (pod, watcher): receipt of the
 * ADDED event minus the create's response (and minus its request start). The watchers run in this
 * process, so their JSON parsing shares the event loop with the server, as in any in-process test.
 */
async function fanOut(sb: Sandbox, kc: KubeConfig, core: CoreV1Api, watchers: number, events: number, ns: string): Promise<FanOut> {
  await core.createNamespace({ body: { metadata: { name: ns } } });
  const received = new Map<string, number[]>(); // pod -> receipt times
  const aborts: AbortController[] = [];
  let established = 0;
  const markers = new Set<number>();
  for (let w = 0; w < watchers; w++) {
    const watch = new Watch(kc);
    const ac = await watch.watch(`/api/v1/namespaces/${ns}/pods`, {}, (type, obj) => {
      const t = performance.now();
      if (type !== 'ADDED') return;
      const name = obj?.metadata?.name as string;
      if (name === `marker-${w}`) {
        markers.add(w);
        return;
      }
      let arr = received.get(name);
      if (!arr) received.set(name, (arr = []));
      arr.push(t);
    }, () => {});
    aborts.push(ac);
    established++;
  }
  // make sure every stream is live: each sees a marker pod created after it connected
  const podRt = sb.registry.forKind('', 'Pod')!;
  for (let w = 0; w < watchers; w++) {
    await sb.store.create(podRt, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `marker-${w}`, namespace: ns }, spec: { containers: [{ name: 'c', image: 'busybox' }], nodeSelector: { none: 'none' } } } as KObject);
  }
  const tEnd = performance.now() + 30_000;
  while (markers.size < watchers && performance.now() < tEnd) await new Promise((r) => setTimeout(r, 5));
  for (const m of [...received.keys()]) received.delete(m);

  const sent = new Map<string, { t0: number; t1: number }>();
  for (let i = 0; i < events; i++) {
    const name = `fan-${i}`;
    const t0 = performance.now();
    // unschedulable (nodeSelector matches no node) so the kubelets do not add their own writes
    await core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name, labels: { app: 'fan' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], nodeSelector: { none: 'none' } } },
    });
    sent.set(name, { t0, t1: performance.now() });
  }
  // let the last events arrive
  const deadline = performance.now() + 10_000;
  const complete = () => [...sent.keys()].every((n) => (received.get(n)?.length ?? 0) >= watchers);
  while (!complete() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  for (const ac of aborts) ac.abort();

  const fromResponse: number[] = [];
  const fromRequest: number[] = [];
  let missing = 0;
  for (const [name, { t0, t1 }] of sent) {
    const got = received.get(name) ?? [];
    missing += Math.max(0, watchers - got.length);
    for (const t of got) {
      fromResponse.push(t - t1);
      fromRequest.push(t - t0);
    }
  }
  if (established !== watchers || markers.size !== watchers) console.log(`warning: ${markers.size}/${watchers} watch streams confirmed live`);
  return { watchers, events, fromResponse: sortNum(fromResponse), fromRequest: sortNum(fromRequest), missing };
}

function printFan(f: FanOut): void {
  const r = f.fromResponse;
  const q = f.fromRequest;
  console.log(
    `${pad(`${f.watchers} watcher${f.watchers > 1 ? 's' : ''} × ${f.events} creates`, 26)} ` +
    `after response p50 ${pad(ms(quantile(r, 0.5)), 10)} p99 ${pad(ms(quantile(r, 0.99)), 10)} max ${pad(ms(r[r.length - 1]), 10)} | ` +
    `after request start p50 ${pad(ms(quantile(q, 0.5)), 10)} p99 ${pad(ms(quantile(q, 0.99)), 10)} (${r.length} deliveries, ${f.missing} missing)`,
  );
}

// ----------------------------------------------------------------------------- main

async function main(): Promise<void> {
  console.log(`kube-tutor cluster bench  node ${process.version}  ${new Date().toISOString()}${QUICK ? '  (--quick)' : ''}`);
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (at start)`);
  console.log(`GC exposed: ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'yes (RSS after gc())' : 'no (RSS as is)'}`);
  const clockDesc = CLOCK === 'manual'
    ? `ManualClock advanced in ${STEP_MS} ms steps in a loop ("speed unlimited": simulated delays cost no wall time; only sandbox work is timed)`
    : `ScaledClock speed ${SPEED} (real timers)`;
  console.log(`clock: ${clockDesc}`);
  console.log(`cluster: ${NODES} workers + control plane (110 pods allocatable per node, ${PODS_PER_NODE} after the 2 daemon pods)`);
  if (RSS_PODS > NODES * PODS_PER_NODE) console.log(`note: ${RSS_PODS} pods exceed the ${NODES * PODS_PER_NODE} pod slots of ${NODES} workers; the excess stays Pending`);

  const rssBefore = rssMB();
  const t0 = performance.now();
  const sb = await startSandbox({ nodes: NODES, seed: 1, ...(CLOCK === 'manual' ? { clock: new ManualClock() } : { speed: SPEED }) });
  const bootMs = performance.now() - t0;
  // let the bootstrap settle (daemon pods, coredns) before the baseline
  if (sb.clock instanceof ManualClock) for (let i = 0; i < 30; i++) await sb.clock.advance(STEP_MS);
  else await new Promise((r) => setTimeout(r, 500));
  const rssEmpty = rssMB();
  console.log(`startSandbox: ${ms(bootMs)}; RSS before sandbox ${rssBefore.toFixed(0)} MB, empty sandbox (settled) ${rssEmpty.toFixed(0)} MB`);

  const kc = new KubeConfig();
  kc.loadFromString(sb.kubeconfig());
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });

  // ---- 1. scale 1 -> REPLICAS
  section(`scale rc --replicas=${REPLICAS} (client-node PATCH of the scale subresource → ${REPLICAS} pods Running+Ready)`);
  const counter = new ReadyCounter(sb, NS, 'bench');
  await core.createNamespacedReplicationController({ namespace: NS, body: rcManifest('bench', 1) });
  const first = await drive(sb, counter.until(1), 60_000);
  if (first.timedOut) throw new Error('the first replica never became Ready');
  console.log(`replicas=1 Ready after ${(first.simMs / 1000).toFixed(1)} s simulated`);
  const writes = new Map<string, number>();
  const stopCount = sb.store.subscribe((e: StoreEvent) => {
    const k = `${e.rt.kind} ${e.type}${e.type === 'MODIFIED' && e.rt.kind === 'Pod' && e.old?.spec?.nodeName !== e.object.spec?.nodeName ? ' (bind)' : ''}`;
    writes.set(k, (writes.get(k) ?? 0) + 1);
  });
  const prof = PROF_SCALE ? await startProfile() : undefined;
  const scale = await timedScale(sb, core, counter, 'bench', REPLICAS);
  if (prof) console.log(`scale profile: ${await prof()}`);
  stopCount();
  console.log(`${scale.pods + 1} pods Running+Ready: ${scale.pods} new in ${ms(scale.wallMs)} wall, ${ms(scale.cpuMs!)} CPU of this process (${(scale.simMs / 1000).toFixed(0)} s simulated)` +
    `${scale.timedOut ? '  TIMED OUT' : ''}`);
  console.log(`→ ${scale.podsPerS.toFixed(0)} pods/s; kwok's published ${KWOK_PODS_PER_S} pods/s → ${(scale.podsPerS / KWOK_PODS_PER_S).toFixed(1)}x`);
  console.log(`store writes during the scale: ${[...writes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (ONLY === 'scale') {
    counter.stop();
    await sb.close();
    return;
  }

  // ---- 2. watch fan-out
  section(`watch fan-out (client-node Watch on pods in a namespace; ${EVENTS} sequential client-node creates)`);
  const one = await fanOut(sb, kc, core, 1, EVENTS, 'fan1');
  printFan(one);
  const many = await fanOut(sb, kc, core, WATCHERS, EVENTS, 'fan50');
  printFan(many);
  const p50Ratio = quantile(many.fromResponse, 0.5) / quantile(one.fromResponse, 0.5);
  const p99Ratio = quantile(many.fromResponse, 0.99) / quantile(one.fromResponse, 0.99);
  console.log(`ratio ${WATCHERS} watchers / 1 watcher (after response): p50 ${p50Ratio.toFixed(1)}x, p99 ${p99Ratio.toFixed(1)}x`);

  // ---- 3. RSS with RSS_PODS Running pods
  section(`RSS with ${RSS_PODS.toLocaleString('en')} Running pods`);
  let big: ScaleResult;
  let rssReady: () => number;
  if (RSS_MODE === 'rc') {
    big = await timedScale(sb, core, counter, 'bench', RSS_PODS);
    console.log(`scaled rc ${REPLICAS} → ${RSS_PODS}: ${big.pods} new pods Running+Ready in ${ms(big.wallMs)} (${big.podsPerS.toFixed(0)} pods/s)${big.timedOut ? '  TIMED OUT' : ''}`);
    rssReady = () => counter.ready.size;
  } else {
    // the RC path is quadratic in the pods of the namespace (see the report), so the other pods are
    // ownerless pods created in-process through store.create (admission, defaults, validation as for
    // an API create); the scheduler and kubelets run them like any pod
    const extra = Math.max(0, RSS_PODS - counter.ready.size);
    const bare = new ReadyCounter(sb, 'bench-rss');
    const nsRt = sb.registry.forKind('', 'Namespace')!;
    const podRt = sb.registry.forKind('', 'Pod')!;
    await sb.store.create(nsRt, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench-rss' } } as KObject);
    const t0 = performance.now();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < extra; i++) {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${String(i).padStart(5, '0')}`, namespace: 'bench-rss', labels: { app: 'rss' } }, spec: rcManifest('x', 0).spec.template.spec } as KObject;
      writes.push(sb.store.create(podRt, 'bench-rss', structuredClone(pod)));
    }
    await Promise.all(writes);
    const created = performance.now() - t0;
    const r = await drive(sb, bare.until(extra), TIMEOUT_MS, () => `${bare.ready.size} bare pods Running+Ready`);
    const wallMs = performance.now() - t0;
    big = { pods: bare.ready.size, wallMs, simMs: r.simMs, podsPerS: bare.ready.size / (wallMs / 1000), timedOut: r.timedOut };
    console.log(`+${extra} ownerless pods: created in ${ms(created)}, all Running+Ready after ${ms(wallMs)} (${big.podsPerS.toFixed(0)} pods/s)${r.timedOut ? '  TIMED OUT' : ''}`);
    rssReady = () => counter.ready.size + bare.ready.size;
  }
  // settle a little (status writes, events) then measure
  if (sb.clock instanceof ManualClock) for (let i = 0; i < 5; i++) await sb.clock.advance(STEP_MS);
  const rssPods = rssMB();
  const heap = process.memoryUsage();
  const podRt = sb.registry.forKind('', 'Pod')!;
  const evRt = sb.registry.forKind('', 'Event')!;
  const allPods = sb.store.list(podRt, undefined).items.length;
  const allEvents = evRt ? sb.store.list(evRt, undefined).items.length : 0;
  console.log(`RSS ${rssPods.toFixed(0)} MB (heapUsed ${(heap.heapUsed / 1048576).toFixed(0)} MB, external ${(heap.external / 1048576).toFixed(0)} MB); ` +
    `store: ${allPods} pods, ${allEvents} events; watch history etc. included`);
  const running = rssReady();
  console.log(`Running+Ready pods: ${running} (${counter.ready.size} of the rc${RSS_MODE === 'bare' ? ` + ${running - counter.ready.size} ownerless` : ''}); ` +
    `per pod (RSS − empty sandbox) / pods: ${(((rssPods - rssEmpty) * 1024) / running).toFixed(1)} KiB`);

  section('summary');
  const row = (what: string, fig: string, base: string) => console.log(`${pad(what, 44)} ${pad(fig, 26)} ${base}`);
  row('figure', 'value', 'baseline');
  row(`scale 1 → ${REPLICAS} Running+Ready`, `${scale.podsPerS.toFixed(0)} pods/s (${(scale.wallMs / 1000).toFixed(2)} s)`, `kwok ${KWOK_PODS_PER_S} pods/s → ${(scale.podsPerS / KWOK_PODS_PER_S).toFixed(1)}x`);
  row(`watch delivery p50, ${WATCHERS} watchers`, ms(quantile(many.fromResponse, 0.5)), `1 watcher ${ms(quantile(one.fromResponse, 0.5))} → ${p50Ratio.toFixed(1)}x`);
  row(`watch delivery p99, ${WATCHERS} watchers`, ms(quantile(many.fromResponse, 0.99)), `1 watcher ${ms(quantile(one.fromResponse, 0.99))} → ${p99Ratio.toFixed(1)}x`);
  row(`RSS at ${running.toLocaleString('en')} Running pods`, `${rssPods.toFixed(0)} MB`, `empty sandbox (${NODES} nodes) ${rssEmpty.toFixed(0)} MB → +${(rssPods - rssEmpty).toFixed(0)} MB`);
  row(RSS_MODE === 'rc' ? `scale ${REPLICAS} → ${RSS_PODS} Running+Ready` : `+${big.pods} ownerless pods Running+Ready`, `${big.podsPerS.toFixed(0)} pods/s (${(big.wallMs / 1000).toFixed(1)} s)`, `kwok ${KWOK_PODS_PER_S} pods/s → ${(big.podsPerS / KWOK_PODS_PER_S).toFixed(1)}x`);

  counter.stop();
  await sb.close();
}

try {
  await main();
} catch (err) {
  console.error('bench error:', err);
}
process.exit(0);
