/**
 * `--sort-by=<jsonpath>` (kubectl get's TableSorter / RuntimeSorter). The field is a relaxed jsonpath
 * (`.metadata.name`, `metadata.name`, `{.metadata.name}`) evaluated on each row's full object — so the
 * Table must be requested with `?includeObject=Object`. Values compare like kubectl's isLess: numbers
 * numerically, strings as resource quantities when both parse, else in natural order (digits runs
 * numerically); a row without the field sorts first. Go's sort.Sort (insertion sort for ≤ 12 rows,
 * pdqsort beyond) is reproduced for ≤ 12 rows; larger inputs use a stable sort.
 */
import { JsonPath, JsonPathParseError, PrinterError, relaxedJsonPath } from './jsonpath.js';

/** fvbommel/sortorder.NaturalLess */
export function naturalLess(s1: string, s2: string): boolean {
  const a = Buffer.from(s1, 'utf8');
  const b = Buffer.from(s2, 'utf8');
  const dig = (c: number) => c >= 48 && c <= 57;
  let i1 = 0;
  let i2 = 0;
  while (i1 < a.length && i2 < b.length) {
    const c1 = a[i1]!;
    const c2 = b[i2]!;
    const d1 = dig(c1);
    const d2 = dig(c2);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (c1 !== c2) return c1 < c2;
      i1++;
      i2++;
      continue;
    }
    while (i1 < a.length && a[i1] === 48) i1++;
    while (i2 < b.length && b[i2] === 48) i2++;
    const nz1 = i1;
    const nz2 = i2;
    while (i1 < a.length && dig(a[i1]!)) i1++;
    while (i2 < b.length && dig(b[i2]!)) i2++;
    const l1 = i1 - nz1;
    const l2 = i2 - nz2;
    if (l1 !== l2) return l1 < l2;
    const n1 = a.subarray(nz1, i1).toString();
    const n2 = b.subarray(nz2, i2).toString();
    if (n1 !== n2) return n1 < n2;
    if (nz1 !== nz2) return nz1 < nz2;
  }
  return a.length < b.length;
}

const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** resource.ParseQuantity, as a number (undefined when it does not parse) */
export function parseQuantity(s: string): number | undefined {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(s);
  if (!m) return undefined;
  const num = Number(m[1]);
  const suf = m[2]!;
  if (suf in SUFFIX) return num * SUFFIX[suf]!;
  const e = /^[eE]([+-]?\d+)$/.exec(suf);
  if (e) return num * 10 ** Number(e[1]);
  return undefined;
}

/** kubectl's isLess for two JSON values (throws PrinterError for unsortable types) */
export function isLess(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return false;
  if (a === null || a === undefined) return true;
  if (b === null || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') {
    const qa = parseQuantity(a);
    const qb = parseQuantity(b);
    if (qa === undefined || qb === undefined) return naturalLess(a, b);
    return qa < qb;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') throw new PrinterError('unsortable type: bool');
  throw new PrinterError(`unsortable type: ${typeof a}`);
}

function parse(field: string): JsonPath {
  const expr = relaxedJsonPath(field);
  try {
    return new JsonPath(expr, { allowMissingKeys: true });
  } catch (e) {
    if (e instanceof JsonPathParseError) throw new PrinterError(`sorting error: ${e.message}\n`);
    throw e;
  }
}

/** Go sort.Sort on n ≤ 12 elements = insertion sort with the (possibly inconsistent) Less */
function goSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  const a = [...items];
  if (a.length <= 12) {
    for (let i = 1; i < a.length; i++) {
      for (let j = i; j > 0 && less(a[j]!, a[j - 1]!); j--) {
        const t = a[j]!;
        a[j] = a[j - 1]!;
        a[j - 1] = t;
      }
    }
    return a;
  }
  return a
    .map((v, i) => ({ v, i }))
    .sort((x, y) => (less(x.v, y.v) ? -1 : less(y.v, x.v) ? 1 : x.i - y.i))
    .map((x) => x.v);
}

/**
 * Sort objects by a --sort-by field. Returns the sorted copy; throws PrinterError
 * `couldn't find any field with path "{.x}" in the list of objects` when no object has the field.
 */
export function sortObjects<T>(objects: T[], field: string, objectOf: (t: T) => unknown = (t) => t): T[] {
  const jp = parse(field);
  const keyed = objects.map((o) => {
    const r = jp.findResults(objectOf(o));
    const first = r.length > 0 && r[0]!.length > 0 ? r[0]![0] : undefined;
    return { o, has: first !== undefined, v: typeof first === 'symbol' ? null : first };
  });
  if (objects.length > 0 && !keyed.some((k) => k.has)) {
    throw new PrinterError(`couldn't find any field with path "${relaxedJsonPath(field)}" in the list of objects`);
  }
  if (objects.length <= 1) return [...objects];
  const sorted = goSort(keyed, (x, y) => {
    if (!x.has) return true;
    if (!y.has) return false;
    return isLess(x.v, y.v);
  });
  return sorted.map((k) => k.o);
}

/**
 * --sort-by for a Table (rows need `object`, i.e. `includeObject=Object`). Returns a new Table with sorted
 * rows. kubectl 1.33 prints nothing for the table when no row has the field (and then, if nothing else was
 * printed, "No resources found…" on stderr with exit 0) — this returns the table with no rows in that case.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sortTable(table: any, field: string): any {
  const rows = Array.isArray(table?.rows) ? table.rows : [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { ...table, rows: sortObjects(rows, field, (r: any) => r.object) };
  } catch (e) {
    if (e instanceof PrinterError && e.message.startsWith("couldn't find any field")) return { ...table, rows: [] };
    throw e;
  }
}
