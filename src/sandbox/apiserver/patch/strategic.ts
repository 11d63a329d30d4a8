/**
 * Strategic merge patch (application/strategic-merge-patch+json), written from the documented
 * behaviour (community/contributors/devel/sig-api-machinery/strategic-merge-patch.md):
 *  - maps merge recursively, `null` deletes a key;
 *  - lists whose field has patchStrategy `merge` merge by `mergeKey` (lists of maps) or as sets
 *    (primitive lists); other lists are replaced;
 *  - directives: `$patch: replace|delete|merge` in maps and list items, `$retainKeys`,
 *    `$setElementOrder/<field>`, `$deleteFromPrimitiveList/<field>`;
 *  - fields the schema does not know behave like a JSON merge patch.
 */
import { StatusError, errors } from '../errors.js';
import type { PatchFieldInfo, PatchSchemaNode } from '../types.js';
import { deepClone, deepEqual, goFormat, isObject, setKey, type Json, type JsonObject } from './gojson.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/** Errors kube-apiserver maps to 422 without details (NewGenericServerResponse). */
export function genericInvalid(): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422,
  });
}

/** A plain Go error surfacing from the handler: 500 with reason Unknown (ErrorToAPIStatus). */
export function plainServerError(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

const errBadPatchFormatForPrimitiveList = () => errors.badRequest('invalid patch format of primitive list');
const errBadPatchFormatForRetainKeys = () => errors.badRequest('invalid patch format of retainKeys');
const errBadPatchFormatForSetElementOrder = () => errors.badRequest('invalid patch format of setElementOrder list');
const errNoListOfLists = () => genericInvalid();
const errPatchContentNotMatchRetainKeys = () => genericInvalid();

function strategyHas(info: PatchFieldInfo | undefined, s: string): boolean {
  return !!info?.patchStrategy && info.patchStrategy.split(',').map((x) => x.trim()).includes(s);
}

/**
 * Applies strategic merge patch `patch` to `original`; returns a new object (original untouched).
 * `schema` describes the root object; undefined means "unknown" (JSON-merge-patch behaviour).
 */
export function strategicMerge(original: JsonObject, patch: JsonObject, schema: PatchSchemaNode | undefined): JsonObject {
  return mergeMap(deepClone(original), patch, schema, 'merge');
}

/**
 * Merges `patch` into `original` (which this function owns and may mutate).
 * `defaultStrategy` is the patchStrategy of the field holding this map ('replace' → whole map replaced).
 */
function mergeMap(original: JsonObject, patch: JsonObject, node: PatchSchemaNode | undefined, fieldStrategy: 'merge' | 'replace'): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive !== undefined) {
    if (directive === 'replace') return cleanNew(withoutKey(patch, DIRECTIVE), node) as JsonObject;
    if (directive === 'delete') return {};
    if (directive !== 'merge') {
      throw plainServerError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
    }
  }
  if (fieldStrategy === 'replace') return cleanNew(patch, node) as JsonObject;

  // $retainKeys: drop original keys that are not listed
  if (RETAIN_KEYS in patch) {
    const keep = patch[RETAIN_KEYS];
    if (!Array.isArray(keep) || !keep.every((k) => typeof k === 'string')) throw errBadPatchFormatForRetainKeys();
    for (const k of Object.keys(patch)) {
      if (k.startsWith('$')) continue;
      if (!keep.includes(k)) throw errPatchContentNotMatchRetainKeys();
    }
    for (const k of Object.keys(original)) if (!keep.includes(k)) delete original[k];
  }

  // $deleteFromPrimitiveList/<field>
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(DELETE_PRIMITIVE)) continue;
    const field = k.slice(DELETE_PRIMITIVE.length);
    if (!Array.isArray(v)) throw errBadPatchFormatForPrimitiveList();
    const cur = original[field];
    if (Array.isArray(cur)) {
      if (cur.some((x) => isObject(x) || Array.isArray(x))) throw errBadPatchFormatForPrimitiveList();
      original[field] = cur.filter((x) => !v.some((d) => deepEqual(d, x)));
    }
  }

  const before = new Map<string, Set<Json>>();
  for (const [k, v] of Object.entries(original)) if (Array.isArray(v)) before.set(k, new Set(v));
  for (const [k, pv] of Object.entries(patch)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(DELETE_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (k.startsWith('$')) continue; // unknown directive: ignore rather than store it
    const info = node?.field(k);
    if (pv === null) {
      delete original[k];
      continue;
    }
    const ov = Object.prototype.hasOwnProperty.call(original, k) ? original[k] : undefined;
    if (ov === undefined || ov === null) {
      const fresh = cleanNew(pv, info?.node, info);
      if (fresh !== undefined) setKey(original, k, fresh);
      continue;
    }
    if (isObject(pv) && isObject(ov)) {
      const strategy = strategyHas(info, 'replace') ? 'replace' : 'merge';
      setKey(original, k, mergeMap(ov, pv, info?.node, strategy));
      continue;
    }
    if (Array.isArray(pv) && Array.isArray(ov)) {
      setKey(original, k, mergeList(ov, pv, info));
      continue;
    }
    // differing types or scalars: the patch value wins
    const fresh = cleanNew(pv, info?.node, info);
    if (fresh !== undefined) setKey(original, k, fresh);
  }

  // $setElementOrder/<field>
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const field = k.slice(SET_ORDER.length);
    if (!Array.isArray(order)) throw errBadPatchFormatForSetElementOrder();
    const cur = original[field];
    if (!Array.isArray(cur)) continue;
    const info = node?.field(field);
    original[field] = reorder(cur, order, info, before.get(field) ?? new Set(cur));
  }
  return original;
}

function withoutKey(o: JsonObject, key: string): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (k !== key) setKey(out, k, v);
  return out;
}

/** A patch value with no original counterpart: process its directives against "nothing". */
function cleanNew(v: Json, node: PatchSchemaNode | undefined, info?: PatchFieldInfo): Json | undefined {
  if (isObject(v)) {
    if (v[DIRECTIVE] === 'delete') return undefined;
    const out = mergeMap({}, v, node, 'merge');
    return out;
  }
  if (Array.isArray(v)) {
    if (info && strategyHas(info, 'merge')) return mergeList([], v, info);
    if (v.some((x) => Array.isArray(x)) && info && strategyHas(info, 'merge')) throw errNoListOfLists();
    return v.map((x) => (isObject(x) ? mergeMap({}, x, info?.node, 'merge') : deepClone(x)));
  }
  return v;
}

function mergeList(original: Json[], patch: Json[], info: PatchFieldInfo | undefined): Json[] {
  if (!strategyHas(info, 'merge')) {
    // replace (also: unknown schema → JSON merge patch semantics)
    const replaceDirective = patch.find((x) => isObject(x) && x[DIRECTIVE] === 'replace');
    const items = replaceDirective ? patch.filter((x) => x !== replaceDirective) : patch;
    return items.filter((x) => !(isObject(x) && x[DIRECTIVE] === 'delete'))
      .map((x) => (isObject(x) ? mergeMap({}, x, info?.node, 'merge') : deepClone(x)));
  }
  if (patch.some((x) => Array.isArray(x)) || original.some((x) => Array.isArray(x))) throw errNoListOfLists();

  // `$patch: replace` as a list item replaces the whole list with the other items
  const replace = patch.find((x) => isObject(x) && x[DIRECTIVE] === 'replace');
  if (replace !== undefined) {
    return patch.filter((x) => x !== replace).map((x) => (isObject(x) ? mergeMap({}, x, info?.node, 'merge') : deepClone(x)));
  }

  const isPrimitive = (patch.length ? patch : original).every((x) => !isObject(x));
  if (isPrimitive) {
    const out = [...original];
    for (const x of patch) {
      if (isObject(x)) continue;
      if (!out.some((y) => deepEqual(x, y))) out.push(deepClone(x));
    }
    return out;
  }

  const mergeKey = info?.mergeKey;
  if (!mergeKey) {
    // merge strategy without a key: kube cannot merge either; behave like replace
    return patch.map((x) => (isObject(x) ? mergeMap({}, x, info?.node, 'merge') : deepClone(x)));
  }
  const out: Json[] = [...original];
  for (const item of patch) {
    if (!isObject(item)) throw plainServerError(`expected a map, but received a ${typeof item}`);
    const d = item[DIRECTIVE];
    if (d === 'delete') {
      if (!(mergeKey in item)) throw plainServerError(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
      for (let i = out.length - 1; i >= 0; i--) {
        const o = out[i];
        if (isObject(o) && deepEqual(o[mergeKey], item[mergeKey])) out.splice(i, 1);
      }
      continue;
    }
    if (d !== undefined && d !== 'merge') {
      throw plainServerError(`unknown patch type: ${goFormat(d)} in map: ${goFormat(item)}`);
    }
    if (!(mergeKey in item)) throw plainServerError(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
    const idx = out.findIndex((o) => isObject(o) && deepEqual(o[mergeKey], item[mergeKey]));
    if (idx >= 0) out[idx] = mergeMap(out[idx] as JsonObject, item, info?.node, 'merge');
    else out.push(mergeMap({}, item, info?.node, 'merge'));
  }
  return out;
}

/**
 * `$setElementOrder/<field>`: items named in `order` come in that order; items only the server has
 * keep their relative position among them (the documented "server-only items stay in place").
 */
function reorder(list: Json[], order: Json[], info: PatchFieldInfo | undefined, existed: Set<Json>): Json[] {
  const originalLen = (l: Json[], x: Json) => (existed.has(x) ? l.indexOf(x) : -1);
  const mergeKey = info?.mergeKey;
  const keyOf = (x: Json): Json | undefined => (isObject(x) ? (mergeKey ? x[mergeKey] : undefined) : x);
  const orderKeys = order.map((o) => (isObject(o) ? (mergeKey ? o[mergeKey] : undefined) : o));
  if (orderKeys.some((k) => k === undefined)) throw errBadPatchFormatForSetElementOrder();
  const posInOrder = (x: Json) => orderKeys.findIndex((k) => deepEqual(k, keyOf(x)));
  const inPatch = list.filter((x) => posInOrder(x) >= 0).sort((a, b) => posInOrder(a) - posInOrder(b));
  const serverOnly = list.filter((x) => posInOrder(x) < 0);
  // merge the two sequences by the position the items had in the server list; items the server did
  // not have stay right after the preceding patch item
  const eff: number[] = [];
  let last = -1;
  for (const x of inPatch) {
    const p = originalLen(list, x);
    if (p >= 0) last = p;
    eff.push(p >= 0 ? p : last);
  }
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length && j < inPatch.length) {
    if (list.indexOf(serverOnly[i]) < eff[j]) out.push(serverOnly[i++]);
    else out.push(inPatch[j++]);
  }
  while (i < serverOnly.length) out.push(serverOnly[i++]);
  while (j < inPatch.length) out.push(inPatch[j++]);
  return out;
}
