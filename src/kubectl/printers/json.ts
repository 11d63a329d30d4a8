/**
 * `kubectl get -o json`: Go encoding/json MarshalIndent(obj, "", "    ") + "\n" of the unstructured
 * object (map keys sorted byte-wise, HTML-safe escaping of < > &, U+2028/U+2029 escaped).
 */

/** the List kubectl prints for several objects (`get pods -o json|yaml|jsonpath`) */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function asList(items: any[]): any {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** Go's json string encoding (HTML-escaped) */
export function goJsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20) {
      esc =
        c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : c === 0x08 ? '\\b' : c === 0x0c ? '\\f' : '\\u00' + c.toString(16).padStart(2, '0');
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (c === 0x3c) esc = '\\u003c';
    else if (c === 0x3e) esc = '\\u003e';
    else if (c === 0x26) esc = '\\u0026';
    else if (c === 0x2028) esc = '\\u2028';
    else if (c === 0x2029) esc = '\\u2029';
    else if (c >= 0xd800 && c <= 0xdfff) {
      // a lone surrogate is invalid UTF-8 for Go: replaced by U+FFFD
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      esc = '\\ufffd';
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** a JSON number as Go's encoding/json writes an unstructured int64/float64 */
export function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
  return String(n);
}

function cmpKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * json.MarshalIndent(v, prefix, indent) (indent '' = json.Marshal compact). Maps (unstructured
 * objects) have sorted keys; `sortKeys: false` keeps the given order, as for a Go struct.
 */
export function goJson(v: unknown, indent = '', prefix = '', opts: { sortKeys?: boolean } = {}): string {
  const order = opts.sortKeys === false ? () => 0 : cmpKeys;
  const rec = (x: unknown, cur: string): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') return goJsonString(x);
    if (typeof x === 'number') return goJsonNumber(x);
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    const next = cur + indent;
    const nl = indent === '' ? '' : '\n' + prefix;
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return '[' + x.map((e) => nl + next + rec(e, next)).join(',') + nl + cur + ']';
    }
    if (typeof x === 'object') {
      const keys = Object.keys(x as object)
        .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
        .sort(order);
      if (keys.length === 0) return '{}';
      const sep = indent === '' ? ':' : ': ';
      return '{' + keys.map((k) => nl + next + goJsonString(k) + sep + rec((x as Record<string, unknown>)[k], next)).join(',') + nl + cur + '}';
    }
    return 'null';
  };
  return rec(v, '');
}

/**
 * kubectl's OmitManagedFieldsPrinter (-o json / -o yaml without --show-managed-fields): a copy without
 * metadata.managedFields, on the object and on each item of a list. (jsonpath, custom-columns and name
 * output keep them.)
 */
export function omitManagedFields<T>(obj: T): T {
  const strip = (o: unknown): unknown => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return o;
    const r = o as Record<string, unknown>;
    const meta = r.metadata as Record<string, unknown> | undefined;
    let out: Record<string, unknown> = r;
    if (meta && typeof meta === 'object' && 'managedFields' in meta) {
      const { managedFields: _drop, ...rest } = meta;
      void _drop;
      out = { ...r, metadata: rest };
    }
    if (Array.isArray(out.items)) out = { ...out, items: out.items.map(strip) };
    return out;
  };
  return strip(obj) as T;
}

/** `-o json` output for one object (or a List built with asList); managedFields dropped unless asked for */
export function printJson(obj: unknown, opts: { showManagedFields?: boolean } = {}): string {
  return goJson(opts.showManagedFields ? obj : omitManagedFields(obj), '    ') + '\n';
}
