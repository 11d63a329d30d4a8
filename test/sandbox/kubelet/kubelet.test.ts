import { afterEach, describe, expect, it } from 'vitest';
import { StatusError } from '../../../src/sandbox/apiserver/errors.js';
import { startKubeletSandbox, WORKER, type KT } from './helpers.js';

let t: KT;
afterEach(async () => {
  await t?.close();
});

const kubia = (image = 'luksa/kubia', extra: Record<string, unknown> = {}) => ({
  containers: [{ name: 'kubia', image, imagePullPolicy: 'Always', ports: [{ containerPort: 8080, protocol: 'TCP' }], ...extra }],
});

describe('simulated kubelet', () => {
  it('runs a kubia pod: Pending → ContainerCreating → Running with an IP from the node CIDR', async () => {
    t = await startKubeletSandbox();
    await t.createPod('kubia', kubia());
    await t.advance(50);
    let p = t.pod('kubia')!;
    expect(p.status.phase).toBe('Pending');
    expect(p.status.containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    expect(p.status.hostIP).toMatch(/^172\.18\.0\.\d+$/);
    await t.advance(5000);
    p = t.pod('kubia')!;
    expect(p.status.phase).toBe('Running');
    const node = t.sandbox.store.tryGet(t.sandbox.registry.forKind('', 'Node')!, undefined, WORKER)!;
    const cidr = node.spec.podCIDR as string;
    expect(p.status.podIP.startsWith(cidr.split('.').slice(0, 3).join('.') + '.')).toBe(true);
    expect(p.status.podIPs).toEqual([{ ip: p.status.podIP }]);
    const cs = p.status.containerStatuses[0];
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.imageID).toMatch(/^docker\.io\/luksa\/kubia@sha256:[0-9a-f]{64}$/);
    expect(cs.image).toBe('docker.io/luksa/kubia:latest');
    expect(cs).toMatchObject({ ready: true, started: true, restartCount: 0, lastState: {} });
    expect(cs.state.running.startedAt).toBeTruthy();
    expect(p.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True',
    ]);
    expect(p.status.qosClass).toBe('BestEffort');
    expect(p.status.startTime).toBeTruthy();
    expect(t.events('kubia')).toEqual([
      'Pulling: Pulling image "luksa/kubia"',
      'Pulled: Successfully pulled image "luksa/kubia" in 1.2s (1.2s including waiting). Image size: 254020467 bytes.',
      'Created: Created container: kubia',
      'Started: Started container kubia',
    ]);
    expect(await t.logs('kubia')).toBe('Kubia server starting...\n');
    // the program answers on its pod IP
    const { findListener } = await import('../../../src/sandbox/kubelet/index.js');
    const l = findListener(p.status.podIP, 8080)!;
    expect(l.handler({ method: 'GET', path: '/', headers: {}, remoteAddress: '10.244.2.7' })).toEqual({ status: 200, body: "You've hit kubia\n" });
    expect(await t.logs('kubia')).toBe('Kubia server starting...\nReceived request from ::ffff:10.244.2.7\n');
  });

  it('gives pods on one node distinct IPs and hostNetwork pods the node IP', async () => {
    t = await startKubeletSandbox();
    await t.createPod('a', kubia());
    await t.createPod('b', kubia());
    await t.createPod('h', { ...kubia(), hostNetwork: true });
    await t.advance(5000);
    const ips = ['a', 'b'].map((n) => t.pod(n)!.status.podIP);
    expect(new Set(ips).size).toBe(2);
    expect(t.pod('h')!.status.podIP).toBe(t.pod('h')!.status.hostIP);
  });

  it('IfNotPresent with a cached image does not pull', async () => {
    t = await startKubeletSandbox();
    await t.createPod('one', kubia('nginx:1.27', { imagePullPolicy: 'IfNotPresent' }));
    await t.advance(5000);
    await t.createPod('two', kubia('nginx:1.27', { imagePullPolicy: 'IfNotPresent' }));
    await t.advance(5000);
    expect(t.events('two')).toEqual([
      'Pulled: Container image "nginx:1.27" already present on machine',
      'Created: Created container: kubia',
      'Started: Started container kubia',
    ]);
  });

  it('unknown image: ErrImagePull, then ImagePullBackOff with a doubling back-off', async () => {
    t = await startKubeletSandbox();
    await t.createPod('bad', kubia('luksa/kubia:v9'));
    await t.advance(700);
    let cs = t.pod('bad')!.status.containerStatuses[0];
    expect(cs.state.waiting.reason).toBe('ErrImagePull');
    expect(cs.state.waiting.message).toContain('docker.io/luksa/kubia:v9: not found');
    await t.advance(600);
    cs = t.pod('bad')!.status.containerStatuses[0];
    expect(cs.state.waiting.reason).toBe('ImagePullBackOff');
    expect(cs.state.waiting.message).toMatch(/^Back-off pulling image "luksa\/kubia:v9": ErrImagePull: /);
    expect(t.events('bad')).toEqual([
      'Pulling: Pulling image "luksa/kubia:v9"',
      expect.stringMatching(/^Failed: Failed to pull image "luksa\/kubia:v9": rpc error: code = NotFound .*not found$/),
      'Failed: Error: ErrImagePull',
      'BackOff: Back-off pulling image "luksa/kubia:v9"',
      'Failed: Error: ImagePullBackOff',
    ]);
    expect(t.pod('bad')!.status.phase).toBe('Pending');
    // retried 10 s after the failure, then 20 s after the next
    await t.advance(9000);
    expect(t.events('bad').filter((e) => e.startsWith('Pulling')).length).toBe(1);
    await t.advance(1000);
    expect(t.events('bad').filter((e) => e.startsWith('Pulling')).length).toBe(1); // one Event, count 2
    const ev = t.sandbox.store.list(t.sandbox.registry.forKind('', 'Event')!, 'default').items.find((e) => e.reason === 'Pulling')!;
    expect(ev.count).toBe(2);
    // the retry at 10.5 s failed again
    await expect(t.logs('bad')).rejects.toThrow('container "kubia" in pod "bad" is waiting to start: image can\'t be pulled');
    await t.advance(500);
    await expect(t.logs('bad')).rejects.toThrow('container "kubia" in pod "bad" is waiting to start: trying and failing to pull image');
    // a repository that does not exist
    await t.createPod('nope', kubia('nosuchuser/nosuchimage'));
    await t.advance(1000);
    expect(t.pod('nope')!.status.containerStatuses[0].state.waiting.message).toContain('pull access denied, repository does not exist or may require authorization');
  });

  it('runs luksa/batch-job to completion after 120 s', async () => {
    t = await startKubeletSandbox();
    await t.createPod('batch', { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'luksa/batch-job', imagePullPolicy: 'Always' }] });
    await t.advance(100_000);
    expect(t.pod('batch')!.status.phase).toBe('Running');
    expect(await t.logs('batch')).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4} Batch job starting\n$/);
    await t.advance(25_000);
    const p = t.pod('batch')!;
    expect(p.status.phase).toBe('Succeeded');
    const cs = p.status.containerStatuses[0];
    expect(cs.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cs.ready).toBe(false);
    expect(Date.parse(cs.state.terminated.finishedAt) - Date.parse(cs.state.terminated.startedAt)).toBe(120_000);
    const lines = (await t.logs('batch')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/ Finished succesfully$/);
    const ready = p.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('restarts kubia-unhealthy after its liveness probe fails (exit 137, logs --previous)', async () => {
    t = await startKubeletSandbox();
    await t.createPod('kubia-liveness', kubia('luksa/kubia-unhealthy', { livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } }));
    await t.advance(1500);
    const start = t.clock.now();
    // probes at 0,10,20,30,40 succeed; 50,60,70 fail → kill at 70 s; SIGTERM ignored → SIGKILL at 100 s
    await t.advance(69_000);
    expect(t.pod('kubia-liveness')!.status.containerStatuses[0].restartCount).toBe(0);
    await t.advance(2000);
    const ev = t.events('kubia-liveness');
    expect(ev).toContain('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(ev).toContain('Killing: Container kubia failed liveness probe, will be restarted');
    await t.advance(100_000 - (t.clock.now() - start) + 3000);
    const cs = t.pod('kubia-liveness')!.status.containerStatuses[0];
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(cs.state.running).toBeTruthy();
    const prev = await t.logs('kubia-liveness', { previous: true });
    const lines = prev.trimEnd().split('\n');
    expect(lines[0]).toBe('Kubia server starting...');
    expect(lines.filter((l) => /^Received request from ::ffff:10\.244\.\d+\.1$/.test(l)).length).toBe(8);
    expect(await t.logs('kubia-liveness')).toMatch(/^Kubia server starting...\n/);
  });

  it('busybox `exit 1` goes into CrashLoopBackOff with 10 s, 20 s, 40 s back-off', async () => {
    t = await startKubeletSandbox();
    await t.createPod('crash', { containers: [{ name: 'bb', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'exit 1'] }] });
    await t.advance(3000);
    let p = t.pod('crash')!;
    let cs = p.status.containerStatuses[0];
    // first exit restarts at once; the second one backs off 10 s
    expect(cs.restartCount).toBe(1);
    expect(cs.state.waiting).toMatchObject({ reason: 'CrashLoopBackOff' });
    expect(cs.state.waiting.message).toBe(`back-off 10s restarting failed container=bb pod=crash_default(${p.metadata.uid})`);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(p.status.phase).toBe('Running');
    expect(t.events('crash')).toContain(`BackOff: Back-off restarting failed container bb in pod crash_default(${p.metadata.uid})`);
    await t.advance(10_000);
    cs = t.pod('crash')!.status.containerStatuses[0];
    expect(cs.restartCount).toBe(2);
    expect(cs.state.waiting.message).toMatch(/^back-off 20s /);
    await t.advance(20_000);
    cs = t.pod('crash')!.status.containerStatuses[0];
    expect(cs.restartCount).toBe(3);
    expect(cs.state.waiting.message).toMatch(/^back-off 40s /);
    expect(t.events('crash')).toContain('Pulled: Container image "busybox" already present on machine');
  });

  it('restartPolicy Never: a failing container makes the pod Failed', async () => {
    t = await startKubeletSandbox();
    await t.createPod('once', { restartPolicy: 'Never', containers: [{ name: 'bb', image: 'busybox:1.37', command: ['sh', '-c', 'echo hi; exit 3'] }] });
    await t.advance(5000);
    const p = t.pod('once')!;
    expect(p.status.phase).toBe('Failed');
    expect(p.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(await t.logs('once')).toBe('hi\n');
  });

  it('deleting kubia waits the grace period (SIGTERM ignored); nginx stops at once', async () => {
    t = await startKubeletSandbox();
    await t.createPod('kubia', kubia());
    await t.createPod('web', kubia('nginx', { name: 'web' }));
    await t.advance(5000);
    const podRT = t.sandbox.registry.forKind('', 'Pod')!;
    await t.sandbox.store.delete(podRT, 'default', 'kubia', {});
    await t.sandbox.store.delete(podRT, 'default', 'web', {});
    await t.advance(2000);
    expect(t.pod('web')).toBeUndefined();
    expect(t.events('web')).toContain('Killing: Stopping container web');
    expect(t.pod('kubia')).toBeDefined();
    expect(t.events('kubia')).toContain('Killing: Stopping container kubia');
    await t.advance(26_000);
    expect(t.pod('kubia')).toBeDefined();
    await t.advance(3000);
    expect(t.pod('kubia')).toBeUndefined();
  });

  it('readiness probe flips Ready', async () => {
    t = await startKubeletSandbox();
    await t.createPod('rd', {
      containers: [{
        name: 'bb', image: 'busybox', command: ['sh', '-c', 'touch /tmp/ready; sleep 30; rm -f /tmp/ready; sleep 3600'],
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 5, failureThreshold: 1, successThreshold: 1, timeoutSeconds: 1 },
      }],
    });
    await t.advance(3000);
    let p = t.pod('rd')!;
    expect(p.status.containerStatuses[0].ready).toBe(true);
    expect(p.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    await t.advance(35_000);
    p = t.pod('rd')!;
    expect(p.status.containerStatuses[0].ready).toBe(false);
    const ready = p.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [bb]' });
    expect(t.events('rd')).toContain("Unhealthy: Readiness probe failed: cat: can't open '/tmp/ready': No such file or directory");
    expect(p.status.phase).toBe('Running');
  });

  it('serves logs with tailLines, timestamps, limitBytes and kube errors', async () => {
    t = await startKubeletSandbox();
    await t.createPod('mon', { containers: [{ name: 'm', image: 'luksa/ssd-monitor' }] });
    await t.createPod('two', { containers: [{ name: 'a', image: 'busybox', command: ['sleep', '3600'] }, { name: 'b', image: 'busybox', command: ['sleep', '3600'] }] });
    await expect(t.logs('mon')).rejects.toThrow('container "m" in pod "mon" is waiting to start: ContainerCreating');
    await t.advance(21_500);
    const all = (await t.logs('mon')).trimEnd().split('\n');
    expect(all.length).toBe(5);
    expect(all.every((l) => l === 'SSD OK')).toBe(true);
    expect(await t.logs('mon', { tailLines: 2 })).toBe('SSD OK\nSSD OK\n');
    const ts = (await t.logs('mon', { tailLines: 1, timestamps: true })).trimEnd();
    expect(ts).toMatch(/^2026-11-27T12:00:\d\d(\.\d{1,9})?Z SSD OK$/);
    expect(await t.logs('mon', { limitBytes: 9 })).toBe('SSD OK\nSS');
    expect(await t.logs('mon', { sinceSeconds: 3 })).toBe('SSD OK\n');
    await expect(t.logs('mon', { previous: true })).rejects.toThrow('previous terminated container "m" in pod "mon" not found');
    await expect(t.logs('two')).rejects.toThrow('a container name must be specified for pod two, choose one of: [a b]');
    await expect(t.logs('two')).rejects.toBeInstanceOf(StatusError);
  });

  it('follows logs until aborted', async () => {
    t = await startKubeletSandbox();
    await t.createPod('mon', { containers: [{ name: 'm', image: 'luksa/ssd-monitor' }] });
    await t.advance(2000);
    const { Writable } = await import('node:stream');
    let text = '';
    const out = new Writable({ write(c, _e, cb) { text += c.toString(); cb(); } });
    const ac = new AbortController();
    const done = t.kubelets.runtime.logs('default', 'mon', { container: 'm', follow: true }, out, ac.signal);
    await t.advance(10_000);
    ac.abort();
    await done;
    expect(text).toBe('SSD OK\nSSD OK\nSSD OK\n');
  });

  it('exec runs probe-style commands in the container', async () => {
    t = await startKubeletSandbox();
    await t.createPod('bb', { containers: [{ name: 'bb', image: 'busybox', command: ['sh', '-c', 'echo ok > /tmp/x; sleep 3600'] }] });
    await t.advance(3000);
    const { Writable } = await import('node:stream');
    let text = '';
    const out = new Writable({ write(c, _e, cb) { text += c.toString(); cb(); } });
    const code = await t.kubelets.runtime.exec('default', 'bb', 'bb', ['cat', '/tmp/x'], { stdout: out, tty: false }, new AbortController().signal);
    expect(code).toBe(0);
    expect(text).toBe('ok\n');
  });

  it('renews the node lease every 10 s and stops while the node is down', async () => {
    t = await startKubeletSandbox();
    const leaseRT = t.sandbox.registry.forKind('coordination.k8s.io', 'Lease')!;
    const nodeRT = t.sandbox.registry.forKind('', 'Node')!;
    const renew = () => t.sandbox.store.tryGet(leaseRT, 'kube-node-lease', WORKER)!.spec.renewTime;
    const heartbeat = () => t.sandbox.store.tryGet(nodeRT, undefined, WORKER)!.status.conditions.find((c: { type: string }) => c.type === 'Ready').lastHeartbeatTime;
    await t.advance(10_000);
    expect(renew()).toBe('2026-11-27T12:00:10.000000Z');
    await t.advance(50_000);
    expect(heartbeat()).toBe('2026-11-27T12:01:00Z');
    await t.sandbox.store.guaranteedUpdate(nodeRT, undefined, WORKER, (n) => ({ ...n, metadata: { ...n.metadata, annotations: { ...n.metadata.annotations, 'kube-tutor.dev/down': 'true' } } }));
    await t.createPod('late', kubia());
    await t.advance(70_000);
    expect(renew()).toBe('2026-11-27T12:01:00.000000Z');
    expect(heartbeat()).toBe('2026-11-27T12:01:00Z');
    expect(t.pod('late')!.status.phase).toBe('Pending');
    expect(t.pod('late')!.status.containerStatuses).toBeUndefined();
    expect(t.events('late')).toEqual([]);
    // the other nodes keep going
    expect(t.sandbox.store.tryGet(leaseRT, 'kube-node-lease', 'kube-tutor-worker2')!.spec.renewTime).toBe('2026-11-27T12:02:10.000000Z');
    await t.sandbox.store.guaranteedUpdate(nodeRT, undefined, WORKER, (n) => {
      const { 'kube-tutor.dev/down': _d, ...rest } = n.metadata.annotations ?? {};
      return { ...n, metadata: { ...n.metadata, annotations: rest } };
    });
    await t.advance(5000);
    expect(renew()).toBe('2026-11-27T12:02:10.000000Z');
    expect(t.pod('late')!.status.phase).toBe('Running');
  });

  it('adopts running kube-system pods without touching them', async () => {
    t = await startKubeletSandbox();
    const podRT = t.sandbox.registry.forKind('', 'Pod')!;
    const before = t.sandbox.store.list(podRT, 'kube-system').items.map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`);
    await t.advance(120_000);
    const after = t.sandbox.store.list(podRT, 'kube-system').items.map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`);
    expect(after).toEqual(before);
    // and they still stop cleanly when deleted
    const victim = t.sandbox.store.list(podRT, 'kube-system').items.find((p) => p.metadata.name!.startsWith('coredns'))!;
    await t.sandbox.store.delete(podRT, 'kube-system', victim.metadata.name!, {});
    await t.advance(2000);
    expect(t.sandbox.store.tryGet(podRT, 'kube-system', victim.metadata.name!)).toBeUndefined();
  });
});
