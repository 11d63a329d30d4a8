/**
 * Field selectors (`?fieldSelector=`) like kube-apiserver 1.33 (k8s.io/apimachinery/pkg/fields plus the
 * per-kind field label conversions and selectable field sets of kube-apiserver).
 *
 * Grammar: terms joined by `,` (AND), each `field=value`, `field==value` or `field!=value`; in a value `\`
 * escapes `\`, `,` and `=`. Terms are sorted, like the real parser does.
 */
import { errors } from '../errors.js';
import type { KObject } from '../types.js';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '==' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  /** matches a field set (missing fields read as "") */
  matches(fields: Record<string, string>): boolean;
  empty(): boolean;
  /** canonical form (values escaped), as fields.Selector.String() */
  toString(): string;
}

/** fields.EscapeValue */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw errors.badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    // Go prints the rune with %v, i.e. its code point
    else if (c === ',' || c === '=') throw errors.badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw errors.badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): [string, FieldRequirement['operator'], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

class Selector implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}
  matches(fields: Record<string, string>): boolean {
    return this.requirements.every((r) => {
      const v = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : '';
      return r.operator === '!=' ? v !== r.value : v === r.value;
    });
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Parses `?fieldSelector=`; empty selects everything. Throws errors.badRequest with kube's text. */
export function parseFieldSelector(s: string): FieldSelector {
  const parts = splitTerms(s).sort();
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw errors.badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    reqs.push({ field: t[0], operator: t[1], value: unescapeValue(t[2]) });
  }
  return new Selector(reqs);
}

// ----------------------------------------------------------------------------------------------------
// per-kind selectable fields

/**
 * Field labels each kind accepts (kube-apiserver's field label conversion functions). Kinds not listed use the
 * default conversion, which accepts only metadata.name and metadata.namespace.
 */
export const SUPPORTED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
    'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs',
    'status.nominatedNodeName', 'spec.host'],
  Node: ['metadata.name', 'spec.unschedulable'],
  ReplicationController: ['metadata.name', 'metadata.namespace', 'status.replicas'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
    'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
    'reportingComponent', 'source', 'type', 'metadata.namespace', 'metadata.name'],
  Namespace: ['status.phase', 'metadata.name'],
  Secret: ['type', 'metadata.namespace', 'metadata.name'],
  Service: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'],
  ReplicaSet: ['metadata.name', 'metadata.namespace', 'status.replicas'],
  StatefulSet: ['metadata.name', 'metadata.namespace', 'status.successful'],
  Job: ['metadata.name', 'metadata.namespace', 'status.successful'],
  CertificateSigningRequest: ['metadata.name', 'spec.signerName'],
};

const DEFAULT_FIELDS = ['metadata.name', 'metadata.namespace'];

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/**
 * The selectable fields of `obj` (kind `kind`), with the values kube-apiserver's field sets give them
 * (missing → "", numbers/booleans as text). Undefined when there is no object.
 */
export function fieldSetFor(kind: string, obj: KObject | undefined | null): Record<string, string> | undefined {
  if (!obj) return undefined;
  const md = obj.metadata ?? {};
  const set: Record<string, string> = { 'metadata.name': str(md.name) };
  const clusterScoped = kind === 'Node' || kind === 'Namespace';
  if (!clusterScoped) set['metadata.namespace'] = str(md.namespace);
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  switch (kind) {
    case 'Pod': {
      set['spec.nodeName'] = str(spec.nodeName);
      set['spec.restartPolicy'] = str(spec.restartPolicy);
      set['spec.schedulerName'] = str(spec.schedulerName);
      set['spec.serviceAccountName'] = str(spec.serviceAccountName);
      set['spec.hostNetwork'] = spec.hostNetwork ? 'true' : 'false';
      set['status.phase'] = str(status.phase);
      const ips: string[] = Array.isArray(status.podIPs) ? status.podIPs.map((p: { ip?: string }) => str(p?.ip)) : [];
      set['status.podIP'] = ips[0] ?? str(status.podIP);
      set['status.podIPs'] = ips.length ? ips.join(',') : str(status.podIP);
      set['status.nominatedNodeName'] = str(status.nominatedNodeName);
      break;
    }
    case 'Event': {
      const io = obj.involvedObject ?? {};
      set['involvedObject.kind'] = str(io.kind);
      set['involvedObject.namespace'] = str(io.namespace);
      set['involvedObject.name'] = str(io.name);
      set['involvedObject.uid'] = str(io.uid);
      set['involvedObject.apiVersion'] = str(io.apiVersion);
      set['involvedObject.resourceVersion'] = str(io.resourceVersion);
      set['involvedObject.fieldPath'] = str(io.fieldPath);
      set.reason = str(obj.reason);
      set.reportingComponent = str(obj.reportingComponent);
      set.source = str(obj.source?.component) || str(obj.reportingComponent);
      set.type = str(obj.type);
      break;
    }
    case 'Node':
      set['spec.unschedulable'] = spec.unschedulable ? 'true' : 'false';
      break;
    case 'Namespace':
      set['status.phase'] = str(status.phase);
      break;
    case 'Secret':
      set.type = str(obj.type);
      break;
    case 'Service':
      set['spec.clusterIP'] = str(spec.clusterIP);
      set['spec.type'] = str(spec.type);
      break;
    case 'ReplicaSet':
    case 'ReplicationController':
      set['status.replicas'] = String(Number(status.replicas ?? 0));
      break;
    case 'Job':
      set['status.successful'] = String(Number(status.succeeded ?? 0));
      break;
    case 'CertificateSigningRequest':
      set['spec.signerName'] = str(spec.signerName);
      break;
  }
  return set;
}

/**
 * Checks that every field of `selector` is selectable on `kind`, throwing errors.badRequest with kube's text
 * (`field label not supported: spec.foo`, or for kinds with only the default fields
 * `"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"`).
 * Call it once per request (a real server fails even when the list is empty).
 */
export function checkFieldSelector(selector: FieldSelector, kind: string): void {
  const supported = SUPPORTED_FIELDS[kind];
  for (const r of selector.requirements) {
    if (supported) {
      if (!supported.includes(r.field)) throw errors.badRequest(`field label not supported: ${r.field}`);
    } else if (!DEFAULT_FIELDS.includes(r.field)) {
      throw errors.badRequest(`"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
  }
}

/** Whether `obj` of kind `kind` matches `selector`; throws errors.badRequest for fields the kind does not support. */
export function matchFields(selector: FieldSelector, kind: string, obj: KObject): boolean {
  if (selector.empty()) return true;
  checkFieldSelector(selector, kind);
  // `spec.host` is the old name of spec.nodeName on pods
  const reqs = kind === 'Pod'
    ? selector.requirements.map((r) => (r.field === 'spec.host' ? { ...r, field: 'spec.nodeName' } : r))
    : selector.requirements;
  const set = fieldSetFor(kind, obj) ?? {};
  return reqs.every((r) => {
    const v = Object.prototype.hasOwnProperty.call(set, r.field) ? set[r.field] : '';
    return r.operator === '!=' ? v !== r.value : v === r.value;
  });
}
