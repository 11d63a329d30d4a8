import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../src/sandbox/apiserver/errors.js';
import { checkFieldSelector, fieldSetFor, matchFields, parseFieldSelector } from '../../../src/sandbox/apiserver/selectors/fields.js';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';

const ev: KObject = {
  kind: 'Event', apiVersion: 'v1', metadata: { name: 'x.1', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'x', uid: 'u-1', apiVersion: 'v1' },
  reason: 'Scheduled', type: 'Normal', source: { component: 'default-scheduler' },
};
const pod: KObject = {
  kind: 'Pod', apiVersion: 'v1', metadata: { name: 'x', namespace: 'default' },
  spec: { nodeName: 'node1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
  status: { phase: 'Running', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] },
};

function badRequest(fn: () => unknown): string {
  try { fn(); } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    expect((e as StatusError).code).toBe(400);
    return (e as StatusError).message;
  }
  throw new Error('no error');
}

describe('parseFieldSelector', () => {
  it('parses and canonicalises', () => {
    expect(parseFieldSelector('b=2,a==1,c!=3').toString()).toBe('a=1,b=2,c!=3');
    expect(parseFieldSelector('').empty()).toBe(true);
    expect(parseFieldSelector('a=x\\,y\\=z\\\\').requirements[0].value).toBe('x,y=z\\');
    expect(parseFieldSelector('a=x\\,y').toString()).toBe('a=x\\,y');
    expect(parseFieldSelector('a=').requirements[0]).toEqual({ field: 'a', operator: '=', value: '' });
  });
  it('errors', () => {
    expect(badRequest(() => parseFieldSelector('abc'))).toBe("invalid selector: 'abc'; can't understand 'abc'");
    expect(badRequest(() => parseFieldSelector('a=b,c'))).toBe("invalid selector: 'a=b,c'; can't understand 'c'");
    expect(badRequest(() => parseFieldSelector('a=b\\x'))).toBe('invalid field selector: invalid escape sequence: \\x');
    expect(badRequest(() => parseFieldSelector('a=b=c'))).toBe('invalid field selector: unescaped character in value: 61');
    expect(badRequest(() => parseFieldSelector('a=b\\'))).toBe('invalid field selector: invalid escape sequence: \\');
  });
});

describe('matchFields', () => {
  it('kubectl describe events selector (1.27 and 1.33 orders)', () => {
    for (const s of ['involvedObject.name=x,involvedObject.namespace=default,involvedObject.uid=u-1',
      'involvedObject.uid=u-1,involvedObject.name=x,involvedObject.namespace=default',
      'involvedObject.name=x,involvedObject.namespace=default,involvedObject.kind=Pod,involvedObject.uid=u-1']) {
      expect(matchFields(parseFieldSelector(s), 'Event', ev)).toBe(true);
    }
    expect(matchFields(parseFieldSelector('involvedObject.uid=other'), 'Event', ev)).toBe(false);
    expect(matchFields(parseFieldSelector('source=default-scheduler,type=Normal,reason=Scheduled'), 'Event', ev)).toBe(true);
  });
  it('delete wait selector', () => {
    expect(matchFields(parseFieldSelector('metadata.name=x'), 'Pod', pod)).toBe(true);
    expect(matchFields(parseFieldSelector('metadata.name=y'), 'Pod', pod)).toBe(false);
    expect(matchFields(parseFieldSelector('metadata.name=x'), 'ConfigMap', { kind: 'ConfigMap', metadata: { name: 'x' } })).toBe(true);
  });
  it('pod fields', () => {
    expect(matchFields(parseFieldSelector('status.phase=Running,spec.nodeName=node1'), 'Pod', pod)).toBe(true);
    expect(matchFields(parseFieldSelector('status.phase!=Running'), 'Pod', pod)).toBe(false);
    expect(matchFields(parseFieldSelector('spec.hostNetwork=false'), 'Pod', pod)).toBe(true);
    expect(matchFields(parseFieldSelector('spec.host=node1'), 'Pod', pod)).toBe(true);
    expect(matchFields(parseFieldSelector('status.podIP=10.0.0.1'), 'Pod', pod)).toBe(true);
  });
  it('unsupported fields', () => {
    expect(badRequest(() => matchFields(parseFieldSelector('spec.foo=1'), 'Pod', pod))).toBe('field label not supported: spec.foo');
    expect(badRequest(() => matchFields(parseFieldSelector('metadata.namespace=a'), 'Node', { kind: 'Node', metadata: { name: 'n' } }))).toBe('field label not supported: metadata.namespace');
    expect(badRequest(() => checkFieldSelector(parseFieldSelector('data.x=1'), 'ConfigMap'))).toBe('"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });
  it('fieldSetFor', () => {
    expect(fieldSetFor('Node', { kind: 'Node', metadata: { name: 'n' }, spec: { unschedulable: true } })).toEqual({ 'metadata.name': 'n', 'spec.unschedulable': 'true' });
    expect(fieldSetFor('Secret', { kind: 'Secret', metadata: { name: 's', namespace: 'd' }, type: 'Opaque' })).toEqual({ 'metadata.name': 's', 'metadata.namespace': 'd', type: 'Opaque' });
    expect(fieldSetFor('Job', { kind: 'Job', metadata: { name: 'j', namespace: 'd' }, status: { succeeded: 2 } })!['status.successful']).toBe('2');
    expect(fieldSetFor('ReplicationController', { kind: 'ReplicationController', metadata: { name: 'r' } })!['status.replicas']).toBe('0');
    expect(fieldSetFor('Namespace', { kind: 'Namespace', metadata: { name: 'ns' }, status: { phase: 'Active' } })).toEqual({ 'metadata.name': 'ns', 'status.phase': 'Active' });
  });
});
