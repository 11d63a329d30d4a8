/**
 * Test-only encoder: JSON object → `k8s\0` + runtime.Unknown protobuf, written with protobufjs's Writer from
 * the same field tables the decoder uses. Like Go, it writes every non-pointer scalar (zero values included)
 * and every non-pointer struct, so the decoder's omitempty handling is exercised.
 */
import protobuf from 'protobufjs/minimal.js';
import { messages, messageNameFor, type FieldSpec } from '../../../src/sandbox/apiserver/protobuf/decode.js';

const { Writer } = protobuf;
type W = protobuf.Writer;

const WIRE: Record<string, number> = { double: 1, fixed64: 1, sfixed64: 1, float: 5, fixed32: 5, sfixed32: 5, string: 2, bytes: 2 };
const wireOf = (t: string) => WIRE[t] ?? 0;

function writeScalar(w: W, type: string, v: unknown): void {
  switch (type) {
    case 'string': w.string(String(v ?? '')); break;
    case 'bytes': w.bytes(typeof v === 'string' ? Buffer.from(v, 'base64') : (v as Uint8Array) ?? new Uint8Array()); break;
    case 'bool': w.bool(!!v); break;
    case 'int32': w.int32(Number(v ?? 0)); break;
    case 'int64': w.int64(Number(v ?? 0)); break;
    case 'uint32': w.uint32(Number(v ?? 0)); break;
    case 'uint64': w.uint64(Number(v ?? 0)); break;
    case 'double': w.double(Number(v ?? 0)); break;
    default: throw new Error(`encoder: unsupported scalar ${type}`);
  }
}

function encodeSpecial(type: string, v: unknown): Uint8Array | undefined {
  const w = Writer.create();
  switch (type) {
    case 'meta.v1.Time':
    case 'meta.v1.MicroTime': {
      if (v === undefined || v === null) return new Uint8Array();
      const ms = Date.parse(String(v));
      w.uint32(8).int64(Math.floor(ms / 1000));
      const frac = /\.(\d+)/.exec(String(v))?.[1] ?? '';
      w.uint32(16).int32(Number((frac + '000000000').slice(0, 9)));
      return w.finish();
    }
    case 'resource.Quantity':
      w.uint32(10).string(String(v ?? ''));
      return w.finish();
    case 'intstr.IntOrString':
      if (typeof v === 'string') w.uint32(8).int64(1).uint32(16).int32(0).uint32(26).string(v);
      else w.uint32(8).int64(0).uint32(16).int32(Number(v ?? 0)).uint32(26).string('');
      return w.finish();
    case 'runtime.RawExtension':
    case 'meta.v1.FieldsV1':
      if (v === undefined) return new Uint8Array();
      w.uint32(10).bytes(Buffer.from(JSON.stringify(v)));
      return w.finish();
    default:
      return undefined;
  }
}

function encodeValue(f: FieldSpec, v: unknown): Uint8Array {
  const special = encodeSpecial(f.type, v);
  if (special) return special;
  return encodeMessage(f.type, (v ?? {}) as Record<string, unknown>);
}

export function encodeMessage(type: string, obj: Record<string, unknown>): Uint8Array {
  const spec = messages().get(type);
  if (!spec) throw new Error(`encoder: no message ${type}`);
  const w = Writer.create();
  for (const f of spec.ordered) {
    const v = f.inline ? obj : obj[f.name];
    if (f.map) {
      for (const [k, val] of Object.entries((v ?? {}) as Record<string, unknown>)) {
        const e = Writer.create();
        e.uint32(10).string(k);
        if (f.message) e.uint32(18).bytes(encodeValue(f, val));
        else { e.uint32((2 << 3) | wireOf(f.type)); writeScalar(e, f.type, val); }
        w.uint32((f.number << 3) | 2).bytes(e.finish());
      }
      continue;
    }
    if (f.repeated) {
      for (const item of (v ?? []) as unknown[]) {
        if (f.message) w.uint32((f.number << 3) | 2).bytes(encodeValue(f, item));
        else { w.uint32((f.number << 3) | wireOf(f.type)); writeScalar(w, f.type, item); }
      }
      continue;
    }
    if (f.pointer && v === undefined) continue;
    if (f.message) {
      w.uint32((f.number << 3) | 2).bytes(encodeValue(f, v));
    } else {
      w.uint32((f.number << 3) | wireOf(f.type));
      writeScalar(w, f.type, v);
    }
  }
  return w.finish();
}

/** The whole body kubectl would send for `obj` (which must carry apiVersion and kind). */
export function encodeKubernetesProtobuf(obj: { apiVersion: string; kind: string; [k: string]: unknown }): Buffer {
  const msg = messageNameFor(obj.apiVersion, obj.kind);
  if (!msg) throw new Error(`encoder: unknown kind ${obj.apiVersion} ${obj.kind}`);
  const tm = Writer.create().uint32(10).string(obj.apiVersion).uint32(18).string(obj.kind).finish();
  const raw = encodeMessage(msg, obj);
  const u = Writer.create().uint32(10).bytes(tm).uint32(18).bytes(raw).uint32(26).string('').uint32(34).string('').finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(u)]);
}
