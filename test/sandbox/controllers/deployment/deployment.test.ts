import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../../src/sandbox/apiserver/types.js';
import { startDeploymentController } from '../../../../src/sandbox/controllers/deployment/index.js';
import { computeHash } from '../../../../src/sandbox/controllers/deployment/util.js';
import { startReplicaSetControllers } from '../../../../src/sandbox/controllers/replicaset/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { eventSources, eventsFor, JSONPATCH, markRunning, MERGE, podsWith } from '../replicaset/helpers.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox({ controllers: false, seed: 11 });
  t.sandbox.add(startReplicaSetControllers(t.sandbox.ctx));
  t.sandbox.add(startDeploymentController(t.sandbox.ctx));
});
afterEach(() => t.close());

const D_PATH = '/apis/apps/v1/namespaces/default/deployments';
const SAFE = /^[bcdfghjklmnpqrstvwxz2456789]{9,10}$/;

function kubia(opts: { replicas?: number; image?: string; strategy?: unknown; extra?: Record<string, unknown>; annotations?: Record<string, string> } = {}) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'kubia', ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      replicas: opts.replicas ?? 3,
      selector: { matchLabels: { app: 'kubia' } },
      ...(opts.strategy ? { strategy: opts.strategy } : {}),
      ...(opts.extra ?? {}),
      template: {
        metadata: { labels: { app: 'kubia' } },
        spec: { containers: [{ name: 'nodejs', image: opts.image ?? 'luksa/kubia:v1' }] },
      },
    },
  };
}

async function deploy(): Promise<any> {
  return (await t.call('GET', `${D_PATH}/kubia`)).json;
}

function replicaSets(): KObject[] {
  const rt = t.sandbox.registry.forKind('apps', 'ReplicaSet')!;
  return t.sandbox.store.list(rt, 'default').items;
}

function rsByImage(image: string): KObject | undefined {
  return replicaSets().find((rs) => rs.spec.template.spec.containers[0].image === image);
}

/** the kubelet reports every live pod of the deployment ready */
async function readyAll(): Promise<void> {
  for (const p of podsWith(t, { app: 'kubia' })) {
    if (!p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')) await markRunning(t, p);
  }
  await t.clock.settle();
}

/** ready the not-ready live pods of one RS */
async function readyPodsOf(rs: KObject, n = Infinity): Promise<void> {
  let done = 0;
  for (const p of podsWith(t, { app: 'kubia', 'pod-template-hash': rs.metadata.labels!['pod-template-hash'] })) {
    if (done >= n) break;
    if (p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')) continue;
    await markRunning(t, p);
    done++;
  }
  await t.clock.settle();
}

async function setImage(image: string): Promise<void> {
  const r = await t.call('PATCH', `${D_PATH}/kubia`, { spec: { template: { spec: { containers: [{ name: 'nodejs', image }] } } } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
  expect(r.code).toBe(200);
  await t.clock.settle();
}

function sizes(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rs of replicaSets()) out[rs.spec.template.spec.containers[0].image] = rs.spec.replicas;
  return out;
}

function cond(d: KObject, type: string) {
  return d.status?.conditions?.find((c: { type: string }) => c.type === type);
}

describe('Deployment', () => {
  it('creates a ReplicaSet named after the pod-template hash, with pods, annotations and events', async () => {
    const r = await t.call('POST', D_PATH, kubia({ annotations: { 'kubernetes.io/change-cause': 'kubectl create deployment kubia' } }));
    expect(r.code).toBe(201);
    await t.clock.settle();
    const [rs] = replicaSets();
    expect(replicaSets()).toHaveLength(1);
    const hash = rs.metadata.labels!['pod-template-hash'];
    expect(hash).toMatch(SAFE);
    expect(rs.metadata.name).toBe(`kubia-${hash}`);
    expect(rs.spec.selector).toEqual({ matchLabels: { app: 'kubia', 'pod-template-hash': hash } });
    expect(rs.spec.template.metadata.labels).toEqual({ app: 'kubia', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'kubectl create deployment kubia',
    });
    expect(rs.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'kubia', controller: true, blockOwnerDeletion: true })]);
    const pods = podsWith(t, { app: 'kubia' });
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^kubia-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels!['pod-template-hash']).toBe(hash);
    }
    expect(eventsFor(t, 'Deployment', 'kubia')).toEqual([`ScalingReplicaSet: Scaled up replica set kubia-${hash} from 0 to 3`]);
    expect(eventSources(t, 'Deployment', 'kubia')).toEqual(['deployment-controller']);

    let d = await deploy();
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, unavailableReplicas: 3 });
    expect(cond(d, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });

    await readyAll();
    d = await deploy();
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(cond(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "kubia-${hash}" has successfully progressed.` });
  });

  it('computes the same hash for the same template and a different one for another', () => {
    const a = kubia().spec.template;
    const b = kubia({ image: 'luksa/kubia:v2' }).spec.template;
    expect(computeHash(a)).toBe(computeHash(structuredClone(a)));
    expect(computeHash(a)).not.toBe(computeHash(b));
    expect(computeHash(a, 1)).not.toBe(computeHash(a));
    expect(computeHash(a)).toMatch(SAFE);
  });

  it('rolls out step by step within maxSurge 1 / maxUnavailable 0 as new pods become ready', async () => {
    await t.call('POST', D_PATH, kubia({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await t.clock.settle();
    await readyAll();
    const v1 = rsByImage('luksa/kubia:v1')!;

    await setImage('luksa/kubia:v2');
    const v2 = rsByImage('luksa/kubia:v2')!;
    expect(v2.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect((await deploy()).metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 3, 'luksa/kubia:v2': 1 });
    // nothing moves until the new pod is ready
    await t.clock.advance(5000);
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 3, 'luksa/kubia:v2': 1 });
    let d = await deploy();
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 1, availableReplicas: 3 });

    await readyPodsOf(v2);
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 2, 'luksa/kubia:v2': 2 });
    await readyPodsOf(v2);
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 1, 'luksa/kubia:v2': 3 });
    await readyPodsOf(v2);
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 0, 'luksa/kubia:v2': 3 });

    const n1 = v1.metadata.name;
    const n2 = v2.metadata.name;
    expect(eventsFor(t, 'Deployment', 'kubia')).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${n1} from 0 to 3`,
      `ScalingReplicaSet: Scaled up replica set ${n2} from 0 to 1`,
      `ScalingReplicaSet: Scaled down replica set ${n1} from 3 to 2`,
      `ScalingReplicaSet: Scaled up replica set ${n2} from 1 to 2`,
      `ScalingReplicaSet: Scaled down replica set ${n1} from 2 to 1`,
      `ScalingReplicaSet: Scaled up replica set ${n2} from 2 to 3`,
      `ScalingReplicaSet: Scaled down replica set ${n1} from 1 to 0`,
    ]);
    d = await deploy();
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(cond(d, 'Progressing')).toMatchObject({ reason: 'NewReplicaSetAvailable' });
    // the old RS stays (history), its pods are terminating
    expect(replicaSets()).toHaveLength(2);
    expect(podsWith(t, { app: 'kubia' }).every((p) => p.spec.containers[0].image === 'luksa/kubia:v2')).toBe(true);
  });

  it('with maxSurge 0 / maxUnavailable 1 scales the old ReplicaSet down first', async () => {
    await t.call('POST', D_PATH, kubia({ replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }));
    await t.clock.settle();
    await readyAll();
    await setImage('luksa/kubia:v2');
    // new RS created at 0, old scaled down by one, then the new one takes the freed slot
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 1, 'luksa/kubia:v2': 1 });
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(2);
    await readyPodsOf(rsByImage('luksa/kubia:v2')!);
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 0, 'luksa/kubia:v2': 2 });
    await readyPodsOf(rsByImage('luksa/kubia:v2')!);
    const d = await deploy();
    expect(d.status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
  });

  it('percent maxSurge rounds up and maxUnavailable rounds down (defaults 25%)', async () => {
    await t.call('POST', D_PATH, kubia({ replicas: 10 }));
    await t.clock.settle();
    const [rs] = replicaSets();
    // 25% of 10: surge ceil(2.5)=3 → max-replicas 13
    expect(rs.metadata.annotations!['deployment.kubernetes.io/max-replicas']).toBe('13');
    await readyAll();
    await setImage('luksa/kubia:v2');
    // surge 3 → new RS 0 → 3; unavailable floor(2.5)=2 → old RS 10 → 8; then the new RS fills
    // the room the deleted old pods freed (8 + 5 = 13 = replicas + maxSurge)
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 8, 'luksa/kubia:v2': 5 });
    const v1 = rsByImage('luksa/kubia:v1')!.metadata.name;
    const v2 = rsByImage('luksa/kubia:v2')!.metadata.name;
    expect(eventsFor(t, 'Deployment', 'kubia').slice(1)).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${v2} from 0 to 3`,
      `ScalingReplicaSet: Scaled down replica set ${v1} from 10 to 8`,
      `ScalingReplicaSet: Scaled up replica set ${v2} from 3 to 5`,
    ]);
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(13);
  });

  it('Recreate deletes all old pods before creating the new ReplicaSet', async () => {
    await t.call('POST', D_PATH, kubia({ replicas: 2, strategy: { type: 'Recreate' } }));
    await t.clock.settle();
    await readyAll();
    const v1 = rsByImage('luksa/kubia:v1')!;
    await setImage('luksa/kubia:v2');
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 0 });
    // the old pods are terminating (30 s grace): no new RS yet
    expect(podsWith(t, { app: 'kubia' }, 'default', { terminating: true })).toHaveLength(2);
    await t.clock.advance(10_000);
    expect(rsByImage('luksa/kubia:v2')).toBeUndefined();
    await t.clock.advance(21_000);
    const v2 = rsByImage('luksa/kubia:v2')!;
    expect(v2.spec.replicas).toBe(2);
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(2);
    expect(eventsFor(t, 'Deployment', 'kubia')).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${v1.metadata.name} from 0 to 2`,
      `ScalingReplicaSet: Scaled down replica set ${v1.metadata.name} from 2 to 0`,
      `ScalingReplicaSet: Scaled up replica set ${v2.metadata.name} from 0 to 2`,
    ]);
    await readyAll();
    expect((await deploy()).status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
  });

  it('rollout undo (template patched back, as kubectl does) reuses the old ReplicaSet and bumps its revision', async () => {
    await t.call('POST', D_PATH, kubia({ replicas: 2 }));
    await t.clock.settle();
    await readyAll();
    await setImage('luksa/kubia:v2');
    await readyAll();
    await readyAll();
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 0, 'luksa/kubia:v2': 2 });
    const v1 = rsByImage('luksa/kubia:v1')!;
    // kubectl rollout undo: the RS's template without pod-template-hash replaces the deployment's
    const template = structuredClone(v1.spec.template);
    delete template.metadata.labels['pod-template-hash'];
    const r = await t.call('PATCH', `${D_PATH}/kubia`, [
      { op: 'replace', path: '/spec/template', value: template },
    ], JSONPATCH);
    expect(r.code).toBe(200);
    await t.clock.settle();
    expect(replicaSets()).toHaveLength(2);
    const again = rsByImage('luksa/kubia:v1')!;
    expect(again.metadata.name).toBe(v1.metadata.name);
    expect(again.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect((await deploy()).metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    await readyAll();
    await readyAll();
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 2, 'luksa/kubia:v2': 0 });
    expect(rsByImage('luksa/kubia:v2')!.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('a paused deployment does not roll out; resuming does', async () => {
    await t.call('POST', D_PATH, kubia({ replicas: 2 }));
    await t.clock.settle();
    await readyAll();
    await t.call('PATCH', `${D_PATH}/kubia`, { spec: { paused: true } }, MERGE);
    await t.clock.settle();
    let d = await deploy();
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    await setImage('luksa/kubia:v2');
    expect(replicaSets()).toHaveLength(1);
    d = await deploy();
    expect(d.status.observedGeneration).toBe(d.metadata.generation);
    expect(d.status.updatedReplicas).toBeUndefined();
    // scaling still works while paused
    await t.call('PATCH', `${D_PATH}/kubia/scale`, { spec: { replicas: 3 } }, MERGE);
    await t.clock.settle();
    expect(sizes()).toEqual({ 'luksa/kubia:v1': 3 });
    await t.call('PATCH', `${D_PATH}/kubia`, { spec: { paused: false } }, MERGE);
    await t.clock.settle();
    expect(replicaSets()).toHaveLength(2);
    expect(rsByImage('luksa/kubia:v2')!.spec.replicas).toBeGreaterThan(0);
    d = await deploy();
    expect(cond(d, 'Progressing')?.reason).not.toBe('DeploymentPaused');
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    await t.call('POST', D_PATH, kubia({ replicas: 1, extra: { revisionHistoryLimit: 1 } }));
    await t.clock.settle();
    await readyAll();
    for (const v of ['v2', 'v3', 'v4']) {
      await setImage(`luksa/kubia:${v}`);
      await readyAll();
      await readyAll();
    }
    const images = replicaSets().map((rs) => rs.spec.template.spec.containers[0].image).sort();
    expect(images).toEqual(['luksa/kubia:v3', 'luksa/kubia:v4']);
    expect(rsByImage('luksa/kubia:v4')!.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('4');
  });

  it('rollout restart (a template annotation) creates a new ReplicaSet', async () => {
    await t.call('POST', D_PATH, kubia({ replicas: 1 }));
    await t.clock.settle();
    await readyAll();
    await t.call('PATCH', `${D_PATH}/kubia`, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T12:00:00Z' } } } } }, MERGE);
    await t.clock.settle();
    expect(replicaSets()).toHaveLength(2);
    await readyAll();
    await readyAll();
    const rs = replicaSets().find((r) => r.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'])!;
    expect(rs.spec.replicas).toBe(1);
    expect(rs.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('scaling a deployment scales its ReplicaSet and records the event', async () => {
    await t.call('POST', D_PATH, kubia({ replicas: 3 }));
    await t.clock.settle();
    await readyAll();
    await t.call('PATCH', `${D_PATH}/kubia/scale`, { spec: { replicas: 5 } }, MERGE);
    await t.clock.settle();
    const [rs] = replicaSets();
    expect(rs.spec.replicas).toBe(5);
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '5', 'deployment.kubernetes.io/max-replicas': '7' });
    expect(eventsFor(t, 'Deployment', 'kubia').at(-1)).toBe(`ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} from 3 to 5`);
    expect(podsWith(t, { app: 'kubia' })).toHaveLength(5);
  });

  it('reports ProgressDeadlineExceeded when the rollout makes no progress in time', async () => {
    await t.call('POST', D_PATH, kubia({ replicas: 1, extra: { progressDeadlineSeconds: 60 } }));
    await t.clock.settle();
    await readyAll();
    await setImage('luksa/kubia:v3');
    let d = await deploy();
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'True' });
    await t.clock.advance(30_000);
    expect(cond(await deploy(), 'Progressing')).toMatchObject({ status: 'True' });
    await t.clock.advance(40_000);
    d = await deploy();
    const v3 = rsByImage('luksa/kubia:v3')!;
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${v3.metadata.name}" has timed out progressing.` });
  });
});
