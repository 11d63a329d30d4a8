/**
 * The scheduler against a sandbox on a ManualClock (control plane + 3 workers), started alone:
 * binding, FailedScheduling messages and conditions, retries on node changes, spreading.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { startScheduler, type Scheduler } from '../../../src/sandbox/scheduler/index.js';
import { pod, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

const CP = 'kube-tutor-control-plane';
const W1 = 'kube-tutor-worker';
const W2 = 'kube-tutor-worker2';
const W3 = 'kube-tutor-worker3';
const WORKERS = [W1, W2, W3];

let t: TestSandbox;
let scheduler: Scheduler;

beforeEach(async () => {
  t = await startTestSandbox({ controllers: false, nodes: 3, seed: 42 });
  scheduler = startScheduler(t.sandbox.ctx);
  t.sandbox.add(scheduler);
});

afterEach(async () => {
  await t.close();
});

const rt = (kind: string) => t.sandbox.registry.forKind('', kind)!;

async function createPod(name: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Promise<KObject> {
  const p = pod(name, {}, extra) as KObject;
  p.metadata = { ...p.metadata, ...meta };
  return t.sandbox.store.create(rt('Pod'), 'default', p);
}

function getPod(name: string): KObject {
  return t.sandbox.store.get(rt('Pod'), 'default', name);
}

/** let queued work finish (no wall-clock waits: only microtasks and due timers) */
async function settle(until: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await t.clock.settle();
    await scheduler.idle();
    if (until()) return;
  }
}

function eventsFor(name: string): KObject[] {
  return t.sandbox.store.list(rt('Event'), 'default').items.filter((e) => e.involvedObject?.name === name);
}

function condition(name: string): Record<string, unknown> | undefined {
  return (getPod(name).status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
}

async function patchNode(name: string, mutate: (n: KObject) => void, subresource?: 'status'): Promise<void> {
  await t.sandbox.store.guaranteedUpdate(rt('Node'), undefined, name, (n) => {
    mutate(n);
    return n;
  }, { subresource });
}

describe('scheduler', () => {
  it('binds pending pods to workers, never the control plane, with a Scheduled event', async () => {
    for (let i = 0; i < 6; i++) await createPod(`kubia-${i}`);
    await settle(() => [0, 1, 2, 3, 4, 5].every((i) => getPod(`kubia-${i}`).spec.nodeName));
    for (let i = 0; i < 6; i++) {
      const p = getPod(`kubia-${i}`);
      expect(WORKERS).toContain(p.spec.nodeName);
      expect(condition(`kubia-${i}`)).toMatchObject({ type: 'PodScheduled', status: 'True' });
      const [ev] = eventsFor(`kubia-${i}`);
      expect(ev).toMatchObject({
        type: 'Normal', reason: 'Scheduled', source: { component: 'default-scheduler' },
        message: `Successfully assigned default/kubia-${i} to ${p.spec.nodeName}`,
      });
    }
    expect(getPod('kubia-0').metadata.managedFields?.some((m: { manager?: string }) => m.manager === 'default-scheduler')).toBe(true);
  });

  it('reports an unmatched nodeSelector, then schedules once a node gets the label', async () => {
    await createPod('kubia-ssd', { nodeSelector: { disk: 'ssd' } });
    await settle(() => eventsFor('kubia-ssd').length > 0);
    const message = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";
    const [ev] = eventsFor('kubia-ssd');
    expect(ev).toMatchObject({ type: 'Warning', reason: 'FailedScheduling', message, source: { component: 'default-scheduler' } });
    expect(condition('kubia-ssd')).toMatchObject({ status: 'False', reason: 'Unschedulable', message, lastProbeTime: null });
    expect(getPod('kubia-ssd').spec.nodeName).toBeUndefined();

    await patchNode(W2, (n) => { n.metadata.labels = { ...n.metadata.labels, disk: 'ssd' }; });
    await t.clock.advance(1000); // the first backoff
    await settle(() => !!getPod('kubia-ssd').spec.nodeName);
    expect(getPod('kubia-ssd').spec.nodeName).toBe(W2);
    expect(condition('kubia-ssd')).toMatchObject({ status: 'True' });
    expect(eventsFor('kubia-ssd').map((e) => e.reason).sort()).toEqual(['FailedScheduling', 'Scheduled']);
  });

  it('does not retry an unschedulable pod without a change, except after the 5 minute flush', async () => {
    await createPod('kubia-ssd', { nodeSelector: { disk: 'ssd' } });
    await settle(() => eventsFor('kubia-ssd').length > 0);
    await t.clock.advance(60_000);
    await settle();
    expect(eventsFor('kubia-ssd')[0].count).toBe(1);
    await t.clock.advance(240_000);
    await settle();
    expect(eventsFor('kubia-ssd')[0].count).toBe(2);
  });

  it('lets a pod tolerating the control-plane taint onto the control plane', async () => {
    await createPod('on-cp', {
      nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
    });
    await settle(() => !!getPod('on-cp').spec.nodeName);
    expect(getPod('on-cp').spec.nodeName).toBe(CP);
  });

  it('avoids cordoned nodes', async () => {
    await patchNode(W1, (n) => { n.spec.unschedulable = true; });
    await patchNode(W3, (n) => { n.spec.unschedulable = true; });
    for (let i = 0; i < 3; i++) await createPod(`kubia-${i}`);
    await settle(() => [0, 1, 2].every((i) => getPod(`kubia-${i}`).spec.nodeName));
    for (let i = 0; i < 3; i++) expect(getPod(`kubia-${i}`).spec.nodeName).toBe(W2);

    await patchNode(W2, (n) => { n.spec.unschedulable = true; });
    await createPod('stuck');
    await settle(() => eventsFor('stuck').length > 0);
    expect(eventsFor('stuck')[0].message).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) were unschedulable. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    );
  });

  it('reports Insufficient cpu when requests exceed what is allocatable', async () => {
    await createPod('big', { containers: [{ name: 'main', image: 'luksa/kubia', resources: { requests: { cpu: '5' } } }] });
    await settle(() => eventsFor('big').length > 0);
    const message = '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.';
    expect(eventsFor('big')[0].message).toBe(message);
    expect(condition('big')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
  });

  it('schedules a waiting pod when a pod holding the resources goes away', async () => {
    const req = (cpu: string) => ({ containers: [{ name: 'main', image: 'luksa/kubia', resources: { requests: { cpu } } }] });
    await createPod('hog', { ...req('3'), nodeName: W1 });
    await patchNode(W2, (n) => { n.spec.unschedulable = true; });
    await patchNode(W3, (n) => { n.spec.unschedulable = true; });
    await createPod('waiter', req('2'));
    await settle(() => eventsFor('waiter').length > 0);
    expect(eventsFor('waiter')[0].message).toBe(
      '0/4 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
    );
    await t.sandbox.store.delete(rt('Pod'), 'default', 'hog', { gracePeriodSeconds: 0 });
    await t.clock.advance(1000);
    await settle(() => !!getPod('waiter').spec.nodeName);
    expect(getPod('waiter').spec.nodeName).toBe(W1);
  });

  it('spreads pods of one owner 2/2/2 across the workers', async () => {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'kubia-5d8f7', uid: '6b1f0a7e-0000-4000-8000-000000000001', controller: true, blockOwnerDeletion: true };
    for (let i = 0; i < 6; i++) await createPod(`kubia-5d8f7-${i}`, {}, { ownerReferences: [owner], labels: { app: 'kubia' } });
    await settle(() => [0, 1, 2, 3, 4, 5].every((i) => getPod(`kubia-5d8f7-${i}`).spec.nodeName));
    const counts: Record<string, number> = {};
    for (let i = 0; i < 6; i++) {
      const n = getPod(`kubia-5d8f7-${i}`).spec.nodeName;
      counts[n] = (counts[n] ?? 0) + 1;
    }
    expect(counts).toEqual({ [W1]: 2, [W2]: 2, [W3]: 2 });
  });

  it('leaves pods with a preset nodeName and pods of other schedulers alone', async () => {
    await createPod('preset', { nodeName: W3 });
    await createPod('other', { schedulerName: 'my-scheduler' });
    await settle();
    expect(getPod('preset').spec.nodeName).toBe(W3);
    expect(eventsFor('preset')).toEqual([]);
    expect(getPod('other').spec.nodeName).toBeUndefined();
    expect(eventsFor('other')).toEqual([]);
  });

  it('pins a pod with matchFields metadata.name affinity to that node', async () => {
    for (let i = 0; i < 3; i++) {
      await createPod(`pinned-${i}`, {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [W3] }] }] } } },
      });
    }
    await settle(() => [0, 1, 2].every((i) => getPod(`pinned-${i}`).spec.nodeName));
    for (let i = 0; i < 3; i++) expect(getPod(`pinned-${i}`).spec.nodeName).toBe(W3);
  });

  it('places a DaemonSet-style pod on its cordoned node; without the toleration it waits', async () => {
    await patchNode(W2, (n) => { n.spec.unschedulable = true; });
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [W2] }] }] } } };
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ssd-monitor', uid: '6b1f0a7e-0000-4000-8000-000000000002', controller: true };
    await createPod('ssd-monitor-abcde', {
      affinity,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      ],
    }, { ownerReferences: [owner] });
    await createPod('no-toleration', { affinity });
    await settle(() => !!getPod('ssd-monitor-abcde').spec.nodeName && eventsFor('no-toleration').length > 0);
    expect(getPod('ssd-monitor-abcde').spec.nodeName).toBe(W2);
    expect(eventsFor('no-toleration')[0].message).toBe(
      "0/4 nodes are available: 1 node(s) were unschedulable, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
    );
  });

  it('treats a NotReady node as tainted not-ready and schedules there once Ready again', async () => {
    const ready = (status: string) => (n: KObject) => {
      n.status.conditions = n.status.conditions.map((c: { type: string }) => (c.type === 'Ready' ? { ...c, status } : c));
    };
    for (const w of WORKERS) await patchNode(w, ready('False'), 'status');
    await createPod('kubia');
    await settle(() => eventsFor('kubia').length > 0);
    expect(eventsFor('kubia')[0].message).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    );
    await patchNode(W3, ready('True'), 'status');
    await t.clock.advance(1000);
    await settle(() => !!getPod('kubia').spec.nodeName);
    expect(getPod('kubia').spec.nodeName).toBe(W3);
  });

  it('retries after the backoff when the pod spec changes', async () => {
    await createPod('kubia', { nodeSelector: { 'kubernetes.io/hostname': 'nope' } });
    await settle(() => eventsFor('kubia').length > 0);
    // a label change on the pod (spec unchanged otherwise) retries once the 1 s backoff is over
    await t.sandbox.store.guaranteedUpdate(rt('Pod'), 'default', 'kubia', (p) => ({ ...p, metadata: { ...p.metadata, labels: { tier: 'web' } } }));
    await settle();
    expect(eventsFor('kubia')[0].count).toBe(1);
    await t.clock.advance(1000);
    await settle(() => eventsFor('kubia')[0].count === 2);
    expect(eventsFor('kubia')[0].count).toBe(2);
  });
});
