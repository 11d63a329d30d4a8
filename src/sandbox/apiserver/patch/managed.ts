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
import { deepClone, deepEqual, isObject, setKey, type Json, type JsonObject } from './gojson.js';

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

function typeFromInfo(info: PatchFieldInfo, name: string, value: unknown): VType {
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

function compare(lhs: Json | undefined, rhs: Json | undefined, t: VType, path: Path, c: Comparison, lhsZero: boolean): void {
  // the very same value on both sides (a subtree a write did not touch, e.g. spec and metadata of a
  // status write): nothing added, modified or removed anywhere below
  if (lhs !== undefined && lhs === rhs) return;
  const leaf = () => {
    if (lhs === undefined && !lhsZero) c.added.insert(path);
    else if (lhs === undefined) { if (!isEmptyContainer(rhs)) c.added.insert(path); }
    else if (rhs === undefined) c.removed.insert(path);
    else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
  };
  const container = t.kind === 'struct' || t.kind === 'map' || t.kind === 'list';
  if (!container || t.atomic || (isEmptyContainer(lhs) && isEmptyContainer(rhs))) return leaf();
  const l = lhs ?? null;
  const r = rhs ?? null;
  if (t.kind === 'list') {
    if ((l !== null && !Array.isArray(l)) || (r !== null && !Array.isArray(r))) return leaf();
    const lm = new Map<PE, Json>();
    const rm = new Map<PE, Json>();
    for (const it of (l as Json[] | null) ?? []) { const pe = itemPE(t, it); if (pe !== undefined && !lm.has(pe)) lm.set(pe, it); }
    for (const it of (r as Json[] | null) ?? []) { const pe = itemPE(t, it); if (pe !== undefined && !rm.has(pe)) rm.set(pe, it); }
    for (const pe of new Set([...lm.keys(), ...rm.keys()])) {
      const li = lm.get(pe);
      const ri = rm.get(pe);
      compare(li, ri, itemType(t, ri ?? li), [...path, pe], c, false);
    }
  } else {
    if ((l !== null && !isObject(l)) || (r !== null && !isObject(r))) return leaf();
    const lo = (l as JsonObject | null) ?? {};
    const ro = (r as JsonObject | null) ?? {};
    const present = lhs !== undefined || lhsZero;
    for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
      const lv = Object.prototype.hasOwnProperty.call(lo, k) ? lo[k] : undefined;
      const rv = Object.prototype.hasOwnProperty.call(ro, k) ? ro[k] : undefined;
      const ct = fieldType(t, k, rv ?? lv);
      const zero = lv === undefined && present && t.kind === 'struct'
        && ((ct.kind === 'struct' && !ct.atomic) || (ct.kind === 'list' && NON_OMITEMPTY_LISTS.has(k)));
      compare(lv, rv, ct, [...path, fieldPE(k)], c, zero);
    }
  }
  if (path.length === 0) return;
  if (lhs === undefined && !lhsZero) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
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
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

function managerId(m: { manager: string; operation: string; apiVersion: string; subresource?: string }): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource ?? '']);
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
      set: FieldSet.fromFieldsV1(e.fieldsV1),
    };
    const same = out.find((x) => managerId(x) === managerId(m));
    if (same) same.set = same.set.union(m.set);
    else out.push(m);
  }
  return out;
}

/** FieldsV1 of a field set, emitted once per set (sets are not modified once built) */
const emitted = new WeakMap<FieldSet, Record<string, unknown>>();
function fieldsV1Of(set: FieldSet): Record<string, unknown> {
  let v = emitted.get(set);
  if (!v) emitted.set(set, (v = set.toFieldsV1()));
  return v;
}

function encodeManagers(ms: Manager[]): ManagedFieldsEntry[] {
  const secs = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);
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

/** RFC 3339 without fractional seconds, UTC (metav1.Time) */
function rfc3339(now: string): string {
  const d = new Date(now);
  if (Number.isNaN(d.getTime())) return now;
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
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

/** stripMeta plus the reset fields of the (sub)resource: status for the main resource, spec for /status */
function filterSet(s: FieldSet, subresource: string | undefined): FieldSet {
  let out = s;
  out = out.withoutSubtree([fieldPE('apiVersion')]).withoutSubtree([fieldPE('kind')]);
  for (const k of STRIPPED_META) out = out.withoutSubtree([fieldPE('metadata'), fieldPE(k)]);
  const meta = out.at([]);
  meta?.members.delete(fieldPE('metadata'));
  if (!subresource) out = out.withoutSubtree([fieldPE('status')]);
  else if (subresource === 'status') out = out.withoutSubtree([fieldPE('spec')]);
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
  let out = managers.map((m) => ({ ...m, set: m.set.difference(taken).difference(cmp.removed) }));
  if (!taken.empty()) {
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
  const next = recordUpdate(managers, old, updated, {
    manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, time: rfc3339(opts.now), subresource: opts.subresource,
  }, t, opts.subresource);
  // a copy: deep when deepClone would change something (undefined fields), else one level (the
  // result gets a new metadata object; the rest is shared with `updated`, which is not modified)
  const copy = needsClone(updated) ? deepClone(updated) : { ...updated };
  return withManagedFields(copy, next);
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
