/**
 * PATCH bodies: JSON patch (RFC 6902), JSON merge patch (RFC 7386), strategic merge patch, plus
 * server-side apply / managedFields tracking (see managed.ts). Pure functions, no I/O.
 */
import fastJsonPatch from 'fast-json-patch';
import { StatusError, errors } from '../errors.js';
import type { KObject, PatchSchemaNode } from '../types.js';
import { GoJsonError, deepClone, goJsonKind, isObject, parseGoJson, setKey, type Json, type JsonObject } from './gojson.js';
import { genericInvalid, plainServerError, strategicMerge } from './strategic.js';

export { serverSideApply, trackUpdate, type ApplyOptions, type UpdateOptions } from './managed.js';
export { strategicMerge } from './strategic.js';
export { parseGoJson } from './gojson.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** kube-apiserver's limit on JSON patch operations (maxJSONPatchOperations). */
const MAX_JSON_PATCH_OPS = 10000;

function bodyText(patch: Buffer | string): string {
  return typeof patch === 'string' ? patch : patch.toString('utf8');
}

/**
 * Applies a PATCH body of media type `contentType` (parameters such as `; charset=utf-8` are
 * ignored) to `original` and returns the new object; `original` is never mutated.
 * Failures are StatusErrors worded as kube-apiserver words them.
 */
export function applyPatch(contentType: string, original: KObject, patch: Buffer | string, schema: PatchSchemaNode | undefined): KObject {
  const ct = contentType.split(';')[0].trim().toLowerCase();
  const text = bodyText(patch);
  switch (ct) {
    case JSON_PATCH:
      return asObject(jsonPatch(original, text));
    case MERGE_PATCH:
      return asObject(mergePatchText(original, text));
    case STRATEGIC_MERGE_PATCH:
      return asObject(strategicPatchText(original, text, schema));
    default:
      throw new StatusError({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 415, reason: 'UnsupportedMediaType',
        message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json',
      });
  }
}

/** The patched document must still decode into an object (else kube's decode fails with 422). */
function asObject(v: Json): KObject {
  if (!isObject(v)) throw genericInvalid();
  if (v.metadata === undefined || v.metadata === null) setKey(v, 'metadata', {});
  if (!isObject(v.metadata)) throw genericInvalid();
  return v as unknown as KObject;
}

function jsonPatch(original: KObject, text: string): Json {
  let ops: Json;
  try {
    ops = parseGoJson(text);
  } catch (e) {
    throw errors.badRequest((e as Error).message);
  }
  if (ops === null) return deepClone(original as unknown as Json);
  if (!Array.isArray(ops)) throw errors.badRequest(`json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`);
  for (const op of ops) {
    if (op !== null && !isObject(op)) {
      throw errors.badRequest(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (ops.length > MAX_JSON_PATCH_OPS) {
    throw errors.tooLarge(`Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPS}, got ${ops.length}`);
  }
  const doc = deepClone(original as unknown as Json);
  try {
    // validate=true makes failed `test`s and unresolvable paths throw; banPrototypeModifications on
    const res = fastJsonPatch.applyPatch(doc, ops as any, true, true, true);
    return res.newDocument as Json;
  } catch {
    // kube: NewGenericServerResponse(422, …) — the evanphx message is not passed on
    throw genericInvalid();
  }
}

/** RFC 7386 on decoded values; returns a new value. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return deepClone(patch);
  const out: JsonObject = isObject(target) ? deepClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setKey(out, k, mergePatch(Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined, v));
  }
  return out;
}

function mergePatchText(original: KObject, text: string): Json {
  let p: Json;
  try {
    p = parseGoJson(text);
  } catch {
    throw errors.badRequest('Invalid JSON Patch'); // jsonpatch.ErrBadJSONPatch
  }
  if (!isObject(p) && p !== null) throw errors.badRequest('Invalid JSON Patch');
  if (p === null) return deepClone(original as unknown as Json);
  return mergePatch(original as unknown as Json, p);
}

function strategicPatchText(original: KObject, text: string, schema: PatchSchemaNode | undefined): Json {
  let p: Json;
  try {
    p = parseGoJson(text);
  } catch (e) {
    throw errors.badRequest((e instanceof GoJsonError ? e : new GoJsonError('invalid JSON document')).message);
  }
  if (p === null) return deepClone(original as unknown as Json);
  if (!isObject(p)) throw errors.badRequest(`json: cannot unmarshal ${goJsonKind(p)} into Go value of type map[string]interface {}`);
  try {
    return strategicMerge(original as unknown as JsonObject, p, schema);
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw plainServerError(String((e as Error)?.message ?? e));
  }
}
