/**
 * NodeResourcesFit: the pod's requests must fit in allocatable minus what the node's pods request
 * (and one more pod must be allowed); scores by least-allocated cpu/memory.
 * NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory fractions stay close.
 */
import { MAX_NODE_SCORE, unschedulable, type FilterPlugin, type NodeInfo, type PodInfo, type ScorePlugin, type Status } from '../types.js';

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** fitsRequest: every resource the node is short of, pods first, then cpu, memory, storage, extended */
export function fitsRequest(pod: Pick<PodInfo, 'requests'>, node: Pick<NodeInfo, 'allocatable' | 'allowedPodNumber' | 'requested' | 'pods'>): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  if (node.pods.length + 1 > node.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: node.pods.length, capacity: node.allowedPodNumber });
  }
  const req = pod.requests;
  const scalarNames = Object.keys(req.scalar).filter((k) => req.scalar[k] > 0).sort();
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && scalarNames.length === 0) return out;
  const alloc = node.allocatable;
  const used = node.requested;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used: used.memory, capacity: alloc.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage', reason: 'Insufficient ephemeral-storage',
      requested: req.ephemeralStorage, used: used.ephemeralStorage, capacity: alloc.ephemeralStorage,
    });
  }
  for (const name of scalarNames) {
    const a = alloc.scalar[name] ?? 0;
    const u = used.scalar[name] ?? 0;
    if (req.scalar[name] > a - u) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: req.scalar[name], used: u, capacity: a });
  }
  return out;
}

/** (allocatable - requested) / allocatable, 0–100, for one resource */
function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastAllocatedScore(pod: Pick<PodInfo, 'nonZero'>, node: Pick<NodeInfo, 'allocatable' | 'nonZeroRequested'>): number {
  const cpu = leastRequested(node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU, node.allocatable.milliCPU);
  const mem = leastRequested(node.nonZeroRequested.memory + pod.nonZero.memory, node.allocatable.memory);
  return Math.trunc((cpu + mem) / 2);
}

export function balancedAllocationScore(pod: Pick<PodInfo, 'nonZero'>, node: Pick<NodeInfo, 'allocatable' | 'nonZeroRequested'>): number {
  const frac = (req: number, cap: number) => (cap === 0 ? 0 : Math.min(1, req / cap));
  const cpu = frac(node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU, node.allocatable.milliCPU);
  const mem = frac(node.nonZeroRequested.memory + pod.nonZero.memory, node.allocatable.memory);
  const std = Math.abs(cpu - mem) / 2;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const nodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter(pod, node): Status | undefined {
    const insufficient = fitsRequest(pod, node);
    return insufficient.length ? unschedulable(...insufficient.map((r) => r.reason)) : undefined;
  },
  score(pod, nodes) {
    return nodes.map((n) => leastAllocatedScore(pod, n));
  },
};

export const nodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(pod, nodes) {
    return nodes.map((n) => balancedAllocationScore(pod, n));
  },
};
