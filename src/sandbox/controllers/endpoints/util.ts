/**
 * Helpers shared by the endpoints, EndpointSlice and EndpointSlice-mirroring controllers: which
 * pods belong in a service's endpoints, how a service port resolves to a pod port, readiness.
 * Behaviour follows kube's endpointslice util package (ShouldPodBeInEndpoints, FindPort, IsPodReady).
 */
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
