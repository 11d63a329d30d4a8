import { afterEach, beforeEach, expect, it } from 'vitest';
import type { KObject } from '../../../../src/sandbox/apiserver/types.js';
import { rfc3339Micro } from '../../../../src/sandbox/clock.js';
import { startNodeLifecycleController, type NodeLifecycleController } from '../../../../src/sandbox/controllers/nodelifecycle/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { createPod } from '../endpoints/helpers.js';

const CP = 'kube-tutor-control-plane';
const W1 = 'kube-tutor-worker';
const W2 = 'kube-tutor-worker2';

let t: TestSandbox;
let nlc: NodeLifecycleController;
beforeEach(async () => {
  t = await startTestSandbox({ controllers: false });
  nlc = t.sandbox.add(startNodeLifecycleController(t.sandbox.ctx)) as NodeLifecycleController;
});
afterEach(async () => {
  await t.close();
});

const ctx = () => t.sandbox.ctx;
const rt = (g: string, k: string) => ctx().registry.forKind(g, k)!;
const node = (n: string) => ctx().store.get(rt('', 'Node'), undefined, n);
const cond = (o: KObject, type: string) => (o.status?.conditions ?? []).find((c: { type: string }) => c.type === type);
const taints = (n: string) => (node(n).spec.taints ?? []).map((x: { key: string; effect: string }) => `${x.key}:${x.effect}`).sort();
const pod = (n: string) => ctx().store.tryGet(rt('', 'Pod'), 'default', n);
const eventsFor = (name: string) => ctx().store.list(rt('', 'Event'), undefined, { filter: (e) => e.involvedObject?.name === name }).items
  .map((e) => `${e.type} ${e.reason}: ${e.message} (${e.source.component})`);

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await t.clock.settle();
    await nlc.queue.idle();
  }
}
/** the kubelets of `alive` renew their leases, every 10 s, for `ms` */
async function run(ms: number, alive: string[]): Promise<void> {
  for (let done = 0; done < ms; done += 10_000) {
    await t.clock.advance(Math.min(10_000, ms - done));
    for (const n of alive) {
      await ctx().store.guaranteedUpdate(rt('coordination.k8s.io', 'Lease'), 'kube-node-lease', n, (cur) => ({
        ...cur, spec: { ...cur.spec, renewTime: rfc3339Micro(t.clock.now()) },
      }));
    }
    await settle();
  }
}

it('marks a silent node Unknown and taints it, evicts its pods after 300 s, and recovers when the lease resumes', async () => {
  await createPod(ctx(), 'kubia-x', { app: 'kubia' }, { ip: '10.244.1.2', node: W1 });
  await createPod(ctx(), 'kubia-y', { app: 'kubia' }, { ip: '10.244.2.2', node: W2 });
  await settle();
  expect(eventsFor(W1)).toContain(`Normal RegisteredNode: Node ${W1} event: Registered Node ${W1} in Controller (node-controller)`);

  // 40 s of silence: still fine (grace period is 50 s since 1.32)
  await run(40_000, [CP, W2]);
  expect(cond(node(W1), 'Ready').status).toBe('True');
  expect(taints(W1)).toEqual([]);

  await run(20_000, [CP, W2]);
  const ready = cond(node(W1), 'Ready');
  expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
  for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) expect(cond(node(W1), type).status).toBe('Unknown');
  expect(taints(W1)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
  expect(node(W1).spec.taints.every((x: { timeAdded?: string }) => typeof x.timeAdded === 'string')).toBe(true);
  expect(cond(node(W2), 'Ready').status).toBe('True');
  expect(taints(W2)).toEqual([]);
  expect(eventsFor(W1)).toContain(`Normal NodeNotReady: Node ${W1} status is now: NodeNotReady (node-controller)`);
  expect(cond(pod('kubia-x')!, 'Ready').status).toBe('False');
  expect(cond(pod('kubia-y')!, 'Ready').status).toBe('True');
  expect(eventsFor('kubia-x')).toContain('Warning NodeNotReady: Node is not ready (node-controller)');

  // the default toleration (unreachable:NoExecute for 300 s) runs out
  await run(290_000, [CP, W2]);
  expect(pod('kubia-x')!.metadata.deletionTimestamp).toBeUndefined();
  await run(20_000, [CP, W2]);
  const evicted = pod('kubia-x');
  expect(evicted === undefined || evicted.metadata.deletionTimestamp !== undefined).toBe(true);
  expect(eventsFor('kubia-x')).toContain('Normal TaintManagerEviction: Marking for deletion Pod default/kubia-x (taint-eviction-controller)');
  expect(pod('kubia-y')!.metadata.deletionTimestamp).toBeUndefined();

  // the node comes back
  await run(10_000, [CP, W1, W2]);
  expect(cond(node(W1), 'Ready').status).toBe('True');
  expect(taints(W1)).toEqual([]);
});

it('cancels the eviction when the node comes back in time', async () => {
  await createPod(ctx(), 'kubia-x', { app: 'kubia' }, { ip: '10.244.1.2', node: W1 });
  await run(60_000, [CP, W2]);
  expect(taints(W1)).toContain('node.kubernetes.io/unreachable:NoExecute');
  expect(nlc.taintEviction!.scheduled().has('default/kubia-x')).toBe(true);
  await run(10_000, [CP, W1, W2]);
  expect(taints(W1)).toEqual([]);
  expect(nlc.taintEviction!.scheduled().size).toBe(0);
  expect(eventsFor('kubia-x')).toContain('Normal TaintManagerEviction: Cancelling deletion of Pod default/kubia-x (taint-eviction-controller)');
  await run(400_000, [CP, W1, W2]);
  expect(pod('kubia-x')!.metadata.deletionTimestamp).toBeUndefined();
});

it('adds no NoExecute taints when every node is down (full disruption)', async () => {
  await run(60_000, []);
  for (const n of [CP, W1, W2]) {
    expect(cond(node(n), 'Ready').status).toBe('Unknown');
    expect(taints(n).filter((x: string) => x.endsWith(':NoExecute'))).toEqual([]);
  }
});

it('taints a cordoned node unschedulable', async () => {
  await ctx().store.guaranteedUpdate(rt('', 'Node'), undefined, W1, (cur) => ({ ...cur, spec: { ...cur.spec, unschedulable: true } }));
  await settle();
  expect(taints(W1)).toEqual(['node.kubernetes.io/unschedulable:NoSchedule']);
  await ctx().store.guaranteedUpdate(rt('', 'Node'), undefined, W1, (cur) => ({ ...cur, spec: { ...cur.spec, unschedulable: false } }));
  await settle();
  expect(taints(W1)).toEqual([]);
});
