/** Offline tests for the get printers (golden vectors read from ../shared/reference when present). */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTables, noResourcesFound, cellText, goFormatFloatG } from '../../../src/kubectl/printers/table.js';
import { toYaml, yamlSortKeys } from '../../../src/kubectl/printers/yaml.js';
import { goJson } from '../../../src/kubectl/printers/json.js';
import { printJsonPath, PrinterError, relaxedJsonPath } from '../../../src/kubectl/printers/jsonpath.js';
import { naturalLess, sortObjects } from '../../../src/kubectl/printers/sort.js';
import { parseOutputFormat } from '../../../src/kubectl/printers/output.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const refDir = resolve(repoRoot, '../shared/reference/printing');
const haveRefs = existsSync(resolve(refDir, 'table-vectors.json')) && existsSync(resolve(refDir, 'table-columns.json'));
if (!haveRefs) console.warn(`[printers] ${refDir} not found: golden-vector tests skipped`);

describe.skipIf(!haveRefs)('golden vectors rendered as kubectl get does', () => {
  it('every wide server row renders: header = upper-cased priority-0 names, cells aligned', () => {
    const vectors = JSON.parse(readFileSync(resolve(refDir, 'table-vectors.json'), 'utf8')).vectors;
    const columns = JSON.parse(readFileSync(resolve(refDir, 'table-columns.json'), 'utf8')).kinds;
    let n = 0;
    for (const v of vectors) {
      const cols = columns[v.kind];
      if (!v.wide || !cols || cols.length !== v.expectedCells.length) continue;
      const table = { columnDefinitions: cols, rows: [{ cells: v.expectedCells, object: { metadata: { name: 'x', namespace: 'ns1' } } }] };
      for (const wide of [false, true]) {
        const out = renderTables([{ table }], { wide, withNamespace: true });
        const lines = out.split('\n');
        expect(lines.length).toBe(3);
        const shown = cols.map((c: { priority: number }, i: number) => [c, i] as const).filter(([c]: readonly [{ priority: number }, number]) => wide || c.priority === 0);
        const hdr = ['NAMESPACE', ...shown.map(([c]: readonly [{ name: string }, number]) => c.name.toUpperCase())];
        expect(lines[0]!.split(/ {3,}/).filter((x) => x !== '')).toEqual(hdr.filter((h) => h !== ''));
        // every visible cell starts where its header starts
        const starts = hdr.map((_h, i) => (i === 0 ? 0 : -1));
        void starts;
        const row = ['ns1', ...shown.map(([, i]: readonly [unknown, number]) => cellText(v.expectedCells[i]))];
        let pos = 0;
        let hpos = 0;
        for (let i = 0; i < row.length; i++) {
          expect(lines[1]!.slice(pos, pos + row[i]!.length)).toBe(row[i]);
          expect(lines[0]!.slice(hpos, hpos + hdr[i]!.length)).toBe(hdr[i]);
          expect(pos).toBe(hpos);
          const w = Math.max(6, Math.max(row[i]!.length, hdr[i]!.length) + 3);
          pos += w;
          hpos += w;
        }
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
  });
});

describe('table rendering', () => {
  const cols = [
    { name: 'Name', type: 'string', format: 'name', priority: 0 },
    { name: 'Ready', type: 'string', format: '', priority: 0 },
    { name: 'Status', type: 'string', format: '', priority: 0 },
    { name: 'Restarts', type: 'string', format: '', priority: 0 },
    { name: 'Age', type: 'string', format: '', priority: 0 },
    { name: 'IP', type: 'string', format: '', priority: 1 },
  ];
  const rows = [
    { cells: ['web-0', '1/1', 'Running', '0', '5d', '10.0.0.1'], object: { metadata: { name: 'web-0', labels: { app: 'web' } } } },
    { cells: ['web-1', '0/1', 'CrashLoopBackOff', '5 (75s ago)', '5d', '10.0.0.2'], object: { metadata: { name: 'web-1' } } },
  ];
  it('tables.md worked example', () => {
    expect(renderTables([{ table: { columnDefinitions: cols, rows } }])).toBe(
      'NAME    READY   STATUS             RESTARTS      AGE\n' +
        'web-0   1/1     Running            0             5d\n' +
        'web-1   0/1     CrashLoopBackOff   5 (75s ago)   5d\n',
    );
  });
  it('labels, empty tables, separators', () => {
    const t = { columnDefinitions: cols, rows };
    expect(renderTables([{ table: t }], { showLabels: true, labelColumns: ['app'] }).split('\n')[2]).toBe('web-1   0/1     CrashLoopBackOff   5 (75s ago)   5d          <none>');
    expect(renderTables([{ table: { columnDefinitions: cols, rows: [] } }])).toBe('');
    const two = renderTables([{ table: t, kindPrefix: 'pod' }, { table: { columnDefinitions: cols, rows: [] }, kindPrefix: 'service' }, { table: t, kindPrefix: 'x.apps' }]);
    expect(two.split('\n\n').length).toBe(2);
    expect(two).toContain('x.apps/web-0');
  });
  it('cell text', () => {
    expect(cellText('a\nb')).toBe('a...');
    expect(cellText('\x1b[1m')).toBe('^[[1m');
    expect(cellText(3)).toBe('3');
    expect(cellText(null)).toBe('');
    expect(goFormatFloatG(1e6 + 0.5)).toBe('1.0000005e+06');
    expect(goFormatFloatG(0.5)).toBe('0.5');
    expect(goFormatFloatG(0.00001)).toBe('1e-05');
  });
  it('no resources found', () => {
    expect(noResourcesFound('default')).toBe('No resources found in default namespace.\n');
    expect(noResourcesFound('default', true)).toBe('No resources found\n');
  });
});

describe('yaml / json', () => {
  it('go-yaml style', () => {
    expect(toYaml({ b: [1, { x: 'y' }], a: {}, c: [], d: '', e: 'true', f: 'a\nb', g: 1.5, h: null })).toBe(
      'a: {}\nb:\n- 1\n- x: "y"\nc: []\nd: ""\ne: "true"\nf: |-\n  a\n  b\ng: 1.5\nh: null\n',
    );
    expect(yamlSortKeys(['a10', 'a2', 'ab', 'a.b', 'A', '1'])).toEqual(['1', 'A', 'a.b', 'a2', 'a10', 'ab']);
  });
  it('go json', () => {
    expect(goJson({ b: '<&>', a: [] }, '    ')).toBe('{\n    "a": [],\n    "b": "\\u003c\\u0026\\u003e"\n}');
  });
});

describe('jsonpath', () => {
  const obj = { kind: 'List', items: [{ metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x' } }, n: 2 }, { metadata: { name: 'b' }, n: 1.5 }] };
  it('evaluates', () => {
    expect(printJsonPath('{.items[*].metadata.name}', obj)).toBe('a b');
    expect(printJsonPath('{range .items[*]}{.metadata.name}{"\\n"}{end}', obj)).toBe('a\nb\n');
    expect(printJsonPath('{.items[?(@.n==2)].metadata.name}', obj)).toBe('a');
    expect(printJsonPath("{.items[0].metadata.labels['app\\.kubernetes\\.io/name']}", obj)).toBe('x');
    expect(printJsonPath('{.items[*].n}', obj)).toBe('2 1.5');
    expect(printJsonPath('{.items[0].metadata}', obj)).toBe('{"labels":{"app.kubernetes.io/name":"x"},"name":"a"}');
    expect(printJsonPath('x{.nope}y', obj)).toBe('xy');
    expect(relaxedJsonPath('metadata.name')).toBe('{.metadata.name}');
  });
  it('errors', () => {
    expect(() => printJsonPath('{.x', obj)).toThrow(new PrinterError('error parsing jsonpath {.x, unclosed action\n'));
    expect(() => printJsonPath('{.nope}', obj, { allowMissingKeys: false })).toThrow(/nope is not found/);
  });
});

describe('sort / output', () => {
  it('natural order and missing fields', () => {
    expect(naturalLess('pod-2', 'pod-10')).toBe(true);
    expect(sortObjects([{ v: '10' }, { v: '9' }, {}], '.v')).toEqual([{}, { v: '9' }, { v: '10' }]);
    expect(() => sortObjects([{}], '.v')).toThrow(/couldn't find any field with path "\{\.v\}"/);
  });
  it('output formats', () => {
    expect(parseOutputFormat('wide')).toEqual({ kind: 'table', wide: true });
    expect(parseOutputFormat('jsonpath={.a}')).toEqual({ kind: 'jsonpath', template: '{.a}', asJson: false });
    expect(() => parseOutputFormat('foo')).toThrow(/allowed formats are: custom-columns,/);
  });
});
