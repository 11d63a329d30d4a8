/**
 * Focused load for CPU profiles of the sandbox API server (companion of bench/apiserver.ts):
 *
 *   node bench/run.mjs apiserver-profile table10k --cpu-prof   # 30 x GET 10,000 pods as Table
 *   node bench/run.mjs apiserver-profile json10k  --cpu-prof   # 10 x GET 10,000 pods as JSON
 *   node bench/run.mjs apiserver-profile populate --cpu-prof   # 10,000 store.create
 *   node bench/profile-summary.mjs bench/.tmp/prof/<newest>.cpuprofile
 *
 * The requests go out over one keep-alive connection so the profile is the server's work plus a
 * minimal client (no JSON.parse of the response, no TLS handshake per request).
 */
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../src/sandbox/sandbox.js';
import type { KObject } from '../src/sandbox/apiserver/types.js';

const mode = process.argv[2] ?? 'table10k';
const sb = await startSandbox({ nodes: 3 });
const nsRt = sb.registry.forKind('', 'Namespace')!;
const podRt = sb.registry.forKind('', 'Pod')!;
await sb.store.create(nsRt, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench10k' } } as KObject);
const t0 = performance.now();
const writes: Promise<unknown>[] = [];
for (let i = 0; i < 10_000; i++) {
  writes.push(sb.store.create(podRt, 'bench10k', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `pod-${String(i).padStart(5, '0')}`, labels: { app: `web-${i % 10}`, tier: 'frontend' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  } as KObject));
}
await Promise.all(writes);
console.log(`populate: ${(performance.now() - t0).toFixed(0)} ms`);

if (mode !== 'populate') {
  const agent = new Agent({ keepAlive: true, ca: sb.credentials.caCert, maxSockets: 1 });
  const accept = mode === 'json10k' ? 'application/json' : 'application/json;as=Table;v=v1;g=meta.k8s.io';
  const get = () =>
    new Promise<number>((res, rej) => {
      const req = request({ agent, host: '127.0.0.1', port: sb.port, path: '/api/v1/namespaces/bench10k/pods', headers: { Accept: accept, Authorization: `Bearer ${sb.token}` } }, (r) => {
        let n = 0;
        r.on('data', (c: Buffer) => (n += c.length));
        r.on('end', () => (r.statusCode === 200 ? res(n) : rej(new Error(`status ${r.statusCode}`))));
      });
      req.on('error', rej);
      req.end();
    });
  const N = mode === 'json10k' ? 10 : 30;
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await get();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${mode}: ${N} requests, median ${times[N >> 1].toFixed(1)} ms, min ${times[0].toFixed(1)} ms (keep-alive, no client parse)`);
  agent.destroy();
}
await sb.close();
process.exit(0);
