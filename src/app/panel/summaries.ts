/**
 * What the cluster panel keeps of each watched object: a small, plain summary per kind (a pod's
 * node, status word, readiness and owner; a controller's desired/ready counts; a service's type,
 * IPs and ports; an EndpointSlice's addresses), made from the JSON any cluster sends. The panel's
 * state holds only these, so the view is pure and its tests need no full objects.
 */
import { podStatus, statusTone, type Tone } from './pod-status.js';

/* pods, nodes and friends arrive as plain JSON from any cluster */
type Json = any;

/** the controller that owns an object (its ownerReference with controller: true) */
export interface OwnerRef {
  kind: string;
  name: string;
  uid: string;
}

export interface NodeSummary {
  name: string;
  ready: boolean;
  unschedulable: boolean;
}

export interface PodSummary {
  name: string;
  uid: string;
  /** spec.nodeName; undefined while unscheduled */
  node?: string;
  /** kubectl's STATUS word */
  status: string;
  tone: Tone;
  ready: number;
  containers: number;
  restarts: number;
  owner?: OwnerRef;
  ip?: string;
}

export type ControllerKind = 'Deployment' | 'ReplicaSet' | 'ReplicationController' | 'DaemonSet' | 'StatefulSet' | 'Job' | 'CronJob';

export interface ControllerSummary {
  kind: ControllerKind;
  name: string;
  uid: string;
  owner?: OwnerRef;
  /** pods it wants (Jobs: completions); undefined for CronJobs */
  desired?: number;
  /** pods ready (Jobs: succeeded) */
  ready: number;
  /** CronJob schedule */
  schedule?: string;
}

export interface ServicePort {
  port: number;
  targetPort?: string;
  nodePort?: number;
  protocol: string;
}

export interface ServiceSummary {
  name: string;
  type: string;
  /** an IP, or None for a headless service */
  clusterIP?: string;
  /** load balancer ingress or externalIPs */
  externalIP?: string;
  /** ExternalName services */
  externalName?: string;
  ports: ServicePort[];
}

export interface EndpointAddress {
  ip: string;
  ready: boolean;
  /** the pod behind the address */
  pod?: string;
}

export interface EndpointSliceSummary {
  name: string;
  /** the kubernetes.io/service-name label */
  service: string;
  addresses: EndpointAddress[];
  ports: number[];
}

function controllerOwner(o: Json): OwnerRef | undefined {
  const ref = (o.metadata?.ownerReferences ?? []).find((r: Json) => r.controller);
  return ref ? { kind: ref.kind, name: ref.name, uid: ref.uid } : undefined;
}

export function summarizeNode(n: Json): NodeSummary {
  const ready = (n.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');
  return { name: n.metadata.name, ready, unschedulable: !!n.spec?.unschedulable };
}

export function summarizePod(p: Json): PodSummary {
  const statuses: Json[] = p.status?.containerStatuses ?? [];
  const containers = Math.max((p.spec?.containers ?? []).length, statuses.length);
  const ready = statuses.filter((c) => c.ready).length;
  const restarts = [...statuses, ...(p.status?.initContainerStatuses ?? [])].reduce((n: number, c: Json) => n + (c.restartCount ?? 0), 0);
  const status = podStatus(p);
  return {
    name: p.metadata.name,
    uid: p.metadata.uid ?? p.metadata.name,
    node: p.spec?.nodeName || undefined,
    status,
    tone: statusTone(status, containers > 0 && ready === containers),
    ready,
    containers,
    restarts,
    owner: controllerOwner(p),
    ip: p.status?.podIP || undefined,
  };
}

/** a summarizer for one controller kind */
export function summarizeController(kind: ControllerKind): (o: Json) => ControllerSummary {
  return (o) => {
    const base = { kind, name: o.metadata.name, uid: o.metadata.uid ?? o.metadata.name, owner: controllerOwner(o) };
    const s = o.status ?? {};
    switch (kind) {
      case 'DaemonSet':
        return { ...base, desired: s.desiredNumberScheduled ?? 0, ready: s.numberReady ?? 0 };
      case 'Job':
        return { ...base, desired: o.spec?.completions ?? o.spec?.parallelism ?? 1, ready: s.succeeded ?? 0 };
      case 'CronJob':
        return { ...base, ready: (s.active ?? []).length, schedule: o.spec?.schedule };
      default:
        return { ...base, desired: o.spec?.replicas ?? 1, ready: s.readyReplicas ?? 0 };
    }
  };
}

function targetPortText(p: Json): string | undefined {
  return p.targetPort === undefined || p.targetPort === p.port ? undefined : String(p.targetPort);
}

export function summarizeService(s: Json): ServiceSummary {
  const ingress = (s.status?.loadBalancer?.ingress ?? [])[0];
  const external = ingress?.ip ?? ingress?.hostname ?? (s.spec?.externalIPs ?? [])[0];
  return {
    name: s.metadata.name,
    type: s.spec?.type ?? 'ClusterIP',
    clusterIP: s.spec?.clusterIP || undefined,
    externalIP: external,
    externalName: s.spec?.externalName,
    ports: (s.spec?.ports ?? []).map((p: Json) => ({ port: p.port, targetPort: targetPortText(p), nodePort: p.nodePort, protocol: p.protocol ?? 'TCP' })),
  };
}

export function summarizeEndpointSlice(e: Json): EndpointSliceSummary {
  const addresses: EndpointAddress[] = [];
  for (const ep of e.endpoints ?? []) {
    const ready = ep.conditions?.ready !== false;
    const pod = ep.targetRef?.kind === 'Pod' ? ep.targetRef.name : undefined;
    for (const ip of ep.addresses ?? []) addresses.push({ ip, ready, pod });
  }
  return {
    name: e.metadata.name,
    service: e.metadata?.labels?.['kubernetes.io/service-name'] ?? '',
    addresses,
    ports: (e.ports ?? []).map((p: Json) => p.port).filter((p: unknown) => typeof p === 'number'),
  };
}
