import { describe, expect, it } from 'vitest';
import { serverSideApply, trackUpdate, applyPatch } from '../../../src/sandbox/apiserver/patch/index.js';
import { StatusError } from '../../../src/sandbox/apiserver/errors.js';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { deploymentSchema, podSchema, rcSchema } from './schema.js';

const T0 = '2026-01-01T10:00:00.123Z';
const T1 = '2026-01-01T10:05:00Z';
const T2 = '2026-01-01T10:09:00Z';

/** the RC of the notes as the server stores it after create (defaults applied, server metadata set) */
function storedRC(replicas = 3): KObject {
  return {
    apiVersion: 'v1', kind: 'ReplicationController',
    metadata: { name: 'kubia', namespace: 'default', uid: 'u1', resourceVersion: '10', creationTimestamp: '2026-01-01T10:00:00Z', generation: 1, labels: { app: 'kubia' } },
    spec: {
      replicas, selector: { app: 'kubia' },
      template: {
        metadata: { labels: { app: 'kubia' } },
        spec: {
          containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080, protocol: 'TCP' }], imagePullPolicy: 'Always', resources: {} }],
          restartPolicy: 'Always', dnsPolicy: 'ClusterFirst',
        },
      },
    },
    status: { replicas: 0 },
  };
}

function appliedRC(replicas?: number, image = 'luksa/kubia'): KObject {
  const o: KObject = {
    apiVersion: 'v1', kind: 'ReplicationController',
    metadata: { name: 'kubia', labels: { app: 'kubia' } },
    spec: {
      selector: { app: 'kubia' },
      template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image, ports: [{ containerPort: 8080 }] }] } },
    },
  };
  if (replicas !== undefined) o.spec.replicas = replicas;
  return o;
}

function conflictOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    return (e as StatusError).status;
  }
  throw new Error('expected a conflict');
}

const applyOpts = (extra: Partial<Parameters<typeof serverSideApply>[2]> = {}) => ({
  manager: 'kubectl', force: false, apiVersion: 'v1', now: T1, schema: rcSchema, ...extra,
});

describe('trackUpdate', () => {
  it('records an Update entry on create with FieldsV1 like kube-apiserver', () => {
    const out = trackUpdate(undefined, storedRC(), { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', now: T0, schema: rcSchema });
    expect(out.metadata.managedFields).toEqual([{
      manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T10:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': { '.': {}, 'f:app': {} },
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"kubia"}': {
                  '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {},
                  'f:ports': { '.': {}, 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
                  'f:resources': {},
                },
              },
              'f:dnsPolicy': {}, 'f:restartPolicy': {},
            },
          },
        },
      },
    }]);
    // status, apiVersion/kind and server-set metadata are never recorded
    expect(JSON.stringify(out.metadata.managedFields)).not.toMatch(/f:status|f:uid|f:name"?:\{\},"f:namespace|f:kind/);
  });

  it('merges later writes of the same manager and moves changed fields away from other managers', () => {
    const created = trackUpdate(undefined, storedRC(), { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', now: T0, schema: rcSchema });
    const scaled = applyPatch('application/merge-patch+json', created, '{"spec":{"replicas":5}}', rcSchema);
    const s1 = trackUpdate(created, scaled, { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', now: T1, schema: rcSchema, subresource: 'scale' });
    const mf = s1.metadata.managedFields!;
    expect(mf.map((e) => [e.manager, e.subresource])).toEqual([['kubectl-client-side-apply', undefined], ['kubectl', 'scale']]);
    expect(mf[1].fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect((mf[0].fieldsV1 as any)['f:spec']['f:replicas']).toBeUndefined();

    const labeled = applyPatch('application/merge-patch+json', s1, '{"metadata":{"labels":{"x":"1"}}}', rcSchema);
    const s2 = trackUpdate(s1, labeled, { manager: 'kubectl-label', operation: 'Update', apiVersion: 'v1', now: T1, schema: rcSchema });
    const relabeled = applyPatch('application/merge-patch+json', s2, '{"metadata":{"labels":{"y":"2"}}}', rcSchema);
    const s3 = trackUpdate(s2, relabeled, { manager: 'kubectl-label', operation: 'Update', apiVersion: 'v1', now: T2, schema: rcSchema });
    const label = s3.metadata.managedFields!.filter((e) => e.manager === 'kubectl-label');
    expect(label).toHaveLength(1);
    expect(label[0].time).toBe(T2);
    expect(label[0].fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:x': {}, 'f:y': {} } } });

    // removing a label removes it from every owner
    const unlabeled = applyPatch('application/merge-patch+json', s3, '{"metadata":{"labels":{"x":null}}}', rcSchema);
    const s4 = trackUpdate(s3, unlabeled, { manager: 'kubectl-label', operation: 'Update', apiVersion: 'v1', now: T2, schema: rcSchema });
    expect(s4.metadata.managedFields!.find((e) => e.manager === 'kubectl-label')!.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:y': {} } } });
  });

  it('a write that changes nothing adds no entry and keeps timestamps', () => {
    const created = trackUpdate(undefined, storedRC(), { manager: 'a', operation: 'Update', apiVersion: 'v1', now: T0, schema: rcSchema });
    const same = trackUpdate(created, structuredClone(created), { manager: 'b', operation: 'Update', apiVersion: 'v1', now: T1, schema: rcSchema });
    expect(same.metadata.managedFields).toEqual(created.metadata.managedFields);
  });

  it('status writes are recorded for the status subresource only', () => {
    const created = trackUpdate(undefined, storedRC(), { manager: 'a', operation: 'Update', apiVersion: 'v1', now: T0, schema: rcSchema });
    const next = { ...structuredClone(created), status: { replicas: 3 } };
    const out = trackUpdate(created, next, { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', now: T1, schema: rcSchema, subresource: 'status' });
    expect(out.metadata.managedFields!.at(-1)).toMatchObject({ manager: 'kube-controller-manager', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } });
  });
});

describe('serverSideApply', () => {
  it('creates with an Apply entry (no "." on named fields, keys from list-map keys)', () => {
    const out = serverSideApply(undefined, appliedRC(3), applyOpts({ now: T0 }));
    expect(out.spec.replicas).toBe(3);
    expect(out.metadata.managedFields).toEqual([{
      manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2026-01-01T10:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': { 'f:app': {} },
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"kubia"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } } },
          },
        },
      },
    }]);
  });

  it('re-applying the same configuration is a no-op (object and managedFields unchanged)', () => {
    const first = serverSideApply(undefined, appliedRC(3), applyOpts({ now: T0 }));
    const stored = { ...first, metadata: { ...first.metadata, uid: 'u', resourceVersion: '5' } };
    const second = serverSideApply(stored, appliedRC(3), applyOpts({ now: T2 }));
    expect(second).toEqual(stored);
  });

  it('changing a field owned by client-side apply conflicts, with kube wording and causes', () => {
    // created by kubectl apply (client-side) without replicas in the manifest: the defaulted replicas is owned by it
    const created = trackUpdate(undefined, storedRC(1), { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', now: T0, schema: rcSchema });
    const status = conflictOf(() => serverSideApply(created, appliedRC(3), applyOpts()));
    expect(status).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 409, reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.spec.replicas' }] },
    });
  });

  it('several conflicts are grouped by manager', () => {
    const created = trackUpdate(undefined, storedRC(1), { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', now: T0, schema: rcSchema });
    const status = conflictOf(() => serverSideApply(created, appliedRC(3, 'luksa/kubia:v2'), applyOpts({ manager: 'mine' })));
    expect(status.message).toBe('Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="kubia"].image');
    expect(status.details!.causes!.map((c) => c.field)).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="kubia"].image']);
  });

  it('same values are shared without conflict; force moves ownership', () => {
    const created = trackUpdate(undefined, storedRC(1), { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', now: T0, schema: rcSchema });
    const shared = serverSideApply(created, appliedRC(1), applyOpts());
    const csa = shared.metadata.managedFields!.find((e) => e.manager === 'kubectl-client-side-apply')!;
    expect((csa.fieldsV1 as any)['f:spec']['f:replicas']).toEqual({});

    const forced = serverSideApply(created, appliedRC(3), applyOpts({ force: true }));
    expect(forced.spec.replicas).toBe(3);
    const after = forced.metadata.managedFields!;
    expect(after.map((e) => e.manager)).toEqual(['kubectl', 'kubectl-client-side-apply']);
    expect((after[1].fieldsV1 as any)['f:spec']['f:replicas']).toBeUndefined();
    expect((after[0].fieldsV1 as any)['f:spec']['f:replicas']).toEqual({});
  });

  it('conflicts with another applier name no API version', () => {
    const a = serverSideApply(undefined, appliedRC(3), applyOpts({ manager: 'alice' }));
    const status = conflictOf(() => serverSideApply(a, appliedRC(4), applyOpts({ manager: 'bob' })));
    expect(status.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
  });

  it('kubectl may take over fields that still match the last-applied-configuration annotation', () => {
    const lastApplied = JSON.stringify({ ...appliedRC(2), metadata: { ...appliedRC(2).metadata, namespace: 'default' } }) + '\n';
    const live = storedRC(2);
    live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied };
    const created = trackUpdate(undefined, live, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', now: T0, schema: rcSchema });
    const out = serverSideApply(created, appliedRC(3), applyOpts());
    expect(out.spec.replicas).toBe(3);
    // and the annotation is kept in sync with the applied configuration
    expect(JSON.parse(out.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']).spec.replicas).toBe(3);
    // another manager name gets the conflict
    expect(conflictOf(() => serverSideApply(created, appliedRC(3), applyOpts({ manager: 'other' }))).code).toBe(409);
  });

  it('removes fields the applier no longer applies, unless someone else owns them', () => {
    const withLabels = appliedRC(3);
    withLabels.metadata.labels = { app: 'kubia', tier: 'web' };
    const first = serverSideApply(undefined, withLabels, applyOpts());
    const second = serverSideApply(first, appliedRC(), applyOpts({ now: T2 }));
    expect(second.metadata.labels).toEqual({ app: 'kubia' });
    expect(second.spec.replicas).toBeUndefined();

    // a label also set by kubectl-label survives
    const labeled = trackUpdate(first, { ...first, metadata: { ...first.metadata, labels: { app: 'kubia', tier: 'web', x: '1' } } },
      { manager: 'kubectl-label', operation: 'Update', apiVersion: 'v1', now: T1, schema: rcSchema });
    const third = serverSideApply(labeled, appliedRC(3), applyOpts({ now: T2 }));
    expect(third.metadata.labels).toEqual({ app: 'kubia', x: '1' });
  });

  it('removes a container the applier stopped applying', () => {
    const two = appliedRC(1);
    two.spec.template.spec.containers.push({ name: 'side', image: 'busybox' });
    const first = serverSideApply(undefined, two, applyOpts());
    const second = serverSideApply(first, appliedRC(1), applyOpts());
    expect(second.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['kubia']);
  });

  it('atomic structs (Deployment selector) are owned as a whole', () => {
    const dep: KObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, replicas: 1 } };
    const out = serverSideApply(undefined, dep, { manager: 'kubectl', force: false, apiVersion: 'apps/v1', now: T0, schema: deploymentSchema });
    expect(out.metadata.managedFields![0].fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {}, 'f:selector': {} } });
  });

  it('rejects managedFields in the configuration and a wrong apiVersion', () => {
    const bad = appliedRC(1);
    bad.metadata.managedFields = [];
    expect(conflictOf(() => serverSideApply(undefined, bad, applyOpts())).message).toBe('metadata.managedFields must be nil');
    expect(conflictOf(() => serverSideApply(undefined, { ...appliedRC(1), apiVersion: 'v2' }, applyOpts())).message)
      .toBe('Incorrect version specified in apply patch. Specified patch version: v2, expected: v1');
  });

  it('objects nobody tracked yet get a before-first-apply owner', () => {
    const live = storedRC(1);
    const status = conflictOf(() => serverSideApply(live, appliedRC(3), applyOpts({ manager: 'x' })));
    expect(status.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .spec.replicas');
  });

  it('pod created by kubectl run then applied server-side keeps unrelated fields', () => {
    const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kubia', labels: { run: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080, protocol: 'TCP' }] }], restartPolicy: 'Always' } };
    const created = trackUpdate(undefined, pod, { manager: 'kubectl-run', operation: 'Update', apiVersion: 'v1', now: T0, schema: podSchema });
    const out = serverSideApply(created, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kubia', labels: { extra: 'y' } } }, { manager: 'kubectl', force: false, apiVersion: 'v1', now: T1, schema: podSchema });
    expect(out.metadata.labels).toEqual({ run: 'kubia', extra: 'y' });
    expect(out.spec).toEqual(pod.spec);
    expect(out.metadata.managedFields!.map((e) => `${e.manager}/${e.operation}`)).toEqual(['kubectl/Apply', 'kubectl-run/Update']);
  });
});

describe('robustness', () => {
  it('junk managedFields and odd values never crash', () => {
    const live = storedRC(1);
    (live.metadata as any).managedFields = [null, 3, { manager: 'm', operation: 'Update', apiVersion: 'v1', fieldsV1: 'junk' }, { manager: 'n', fieldsV1: { 'f:spec': { 'f:replicas': {} }, zzz: 1 } }];
    const out = trackUpdate(live, { ...live, spec: { ...live.spec, replicas: 2 } }, { manager: 'k', operation: 'Update', apiVersion: 'v1', now: 'not a time' });
    expect(out.metadata.managedFields!.map((e) => e.manager)).toEqual(['k']);
    const odd: KObject = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'kubia' }, spec: { replicas: 'x', template: [1, 2], selector: null } };
    expect(() => serverSideApply(live, odd, applyOpts({ force: true }))).not.toThrow();
    expect(() => serverSideApply(undefined, odd, applyOpts({ schema: undefined }))).not.toThrow();
  });
  it('deeply nested patches are rejected, not crashed on', () => {
    const deep = '['.repeat(20000) + ']'.repeat(20000);
    expect(() => applyPatch('application/json-patch+json', storedRC(), deep, undefined)).toThrow(StatusError);
    expect(() => applyPatch('application/strategic-merge-patch+json', storedRC(), '{"a":' + deep + '}', rcSchema)).toThrow(StatusError);
  });
});
