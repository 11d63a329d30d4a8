/**
 * The registry: every resource the sandbox serves. Discovery, OpenAPI, routing and `get all`
 * order are derived from this list (resources sorted by name within a group, like kube-apiserver).
 */
import type { ResourceType } from '../apiserver/resource.js';
import { configmaps } from './configmap.js';
import { controllerrevisions } from './controllerrevision.js';
import { cronjobs } from './cronjob.js';
import { daemonsets } from './daemonset.js';
import { deployments } from './deployment.js';
import { endpoints } from './endpoints.js';
import { endpointslices } from './endpointslice.js';
import { events } from './event.js';
import { ingressclasses } from './ingressclass.js';
import { ingresses } from './ingress.js';
import { jobs } from './job.js';
import { leases } from './lease.js';
import { namespaces } from './namespace.js';
import { nodes } from './node.js';
import { pods } from './pod.js';
import { priorityclasses } from './priorityclass.js';
import { replicasets } from './replicaset.js';
import { replicationcontrollers } from './replicationcontroller.js';
import { secrets } from './secret.js';
import { serviceaccounts } from './serviceaccount.js';
import { services } from './service.js';
import { statefulsets } from './statefulset.js';

/**
 * API groups in the order /apis lists them (core first, served at /api). kube-apiserver 1.33 puts
 * apps, events.k8s.io, authentication…, autoscaling, batch, certificates, networking.k8s.io,
 * policy, rbac, storage, admissionregistration, apiextensions, scheduling.k8s.io,
 * coordination.k8s.io, node, discovery.k8s.io, …; the served subset keeps that order.
 */
export const groupOrder = [
  '', 'apps', 'batch', 'networking.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
];

export const resources: ResourceType[] = [
  configmaps, endpoints, events, namespaces, nodes, pods, replicationcontrollers, secrets, serviceaccounts, services,
  controllerrevisions, daemonsets, deployments, replicasets, statefulsets,
  cronjobs, jobs,
  ingressclasses, ingresses,
  priorityclasses,
  leases,
  endpointslices,
].sort((a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group) || a.plural.localeCompare(b.plural));

export class Registry {
  private byGroupPlural = new Map<string, ResourceType>();
  private byKind = new Map<string, ResourceType>();

  constructor(readonly all: ResourceType[] = resources) {
    for (const r of all) {
      this.byGroupPlural.set(`${r.group}/${r.version}/${r.plural}`, r);
      this.byKind.set(`${r.group}/${r.kind}`, r);
    }
  }

  /** the resource served at /api(s)/{group}/{version}/{plural} */
  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byGroupPlural.get(`${group}/${version}/${plural}`);
  }

  forKind(group: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${group}/${kind}`);
  }

  /** group → versions served */
  groups(): { group: string; versions: string[] }[] {
    const out: { group: string; versions: string[] }[] = [];
    for (const g of groupOrder) {
      const versions = [...new Set(this.all.filter((r) => r.group === g).map((r) => r.version))];
      if (versions.length) out.push({ group: g, versions });
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all.filter((r) => r.group === group && r.version === version);
  }
}
