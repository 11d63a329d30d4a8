/** Pod requests and node allocatable as numbers (pkg/api/v1/resource, the scheduler's Resource). */
import type { KObject } from '../apiserver/types.js';
import { parseQuantity } from '../validation/quantity.js';
import type { Resources } from './types.js';

/** the request kube-scheduler assumes for a container without one when scoring */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type ResourceList = Record<string, unknown> | undefined;

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} };
}

function quantity(q: unknown): number {
  const r = parseQuantity(q);
  return 'value' in r ? r.value : 0;
}

/** MilliValue rounds up, like resource.Quantity */
function milli(q: unknown): number {
  return Math.ceil(quantity(q) * 1000 - 1e-9);
}

/** the resources of a ResourceList (requests or allocatable) */
export function resourcesOf(list: ResourceList): Resources {
  const r = emptyResources();
  for (const [name, q] of Object.entries(list ?? {})) {
    if (name === 'cpu') r.milliCPU = milli(q);
    else if (name === 'memory') r.memory = Math.ceil(quantity(q));
    else if (name === 'ephemeral-storage') r.ephemeralStorage = Math.ceil(quantity(q));
    else if (name === 'pods') continue;
    else if (isScalarResource(name)) r.scalar[name] = Math.ceil(quantity(q));
  }
  return r;
}

/** extended (domain-prefixed) resources, hugepages and attachable volumes */
export function isScalarResource(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  return name.includes('/') && !name.startsWith('requests.');
}

export function add(a: Resources, b: Resources): Resources {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = (scalar[k] ?? 0) + v;
  return { milliCPU: a.milliCPU + b.milliCPU, memory: a.memory + b.memory, ephemeralStorage: a.ephemeralStorage + b.ephemeralStorage, scalar };
}

function max(a: Resources, b: Resources): Resources {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = Math.max(scalar[k] ?? 0, v);
  return {
    milliCPU: Math.max(a.milliCPU, b.milliCPU), memory: Math.max(a.memory, b.memory),
    ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage), scalar,
  };
}

interface Container {
  resources?: { requests?: ResourceList };
  restartPolicy?: string;
}

/**
 * The effective requests of a pod: the containers' sum; init containers run one at a time, each
 * next to the sidecars (restartPolicy Always init containers) started before it, so the pod needs
 * the larger of the two; plus spec.overhead. `nonZero` applies the scoring defaults per container.
 */
export function podRequests(pod: KObject, nonZero = false): Resources {
  const spec = pod.spec ?? {};
  const containerReqs = (c: Container): Resources => {
    const r = resourcesOf(c?.resources?.requests);
    if (nonZero) {
      const req = c?.resources?.requests ?? {};
      if (req.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
      if (req.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
    }
    return r;
  };
  let reqs = emptyResources();
  for (const c of (spec.containers ?? []) as Container[]) reqs = add(reqs, containerReqs(c));
  let sidecars = emptyResources();
  let initMax = emptyResources();
  for (const c of (spec.initContainers ?? []) as Container[]) {
    let r = containerReqs(c);
    if (c?.restartPolicy === 'Always') {
      reqs = add(reqs, r);
      sidecars = add(sidecars, r);
      r = sidecars;
    } else {
      r = add(r, sidecars);
    }
    initMax = max(initMax, r);
  }
  reqs = max(reqs, initMax);
  if (spec.overhead) reqs = add(reqs, resourcesOf(spec.overhead));
  return reqs;
}

/** allocatable of a node and how many pods it takes */
export function nodeAllocatable(node: KObject): { allocatable: Resources; pods: number } {
  const alloc = node.status?.allocatable ?? {};
  return { allocatable: resourcesOf(alloc), pods: alloc.pods === undefined ? 0 : Math.floor(quantity(alloc.pods)) };
}
