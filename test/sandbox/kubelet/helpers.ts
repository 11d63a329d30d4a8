import { Writable } from 'node:stream';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { startKubelets, type Kubelets } from '../../../src/sandbox/kubelet/index.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

export const WORKER = 'kube-tutor-worker';

export interface KT extends TestSandbox {
  kubelets: Kubelets;
  createPod(name: string, spec: Record<string, unknown>, node?: string): Promise<KObject>;
  pod(name: string): KObject | undefined;
  events(name: string): string[];
  logs(pod: string, opts?: Record<string, unknown>): Promise<string>;
  advance(ms: number): Promise<void>;
}

export async function startKubeletSandbox(): Promise<KT> {
  const t = await startTestSandbox({ controllers: false, seed: 42 });
  const kubelets = startKubelets(t.sandbox.ctx, { profile: 'fast' });
  t.sandbox.add(kubelets);
  const { store, registry } = t.sandbox;
  const podRT = registry.forKind('', 'Pod')!;
  const eventRT = registry.forKind('', 'Event')!;
  return {
    ...t,
    kubelets,
    createPod: (name, spec, node = WORKER) =>
      store.create(podRT, 'default', { metadata: { name }, spec: { nodeName: node, ...spec } }, {}),
    pod: (name) => store.tryGet(podRT, 'default', name),
    events: (name) => store.list(eventRT, 'default').items
      .filter((e) => e.involvedObject.name === name)
      .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
      .map((e) => `${e.reason}: ${e.message}`),
    logs: async (pod, opts = {}) => {
      let text = '';
      const out = new Writable({ write(chunk, _enc, cb) { text += chunk.toString(); cb(); } });
      await kubelets.runtime.logs('default', pod, { container: '', ...opts }, out, new AbortController().signal);
      return text;
    },
    advance: async (ms) => {
      await t.clock.advance(ms);
      await kubelets.idle();
      await t.clock.settle();
    },
  };
}
