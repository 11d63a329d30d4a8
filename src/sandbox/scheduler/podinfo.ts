/** Building PodInfo / NodeInfo values from API objects. */
import type { KObject } from '../apiserver/types.js';
import { add, emptyResources, nodeAllocatable, podRequests } from './resources.js';
import type { HostPort, NodeInfo, PodInfo, Taint } from './types.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function podKey(pod: KObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

function hostPorts(pod: KObject): HostPort[] {
  const out: HostPort[] = [];
  const spec = pod.spec ?? {};
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const p of c?.ports ?? []) {
      if (!p?.hostPort || p.hostPort <= 0) continue;
      out.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', hostPort: p.hostPort });
    }
  }
  return out;
}

export function podInfo(pod: KObject): PodInfo {
  const spec = pod.spec ?? {};
  const nonZero = podRequests(pod, true);
  const na = spec.affinity?.nodeAffinity;
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
  return {
    pod,
    key: podKey(pod),
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    requests: podRequests(pod),
    nonZero: { milliCPU: nonZero.milliCPU, memory: nonZero.memory },
    tolerations: Array.isArray(spec.tolerations) ? spec.tolerations : [],
    nodeSelector: spec.nodeSelector ?? {},
    requiredTerms: na?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    preferredTerms: Array.isArray(na?.preferredDuringSchedulingIgnoredDuringExecution) ? na.preferredDuringSchedulingIgnoredDuringExecution : [],
    hostPorts: hostPorts(pod),
    ownerUid: owner?.uid,
    priority: typeof spec.priority === 'number' ? spec.priority : 0,
    preemptionPolicy: spec.preemptionPolicy ?? 'PreemptLowerPriority',
    terminating: !!pod.metadata.deletionTimestamp,
  };
}

/** a pod that no longer holds resources on its node */
export function isTerminal(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * The taints the scheduler sees. A node whose Ready condition is not True gets the NoSchedule
 * taint the node lifecycle controller adds (TaintNodesByCondition) if it is not there yet:
 * not-ready for Ready=False, unreachable for Unknown or no condition.
 */
export function effectiveTaints(node: KObject): Taint[] {
  const taints: Taint[] = Array.isArray(node.spec?.taints) ? [...node.spec.taints] : [];
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (ready?.status !== 'True') {
    const key = ready?.status === 'False' ? TAINT_NOT_READY : TAINT_UNREACHABLE;
    if (!taints.some((t) => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, effect: 'NoSchedule' });
  }
  return taints;
}

/** a NodeInfo for `node` with `pods` assigned to it */
export function nodeInfo(node: KObject, pods: PodInfo[]): NodeInfo {
  const { allocatable, pods: allowed } = nodeAllocatable(node);
  let requested = emptyResources();
  const nonZeroRequested = { milliCPU: 0, memory: 0 };
  const usedPorts: HostPort[] = [];
  for (const p of pods) {
    requested = add(requested, p.requests);
    nonZeroRequested.milliCPU += p.nonZero.milliCPU;
    nonZeroRequested.memory += p.nonZero.memory;
    usedPorts.push(...p.hostPorts);
  }
  return {
    name: node.metadata.name!,
    node,
    labels: node.metadata.labels ?? {},
    unschedulable: node.spec?.unschedulable === true,
    taints: effectiveTaints(node),
    allocatable,
    allowedPodNumber: allowed,
    pods,
    requested,
    nonZeroRequested,
    usedPorts,
  };
}
