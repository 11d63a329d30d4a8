/**
 * Helpers shared by the endpoints, EndpointSlice and EndpointSlice-mirroring controllers: which
 * pods belong in a service's endpoints, how a service port resolves to a pod port, readiness.
 * Behaviour follows kube's endpointslice util package (ShouldPodBeInEndpoints, FindPort, IsPodReady).
 */
import type { ResourceType } from '../../apiserver/resource.js';
import type { Store } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import { selectorFromMap } from '../../apiserver/selectors/labels.js';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const ANNOTATION_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const ANNOTATION_LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const ANNOTATION_LEADER = 'control-plane.alpha.kubernetes.io/leader';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';

/** the services a controller manages endpoints for: a (non-empty) selector, and not ExternalName */
export function selectorOf(svc: KObject | undefined): Record<string, string> | undefined {
  const sel = svc?.spec?.selector;
  if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) return undefined;
  return sel as Record<string, string>;
}

export function hasSelector(svc: KObject | undefined): boolean {
  return selectorOf(svc) !== undefined;
}

export function selectsPod(svc: KObject, pod: KObject | undefined): boolean {
  const sel = selectorOf(svc);
  if (!sel || !pod) return false;
  return selectorFromMap(sel).matches(pod.metadata.labels ?? {});
}

/** podutil.IsPodReady: the Ready condition is True */
export function podReady(pod: KObject): boolean {
  const conds: { type?: string; status?: string }[] = pod.status?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** a pod that reached Succeeded or Failed (podutil.IsPodTerminal) */
export function podTerminal(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function podIP(pod: KObject): string | undefined {
  const ip = pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip;
  return typeof ip === 'string' && ip ? ip : undefined;
}

/** ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless that is tolerated */
export function shouldPodBeInEndpoints(pod: KObject, includeTerminating: boolean): boolean {
  if (podTerminal(pod)) return false;
  if (!podIP(pod)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: the pod's subdomain names this service */
export function shouldSetHostname(pod: KObject, svc: KObject): boolean {
  return !!pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  appProtocol?: string;
}

/**
 * FindPort: a numeric targetPort is used as is; a named one is looked up among the pod's
 * container ports (and restartable init containers) with the same protocol. Undefined when the
 * pod has no such port.
 */
export function findPort(pod: KObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  const protocol = sp.protocol ?? 'TCP';
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers: { ports?: { name?: string; containerPort?: number; protocol?: string }[]; restartPolicy?: string }[] = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []).filter((c: { restartPolicy?: string }) => c.restartPolicy === 'Always'),
  ];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol && typeof p.containerPort === 'number') return p.containerPort;
    }
  }
  return undefined;
}

/** RFC 3339 with fractional seconds trimmed like Go's time.RFC3339Nano */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** utilrand.String(n) drawn from the controller's seeded random source */
export function randomSuffix(random: () => number, n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += nameAlphabet[Math.floor(random() * nameAlphabet.length)];
  return s;
}

/** order-insensitive deep comparison of JSON values (arrays compared as multisets of canonical forms) */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).sort().join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  return canonical(a ?? {}) === canonical(b ?? {});
}

export function nsKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

export function isNotFound(err: unknown): boolean {
  return (err as { code?: number })?.code === 404;
}

export function isConflictOrGone(err: unknown): boolean {
  const code = (err as { code?: number })?.code;
  return code === 404 || code === 409 || code === 403;
}

/** the services (in the pod's namespace) that select a pod now or selected it before a change */
export function servicesSelecting(store: Store, svcType: ResourceType, pod: KObject, old: KObject | undefined): KObject[] {
  return store.list(svcType, pod.metadata.namespace).items.filter((svc) => selectsPod(svc, pod) || selectsPod(svc, old));
}

export interface SlicePlanOptions<W extends { ports?: unknown[] }> {
  store: Store;
  sliceType: ResourceType;
  namespace: string;
  /** the controller's current slices for this service */
  existing: KObject[];
  /** the slices wanted, one entry per slice */
  plan: W[];
  /** the object to write for `want`, reusing `slice` when there is one */
  body: (slice: KObject | undefined, want: W) => KObject;
  /** is `slice` already what `body` would write? */
  same: (slice: KObject, body: KObject) => boolean;
  fieldManager: string;
  /** sync again later (a conflict, a name clash) */
  requeue: () => void;
}

/**
 * Bring a service's slices to `plan`: planned slices take over existing ones with the same port
 * set, then any left over; the rest are created, and unused ones deleted. Returns false when it
 * stopped early (namespace terminating, name clash) and the sync should not count as done.
 */
export async function applySlicePlan<W extends { ports?: unknown[] }>(o: SlicePlanOptions<W>): Promise<boolean> {
  const unused = [...o.existing].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const assignments: { slice?: KObject; want: W }[] = [];
  for (const want of o.plan) {
    const pk = canonical(want.ports ?? []);
    const i = unused.findIndex((s) => canonical(s.ports ?? []) === pk);
    assignments.push({ slice: i >= 0 ? unused.splice(i, 1)[0] : undefined, want });
  }
  for (const a of assignments) if (!a.slice && unused.length) a.slice = unused.shift();

  for (const { slice, want } of assignments) {
    const body = o.body(slice, want);
    if (slice) {
      if (o.same(slice, body)) continue;
      await o.store.update(o.sliceType, o.namespace, slice.metadata.name!, body, { fieldManager: o.fieldManager }).catch((err) => {
        if (isNotFound(err) || (err as { code?: number }).code === 409) return o.requeue();
        throw err;
      });
    } else {
      try {
        await o.store.create(o.sliceType, o.namespace, body, { fieldManager: o.fieldManager });
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 403) return false; // namespace terminating
        if (code === 409) {
          o.requeue(); // name clash: try another suffix
          return false;
        }
        throw err;
      }
    }
  }
  for (const s of unused) await deleteIgnoringNotFound(o.store, o.sliceType, s);
  return true;
}

export async function deleteIgnoringNotFound(store: Store, rt: ResourceType, obj: KObject): Promise<void> {
  await store.delete(rt, obj.metadata.namespace, obj.metadata.name!).catch((err) => {
    if (!isNotFound(err)) throw err;
  });
}
