/**
 * The EndpointSlice mirroring controller (`endpointslicemirroring-controller`): hand-made
 * Endpoints of a Service without a selector are mirrored into EndpointSlices named
 * `<endpoints>-<5 chars>`, labelled `endpointslice.kubernetes.io/managed-by:
 * endpointslicemirroring-controller.k8s.io`, owned by the Endpoints. One slice per subset;
 * `addresses` become ready endpoints, `notReadyAddresses` not-ready ones. Endpoints labelled
 * `endpointslice.kubernetes.io/skip-mirror: "true"` (default/kubernetes) are left alone, and the
 * mirrored slices go when the Endpoints go, the service goes, or the service gains a selector.
 */
import type { ResourceType } from '../../apiserver/resource.js';
import type { StoreEvent } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';
import type { SliceEndpoint, SlicePort } from './endpointslice.js';
import {
  ANNOTATION_LAST_APPLIED,
  ANNOTATION_LEADER,
  ANNOTATION_TRIGGER_TIME,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  LABEL_SKIP_MIRROR,
  MIRRORING_CONTROLLER,
  canonical,
  hasSelector,
  nsKey,
  randomSuffix,
  splitKey,
  applySlicePlan, deleteIgnoringNotFound,
} from './util.js';

const FIELD_MANAGER = 'kube-controller-manager';
const MAX_ENDPOINTS_PER_SUBSET = 1000;

interface EpAddress {
  ip?: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: SliceEndpoint['targetRef'];
}

export class EndpointSliceMirroringController implements Component {
  readonly queue: WorkQueue;
  private readonly svcType: ResourceType;
  private readonly epType: ResourceType;
  private readonly sliceType: ResourceType;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ControllerContext) {
    this.svcType = kindOf(ctx, '', 'Service');
    this.epType = kindOf(ctx, '', 'Endpoints');
    this.sliceType = kindOf(ctx, 'discovery.k8s.io', 'EndpointSlice');
    this.queue = new WorkQueue('endpointslicemirroring-controller', ctx.clock, (key) => this.sync(key));
    this.unsubscribe = ctx.store.subscribe((e) => this.onEvent(e));
    for (const ep of ctx.store.list(this.epType, undefined).items) this.queue.add(nsKey(ep.metadata.namespace, ep.metadata.name!));
    for (const s of this.mirrored(undefined)) this.queue.add(nsKey(s.metadata.namespace, s.metadata.labels![LABEL_SERVICE_NAME]));
  }

  stop(): void {
    this.unsubscribe();
  }

  private onEvent(e: StoreEvent): void {
    const m = e.object.metadata;
    if (e.rt === this.svcType || e.rt === this.epType) {
      this.queue.add(nsKey(m.namespace, m.name!));
    } else if (e.rt === this.sliceType && e.type !== 'ADDED') {
      const svcName = m.labels?.[LABEL_SERVICE_NAME] ?? e.old?.metadata.labels?.[LABEL_SERVICE_NAME];
      const ours = m.labels?.[LABEL_MANAGED_BY] === MIRRORING_CONTROLLER || e.old?.metadata.labels?.[LABEL_MANAGED_BY] === MIRRORING_CONTROLLER;
      if (svcName && ours) this.queue.add(nsKey(m.namespace, svcName));
    }
  }

  private mirrored(namespace: string | undefined, name?: string): KObject[] {
    return this.ctx.store.list(this.sliceType, namespace, {
      filter: (s) => s.metadata.labels?.[LABEL_MANAGED_BY] === MIRRORING_CONTROLLER && (name === undefined || s.metadata.labels?.[LABEL_SERVICE_NAME] === name),
    }).items;
  }

  async sync(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const { store } = this.ctx;
    const existing = this.mirrored(namespace, name).filter((s) => !s.metadata.deletionTimestamp);
    const svc = store.tryGet(this.svcType, namespace, name);
    const ep = store.tryGet(this.epType, namespace, name);
    const mirror = svc && !hasSelector(svc) && ep && ep.metadata.labels?.[LABEL_SKIP_MIRROR] !== 'true'
      && ep.metadata.annotations?.[ANNOTATION_LEADER] === undefined && !ep.metadata.deletionTimestamp;
    if (!mirror) {
      for (const s of existing) await deleteIgnoringNotFound(store, this.sliceType, s);
      return;
    }

    const plan = desiredFromEndpoints(ep);
    await applySlicePlan({
      store, sliceType: this.sliceType, namespace, existing, plan, fieldManager: FIELD_MANAGER,
      body: (slice, want) => this.sliceBody(ep, slice, want.ports, want.endpoints),
      same: (slice, body) => canonical(strip(slice)) === canonical(strip(body)),
      requeue: () => this.queue.add(key),
    });
  }

  private sliceBody(ep: KObject, current: KObject | undefined, ports: SlicePort[], endpoints: SliceEndpoint[]): KObject {
    const name = ep.metadata.name!;
    const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}), [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: MIRRORING_CONTROLLER };
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(ep.metadata.annotations ?? {})) {
      if (k !== ANNOTATION_TRIGGER_TIME && k !== ANNOTATION_LAST_APPLIED) annotations[k] = v;
    }
    const meta: KObject['metadata'] = current
      ? { ...current.metadata, labels }
      : {
          name: `${name}-${randomSuffix(this.ctx.random)}`,
          generateName: `${name}-`,
          namespace: ep.metadata.namespace,
          labels,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
        };
    if (Object.keys(annotations).length) meta.annotations = annotations;
    else delete meta.annotations;
    return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta, addressType: 'IPv4', endpoints, ports };
  }
}

function strip(o: KObject): unknown {
  return { labels: o.metadata.labels ?? {}, ann: o.metadata.annotations ?? {}, endpoints: o.endpoints ?? [], ports: o.ports ?? [], addressType: o.addressType };
}

/** one slice per subset (IPv4 addresses only; the sandbox is single-stack) */
export function desiredFromEndpoints(ep: KObject): { ports: SlicePort[]; endpoints: SliceEndpoint[] }[] {
  const out: { ports: SlicePort[]; endpoints: SliceEndpoint[] }[] = [];
  for (const subset of ep.subsets ?? []) {
    const ports: SlicePort[] = (subset.ports ?? []).map((p: { name?: string; port: number; protocol?: string; appProtocol?: string }) => ({
      name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const endpoints: SliceEndpoint[] = [];
    const add = (a: EpAddress, ready: boolean) => {
      if (!a?.ip || !/^\d{1,3}(\.\d{1,3}){3}$/.test(a.ip) || endpoints.length >= MAX_ENDPOINTS_PER_SUBSET) return;
      const e: SliceEndpoint = { addresses: [a.ip], conditions: { ready } };
      if (a.hostname) e.hostname = a.hostname;
      if (a.nodeName) e.nodeName = a.nodeName;
      if (a.targetRef) e.targetRef = a.targetRef;
      endpoints.push(e);
    };
    for (const a of subset.addresses ?? []) add(a, true);
    for (const a of subset.notReadyAddresses ?? []) add(a, false);
    if (!endpoints.length) continue;
    // subsets with the same ports share a slice (up to 1000 endpoints)
    const same = out.find((o) => canonical(o.ports) === canonical(ports) && o.endpoints.length + endpoints.length <= MAX_ENDPOINTS_PER_SUBSET);
    if (same) same.endpoints.push(...endpoints);
    else out.push({ ports, endpoints });
  }
  return out;
}
