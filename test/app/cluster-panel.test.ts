/**
 * ClusterWatch against the manual-clock sandbox through our kubectl: a Deployment and its
 * Service show up as pods Running on nodes, Deployment → ReplicaSet → pods, and endpoints on the
 * service; switching the namespace switches the watches; close() ends every watch; an
 * unreachable cluster is retried with a growing backoff, not in a loop.
 */
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClusterWatch, type ClusterState } from '../../src/app/cluster-panel.js';
import { panelView } from '../../src/app/panel/view.js';
import { ApiClient } from '../../src/kubectl/client/api.js';
import { RestClient } from '../../src/kubectl/client/rest.js';
import { Session } from '../../src/kubectl/session.js';
import { startOurs, type OursEnv } from '../helpers/ours.js';

const WAIT = { timeout: 20_000, interval: 20 };

/** the panel's text, colours dropped */
const text = (s: ClusterState, width = 120) =>
  panelView(s, { width, height: 40, lang: 'en' }).lines.map((l) => l.map((x) => x.text).join('')).join('\n');

describe('ClusterWatch on the sandbox', () => {
  let env: OursEnv;
  let watch: ClusterWatch;
  beforeAll(async () => {
    env = await startOurs({ nodes: 2 });
    watch = new ClusterWatch({ session: env.session, coalesceMs: 10, retryMs: { min: 50, max: 500 }, pollMs: 3_600_000 });
  });
  afterAll(async () => {
    watch?.close();
    await env?.close();
  });

  /** run a kubectl line that must succeed */
  const ok = async (line: string) => {
    const r = await env.k(line);
    expect(r.exitCode, r.stderr).toBe(0);
  };

  /** move simulated time until `check` passes on the watch's snapshot */
  const until = (check: (s: ClusterState) => void) =>
    vi.waitFor(async () => {
      await env.clock.advance(2_000);
      check(watch.getSnapshot());
    }, WAIT);

  it('shows the nodes and every resource loaded', async () => {
    await until((s) => {
      expect(Object.values(s.status).every((x) => x === 'ok')).toBe(true);
      expect(s.nodes.length).toBe(3);
    });
    expect(watch.getSnapshot().namespace).toBe('default');
    expect(watch.getSnapshot().services.map((x) => x.name)).toContain('kubernetes');
  });

  it('draws a Deployment and its Service: pods Running on nodes, ownership, endpoints', async () => {
    await ok('create deployment kubia --image=luksa/kubia --replicas=3 --port=8080');
    await ok('expose deployment kubia --port=80 --target-port=8080');
    await until((s) => {
      const pods = s.pods.filter((p) => p.name.startsWith('kubia-'));
      expect(pods.map((p) => p.status)).toEqual(['Running', 'Running', 'Running']);
      expect(pods.every((p) => p.tone === 'ok' && s.nodes.some((n) => n.name === p.node))).toBe(true);
      expect(s.endpointSlices.filter((e) => e.service === 'kubia').flatMap((e) => e.addresses.filter((a) => a.ready))).toHaveLength(3);
      expect(s.controllers.find((c) => c.kind === 'Deployment')).toMatchObject({ name: 'kubia', desired: 3, ready: 3 });
    });
    const s = watch.getSnapshot();
    const deploy = s.controllers.find((c) => c.kind === 'Deployment')!;
    const rs = s.controllers.find((c) => c.kind === 'ReplicaSet')!;
    expect(rs.owner?.uid).toBe(deploy.uid);
    expect(s.pods.filter((p) => p.owner?.uid === rs.uid)).toHaveLength(3);
    const ips = s.pods.filter((p) => p.name.startsWith('kubia-')).map((p) => p.ip);
    expect(s.endpointSlices.find((e) => e.service === 'kubia')!.addresses.map((a) => a.ip).sort()).toEqual(ips.sort());

    const drawn = text(s);
    expect(drawn).toMatch(/deploy\/kubia\s+3\/3 ready/);
    expect(drawn).toMatch(new RegExp(`rs/${rs.name}\\s+3/3 ready`));
    expect(drawn).toMatch(/svc\/kubia\s+ClusterIP \d+\.\d+\.\d+\.\d+ 80→8080\/TCP/);
    for (const p of s.pods) expect(drawn).toContain(p.name);
    for (const ip of ips) expect(drawn).toContain(`${ip}:8080`);
  });

  it('follows a scale-down as it happens: Terminating, then gone', async () => {
    await ok('scale deployment kubia --replicas=1');
    await vi.waitFor(() => {
      const s = watch.getSnapshot();
      expect(s.pods.filter((p) => p.status === 'Terminating' && p.tone === 'warn')).toHaveLength(2);
      expect(text(s)).toMatch(/kubia-\S+\s+Terminating/);
    }, WAIT);
    await until((s) => {
      expect(s.pods.filter((p) => p.name.startsWith('kubia-'))).toHaveLength(1);
      expect(s.endpointSlices.find((e) => e.service === 'kubia')!.addresses).toHaveLength(1);
    });
  });

  it('switches its watches when the namespace changes', async () => {
    await ok('create namespace other');
    await ok('run elsewhere --image=luksa/kubia -n other');
    env.session.defaultNamespace = 'other';
    watch.sync();
    await until((s) => {
      expect(s.namespace).toBe('other');
      expect(s.pods.map((p) => p.name)).toEqual(['elsewhere']);
      expect(s.pods[0]!.status).toBe('Running');
      expect(s.controllers).toEqual([]);
      expect(s.services).toEqual([]);
      expect(s.nodes).toHaveLength(3);
    });
    env.session.defaultNamespace = undefined;
    watch.sync();
    await until((s) => {
      expect(s.namespace).toBe('default');
      expect(s.controllers.map((c) => c.kind)).toContain('Deployment');
    });
  });
});

describe('ClusterWatch lifecycle', () => {
  let env: OursEnv;
  beforeAll(async () => {
    env = await startOurs({ nodes: 1 });
  });
  afterAll(async () => {
    await env?.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('close() ends every watch it opened and starts no more', async () => {
    const opened: Promise<void>[] = [];
    const watchFn = ApiClient.prototype.watch;
    vi.spyOn(ApiClient.prototype, 'watch').mockImplementation(function (this: ApiClient, ...args) {
      const p = watchFn.apply(this, args);
      opened.push(p);
      return p;
    });
    const watch = new ClusterWatch({ session: env.session, coalesceMs: 10, retryMs: { min: 50, max: 500 }, pollMs: 3_600_000 });
    await vi.waitFor(() => expect(opened).toHaveLength(11), WAIT);
    watch.close();
    await Promise.all(opened);
    watch.sync();
    expect(opened).toHaveLength(11);
  });

  it('backs off while the cluster is unreachable', async () => {
    // a port nobody listens on
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const kubeconfig = join(env.dir, 'unreachable');
    writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{name: gone, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: gone, context: {cluster: gone, user: u}}]
current-context: gone
`);
    const session = new Session({ env: { ...process.env, KUBECONFIG: kubeconfig }, cwd: env.dir });
    let attempts = 0;
    let inFlight = 0;
    const openFn = RestClient.prototype.open;
    vi.spyOn(RestClient.prototype, 'open').mockImplementation(function (this: RestClient, ...args) {
      attempts++;
      inFlight++;
      const p = openFn.apply(this, args);
      p.then(() => inFlight--, () => inFlight--);
      return p;
    });
    // simulated time stands still unless advanced, so every failure happens at the same instant
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const watch = new ClusterWatch({ session, coalesceMs: 0, retryMs: { min: 1_000, max: 60_000 }, pollMs: 3_600_000 });
    /** let the refused connections come back (real I/O) and the loops go to sleep, publishing what they found */
    const io = async () => {
      for (let i = 0; i < 100_000 && (i < 50 || inFlight > 0); i++) await new Promise((r) => setImmediate(r));
      vi.advanceTimersByTime(0);
    };
    try {
      await io();
      const s = watch.getSnapshot();
      expect(Object.values(s.status).every((x) => x === 'error')).toBe(true);
      expect(s.error).toMatch(/connection refused/);
      expect(text(s, 80)).toContain('unreachable, retrying');
      const first = attempts;
      expect(first).toBeGreaterThan(0);
      // within the first backoff (1 s) nothing is tried again
      vi.advanceTimersByTime(999);
      await io();
      expect(attempts).toBe(first);
      vi.advanceTimersByTime(1);
      await io();
      const second = attempts;
      expect(second).toBeGreaterThan(first);
      // the next wait is twice as long
      vi.advanceTimersByTime(1_999);
      await io();
      expect(attempts).toBe(second);
      vi.advanceTimersByTime(1);
      await io();
      expect(attempts).toBeGreaterThan(second);
    } finally {
      watch.close();
    }
  });
});
