/** Lease, PriorityClass and ControllerRevision served by the registry (bootstrap objects kept). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupOrder, Registry, resources } from '../../../src/sandbox/registry/index.js';
import { startTestSandbox, TABLE_ACCEPT, type TestSandbox } from '../../helpers/sandbox.js';

describe('registry declarations', () => {
  const registry = new Registry();

  it('declares the three kinds with kube-apiserver names, scope and verbs', () => {
    const lease = registry.lookup('coordination.k8s.io', 'v1', 'leases')!;
    expect(lease).toMatchObject({ kind: 'Lease', singular: 'lease', namespaced: true });
    expect(lease.shortNames ?? []).toStrictEqual([]);
    const pc = registry.lookup('scheduling.k8s.io', 'v1', 'priorityclasses')!;
    expect(pc).toMatchObject({ kind: 'PriorityClass', singular: 'priorityclass', namespaced: false, shortNames: ['pc'] });
    const cr = registry.lookup('apps', 'v1', 'controllerrevisions')!;
    expect(cr).toMatchObject({ kind: 'ControllerRevision', singular: 'controllerrevision', namespaced: true });
    expect(cr.shortNames ?? []).toStrictEqual([]);
    for (const rt of [lease, pc, cr]) {
      expect(rt.verbs).toStrictEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
      expect(rt.categories ?? []).toStrictEqual([]);
      expect(rt.statusSubresource ?? false).toBe(false);
      expect(rt.hasGeneration ?? false).toBe(false);
    }
  });

  it('orders groups like /apis: …networking, scheduling, coordination, discovery', () => {
    expect(groupOrder).toStrictEqual(['', 'apps', 'batch', 'networking.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io']);
    expect(registry.groups().map((g) => g.group)).toStrictEqual(groupOrder);
    // resources sorted by name within a group: controllerrevisions first in apps
    expect(resources.filter((r) => r.group === 'apps').map((r) => r.plural)).toStrictEqual([
      'controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets',
    ]);
  });
});

describe('served', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  it('lists the groups in /apis order', async () => {
    const r = await t.call('GET', '/apis');
    expect(r.json.groups.map((g: { name: string }) => g.name)).toStrictEqual([
      'apps', 'batch', 'networking.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
    ]);
    const sched = await t.call('GET', '/apis/scheduling.k8s.io/v1');
    expect(sched.json.resources).toStrictEqual([
      expect.objectContaining({ name: 'priorityclasses', singularName: 'priorityclass', namespaced: false, kind: 'PriorityClass', shortNames: ['pc'] }),
    ]);
    const coord = await t.call('GET', '/apis/coordination.k8s.io/v1');
    expect(coord.json.resources).toStrictEqual([
      expect.objectContaining({ name: 'leases', singularName: 'lease', namespaced: true, kind: 'Lease' }),
    ]);
    expect(coord.json.resources[0]).not.toHaveProperty('shortNames');
  });

  it('keeps the bootstrap leases (node heartbeats and control-plane leader election)', async () => {
    const nodeLeases = await t.call('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases');
    expect(nodeLeases.code).toBe(200);
    expect(nodeLeases.json.items.map((l: { metadata: { name: string } }) => l.metadata.name)).toStrictEqual([
      'kube-tutor-control-plane', 'kube-tutor-worker', 'kube-tutor-worker2',
    ]);
    // what `kubectl describe node` asks for
    const worker = await t.call('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/kube-tutor-worker');
    expect(worker.json.spec).toMatchObject({ holderIdentity: 'kube-tutor-worker', leaseDurationSeconds: 40 });
    expect(worker.json.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const cp = await t.call('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases');
    expect(cp.json.items.map((l: { metadata: { name: string } }) => l.metadata.name)).toStrictEqual(['kube-controller-manager', 'kube-scheduler']);
  });

  it('prints leases as a Table with the holder', async () => {
    const r = await t.call('GET', '/apis/coordination.k8s.io/v1/leases', undefined, { Accept: TABLE_ACCEPT });
    expect(r.json.kind).toBe('Table');
    expect(r.json.columnDefinitions.map((c: { name: string }) => c.name)).toStrictEqual(['Name', 'Holder', 'Age']);
    const worker = r.json.rows.find((row: { cells: unknown[] }) => row.cells[0] === 'kube-tutor-worker');
    expect(worker.cells.slice(0, 2)).toStrictEqual(['kube-tutor-worker', 'kube-tutor-worker']);
  });

  it('keeps the system priority classes and prints all five cells', async () => {
    const r = await t.call('GET', '/apis/scheduling.k8s.io/v1/priorityclasses', undefined, { Accept: TABLE_ACCEPT });
    expect(r.json.columnDefinitions.map((c: { name: string }) => c.name)).toStrictEqual(['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy']);
    expect(r.json.rows.map((row: { cells: unknown[] }) => [row.cells[0], row.cells[1], row.cells[2], row.cells[4]])).toStrictEqual([
      ['system-cluster-critical', 2000000000, false, 'PreemptLowerPriority'],
      ['system-node-critical', 2000001000, false, 'PreemptLowerPriority'],
    ]);
  });

  it('defaults preemptionPolicy and guards value, policy and the system- prefix', async () => {
    const path = '/apis/scheduling.k8s.io/v1/priorityclasses';
    const created = await t.call('POST', path, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    expect(created.code).toBe(201);
    expect(created.json).toMatchObject({ value: 1000, preemptionPolicy: 'PreemptLowerPriority' });
    expect(created.json.metadata).not.toHaveProperty('namespace');
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const value = await t.call('PATCH', `${path}/high`, { value: 5 }, merge);
    expect(value.code).toBe(422);
    expect(value.json.message).toBe('PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: may not be changed in an update.');
    const policy = await t.call('PATCH', `${path}/high`, { preemptionPolicy: 'Never' }, merge);
    expect(policy.json.message).toBe('PriorityClass.scheduling.k8s.io "high" is invalid: preemptionPolicy: Invalid value: "Never": field is immutable');
    const desc = await t.call('PATCH', `${path}/high`, { description: 'ok' }, merge);
    expect(desc.code).toBe(200);
    const sys = await t.call('POST', path, { metadata: { name: 'system-foo' }, value: 1 });
    expect(sys.json.message).toBe(
      "PriorityClass.scheduling.k8s.io \"system-foo\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-foo is not a known system priority class",
    );
    const tooHigh = await t.call('POST', path, { metadata: { name: 'too-high' }, value: 1000000001 });
    expect(tooHigh.json.message).toBe('PriorityClass.scheduling.k8s.io "too-high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
    const bad = await t.call('POST', path, { metadata: { name: 'bad' }, value: 1, preemptionPolicy: 'Sometimes' });
    expect(bad.json.message).toBe('PriorityClass.scheduling.k8s.io "bad" is invalid: preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"');
    expect((await t.call('DELETE', `${path}/high`)).code).toBe(200);
  });

  it('keeps the DaemonSet controller revisions and prints their controller', async () => {
    const r = await t.call('GET', '/apis/apps/v1/namespaces/kube-system/controllerrevisions', undefined, { Accept: TABLE_ACCEPT });
    expect(r.json.columnDefinitions.map((c: { name: string }) => c.name)).toStrictEqual(['Name', 'Controller', 'Revision', 'Age']);
    const cells = r.json.rows.map((row: { cells: unknown[] }) => row.cells.slice(1, 3));
    expect(cells).toContainEqual(['daemonset.apps/kube-proxy', 1]);
    expect(cells).toContainEqual(['daemonset.apps/kindnet', 1]);
  });

  it('keeps controller revision data immutable', async () => {
    const path = '/apis/apps/v1/namespaces/default/controllerrevisions';
    const created = await t.call('POST', path, { metadata: { name: 'rev-1' }, data: { spec: { a: 1 } }, revision: 1 });
    expect(created.code).toBe(201);
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    expect((await t.call('PATCH', `${path}/rev-1`, { metadata: { labels: { x: 'y' } } }, merge)).code).toBe(200);
    const changed = await t.call('PATCH', `${path}/rev-1`, { data: { spec: { a: 2 } } }, merge);
    expect(changed.code).toBe(422);
    expect(changed.json.message).toMatch(/^ControllerRevision\.apps "rev-1" is invalid: data: Invalid value: .*: field is immutable$/);
    const noData = await t.call('POST', path, { metadata: { name: 'rev-2' }, revision: 1 });
    expect(noData.json.message).toBe('ControllerRevision.apps "rev-2" is invalid: data: Required value: data is mandatory');
    const negative = await t.call('POST', path, { metadata: { name: 'rev-3' }, data: {}, revision: -1 });
    expect(negative.json.message).toBe('ControllerRevision.apps "rev-3" is invalid: revision: Invalid value: -1: must be greater than or equal to 0');
  });

  it('validates lease spec numbers', async () => {
    const path = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
    const ok = await t.call('POST', path, { metadata: { name: 'my-lock' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 10 } });
    expect(ok.code).toBe(201);
    const bad = await t.call('POST', path, { metadata: { name: 'bad-lock' }, spec: { leaseDurationSeconds: 0 } });
    expect(bad.json.message).toBe('Lease.coordination.k8s.io "bad-lock" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0');
  });
});
