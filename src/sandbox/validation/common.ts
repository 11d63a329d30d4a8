/**
 * Shared pieces: field paths, object-meta validation, labels/annotations/selectors, immutability,
 * semantic equality and small numeric checks (apimachinery api/validation + meta/v1/validation).
 */
import type { FieldError, KObject } from '../apiserver/types.js';
import { field } from '../apiserver/errors.js';
import { GoValue, goLabelSelector } from './goformat.js';
import {
  byteLen, isDNS1123Label, isQualifiedName, isValidLabelValue, type NameFn,
} from './strings.js';

export type Errs = FieldError[];

/** field.Path helpers on dotted strings. */
export function child(path: string, ...names: string[]): string {
  let p = path;
  for (const n of names) p = p ? `${p}.${n}` : n;
  return p;
}
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

export const isNegativeErrorMsg = 'must be greater than or equal to 0';
export const fieldImmutableErrorMsg = 'field is immutable';

export function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function asArray<T = any>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}
export function asMap(v: unknown): Record<string, any> {
  return isObj(v) ? v : {};
}
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

export function validateNonnegative(value: unknown, path: string): Errs {
  if (typeof value === 'number' && value < 0) return [field.invalid(path, value, isNegativeErrorMsg)];
  return [];
}

export function validateDNS1123Label(value: string, path: string): Errs {
  return isDNS1123Label(value).map((m) => field.invalid(path, value, m));
}

export function validateQualifiedName(value: string, path: string): Errs {
  return isQualifiedName(value).map((m) => field.invalid(path, value, m));
}

/** meta/v1 ValidateLabels: errors are reported on the map's path, not per key. */
export function validateLabels(labels: unknown, path: string): Errs {
  const errs: Errs = [];
  for (const [k, v] of Object.entries(asMap(labels))) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid(path, k, m));
    for (const m of isValidLabelValue(str(v))) errs.push(field.invalid(path, str(v), m));
  }
  return errs;
}

export const totalAnnotationSizeLimit = 256 * 1024;

export function validateAnnotations(annotations: unknown, path: string): Errs {
  const errs: Errs = [];
  let total = 0;
  for (const [k, v] of Object.entries(asMap(annotations))) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path, k, m));
    total += byteLen(k) + byteLen(str(v));
  }
  if (total > totalAnnotationSizeLimit) errs.push(field.tooLong(path, totalAnnotationSizeLimit));
  return errs;
}

export function validateLabelSelectorRequirement(r: any, path: string): Errs {
  const errs: Errs = [];
  const op = str(r?.operator);
  const values = asArray(r?.values);
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(field.required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(field.forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      errs.push(field.invalid(child(path, 'operator'), op, 'not a valid selector operator'));
  }
  for (const m of isQualifiedName(str(r?.key))) errs.push(field.invalid(child(path, 'key'), str(r?.key), m));
  if (op === 'In' || op === 'NotIn') {
    values.forEach((v, i) => {
      for (const m of isValidLabelValue(str(v))) errs.push(field.invalid(index(child(path, 'values'), i), str(v), m));
    });
  }
  return errs;
}

export function validateLabelSelector(sel: unknown, path: string): Errs {
  if (!isObj(sel)) return [];
  const errs = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  asArray(sel.matchExpressions).forEach((r, i) => errs.push(...validateLabelSelectorRequirement(r, index(child(path, 'matchExpressions'), i))));
  return errs;
}

/** Does a metav1.LabelSelector match a label set? (`null` selector matches nothing.) */
export function selectorMatches(sel: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isObj(sel)) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(asMap(sel.matchLabels))) if (l[k] !== v) return false;
  for (const r of asArray(sel.matchExpressions)) {
    const k = str(r?.key);
    const has = Object.prototype.hasOwnProperty.call(l, k);
    const vals = asArray<string>(r?.values);
    switch (r?.operator) {
      case 'In': if (!has || !vals.includes(l[k])) return false; break;
      case 'NotIn': if (has && vals.includes(l[k])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

export function selectorIsEmpty(sel: unknown): boolean {
  return !isObj(sel) || (Object.keys(asMap(sel.matchLabels)).length === 0 && asArray(sel.matchExpressions).length === 0);
}

/** Set-based map selector (RC/Service) matches labels. */
export function mapSelectorMatches(sel: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return Object.entries(sel).every(([k, v]) => l[k] === v);
}

/**
 * apiequality.Semantic.DeepEqual on wire JSON: missing, null, "", 0, false, [] and {} compare equal
 * (Go zero values and nil-vs-empty collections).
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function isZero(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 0 || v === false
    || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
}

export function normalize(v: unknown): unknown {
  if (v instanceof GoValue) return normalize(v.value);
  if (Array.isArray(v)) return v.map(normalize);
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize(v[k]);
      if (!isZero(n)) out[k] = n;
    }
    return out;
  }
  return v;
}

export function validateImmutable(newVal: unknown, oldVal: unknown, path: string, badValue: unknown = newVal): Errs {
  return semanticEqual(newVal, oldVal) ? [] : [field.invalid(path, badValue, fieldImmutableErrorMsg)];
}

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateFinalizers(finalizers: unknown, path: string): Errs {
  const errs: Errs = [];
  const list = asArray<string>(finalizers).map(str);
  for (const f of list) for (const m of isQualifiedName(f)) errs.push(field.invalid(path, f, m));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(field.invalid(path, new GoValue(`[]string{${list.map((f) => JSON.stringify(f)).join(', ')}}`, list), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  list.forEach((f, i) => {
    if (!f.includes('/') && !standardFinalizers.has(f)) {
      errs.push(field.invalid(index(path, i), f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

function validateOwnerReferences(refs: unknown, path: string): Errs {
  const errs: Errs = [];
  let firstController = '';
  for (const r of asArray(refs)) {
    const apiVersion = str(r?.apiVersion);
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
    if (!version) errs.push(field.invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!str(r?.kind)) errs.push(field.invalid(child(path, 'kind'), str(r?.kind), 'must not be empty'));
    if (!str(r?.name)) errs.push(field.invalid(child(path, 'name'), str(r?.name), 'must not be empty'));
    if (!str(r?.uid)) errs.push(field.invalid(child(path, 'uid'), str(r?.uid), 'must not be empty'));
    if (r?.controller === true) {
      const cur = `${str(r?.kind)}/${str(r?.name)}`;
      if (firstController) {
        errs.push(field.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`));
      } else firstController = cur;
    }
  }
  return errs;
}

/** ValidateObjectMeta (create). `namespaced` says whether the kind lives in a namespace. */
export function validateObjectMeta(meta: KObject['metadata'] | undefined, namespaced: boolean, nameFn: NameFn, path = 'metadata'): Errs {
  const m = meta ?? {};
  const errs: Errs = [];
  const generateName = str(m.generateName);
  const name = str(m.name);
  if (generateName) for (const msg of nameFn(generateName, true)) errs.push(field.invalid(child(path, 'generateName'), generateName, msg));
  if (!name) errs.push(field.required(child(path, 'name'), 'name or generateName is required'));
  else for (const msg of nameFn(name, false)) errs.push(field.invalid(child(path, 'name'), name, msg));
  errs.push(...validateObjectMetaCommon(m, namespaced, path));
  return errs;
}

function validateObjectMetaCommon(m: KObject['metadata'], namespaced: boolean, path: string): Errs {
  const errs: Errs = [];
  const ns = str(m.namespace);
  if (namespaced) {
    if (!ns) errs.push(field.required(child(path, 'namespace'), ''));
    else for (const msg of isDNS1123Label(ns)) errs.push(field.invalid(child(path, 'namespace'), ns, msg));
  } else if (ns) {
    errs.push(field.forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(m.generation, child(path, 'generation')));
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, child(path, 'finalizers')));
  return errs;
}

/** ValidateObjectMetaUpdate. */
export function validateObjectMetaUpdate(meta: KObject['metadata'] | undefined, old: KObject['metadata'] | undefined, path = 'metadata'): Errs {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: Errs = [];
  if (o.deletionTimestamp) {
    const extra = asArray<string>(m.finalizers).filter((f) => !asArray<string>(o.finalizers).includes(f));
    if (extra.length) {
      const sorted = [...new Set(extra)].sort();
      errs.push(field.forbidden(child(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers []string{${sorted.map((f) => JSON.stringify(f)).join(', ')}}`));
    }
  }
  // (kube also requires metadata.resourceVersion here, but fills it in for unconditional updates
  // before validating; the sandbox store does that after validation, so the check is left out)
  if (num(m.generation) < num(o.generation)) errs.push(field.invalid(child(path, 'generation'), num(m.generation), 'must not be decremented'));
  errs.push(...validateImmutable(str(m.name), str(o.name), child(path, 'name')));
  errs.push(...validateImmutable(str(m.namespace), str(o.namespace), child(path, 'namespace')));
  errs.push(...validateImmutable(str(m.uid), str(o.uid), child(path, 'uid')));
  errs.push(...validateImmutable(m.creationTimestamp ?? null, o.creationTimestamp ?? null, child(path, 'creationTimestamp'), goTime(m.creationTimestamp)));
  errs.push(...validateImmutable(m.deletionTimestamp ?? null, o.deletionTimestamp ?? null, child(path, 'deletionTimestamp'), goTime(m.deletionTimestamp)));
  errs.push(...validateImmutable(m.deletionGracePeriodSeconds ?? null, o.deletionGracePeriodSeconds ?? null, child(path, 'deletionGracePeriodSeconds')));
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, child(path, 'finalizers')));
  return errs;
}

/** metav1.Time is a fmt.Stringer: Go prints `2024-01-02 03:04:05 +0000 UTC`. */
function goTime(t: unknown): unknown {
  if (typeof t !== 'string' || !t) return new GoValue('null', null);
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return t;
  const p = (n: number) => String(n).padStart(2, '0');
  return new GoValue(`${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`, t);
}

/** Template ObjectMeta of pod templates: labels + annotations only (ValidatePodTemplateSpec). */
export function validateTemplateMeta(meta: unknown, path: string): Errs {
  const m = asMap(meta);
  return [...validateLabels(m.labels, child(path, 'labels')), ...validateAnnotations(m.annotations, child(path, 'annotations'))];
}

export { goLabelSelector };
