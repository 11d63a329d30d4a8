/**
 * Pod predicates shared by the workload controllers: active / ready / available, the controller
 * ownerReference, and the order in which a controller picks pods to delete when scaling down.
 */
import type { KObject, OwnerReference } from '../../apiserver/types.js';

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

/** the ownerReference with controller: true, if any */
export function controllerRefOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** a controller ownerReference pointing at `owner` (metav1.NewControllerRef) */
export function newControllerRef(owner: KObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** not terminal and not being deleted: the pods a controller counts */
export function isPodActive(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: KObject): Condition | undefined {
  const conds: Condition[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  return conds.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: KObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** when the pod became ready (the Ready condition's lastTransitionTime), in epoch ms */
export function podReadySince(pod: KObject): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/** ready for at least minReadySeconds at `now` */
export function isPodAvailable(pod: KObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

/** every label of `template` is on `labels` with the same value */
export function labelsContain(labels: Record<string, string> | undefined, template: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(template ?? {})) if (labels?.[k] !== v) return false;
  return true;
}

function restarts(pod: KObject): number {
  const statuses: { restartCount?: number }[] = Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [];
  return statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
}

function created(pod: KObject): number {
  const t = Date.parse(pod.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? -Infinity : t;
}

const phaseOrder: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: KObject): number {
  const v = Number(pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost']);
  return Number.isFinite(v) ? v : 0;
}

/** log2 bucket of an age so that pods of similar age count as equal (LogarithmicScaleDown) */
function ageBucket(since: number | undefined, now: number): number {
  if (since === undefined) return -1;
  const age = Math.max(0, now - since);
  return age < 1000 ? 0 : Math.floor(Math.log2(age / 1000)) + 1;
}

/**
 * Order pods so that the ones to delete first come first, like kube's ActivePodsWithRanks:
 * unscheduled < scheduled; Pending < Unknown < Running; not ready < ready; lower deletion cost
 * first; pods doubled up on a node (higher rank) first; ready for less time first; more restarts
 * first; newer first.
 */
export function rankPodsForDeletion(pods: KObject[], now: number): KObject[] {
  const perNode = new Map<string, number>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const rank = (p: KObject) => (p.spec?.nodeName ? perNode.get(p.spec.nodeName) ?? 0 : 0);
  const cmp = (a: KObject, b: KObject): number => {
    const sa = a.spec?.nodeName ? 1 : 0;
    const sb = b.spec?.nodeName ? 1 : 0;
    if (sa !== sb) return sa - sb;
    const pa = phaseOrder[a.status?.phase ?? 'Pending'] ?? 0;
    const pb = phaseOrder[b.status?.phase ?? 'Pending'] ?? 0;
    if (pa !== pb) return pa - pb;
    const ra = isPodReady(a) ? 1 : 0;
    const rb = isPodReady(b) ? 1 : 0;
    if (ra !== rb) return ra - rb;
    const ca = deletionCost(a);
    const cb = deletionCost(b);
    if (ca !== cb) return ca - cb;
    if (rank(a) !== rank(b)) return rank(b) - rank(a);
    if (ra && rb) {
      const ba = ageBucket(podReadySince(a), now);
      const bb = ageBucket(podReadySince(b), now);
      if (ba !== bb) return ba - bb;
    }
    const xa = restarts(a);
    const xb = restarts(b);
    if (xa !== xb) return xb - xa;
    const ta = created(a);
    const tb = created(b);
    if (ta !== tb) return tb - ta;
    // same second: the later name in creation order is usually the newer one; keep it stable
    return (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');
  };
  return [...pods].sort(cmp);
}
