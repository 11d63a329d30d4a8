import { describe, expect, it } from 'vitest';
import { schemaFromComponents } from '../../../src/kubectl/apply/openapi.js';
import { applyMergePatch, applyPatch, mergePatch, threeWayMergePatch, threeWayPatch, twoWayPatch } from '../../../src/kubectl/apply/smp.js';
import { LAST_APPLIED, modifiedConfiguration, originalConfiguration } from '../../../src/kubectl/apply/lastapplied.js';
import { goJson } from '../../../src/kubectl/printers/json.js';
import { applyJsonPatch } from '../../../src/kubectl/apply/jsonpatch.js';

/** a slice of the core/v1 OpenAPI v3 schemas, with the patch extensions kubectl reads */
const ref = (n: string) => ({ allOf: [{ $ref: `#/components/schemas/${n}` }] });
const SCHEMAS: Record<string, any> = {
  Pod: {
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Pod' }],
    properties: { metadata: ref('ObjectMeta'), spec: ref('PodSpec') },
  },
  ObjectMeta: { properties: { labels: { type: 'object', additionalProperties: { type: 'string' } }, annotations: { type: 'object', additionalProperties: { type: 'string' } } } },
  PodSpec: {
    properties: {
      containers: { type: 'array', items: ref('Container'), 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
      volumes: { type: 'array', items: ref('Volume'), 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys' },
      finalizersLike: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
    },
  },
  Container: {
    properties: {
      ports: { type: 'array', items: ref('ContainerPort'), 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-patch-strategy': 'merge' },
      args: { type: 'array', items: { type: 'string' } },
    },
  },
  ContainerPort: { properties: {} },
  Volume: { properties: {} },
};
const schema = schemaFromComponents(SCHEMAS, 'Pod');

const pod = (over: any = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'kubia', labels: { app: 'kubia' }, ...(over.metadata ?? {}) },
  spec: { containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080, protocol: 'TCP' }] }], ...(over.spec ?? {}) },
});

describe('last-applied-configuration', () => {
  it('serializes the configuration with empty annotations, sorted keys and a newline', () => {
    const { object, value } = modifiedConfiguration(pod());
    expect(value).toBe(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"kubia"},"name":"kubia"},"spec":{"containers":[{"image":"luksa/kubia","name":"kubia","ports":[{"containerPort":8080,"protocol":"TCP"}]}]}}\n',
    );
    expect(object.metadata.annotations[LAST_APPLIED]).toBe(value);
    expect(originalConfiguration(object)).toEqual(JSON.parse(value));
  });
});

describe('three-way strategic merge patch', () => {
  const applied = (cfg: any) => modifiedConfiguration(cfg).object;

  it('is empty when nothing changed', () => {
    const cfg = applied(pod());
    const live: any = { ...structuredClone(cfg), status: { phase: 'Running' } };
    live.metadata.uid = 'x';
    expect(threeWayPatch(originalConfiguration(live), cfg, live, schema)).toEqual({});
  });

  it('changes a field, adds a label and removes one the last configuration had', () => {
    const old = applied(pod({ metadata: { labels: { app: 'kubia', env: 'dev' } } }));
    const live = structuredClone(old);
    const cfg = applied(pod({ metadata: { labels: { app: 'kubia', tier: 'web' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia:v2', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } }));
    const p = threeWayPatch(originalConfiguration(live), cfg, live, schema);
    expect(p.metadata.labels).toEqual({ env: null, tier: 'web' });
    expect(p.spec.containers).toEqual([{ image: 'luksa/kubia:v2', name: 'kubia' }]);
    expect(p.spec['$setElementOrder/containers']).toEqual([{ name: 'kubia' }]);
  });

  it('replaces a merge-keyed list element with a delete directive, like kubectl', () => {
    const live = applied(pod());
    const cfg = applied(pod({ spec: { containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8081, protocol: 'TCP' }] }] } }));
    const p = threeWayPatch(originalConfiguration(live), cfg, live, schema);
    expect(goJson(p.spec)).toBe(
      '{"$setElementOrder/containers":[{"name":"kubia"}],"containers":[{"$setElementOrder/ports":[{"containerPort":8081}],"name":"kubia","ports":[{"containerPort":8081,"protocol":"TCP"},{"$patch":"delete","containerPort":8080}]}]}',
    );
  });

  it('leaves fields set by others alone (no last-applied: nothing is deleted)', () => {
    const live = pod({ metadata: { labels: { app: 'kubia', extra: 'x' } } });
    const cfg = applied(pod());
    const p = threeWayPatch(undefined, cfg, live, schema);
    expect(Object.keys(p)).toEqual(['metadata']);
    expect(p.metadata.labels).toBeUndefined();
    expect(p.metadata.annotations[LAST_APPLIED]).toBeDefined();
  });

  it('does not send nulls of the configuration', () => {
    const live = applied(pod());
    const cfg = applied(pod({ metadata: { creationTimestamp: null } }));
    const p = threeWayPatch(originalConfiguration(live), cfg, live, schema);
    expect(p.metadata?.creationTimestamp).toBeUndefined();
  });

  it('replaces lists without a merge strategy', () => {
    const live = applied(pod({ spec: { containers: [{ name: 'kubia', image: 'x', args: ['a', 'b'] }] } }));
    const cfg = applied(pod({ spec: { containers: [{ name: 'kubia', image: 'x', args: ['b'] }] } }));
    const p = threeWayPatch(originalConfiguration(live), cfg, live, schema);
    expect(p.spec.containers).toEqual([{ args: ['b'], name: 'kubia' }]);
  });

  it('deletes dropped scalars of merged primitive lists', () => {
    const live = applied(pod({ spec: { finalizersLike: ['a', 'b'] } }));
    const cfg = applied(pod({ spec: { finalizersLike: ['b'] } }));
    const p = threeWayPatch(originalConfiguration(live), cfg, live, schema);
    expect(p.spec['$deleteFromPrimitiveList/finalizersLike']).toEqual(['a']);
    expect(p.spec['$setElementOrder/finalizersLike']).toEqual(['b']);
  });

  it('adds $retainKeys for retainKeys lists', () => {
    const live = applied(pod({ spec: { volumes: [{ name: 'v', emptyDir: {} }] } }));
    const cfg = applied(pod({ spec: { volumes: [{ name: 'v', hostPath: { path: '/x' } }] } }));
    const p = threeWayPatch(originalConfiguration(live), cfg, live, schema);
    expect(p.spec.volumes).toEqual([{ $retainKeys: ['hostPath', 'name'], emptyDir: null, hostPath: { path: '/x' }, name: 'v' }]);
  });
});

describe('two-way patch (edit) and local application', () => {
  it('diffs everything and applies back to the edited object', () => {
    const a = pod({ metadata: { labels: { app: 'kubia', env: 'dev' } } });
    const b = pod({ metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia:v2', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } });
    const p = twoWayPatch(a, b, schema);
    expect(p.metadata).toEqual({ labels: { env: null } });
    expect(applyPatch(a, p, schema)).toEqual(b);
  });

  it('applies delete directives and element order', () => {
    const doc = pod({ spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } });
    const out = applyPatch(doc, { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }], containers: [{ name: 'c', image: 'z' }, { $patch: 'delete', name: 'a' }] } }, schema);
    expect(out.spec.containers.map((c: any) => c.name)).toEqual(['c', 'b']);
  });
});

describe('JSON merge patches (custom resources)', () => {
  it('computes and applies RFC 7386 patches', () => {
    const a = { spec: { a: 1, b: { c: 2 } } };
    const b = { spec: { b: { c: 3 }, d: [1] } };
    const p = mergePatch(a, b);
    expect(p).toEqual({ spec: { a: null, b: { c: 3 }, d: [1] } });
    expect(applyMergePatch(a, p)).toEqual(b);
  });

  it('three-way: only what the last configuration had is deleted', () => {
    const original = { spec: { a: 1 } };
    const current = { spec: { a: 1, other: 'x' }, status: {} };
    const modified = { spec: { b: 2 } };
    expect(threeWayMergePatch(original, modified, current)).toEqual({ spec: { a: null, b: 2 } });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('replaces, adds and removes', () => {
    const doc = { spec: { replicas: 1, list: ['a'] } };
    expect(
      applyJsonPatch(doc, [
        { op: 'replace', path: '/spec/replicas', value: 3 },
        { op: 'add', path: '/spec/list/-', value: 'b' },
        { op: 'remove', path: '/spec/list/0' },
      ]),
    ).toEqual({ spec: { replicas: 3, list: ['b'] } });
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/spec/nope/x', value: 1 }])).toThrow(/missing/);
  });
});
