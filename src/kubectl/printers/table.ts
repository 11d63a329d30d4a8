/**
 * `kubectl get` rendering of server-side `meta.k8s.io/v1 Table` responses (kubectl 1.33,
 * cli-runtime tableprinter + kubectl get's grouping). Pure functions, no I/O.
 *
 * The caller asks the API server for tables with
 *   Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json
 * (plus `?includeObject=Object` when --sort-by is used; the default `Metadata` row objects carry
 * namespace and labels, which is all -A / -L / --show-labels need).
 */
import { tabwrite } from './tabwriter.js';
import { formatLabels } from './labels.js';

/** kubectl get's tabwriter: minwidth 6, tabwidth 4, padding 3, padchar ' ', RememberWidths */
export const GET_TABWRITER = { minwidth: 6, padding: 3 } as const;

export interface ColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TablePart {
  /** the Table JSON as the server sent it (rows[].object may be PartialObjectMetadata or a full object) */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  table: any;
  /**
   * kind prefix for the name column, as kubectl prints it: `pod`, `service`, `deployment.apps`
   * (GroupKind string; lower-cased here). Give it for every part when the request spans more than one
   * kind (`get po,svc`, `get all`) or with --show-kind; omit otherwise.
   */
  kindPrefix?: string;
  /** whether the resource is namespaced (cluster-scoped resources never get NAMESPACE with -A); default true */
  namespaced?: boolean;
  /**
   * identifies the REST resource (e.g. `pods`, `deployments.apps`): consecutive parts with the same key
   * are one group (one header, shared column widths, e.g. paged chunks). Defaults to kindPrefix, or the
   * part index when neither is given.
   */
  resource?: string;
}

export interface TableOptions {
  /** -o wide: show priority > 0 columns */
  wide?: boolean;
  /** --show-labels */
  showLabels?: boolean;
  /** -L/--label-columns keys, in order (each comma-split already or not: both accepted) */
  labelColumns?: string[];
  /** --no-headers */
  noHeaders?: boolean;
  /** -A/--all-namespaces: NAMESPACE column for namespaced parts */
  withNamespace?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = { cells: any[]; object?: any; conditions?: any[] };

/** kubectl's cell text: strings cut at the first \n \r \f (+ "..."), others fmt.Sprint; then terminal escaping */
export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const m = /[\f\n\r]/.exec(cell);
    if (m) return escapeTerminal(cell.slice(0, m.index)) + '...';
    return escapeTerminal(cell);
  }
  return escapeTerminal(goSprint(cell));
}

/** printers.EscapeTerminal / WriteEscaped: ESC → ^[, CR → \r */
export function escapeTerminal(s: string): string {
  if (!s.includes('\x1b') && !s.includes('\r')) return s;
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}

/** Go's fmt.Sprint (%v) of a JSON-decoded value (unstructured: int64/float64/string/bool/map/slice) */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goFormatNumber(v);
  if (Array.isArray(v)) return '[' + v.map(goSprint).join(' ') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort(byteCompare);
    return 'map[' + keys.map((k) => `${k}:${goSprint((v as Record<string, unknown>)[k])}`).join(' ') + ']';
  }
  return String(v);
}

/** a JSON number as Go prints it after unstructured decoding: integers as int64, others %v of float64 */
export function goFormatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return goFormatFloatG(n);
}

/** strconv.FormatFloat(f, 'g', -1, 64) — also what %v prints for a float64 */
export function goFormatFloatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // shortest digits
  const e = f.toExponential(); // d.ddde±x
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const exp = Number(m[4]);
  // FormatFloat 'g' with shortest precision decides with eprec 6 (so 1e+06, 1.5e+07)
  const eprec = 6;
  if (exp < -4 || exp >= eprec) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const ae = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' + ae : ae}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

export function byteCompare(a: string, b: string): number {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

/** the last path segment of each -L key, upper-cased (formatLabelHeaders) */
function labelHeaders(keys: string[]): string[] {
  return keys.map((k) => {
    const parts = k.split('/');
    return parts[parts.length - 1]!.toUpperCase();
  });
}

function splitLabelColumns(keys: string[] | undefined): string[] {
  const out: string[] = [];
  for (const k of keys ?? []) for (const p of k.split(',')) if (p !== '') out.push(p);
  return out;
}

interface Decorated {
  columns: ColumnDefinition[];
  rows: Row[];
}

/** decorateTable: [NAMESPACE] + columns + [-L columns] + [LABELS], kind prefix on the name column */
function decorate(
  columns: ColumnDefinition[],
  rowsIn: Row[],
  opts: TableOptions,
  withNamespace: boolean,
  kindPrefix: string | undefined,
): Decorated {
  const labelKeys = splitLabelColumns(opts.labelColumns);
  const showLabels = !!opts.showLabels;
  let nameColumn = -1;
  if (kindPrefix) {
    nameColumn = columns.findIndex((c) => c.format === 'name' && c.type === 'string');
  }
  const width = columns.length + labelKeys.length + (withNamespace ? 1 : 0) + (showLabels ? 1 : 0);
  let cols = columns;
  if (width !== columns.length) {
    cols = [];
    if (withNamespace) cols.push({ name: 'Namespace', type: 'string' });
    cols.push(...columns);
    for (const h of labelHeaders(labelKeys)) cols.push({ name: h, type: 'string' });
    if (showLabels) cols.push({ name: 'Labels', type: 'string' });
  }
  const includeLabels = labelKeys.length > 0 || showLabels;
  const rows = rowsIn.map((r) => {
    let cells = [...(r.cells ?? [])];
    if (nameColumn !== -1) cells[nameColumn] = `${kindPrefix!.toLowerCase()}/${cellText(cells[nameColumn])}`;
    const meta = r.object && typeof r.object === 'object' ? r.object.metadata : undefined;
    if (!includeLabels && !withNamespace) return { ...r, cells };
    if (!meta) {
      if (withNamespace) cells = [null, ...cells];
      while (cells.length < width) cells.push(null);
      return { ...r, cells };
    }
    if (withNamespace) cells = [meta.namespace ?? '', ...cells];
    if (includeLabels) {
      const labels: Record<string, string> = meta.labels ?? {};
      for (const k of labelKeys) cells.push(Object.prototype.hasOwnProperty.call(labels, k) ? labels[k] : '');
      if (showLabels) cells.push(formatLabels(labels));
    }
    return { ...r, cells };
  });
  return { columns: cols, rows };
}

/** printTable: the tab-separated text (header unless noHeaders; nothing when there are no rows) */
function tableText(d: Decorated, opts: TableOptions, noHeaders: boolean, eventCells?: string[]): string {
  let out = '';
  const wide = !!opts.wide;
  if (!noHeaders) {
    if (d.rows.length === 0) return '';
    const hdr: string[] = [];
    if (eventCells) hdr.push('EVENT');
    for (const c of d.columns) if (wide || !c.priority) hdr.push(c.name.toUpperCase());
    out += hdr.join('\t') + '\n';
  }
  d.rows.forEach((r, ri) => {
    const cells: string[] = [];
    if (eventCells) cells.push(eventCells[ri]!);
    (r.cells ?? []).forEach((cell, i) => {
      if (i >= d.columns.length) return;
      const c = d.columns[i]!;
      if (!wide && c.priority) return;
      cells.push(cellText(cell));
    });
    out += cells.join('\t') + '\n';
  });
  return out;
}

function partKey(p: TablePart, i: number): string {
  return p.resource ?? p.kindPrefix ?? `#${i}`;
}

/**
 * Render the tables of one `kubectl get` (one or more resource types, possibly several chunks per type)
 * exactly as kubectl writes them to stdout. Returns '' when nothing would be printed — then the caller
 * writes `noResourcesFound(...)` to stderr (unless --ignore-not-found or there were errors).
 */
export function renderTables(parts: TablePart[], opts: TableOptions = {}): string {
  let out = '';
  let group = '';
  let groupKey: string | undefined;
  let lastColumns: ColumnDefinition[] | undefined;
  let printedHeaders = false;
  let separatorReady = false;

  const flush = () => {
    if (group === '') return;
    const text = tabwrite(group, GET_TABWRITER);
    group = '';
    if (text.length > 0) {
      if (separatorReady) {
        out += '\n';
        separatorReady = false;
      }
      out += text;
    }
  };

  parts.forEach((p, i) => {
    const key = partKey(p, i);
    if (groupKey === undefined || key !== groupKey) {
      flush();
      if (groupKey !== undefined && !opts.noHeaders && out.length > 0) separatorReady = true;
      groupKey = key;
      lastColumns = undefined;
      printedHeaders = false;
    }
    const t = p.table ?? {};
    let columns: ColumnDefinition[] = Array.isArray(t.columnDefinitions) ? t.columnDefinitions : [];
    let noHeaders = !!opts.noHeaders;
    if (printedHeaders && (columns.length === 0 || sameColumns(columns, lastColumns))) noHeaders = true;
    if (columns.length === 0) columns = lastColumns ?? [];
    else if (!sameColumns(columns, lastColumns)) {
      lastColumns = columns;
      printedHeaders = false;
    }
    const rows: Row[] = Array.isArray(t.rows) ? t.rows : [];
    if (rows.length > 0) printedHeaders = true;
    const withNs = !!opts.withNamespace && p.namespaced !== false;
    const d = decorate(columns, rows, opts, withNs, p.kindPrefix);
    group += tableText(d, opts, noHeaders);
  });
  flush();
  return out;
}

function sameColumns(a: ColumnDefinition[] | undefined, b: ColumnDefinition[] | undefined): boolean {
  if (!a || !b) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The stderr line kubectl prints when a `get` wrote nothing (with its trailing newline):
 * `No resources found in <ns> namespace.` when every resource asked for is namespaced and -A is not set,
 * else `No resources found`.
 */
export function noResourcesFound(namespace?: string, allNamespaces?: boolean, allNamespaced = true): string {
  if (!allNamespaces && allNamespaced && namespace !== undefined) return `No resources found in ${namespace} namespace.\n`;
  return 'No resources found\n';
}

/** watch event types as kubectl's --output-watch-events column prints them (%-8s is applied by padding) */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'ERROR' | 'BOOKMARK' | string;

/**
 * `kubectl get -w` for one resource type: every `write()` is one PrintObj + tabwriter Flush. kubectl's
 * tabwriter remembers column widths across flushes (RememberWidths): widths only grow, so a long name in a
 * later event widens that line and every following line, but never earlier output.
 *
 * Feed it the initial list Table first (`write(table)`), then each watch event's Table (the server sends
 * `columnDefinitions: null` after the first one; the last definitions are reused). With
 * `--output-watch-events`, pass the event type (`'ADDED'` for the initial list rows).
 */
export class TableStream {
  private lastColumns: ColumnDefinition[] | undefined;
  private printedHeaders = false;
  private maxwidths: number[] = [];

  constructor(
    private readonly opts: TableOptions & { kindPrefix?: string; namespaced?: boolean } = {},
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  write(table: any, eventType?: WatchEventType): string {
    const t = table ?? {};
    let columns: ColumnDefinition[] = Array.isArray(t.columnDefinitions) ? t.columnDefinitions : [];
    let noHeaders = !!this.opts.noHeaders;
    if (this.printedHeaders && (columns.length === 0 || sameColumns(columns, this.lastColumns))) noHeaders = true;
    if (columns.length === 0) columns = this.lastColumns ?? [];
    else if (!sameColumns(columns, this.lastColumns)) {
      this.lastColumns = columns;
      this.printedHeaders = false;
    }
    const rows: Row[] = Array.isArray(t.rows) ? t.rows : [];
    if (rows.length > 0) this.printedHeaders = true;
    const withNs = !!this.opts.withNamespace && this.opts.namespaced !== false;
    const d = decorate(columns, rows, this.opts, withNs, this.opts.kindPrefix);
    const events = eventType !== undefined ? rows.map(() => eventType.padEnd(8, ' ')) : undefined;
    const text = tableText(d, this.opts, noHeaders, events);
    return this.format(text);
  }

  /** liggitt/tabwriter with RememberWidths, for text made of whole lines */
  private format(text: string): string {
    if (text === '') return '';
    const lines = text.split('\n');
    lines.pop(); // text ends with '\n'
    const cells = lines.map((l) => l.split('\t'));
    const widths: number[] = [];
    let out = '';
    const writeLines = (a: number, b: number) => {
      for (let i = a; i < b; i++) {
        const line = cells[i]!;
        for (let j = 0; j < line.length; j++) {
          const c = line[j]!;
          out += c;
          if (j < widths.length) out += ' '.repeat(Math.max(0, widths[j]! - runeLen(c)));
        }
        out += '\n';
      }
    };
    const format = (line0: number, line1: number) => {
      const column = widths.length;
      for (let cur = line0; cur < line1; cur++) {
        if (column >= cells[cur]!.length - 1) continue;
        writeLines(line0, cur);
        line0 = cur;
        let width: number = GET_TABWRITER.minwidth;
        for (; cur < line1; cur++) {
          const l = cells[cur]!;
          if (column >= l.length - 1) break;
          const w = runeLen(l[column]!) + GET_TABWRITER.padding;
          if (w > width) width = w;
        }
        if (this.maxwidths.length === column) this.maxwidths.push(width);
        else if (this.maxwidths[column]! > width) width = this.maxwidths[column]!;
        else this.maxwidths[column] = width;
        widths.push(width);
        format(line0, cur);
        widths.pop();
        line0 = cur;
      }
      writeLines(line0, line1);
    };
    format(0, cells.length);
    return out;
  }
}

function runeLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
