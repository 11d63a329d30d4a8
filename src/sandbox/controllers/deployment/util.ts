/**
 * Deployment helpers: the pod-template hash, revision and replica annotations, maxSurge /
 * maxUnavailable arithmetic, conditions and the progress checks, written after kube's
 * deployment util behaviour.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KObject } from '../../apiserver/types.js';
import { rfc3339 } from '../../clock.js';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** deployment annotations that are not copied to its ReplicaSets */
const SKIPPED_ANNOTATIONS = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);
/** the revision-history annotation is kept below this many characters */
const MAX_REV_HISTORY_CHARS = 2000;

// condition reasons
export const NEW_RS_REASON = 'NewReplicaSetCreated';
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
export const RS_UPDATED_REASON = 'ReplicaSetUpdated';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const PAUSED_REASON = 'DeploymentPaused';
export const RESUMED_REASON = 'DeploymentResumed';
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError';
export const MIN_AVAILABLE_REASON = 'MinimumReplicasAvailable';
export const MIN_UNAVAILABLE_REASON = 'MinimumReplicasUnavailable';

/** the largest int32: progressDeadlineSeconds of this value means "no deadline" */
const MAX_INT32 = 2147483647;

// ------------------------------------------------------------------ hashing

/** the alphabet kube uses for names derived from numbers (no vowels, no look-alikes) */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as Record<string, unknown>).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The pod-template-hash: FNV-32a of the template (plus the collision count), its decimal form
 * safe-encoded, so it is 9–10 characters from the safe alphabet like kube's (e.g. `5d4f8b9c7`).
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncode(String(h));
}

function plain<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** two pod templates are the same apart from the pod-template-hash label */
export function equalIgnoreHash(a: KObject | undefined, b: KObject | undefined): boolean {
  const strip = (t: KObject | undefined) => {
    const c = plain(t ?? {}) as Record<string, any>;
    c.metadata ??= {};
    if (c.metadata.labels) {
      delete c.metadata.labels[POD_TEMPLATE_HASH];
      if (!Object.keys(c.metadata.labels).length) delete c.metadata.labels;
    }
    if (c.metadata.annotations && !Object.keys(c.metadata.annotations).length) delete c.metadata.annotations;
    if (c.metadata.creationTimestamp === null) delete c.metadata.creationTimestamp;
    return c;
  };
  return isDeepStrictEqual(strip(a), strip(b));
}

// ------------------------------------------------------------------ replicas arithmetic

/** an IntOrString scaled against `total` (percentages round up or down) */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const s = String(v);
  if (s.endsWith('%')) {
    const pct = parseInt(s.slice(0, -1), 10);
    if (Number.isNaN(pct)) return 0;
    const x = (pct * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  const n = parseInt(s, 10);
  return Number.isNaN(n) ? 0 : n;
}

export function replicasOf(o: KObject | undefined): number {
  return o?.spec?.replicas ?? 0;
}

export function isRollingUpdate(d: KObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** maxSurge rounds up, maxUnavailable down; both 0 would stall, so maxUnavailable becomes 1 */
export function resolveFenceposts(d: KObject): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const desired = replicasOf(d);
  const surge = scaledValue(ru.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(ru.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: KObject): number {
  if (!isRollingUpdate(d)) return 0;
  return resolveFenceposts(d).surge;
}

export function maxUnavailable(d: KObject): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, replicasOf(d));
}

export function sumSpec(rss: (KObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
}

export function sumStatus(rss: (KObject | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs?.status?.[field] ?? 0), 0);
}

/** how many replicas the new RS may have now (rolling: within maxSurge; recreate: all) */
export function newRSNewReplicas(d: KObject, allRSs: KObject[], newRS: KObject): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const current = sumSpec(allRSs);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, Math.max(0, replicasOf(d) - replicasOf(newRS)));
  return replicasOf(newRS) + up;
}

function created(o: KObject): number {
  const t = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/** oldest first (ties by name) */
export function byCreation(a: KObject, b: KObject): number {
  return created(a) - created(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

export function activeReplicaSets(rss: (KObject | undefined)[]): KObject[] {
  return rss.filter((rs): rs is KObject => !!rs && replicasOf(rs) > 0);
}

/** the one RS to scale when only one is active (or none: the newest) */
export function findActiveOrLatest(newRS: KObject | undefined, oldRSs: KObject[]): KObject | undefined {
  if (!newRS && !oldRSs.length) return undefined;
  const sorted = [...oldRSs].sort(byCreation).reverse();
  const active = activeReplicaSets([newRS, ...oldRSs]);
  if (active.length === 0) return newRS ?? sorted[0];
  if (active.length === 1) return active[0];
  return undefined;
}

// ------------------------------------------------------------------ annotations

export function revisionOf(rs: KObject): number {
  const n = parseInt(rs.metadata.annotations?.[REVISION] ?? '', 10);
  return Number.isNaN(n) ? 0 : n;
}

export function maxRevision(rss: KObject[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

function intAnnotation(rs: KObject, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  const n = parseInt(v, 10);
  return Number.isNaN(n) ? undefined : n;
}

export const desiredReplicasAnnotation = (rs: KObject) => intAnnotation(rs, DESIRED_REPLICAS);
export const maxReplicasAnnotation = (rs: KObject) => intAnnotation(rs, MAX_REPLICAS);

/** set desired-replicas / max-replicas; true when something changed */
export function setReplicasAnnotations(rs: KObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) {
    a[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS] !== String(max)) {
    a[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

/** carry the deployment's own annotations (change-cause …) over to the RS */
function copyDeploymentAnnotations(d: KObject, rs: KObject): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED_ANNOTATIONS.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/**
 * Annotate the new RS: deployment annotations, the revision (bumped when it is lower, remembering
 * the earlier revision in revision-history: a rollback to this RS), replica annotations when it
 * is about to be created. True when something changed.
 */
export function setNewReplicaSetAnnotations(d: KObject, rs: KObject, newRevision: string, exists: boolean): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const oldRevision = a[REVISION];
  const oldN = oldRevision === undefined ? 0 : parseInt(oldRevision, 10);
  const newN = parseInt(newRevision, 10);
  if (Number.isNaN(oldN) || oldN < newN) {
    a[REVISION] = newRevision;
    changed = true;
    if (oldRevision !== undefined && oldRevision !== '') {
      const hist = a[REVISION_HISTORY];
      if (!hist) a[REVISION_HISTORY] = oldRevision;
      else {
        const parts = hist.split(',');
        parts.push(oldRevision);
        while (parts.join(',').length > MAX_REV_HISTORY_CHARS && parts.length > 1) parts.shift();
        a[REVISION_HISTORY] = parts.join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

export function setDeploymentRevision(d: KObject, revision: string | undefined): boolean {
  if (!revision) return false;
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION] === revision) return false;
  a[REVISION] = revision;
  return true;
}

// ------------------------------------------------------------------ conditions

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now: number): Condition {
  const ts = rfc3339(now);
  return { type, status, lastUpdateTime: ts, lastTransitionTime: ts, reason, message };
}

export function getCondition(status: Record<string, any> | undefined, type: string): Condition | undefined {
  return (status?.conditions as Condition[] | undefined)?.find((c) => c.type === type);
}

/** set a condition; the same status and reason is a no-op; the same status keeps lastTransitionTime */
export function setCondition(status: Record<string, any>, cond: Condition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  if (cur && cur.status === cond.status) cond = { ...cond, lastTransitionTime: cur.lastTransitionTime };
  status.conditions = [...((status.conditions as Condition[] | undefined) ?? []).filter((c) => c.type !== cond.type), cond];
}

export function removeCondition(status: Record<string, any>, type: string): void {
  if (!Array.isArray(status.conditions)) return;
  status.conditions = (status.conditions as Condition[]).filter((c) => c.type !== type);
}

export function hasProgressDeadline(d: KObject): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== null && s !== MAX_INT32;
}

/** all replicas updated and available, and the latest spec observed */
export function deploymentComplete(d: KObject, s: Record<string, any>): boolean {
  const want = replicasOf(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want
    && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** did the new status move forward compared with the deployment's current one */
export function deploymentProgressing(d: KObject, s: Record<string, any>): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld
    || (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

export function deploymentTimedOut(d: KObject, s: Record<string, any>, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (c.reason === TIMED_OUT_REASON) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + d.spec.progressDeadlineSeconds * 1000 < now;
}

/** the status as written: zero counters left out (omitempty) */
export function normalizeDeploymentStatus(s: Record<string, any> | undefined): Record<string, any> {
  const out: Record<string, any> = plain(s ?? {});
  for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) if (!out[k]) delete out[k];
  if (out.collisionCount === undefined || out.collisionCount === null) delete out.collisionCount;
  if (Array.isArray(out.conditions) && !out.conditions.length) delete out.conditions;
  return out;
}
