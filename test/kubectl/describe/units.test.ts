/** Unit tests of the describe helpers (quantities, times, sorting, generic describer, framing). */
import { describe, expect, it } from 'vitest';
import { describeObject, eventFieldSelector, formatRFC1123Z, humanDuration, joinDescriptions, joinPrefixMatches, hasDescriber, kubectlHasDescriber } from '../../../src/kubectl/describe/index.js';
import { camelSplit, smartLabelFor } from '../../../src/kubectl/describe/generic.js';
import { goSort } from '../../../src/kubectl/describe/gosort.js';
import { fmtQuantity, parseQuantity, add, quantityString } from '../../../src/kubectl/describe/quantity.js';
import { formatLabelSelector, labelSelectorString } from '../../../src/kubectl/describe/format.js';
import { ArrayReader } from './reader.js';

const now = new Date('2025-06-01T12:00:00Z');

describe('quantity canonical form', () => {
  it.each([
    ['1000', '1k'],
    ['1500', '1500'],
    ['0.1', '100m'],
    ['1.5', '1500m'],
    ['100m', '100m'],
    ['128Mi', '128Mi'],
    ['1536Mi', '1536Mi'],
    ['2048Mi', '2Gi'],
    ['0.5Gi', '512Mi'],
    ['512', '512'],
    ['4G', '4G'],
    ['1e3', '1e3'],
    ['0', '0'],
    ['1Ki', '1Ki'],
    ['0.5Ki', '512'],
  ])('%s → %s', (input, out) => {
    expect(fmtQuantity(input)).toBe(out);
  });
  it('adds keeping the receiver format', () => {
    expect(quantityString(add(parseQuantity('128Mi')!, parseQuantity('50Mi')!))).toBe('178Mi');
    expect(quantityString(add(parseQuantity('100m')!, parseQuantity('100m')!))).toBe('200m');
  });
});

describe('time formats', () => {
  it('HumanDuration', () => {
    expect(humanDuration(59_000)).toBe('59s');
    expect(humanDuration(119_000)).toBe('119s');
    expect(humanDuration(150_000)).toBe('2m30s');
    expect(humanDuration(20 * 60_000)).toBe('20m');
    expect(humanDuration(5 * 3600_000 + 60_000)).toBe('5h1m');
    expect(humanDuration(47 * 3600_000)).toBe('47h');
    expect(humanDuration(3 * 86400_000 + 3600_000)).toBe('3d1h');
    expect(humanDuration(10 * 365 * 86400_000)).toBe('10y');
    expect(humanDuration(-3000)).toBe('<invalid>');
  });
  it('RFC1123Z in a zone', () => {
    expect(formatRFC1123Z('2021-01-01T00:00:00Z', 'UTC')).toBe('Fri, 01 Jan 2021 00:00:00 +0000');
    expect(formatRFC1123Z('2021-01-01T00:00:00Z', 'Asia/Kolkata')).toBe('Fri, 01 Jan 2021 05:30:00 +0530');
    expect(formatRFC1123Z('2021-07-01T00:00:00Z', 'America/New_York')).toBe('Wed, 30 Jun 2021 20:00:00 -0400');
    expect(formatRFC1123Z(undefined, 'Asia/Kolkata')).toBe('Mon, 01 Jan 0001 00:00:00 +0000');
  });
});

describe('selectors', () => {
  it('LabelSelectorAsSelector().String()', () => {
    expect(labelSelectorString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x'] }, { key: 'd', operator: 'DoesNotExist' }] })).toBe(
      'a=1,b=2,c in (x,y),!d',
    );
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBe('<error>');
  });
  it('event field selector', () => {
    expect(eventFieldSelector({ name: 'n', namespace: '', kind: 'Node', uid: 'u' })).toBe('involvedObject.kind=Node,involvedObject.name=n,involvedObject.namespace=,involvedObject.uid=u');
    expect(eventFieldSelector({ name: 'a,b', namespace: 'ns' })).toBe('involvedObject.name=a\\,b,involvedObject.namespace=ns');
  });
});

describe('Go sort', () => {
  it('is stable for up to 12 elements', () => {
    const xs = Array.from({ length: 12 }, (_, i) => ({ k: i % 2, i }));
    goSort(xs, (a, b) => a.k < b.k);
    expect(xs.map((x) => x.i)).toEqual([0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11]);
  });
  it('sorts long lists', () => {
    const xs = Array.from({ length: 200 }, (_, i) => (i * 7919) % 101);
    goSort(xs, (a, b) => a < b);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });
});

describe('generic describer', () => {
  it('smart labels', () => {
    expect(camelSplit('PDFLoader')).toEqual(['PDF', 'Loader']);
    expect(smartLabelFor('apiVersion')).toBe('API Version');
    expect(smartLabelFor('creationTimestamp')).toBe('Creation Timestamp');
    expect(smartLabelFor('uid')).toBe('UID');
    expect(smartLabelFor('k8s')).toBe('k8s');
  });
  it('prints nested fields', async () => {
    const obj = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'default', uid: 'u1', creationTimestamp: '2025-06-01T11:00:00Z', labels: { a: 'b' } },
      spec: { replicas: 3, ratio: 0.5, tags: ['x', 'y'], items: [{ name: 'i1' }], enabled: true },
    };
    const out = await describeObject(obj, new ArrayReader([obj]), { showEvents: true, now, tz: 'UTC' });
    expect(out).toBe(
      [
        'Name:         w',
        'Namespace:    default',
        'Labels:       a=b',
        'Annotations:  <none>',
        'API Version:  example.com/v1',
        'Kind:         Widget',
        'Metadata:',
        '  Creation Timestamp:  2025-06-01T11:00:00Z',
        '  UID:                 u1',
        'Spec:',
        '  Enabled:  true',
        '  Items:',
        '    Name:    i1',
        '  Ratio:     0.5',
        '  Replicas:  3',
        '  Tags:',
        '    x',
        '    y',
        'Events:  <none>',
        '',
      ].join('\n'),
    );
  });
});

describe('framing and registry', () => {
  it('joins descriptions with two blank lines', () => {
    expect(joinDescriptions(['a\n', 'b\n', 'c\n'])).toBe('a\n\n\nb\n\n\nc\n');
    expect(joinPrefixMatches(['a\n', 'b\n'])).toBe('a\n\nb\n\n');
  });
  it('knows its describers', () => {
    expect(hasDescriber('', 'Pod')).toBe(true);
    expect(hasDescriber('apps', 'Deployment')).toBe(true);
    expect(hasDescriber('rbac.authorization.k8s.io', 'Role')).toBe(false);
    expect(kubectlHasDescriber('rbac.authorization.k8s.io', 'Role')).toBe(true);
    expect(kubectlHasDescriber('example.com', 'Widget')).toBe(false);
  });
});

describe('node events are queried by uid and by name', () => {
  it('merges both queries (strict field selectors)', async () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'uid-1', creationTimestamp: '2025-06-01T00:00:00Z' }, status: {} };
    const ev = (name: string, uid: string, t: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'n1', uid },
      reason: name,
      message: `m ${name}`,
      source: { component: 'kubelet' },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type: 'Normal',
    });
    const objs = [node, ev('ByName', 'n1', '2025-06-01T11:00:00Z'), ev('ByUID', 'uid-1', '2025-06-01T11:30:00Z'), ev('Other', 'zzz', '2025-06-01T11:40:00Z')];
    const reader = new ArrayReader(objs);
    const out = await describeObject(node, reader, { showEvents: true, now, tz: 'UTC' });
    expect(out).toContain('Lease:              Failed to get lease: leases.coordination.k8s.io "n1" not found\n');
    expect(out).toMatch(/Normal {2}ByName {2}60m {3}kubelet {2}m ByName\n {2}Normal {2}ByUID {3}30m {3}kubelet {2}m ByUID\n$/);
    expect(out).not.toContain('Other');
    expect(reader.calls).toContain('list /v1/events ns= l= f=involvedObject.kind=Node,involvedObject.name=n1,involvedObject.namespace=,involvedObject.uid=uid-1');
  });
});
