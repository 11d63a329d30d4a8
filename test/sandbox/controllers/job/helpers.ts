/** Shared helpers for the workload-controller tests: store access and a simulated kubelet. */
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import type { ResourceType } from '../../../../src/sandbox/apiserver/resource.js';
import type { KObject } from '../../../../src/sandbox/apiserver/types.js';
import { rfc3339 } from '../../../../src/sandbox/clock.js';

export interface Env {
  t: TestSandbox;
  rt(group: string, kind: string): ResourceType;
  create(group: string, kind: string, obj: KObject, ns?: string): Promise<KObject>;
  get(group: string, kind: string, name: string, ns?: string): KObject | undefined;
  list(group: string, kind: string, ns?: string): KObject[];
  pods(filter?: (p: KObject) => boolean): KObject[];
  events(reason?: string): KObject[];
  /** let watches, queues and due timers run until nothing moves */
  settle(): Promise<void>;
  advance(ms: number): Promise<void>;
  /** the kubelet: write a pod's phase (with container states) */
  setPhase(pod: KObject, phase: 'Running' | 'Succeeded' | 'Failed', opts?: { ready?: boolean; restartCount?: number; exitCode?: number }): Promise<KObject>;
  close(): Promise<void>;
}

export async function env(): Promise<Env> {
  const t = await startTestSandbox({ controllers: false, seed: 42 });
  const store = t.sandbox.store;
  const rt = (group: string, kind: string) => t.sandbox.registry.forKind(group, kind)!;
  const settle = async () => {
    for (let i = 0; i < 8; i++) await t.clock.settle();
  };
  return {
    t, rt,
    create: (group, kind, obj, ns = 'default') => store.create(rt(group, kind), rt(group, kind).namespaced ? ns : undefined, obj),
    get: (group, kind, name, ns = 'default') => store.tryGet(rt(group, kind), rt(group, kind).namespaced ? ns : undefined, name),
    list: (group, kind, ns = 'default') => store.list(rt(group, kind), rt(group, kind).namespaced ? ns : undefined).items,
    pods: (filter) => store.list(rt('', 'Pod'), 'default').items.filter((p) => !filter || filter(p)),
    events: (reason) => store.list(rt('', 'Event'), 'default').items.filter((e) => !reason || e.reason === reason),
    settle,
    advance: async (ms) => {
      await t.clock.advance(ms);
      await settle();
    },
    setPhase: async (pod, phase, opts = {}) => {
      const now = rfc3339(t.clock.now());
      const name = pod.spec?.containers?.[0]?.name ?? 'main';
      const state = phase === 'Running'
        ? { running: { startedAt: now } }
        : { terminated: { exitCode: opts.exitCode ?? (phase === 'Succeeded' ? 0 : 1), reason: phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: now, finishedAt: now } };
      const ready = phase === 'Running' && opts.ready !== false;
      const out = await store.guaranteedUpdate(rt('', 'Pod'), pod.metadata.namespace, pod.metadata.name!, (p) => ({
        ...p,
        status: {
          ...(p.status ?? {}),
          phase,
          conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now }],
          containerStatuses: [{ name, ready, restartCount: opts.restartCount ?? 0, state, image: 'x', imageID: '', started: phase === 'Running' }],
        },
      }), { subresource: 'status' });
      await settle();
      return out;
    },
    close: () => t.close(),
  };
}

export function podTemplate(labels: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'luksa/batch-job' }], ...extra } };
}
