/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies (kubectl 1.32+ `create <generator>`).
 *
 * Wire format: the 4 magic bytes `k8s\0`, then a runtime.Unknown message
 * `{1: typeMeta{1: apiVersion, 2: kind}, 2: raw (the object's own message), 3: contentEncoding, 4: contentType}`.
 * The object message is decoded with the field tables in `schema.ts` and turned into the JSON form
 * kube-apiserver would produce after decoding it into the Go struct (json.Marshal rules):
 *
 * - non-pointer scalar fields: Go always writes them on the wire; a zero value ("", 0, false) is left out when
 *   the field is `omitempty`, kept otherwise (e.g. `containerPort`, PriorityClass `value`);
 * - pointer fields (flag `p`): kept whenever present, zero included (`replicas: 0`, `backoffLimit: 0`);
 * - non-pointer struct fields: always present (`"status":{}`, `"resources":{}`, `"strategy":{}`), also
 *   when missing from the wire (Go's zero struct);
 * - nil slices / maps are left out (Go would write `null` for the non-omitempty ones);
 * - meta/v1 Time → RFC3339 (seconds), MicroTime → RFC3339 with microseconds; a zero time is left out
 *   (kubectl's JSON bodies say `creationTimestamp: null`; we treat that as absent);
 * - Duration → Go duration string (`1h0m0s`); Quantity → its string as sent (not canonicalised);
 * - IntOrString → number or string; a zero non-pointer IntOrString is left out (the defaulting code treats
 *   an absent `targetPort` like 0);
 * - `bytes` (Secret `data`, ConfigMap `binaryData`, …) → base64; RawExtension / FieldsV1 → the embedded JSON;
 * - unknown fields are skipped.
 *
 * Malformed input throws `errors.badRequest(...)` (a StatusError); nothing else escapes.
 */
import protobuf from 'protobufjs/minimal.js';
import { errors, StatusError } from '../errors.js';
import type { KObject } from '../types.js';
import { RAW_SCHEMA } from './schema.js';

const { Reader } = protobuf;
type ReaderT = protobuf.Reader;

/** `k8s\0` */
export const KUBERNETES_PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface FieldSpec {
  /** JSON name */
  name: string;
  /** scalar protobuf type, or a message name for messages; for maps the value type */
  type: string;
  repeated: boolean;
  /** the value type is a message (name in `type`) */
  message: boolean;
  /** a map<string, type> (entries `{1: key, 2: value}`) */
  map: boolean;
  /** Go pointer: a zero value on the wire is meaningful */
  pointer: boolean;
  /** JSON omitempty */
  omitempty: boolean;
  /** embedded struct, its fields go into the parent's JSON */
  inline: boolean;
  number: number;
}

export interface MessageSpec {
  name: string;
  /** field number → field */
  fields: Map<number, FieldSpec>;
  /** in declaration order (the order of keys in the JSON) */
  ordered: FieldSpec[];
}

const SCALAR_TYPES = new Set([
  'string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64',
  'double', 'float', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64',
]);

function buildSchema(): Map<string, MessageSpec> {
  const out = new Map<string, MessageSpec>();
  for (const [msgName, raw] of Object.entries(RAW_SCHEMA)) {
    const spec: MessageSpec = { name: msgName, fields: new Map(), ordered: [] };
    for (const [number, name, type, flags = ''] of raw) {
      const mapMatch = /^map<(\w+),([\w.]+)>$/.exec(type);
      const valueType = mapMatch ? mapMatch[2] : type;
      const f: FieldSpec = {
        number,
        name,
        type: valueType,
        repeated: flags.includes('r'),
        message: !SCALAR_TYPES.has(valueType),
        map: !!mapMatch,
        pointer: flags.includes('p'),
        omitempty: flags.includes('o'),
        inline: flags.includes('i'),
      };
      spec.fields.set(number, f);
      spec.ordered.push(f);
    }
    out.set(msgName, spec);
  }
  return out;
}

let built: ReadonlyMap<string, MessageSpec> | undefined;

/** All known messages, by name (`core.v1.Pod`, `meta.v1.ObjectMeta`, …); built on first use. */
export function messages(): ReadonlyMap<string, MessageSpec> {
  return (built ??= buildSchema());
}

/** The schema message name for an apiVersion + kind, e.g. `apps/v1` + `Deployment` → `apps.v1.Deployment`. */
export function messageNameFor(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const prefix = group === '' ? 'core' : group.split('.')[0];
  const name = `${prefix}.${version}.${kind}`;
  if (messages().has(name)) return name;
  // the options types (DeleteOptions, …) are registered in every group version, as meta/v1's own
  return version === 'v1' && messages().has(`meta.v1.${kind}`) && kind.endsWith('Options') ? `meta.v1.${kind}` : undefined;
}

// ----------------------------------------------------------------------------------------------------
// wire helpers

const MAX_DEPTH = 64;

class DecodeError extends Error {}

function fail(msg: string): never {
  throw new DecodeError(msg);
}

function expectedWireType(type: string): number {
  switch (type) {
    case 'double': case 'fixed64': case 'sfixed64': return 1;
    case 'float': case 'fixed32': case 'sfixed32': return 5;
    case 'string': case 'bytes': return 2;
    default: return SCALAR_TYPES.has(type) ? 0 : 2;
  }
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v && typeof (v as { toNumber: unknown }).toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber();
  }
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const l = v as { low: number; high: number; unsigned?: boolean };
    return l.unsigned ? (l.high >>> 0) * 4294967296 + (l.low >>> 0) : l.high * 4294967296 + (l.low >>> 0);
  }
  return Number(v);
}

function readScalar(r: ReaderT, type: string): string | number | boolean | Uint8Array {
  switch (type) {
    case 'string': return r.string();
    case 'bytes': return r.bytes();
    case 'bool': return r.bool();
    case 'int32': return r.int32();
    case 'uint32': return r.uint32();
    case 'sint32': return r.sint32();
    case 'int64': return toNumber(r.int64());
    case 'uint64': return toNumber(r.uint64());
    case 'sint64': return toNumber(r.sint64());
    case 'double': return r.double();
    case 'float': return r.float();
    case 'fixed32': return r.fixed32();
    case 'sfixed32': return r.sfixed32();
    case 'fixed64': return toNumber(r.fixed64());
    case 'sfixed64': return toNumber(r.sfixed64());
    default: return fail(`unsupported scalar type ${type}`);
  }
}

function isZeroScalar(v: unknown): boolean {
  return v === '' || v === 0 || v === false || (v instanceof Uint8Array && v.length === 0);
}

/** Own-property assignment that is safe for keys like `__proto__`. */
function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

// ----------------------------------------------------------------------------------------------------
// message decoding into "wire values" (raw field values keyed by field number)

/** Field values as read from the wire: a raw value per field (last one wins), arrays for repeated/maps. */
type Raw = Map<number, unknown>;

interface MapEntries { entries: [string, unknown][] }

function readMessageRaw(bytes: Uint8Array, spec: MessageSpec, depth: number): Raw {
  if (depth > MAX_DEPTH) fail('message nesting is too deep');
  const r = Reader.create(bytes);
  const out: Raw = new Map();
  while (r.pos < r.len) {
    const tag = r.uint32();
    const num = tag >>> 3;
    const wt = tag & 7;
    if (num === 0) fail(`invalid field number 0 at offset ${r.pos}`);
    const f = spec.fields.get(num);
    if (!f) {
      if (wt === 4) fail(`unexpected end-group tag at offset ${r.pos}`);
      r.skipType(wt);
      continue;
    }
    const want = f.map ? 2 : expectedWireType(f.type);
    if (f.map) {
      if (wt !== 2) fail(`field ${spec.name}.${f.name} (${num}): wrong wire type ${wt}, expected 2`);
      const entry = readMapEntry(r.bytes(), f, depth + 1);
      const cur = (out.get(num) as MapEntries | undefined) ?? { entries: [] };
      cur.entries.push(entry);
      out.set(num, cur);
      continue;
    }
    if (f.repeated) {
      const list = (out.get(num) as unknown[] | undefined) ?? [];
      if (wt === want) {
        list.push(f.message ? r.bytes() : readScalar(r, f.type));
      } else if (wt === 2 && want !== 2) {
        // packed repeated scalars
        const end = r.uint32() + r.pos;
        if (end > r.len) fail(`field ${spec.name}.${f.name} (${num}): truncated packed field`);
        while (r.pos < end) list.push(readScalar(r, f.type));
        if (r.pos !== end) fail(`field ${spec.name}.${f.name} (${num}): malformed packed field`);
      } else {
        fail(`field ${spec.name}.${f.name} (${num}): wrong wire type ${wt}, expected ${want}`);
      }
      out.set(num, list);
      continue;
    }
    if (wt !== want) fail(`field ${spec.name}.${f.name} (${num}): wrong wire type ${wt}, expected ${want}`);
    out.set(num, f.message ? r.bytes() : readScalar(r, f.type));
  }
  if (r.pos !== r.len) fail('truncated message');
  return out;
}

function readMapEntry(bytes: Uint8Array, f: FieldSpec, depth: number): [string, unknown] {
  const r = Reader.create(bytes);
  let key = '';
  let value: unknown;
  const wantValue = expectedWireType(f.type);
  while (r.pos < r.len) {
    const tag = r.uint32();
    const num = tag >>> 3;
    const wt = tag & 7;
    if (num === 1) {
      if (wt !== 2) fail(`map ${f.name}: key has wrong wire type ${wt}`);
      key = r.string();
    } else if (num === 2) {
      if (wt !== wantValue) fail(`map ${f.name}: value has wrong wire type ${wt}, expected ${wantValue}`);
      value = f.message ? r.bytes() : readScalar(r, f.type);
    } else {
      if (num === 0 || wt === 4) fail(`map ${f.name}: malformed entry`);
      r.skipType(wt);
    }
  }
  if (value === undefined) {
    // an absent value is the zero value
    value = f.message ? new Uint8Array(0) : zeroScalar(f.type);
  }
  void depth;
  return [key, value];
}

function zeroScalar(type: string): unknown {
  if (type === 'string') return '';
  if (type === 'bytes') return new Uint8Array(0);
  if (type === 'bool') return false;
  return 0;
}

// ----------------------------------------------------------------------------------------------------
// special messages

const SPECIAL = new Set([
  'meta.v1.Time', 'meta.v1.MicroTime', 'meta.v1.Duration', 'meta.v1.FieldsV1', 'resource.Quantity',
  'resource.QuantityValue', 'intstr.IntOrString', 'runtime.RawExtension',
  'authentication.v1.ExtraValue', 'authorization.v1.ExtraValue', 'certificates.v1.ExtraValue',
]);

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function formatTime(seconds: number, nanos: number, micro: boolean): string {
  const ms = seconds * 1000;
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) fail(`time out of range: ${seconds}s`);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) fail(`time out of range: ${seconds}s`);
  const base = `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (!micro) return `${base}Z`;
  const us = Math.floor(Math.max(0, Math.min(nanos, 999_999_999)) / 1000);
  return `${base}.${pad(us, 6)}Z`;
}

/** Go's time.Duration.String(). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let s: string;
  if (u < 1e9) {
    if (u < 1e3) s = `${u}ns`;
    else if (u < 1e6) s = `${trimFrac(u / 1e3)}µs`;
    else s = `${trimFrac(u / 1e6)}ms`;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    const sec = trimFrac(u / 1e9);
    s = h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${s}` : s;
}

function trimFrac(v: number): string {
  return String(Number(v.toFixed(9)));
}

function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

function parseEmbeddedJSON(b: Uint8Array, what: string, depth: number): unknown {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length >= 4 && buf.subarray(0, 4).equals(KUBERNETES_PROTOBUF_MAGIC)) return decodeEnvelope(buf, depth + 1);
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return fail(`${what} does not contain valid JSON`);
  }
}

/** JSON for a special message; undefined = leave the field out. */
function decodeSpecial(type: string, bytes: Uint8Array, pointer: boolean, depth: number): unknown {
  const spec = messages().get(type)!;
  const raw = readMessageRaw(bytes, spec, depth + 1);
  switch (type) {
    case 'meta.v1.Time':
    case 'meta.v1.MicroTime': {
      if (bytes.length === 0) return undefined; // Go's zero time marshals to nothing
      return formatTime(Number(raw.get(1) ?? 0), Number(raw.get(2) ?? 0), type === 'meta.v1.MicroTime');
    }
    case 'meta.v1.Duration':
      return formatGoDuration(Number(raw.get(1) ?? 0));
    case 'meta.v1.FieldsV1':
    case 'runtime.RawExtension': {
      const b = raw.get(1) as Uint8Array | undefined;
      if (!b || b.length === 0) return undefined;
      return parseEmbeddedJSON(b, type, depth);
    }
    case 'resource.Quantity':
    case 'resource.QuantityValue': {
      const s = (raw.get(1) as string | undefined) ?? '';
      return s === '' ? (pointer ? '0' : undefined) : s;
    }
    case 'intstr.IntOrString': {
      const t = Number(raw.get(1) ?? 0);
      if (t === 1) return (raw.get(3) as string | undefined) ?? '';
      const n = Number(raw.get(2) ?? 0);
      return n === 0 && !pointer ? undefined : n;
    }
    default: // ExtraValue: a []string
      return (raw.get(1) as unknown[] | undefined) ?? [];
  }
}

// ----------------------------------------------------------------------------------------------------
// JSON conversion

function messageToJSON(bytes: Uint8Array, typeName: string, depth: number): Record<string, unknown> {
  const spec = messages().get(typeName);
  if (!spec) return fail(`no schema for message ${typeName}`);
  const raw = readMessageRaw(bytes, spec, depth);
  const out: Record<string, unknown> = {};
  for (const f of spec.ordered) {
    const v = raw.get(f.number);
    const j = fieldToJSON(f, v, depth);
    if (j === undefined) continue;
    if (f.inline && j && typeof j === 'object' && !Array.isArray(j)) {
      for (const [k, val] of Object.entries(j)) setKey(out, k, val);
    } else {
      setKey(out, f.name, j);
    }
  }
  return out;
}

function valueToJSON(f: FieldSpec, v: unknown, depth: number, inCollection: boolean): unknown {
  if (f.message) {
    const b = v as Uint8Array;
    if (SPECIAL.has(f.type)) return decodeSpecial(f.type, b, f.pointer || inCollection, depth + 1);
    return messageToJSON(b, f.type, depth + 1);
  }
  if (v instanceof Uint8Array) return base64(v);
  return v;
}

function fieldToJSON(f: FieldSpec, v: unknown, depth: number): unknown {
  if (f.map) {
    if (v === undefined) return undefined;
    const obj: Record<string, unknown> = {};
    for (const [k, val] of (v as MapEntries).entries) {
      const j = valueToJSON(f, val, depth, true);
      setKey(obj, k, j === undefined ? (f.type === 'resource.Quantity' ? '0' : null) : j);
    }
    return obj;
  }
  if (f.repeated) {
    if (v === undefined) return undefined;
    return (v as unknown[]).map((x) => {
      const j = valueToJSON(f, x, depth, true);
      return j === undefined ? null : j;
    });
  }
  if (v === undefined) {
    // absent from the wire: Go's zero value
    if (f.pointer) return undefined;
    if (f.message) return SPECIAL.has(f.type) ? undefined : zeroMessageJSON(f.type, 0);
    if (f.omitempty) return undefined;
    return zeroScalar(f.type) instanceof Uint8Array ? undefined : zeroScalar(f.type);
  }
  if (f.message) return valueToJSON(f, v, depth, false);
  if (!f.pointer && f.omitempty && isZeroScalar(v)) return undefined;
  if (!f.pointer && f.type === 'bytes' && (v as Uint8Array).length === 0) return undefined;
  return valueToJSON(f, v, depth, false);
}

/** JSON of Go's zero value of a (non-special) message type: nested value structs and non-omitempty scalars. */
function zeroMessageJSON(typeName: string, depth: number): Record<string, unknown> {
  const spec = messages().get(typeName);
  const out: Record<string, unknown> = {};
  if (!spec || depth > MAX_DEPTH) return out;
  for (const f of spec.ordered) {
    if (f.pointer || f.repeated || f.map) continue;
    let j: unknown;
    if (f.message) j = SPECIAL.has(f.type) ? undefined : zeroMessageJSON(f.type, depth + 1);
    else if (!f.omitempty && f.type !== 'bytes') j = zeroScalar(f.type);
    if (j === undefined) continue;
    if (f.inline && typeof j === 'object' && j) Object.assign(out, j);
    else setKey(out, f.name, j);
  }
  return out;
}

// ----------------------------------------------------------------------------------------------------
// envelope

function decodeEnvelope(body: Buffer, depth: number): KObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(KUBERNETES_PROTOBUF_MAGIC)) {
    fail('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const unknown = readMessageRaw(body.subarray(4), messages().get('runtime.Unknown')!, depth);
  const tmBytes = unknown.get(1) as Uint8Array | undefined;
  const tm = tmBytes ? readMessageRaw(tmBytes, messages().get('runtime.TypeMeta')!, depth + 1) : new Map();
  const apiVersion = (tm.get(1) as string | undefined) ?? '';
  const kind = (tm.get(2) as string | undefined) ?? '';
  const encoding = (unknown.get(3) as string | undefined) ?? '';
  if (encoding !== '') fail(`unsupported contentEncoding "${encoding}"`);
  if (kind === '') fail("Object 'Kind' is missing in protobuf body");
  if (apiVersion === '') fail("Object 'apiVersion' is missing in protobuf body");
  const msg = messageNameFor(apiVersion, kind);
  if (!msg) fail(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  const raw = (unknown.get(2) as Uint8Array | undefined) ?? new Uint8Array(0);
  const obj = messageToJSON(raw, msg, depth + 1);
  const result: KObject = { kind, apiVersion, ...obj, metadata: (obj.metadata as KObject['metadata']) ?? {} };
  return result;
}

/**
 * Decodes a `application/vnd.kubernetes.protobuf` body into the object's JSON form.
 * Throws `errors.badRequest(...)` for anything malformed.
 */
export function decodeKubernetesProtobuf(body: Buffer | Uint8Array): KObject {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  try {
    return decodeEnvelope(buf, 0);
  } catch (e) {
    if (e instanceof StatusError) throw e;
    if (e instanceof DecodeError) throw errors.badRequest(`unable to decode protobuf body: ${e.message}`);
    const msg = e instanceof Error ? e.message : String(e);
    throw errors.badRequest(`unable to decode protobuf body: malformed protobuf data (${msg})`);
  }
}
