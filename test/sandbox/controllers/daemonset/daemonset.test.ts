import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDaemonSetController, targetNodeName } from '../../../../src/sandbox/controllers/daemonset/controller.js';
import type { KObject } from '../../../../src/sandbox/apiserver/types.js';
import { env, type Env } from '../job/helpers.js';

function ds(name: string, podSpec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'luksa/ssd-monitor' }], ...podSpec } },
    },
  };
}

describe('daemonset controller', () => {
  let e: Env;
  beforeEach(async () => {
    e = await env();
    e.t.sandbox.add(startDaemonSetController(e.t.sandbox.ctx));
  });
  afterEach(() => e.close());

  const podsOf = (app: string) => e.pods((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);
  const label = (node: string, labels: Record<string, string | null>) =>
    e.t.sandbox.store.guaranteedUpdate(e.rt('', 'Node'), undefined, node, (n) => {
      const l = { ...(n.metadata.labels ?? {}) };
      for (const [k, v] of Object.entries(labels)) if (v === null) delete l[k]; else l[k] = v;
      return { ...n, metadata: { ...n.metadata, labels: l } };
    });

  it('follows node labels with a nodeSelector (disk=ssd)', async () => {
    const created = await e.create('apps', 'DaemonSet', ds('ssd-monitor', { nodeSelector: { disk: 'ssd' } }));
    await e.settle();
    expect(podsOf('ssd-monitor')).toHaveLength(0);
    let d = e.get('apps', 'DaemonSet', 'ssd-monitor')!;
    expect(d.status).toMatchObject({ desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, observedGeneration: 1 });

    await label('kube-tutor-worker', { disk: 'ssd' });
    await e.settle();
    const pods = podsOf('ssd-monitor');
    expect(pods).toHaveLength(1);
    const pod = pods[0];
    expect(pod.metadata.name).toMatch(/^ssd-monitor-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(targetNodeName(pod)).toBe('kube-tutor-worker');
    expect(pod.spec.nodeName).toBeUndefined(); // the scheduler binds it
    expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['kube-tutor-worker'] }] }],
    });
    const tol = pod.spec.tolerations.map((t: { key: string; effect: string; tolerationSeconds?: number }) => `${t.key}:${t.effect}${t.tolerationSeconds ? `:${t.tolerationSeconds}` : ''}`);
    expect(tol).toEqual([
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ssd-monitor', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const hash = pod.metadata.labels!['controller-revision-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(pod.metadata.labels!['pod-template-generation']).toBe('1');
    const rev = e.get('apps', 'ControllerRevision', `ssd-monitor-${hash}`)!;
    expect(rev.revision).toBe(1);
    expect(rev.metadata.ownerReferences?.[0].uid).toBe(created.metadata.uid);
    expect(e.events('SuccessfulCreate').map((x) => x.message)).toEqual([`Created pod: ${pod.metadata.name}`]);
    d = e.get('apps', 'DaemonSet', 'ssd-monitor')!;
    expect(d.status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 0, updatedNumberScheduled: 1, numberUnavailable: 1 });

    // the scheduler binds it and the kubelet reports it ready
    await e.t.sandbox.store.bind(e.rt('', 'Pod'), 'default', pod.metadata.name!, 'kube-tutor-worker');
    await e.setPhase(podsOf('ssd-monitor')[0], 'Running');
    d = e.get('apps', 'DaemonSet', 'ssd-monitor')!;
    expect(d.status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, numberAvailable: 1 });
    expect(d.status.numberUnavailable).toBeUndefined();

    await label('kube-tutor-worker', { disk: 'hdd' });
    await e.settle();
    expect(podsOf('ssd-monitor')).toHaveLength(0);
    expect(e.events('SuccessfulDelete').map((x) => x.message)).toEqual([`Deleted pod: ${pod.metadata.name}`]);
    d = e.get('apps', 'DaemonSet', 'ssd-monitor')!;
    expect(d.status).toMatchObject({ desiredNumberScheduled: 0, currentNumberScheduled: 0 });
    await e.advance(30_000); // graceful deletion ends
    expect(e.pods((p) => p.metadata.labels?.app === 'ssd-monitor')).toHaveLength(0);
  });

  it('runs on every worker, not on the tainted control plane unless tolerated; follows nodes', async () => {
    await e.create('apps', 'DaemonSet', ds('agent'));
    await e.settle();
    expect(podsOf('agent').map(targetNodeName).sort()).toEqual(['kube-tutor-worker', 'kube-tutor-worker2']);
    expect(e.get('apps', 'DaemonSet', 'agent')!.status.desiredNumberScheduled).toBe(2);

    await e.create('apps', 'DaemonSet', ds('everywhere', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }));
    await e.settle();
    expect(podsOf('everywhere').map(targetNodeName).sort()).toEqual(['kube-tutor-control-plane', 'kube-tutor-worker', 'kube-tutor-worker2']);

    // cordoned nodes are still eligible
    await e.t.sandbox.store.guaranteedUpdate(e.rt('', 'Node'), undefined, 'kube-tutor-worker2', (n) => ({
      ...n, spec: { ...n.spec, unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] },
    }));
    await e.settle();
    expect(podsOf('agent')).toHaveLength(2);

    // a new node gets a pod, a removed node's pod goes
    const worker = structuredClone(e.get('', 'Node', 'kube-tutor-worker')!);
    await e.create('', 'Node', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kube-tutor-worker3', labels: { ...worker.metadata.labels, 'kubernetes.io/hostname': 'kube-tutor-worker3' } }, spec: {} });
    await e.settle();
    expect(podsOf('agent').map(targetNodeName).sort()).toEqual(['kube-tutor-worker', 'kube-tutor-worker2', 'kube-tutor-worker3']);
    await e.t.sandbox.store.delete(e.rt('', 'Node'), undefined, 'kube-tutor-worker3');
    await e.settle();
    expect(podsOf('agent').map(targetNodeName).sort()).toEqual(['kube-tutor-worker', 'kube-tutor-worker2']);
    expect(e.get('apps', 'DaemonSet', 'agent')!.status.desiredNumberScheduled).toBe(2);
  });

  it('rolls a template change out one node at a time (maxUnavailable 1)', async () => {
    await e.create('apps', 'DaemonSet', ds('roll'));
    await e.settle();
    for (const p of podsOf('roll')) {
      await e.t.sandbox.store.bind(e.rt('', 'Pod'), 'default', p.metadata.name!, targetNodeName(p)!);
      await e.setPhase(e.get('', 'Pod', p.metadata.name!)!, 'Running');
    }
    const oldHash = podsOf('roll')[0].metadata.labels!['controller-revision-hash'];
    await e.t.sandbox.store.guaranteedUpdate(e.rt('apps', 'DaemonSet'), 'default', 'roll', (d) => {
      const s = structuredClone(d.spec);
      s.template.spec.containers[0].image = 'luksa/ssd-monitor:v2';
      return { ...d, spec: s };
    });
    await e.settle();
    // one old pod is being replaced; the other keeps running
    const live = () => podsOf('roll');
    const old = () => live().filter((p) => p.metadata.labels!['controller-revision-hash'] === oldHash);
    expect(old()).toHaveLength(1);
    expect(e.list('apps', 'ControllerRevision').map((r) => r.revision).sort()).toEqual([1, 2]);
    await e.advance(30_000); // the old pod's grace period ends; a new one is created
    const fresh = live().filter((p) => p.metadata.labels!['controller-revision-hash'] !== oldHash);
    expect(fresh).toHaveLength(1);
    expect(fresh[0].metadata.labels!['pod-template-generation']).toBe('2');
    expect(old()).toHaveLength(1);
    // the new pod becomes ready: the next old one goes
    await e.t.sandbox.store.bind(e.rt('', 'Pod'), 'default', fresh[0].metadata.name!, targetNodeName(fresh[0])!);
    await e.setPhase(e.get('', 'Pod', fresh[0].metadata.name!)!, 'Running');
    expect(old()).toHaveLength(0);
    await e.advance(30_000);
    expect(live().every((p) => p.metadata.labels!['controller-revision-hash'] !== oldHash)).toBe(true);
    expect(live()).toHaveLength(2);
  });
});
