/**
 * REAL kubectl (1.27: SPDY; 1.33: websocket v5 and SPDY-in-websocket port-forward) against the sandbox,
 * with the sandbox's streaming endpoints (upgrade listener, `pods/{name}/log`) routed to a fake
 * container runtime, so the wire protocols are tested apart from the simulated kubelet. Skipped
 * without the versioned kubectl binaries.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { get as httpGet } from 'node:http';
import type { Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors } from '../../../src/sandbox/apiserver/errors.js';
import { handleLog, handleUpgrade, isStreamingUpgrade, rejectUpgrade } from '../../../src/sandbox/apiserver/streaming/index.js';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { findKubectlBinaries, startKubectlEnv, type KubectlEnv } from '../../helpers/kubectl.js';
import { ENV_TEXT, fakeRuntime, LOG_LINES, type FakeRuntime } from './harness.js';

const binaries = findKubectlBinaries(['1.27', '1.33']);

/** every upgrade request seen: `<subresource> <Upgrade> <offered protocols>` */
const upgrades: string[] = [];

/** route the streaming endpoints of the sandbox's server to the handlers under test */
function wire(k: KubectlEnv, runtime: FakeRuntime): void {
  const sandbox = k.sandbox;
  const srv = (sandbox.server as unknown as { server: Server }).server;
  const podsRt = sandbox.registry.forKind('', 'Pod')!;
  const auth = `Bearer ${sandbox.token}`;
  const lookup = (ns: string, name: string) => sandbox.store.tryGet(podsRt, ns, name);
  const original = srv.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  srv.removeAllListeners('request');
  srv.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (m && req.headers.authorization === auth) {
      void handleLog(req, res, { namespace: m[1], pod: m[2], query: url.searchParams, object: lookup(m[1], m[2]) }, runtime);
      return;
    }
    for (const l of original) l.call(srv, req, res);
  });
  // replace the sandbox's own streaming (the simulated kubelets) with the fake runtime under test
  srv.removeAllListeners('upgrade');
  srv.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    if (req.headers.authorization !== auth) return rejectUpgrade(socket, errors.unauthorized());
    const target = isStreamingUpgrade(req);
    if (!target) return rejectUpgrade(socket, errors.pathNotFound());
    upgrades.push(`${target.subresource} ${req.headers.upgrade} ${req.headers['sec-websocket-protocol'] ?? req.headers['x-stream-protocol-version']}`);
    const query = new URL(req.url ?? '/', 'https://127.0.0.1').searchParams;
    handleUpgrade(req, socket, head, { ...target, query, object: lookup(target.namespace, target.pod) }, runtime);
  });
}

/** a pod bound to node1; `running` gives it a Running status with a running container */
async function createPod(k: KubectlEnv, name: string, running: boolean): Promise<KObject> {
  const rt = k.sandbox.registry.forKind('', 'Pod')!;
  const created = await k.sandbox.store.create(rt, 'default', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: { app: 'kubia' } },
    spec: { nodeName: 'node1', containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080 }] }] },
  });
  if (!running) return created;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return k.sandbox.store.update(rt, 'default', name, {
    ...created,
    status: {
      ...created.status,
      phase: 'Running',
      podIP: '10.244.1.5',
      hostIP: '10.0.0.11',
      startTime: now,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
      containerStatuses: [{
        name: 'kubia', ready: true, started: true, restartCount: 0, image: 'luksa/kubia', imageID: 'docker.io/luksa/kubia@sha256:0', containerID: 'containerd://abc',
        state: { running: { startedAt: now } },
      }],
    },
  }, { subresource: 'status' });
}

function fetchLocal(port: number, path: string): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
}

describe.skipIf(binaries.length === 0)('real kubectl: logs, exec, port-forward', () => {
  describe.each(binaries.map((b, i) => ({ ...b, i })))('kubectl $version', (bin) => {
    let k: KubectlEnv;
    let runtime: FakeRuntime;

    beforeAll(async () => {
      k = await startKubectlEnv(bin);
      runtime = await fakeRuntime();
      wire(k, runtime);
      await createPod(k, 'kubia', true);
      await createPod(k, 'waiting', false);
    });

    afterAll(async () => {
      await k?.close();
      await runtime?.close();
    });

    it('logs', async () => {
      const r = await k.run(['logs', 'kubia']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(LOG_LINES.map((l) => `${l}\n`).join(''));
      const tail = await k.run(['logs', 'kubia', '--tail=2']);
      expect(tail.stdout).toBe('line 4\nline 5\n');
      const prev = await k.run(['logs', 'kubia', '--previous']);
      expect(prev.code).toBe(1);
      expect(prev.stderr.trim()).toBe('Error from server (BadRequest): previous terminated container "kubia" in pod "kubia" not found');
    });

    it('logs -f streams until the log ends', async () => {
      const r = await k.run(['logs', '-f', 'kubia']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe([...LOG_LINES, 'line 6', 'line 7', 'line 8'].map((l) => `${l}\n`).join(''));
    });

    it('exec -- env prints the environment', async () => {
      upgrades.length = 0;
      const r = await k.run(['exec', 'kubia', '--', 'env']);
      // 1.27 speaks SPDY; 1.33 websocket v5 (no fallback to SPDY happened)
      expect(upgrades).toEqual([bin.version === '1.27'
        ? 'exec SPDY/3.1 v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io'
        : 'exec websocket v5.channel.k8s.io']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(ENV_TEXT);
      expect(r.stderr).toBe('');
    });

    it('exit codes propagate', async () => {
      const r = await k.run(['exec', 'kubia', '--', 'sh', '-c', 'exit 3']);
      expect(r.code).toBe(3);
      expect(r.stderr.trim()).toBe('command terminated with exit code 3');
      const f = await k.run(['exec', 'kubia', '--', 'false']);
      expect(f.code).toBe(1);
      expect(f.stderr).toBe('failing\ncommand terminated with exit code 1\n');
    });

    it('exec -i cat echoes stdin', async () => {
      const r = await k.run(['exec', '-i', 'kubia', '--', 'cat'], { stdin: 'hello from stdin\nsecond line\n' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('hello from stdin\nsecond line\n');
    });

    it('exec into an unknown container / a container that is not running', async () => {
      const r = await k.run(['exec', 'kubia', '-c', 'nope', '--', 'env']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('container nope is not valid for pod kubia');
      const w = await k.run(['exec', 'waiting', '--', 'env']);
      expect(w.code).toBe(1);
      expect(w.stderr.trim()).toBe('error: unable to upgrade connection: container not found ("kubia")');
    });

    it('port-forward forwards local connections to the pod port', async () => {
      const local = 18888 + bin.i;
      upgrades.length = 0;
      const pf = k.spawn(['port-forward', 'pod/kubia', `${local}:8080`]);
      try {
        await pf.waitFor(`Forwarding from 127.0.0.1:${local} -> 8080`);
        const a = await fetchLocal(local, '/first');
        expect(a).toEqual({ code: 200, body: 'hello from /first\n' });
        const b = await fetchLocal(local, '/second');
        expect(b.body).toBe('hello from /second\n');
        await pf.waitFor((out) => out.split(`Handling connection for ${local}`).length - 1 >= 2);
      } finally {
        await pf.kill();
      }
      expect(runtime.calls.filter((c) => c.op === 'portForward').length).toBeGreaterThanOrEqual(2);
      // one upgrade at startup: plain SPDY (1.27), SPDY tunnelled in websocket (1.33)
      expect(upgrades).toEqual([bin.version === '1.27' ? 'portforward SPDY/3.1 portforward.k8s.io' : 'portforward websocket SPDY/3.1+portforward.k8s.io']);
    });
  });
});
