/**
 * The notes' flows through the real Store: defaulting + validation as wired by the API server.
 */
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { Store } from '../../../src/sandbox/apiserver/store.js';
import { StatusError } from '../../../src/sandbox/apiserver/errors.js';
import { Registry } from '../../../src/sandbox/registry/index.js';
import { Ipam } from '../../../src/sandbox/network/ipam.js';
import { ManualClock } from '../../../src/sandbox/clock.js';

async function setup() {
  const clock = new ManualClock();
  const registry = new Registry();
  const store = new Store({ clock, ctx: { clock, ipam: new Ipam() } });
  const rt = (group: string, kind: string) => registry.forKind(group, kind)!;
  await store.create(rt('', 'Namespace'), undefined, { metadata: { name: 'default' } });
  return { store, rt };
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return e.status.message ?? '';
    throw e;
  }
  throw new Error('expected a failure');
}

const container = { name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080, protocol: 'TCP' }] };

describe('store flows', () => {
  it('creates the kubia pod with the defaulted shape', async () => {
    const { store, rt } = await setup();
    const pod = await store.create(rt('', 'Pod'), 'default', { metadata: { name: 'kubia-manual' }, spec: { containers: [container] } });
    expect(pod.spec.serviceAccountName).toBe('default');
    expect(pod.spec.volumes[0].name).toMatch(/^kube-api-access-/);
    expect(pod.spec.containers[0].imagePullPolicy).toBe('Always');
  });

  it('rejects a pod without image, and a restartPolicy typo', async () => {
    const { store, rt } = await setup();
    expect(await failure(store.create(rt('', 'Pod'), 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } })))
      .toBe('Pod "p" is invalid: spec.containers[0].image: Required value');
    expect(await failure(store.create(rt('', 'Pod'), 'default', { metadata: { name: 'p' }, spec: { restartPolicy: 'Sometimes', containers: [container] } })))
      .toBe('Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"');
  });

  it('pod updates: image ok, other fields forbidden', async () => {
    const { store, rt } = await setup();
    const podRt = rt('', 'Pod');
    const pod = await store.create(podRt, 'default', { metadata: { name: 'kubia-manual' }, spec: { containers: [container] } });
    const img = structuredClone(pod);
    img.spec.containers[0].image = 'luksa/kubia:v2';
    await expect(store.update(podRt, 'default', 'kubia-manual', img)).resolves.toBeTruthy();
    const cur = store.get(podRt, 'default', 'kubia-manual');
    const bad = structuredClone(cur);
    bad.spec.containers[0].ports[0].containerPort = 9090;
    expect(await failure(store.update(podRt, 'default', 'kubia-manual', bad))).toMatch(/^Pod "kubia-manual" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  });

  it('RC, Deployment, Job and CronJob from the notes are accepted', async () => {
    const { store, rt } = await setup();
    const tpl = (labels: Record<string, string>, restartPolicy?: string): KObject => ({ metadata: { labels }, spec: { restartPolicy, containers: [container] } } as KObject);
    await store.create(rt('', 'ReplicationController'), 'default', { metadata: { name: 'kubia' }, spec: { replicas: 3, selector: { app: 'kubia' }, template: tpl({ app: 'kubia' }) } });
    await store.create(rt('apps', 'Deployment'), 'default', { metadata: { name: 'kubia' }, spec: { replicas: 3, selector: { matchLabels: { app: 'kubia' } }, template: tpl({ app: 'kubia' }) } });
    const job = await store.create(rt('batch', 'Job'), 'default', { metadata: { name: 'batch-job' }, spec: { template: tpl({ app: 'batch-job' }, 'OnFailure') } });
    expect(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(job.metadata.uid);
    await store.create(rt('batch', 'CronJob'), 'default', {
      metadata: { name: 'batch-job-every-fifteen-minutes' },
      spec: { schedule: '0,15,30,45 * * * *', jobTemplate: { spec: { template: tpl({ app: 'periodic-batch-job' }, 'OnFailure') } } },
    });
    // errors.ts renders the map as JSON today; with GoValue support it becomes map[string]string{...}
    expect(await failure(store.create(rt('', 'ReplicationController'), 'default', {
      metadata: { name: 'bad' }, spec: { selector: { app: 'kubia' }, template: tpl({ app: 'other' }) },
    }))).toMatch(/^ReplicationController "bad" is invalid: spec\.template\.metadata\.labels: Invalid value: (map\[string\]string\{"app":"other"\}|\{"app":"other"\}): `selector` does not match template `labels`$/);
  });

  it('services and namespaces', async () => {
    const { store, rt } = await setup();
    const svc = await store.create(rt('', 'Service'), 'default', { metadata: { name: 'kubia' }, spec: { selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] } });
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], internalTrafficPolicy: 'Cluster' });
    expect(svc.spec.clusterIPs).toEqual([svc.spec.clusterIP]);
    const np = await store.create(rt('', 'Service'), 'default', { metadata: { name: 'kubia-nodeport' }, spec: { type: 'NodePort', selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30123 }] } });
    expect(np.spec.externalTrafficPolicy).toBe('Cluster');
    const ns = await store.create(rt('', 'Namespace'), undefined, { metadata: { name: 'custom-namespace' } });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'custom-namespace' });
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
  });
});
