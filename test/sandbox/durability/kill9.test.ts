/**
 * End-to-end durability of `kube-tutor serve` (the acceptance point): `kill -9` of the
 * real process during a burst of up to 1,000 creates from 4 concurrent clients, then a restart on
 * the same state dir: every create that got a 201 is there (same uid and resourceVersion),
 * resourceVersions keep increasing, the state loads. Repeated on the same dir, so each restart
 * also recovers from the previous crash's leftovers (torn tail, stale LOCK).
 *
 * Also: SIGTERM during a burst flushes, releases the lock and exits 0; `--reset` gives a fresh
 * cluster (and is refused while another serve holds the dir); a state dir whose FORMAT is newer
 * makes `serve` exit 1 with a message that mentions --reset.
 *
 * Nothing here depends on wall-clock timing: the kill is triggered by the count of acknowledged
 * creates, and every wait is for an event (ready line, exit); timers are only safety nets.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'kube-tutor');
/** safety nets only (slow 2-core CI); no assertion depends on them */
const READY_TIMEOUT_MS = 45_000;
const EXIT_TIMEOUT_MS = 30_000;

const CLIENTS = 4;
const BURST = 1000; // creates planned per round, split among the clients

beforeAll(() => {
  if (!fs.existsSync(join(ROOT, 'dist', 'main.js'))) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  }
}, 120_000);

// ---------------------------------------------------------------------------------------------
// child process management

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Serve {
  child: ChildProcess;
  url: string;
  kubeconfig: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
}

const children = new Set<ChildProcess>();
const tmpDirs: string[] = [];

afterEach(async () => {
  // only the processes this file started, by handle
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    }
  }
  children.clear();
});

afterAll(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(join(tmpdir(), 'kt-durability-'));
  tmpDirs.push(d);
  return d;
}

function spawnServe(stateDir: string, kubeconfig: string, extra: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'serve', '--state', stateDir, '--kubeconfig', kubeconfig, '--port', '0', ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    // 'close': the exit status AND all of stdout/stderr have been read
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, exited, stdout: () => out, stderr: () => err };
}

const READY_RE = /kube-tutor sandbox ready at (https:\/\/127\.0\.0\.1:\d+) \(kubeconfig: (.*)\)\n/;

/** starts `serve` and resolves once it printed its ready line */
async function startServe(stateDir: string, extra: string[] = []): Promise<Serve> {
  const kubeconfig = join(stateDir, 'kc');
  const p = spawnServe(stateDir, kubeconfig, extra);
  const m = await new Promise<RegExpExecArray>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`serve not ready after ${READY_TIMEOUT_MS} ms; stderr: ${p.stderr()}`)), READY_TIMEOUT_MS);
    const check = () => {
      const m = READY_RE.exec(p.stdout());
      if (m) {
        clearTimeout(guard);
        p.child.stdout!.off('data', check);
        resolve(m);
      }
    };
    p.child.stdout!.on('data', check);
    p.exited.then((e) => {
      clearTimeout(guard);
      reject(new Error(`serve exited before ready (${e.code}/${e.signal}); stderr: ${p.stderr()}`));
    }, reject);
    check();
  });
  expect(m[2]).toBe(kubeconfig);
  return { ...p, url: m[1], kubeconfig };
}

/** runs `serve` expecting it to exit by itself (startup failure) */
async function runServeToExit(stateDir: string, extra: string[] = []): Promise<Exit & { stdout: string; stderr: string }> {
  const p = spawnServe(stateDir, join(stateDir, 'kc'), extra);
  const guard = setTimeout(() => p.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  const e = await p.exited;
  clearTimeout(guard);
  return { ...e, stdout: p.stdout(), stderr: p.stderr() };
}

async function stop(s: Serve, signal: NodeJS.Signals): Promise<Exit> {
  const guard = setTimeout(() => s.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  s.child.kill(signal);
  const e = await s.exited;
  clearTimeout(guard);
  return e;
}

// ---------------------------------------------------------------------------------------------
// API clients

function coreApi(s: Serve): k8s.CoreV1Api {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(s.kubeconfig);
  expect(kc.getCurrentCluster()?.server).toBe(s.url);
  return kc.makeApiClient(k8s.CoreV1Api);
}

interface Acked {
  rv: number;
  uid: string;
}

interface BurstResult {
  /** name -> what the 201 said */
  acked: Map<string, Acked>;
  /** every name a create was sent for (acked or not) */
  attempted: Set<string>;
  /** errors before the stop trigger: none expected */
  unexpected: string[];
  /** creates that got a 2xx other than 201: none expected */
  non201: string[];
}

/**
 * `CLIENTS` independent clients (each its own KubeConfig/ApiClient) create ConfigMaps in a loop,
 * one request in flight each, `BURST` in total. Once `triggerAt` creates are acknowledged,
 * `trigger()` is called (once) and the clients send nothing more; errors after the trigger are
 * expected (connection reset/refused), errors before it are recorded as unexpected.
 */
async function burst(s: Serve, prefix: string, triggerAt: number, trigger: () => void): Promise<BurstResult> {
  const res: BurstResult = { acked: new Map(), attempted: new Set(), unexpected: [], non201: [] };
  let triggered = false;
  const perClient = Math.ceil(BURST / CLIENTS);
  const client = async (c: number) => {
    const api = coreApi(s);
    for (let i = 0; i < perClient && !triggered; i++) {
      const name = `${prefix}-c${c}-${i}`;
      res.attempted.add(name);
      try {
        const r = await api.createNamespacedConfigMapWithHttpInfo({
          namespace: 'default',
          body: { metadata: { name, labels: { burst: prefix } }, data: { client: String(c), seq: String(i) } },
        });
        if (r.httpStatusCode !== 201) {
          res.non201.push(`${name}: ${r.httpStatusCode}`);
          continue;
        }
        res.acked.set(name, { rv: Number(r.data.metadata!.resourceVersion), uid: r.data.metadata!.uid! });
        if (!triggered && res.acked.size >= triggerAt) {
          triggered = true;
          trigger();
        }
      } catch (e) {
        if (!triggered) res.unexpected.push(`${name}: ${(e as Error).message}`);
        return; // the server is gone (or broken): this client stops
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  return res;
}

async function listConfigMaps(api: k8s.CoreV1Api): Promise<{ items: Map<string, k8s.V1ConfigMap>; listRv: number }> {
  const l = await api.listNamespacedConfigMap({ namespace: 'default' });
  return { items: new Map(l.items.map((o) => [o.metadata!.name!, o])), listRv: Number(l.metadata!.resourceVersion) };
}

const maxOf = (xs: Iterable<number>) => Math.max(0, ...xs);

// ---------------------------------------------------------------------------------------------

describe('serve: kill -9 during a burst of creates', () => {
  it('keeps every acknowledged create and keeps resourceVersions increasing, over 3 crash/restart cycles', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const allAcked = new Map<string, Acked>();
    const allAttempted = new Set<string>();
    let maxSeenRv = 0; // highest rv any client has seen so far (acks, lists, probes)

    let s = await startServe(dir);
    for (const [round, killAt] of [300, 120, 200].entries()) {
      const prefix = `k${round}`;
      const b = await burst(s, prefix, killAt, () => s.child.kill('SIGKILL'));
      const exit = await s.exited;

      expect(b.unexpected).toEqual([]);
      expect(b.non201).toEqual([]);
      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      expect(b.acked.size).toBeGreaterThanOrEqual(killAt);
      // the kill landed mid-burst: at most the other clients' in-flight creates were acked after it
      expect(b.acked.size).toBeLessThanOrEqual(killAt + CLIENTS - 1);
      // every ack has its own resourceVersion, all above anything seen before the round
      const rvs = [...b.acked.values()].map((a) => a.rv);
      expect(new Set(rvs).size).toBe(rvs.length);
      expect(Math.min(...rvs)).toBeGreaterThan(maxSeenRv);
      for (const [n, a] of b.acked) allAcked.set(n, a);
      for (const n of b.attempted) allAttempted.add(n);
      maxSeenRv = Math.max(maxSeenRv, ...rvs);

      // restart on the same dir: must load (taking over the dead process's lock)
      s = await startServe(dir);
      const api = coreApi(s);
      const { items, listRv } = await listConfigMaps(api);

      // every acknowledged create of every round so far is there, unchanged
      const missing = [...allAcked].filter(([n]) => !items.has(n)).map(([n]) => n);
      expect(missing, `acked creates lost after kill -9 #${round + 1}`).toEqual([]);
      for (const [n, a] of allAcked) {
        const o = items.get(n)!;
        expect({ name: n, rv: Number(o.metadata!.resourceVersion), uid: o.metadata!.uid }).toEqual({ name: n, ...a });
      }
      // nothing appeared that no client ever asked for
      const burstNames = [...items.keys()].filter((n) => /^k\d+-c\d+-\d+$/.test(n));
      expect(burstNames.filter((n) => !allAttempted.has(n))).toEqual([]);

      // the list rv covers everything stored, including every ack
      const maxStoredRv = maxOf([...items.values()].map((o) => Number(o.metadata!.resourceVersion)));
      expect(listRv).toBeGreaterThanOrEqual(maxStoredRv);
      expect(listRv).toBeGreaterThanOrEqual(maxSeenRv);

      // resourceVersions keep increasing: a new write gets an rv above everything acked before the crash
      const probe = await api.createNamespacedConfigMapWithHttpInfo({ namespace: 'default', body: { metadata: { name: `probe-${round}` } } });
      expect(probe.httpStatusCode).toBe(201);
      const probeRv = Number(probe.data.metadata!.resourceVersion);
      expect(probeRv).toBeGreaterThan(maxSeenRv);
      expect(probeRv).toBeGreaterThan(listRv);
      maxSeenRv = probeRv;

      // and the server answers normally: read back, update, delete, duplicate create is a 409
      const got = await api.readNamespacedConfigMap({ namespace: 'default', name: `probe-${round}` });
      expect(got.metadata!.uid).toBe(probe.data.metadata!.uid);
      const upd = await api.replaceNamespacedConfigMap({
        namespace: 'default', name: `probe-${round}`, body: { ...got, data: { round: String(round) } },
      });
      expect(Number(upd.metadata!.resourceVersion)).toBeGreaterThan(probeRv);
      maxSeenRv = Number(upd.metadata!.resourceVersion);
      const someAcked = [...b.acked.keys()][0];
      await expect(
        api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: someAcked } } }),
      ).rejects.toMatchObject({ code: 409 });
      const ns = await api.listNamespace();
      expect(ns.items.map((n) => n.metadata!.name)).toEqual(expect.arrayContaining(['default', 'kube-system']));
    }

    // the last restarted server still works and stops cleanly
    expect(await stop(s, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(allAcked.size).toBeGreaterThanOrEqual(300 + 120 + 200);
  });
});

describe('serve: SIGTERM', () => {
  it('during a burst: exits 0, releases the lock, and every acknowledged create survives', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    let s = await startServe(dir);
    const b = await burst(s, 'term', 100, () => s.child.kill('SIGTERM'));
    const exit = await s.exited;
    expect(b.unexpected).toEqual([]);
    expect(b.non201).toEqual([]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toBe('');
    expect(b.acked.size).toBeGreaterThanOrEqual(100);
    // a clean stop leaves no lock behind (only files the store knows)
    expect(fs.readdirSync(join(dir, 'store')).filter((n) => n.startsWith('LOCK'))).toEqual([]);

    s = await startServe(dir);
    const api = coreApi(s);
    const { items } = await listConfigMaps(api);
    const missing = [...b.acked.keys()].filter((n) => !items.has(n));
    expect(missing).toEqual([]);
    for (const [n, a] of b.acked) expect(Number(items.get(n)!.metadata!.resourceVersion)).toBe(a.rv);
    const probe = await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after-term' } } });
    expect(Number(probe.metadata!.resourceVersion)).toBeGreaterThan(maxOf([...b.acked.values()].map((a) => a.rv)));
    expect(await stop(s, 'SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('when idle: exits 0 and the next start sees the same cluster', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    let s = await startServe(dir);
    let api = coreApi(s);
    const made = await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'kept' }, data: { a: 'b' } } });
    expect(await stop(s, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toBe('');

    s = await startServe(dir);
    api = coreApi(s);
    const got = await api.readNamespacedConfigMap({ namespace: 'default', name: 'kept' });
    expect(got.metadata!.uid).toBe(made.metadata!.uid);
    expect(got.metadata!.resourceVersion).toBe(made.metadata!.resourceVersion);
    expect(got.data).toEqual({ a: 'b' });
    expect(await stop(s, 'SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

describe('serve --reset', () => {
  it('starts a fresh cluster on the same dir (credentials kept), and is refused while another serve holds the dir', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    let s = await startServe(dir);
    let api = coreApi(s);
    await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'old-cluster' } } });
    const nsBefore = (await api.listNamespace()).items.map((n) => n.metadata!.name).sort();
    const nodesBefore = (await api.listNode()).items.length;

    // --reset while the dir is in use: refused, and the running cluster is untouched
    const refused = await runServeToExit(dir, ['--reset']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).not.toMatch(READY_RE);
    expect(refused.stderr).toMatch(/in use by another kube-tutor process/);
    expect((await api.readNamespacedConfigMap({ namespace: 'default', name: 'old-cluster' })).metadata!.name).toBe('old-cluster');
    // ... and the same is true without --reset: one dir, one server
    const locked = await runServeToExit(dir);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/in use by another kube-tutor process/);

    expect(await stop(s, 'SIGTERM')).toEqual({ code: 0, signal: null });
    const token = fs.readFileSync(join(dir, 'pki', 'token'), 'utf8');

    s = await startServe(dir, ['--reset']);
    api = coreApi(s);
    await expect(api.readNamespacedConfigMap({ namespace: 'default', name: 'old-cluster' })).rejects.toMatchObject({ code: 404 });
    // a freshly seeded cluster: same namespaces and nodes as a new one
    expect((await api.listNamespace()).items.map((n) => n.metadata!.name).sort()).toEqual(nsBefore);
    expect((await api.listNode()).items.length).toBe(nodesBefore);
    expect((await api.listNamespacedService({ namespace: 'default' })).items.map((x) => x.metadata!.name)).toContain('kubernetes');
    expect(fs.readFileSync(join(dir, 'pki', 'token'), 'utf8')).toBe(token);
    // the fresh cluster is itself persisted
    await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'new-cluster' } } });
    expect(await stop(s, 'SIGTERM')).toEqual({ code: 0, signal: null });
    s = await startServe(dir);
    api = coreApi(s);
    expect((await api.readNamespacedConfigMap({ namespace: 'default', name: 'new-cluster' })).metadata!.name).toBe('new-cluster');
    await expect(api.readNamespacedConfigMap({ namespace: 'default', name: 'old-cluster' })).rejects.toMatchObject({ code: 404 });
    expect(await stop(s, 'SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

describe('serve on a state dir written by a newer kube-tutor', () => {
  it('exits 1 with a message mentioning --reset, leaves the dir alone, and --reset recovers', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    let s = await startServe(dir);
    let api = coreApi(s);
    await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-the-future' } } });
    expect(await stop(s, 'SIGTERM')).toEqual({ code: 0, signal: null });

    const formatFile = join(dir, 'store', 'FORMAT');
    expect(fs.readFileSync(formatFile, 'utf8')).toBe('kube-tutor state format 1\n');
    fs.writeFileSync(formatFile, 'kube-tutor state format 2\n');
    const before = Object.fromEntries(fs.readdirSync(join(dir, 'store')).map((n) => [n, fs.readFileSync(join(dir, 'store', n))]));

    const r = await runServeToExit(dir);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(READY_RE);
    expect(r.stderr).toMatch(/newer/);
    expect(r.stderr).toContain('--reset');
    // refused without touching anything (no lock left behind, no file rewritten)
    const after = Object.fromEntries(fs.readdirSync(join(dir, 'store')).map((n) => [n, fs.readFileSync(join(dir, 'store', n))]));
    expect(after).toEqual(before);

    s = await startServe(dir, ['--reset']);
    api = coreApi(s);
    await expect(api.readNamespacedConfigMap({ namespace: 'default', name: 'from-the-future' })).rejects.toMatchObject({ code: 404 });
    expect(fs.readFileSync(formatFile, 'utf8')).toBe('kube-tutor state format 1\n');
    expect(await stop(s, 'SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
