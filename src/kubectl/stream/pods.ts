/**
 * Which pod a streaming command talks to: `POD`, `pod/NAME`, or a controller/service given as
 * `TYPE/NAME` (its selector's pods, the most suitable first — kubectl's orderings: the pod most
 * worth reading logs from for `logs`, the most active one for exec/attach/port-forward), and which
 * container (-c, the default-container annotation, else the first with a "Defaulted container" note).
 */
import type { ApiClient } from '../client/api.js';
import { KubectlError, ServerError } from '../client/errors.js';
import { groupResource, type ApiResource } from '../resource/discovery.js';

export type PodOrdering = 'logging' | 'active';

/** the Go type kubectl names in "cannot attach to *v1.Service" */
export function goTypeName(r: ApiResource, obj?: any): string {
  const v = r.version;
  return `*${v}.${obj?.kind ?? r.kind}`;
}

/** `key=value,…` from a selector (map or LabelSelector); undefined when the object has none */
export function selectorOf(obj: any): string | undefined {
  const kind = obj?.kind;
  const spec = obj?.spec ?? {};
  if (kind === 'Service' || kind === 'ReplicationController') {
    const m = spec.selector as Record<string, string> | undefined;
    if (!m || !Object.keys(m).length) return undefined;
    return Object.entries(m)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  const sel = spec.selector;
  if (!sel) return undefined;
  const parts: string[] = [];
  for (const [k, v] of Object.entries((sel.matchLabels ?? {}) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${vals})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${vals})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.length ? parts.join(',') : undefined;
}

function isReady(p: any): boolean {
  return (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

function readyTime(p: any): number {
  const c = (p.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
}

function maxRestarts(p: any): number {
  let m = 0;
  for (const s of p.status?.containerStatuses ?? []) m = Math.max(m, s.restartCount ?? 0);
  return m;
}

function created(p: any): number {
  return p.metadata?.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : 0;
}

/** t1 after t2, a zero time counting as after everything */
function afterOrZero(t1: number, t2: number): boolean {
  if (!t1 || !t2) return !t1;
  return t1 > t2;
}

/** podutils.ByLogging: is a more suitable than b for reading logs */
function lessLogging(a: any, b: any): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return na.length > 0;
  const rank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
  const pa = rank[a.status?.phase] ?? 0;
  const pb = rank[b.status?.phase] ?? 0;
  if (pa !== pb) return pa < pb;
  if (isReady(a) !== isReady(b)) return isReady(a);
  if (isReady(a) && isReady(b)) {
    const ta = readyTime(a);
    const tb = readyTime(b);
    if (ta !== tb) return afterOrZero(tb, ta);
  }
  const ra = maxRestarts(a);
  const rb = maxRestarts(b);
  if (ra !== rb) return ra > rb;
  const ca = created(a);
  const cb = created(b);
  if (ca !== cb) return afterOrZero(cb, ca);
  return false;
}

/** podutils.ActivePods: is a less active than b (kubectl reverses the order) */
function lessActive(a: any, b: any): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return na.length === 0;
  const rank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const pa = rank[a.status?.phase] ?? 0;
  const pb = rank[b.status?.phase] ?? 0;
  if (pa !== pb) return pa < pb;
  if (isReady(a) !== isReady(b)) return !isReady(a);
  if (isReady(a) && isReady(b)) {
    const ta = readyTime(a);
    const tb = readyTime(b);
    if (ta !== tb) return afterOrZero(ta, tb);
  }
  const ra = maxRestarts(a);
  const rb = maxRestarts(b);
  if (ra !== rb) return ra > rb;
  const ca = created(a);
  const cb = created(b);
  if (ca !== cb) return afterOrZero(ca, cb);
  return false;
}

/** the first pod under kubectl's ordering (insertion order kept for ties) */
export function firstPod(pods: any[], ordering: PodOrdering): any {
  const less = ordering === 'logging' ? lessLogging : (a: any, b: any) => lessActive(b, a);
  let best = pods[0];
  for (const p of pods.slice(1)) if (less(p, best)) best = p;
  return best;
}

export interface PodTarget {
  pod: any;
  /** how many pods the selector matched (for `Found N pods, using pod/x`) */
  matched: number;
  /** the resource the user named (for messages) */
  resource: ApiResource;
}

/**
 * The pod for a `POD` or `TYPE/NAME` argument. `verb` words the "cannot …" error
 * (`attach to` for exec/attach/port-forward, `get the logs from` for logs).
 */
export async function podFor(
  client: ApiClient,
  namespace: string,
  arg: string,
  opts: { ordering: PodOrdering; verb: string; notFound?: (e: ServerError, r: ApiResource, name: string) => Error; timeoutMs?: number; signal?: AbortSignal },
): Promise<PodTarget> {
  const slash = arg.indexOf('/');
  const typeWord = slash >= 0 ? arg.slice(0, slash) : 'pods';
  const name = slash >= 0 ? arg.slice(slash + 1) : arg;
  const resource = await client.discovery.resolve(typeWord);
  let obj: any;
  try {
    obj = await client.get(resource, namespace, name);
  } catch (e) {
    if (e instanceof ServerError && e.reason === 'NotFound' && opts.notFound) throw opts.notFound(e, resource, name);
    throw e;
  }
  if (resource.group === '' && resource.resource === 'pods') return { pod: obj, matched: 1, resource };
  const kind = obj.kind ?? resource.kind;
  const supported = ['Service', 'ReplicationController', 'ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job'];
  if (!supported.includes(kind)) throw new KubectlError(`cannot ${opts.verb} ${goTypeName(resource, obj)}: selector for ${goTypeName(resource, obj)} not implemented`);
  const selector = selectorOf(obj);
  if (!selector) {
    if (kind === 'Service') throw new KubectlError(`cannot ${opts.verb} ${goTypeName(resource, obj)}: invalid service '${name}': Service is defined without a selector`);
    throw new KubectlError(`cannot ${opts.verb} ${goTypeName(resource, obj)}: invalid label selector`);
  }
  const podsRes = await client.discovery.resolve('pods');
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const list = await client.list(podsRes, namespace, { labelSelector: selector });
    const pods: any[] = (list.items ?? []).map((p: any) => ({ kind: 'Pod', apiVersion: 'v1', ...p }));
    if (pods.length) return { pod: firstPod(pods, opts.ordering), matched: pods.length, resource };
    if (Date.now() >= deadline || opts.signal?.aborted) throw new KubectlError('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function groupResourceOf(r: ApiResource): string {
  return groupResource(r);
}

export interface ContainerChoice {
  name: string;
  /** `Defaulted container "a" out of: a, b, init (init)` when kubectl prints it */
  note?: string;
}

/** all container names of a pod: containers, then init, then ephemeral */
export function allContainerNames(pod: any): string[] {
  return [
    ...(pod.spec?.containers ?? []).map((c: any) => c.name),
    ...(pod.spec?.initContainers ?? []).map((c: any) => c.name),
    ...(pod.spec?.ephemeralContainers ?? []).map((c: any) => c.name),
  ];
}

/** the container kubectl picks when -c is not given */
export function defaultContainer(pod: any): ContainerChoice {
  const containers: any[] = pod.spec?.containers ?? [];
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && allContainerNames(pod).includes(annotated)) return { name: annotated };
  const first = containers[0]?.name ?? '';
  const total = containers.length + (pod.spec?.initContainers ?? []).length + (pod.spec?.ephemeralContainers ?? []).length;
  if (total <= 1) return { name: first };
  const names = [
    ...containers.map((c) => c.name),
    ...(pod.spec?.initContainers ?? []).map((c: any) => `${c.name} (init)`),
    ...(pod.spec?.ephemeralContainers ?? []).map((c: any) => `${c.name} (ephem)`),
  ];
  return { name: first, note: `Defaulted container "${first}" out of: ${names.join(', ')}` };
}
