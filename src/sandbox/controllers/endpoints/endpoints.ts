/**
 * The endpoints controller (kube-controller-manager `endpoint-controller`): for every Service with
 * a selector, a core/v1 Endpoints object of the same name listing the selected pods' IPs, ready
 * ones under `addresses`, the others under `notReadyAddresses`, grouped into subsets by port set.
 *
 * - ports come from the service's targetPort: a number, or a container port name looked up per
 *   pod (a pod without that port is left out for that port);
 * - terminating pods are left out unless `publishNotReadyAddresses` (then every pod is "ready");
 * - labels are the service's labels (+ `service.kubernetes.io/headless` for clusterIP None),
 *   annotation `endpoints.kubernetes.io/last-change-trigger-time`;
 * - deleted with the service; services without a selector (and ExternalName ones) are left
 *   alone, so hand-made Endpoints stay.
 */
import type { ResourceType } from '../../apiserver/resource.js';
import type { StoreEvent } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';
import {
  ANNOTATION_LEADER,
  ANNOTATION_TRIGGER_TIME,
  LABEL_HEADLESS,
  canonical,
  findPort,
  isNotFound,
  nsKey,
  podIP,
  podReady,
  rfc3339Nano,
  sameLabels,
  selectorOf,
  selectsPod,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  splitKey,
  type ServicePort,
  servicesSelecting,
} from './util.js';

const FIELD_MANAGER = 'kube-controller-manager';

interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export class EndpointsController implements Component {
  readonly queue: WorkQueue;
  private readonly svcType: ResourceType;
  private readonly podType: ResourceType;
  private readonly epType: ResourceType;
  private readonly unsubscribe: () => void;
  /** the first change not yet written, per service (the trigger-time tracker) */
  private readonly triggers = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {
    this.svcType = kindOf(ctx, '', 'Service');
    this.podType = kindOf(ctx, '', 'Pod');
    this.epType = kindOf(ctx, '', 'Endpoints');
    this.queue = new WorkQueue('endpoint-controller', ctx.clock, (key) => this.sync(key));
    this.unsubscribe = ctx.store.subscribe((e) => this.onEvent(e));
    for (const svc of ctx.store.list(this.svcType, undefined).items) this.queue.add(nsKey(svc.metadata.namespace, svc.metadata.name!));
    // leftover Endpoints whose service is gone (checkLeftoverEndpoints)
    for (const ep of ctx.store.list(this.epType, undefined).items) {
      if (ep.metadata.annotations?.[ANNOTATION_LEADER] !== undefined) continue;
      this.queue.add(nsKey(ep.metadata.namespace, ep.metadata.name!));
    }
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
    } else if (e.rt === this.epType && e.type === 'DELETED') {
      this.queue.add(nsKey(m.namespace, m.name!));
    }
  }

  async sync(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const { store } = this.ctx;
    const svc = store.tryGet(this.svcType, namespace, name);
    if (!svc) {
      this.triggers.delete(key);
      const ep = store.tryGet(this.epType, namespace, name);
      if (ep && ep.metadata.annotations?.[ANNOTATION_LEADER] === undefined) {
        await store.delete(this.epType, namespace, name).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
      }
      return;
    }
    if (svc.spec?.type === 'ExternalName') return;
    const selector = selectorOf(svc);
    if (!selector) return;

    const pods = store.list(this.podType, namespace, { filter: (p) => selectsPod(svc, p) }).items;
    const subsets = computeSubsets(svc, pods);
    const current = store.tryGet(this.epType, namespace, name);
    const svcLabels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    const headless = svc.spec?.clusterIP === 'None' || !svc.spec?.clusterIP;
    if (current) {
      const curLabels = { ...(current.metadata.labels ?? {}) };
      delete curLabels[LABEL_HEADLESS];
      if (canonical(current.subsets ?? []) === canonical(subsets) && sameLabels(curLabels, svcLabels)) {
        this.triggers.delete(key);
        return;
      }
    }
    const labels = { ...svcLabels };
    if (headless) labels[LABEL_HEADLESS] = '';
    else delete labels[LABEL_HEADLESS];
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    const triggerAt = this.triggers.get(key);
    if (triggerAt !== undefined) annotations[ANNOTATION_TRIGGER_TIME] = rfc3339Nano(triggerAt);
    else delete annotations[ANNOTATION_TRIGGER_TIME];

    const body: KObject = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: {
        ...(current?.metadata ?? { name, namespace }),
        labels,
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
    };
    if (!Object.keys(annotations).length) delete body.metadata.annotations;
    if (subsets.length) body.subsets = subsets;
    try {
      if (current) await store.update(this.epType, namespace, name, body, { fieldManager: FIELD_MANAGER });
      else await store.create(this.epType, namespace, body, { fieldManager: FIELD_MANAGER });
    } catch (err) {
      const code = (err as { code?: number }).code;
      // a namespace going away: creates keep failing, drop the key (kube does the same)
      if (!current && code === 403) return;
      if (code === 409 || code === 404) {
        this.queue.add(key);
        return;
      }
      throw err;
    }
    this.triggers.delete(key);
  }
}

/** the subsets kube's endpoints controller computes for `svc` from its selected `pods` */
export function computeSubsets(svc: KObject, pods: KObject[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const ports: ServicePort[] = svc.spec?.ports ?? [];
  // (address, ready, port) triples, then repacked like endpoints.RepackSubsets
  const entries: { addr: EndpointAddress; ready: boolean; port?: EndpointPort }[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const addr: EndpointAddress = {
      ip: podIP(pod)!,
      ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec.hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
    };
    const ready = publishNotReady || podReady(pod);
    if (ports.length === 0) {
      if (svc.spec?.clusterIP === 'None') entries.push({ addr, ready });
      continue;
    }
    for (const sp of ports) {
      const num = findPort(pod, sp);
      if (num === undefined) continue;
      const port: EndpointPort = { ...(sp.name ? { name: sp.name } : {}), port: num, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol) port.appProtocol = sp.appProtocol;
      entries.push({ addr, ready, port });
    }
  }
  return repack(entries);
}

function addrKey(a: EndpointAddress): string {
  return `${a.ip}\u0000${a.targetRef.uid}`;
}

function repack(entries: { addr: EndpointAddress; ready: boolean; port?: EndpointPort }[]): EndpointSubset[] {
  // port -> the addresses (with readiness) that serve it
  const byPort = new Map<string, { port?: EndpointPort; addrs: Map<string, { addr: EndpointAddress; ready: boolean }> }>();
  for (const e of entries) {
    const pk = e.port ? JSON.stringify([e.port.name ?? '', e.port.port, e.port.protocol, e.port.appProtocol ?? '']) : '';
    let slot = byPort.get(pk);
    if (!slot) byPort.set(pk, (slot = { port: e.port, addrs: new Map() }));
    const k = addrKey(e.addr);
    const prev = slot.addrs.get(k);
    // an address listed both ready and not ready counts as ready
    slot.addrs.set(k, { addr: e.addr, ready: (prev?.ready ?? false) || e.ready });
  }
  // ports that share an identical address set form one subset
  const groups = new Map<string, { ports: EndpointPort[]; addrs: { addr: EndpointAddress; ready: boolean }[] }>();
  for (const slot of byPort.values()) {
    const addrs = [...slot.addrs.values()];
    const gk = addrs.map((a) => `${addrKey(a.addr)}=${a.ready}`).sort().join('|');
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { ports: [], addrs }));
    if (slot.port) g.ports.push(slot.port);
  }
  const byIP = (a: EndpointAddress, b: EndpointAddress) => cmp(a.ip, b.ip) || cmp(a.targetRef.uid, b.targetRef.uid);
  const subsets: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready = g.addrs.filter((a) => a.ready).map((a) => a.addr).sort(byIP);
    const notReady = g.addrs.filter((a) => !a.ready).map((a) => a.addr).sort(byIP);
    const s: EndpointSubset = {};
    if (ready.length) s.addresses = ready;
    if (notReady.length) s.notReadyAddresses = notReady;
    if (g.ports.length) s.ports = g.ports.sort((a, b) => cmp(a.name ?? '', b.name ?? '') || a.port - b.port || cmp(a.protocol, b.protocol));
    subsets.push(s);
  }
  const first = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? '';
  return subsets.sort((a, b) => cmp(first(a), first(b)) || cmp(JSON.stringify(a.ports ?? []), JSON.stringify(b.ports ?? [])));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function startEndpointsController(ctx: ControllerContext): EndpointsController {
  return new EndpointsController(ctx);
}
