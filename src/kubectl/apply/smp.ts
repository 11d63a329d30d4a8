/**
 * Strategic merge patches, computed on the client as kubectl apply and kubectl edit do:
 *
 * - `threeWayPatch(original, modified, current)` — apply's patch: what changed between the live
 *   object and the new configuration (additions and changes only), plus what the last applied
 *   configuration had that the new one dropped (deletions only), merged into one patch.
 * - `twoWayPatch(original, modified)` — edit's patch: every difference.
 * - `applyPatch(doc, patch)` — apply a strategic merge patch locally (client dry runs).
 *
 * Lists whose schema says `x-kubernetes-patch-strategy: merge` are diffed element by element (by
 * `x-kubernetes-patch-merge-key` for lists of objects, by value for lists of scalars), with
 * `$patch: delete` / `$deleteFromPrimitiveList/…` for removed elements and `$setElementOrder/…`
 * to keep the configuration's order; `retainKeys` adds `$retainKeys`. Every other list is
 * replaced as a whole.
 */
import { NO_SCHEMA, type SchemaNode } from './openapi.js';

type Json = any;
type JMap = Record<string, Json>;

export const DIRECTIVE = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ORDER_PREFIX = '$setElementOrder';
export const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList';

interface DiffOptions {
  ignoreDeletions?: boolean;
  ignoreChangesAndAdditions?: boolean;
  setElementOrder?: boolean;
  buildRetainKeys?: boolean;
}

export class PatchError extends Error {}

const isMap = (v: Json): v is JMap => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Go's reflect.TypeOf over decoded JSON */
function kindOf(v: Json): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  return typeof v;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (kindOf(a) !== kindOf(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** fmt.Sprintf("%v", v) for JSON scalars */
function str(v: Json): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
    return String(v).replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(v);
}

const byteLess = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
const byteCmp = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function strategyOf(strategies: string[]): { retainKeys: boolean; strategy: string } {
  const rest = strategies.filter((s) => s !== 'retainKeys');
  return { retainKeys: rest.length !== strategies.length, strategy: rest[0] ?? '' };
}

// ---------------------------------------------------------------- diff

function diffMaps(original: JMap, modified: JMap, schema: SchemaNode, o: DiffOptions): JMap {
  const patch: JMap = {};
  const retain: string[] = [];
  for (const [key, mv] of Object.entries(modified)) {
    if (o.buildRetainKeys && mv !== null && mv !== undefined) retain.push(key);
    if (!Object.prototype.hasOwnProperty.call(original, key)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mv;
      continue;
    }
    const ov = original[key];
    if (key === DIRECTIVE) {
      if (typeof ov === 'string' && typeof mv === 'string') {
        if (ov !== mv) patch[key] = mv;
        continue;
      }
      throw new PatchError(`invalid value for special key: ${DIRECTIVE}`);
    }
    if (kindOf(ov) !== kindOf(mv)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mv;
      continue;
    }
    if (isMap(ov)) diffMapField(key, ov, mv, patch, schema, o);
    else if (Array.isArray(ov)) diffSliceField(key, ov, mv, patch, schema, o);
    else if (!o.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[key] = mv;
  }
  if (!o.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!Object.prototype.hasOwnProperty.call(modified, key)) patch[key] = null;
  }
  if (retain.length && (Object.keys(patch).length > 0 || hasRemovedField(original, modified))) {
    patch[RETAIN_KEYS] = [...retain].sort(byteCmp);
  }
  return patch;
}

function hasRemovedField(original: JMap, modified: JMap): boolean {
  for (const [k, v] of Object.entries(original)) {
    if (v === null || v === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(modified, k)) return true;
  }
  return false;
}

function diffMapField(key: string, ov: JMap, mv: JMap, patch: JMap, schema: SchemaNode, o: DiffOptions): void {
  const { node, meta } = schema.field(key);
  const { retainKeys, strategy } = strategyOf(meta.strategies);
  const opts = { ...o, buildRetainKeys: retainKeys };
  if (strategy === 'replace') {
    if (!o.ignoreChangesAndAdditions) patch[key] = mv;
    return;
  }
  const p = diffMaps(ov, mv, node ?? NO_SCHEMA, opts);
  if (Object.keys(p).length) patch[key] = p;
}

function diffSliceField(key: string, ov: Json[], mv: Json[], patch: JMap, schema: SchemaNode, o: DiffOptions): void {
  const { node, meta } = schema.list(key);
  const { retainKeys, strategy } = strategyOf(meta.strategies);
  if (strategy !== 'merge') {
    if (!o.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[key] = mv;
    return;
  }
  const { add, del, order } = diffLists(ov, mv, node ?? NO_SCHEMA, meta.mergeKey ?? '', { ...o, buildRetainKeys: retainKeys });
  if (add.length) patch[key] = add;
  if (del.length) patch[`${DELETE_PRIMITIVE_PREFIX}/${key}`] = del;
  if (order.length) patch[`${SET_ORDER_PREFIX}/${key}`] = order;
}

function elementKind(a: Json[], b: Json[]): string {
  let k: string | undefined;
  for (const x of [...a, ...b]) {
    const t = kindOf(x);
    if (k === undefined) k = t;
    else if (k !== t) throw new PatchError('list elements are not of the same type');
  }
  if (k === 'nil') throw new PatchError('list contains nil elements');
  return k ?? 'nil';
}

function diffLists(original: Json[], modified: Json[], schema: SchemaNode, mergeKey: string, o: DiffOptions): { add: Json[]; del: Json[]; order: Json[] } {
  if (original.length === 0) {
    if (modified.length === 0 || o.ignoreChangesAndAdditions) return { add: [], del: [], order: [] };
    return { add: modified, del: [], order: [] };
  }
  const kind = elementKind(original, modified);
  if (kind === 'object') {
    let { patch, deletions } = diffListsOfMaps(original, modified, schema, mergeKey, o);
    patch = normalizeOrder(patch, modified, mergeKey, true);
    const orderSame = isOrderSame(original, modified, mergeKey);
    patch = [...patch, ...deletions];
    let order: Json[] = [];
    if (o.setElementOrder && ((!o.ignoreChangesAndAdditions && (patch.length > 0 || !orderSame)) || (!o.ignoreDeletions && patch.length > 0))) {
      order = modified.map((m) => ({ [mergeKey]: m[mergeKey] }));
    }
    return { add: patch, del: [], order };
  }
  if (kind === 'slice') throw new PatchError('lists of lists are not supported');
  let { add, del } = diffListsOfScalars(original, modified, o);
  add = normalizeOrder(add, modified, mergeKey, false);
  let order: Json[] = [];
  if (o.setElementOrder && ((!o.ignoreDeletions && del.length > 0) || (!o.ignoreChangesAndAdditions && !deepEqual(original, modified)))) {
    order = modified;
  }
  return { add, del, order };
}

function mergeKeyValue(m: Json, mergeKey: string): Json {
  if (!isMap(m)) throw new PatchError(`cannot merge a list of non-maps by key ${mergeKey}`);
  if (!Object.prototype.hasOwnProperty.call(m, mergeKey)) throw new PatchError(`map: ${goMap(m)} does not contain declared merge key: ${mergeKey}`);
  return m[mergeKey];
}

function goMap(m: JMap): string {
  const keys = Object.keys(m).sort(byteCmp);
  return `map[${keys.map((k) => `${k}:${isMap(m[k]) ? goMap(m[k]) : Array.isArray(m[k]) ? `[${m[k].map(str).join(' ')}]` : str(m[k])}`).join(' ')}]`;
}

function sortByMergeKey(list: Json[], mergeKey: string): Json[] {
  return [...list].sort((a, b) => byteCmp(str(mergeKeyValue(a, mergeKey)), str(mergeKeyValue(b, mergeKey))));
}

function diffListsOfMaps(original: Json[], modified: Json[], schema: SchemaNode, mergeKey: string, o: DiffOptions): { patch: Json[]; deletions: Json[] } {
  const patch: Json[] = [];
  const deletions: Json[] = [];
  const os = sortByMergeKey(original, mergeKey);
  const ms = sortByMergeKey(modified, mergeKey);
  let i = 0;
  let j = 0;
  while (i < os.length || j < ms.length) {
    const oIn = i < os.length;
    const mIn = j < ms.length;
    const ok = oIn ? str(mergeKeyValue(os[i], mergeKey)) : '';
    const mk = mIn ? str(mergeKeyValue(ms[j], mergeKey)) : '';
    if (oIn && mIn && ok === mk) {
      const p = diffMaps(os[i], ms[j], schema, o);
      if (Object.keys(p).length) {
        p[mergeKey] = ms[j][mergeKey];
        patch.push(p);
      }
      i++;
      j++;
    } else if (!oIn || (mIn && byteLess(mk, ok))) {
      if (!o.ignoreChangesAndAdditions) patch.push(ms[j]);
      j++;
    } else {
      if (!o.ignoreDeletions) deletions.push({ [DIRECTIVE]: 'delete', [mergeKey]: os[i][mergeKey] });
      i++;
    }
  }
  return { patch, deletions };
}

function uniqSorted(list: Json[]): Json[] {
  const seen = new Set<string>();
  const out: Json[] = [];
  for (const x of list) {
    const k = str(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x);
  }
  return out.sort((a, b) => byteCmp(str(a), str(b)));
}

function diffListsOfScalars(original: Json[], modified: Json[], o: DiffOptions): { add: Json[]; del: Json[] } {
  const os = uniqSorted(original);
  const ms = uniqSorted(modified);
  const add: Json[] = [];
  const del: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < os.length || j < ms.length) {
    const oIn = i < os.length;
    const mIn = j < ms.length;
    const ok = oIn ? str(os[i]) : '';
    const mk = mIn ? str(ms[j]) : '';
    if (oIn && mIn && ok === mk) {
      i++;
      j++;
    } else if (!oIn || (mIn && byteLess(mk, ok))) {
      if (!o.ignoreChangesAndAdditions) add.push(ms[j]);
      j++;
    } else {
      if (!o.ignoreDeletions) del.push(os[i]);
      i++;
    }
  }
  return { add, del };
}

function indexIn(order: Json[], item: Json, mergeKey: string, maps: boolean): number {
  if (maps) {
    const v = str(item?.[mergeKey]);
    return order.findIndex((x) => isMap(x) && str(x[mergeKey]) === v);
  }
  return order.findIndex((x) => str(x) === str(item));
}

/** order patch items as they appear in `order`; delete directives last */
function normalizeOrder(items: Json[], order: Json[], mergeKey: string, maps: boolean): Json[] {
  let toSort = items;
  let toDelete: Json[] = [];
  if (maps) {
    toSort = items.filter((x) => !(isMap(x) && x[DIRECTIVE] === 'delete'));
    toDelete = items.filter((x) => isMap(x) && x[DIRECTIVE] === 'delete');
  }
  // Go's sort.SliceStable with the kubectl comparator (items missing from `order` count as "less")
  const idx = toSort.map((x) => indexIn(order, x, mergeKey, maps));
  const perm = toSort.map((_, i) => i);
  insertionSortStable(perm, (a, b) => (idx[a]! >= 0 && idx[b]! >= 0 ? idx[a]! < idx[b]! : true));
  return [...perm.map((i) => toSort[i]), ...toDelete];
}

function insertionSortStable(a: number[], less: (x: number, y: number) => boolean): void {
  for (let i = 1; i < a.length; i++) {
    for (let j = i; j > 0 && less(a[j]!, a[j - 1]!); j--) {
      const t = a[j]!;
      a[j] = a[j - 1]!;
      a[j - 1] = t;
    }
  }
}

function isOrderSame(original: Json[], modified: Json[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  return original.every((x, i) => str(mergeKeyValue(x, mergeKey)) === str(mergeKeyValue(modified[i], mergeKey)));
}

// ---------------------------------------------------------------- merging two patches

/** merge `patch` into `base` where both are patches (apply's deletions + changes) */
function mergePatches(base: JMap, patch: JMap, schema: SchemaNode): JMap {
  const out: JMap = { ...base };
  for (const [k, pv] of Object.entries(patch)) {
    if (pv === null || pv === undefined) {
      // a null among the changes (the configuration sets a field to null) is not sent
      delete out[k];
      continue;
    }
    if (k.startsWith(SET_ORDER_PREFIX + '/') || k.startsWith(DELETE_PRIMITIVE_PREFIX + '/') || k === RETAIN_KEYS || k === DIRECTIVE) {
      out[k] = pv;
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(out, k) || kindOf(out[k]) !== kindOf(pv)) {
      out[k] = dropNulls(pv);
      continue;
    }
    const ov = out[k];
    if (isMap(ov)) {
      const { node, meta } = schema.field(k);
      if (strategyOf(meta.strategies).strategy === 'replace') out[k] = pv;
      else out[k] = mergePatches(ov, pv, node ?? NO_SCHEMA);
    } else if (Array.isArray(ov)) {
      const { node, meta } = schema.list(k);
      if (strategyOf(meta.strategies).strategy !== 'merge') out[k] = pv;
      else out[k] = mergePatchLists(ov, pv, meta.mergeKey ?? '', node ?? NO_SCHEMA);
    } else out[k] = pv;
  }
  return out;
}

function dropNulls(v: Json): Json {
  if (isMap(v)) {
    const o: JMap = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) o[k] = dropNulls(x);
    return o;
  }
  return v;
}

function mergePatchLists(base: Json[], patch: Json[], mergeKey: string, schema: SchemaNode): Json[] {
  if (!base.length) return patch;
  if (!patch.length) return base;
  if (!isMap(base[0]) && !isMap(patch[0])) {
    const out = [...base];
    for (const x of patch) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  }
  const merged = [...base];
  const additions: Json[] = [];
  for (const p of patch) {
    const i = merged.findIndex((b) => isMap(b) && str(b[mergeKey]) === str(p[mergeKey]));
    if (i >= 0) merged[i] = mergePatches(merged[i], p, schema);
    else additions.push(p);
  }
  // the changes first, then what only the deletions had (kubectl's order)
  const fromPatch = patch.map((p) => merged.find((b) => isMap(b) && str(b[mergeKey]) === str(p[mergeKey])) ?? p);
  const rest = merged.filter((b) => !patch.some((p) => str(b[mergeKey]) === str(p[mergeKey])));
  return [...fromPatch, ...rest];
}

// ---------------------------------------------------------------- public API

/**
 * kubectl apply's patch from the last applied configuration (`original`, may be empty), the new
 * configuration (`modified`) and the live object (`current`).
 */
export function threeWayPatch(original: JMap | undefined, modified: JMap, current: JMap, schema: SchemaNode = NO_SCHEMA): JMap {
  const delta = diffMaps(current, modified, schema, { ignoreDeletions: true, setElementOrder: true });
  const deletions = diffMaps(original ?? {}, modified, schema, { ignoreChangesAndAdditions: true, setElementOrder: true });
  return mergePatches(deletions, delta, schema);
}

/** kubectl edit's patch: every difference between `original` and `modified` */
export function twoWayPatch(original: JMap, modified: JMap, schema: SchemaNode = NO_SCHEMA): JMap {
  return diffMaps(original, modified, schema, { setElementOrder: true });
}

// ---------------------------------------------------------------- applying a patch locally

/** apply a strategic merge patch to a document (the server's semantics, for client dry runs) */
export function applyPatch(doc: JMap, patch: JMap, schema: SchemaNode = NO_SCHEMA): JMap {
  return mergeMap(structuredClone(doc), patch, schema);
}

function mergeMap(original: JMap, patch: JMap, schema: SchemaNode): JMap {
  const directive = patch[DIRECTIVE];
  if (directive !== undefined) {
    if (directive === 'replace') {
      const { [DIRECTIVE]: _d, ...rest } = patch;
      return dropNulls(rest);
    }
    if (directive === 'delete') return {};
    if (directive !== 'merge') throw new PatchError(`Unknown patch type: ${directive} in map: ${goMap(patch)}`);
  }
  let out: JMap = { ...original };
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) {
    const keep = new Set(retain.map(String));
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  for (const [k, pv] of Object.entries(patch)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER_PREFIX + '/')) continue;
    if (k.startsWith(DELETE_PRIMITIVE_PREFIX + '/')) {
      const key = k.slice(DELETE_PRIMITIVE_PREFIX.length + 1);
      if (Array.isArray(out[key]) && Array.isArray(pv)) out[key] = out[key].filter((x: Json) => !pv.some((d) => deepEqual(d, x)));
      continue;
    }
    if (pv === null || pv === undefined) {
      delete out[k];
      continue;
    }
    const ov = out[k];
    if (ov === undefined || kindOf(ov) !== kindOf(pv)) {
      out[k] = isMap(pv) ? mergeMap({}, pv, schema.field(k).node ?? NO_SCHEMA) : Array.isArray(pv) ? mergeList([], pv, k, schema, patch) : pv;
      continue;
    }
    if (isMap(pv)) {
      const { node, meta } = schema.field(k);
      out[k] = strategyOf(meta.strategies).strategy === 'replace' ? dropNulls(pv) : mergeMap(ov, pv, node ?? NO_SCHEMA);
    } else if (Array.isArray(pv)) out[k] = mergeList(ov, pv, k, schema, patch);
    else out[k] = pv;
  }
  // keys ordered like the original, new keys after
  out = reorderKeys(out, original);
  return out;
}

function reorderKeys(m: JMap, like: JMap): JMap {
  const out: JMap = {};
  for (const k of Object.keys(like)) if (Object.prototype.hasOwnProperty.call(m, k)) out[k] = m[k];
  for (const k of Object.keys(m)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = m[k];
  return out;
}

function mergeList(original: Json[], patchList: Json[], key: string, schema: SchemaNode, parentPatch: JMap): Json[] {
  const { node, meta } = schema.list(key);
  const order: Json[] | undefined = parentPatch[`${SET_ORDER_PREFIX}/${key}`];
  if (strategyOf(meta.strategies).strategy !== 'merge') return patchList.map((x) => (isMap(x) ? dropNulls(x) : x));
  const mergeKey = meta.mergeKey ?? '';
  const sub = node ?? NO_SCHEMA;
  const maps = [...original, ...patchList].some(isMap);
  let merged: Json[];
  if (!maps) {
    merged = [...original];
    for (const x of patchList) if (!merged.some((y) => deepEqual(x, y))) merged.push(x);
  } else {
    if (patchList.some((p) => isMap(p) && p[DIRECTIVE] === 'replace')) {
      return patchList.filter((p) => !(isMap(p) && p[DIRECTIVE] === 'replace'));
    }
    merged = [...original];
    for (const p of patchList) {
      if (!isMap(p)) continue;
      const i = merged.findIndex((b) => isMap(b) && str(b[mergeKey]) === str(p[mergeKey]));
      if (p[DIRECTIVE] === 'delete') {
        if (i >= 0) merged.splice(i, 1);
        continue;
      }
      if (i >= 0) merged[i] = mergeMap(merged[i], p, sub);
      else merged.push(mergeMap({}, p, sub));
    }
  }
  if (Array.isArray(order)) {
    const keyOf = (x: Json) => (maps ? str(x?.[mergeKey]) : str(x));
    const pos = new Map(order.map((x, i) => [keyOf(x), i] as const));
    const inOrder = merged.filter((x) => pos.has(keyOf(x))).sort((a, b) => pos.get(keyOf(a))! - pos.get(keyOf(b))!);
    const others = merged.filter((x) => !pos.has(keyOf(x)));
    merged = [...inOrder, ...others];
  }
  return merged;
}

/** JSON merge patch (RFC 7386) between two documents (edit/apply of custom resources) */
export function mergePatch(original: Json, modified: Json): Json {
  if (!isMap(original) || !isMap(modified)) return modified;
  const out: JMap = {};
  for (const [k, mv] of Object.entries(modified)) {
    if (!Object.prototype.hasOwnProperty.call(original, k)) out[k] = mv;
    else if (isMap(original[k]) && isMap(mv)) {
      const p = mergePatch(original[k], mv);
      if (Object.keys(p).length) out[k] = p;
    } else if (!deepEqual(original[k], mv)) out[k] = mv;
  }
  for (const k of Object.keys(original)) if (!Object.prototype.hasOwnProperty.call(modified, k)) out[k] = null;
  return out;
}

/** kubectl's three-way JSON merge patch (custom resources) */
export function threeWayMergePatch(original: JMap | undefined, modified: JMap, current: JMap): JMap {
  const deletions = onlyDeletions(mergePatch(original ?? {}, modified));
  const delta = onlyChanges(mergePatch(current, modified));
  return mergeJson(deletions, delta);
}

function onlyDeletions(p: JMap): JMap {
  const out: JMap = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === null) out[k] = null;
    else if (isMap(v)) {
      const d = onlyDeletions(v);
      if (Object.keys(d).length) out[k] = d;
    }
  }
  return out;
}

function onlyChanges(p: JMap): JMap {
  const out: JMap = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === null) continue;
    if (isMap(v)) {
      const d = onlyChanges(v);
      if (Object.keys(d).length) out[k] = d;
    } else out[k] = v;
  }
  return out;
}

function mergeJson(a: JMap, b: JMap): JMap {
  const out: JMap = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isMap(out[k]) && isMap(v) ? mergeJson(out[k], v) : v;
  return out;
}

/** apply a JSON merge patch (RFC 7386) */
export function applyMergePatch(doc: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const out: JMap = isMap(doc) ? { ...doc } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}
