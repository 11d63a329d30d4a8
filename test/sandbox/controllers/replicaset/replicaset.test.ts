import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GarbageCollector } from '../../../../src/sandbox/controllers/garbagecollector.js';
import { startReplicaSetControllers } from '../../../../src/sandbox/controllers/replicaset/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { controllerOf, eventSources, eventsFor, markFailed, markRunning, MERGE, podsWith, podType } from './helpers.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox({ controllers: false, seed: 7 });
  t.sandbox.add(startReplicaSetControllers(t.sandbox.ctx));
});
afterEach(() => t.close());

const RC_PATH = '/api/v1/namespaces/default/replicationcontrollers';
const RS_PATH = '/apis/apps/v1/namespaces/default/replicasets';

function kubiaRc(replicas = 3) {
  return {
    apiVersion: 'v1', kind: 'ReplicationController',
    metadata: { name: 'kubia' },
    spec: {
      replicas, selector: { app: 'kubia' },
      template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080 }] }] } },
    },
  };
}

async function rc(): Promise<any> {
  return (await t.call('GET', `${RC_PATH}/kubia`)).json;
}

async function scaleRc(n: number) {
  const r = await t.call('PATCH', `${RC_PATH}/kubia/scale`, { spec: { replicas: n } }, MERGE);
  expect(r.code).toBe(200);
  await t.clock.settle();
}

describe('ReplicationController', () => {
  it('creates pods from the template with generated names, labels and a controller ownerReference', async () => {
    expect((await t.call('POST', RC_PATH, kubiaRc(3))).code).toBe(201);
    await t.clock.settle();
    const pods = podsWith(t, { app: 'kubia' });
    expect(pods).toHaveLength(3);
    const owner = await rc();
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^kubia-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.generateName).toBe('kubia-');
      expect(p.metadata.labels).toEqual({ app: 'kubia' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'kubia', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const ev = eventsFor(t, 'ReplicationController', 'kubia');
    expect(ev.sort()).toEqual(pods.map((p) => `SuccessfulCreate: Created pod: ${p.metadata.name}`).sort());
    expect(eventSources(t, 'ReplicationController', 'kubia')).toEqual(['replication-controller']);
    expect(owner.status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    expect(owner.status.readyReplicas).toBeUndefined();
  });

  it('scales 1 → 3 → 1: creates two pods, then deletes the two least valuable', async () => {
    await t.call('POST', RC_PATH, kubiaRc(1));
    await t.clock.settle();
    const [first] = podsWith(t, { app: 'kubia' });
    await markRunning(t, first);
    await t.clock.advance(5000);
    await scaleRc(3);
    const three = podsWith(t, { app: 'kubia' });
    expect(three).toHaveLength(3);
    const added = three.filter((p) => p.metadata.name !== first.metadata.name);
    expect(added).toHaveLength(2);
    // one of the new pods runs (not ready), the other is still pending
    await markRunning(t, added[0], { ready: false });
    await t.clock.settle();
    await scaleRc(1);
    const left = podsWith(t, { app: 'kubia' });
    expect(left.map((p) => p.metadata.name)).toEqual([first.metadata.name]);
    const ev = eventsFor(t, 'ReplicationController', 'kubia');
    expect(ev.filter((e) => e.startsWith('SuccessfulCreate'))).toHaveLength(3);
    expect(ev.filter((e) => e.startsWith('SuccessfulDelete')).sort()).toEqual(
      added.map((p) => `SuccessfulDelete: Deleted pod: ${p.metadata.name}`).sort());
    expect((await rc()).status).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1 });
  });

  it('prefers deleting unscheduled, then pending, then not-ready pods; terminating pods do not count', async () => {
    await t.call('POST', RC_PATH, kubiaRc(4));
    await t.clock.settle();
    const pods = podsWith(t, { app: 'kubia' });
    await markRunning(t, pods[0], { ready: true });
    await markRunning(t, pods[1], { ready: false });
    await t.sandbox.store.bind(podType(t), 'default', pods[2].metadata.name!, 'kind-worker2');
    // pods[3] stays unscheduled
    await t.clock.settle();
    await scaleRc(3);
    expect(podsWith(t, { app: 'kubia' }, 'default', { terminating: true }).map((p) => p.metadata.name)).not.toContain(pods[3].metadata.name);
    await scaleRc(2);
    // pods[2] is scheduled and pending; a scheduled pod is deleted gracefully (stays Terminating)
    const terminating = podsWith(t, { app: 'kubia' }, 'default', { terminating: true }).filter((p) => p.metadata.deletionTimestamp);
    expect(terminating.map((p) => p.metadata.name)).toEqual([pods[2].metadata.name]);
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(2);
    await scaleRc(1);
    expect(podsWith(t, { app: 'kubia' }).map((p) => p.metadata.name)).toEqual([pods[0].metadata.name]);
    expect((await rc()).status.replicas).toBe(1);
    // the grace period ends: nothing new is created
    await t.clock.advance(31_000);
    expect(podsWith(t, { app: 'kubia' }, 'default', { terminating: true })).toHaveLength(1);
  });

  it('replaces a deleted pod and a failed pod', async () => {
    await t.call('POST', RC_PATH, kubiaRc(3));
    await t.clock.settle();
    const before = podsWith(t, { app: 'kubia' });
    const victim = before[1].metadata.name!;
    const del = await t.call('DELETE', `/api/v1/namespaces/default/pods/${victim}`);
    expect(del.code).toBe(200);
    await t.clock.settle();
    const after = podsWith(t, { app: 'kubia' });
    expect(after).toHaveLength(3);
    expect(after.map((p) => p.metadata.name)).not.toContain(victim);
    const replacement = after.find((p) => !before.some((b) => b.metadata.name === p.metadata.name))!;
    expect(eventsFor(t, 'ReplicationController', 'kubia')).toContain(`SuccessfulCreate: Created pod: ${replacement.metadata.name}`);

    await markRunning(t, after[0]);
    await markFailed(t, after[0]);
    await t.clock.settle();
    const now = podsWith(t, { app: 'kubia' }).filter((p) => p.status?.phase !== 'Failed');
    expect(now).toHaveLength(3);
    expect((await rc()).status.replicas).toBe(3);
  });

  it('releases a relabelled pod (no ownerReference) and creates a replacement', async () => {
    await t.call('POST', RC_PATH, kubiaRc(3));
    await t.clock.settle();
    const [pod] = podsWith(t, { app: 'kubia' });
    const name = pod.metadata.name!;
    // an unrelated label changes nothing
    await t.call('PATCH', `/api/v1/namespaces/default/pods/${name}`, { metadata: { labels: { type: 'special' } } }, MERGE);
    await t.clock.settle();
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(3);
    const r = await t.call('PATCH', `/api/v1/namespaces/default/pods/${name}`, { metadata: { labels: { app: 'foo' } } }, MERGE);
    expect(r.code).toBe(200);
    await t.clock.settle();
    const moved = t.sandbox.store.get(podType(t), 'default', name);
    expect(moved.metadata.labels).toEqual({ app: 'foo', type: 'special' });
    expect(moved.metadata.ownerReferences).toBeUndefined();
    const kubia = podsWith(t, { app: 'kubia' });
    expect(kubia).toHaveLength(3);
    for (const p of kubia) expect(controllerOf(p)).toBe('ReplicationController/kubia');
    expect(eventsFor(t, 'ReplicationController', 'kubia').filter((e) => e.startsWith('SuccessfulCreate'))).toHaveLength(4);
  });

  it('template edits affect only new pods', async () => {
    await t.call('POST', RC_PATH, kubiaRc(2));
    await t.clock.settle();
    const old = podsWith(t, { app: 'kubia' });
    await t.call('PATCH', `${RC_PATH}/kubia`, { spec: { template: { metadata: { labels: { foo: 'bar' } } } } }, MERGE);
    await t.clock.settle();
    expect(podsWith(t, { app: 'kubia' }).map((p) => p.metadata.name).sort()).toEqual(old.map((p) => p.metadata.name).sort());
    expect((await rc()).status).toMatchObject({ replicas: 2, observedGeneration: 2 });
    expect((await rc()).status.fullyLabeledReplicas).toBeUndefined();
    await t.call('DELETE', `/api/v1/namespaces/default/pods/${old[0].metadata.name}`);
    await t.clock.settle();
    const now = podsWith(t, { app: 'kubia' });
    expect(now.filter((p) => p.metadata.labels?.foo === 'bar')).toHaveLength(1);
    expect(now.filter((p) => p.metadata.labels?.foo === undefined).map((p) => p.metadata.name)).toEqual([old[1].metadata.name]);
  });

  it('status counts follow the readiness the kubelet reports, availability waits minReadySeconds', async () => {
    const spec = kubiaRc(3);
    (spec.spec as Record<string, unknown>).minReadySeconds = 10;
    await t.call('POST', RC_PATH, spec);
    await t.clock.settle();
    const pods = podsWith(t, { app: 'kubia' });
    await markRunning(t, pods[0]);
    await markRunning(t, pods[1]);
    await markRunning(t, pods[2], { ready: false });
    await t.clock.settle();
    expect((await rc()).status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2 });
    expect((await rc()).status.availableReplicas).toBeUndefined();
    await t.clock.advance(10_000);
    expect((await rc()).status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
    await markRunning(t, pods[2]);
    await t.clock.advance(9_000);
    expect((await rc()).status).toMatchObject({ readyReplicas: 3, availableReplicas: 2 });
    await t.clock.advance(1_000);
    expect((await rc()).status).toMatchObject({ readyReplicas: 3, availableReplicas: 3 });
  });

  it('adopts orphans that match the selector instead of creating pods', async () => {
    for (const n of ['orphan-a', 'orphan-b']) {
      const r = await t.call('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: n, labels: { app: 'kubia' } },
        spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] },
      });
      expect(r.code).toBe(201);
    }
    await t.call('POST', RC_PATH, kubiaRc(3));
    await t.clock.settle();
    const pods = podsWith(t, { app: 'kubia' });
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(controllerOf(p)).toBe('ReplicationController/kubia');
    expect(pods.map((p) => p.metadata.name)).toEqual(expect.arrayContaining(['orphan-a', 'orphan-b']));
    expect(eventsFor(t, 'ReplicationController', 'kubia').filter((e) => e.startsWith('SuccessfulCreate'))).toHaveLength(1);
  });

  it('does not create pods twice while its own writes are in flight', async () => {
    await t.call('POST', RC_PATH, kubiaRc(5));
    // poke the controller repeatedly while it is working
    for (let i = 0; i < 5; i++) {
      await t.call('PATCH', `${RC_PATH}/kubia`, { metadata: { annotations: { poke: String(i) } } }, MERGE);
    }
    await t.clock.settle();
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(5);
    expect(eventsFor(t, 'ReplicationController', 'kubia').filter((e) => e.startsWith('SuccessfulCreate'))).toHaveLength(5);
  });
});

describe('ReplicaSet', () => {
  it('works with a matchExpressions selector and adopts the orphans an RC left behind', async () => {
    await t.call('POST', RC_PATH, kubiaRc(3));
    await t.clock.settle();
    const orphans = podsWith(t, { app: 'kubia' }).map((p) => p.metadata.name).sort();
    // kubectl delete rc kubia --cascade=orphan: the garbage collector frees the pods
    t.sandbox.add(new GarbageCollector(t.sandbox.store, t.sandbox.registry));
    const del = await t.call('DELETE', `${RC_PATH}/kubia?propagationPolicy=Orphan`);
    expect(del.code).toBe(200);
    await t.clock.settle();
    expect((await t.call('GET', `${RC_PATH}/kubia`)).code).toBe(404);
    const left = podsWith(t, { app: 'kubia' });
    expect(left.map((p) => p.metadata.name).sort()).toEqual(orphans);
    for (const p of left) expect(p.metadata.ownerReferences).toBeUndefined();
    const r = await t.call('POST', RS_PATH, {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'kubia' },
      spec: {
        replicas: 3,
        selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['kubia'] }] },
        template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] } },
      },
    });
    expect(r.code).toBe(201);
    await t.clock.settle();
    const pods = podsWith(t, { app: 'kubia' });
    expect(pods.map((p) => p.metadata.name).sort()).toEqual(orphans);
    for (const p of pods) {
      expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'kubia', controller: true, blockOwnerDeletion: true })]);
    }
    expect(eventsFor(t, 'ReplicaSet', 'kubia')).toEqual([]);
    for (const p of pods) expect(Date.parse(p.metadata.creationTimestamp!)).toBeLessThanOrEqual(Date.parse(r.json.metadata.creationTimestamp));
    for (const p of pods) await markRunning(t, p);
    await t.clock.settle();
    const rs = (await t.call('GET', `${RS_PATH}/kubia`)).json;
    expect(rs.status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    // scale up through the scale subresource
    await t.call('PATCH', `${RS_PATH}/kubia/scale`, { spec: { replicas: 4 } }, MERGE);
    await t.clock.settle();
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(4);
    const ev = eventsFor(t, 'ReplicaSet', 'kubia');
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatch(/^SuccessfulCreate: Created pod: kubia-[a-z0-9]{5}$/);
    expect(eventSources(t, 'ReplicaSet', 'kubia')).toEqual(['replicaset-controller']);
  });

  it('creates a large scale-up in slow-start batches and reaches the count exactly', async () => {
    const r = await t.call('POST', RS_PATH, {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'big' },
      spec: {
        replicas: 20, selector: { matchLabels: { app: 'big' } },
        template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    expect(r.code).toBe(201);
    await t.clock.settle();
    expect(podsWith(t, { app: 'big' })).toHaveLength(20);
    const rs = (await t.call('GET', `${RS_PATH}/big`)).json;
    expect(rs.status.replicas).toBe(20);
  });
});

describe('with the garbage collector', () => {
  it('deleting an RC (background) removes its pods and nothing recreates them', async () => {
    t.sandbox.add(new GarbageCollector(t.sandbox.store, t.sandbox.registry));
    await t.call('POST', RC_PATH, kubiaRc(3));
    await t.clock.settle();
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(3);
    expect((await t.call('DELETE', `${RC_PATH}/kubia`)).code).toBe(200);
    await t.clock.settle();
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(0);
  });
});
