/** Unit tests of the printer formatting helpers (self-contained: no reference data needed). */
import { describe, expect, it } from 'vitest';
import {
  formatEndpoints,
  formatLabels,
  formatLabelSelector,
  formatRFC3339UTC,
  formatSelectorMap,
  formatServicePorts,
  humanDuration,
  joinHostPort,
  labelSelectorString,
  listWithMore,
  loadBalancerStatusString,
  parseTimestamp,
  translateTimestampSince,
} from '../../../src/sandbox/printers/format.js';
import { generateCells, tablePrinterFor, tableRow } from '../../../src/sandbox/printers/index.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  it.each([
    [-2100, '<invalid>'],
    [-1999, '0s'],
    [-1000, '0s'],
    [0, '0s'],
    [999, '0s'],
    [30 * S, '30s'],
    [119 * S + 999, '119s'],
    [120 * S, '2m'],
    [200 * S, '3m20s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [179 * M + 59 * S, '179m'],
    [3 * H, '3h'],
    [3 * H + 4 * M, '3h4m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [2 * D, '2d'],
    [2 * D + 5 * H, '2d5h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [3 * 365 * D + 45 * D, '3y45d'],
    [8 * 365 * D, '8y'],
    [8 * 365 * D + 200 * D, '8y'],
    [3653 * D, '10y'],
  ])('%d ms -> %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('timestamps', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  it('translateTimestampSince', () => {
    expect(translateTimestampSince(undefined, now)).toBe('<unknown>');
    expect(translateTimestampSince(null, now)).toBe('<unknown>');
    expect(translateTimestampSince('', now)).toBe('<unknown>');
    expect(translateTimestampSince('0001-01-01T00:00:00Z', now)).toBe('<unknown>');
    expect(translateTimestampSince('2025-06-01T11:55:00Z', now)).toBe('5m');
    expect(translateTimestampSince('2025-06-01T11:59:59.500000Z', now)).toBe('0s');
    expect(translateTimestampSince('2025-06-01T14:00:00+02:00', now)).toBe('0s');
    expect(translateTimestampSince('2025-06-01T12:00:05Z', now)).toBe('<invalid>');
  });
  it('parseTimestamp handles microseconds and offsets', () => {
    expect(parseTimestamp('2025-05-29T12:00:00.123456Z')).toBe(Date.UTC(2025, 4, 29, 12, 0, 0, 123));
    expect(parseTimestamp('2025-05-29T13:30:00+01:30')).toBe(Date.UTC(2025, 4, 29, 12, 0, 0));
    expect(parseTimestamp('garbage')).toBeUndefined();
  });
  it('formatRFC3339UTC', () => {
    expect(formatRFC3339UTC('2025-05-29T13:30:00.5+01:30')).toBe('2025-05-29T12:00:00Z');
    expect(formatRFC3339UTC(undefined)).toBe('0001-01-01T00:00:00Z');
  });
});

describe('labels and selectors', () => {
  it('formatLabels sorts whole k=v strings', () => {
    expect(formatLabels({ a: '1', 'a.b': '2' })).toBe('a.b=2,a=1');
    expect(formatLabels({ x: '' })).toBe('x=');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels(undefined)).toBe('<none>');
    expect(formatSelectorMap({ app: 'web', tier: 'fe' })).toBe('app=web,tier=fe');
  });

  it('formatLabelSelector', () => {
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchLabels: {}, matchExpressions: [] })).toBe('<none>');
    expect(formatLabelSelector({ matchLabels: { app: 'kubia' } })).toBe('app=kubia');
    expect(
      formatLabelSelector({
        matchLabels: { tier: 'fe' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['b', 'a'] },
          { key: 'zone', operator: 'NotIn', values: ['z1'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'app', operator: 'Exists' },
        ],
      }),
    ).toBe('app,!canary,env in (a,b),tier=fe,zone notin (z1)');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] })).toBe(
      'a in (x)',
    );
  });

  it('formatLabelSelector errors', () => {
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Foo', values: ['x'] }] })).toBe(
      '<error>',
    );
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toBe(
      '<error>',
    );
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toBe(
      '<error>',
    );
    expect(formatLabelSelector({ matchLabels: { 'bad key!': 'x' } })).toBe('<error>');
    expect(formatLabelSelector({ matchLabels: { k: 'bad value!' } })).toBe('<error>');
    expect(formatLabelSelector({ matchLabels: { 'example.com/app': 'v' } })).toBe('example.com/app=v');
  });

  it('Deployment-style selector string', () => {
    expect(labelSelectorString(undefined)).toBe('');
    expect(labelSelectorString({})).toBe('');
    expect(labelSelectorString({ matchLabels: { app: 'web' } })).toBe('app=web');
    expect(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Nope' }] })).toBeUndefined();
  });
});

describe('list helpers', () => {
  it('joinHostPort', () => {
    expect(joinHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(joinHostPort('2001:db8::1', 443)).toBe('[2001:db8::1]:443');
  });
  it('listWithMore', () => {
    expect(listWithMore([])).toBe('<unset>');
    expect(listWithMore(['a', 'b', 'c'])).toBe('a,b,c');
    expect(listWithMore(['a', 'b', 'c', 'd', 'e'])).toBe('a,b,c + 2 more...');
  });
  it('formatEndpoints', () => {
    expect(formatEndpoints(undefined)).toBe('<none>');
    expect(formatEndpoints([{}])).toBe('');
    expect(
      formatEndpoints([
        { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] },
      ]),
    ).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...');
  });
  it('formatServicePorts', () => {
    expect(formatServicePorts([])).toBe('<none>');
    expect(
      formatServicePorts([
        { port: 80, nodePort: 31234, protocol: 'TCP' },
        { port: 443, nodePort: 30443, protocol: 'TCP' },
      ]),
    ).toBe('80:31234/TCP,443:30443/TCP');
  });
  it('loadBalancerStatusString', () => {
    const status = { ingress: [{ ip: '3.4.5.6' }, { hostname: 'lb.example.com' }, { ip: '2.3.4.5' }, { ip: '3.4.5.6' }, {}] };
    expect(loadBalancerStatusString(status)).toBe('2.3.4.5,3.4.5.6,lb.example.com');
    expect(loadBalancerStatusString(status, false)).toBe('2.3.4.5,3.4.5...');
    expect(loadBalancerStatusString(undefined)).toBe('');
  });
});

describe('printer registry', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  it('falls back to Name / Created At for unknown kinds', () => {
    const printer = tablePrinterFor('Widget');
    expect(printer.columns.map((c) => [c.name, c.type, c.format, c.priority])).toStrictEqual([
      ['Name', 'string', 'name', 0],
      ['Created At', 'date', '', 0],
    ]);
    expect(
      printer.cells({ metadata: { name: 'w1', creationTimestamp: '2025-05-01T10:00:00Z' } }, now),
    ).toStrictEqual(['w1', '2025-05-01T10:00:00Z']);
  });
  it('Succeeded pod rows carry a Completed condition', () => {
    const row = tableRow(
      'Pod',
      { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Succeeded' } },
      now,
    );
    expect(row.conditions?.[0]).toMatchObject({ type: 'Completed', status: 'True', reason: 'Succeeded' });
  });
  it('non-wide generation keeps only priority-0 cells', () => {
    const ev = {
      metadata: { name: 'e1' },
      involvedObject: { kind: 'Pod', name: 'web' },
      type: 'Normal',
      reason: 'Pulled',
      message: '  ok \n',
      lastTimestamp: '2025-06-01T11:59:00Z',
    };
    expect(generateCells('Event', ev, now, { wide: false })).toStrictEqual(['60s', 'Normal', 'Pulled', 'pod/web', 'ok']);
    expect(generateCells('Event', ev, now)).toHaveLength(10);
  });
});
