/** Pods and services written straight into the sandbox store, with the kubelet's status simulated. */
import type { KObject } from '../../../../src/sandbox/apiserver/types.js';
import { rfc3339 } from '../../../../src/sandbox/clock.js';
import type { ControllerContext } from '../../../../src/sandbox/controllers/context.js';

export interface PodOpts {
  ip: string;
  node?: string;
  ready?: boolean;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  namespace?: string;
}

export async function createPod(ctx: ControllerContext, name: string, labels: Record<string, string>, o: PodOpts): Promise<KObject> {
  const rt = ctx.registry.forKind('', 'Pod')!;
  const ns = o.namespace ?? 'default';
  await ctx.store.create(rt, ns, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { nodeName: o.node ?? 'kube-tutor-worker', containers: [{ name: 'main', image: 'luksa/kubia', ports: o.ports ?? [{ containerPort: 8080 }] }] },
  });
  return setPodReady(ctx, name, o.ready ?? true, o.ip, ns);
}

/** what the kubelet would post: Running, the IP, Ready/ContainersReady */
export async function setPodReady(ctx: ControllerContext, name: string, ready: boolean, ip?: string, namespace = 'default'): Promise<KObject> {
  const rt = ctx.registry.forKind('', 'Pod')!;
  const ts = rfc3339(ctx.clock.now());
  return ctx.store.guaranteedUpdate(rt, namespace, name, (cur) => ({
    ...cur,
    status: {
      ...(cur.status ?? {}),
      phase: 'Running',
      podIP: ip ?? cur.status?.podIP,
      podIPs: [{ ip: ip ?? cur.status?.podIP }],
      hostIP: '172.18.0.3',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: ts },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: ts },
        { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: ts },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: ts },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ts },
      ],
    },
  }), { subresource: 'status' });
}

export async function createService(ctx: ControllerContext, name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Promise<KObject> {
  const rt = ctx.registry.forKind('', 'Service')!;
  return ctx.store.create(rt, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(labels ? { labels } : {}) }, spec });
}
