/**
 * The EndpointSlice controller (`endpointslice-controller`): for every Service with a selector,
 * discovery.k8s.io/v1 EndpointSlices named `<service>-<5 chars>`, labelled
 * `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by:
 * endpointslice-controller.k8s.io`, owned by the service. Endpoints carry conditions
 * {ready, serving, terminating}; terminating pods stay listed (ready=false) so clients can drain.
 * Pods are grouped into slices by their resolved port set, at most 100 endpoints a slice; a
 * service with no endpoints keeps one empty placeholder slice.
 */
import type { ResourceType } from '../../apiserver/resource.js';
import type { StoreEvent } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';
import {
  ANNOTATION_TRIGGER_TIME,
  LABEL_HEADLESS,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  SLICE_CONTROLLER,
  canonical,
  findPort,
  nsKey,
  podIP,
  podReady,
  randomSuffix,
  rfc3339Nano,
  selectorOf,
  selectsPod,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  splitKey,
  type ServicePort,
  servicesSelecting, applySlicePlan, deleteIgnoringNotFound,
} from './util.js';

const FIELD_MANAGER = 'kube-controller-manager';
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind: string; namespace?: string; name?: string; uid?: string };
}

export class EndpointSliceController implements Component {
  readonly queue: WorkQueue;
  private readonly svcType: ResourceType;
  private readonly podType: ResourceType;
  private readonly nodeType: ResourceType;
  private readonly sliceType: ResourceType;
  private readonly unsubscribe: () => void;
  private readonly triggers = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {
    this.svcType = kindOf(ctx, '', 'Service');
    this.podType = kindOf(ctx, '', 'Pod');
    this.nodeType = kindOf(ctx, '', 'Node');
    this.sliceType = kindOf(ctx, 'discovery.k8s.io', 'EndpointSlice');
    this.queue = new WorkQueue('endpointslice-controller', ctx.clock, (key) => this.sync(key));
    this.unsubscribe = ctx.store.subscribe((e) => this.onEvent(e));
    for (const svc of ctx.store.list(this.svcType, undefined).items) this.queue.add(nsKey(svc.metadata.namespace, svc.metadata.name!));
  }

  stop(): void {
    this.unsubscribe();
  }

  private trigger(key: string): void {
    if (!this.triggers.has(key)) this.triggers.set(key, this.ctx.clock.now());
    this.queue.add(key);
  }

  private onEvent(e: StoreEvent): void {
    const m = e.object.metadata;
    if (e.rt === this.svcType) {
      this.trigger(nsKey(m.namespace, m.name!));
    } else if (e.rt === this.podType) {
      for (const svc of servicesSelecting(this.ctx.store, this.svcType, e.object, e.old)) this.trigger(nsKey(svc.metadata.namespace, svc.metadata.name!));
    } else if (e.rt === this.sliceType) {
      // someone else changed or removed one of our slices: put it right
      const svcName = m.labels?.[LABEL_SERVICE_NAME] ?? e.old?.metadata.labels?.[LABEL_SERVICE_NAME];
      const ours = m.labels?.[LABEL_MANAGED_BY] === SLICE_CONTROLLER || e.old?.metadata.labels?.[LABEL_MANAGED_BY] === SLICE_CONTROLLER;
      // (our own writes come back here too; the sync is a no-op then)
      if (svcName && ours && e.type !== 'ADDED') this.queue.add(nsKey(m.namespace, svcName));
    } else if (e.rt === this.nodeType && e.type !== 'MODIFIED') {
      // pods on a node that appeared or went away
      const node = m.name;
      for (const pod of this.ctx.store.list(this.podType, undefined, { filter: (p) => p.spec?.nodeName === node }).items) {
        for (const svc of this.ctx.store.list(this.svcType, pod.metadata.namespace).items) {
          if (selectsPod(svc, pod)) this.queue.add(nsKey(svc.metadata.namespace, svc.metadata.name!));
        }
      }
    }
  }

  /** the slices this controller owns for a service */
  private ownedSlices(namespace: string, name: string): KObject[] {
    return this.ctx.store.list(this.sliceType, namespace, {
      filter: (s) => s.metadata.labels?.[LABEL_SERVICE_NAME] === name && s.metadata.labels?.[LABEL_MANAGED_BY] === SLICE_CONTROLLER,
    }).items;
  }

  async sync(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const { store } = this.ctx;
    const svc = store.tryGet(this.svcType, namespace, name);
    if (!svc) {
      // the garbage collector removes them through the owner reference too; do not wait for it
      this.triggers.delete(key);
      for (const s of this.ownedSlices(namespace, name)) await deleteIgnoringNotFound(store, this.sliceType, s);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !selectorOf(svc)) return;

    const pods = store.list(this.podType, namespace, { filter: (p) => selectsPod(svc, p) }).items;
    const desired = desiredEndpoints(svc, pods, (n) => store.tryGet(this.nodeType, undefined, n));
    const existing = this.ownedSlices(namespace, name).filter((s) => s.metadata.deletionTimestamp === undefined);
    const triggerAt = this.triggers.get(key);

    // desired groups: one or more slices per port set; a placeholder when there is nothing
    const groups = [...desired.values()];
    const plan: { ports: SlicePort[] | undefined; endpoints: SliceEndpoint[] }[] = [];
    for (const g of groups) {
      for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
        plan.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
      }
    }
    if (!plan.length) plan.push({ ports: undefined, endpoints: [] });

    const done = await applySlicePlan({
      store, sliceType: this.sliceType, namespace, existing, plan, fieldManager: FIELD_MANAGER,
      body: (slice, want) => this.sliceBody(svc, slice, want.ports, want.endpoints, triggerAt),
      same: sameSlice,
      requeue: () => this.queue.add(key),
    });
    if (!done) return;
    this.triggers.delete(key);
  }

  private sliceBody(svc: KObject, current: KObject | undefined, ports: SlicePort[] | undefined, endpoints: SliceEndpoint[], triggerAt: number | undefined): KObject {
    const svcName = svc.metadata.name!;
    const labels: Record<string, string> = {
      [LABEL_MANAGED_BY]: SLICE_CONTROLLER,
      ...(svc.metadata.labels ?? {}),
      [LABEL_SERVICE_NAME]: svcName,
    };
    labels[LABEL_MANAGED_BY] = SLICE_CONTROLLER;
    if (svc.spec?.clusterIP === 'None' || !svc.spec?.clusterIP) labels[LABEL_HEADLESS] = '';
    else delete labels[LABEL_HEADLESS];
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (triggerAt !== undefined) annotations[ANNOTATION_TRIGGER_TIME] = rfc3339Nano(triggerAt);
    const meta: KObject['metadata'] = current
      ? { ...current.metadata, labels }
      : {
          name: `${svcName}-${randomSuffix(this.ctx.random)}`,
          generateName: `${svcName}-`,
          namespace: svc.metadata.namespace,
          labels,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svcName, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
        };
    if (Object.keys(annotations).length) meta.annotations = annotations;
    else delete meta.annotations;
    const body: KObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta, addressType: 'IPv4', endpoints };
    if (ports) body.ports = ports;
    return body;
  }
}

/** equal apart from the trigger-time annotation and server-set metadata */
function sameSlice(cur: KObject, next: KObject): boolean {
  const strip = (o: KObject) => {
    const ann = { ...(o.metadata.annotations ?? {}) };
    delete ann[ANNOTATION_TRIGGER_TIME];
    return { labels: o.metadata.labels ?? {}, ann, ownerReferences: o.metadata.ownerReferences ?? [], addressType: o.addressType, endpoints: o.endpoints ?? [], ports: o.ports ?? [] };
  };
  return canonical(strip(cur)) === canonical(strip(next));
}

/** endpoints per port set, as the EndpointSlice reconciler builds them */
export function desiredEndpoints(
  svc: KObject, pods: KObject[], getNode: (name: string) => KObject | undefined,
): Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }> {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const svcPorts: ServicePort[] = svc.spec?.ports ?? [];
  const out = new Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    let node: KObject | undefined;
    if (pod.spec?.nodeName) {
      node = getNode(pod.spec.nodeName);
      if (!node) continue; // kube skips pods whose node it does not know
    }
    const ports: SlicePort[] = [];
    for (const sp of svcPorts) {
      const num = findPort(pod, sp);
      if (num === undefined) continue;
      const p: SlicePort = { name: sp.name ?? '', port: num, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      ports.push(p);
    }
    const serving = podReady(pod);
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    let ready = publishNotReady || serving;
    if (terminating && !publishNotReady) ready = false;
    const ep: SliceEndpoint = { addresses: [podIP(pod)!], conditions: { ready, serving, terminating } };
    if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
    if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
    const zone = node?.metadata.labels?.['topology.kubernetes.io/zone'];
    if (zone) ep.zone = zone;
    ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
    const pk = canonical(ports);
    let g = out.get(pk);
    if (!g) out.set(pk, (g = { ports, endpoints: [] }));
    g.endpoints.push(ep);
  }
  for (const g of out.values()) g.endpoints.sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : a.addresses[0] > b.addresses[0] ? 1 : 0));
  return out;
}
