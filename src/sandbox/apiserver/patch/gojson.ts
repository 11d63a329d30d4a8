/**
 * JSON parsing that reports malformed input with the wording of Go's encoding/json (which is what
 * kube-apiserver puts into its 400 BadRequest messages), plus small helpers shared by the patchers.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Thrown by parseGoJson; `message` is Go's json error text. */
export class GoJsonError extends Error {}

/** Go's quoteChar from encoding/json/scanner.go. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) {
    return `'${JSON.stringify(c).slice(1, -1).replace(/\\u00([0-9a-f]{2})/, '\\x$1')}'`;
  }
  return `'${c}'`;
}

/**
 * Validates `text` the way Go's scanner does and returns the parsed value. Duplicate keys: last wins
 * (as in Go). Throws GoJsonError with Go's message on malformed input.
 */
export function parseGoJson(text: string): Json {
  let i = 0;
  const n = text.length;
  const eof = () => new GoJsonError('unexpected end of JSON input');
  const bad = (ctx: string) => new GoJsonError(`invalid character ${quoteChar(String.fromCodePoint(text.codePointAt(i)!))} ${ctx}`);
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string, value: Json): Json => {
    for (let k = 0; k < word.length; k++) {
      if (i >= n) throw eof();
      if (text[i] !== word[k]) throw bad(`in literal ${word} (expecting ${quoteChar(word[k])})`);
      i++;
    }
    return value;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (true) {
      if (i >= n) throw eof();
      const c = text[i];
      if (c === '"') break;
      if (c === '\\') {
        i++;
        if (i >= n) throw eof();
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (i + k >= n) { i = n; throw eof(); }
            if (!/[0-9a-fA-F]/.test(text[i + k])) { i += k; throw bad('in \\u hexadecimal character escape'); }
          }
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) throw bad('in string escape code');
        i++;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw bad('in string literal');
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const num = (): number => {
    const start = i;
    if (text[i] === '-') {
      i++;
      if (i >= n) throw eof();
      if (!/[0-9]/.test(text[i])) throw bad('in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (i < n && /[0-9]/.test(text[i])) i++;
    if (i < n && text[i] === '.') {
      i++;
      if (i >= n) throw eof();
      if (!/[0-9]/.test(text[i])) throw bad('after decimal point in numeric literal');
      while (i < n && /[0-9]/.test(text[i])) i++;
    }
    if (i < n && (text[i] === 'e' || text[i] === 'E')) {
      i++;
      if (i < n && (text[i] === '+' || text[i] === '-')) i++;
      if (i >= n) throw eof();
      if (!/[0-9]/.test(text[i])) throw bad('in exponent of numeric literal');
      while (i < n && /[0-9]/.test(text[i])) i++;
    }
    return Number(text.slice(start, i));
  };
  let depth = 0;
  const value = (): Json => {
    ws();
    if (i >= n) throw eof();
    const c = text[i];
    if ((c === '{' || c === '[') && ++depth > 10000) throw new GoJsonError('exceeded max depth');
    const v = container(c);
    if (c === '{' || c === '[') depth--;
    return v;
  };
  const container = (c: string): Json => {
    if (c === '{') {
      i++;
      const obj: JsonObject = {};
      ws();
      if (i >= n) throw eof();
      if (text[i] === '}') { i++; return obj; }
      while (true) {
        ws();
        if (i >= n) throw eof();
        if (text[i] !== '"') throw bad('looking for beginning of object key string');
        const k = str();
        ws();
        if (i >= n) throw eof();
        if (text[i] !== ':') throw bad('after object key');
        i++;
        const v = value();
        Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (i >= n) throw eof();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return obj; }
        throw bad('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const arr: Json[] = [];
      ws();
      if (i >= n) throw eof();
      if (text[i] === ']') { i++; return arr; }
      while (true) {
        arr.push(value());
        ws();
        if (i >= n) throw eof();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return arr; }
        throw bad('after array element');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    throw bad('looking for beginning of value');
  };
  const v = value();
  ws();
  if (i < n) throw bad('after top-level value');
  return v;
}

/** Go's name for the JSON type of `v`, as in `json: cannot unmarshal array into Go value of type …`. */
export function goJsonKind(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string | number
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepClone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepClone) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    Object.defineProperty(out, k, { value: deepClone(x), enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

/** Sets own property `k` safely (no __proto__ setter surprises). */
export function setKey(obj: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as any)[k], (b as any)[k]));
}

/** Go's %v rendering of decoded JSON (map[k:v] with sorted keys, [a b], <nil>). */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `map[${keys.map((k) => `${k}:${goFormat((v as any)[k])}`).join(' ')}]`;
  }
  return String(v);
}
