import { afterEach, describe, expect, it } from 'vitest';
import { runProbe, type ProbeTarget } from '../../../src/sandbox/kubelet/probes.js';
import { ManualClock } from '../../../src/sandbox/clock.js';
import { startKubeletSandbox, type KT } from './helpers.js';

let t: KT | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const unhealthy = (ev: string[]) => ev.filter((e) => e.startsWith('Unhealthy:'));

/** how many times the kubelet reported `reason` for a pod (events are aggregated with a count) */
function count(k: KT, pod: string, reason: string): number {
  const rt = k.sandbox.registry.forKind('', 'Event')!;
  return k.sandbox.store.list(rt, 'default').items
    .filter((e) => e.involvedObject.name === pod && e.reason === reason)
    .reduce((n, e) => n + (e.count ?? 1), 0);
}

describe('probe timeoutSeconds', () => {
  it('an httpGet probe on a slow handler fails with the Go client timeout, then the threshold kills the container', async () => {
    t = await startKubeletSandbox();
    await t.createPod('slow', {
      containers: [{
        name: 'web', image: 'kennethreitz/httpbin', ports: [{ containerPort: 80 }],
        livenessProbe: { httpGet: { path: '/delay/3', port: 80 }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
      }],
    });
    await t.advance(3000);
    const p = t.pod('slow')!;
    expect(p.status.phase).toBe('Running');
    const ip = p.status.podIP as string;
    await t.advance(2000);
    expect(unhealthy(t.events('slow'))).toEqual([
      `Unhealthy: Liveness probe failed: Get "http://${ip}:80/delay/3": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    ]);
    // failures 2 and 3 follow one period after each failed attempt, then the kubelet kills it
    await t.advance(30_000);
    const ev = t.events('slow');
    expect(count(t, 'slow', 'Unhealthy')).toBeGreaterThanOrEqual(3);
    expect(ev).toContain('Killing: Container web failed liveness probe, will be restarted');
    await t.advance(5000);
    const cs = t.pod('slow')!.status.containerStatuses[0];
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('the same probe passes when the timeout is longer than the delay', async () => {
    t = await startKubeletSandbox();
    await t.createPod('patient', {
      containers: [{
        name: 'web', image: 'kennethreitz/httpbin',
        readinessProbe: { httpGet: { path: '/delay/2', port: 80 }, periodSeconds: 5, timeoutSeconds: 3 },
      }],
    });
    await t.advance(6000);
    expect(t.pod('patient')!.status.containerStatuses[0].ready).toBe(true);
    expect(unhealthy(t.events('patient'))).toEqual([]);
  });

  it('an exec probe still running at the timeout fails with `command "…" timed out`; a quick one passes', async () => {
    t = await startKubeletSandbox();
    await t.createPod('sleepy', {
      containers: [{
        name: 'bb', image: 'busybox', command: ['sleep', '3600'],
        readinessProbe: { exec: { command: ['sh', '-c', 'sleep 5'] }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 1 },
        livenessProbe: { exec: { command: ['sh', '-c', 'sleep 0.5'] }, periodSeconds: 10, timeoutSeconds: 1 },
      }],
    });
    await t.advance(25_000);
    const ev = unhealthy(t.events('sleepy'));
    expect(count(t, 'sleepy', 'Unhealthy')).toBeGreaterThanOrEqual(2);
    expect(new Set(ev)).toEqual(new Set(['Unhealthy: Readiness probe failed: command "sh -c sleep 5" timed out']));
    const cs = t.pod('sleepy')!.status.containerStatuses[0];
    expect(cs.ready).toBe(false);
    expect(cs.restartCount).toBe(0);
  });

  it('runProbe: timeouts on the clock for http, tcp (unanswered address) and exec', async () => {
    const clock = new ManualClock(0);
    const base: ProbeTarget = {
      podIP: '10.244.1.5', sourceIP: '10.244.1.1', namedPorts: {}, clock,
      findHandler: (_ip, port) => (port === 8080 ? () => ({ status: 200, body: 'ok', delayMs: Number.POSITIVE_INFINITY }) : undefined),
      exec: (_argv, signal) => new Promise((resolve) => { signal?.addEventListener('abort', () => resolve({ code: 137, output: '' })); }),
      reachable: (ip) => ip.startsWith('10.244.'),
    };
    const http = runProbe({ httpGet: { port: 8080 }, timeoutSeconds: 2 }, base);
    const tcp = runProbe({ tcpSocket: { host: '192.0.2.1', port: 80 } }, base);
    const exec = runProbe({ exec: { command: ['cat', '/tmp/x'] } }, base);
    let done = 0;
    for (const p of [http, tcp, exec]) void p.then(() => done++);
    await clock.advance(999);
    expect(done).toBe(0);
    await clock.advance(1);
    await clock.settle();
    expect(await tcp).toEqual({ ok: false, message: 'dial tcp 192.0.2.1:80: i/o timeout' });
    expect(await exec).toEqual({ ok: false, message: 'command "cat /tmp/x" timed out' });
    expect(done).toBe(2);
    await clock.advance(1000);
    expect(await http).toEqual({ ok: false, message: 'Get "http://10.244.1.5:8080/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)' });
    // refused stays refused
    expect(await runProbe({ tcpSocket: { port: 9090 } }, base)).toEqual({ ok: false, message: 'dial tcp 10.244.1.5:9090: connect: connection refused' });
  });
});

describe('slow programs and clients with a timeout', () => {
  it('curl waits for /delay/N on the clock and gives up at --max-time', async () => {
    const { Writable } = await import('node:stream');
    t = await startKubeletSandbox();
    await t.createPod('bin', { containers: [{ name: 'web', image: 'kennethreitz/httpbin' }] });
    await t.createPod('client', { containers: [{ name: 'kubia', image: 'luksa/kubia' }] });
    await t.advance(5000);
    const ip = t.pod('bin')!.status.podIP as string;
    const run = async (argv: string[]) => {
      let out = '';
      const w = new Writable({ write(c, _e, cb) { out += c.toString(); cb(); } });
      const p = t!.kubelets.runtime.exec('default', 'client', '', argv, { stdout: w, stderr: w, tty: false }, new AbortController().signal);
      let code: number | undefined;
      void p.then((c) => { code = c; });
      const t0 = t!.clock.now();
      for (let i = 0; i < 30 && code === undefined; i++) {
        await t!.clock.settle();
        if (code === undefined) await t!.clock.advance(500);
      }
      return { code, out, tookMs: t!.clock.now() - t0 };
    };
    const slow = await run(['curl', '-sS', '-m', '2', `http://${ip}/delay/5`]);
    expect(slow.code).toBe(28);
    expect(slow.out).toMatch(/^curl: \(28\) Operation timed out after 2\d{3} milliseconds with 0 bytes received\n$/);
    const ok = await run(['curl', '-s', `http://${ip}/delay/1`]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).url).toBe(`http://${ip}/delay/1`);
    expect(ok.tookMs).toBeGreaterThanOrEqual(1000);
  });
});
