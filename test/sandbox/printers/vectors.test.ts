/**
 * Golden-vector test for the server-side Table printers.
 *
 * The vectors and column definitions live outside the repository, in ../shared/reference/printing
 * (relative to the repo root). When that folder is absent the vector suites are skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import {
  generateCells,
  printedKinds,
  tablePrinterFor,
  tableRow,
} from '../../../src/sandbox/printers/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const refDir = path.resolve(repoRoot, '..', 'shared', 'reference', 'printing');
const vectorsPath = path.join(refDir, 'table-vectors.json');
const columnsPath = path.join(refDir, 'table-columns.json');
const haveVectors = existsSync(vectorsPath);
const haveColumns = existsSync(columnsPath);

if (!haveVectors || !haveColumns) {
  console.log(`[printers] reference data not found under ${refDir}; skipping golden vectors`);
}

interface Vector {
  kind: string;
  name: string;
  now: string;
  wide: boolean;
  object: KObject;
  expectedCells: unknown[];
  note?: string;
}

interface RefColumn {
  name: string;
  type: string;
  format: string;
  priority: number;
  description?: string;
}

const vectors: Vector[] = haveVectors
  ? (JSON.parse(readFileSync(vectorsPath, 'utf8')) as { vectors: Vector[] }).vectors
  : [];
const refColumns = haveColumns
  ? (JSON.parse(readFileSync(columnsPath, 'utf8')) as {
      kinds: Record<string, RefColumn[]>;
      genericFallback: { columns: RefColumn[] };
    })
  : undefined;

describe.skipIf(!haveVectors)('table vectors (kube-apiserver 1.33)', () => {
  it('has all 174 vectors', () => {
    expect(vectors.length).toBe(174);
  });

  it.each(vectors.map((v, i) => [`${i} ${v.kind}: ${v.name}${v.wide ? ' (wide)' : ''}`, v] as const))(
    '%s',
    (_label, v) => {
      const cells = generateCells(v.kind, v.object, new Date(v.now), { wide: v.wide });
      // toStrictEqual also distinguishes JSON integers from strings
      expect(cells).toStrictEqual(v.expectedCells);
    },
  );

  it('server rows (wide) always have one cell per column', () => {
    for (const v of vectors) {
      const printer = tablePrinterFor(v.kind);
      expect(printer.cells(v.object, new Date(v.now))).toHaveLength(printer.columns.length);
    }
  });

  it('pod row conditions follow the phase', () => {
    for (const v of vectors.filter((x) => x.kind === 'Pod')) {
      const row = tableRow('Pod', v.object, new Date(v.now));
      const phase = v.object.status?.phase;
      if (phase === 'Succeeded') {
        expect(row.conditions).toStrictEqual([
          {
            type: 'Completed',
            status: 'True',
            reason: 'Succeeded',
            message: 'The pod has completed successfully.',
          },
        ]);
      } else if (phase === 'Failed') {
        expect(row.conditions).toStrictEqual([
          { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
        ]);
      } else {
        expect(row).not.toHaveProperty('conditions');
      }
    }
  });
});

describe.skipIf(!haveColumns)('column definitions match table-columns.json', () => {
  const kinds = Object.keys(refColumns?.kinds ?? {});

  it('covers every reference kind', () => {
    expect([...printedKinds]).toEqual(expect.arrayContaining(kinds));
  });

  it.each(kinds)('%s', (kind) => {
    const expected = refColumns!.kinds[kind].map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format,
      description: c.description,
      priority: c.priority,
    }));
    const actual = tablePrinterFor(kind).columns;
    expect(actual).toStrictEqual(expected);
    // wire key order: name, type, format, description, priority
    for (const col of actual) {
      expect(Object.keys(col)).toStrictEqual(['name', 'type', 'format', 'description', 'priority']);
    }
  });

  it('generic fallback', () => {
    const actual = tablePrinterFor('HorizontalPodAutoscaler').columns;
    const expected = refColumns!.genericFallback.columns;
    expect(actual.map((c) => [c.name, c.type, c.format, c.priority])).toStrictEqual(
      expected.map((c) => [c.name, c.type, c.format, c.priority]),
    );
    // descriptions come from the ObjectMeta swagger docs, the same texts as Name / Age elsewhere
    const pod = refColumns!.kinds.Pod;
    expect(actual[0].description).toBe(pod.find((c) => c.name === 'Name')!.description);
    expect(actual[1].description).toBe(pod.find((c) => c.name === 'Age')!.description);
  });
});
