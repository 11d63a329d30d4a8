import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../src/sandbox/apiserver/patch/index.js';
import { StatusError } from '../../../src/sandbox/apiserver/errors.js';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { podSchema, rcSchema } from './schema.js';

const SMP = 'application/strategic-merge-patch+json';
const MERGE = 'application/merge-patch+json';
const JSONP = 'application/json-patch+json';

function rc(): KObject {
  return {
    apiVersion: 'v1', kind: 'ReplicationController',
    metadata: { name: 'kubia', namespace: 'default', labels: { app: 'kubia' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'old\n' } },
    spec: {
      replicas: 3, selector: { app: 'kubia' },
      template: {
        metadata: { labels: { app: 'kubia' } },
        spec: {
          containers: [
            { name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080, protocol: 'TCP' }], imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' },
            { name: 'sidecar', image: 'busybox', args: ['sleep', '1d'], env: [{ name: 'A', value: '1' }] },
          ],
          restartPolicy: 'Always', dnsPolicy: 'ClusterFirst',
        },
      },
    },
    status: { replicas: 3 },
  };
}

function pod(): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'x', labels: { app: 'x', env: 'devel' }, finalizers: ['a', 'b'] },
    spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'j' }, { name: 'c', image: 'k' }], nodeSelector: { disk: 'ssd' } },
  };
}

function statusOf(fn: () => unknown): { code: number; reason?: string; message?: string; details?: unknown } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    const s = (e as StatusError).status;
    return { code: s.code!, reason: s.reason, message: s.message, details: s.details };
  }
  throw new Error('expected a StatusError');
}

describe('strategic merge patch', () => {
  it("applies kubectl apply's real patch to an RC: image + replicas change, the rest is kept", () => {
    const original = rc();
    const snapshot = JSON.stringify(original);
    const body = '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"new\\":1}\\n"}},"spec":{"replicas":2,"template":{"spec":{"$setElementOrder/containers":[{"name":"kubia"}],"containers":[{"image":"luksa/kubia:v2","name":"kubia"}]}}}}';
    const out = applyPatch(SMP, original, Buffer.from(body), rcSchema);
    expect(JSON.stringify(original)).toBe(snapshot); // never mutated
    expect(out.spec.replicas).toBe(2);
    expect(out.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']).toBe('{"new":1}\n');
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'kubia', image: 'luksa/kubia:v2', ports: [{ containerPort: 8080, protocol: 'TCP' }], imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' },
      { name: 'sidecar', image: 'busybox', args: ['sleep', '1d'], env: [{ name: 'A', value: '1' }] },
    ]);
    expect(JSON.stringify(out)).not.toContain('$setElementOrder');
    expect(out.status).toEqual({ replicas: 3 });
  });

  const cases: { name: string; patch: unknown; check: (o: KObject) => void }[] = [
    {
      name: '$patch: delete removes a container by merge key',
      patch: { spec: { containers: [{ name: 'b', $patch: 'delete' }] } },
      check: (o) => expect(o.spec.containers.map((c: { name: string }) => c.name)).toEqual(['a', 'c']),
    },
    {
      name: 'null removes a label (kubectl label env-)',
      patch: { metadata: { labels: { env: null } } },
      check: (o) => expect(o.metadata.labels).toEqual({ app: 'x' }),
    },
    {
      name: 'merging a container by name keeps the others and adds new ones at the end',
      patch: { spec: { containers: [{ name: 'd', image: 'new' }, { name: 'a', image: 'i2' }] } },
      check: (o) => expect(o.spec.containers).toEqual([{ name: 'a', image: 'i2' }, { name: 'b', image: 'j' }, { name: 'c', image: 'k' }, { name: 'd', image: 'new' }]),
    },
    {
      name: '$setElementOrder reorders the merged list',
      patch: { spec: { $setElementOrder: undefined, '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }], containers: [{ name: 'c', image: 'k2' }] } },
      check: (o) => expect(o.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`)).toEqual(['c=k2', 'a=i', 'b=j']),
    },
    {
      name: 'primitive lists with strategy merge merge as sets (finalizers)',
      patch: { metadata: { finalizers: ['b', 'c'] } },
      check: (o) => expect(o.metadata.finalizers).toEqual(['a', 'b', 'c']),
    },
    {
      name: '$deleteFromPrimitiveList removes values',
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      check: (o) => expect(o.metadata.finalizers).toEqual(['b']),
    },
    {
      name: '$patch: replace on a map replaces it',
      patch: { spec: { nodeSelector: { zone: 'a', $patch: 'replace' } } },
      check: (o) => expect(o.spec.nodeSelector).toEqual({ zone: 'a' }),
    },
    {
      name: '$patch: replace as a list item replaces the list',
      patch: { spec: { containers: [{ name: 'z', image: 'z' }, { $patch: 'replace' }] } },
      check: (o) => expect(o.spec.containers).toEqual([{ name: 'z', image: 'z' }]),
    },
    {
      name: '$patch: delete on a map empties it',
      patch: { spec: { nodeSelector: { $patch: 'delete' } } },
      check: (o) => expect(o.spec.nodeSelector).toEqual({}),
    },
    {
      name: 'kubectl edit style diff on labels',
      patch: { metadata: { labels: { app: 'x-edited2' } } },
      check: (o) => expect(o.metadata.labels).toEqual({ app: 'x-edited2', env: 'devel' }),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const original = pod();
      const out = applyPatch(SMP, original, JSON.stringify(c.patch), podSchema);
      c.check(out);
      expect(original).toEqual(pod());
    });
  }

  it('$retainKeys drops keys not listed (volumes with retainKeys strategy)', () => {
    const p: KObject = { metadata: { name: 'p' }, spec: { volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }] } };
    const out = applyPatch(SMP, p, JSON.stringify({ spec: { volumes: [{ name: 'v', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/y' } }] } }), podSchema);
    expect(out.spec.volumes).toEqual([{ name: 'v', hostPath: { path: '/y' } }]);
  });

  it('behaves like a JSON merge patch without a schema (lists are replaced)', () => {
    const out = applyPatch(SMP, pod(), JSON.stringify({ spec: { containers: [{ name: 'q', image: 'q' }] }, metadata: { labels: { env: null } } }), undefined);
    expect(out.spec.containers).toEqual([{ name: 'q', image: 'q' }]);
    expect(out.metadata.labels).toEqual({ app: 'x' });
  });

  const errs: { name: string; body: string; code: number; reason?: string; message: string }[] = [
    { name: 'malformed JSON', body: '{"spec":', code: 400, reason: 'BadRequest', message: 'unexpected end of JSON input' },
    { name: 'bad character', body: "{'spec':1}", code: 400, reason: 'BadRequest', message: "invalid character '\\'' looking for beginning of object key string" },
    { name: 'not an object', body: '[1]', code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
    { name: 'missing merge key', body: '{"spec":{"containers":[{"image":"x"}]}}', code: 500, message: 'map: map[image:x] does not contain declared merge key: name' },
    { name: 'bad $setElementOrder', body: '{"spec":{"$setElementOrder/containers":"x"}}', code: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list' },
    { name: 'bad $retainKeys', body: '{"spec":{"$retainKeys":3}}', code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    { name: 'bad $deleteFromPrimitiveList', body: '{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}', code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' },
  ];
  for (const e of errs) {
    it(`error: ${e.name}`, () => {
      const s = statusOf(() => applyPatch(SMP, pod(), e.body, podSchema));
      expect(s.code).toBe(e.code);
      if (e.reason) expect(s.reason).toBe(e.reason);
      expect(s.message).toBe(e.message);
    });
  }

  it('never crashes on junk', () => {
    const junk = ['', 'null', '1', '"x"', '{"metadata":null}', '{"spec":{"containers":null}}', '{"spec":{"containers":[null,1,"x"]}}',
      '{"spec":{"containers":{"a":1}}}', '{"__proto__":{"polluted":1}}', '{"spec":{"$patch":"bogus"}}', '{"metadata":{"finalizers":[{"a":1}]}}',
      '{"spec":{"containers":[[1]]}}', '{"spec":{"containers":[{"name":"a","$patch":"nope"}]}}'];
    for (const j of junk) {
      try {
        const out = applyPatch(SMP, pod(), j, podSchema);
        expect(typeof out).toBe('object');
      } catch (e) {
        expect(e).toBeInstanceOf(StatusError);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('JSON merge patch', () => {
  it('scale body / label / null delete', () => {
    const o = applyPatch(MERGE, rc(), '{"spec":{"replicas":5}}', undefined);
    expect(o.spec.replicas).toBe(5);
    expect(o.spec.template.spec.containers).toHaveLength(2);
    const l = applyPatch(MERGE, pod(), '{"metadata":{"labels":{"creation_method":"manual","env":null}}}', undefined);
    expect(l.metadata.labels).toEqual({ app: 'x', creation_method: 'manual' });
    const a = applyPatch(MERGE + '; charset=utf-8', pod(), '{"metadata":{"annotations":{"mycompany.com/someannotation":"foo bar"}}}', undefined);
    expect(a.metadata.annotations).toEqual({ 'mycompany.com/someannotation': 'foo bar' });
  });
  it('replaces lists wholesale', () => {
    const o = applyPatch(MERGE, pod(), '{"spec":{"containers":[{"name":"n"}]}}', podSchema);
    expect(o.spec.containers).toEqual([{ name: 'n' }]);
  });
  it('malformed → 400 Invalid JSON Patch', () => {
    const s = statusOf(() => applyPatch(MERGE, pod(), '{nope', undefined));
    expect(s).toMatchObject({ code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' });
  });
});

describe('JSON patch', () => {
  const ok: { name: string; ops: unknown[]; check: (o: KObject) => void }[] = [
    { name: 'add', ops: [{ op: 'add', path: '/metadata/labels/new', value: 'v' }], check: (o) => expect(o.metadata.labels!.new).toBe('v') },
    { name: 'add to list end', ops: [{ op: 'add', path: '/spec/containers/-', value: { name: 'd' } }], check: (o) => expect(o.spec.containers).toHaveLength(4) },
    { name: 'replace', ops: [{ op: 'replace', path: '/spec/containers/0/image', value: 'new' }], check: (o) => expect(o.spec.containers[0].image).toBe('new') },
    { name: 'remove', ops: [{ op: 'remove', path: '/metadata/labels/env' }], check: (o) => expect(o.metadata.labels).toEqual({ app: 'x' }) },
    { name: 'test passes', ops: [{ op: 'test', path: '/metadata/name', value: 'x' }, { op: 'replace', path: '/metadata/name', value: 'y' }], check: (o) => expect(o.metadata.name).toBe('y') },
  ];
  for (const c of ok) {
    it(c.name, () => {
      const original = pod();
      c.check(applyPatch(JSONP, original, JSON.stringify(c.ops), undefined));
      expect(original).toEqual(pod());
    });
  }
  const bad: { name: string; body: string; code: number; reason: string; message: string }[] = [
    { name: 'failed test', body: '[{"op":"test","path":"/metadata/name","value":"nope"}]', code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
    { name: 'remove missing', body: '[{"op":"remove","path":"/spec/nope"}]', code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
    { name: 'unknown op', body: '[{"op":"frob","path":"/spec"}]', code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
    { name: 'malformed', body: '[{"op":"add",}]', code: 400, reason: 'BadRequest', message: "invalid character '}' looking for beginning of object key string" },
    { name: 'not a list', body: '{"op":"add"}', code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
  ];
  for (const c of bad) {
    it(`error: ${c.name}`, () => {
      expect(statusOf(() => applyPatch(JSONP, pod(), c.body, undefined))).toMatchObject({ code: c.code, reason: c.reason, message: c.message });
    });
  }
  it('a failed test has empty details like kube', () => {
    const s = statusOf(() => applyPatch(JSONP, pod(), '[{"op":"test","path":"/metadata/name","value":"nope"}]', undefined));
    expect(s.details).toEqual({});
  });
  it('unknown content type → 415', () => {
    expect(statusOf(() => applyPatch('application/json', pod(), '{}', undefined)).code).toBe(415);
  });
});
