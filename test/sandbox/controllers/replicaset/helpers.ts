/** Helpers for workload-controller tests: pods of a selector, simulated readiness, events. */
import { rfc3339 } from '../../../../src/sandbox/clock.js';
import type { KObject } from '../../../../src/sandbox/apiserver/types.js';
import type { TestSandbox } from '../../../helpers/sandbox.js';

export function podType(t: TestSandbox) {
  return t.sandbox.registry.forKind('', 'Pod')!;
}

/** live (not terminating) pods in `ns` carrying all `labels` */
export function podsWith(t: TestSandbox, labels: Record<string, string>, ns = 'default', opts: { terminating?: boolean } = {}): KObject[] {
  return t.sandbox.store.list(podType(t), ns).items.filter((p) =>
    Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v) && (opts.terminating || !p.metadata.deletionTimestamp));
}

export function controllerOf(p: KObject): string | undefined {
  const r = p.metadata.ownerReferences?.find((o) => o.controller);
  return r ? `${r.kind}/${r.name}` : undefined;
}

/** what the kubelet would report for a running pod; `ready: false` keeps it Running but not ready */
export async function markRunning(t: TestSandbox, pod: KObject, opts: { ready?: boolean; node?: string; restarts?: number } = {}): Promise<KObject> {
  const rt = podType(t);
  const store = t.sandbox.store;
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  let cur = store.get(rt, ns, name);
  if (!cur.spec?.nodeName) cur = await store.bind(rt, ns, name, opts.node ?? 'kind-worker');
  const now = rfc3339(t.clock.now());
  const ready = opts.ready ?? true;
  const containers: { name: string; image: string }[] = cur.spec.containers ?? [];
  return store.guaranteedUpdate(rt, ns, name, (p) => ({
    ...p,
    status: {
      ...(p.status ?? {}),
      phase: 'Running',
      podIP: '10.244.1.10',
      startTime: p.status?.startTime ?? now,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now },
      ],
      containerStatuses: containers.map((c) => ({
        name: c.name, image: c.image, imageID: '', ready, restartCount: opts.restarts ?? 0, started: true,
        state: { running: { startedAt: now } },
      })),
    },
  }), { subresource: 'status' });
}

export async function markFailed(t: TestSandbox, pod: KObject): Promise<KObject> {
  return t.sandbox.store.guaranteedUpdate(podType(t), pod.metadata.namespace!, pod.metadata.name!, (p) => ({
    ...p, status: { ...(p.status ?? {}), phase: 'Failed', reason: 'Evicted' },
  }), { subresource: 'status' });
}

/** events about an object, oldest first, as `Reason: message` */
export function eventsFor(t: TestSandbox, kind: string, name: string, ns = 'default'): string[] {
  const rt = t.sandbox.registry.forKind('', 'Event')!;
  return t.sandbox.store.list(rt, ns).items
    .filter((e) => e.involvedObject?.kind === kind && e.involvedObject?.name === name)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${e.reason}: ${e.message}`);
}

export function eventSources(t: TestSandbox, kind: string, name: string, ns = 'default'): string[] {
  const rt = t.sandbox.registry.forKind('', 'Event')!;
  return [...new Set(t.sandbox.store.list(rt, ns).items
    .filter((e) => e.involvedObject?.kind === kind && e.involvedObject?.name === name)
    .map((e) => e.source?.component as string))];
}

export const MERGE = { 'Content-Type': 'application/merge-patch+json' };
export const JSONPATCH = { 'Content-Type': 'application/json-patch+json' };
