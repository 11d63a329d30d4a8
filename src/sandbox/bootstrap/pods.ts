/** Turning a (defaulted) pod spec into a running, ready Pod with a realistic status. */
import type { KObject, OwnerReference } from '../apiserver/types.js';
import { imageID, type Ctx, type NodeInfo } from './context.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ContainerUser {
  uid: number;
  gid: number;
  supplementalGroups?: number[];
}

export interface RunningPodOptions {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences: OwnerReference[];
  /** the fully defaulted pod spec (nodeName is filled in here) */
  spec: Json;
  node: NodeInfo;
  /** pod IP; the node IP for hostNetwork pods */
  podIP: string;
  /** the uid/gid the containers run as (containerStatuses[].user, reported by containerd 2.x) */
  user: ContainerUser;
  uid?: string;
}

export const SA_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The projected service account token volume the ServiceAccount admission plugin adds. */
export function serviceAccountTokenVolume(name: string): Json {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        {
          downwardAPI: {
            items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }],
          },
        },
      ],
    },
  };
}

/** Kubernetes QoS class from the containers' requests/limits (pkg/apis/core/helper/qos). */
export function qosClass(spec: Json): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers: Json[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && req[r] !== lim[r]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function runningPod(ctx: Ctx, o: RunningPodOptions): KObject {
  const spec = { ...o.spec, nodeName: o.node.name };
  const condition = (type: string) => ({ lastProbeTime: null, lastTransitionTime: ctx.ts, status: 'True', type });
  const containerStatuses = (spec.containers as Json[]).map((c) => {
    const status: Json = {
      containerID: `containerd://${ctx.rng.hex(64)}`,
      image: c.image,
      imageID: imageID(c.image),
      lastState: {},
      name: c.name,
      ready: true,
    };
    const resources = c.resources ?? {};
    if (Object.keys(resources).length) status.resources = resources;
    status.restartCount = 0;
    status.started = true;
    status.state = { running: { startedAt: ctx.ts } };
    status.user = {
      linux: { gid: o.user.gid, supplementalGroups: o.user.supplementalGroups ?? [o.user.gid], uid: o.user.uid },
    };
    if (c.volumeMounts?.length) {
      status.volumeMounts = (c.volumeMounts as Json[]).map((m) => ({
        mountPath: m.mountPath,
        name: m.name,
        ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
      }));
    }
    return status;
  });
  const metadata: KObject['metadata'] = {
    ...(o.annotations ? { annotations: o.annotations } : {}),
    creationTimestamp: ctx.ts,
    labels: o.labels,
    name: o.name,
    namespace: o.namespace,
    ownerReferences: o.ownerReferences,
    uid: o.uid ?? ctx.rng.uuid(),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec,
    status: {
      conditions: [
        condition('PodReadyToStartContainers'),
        condition('Initialized'),
        condition('Ready'),
        condition('ContainersReady'),
        condition('PodScheduled'),
      ],
      containerStatuses,
      hostIP: o.node.ip,
      hostIPs: [{ ip: o.node.ip }],
      phase: 'Running',
      podIP: o.podIP,
      podIPs: [{ ip: o.podIP }],
      qosClass: qosClass(spec),
      startTime: ctx.ts,
    },
  };
}

/** Kubelet/API server defaults of one container (terminationMessage*, imagePullPolicy, probe fields). */
export function defaultContainer(c: Json): Json {
  const out: Json = { ...c };
  out.imagePullPolicy ??= 'IfNotPresent';
  out.resources ??= {};
  out.terminationMessagePath ??= '/dev/termination-log';
  out.terminationMessagePolicy ??= 'File';
  for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (!out[p]) continue;
    out[p] = {
      failureThreshold: 3,
      periodSeconds: 10,
      successThreshold: 1,
      timeoutSeconds: 1,
      ...out[p],
    };
  }
  return sortKeys(out);
}

/** Returns a copy with keys in alphabetical order (how the API server serializes Go structs is
 *  field order, but kubectl -o yaml sorts keys anyway; this only keeps JSON output tidy). */
export function sortKeys<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out as T;
}
