/**
 * Field ownership (metadata.managedFields) and server-side apply, following the documented
 * behaviour of kube-apiserver's field manager (sigs.k8s.io/structured-merge-diff semantics):
 *  - Update (create/update/patch): the writer takes every field it added or changed; fields it
 *    removed leave every owner; changed fields leave their previous owners (no conflicts for Update);
 *  - Apply: the applier's set becomes exactly the fields of its config; changing a field another
 *    manager owns is a conflict (409) unless forced (then ownership moves); fields the applier
 *    applied last time but no longer applies are removed when nobody else owns them.
 */
import { StatusError, errors } from '../errors.js';
import type { KObject, ManagedFieldsEntry, PatchFieldInfo, PatchSchemaNode } from '../types.js';
import { FieldSet, fieldPE, keyPE, pathString, valuePE, type PE, type Path } from './fieldset.js';
import { deepClone, deepEqual, isObject, setKey as setKeySafe, type Json, type JsonObject } from './gojson.js';

/** sets own property `k`: a plain assignment but for `__proto__` (the only accessor an object inherits) */
function setKey(obj: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') setKeySafe(obj, k, v);
  else obj[k] = v;
}

export interface ApplyOptions {
  manager: string;
  force: boolean;
  /** group/version of the request, e.g. `v1`, `apps/v1` */
  apiVersion: string;
  /** RFC 3339 time of the request */
  now: string;
  schema?: PatchSchemaNode;
  subresource?: string;
}

export interface UpdateOptions {
  manager: string;
  operation: 'Update';
  apiVersion: string;
  now: string;
  subresource?: string;
  schema?: PatchSchemaNode;
}

// ---------------------------------------------------------------------------------------------
// types of value positions

type Kind = 'struct' | 'map' | 'list' | 'scalar';
interface VType {
  kind: Kind;
  /** atomic: owned and replaced as a whole */
  atomic: boolean;
  /** struct fields (kind struct), or the element struct (map values / list items) */
  node?: PatchSchemaNode;
  /** list: how items are identified */
  listType?: 'map' | 'set';
  keys?: string[];
  /** map/list element info when elements are known to be structs */
  elemNode?: PatchSchemaNode;
  /** field name (for the no-schema guesses) */
  name?: string;
}

/** map-valued fields when no schema is known */
const KNOWN_MAPS = new Set(['labels', 'annotations', 'nodeSelector', 'data', 'stringData', 'binaryData', 'matchLabels',
  'limits', 'requests', 'capacity', 'allocatable', 'hard', 'used', 'parameters']);

/** struct-typed lists Go always serializes (no omitempty), so they "exist" in an empty object */
const NON_OMITEMPTY_LISTS = new Set(['containers', 'rules']);

function hasStrategy(info: PatchFieldInfo, s: string): boolean {
  return !!info.patchStrategy && info.patchStrategy.split(',').map((x) => x.trim()).includes(s);
}

/** the VType of a schema field (object, map and list shapes depend on the field alone), per field name */
const infoTypes = new WeakMap<PatchFieldInfo, Map<string, VType>>();

function typeFromInfo(info: PatchFieldInfo, name: string, value: unknown): VType {
  if (info.shape !== 'object' && info.shape !== 'map' && info.shape !== 'list') return guessType(name, value, true);
  let byName = infoTypes.get(info);
  if (!byName) infoTypes.set(info, (byName = new Map()));
  let t = byName.get(name);
  if (!t) byName.set(name, (t = typeOfInfo(info, name, value)));
  return t;
}

function typeOfInfo(info: PatchFieldInfo, name: string, value: unknown): VType {
  switch (info.shape) {
    case 'object':
      return { kind: 'struct', atomic: info.mapType === 'atomic', node: info.node, name };
    case 'map':
      return { kind: 'map', atomic: info.mapType === 'atomic', elemNode: info.node, name };
    case 'list': {
      let listType = info.listType as 'atomic' | 'set' | 'map' | undefined;
      let keys = info.listMapKeys;
      if (!listType) {
        if (hasStrategy(info, 'merge')) listType = info.mergeKey ? 'map' : 'set';
        else listType = 'atomic';
      }
      if (listType === 'map' && !keys?.length) keys = info.mergeKey ? [info.mergeKey] : undefined;
      if (listType === 'map' && !keys?.length) listType = 'atomic';
      return listType === 'atomic'
        ? { kind: 'list', atomic: true, name }
        : { kind: 'list', atomic: false, listType, keys, elemNode: info.node, name };
    }
    default:
      return guessType(name, value, true);
  }
}

function guessType(name: string | undefined, value: unknown, scalarOnly = false): VType {
  if (!scalarOnly) {
    if (Array.isArray(value)) return { kind: 'list', atomic: true, name };
    if (isObject(value)) {
      if (name !== undefined && KNOWN_MAPS.has(name)) return { kind: 'map', atomic: false, name };
      return { kind: 'struct', atomic: false, name };
    }
  }
  return { kind: 'scalar', atomic: true, name };
}

function fieldType(parent: VType, key: string, value: unknown): VType {
  if (parent.kind === 'struct') {
    const info = parent.node?.field(key);
    if (info) return typeFromInfo(info, key, value);
    return guessType(key, value);
  }
  // map values
  if (parent.elemNode && isObject(value)) return { kind: 'struct', atomic: false, node: parent.elemNode };
  return guessType(undefined, value);
}

function itemType(list: VType, item: unknown): VType {
  if (isObject(item)) return { kind: 'struct', atomic: false, node: list.elemNode };
  return guessType(undefined, item);
}

/** the path element of a list item, or undefined when it cannot be identified */
function itemPE(list: VType, item: unknown): PE | undefined {
  if (list.listType === 'set') return isObject(item) || Array.isArray(item) ? undefined : valuePE(item);
  if (list.listType === 'map' && list.keys && isObject(item)) {
    const key: Record<string, unknown> = {};
    for (const k of list.keys) {
      if (item[k] !== undefined && item[k] !== null) key[k] = item[k];
      else if (k === 'protocol') key[k] = 'TCP'; // the OpenAPI default of every `protocol` list-map key
    }
    if (Object.keys(key).length === 0) return undefined;
    return keyPE(key);
  }
  return undefined;
}

function rootType(schema: PatchSchemaNode | undefined): VType {
  return { kind: 'struct', atomic: false, node: schema };
}

// ---------------------------------------------------------------------------------------------
// the field set of an applied configuration (SMD ToFieldSet)

function toFieldSet(value: Json, t: VType, path: Path, set: FieldSet): void {
  if (t.kind === 'scalar' || t.atomic || value === null) {
    set.insert(path);
    return;
  }
  if ((t.kind === 'struct' || t.kind === 'map') && isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const ct = fieldType(t, k, v);
      const p = [...path, fieldPE(k)];
      toFieldSet(v, ct, p, set);
      if (v === null || (isObject(v) && Object.keys(v).length === 0) || t.kind === 'map') set.insert(p);
    }
    return;
  }
  if (t.kind === 'list' && Array.isArray(value)) {
    for (const item of value) {
      const pe = itemPE(t, item);
      if (pe === undefined) continue;
      const p = [...path, pe];
      toFieldSet(item, itemType(t, item), p, set);
      set.insert(p);
    }
    return;
  }
  set.insert(path); // kind mismatch: treat as a leaf
}

// ---------------------------------------------------------------------------------------------
// comparison (SMD Compare), with Go zero-value structs counting as present in the old object

interface Comparison { added: FieldSet; modified: FieldSet; removed: FieldSet }

function isEmptyContainer(v: Json | undefined): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/**
 * `path` is the position of lhs/rhs, a stack: compare pushes and pops the path elements below it
 * (FieldSet.insert does not keep the array), so a comparison allocates no path per node.
 */
function compare(lhs: Json | undefined, rhs: Json | undefined, t: VType, path: Path, c: Comparison, lhsZero: boolean): void {
  // the very same value on both sides (a subtree a write did not touch, e.g. spec and metadata of a
  // status write): nothing added, modified or removed anywhere below
  if (lhs !== undefined && lhs === rhs) return;
  const container = t.kind === 'struct' || t.kind === 'map' || t.kind === 'list';
  if (!container || t.atomic || (isEmptyContainer(lhs) && isEmptyContainer(rhs))) {
    compareLeaf(lhs, rhs, path, c, lhsZero);
    return;
  }
  const l = lhs ?? null;
  const r = rhs ?? null;
  if (t.kind === 'list') {
    if ((l !== null && !Array.isArray(l)) || (r !== null && !Array.isArray(r))) {
      compareLeaf(lhs, rhs, path, c, lhsZero);
      return;
    }
    const lm = new Map<PE, Json>();
    const rm = new Map<PE, Json>();
    for (const it of (l as Json[] | null) ?? []) { const pe = itemPE(t, it); if (pe !== undefined && !lm.has(pe)) lm.set(pe, it); }
    for (const it of (r as Json[] | null) ?? []) { const pe = itemPE(t, it); if (pe !== undefined && !rm.has(pe)) rm.set(pe, it); }
    // the items of lhs, then those only in rhs
    for (const [pe, li] of lm) {
      const ri = rm.get(pe);
      path.push(pe);
      compare(li, ri, itemType(t, ri ?? li), path, c, false);
      path.pop();
    }
    for (const [pe, ri] of rm) {
      if (lm.has(pe)) continue;
      path.push(pe);
      compare(undefined, ri, itemType(t, ri), path, c, false);
      path.pop();
    }
  } else {
    if ((l !== null && !isObject(l)) || (r !== null && !isObject(r))) {
      compareLeaf(lhs, rhs, path, c, lhsZero);
      return;
    }
    const lo = (l as JsonObject | null) ?? {};
    const ro = (r as JsonObject | null) ?? {};
    const present = lhs !== undefined || lhsZero;
    // the fields of lhs, then those only in rhs
    for (const k of Object.keys(lo)) compareField(lo, ro, k, t, present, path, c);
    for (const k of Object.keys(ro)) if (!Object.prototype.hasOwnProperty.call(lo, k)) compareField(lo, ro, k, t, present, path, c);
  }
  if (path.length === 0) return;
  if (lhs === undefined && !lhsZero) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

function compareField(lo: JsonObject, ro: JsonObject, k: string, t: VType, present: boolean, path: Path, c: Comparison): void {
  const lv = Object.prototype.hasOwnProperty.call(lo, k) ? lo[k] : undefined;
  const rv = Object.prototype.hasOwnProperty.call(ro, k) ? ro[k] : undefined;
  const ct = fieldType(t, k, rv ?? lv);
  const zero = lv === undefined && present && t.kind === 'struct'
    && ((ct.kind === 'struct' && !ct.atomic) || (ct.kind === 'list' && NON_OMITEMPTY_LISTS.has(k)));
  path.push(fieldPE(k));
  compare(lv, rv, ct, path, c, zero);
  path.pop();
}

function compareLeaf(lhs: Json | undefined, rhs: Json | undefined, path: Path, c: Comparison, lhsZero: boolean): void {
  if (lhs === undefined && !lhsZero) c.added.insert(path);
  else if (lhs === undefined) { if (!isEmptyContainer(rhs)) c.added.insert(path); }
  else if (rhs === undefined) c.removed.insert(path);
  else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
}

// ---------------------------------------------------------------------------------------------
// merging an applied configuration into the live object (SMD Merge)

function merge(live: Json | undefined, config: Json, t: VType): Json | undefined {
  if (config === null) return undefined;
  if (live === undefined || live === null) return dropNulls(deepClone(config));
  if (t.kind === 'scalar' || t.atomic) return dropNulls(deepClone(config));
  if ((t.kind === 'struct' || t.kind === 'map') && isObject(live) && isObject(config)) {
    const out = deepClone(live);
    for (const [k, v] of Object.entries(config)) {
      const m = merge(Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined, v, fieldType(t, k, v));
      if (m === undefined) delete out[k];
      else setKey(out, k, m);
    }
    return out;
  }
  if (t.kind === 'list' && Array.isArray(live) && Array.isArray(config)) {
    const out: Json[] = live.map((x) => deepClone(x));
    for (const item of config) {
      const pe = itemPE(t, item);
      const idx = pe === undefined ? -1 : out.findIndex((x) => itemPE(t, x) === pe);
      if (idx >= 0) {
        const m = merge(out[idx], item, itemType(t, item));
        if (m === undefined) out.splice(idx, 1);
        else out[idx] = m;
      } else if (item !== null) out.push(dropNulls(deepClone(item)) as Json);
    }
    return out;
  }
  return dropNulls(deepClone(config));
}

function dropNulls(v: Json): Json {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else v[k] = dropNulls(x);
    }
  }
  return v;
}

/** removes the value at `path` from `root` (mutating); returns true when something was removed */
function removeAt(root: Json, path: Path, t: VType): boolean {
  let cur: Json = root;
  let ct = t;
  for (let i = 0; i < path.length; i++) {
    const pe = path[i];
    const last = i === path.length - 1;
    if (pe.startsWith('f:')) {
      if (!isObject(cur)) return false;
      const k = pe.slice(2);
      if (!Object.prototype.hasOwnProperty.call(cur, k)) return false;
      if (last) { delete cur[k]; return true; }
      ct = fieldType(ct, k, cur[k]);
      cur = cur[k];
    } else {
      if (!Array.isArray(cur)) return false;
      const list = cur;
      const idx = pe.startsWith('i:') ? Number(pe.slice(2)) : list.findIndex((x) => itemPE(ct, x) === pe);
      if (idx < 0 || idx >= list.length) return false;
      if (last) { list.splice(idx, 1); return true; }
      const item = list[idx];
      ct = itemType(ct, item);
      cur = item;
    }
  }
  return false;
}

function valueAt(root: Json, path: Path, t: VType): Json | undefined {
  let cur: Json | undefined = root;
  let ct = t;
  for (const pe of path) {
    if (cur === undefined) return undefined;
    if (pe.startsWith('f:')) {
      if (!isObject(cur)) return undefined;
      const k = pe.slice(2);
      ct = fieldType(ct, k, cur[k]);
      cur = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
    } else {
      if (!Array.isArray(cur)) return undefined;
      const list: Json[] = cur;
      const item: Json | undefined = pe.startsWith('i:') ? list[Number(pe.slice(2))] : list.find((x) => itemPE(ct, x) === pe);
      if (item === undefined) return undefined;
      ct = itemType(ct, item);
      cur = item;
    }
  }
  return cur;
}

/**
 * Removes what the applier applied last time and no longer applies, unless somebody (including
 * the applier's new configuration) still owns it or something below it. Containers (named struct
 * fields) left empty by that are removed too when nobody owns anything in them.
 */
function prune(obj: JsonObject, lastSet: FieldSet, owned: FieldSet, t: VType): void {
  for (const p of lastSet.paths()) {
    if (owned.has(p) || owned.hasBelow(p)) continue;
    if (!removeAt(obj, p, t)) continue;
    for (let n = p.length - 1; n >= 1; n--) {
      const parent = p.slice(0, n);
      if (!parent[parent.length - 1].startsWith('f:')) break;
      if (owned.has(parent) || owned.hasBelow(parent)) break;
      const v = valueAt(obj, parent, t);
      if (!isEmptyContainer(v) || v === undefined) break;
      removeAt(obj, parent, t);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// managers

interface Manager {
  /** managerId, once computed (the identifying fields are not changed) */
  id?: string;
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

function managerId(m: { id?: string; manager: string; operation: string; apiVersion: string; subresource?: string }): string {
  return (m.id ??= JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource ?? '']));
}

function decodeManagers(entries: unknown): Manager[] {
  const out: Manager[] = [];
  if (!Array.isArray(entries)) return out;
  for (const e of entries as ManagedFieldsEntry[]) {
    if (!e || typeof e !== 'object') continue;
    const operation = e.operation === 'Apply' ? 'Apply' : 'Update';
    const m: Manager = {
      manager: String(e.manager ?? ''), operation, apiVersion: String(e.apiVersion ?? ''),
      time: typeof e.time === 'string' ? e.time : undefined,
      subresource: e.subresource ? String(e.subresource) : undefined,
      set: decodeFieldsV1(e.fieldsV1),
    };
    const same = out.find((x) => managerId(x) === managerId(m));
    if (same) same.set = same.set.union(m.set);
    else out.push(m);
  }
  return out;
}

/** FieldsV1 of a field set, emitted once per set (sets are not modified once built) */
const emitted = new WeakMap<FieldSet, Record<string, unknown>>();
/**
 * The field set of a FieldsV1 object, parsed once per object: the managedFields of a stored object
 * carry the FieldsV1 objects emitted here (and a status write keeps the stored metadata), so the
 * next write of the object finds its managers' sets without parsing. FieldsV1 objects, like the
 * stored objects that hold them, are not modified.
 */
const decoded = new WeakMap<object, FieldSet>();
function fieldsV1Of(set: FieldSet): Record<string, unknown> {
  let v = emitted.get(set);
  if (!v) {
    emitted.set(set, (v = set.toFieldsV1()));
    decoded.set(v, set);
  }
  return v;
}

function decodeFieldsV1(v: unknown): FieldSet {
  if (!v || typeof v !== 'object') return FieldSet.fromFieldsV1(v);
  let set = decoded.get(v);
  if (!set) decoded.set(v, (set = FieldSet.fromFieldsV1(v)));
  return set;
}

/** seconds of a manager's time, for sorting (the last few parses remembered: writes repeat times) */
const secsCache = new Map<string, number>();
function secs(t?: string): number {
  if (!t) return 0;
  let v = secsCache.get(t);
  if (v === undefined) {
    v = Math.floor(Date.parse(t) / 1000) || 0;
    if (secsCache.size >= 64) secsCache.clear();
    secsCache.set(t, v);
  }
  return v;
}

function encodeManagers(ms: Manager[]): ManagedFieldsEntry[] {
  const sorted = ms.filter((m) => !m.set.empty()).sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    if (secs(p.time) !== secs(q.time)) return secs(p.time) - secs(q.time);
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    return (p.subresource ?? '') < (q.subresource ?? '') ? -1 : (p.subresource ?? '') > (q.subresource ?? '') ? 1 : 0;
  });
  return sorted.map((m) => {
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = fieldsV1Of(m.set);
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
}

/** RFC 3339 without fractional seconds, UTC (metav1.Time); the last conversion is remembered */
let lastNow: string | undefined;
let lastRfc = '';
function rfc3339(now: string): string {
  if (now === lastNow) return lastRfc;
  const d = new Date(now);
  const out = Number.isNaN(d.getTime()) ? now : d.toISOString().replace(/\.\d+Z$/, 'Z');
  lastNow = now;
  lastRfc = out;
  return out;
}

/** metadata kube-apiserver never records ownership of (stripMeta) */
const STRIPPED_META = ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'];

function stripValue(o: KObject | JsonObject | undefined): JsonObject {
  const v = deepClone((o ?? {}) as unknown as JsonObject);
  delete v.apiVersion;
  delete v.kind;
  if (isObject(v.metadata)) {
    for (const k of STRIPPED_META) delete v.metadata[k];
  }
  return v;
}

const STRIPPED_META_PE = new Set(STRIPPED_META.map(fieldPE));

/**
 * stripMeta plus the reset fields of the (sub)resource: status for the main resource, spec for
 * /status. One pass that shares the subtrees it keeps (field sets are not modified once built);
 * like removing each path from a copy, it keeps a `metadata` node emptied by the stripping.
 */
function filterSet(s: FieldSet, subresource: string | undefined): FieldSet {
  const reset = !subresource ? fieldPE('status') : subresource === 'status' ? fieldPE('spec') : undefined;
  const dropTop = (pe: PE) => pe === 'f:apiVersion' || pe === 'f:kind' || pe === reset;
  const out = new FieldSet();
  for (const m of s.members) if (!dropTop(m) && m !== 'f:metadata') out.members.add(m);
  for (const [k, c] of s.children) {
    if (dropTop(k)) continue;
    if (k !== 'f:metadata') {
      out.children.set(k, c);
      continue;
    }
    const meta = new FieldSet();
    for (const m of c.members) if (!STRIPPED_META_PE.has(m)) meta.members.add(m);
    for (const [mk, mc] of c.children) if (!STRIPPED_META_PE.has(mk)) meta.children.set(mk, mc);
    out.children.set(k, meta);
  }
  return out;
}

/**
 * stripValue of both objects for compare, without copying what both share: a top-level or metadata
 * field holding the very same value in `old` and `updated` is passed through uncopied (compare skips
 * identical values), the rest is deep-copied as stripValue does (which also drops undefined fields).
 */
/**
 * Whether deepClone(v) would differ from v in more than identity: a field holding undefined (the
 * copy drops it) or an object that is not a plain object or array. compare only reads its inputs,
 * so anything else can be compared in place.
 */
function needsClone(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const x of v) if (needsClone(x)) return true;
    return false;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return true;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || needsClone(x)) return true;
  }
  return false;
}

function stripPair(old: KObject | undefined, updated: KObject | JsonObject): [JsonObject, JsonObject] {
  const o = (old ?? {}) as unknown as JsonObject;
  const u = updated as JsonObject;
  const shared = (v: Json | undefined, w: Json | undefined) => v === w && v !== null && typeof v === 'object';
  const strip = (src: JsonObject, other: JsonObject | undefined, top: boolean): JsonObject => {
    const out: JsonObject = {};
    for (const k of Object.keys(src)) {
      const v = src[k];
      if (v === undefined) continue;
      if (top ? k === 'apiVersion' || k === 'kind' : STRIPPED_META.includes(k)) continue;
      const w = other?.[k];
      if (top && k === 'metadata' && isObject(v)) setKey(out, k, strip(v, isObject(w) ? w : undefined, false));
      else setKey(out, k, shared(v, w) || !needsClone(v) ? v : deepClone(v));
    }
    return out;
  };
  return [strip(o, u, true), strip(u, o, true)];
}

function compareObjects(old: KObject | undefined, updated: KObject | JsonObject, t: VType, subresource: string | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const [lhs, rhs] = stripPair(old, updated);
  compare(lhs, rhs, t, [], c, old === undefined);
  return {
    added: filterSet(c.added, subresource),
    modified: filterSet(c.modified, subresource),
    removed: filterSet(c.removed, subresource),
  };
}

function withManagedFields<T extends KObject | JsonObject>(obj: T, ms: Manager[]): KObject {
  const out = obj as unknown as KObject;
  const meta = isObject(out.metadata as Json) ? (out.metadata as JsonObject) : {};
  const entries = encodeManagers(ms);
  const copy: JsonObject = {};
  for (const [k, v] of Object.entries(meta)) if (k !== 'managedFields') setKey(copy, k, v);
  if (entries.length) setKey(copy, 'managedFields', entries as unknown as Json);
  out.metadata = copy as KObject['metadata'];
  return out;
}

/** Update bookkeeping shared by trackUpdate and the before-first-apply step. */
function recordUpdate(managers: Manager[], old: KObject | undefined, updated: KObject | JsonObject, who: Omit<Manager, 'set'>, t: VType, subresource: string | undefined): Manager[] {
  const cmp = compareObjects(old, updated, t, subresource);
  const taken = cmp.modified.union(cmp.added);
  const id = managerId(who);
  const takes = !taken.empty();
  // the writer's own set: (set − taken − removed) ∪ taken is (set − removed) ∪ taken, which is the
  // very same set (and FieldsV1) when the write changes only fields the writer already owns
  let out = managers.map((m) => ({
    ...m, set: takes && managerId(m) === id ? m.set.difference(cmp.removed) : m.set.difference(taken).difference(cmp.removed),
  }));
  if (takes) {
    const prev = out.find((m) => managerId(m) === id);
    if (prev) {
      prev.set = prev.set.union(taken);
      prev.time = who.time;
    } else {
      out.push({ ...who, set: taken });
    }
  }
  out = out.filter((m) => !m.set.empty());
  return out;
}

/**
 * Records field ownership for an ordinary write (create when `old` is undefined, update, or a
 * non-apply patch) by `opts.manager`. Returns `updated` (copied) with metadata.managedFields set.
 * The managedFields of `updated` are used when present, else those of `old`.
 */
export function trackUpdate(old: KObject | undefined, updated: KObject, opts: UpdateOptions): KObject {
  const base = Array.isArray(updated.metadata?.managedFields) && updated.metadata.managedFields.length
    ? updated.metadata.managedFields : old?.metadata?.managedFields;
  const managers = decodeManagers(base);
  const t = rootType(opts.schema);
  const who = { manager: opts.manager, operation: 'Update' as const, apiVersion: opts.apiVersion, time: rfc3339(opts.now), subresource: opts.subresource };
  const shape = !old && !managers.length ? shapeOf(updated) : undefined;
  let next: Manager[];
  if (shape !== undefined) {
    // a create without lists: recordUpdate([], undefined, …) with the field set of the object's shape
    const taken = createdSet(shape, updated, t, opts);
    next = taken.empty() ? [] : [{ ...who, set: taken }];
  } else {
    next = recordUpdate(managers, old, updated, who, t, opts.subresource);
  }
  // a copy: deep when deepClone would change something (undefined fields), else one level (the
  // result gets a new metadata object; the rest is shared with `updated`, which is not modified).
  // Fields `updated` shares with `old` (a status write's spec and metadata) stay shared as they are.
  const copy = needsCloneBeside(updated, old) ? deepClone(updated) : { ...updated };
  return withManagedFields(copy, next);
}

/**
 * The shape of an object without lists, for createdSet: its key tree (as stripValue leaves it) and
 * whether each value is null, an object or another value. undefined when it has a list or a value
 * that is not plain JSON data.
 */
function shapeOf(updated: KObject): string | undefined {
  const parts: string[] = [];
  const walk = (v: object, level: 'top' | 'meta' | 'inner'): boolean => {
    parts.push('{');
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      if (level === 'top' ? k === 'apiVersion' || k === 'kind' : level === 'meta' && STRIPPED_META.includes(k)) continue;
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) continue;
      parts.push(JSON.stringify(k));
      if (x === null) parts.push('n');
      else if (typeof x === 'object') {
        if (Array.isArray(x) || Object.getPrototypeOf(x) !== Object.prototype) return false;
        if (!walk(x, level === 'top' && k === 'metadata' ? 'meta' : 'inner')) return false;
      } else if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') parts.push('s');
      else return false;
    }
    parts.push('}');
    return true;
  };
  if (Object.getPrototypeOf(updated) !== Object.prototype || !walk(updated, 'top')) return undefined;
  return parts.join('');
}

/**
 * The fields a create takes (recordUpdate's `taken`) for an object without lists: compareObjects of
 * such an object against nothing depends on its shape (shapeOf) and its schema alone, so objects of
 * one shape (the Events a component records) share one field set and one FieldsV1.
 */
const createdSets = new WeakMap<object, Map<string, FieldSet>>();
const NO_SCHEMA = {};
function createdSet(shape: string, updated: KObject, t: VType, opts: UpdateOptions): FieldSet {
  const schemaKey = (opts.schema ?? NO_SCHEMA) as object;
  let byShape = createdSets.get(schemaKey);
  if (!byShape) createdSets.set(schemaKey, (byShape = new Map()));
  const key = `${opts.subresource ?? ''}\u0000${shape}`;
  let set = byShape.get(key);
  if (!set) {
    const cmp = compareObjects(undefined, updated, t, opts.subresource);
    set = cmp.modified.union(cmp.added);
    if (byShape.size >= 1024) byShape.clear();
    byShape.set(key, set);
  }
  return set;
}

/** needsClone(updated), not looking into the top-level and metadata fields that are the very values of `old` */
function needsCloneBeside(updated: KObject, old: KObject | undefined): boolean {
  if (!old) return needsClone(updated);
  const proto = Object.getPrototypeOf(updated);
  if (proto !== Object.prototype && proto !== null) return true;
  const u = updated as unknown as Record<string, unknown>;
  const o = old as unknown as Record<string, unknown>;
  for (const k in u) {
    if (!Object.prototype.hasOwnProperty.call(u, k)) continue;
    const v = u[k];
    if (v === undefined) return true;
    if (v === o[k]) continue;
    if (k === 'metadata' && v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && isObject(o.metadata as Json)) {
      const om = o.metadata as Record<string, unknown>;
      for (const mk in v) {
        if (!Object.prototype.hasOwnProperty.call(v, mk)) continue;
        const mv = (v as Record<string, unknown>)[mk];
        if (mv === undefined) return true;
        if (mv !== om[mk] && needsClone(mv)) return true;
      }
      continue;
    }
    if (needsClone(v)) return true;
  }
  return false;
}

function quoteGo(s: string): string {
  return JSON.stringify(s);
}

function printManager(m: Manager): string {
  let s = quoteGo(m.manager);
  if (m.subresource) s += ` with subresource ${quoteGo(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

function conflictError(conflicts: { m: Manager; path: Path }[]): StatusError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.m)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].m)}: ${pathString(conflicts[0].path)}`;
  } else {
    const lines: string[] = [];
    const groups = new Map<string, { m: Manager; paths: Path[] }>();
    for (const c of conflicts) {
      const id = managerIdJSON(c.m);
      if (!groups.has(id)) groups.set(id, { m: c.m, paths: [] });
      groups.get(id)!.paths.push(c.path);
    }
    for (const id of [...groups.keys()].sort()) {
      const g = groups.get(id)!;
      lines.push(`conflicts with ${printManager(g.m)}:`);
      for (const p of g.paths) lines.push(`- ${pathString(p)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Conflict', details: { causes }, code: 409,
  });
}

/** the JSON manager identifier kube sorts conflict groups by */
function managerIdJSON(m: Manager): string {
  const o: Record<string, string> = { manager: m.manager, operation: m.operation };
  if (m.operation !== 'Apply') o.apiVersion = m.apiVersion;
  if (m.subresource) o.subresource = m.subresource;
  return JSON.stringify(o);
}

/**
 * Server-side apply of configuration `applied` by `opts.manager` onto `live` (undefined: create).
 * Returns the merged object with updated metadata.managedFields; throws a 409 Conflict StatusError
 * (kube's wording and causes) when the apply would change fields other managers own, unless force.
 * When nothing changes, the result deep-equals `live`.
 */
export function serverSideApply(live: KObject | undefined, applied: KObject, opts: ApplyOptions): KObject {
  if (!isObject(applied as unknown as Json)) throw errors.badRequest('error decoding YAML: object expected');
  const appliedMeta = (applied as KObject).metadata;
  if (appliedMeta !== undefined && appliedMeta !== null && !isObject(appliedMeta as unknown as Json)) {
    throw errors.badRequest('metadata must be an object');
  }
  if (appliedMeta?.managedFields !== undefined && appliedMeta?.managedFields !== null) {
    throw errors.badRequest('metadata.managedFields must be nil');
  }
  if (applied.apiVersion && applied.apiVersion !== opts.apiVersion) {
    throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion}, expected: ${opts.apiVersion}`);
  }
  const t = rootType(opts.schema);
  const now = rfc3339(opts.now);
  const sub = opts.subresource;
  const config = deepClone(applied as unknown as JsonObject);
  if (config.metadata === undefined || config.metadata === null) delete config.metadata;

  let managers = decodeManagers(live?.metadata?.managedFields);
  if (live && managers.length === 0) {
    // an object nobody tracked yet: its current fields belong to "before-first-apply"
    const liveNoMF = stripValue(live);
    managers = recordUpdate([], undefined, liveNoMF, { manager: 'before-first-apply', operation: 'Update', apiVersion: opts.apiVersion, time: now }, t, sub);
  }

  const liveObj: JsonObject = live ? deepClone(live as unknown as JsonObject) : {};
  const merged = (merge(liveObj, config, t) ?? {}) as JsonObject;
  if (!isObject(merged.metadata)) setKey(merged, 'metadata', {});

  const id = managerId({ manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, subresource: sub });
  const prev = managers.find((m) => managerId(m) === id);
  const newSet = new FieldSet();
  toFieldSet(stripValue(config), t, [], newSet);
  const appliedSet = filterSet(newSet, sub);

  // prune what this applier stopped applying
  if (prev && !prev.set.empty()) {
    let owned = appliedSet.clone();
    for (const m of managers) if (m !== prev) owned = owned.union(m.set);
    prune(merged, prev.set, owned, t);
  }

  // conflicts with / removals from the other managers
  const cmp = compareObjects(live, merged, t, sub);
  const changed = cmp.modified.union(cmp.added);
  const conflicts: { m: Manager; path: Path }[] = [];
  const others = managers.filter((m) => m !== prev);
  for (const m of [...others].sort((a, b) => (managerIdJSON(a) < managerIdJSON(b) ? -1 : 1))) {
    for (const p of m.set.intersection(changed).paths()) conflicts.push({ m, path: p });
  }
  let force = opts.force;
  if (conflicts.length && !force && opts.manager === 'kubectl' && live) {
    // upgrading from client-side apply: fields whose live value still matches the
    // last-applied-configuration annotation may be taken over without a conflict
    const allowed = allowedFromLastApplied(live, opts.apiVersion, t, sub);
    const remaining = allowed ? conflicts.filter((c) => !allowed.has(c.path)) : conflicts;
    if (remaining.length) throw conflictError(remaining);
    force = true;
  }
  if (conflicts.length && !force) throw conflictError(conflicts);

  const next: Manager[] = [];
  for (const m of managers) {
    if (m === prev) continue;
    const set = m.set.difference(changed).difference(cmp.removed);
    if (!set.empty()) next.push({ ...m, set });
  }
  const objectChanged = !deepEqual(stripMF(liveObj), stripMF(merged));
  next.push({
    manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, subresource: sub, set: appliedSet,
    time: objectChanged || !prev?.time ? now : prev.time,
  });
  if (opts.manager === 'kubectl') syncLastApplied(merged, config);
  return withManagedFields(merged, next);
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function lastAppliedOf(o: KObject | JsonObject): string | undefined {
  const meta = (o as KObject).metadata;
  const ann = isObject(meta as unknown as Json) && isObject((meta as JsonObject).annotations) ? ((meta as JsonObject).annotations as JsonObject) : undefined;
  const v = ann?.[LAST_APPLIED];
  return typeof v === 'string' && v.length ? v : undefined;
}

function allowedFromLastApplied(live: KObject, apiVersion: string, t: VType, sub: string | undefined): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (!text) return undefined;
  let la: unknown;
  try {
    la = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(la as Json) || (la as JsonObject).apiVersion !== apiVersion) return undefined;
  const set = new FieldSet();
  toFieldSet(stripValue(la as JsonObject), t, [], set);
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compare(stripValue(la as JsonObject), stripValue(live), t, [], c, false);
  return filterSet(set, sub).difference(c.modified).difference(c.added).difference(c.removed);
}

/** kubectl's server-side apply keeps an existing client-side apply annotation in sync */
function syncLastApplied(merged: JsonObject, config: JsonObject): void {
  if (!lastAppliedOf(merged)) return;
  const cfg = deepClone(config);
  if (isObject(cfg.metadata) && isObject(cfg.metadata.annotations)) {
    delete cfg.metadata.annotations[LAST_APPLIED];
    if (Object.keys(cfg.metadata.annotations).length === 0) delete cfg.metadata.annotations;
  }
  ((merged.metadata as JsonObject).annotations as JsonObject)[LAST_APPLIED] = sortedJSON(cfg);
}

/** Go's json.Marshal of a map[string]interface{}: keys sorted, no spaces */
function sortedJSON(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(sortedJSON).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${sortedJSON(v[k])}`).join(',')}}`;
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function stripMF(o: JsonObject): JsonObject {
  const c = { ...o };
  if (isObject(c.metadata)) {
    const m = { ...c.metadata };
    delete m.managedFields;
    c.metadata = m;
  }
  return c;
}
