/**
 * The node lifecycle controller (kube-controller-manager `node-lifecycle-controller`, events from
 * `node-controller`). Every node-monitor-period (5 s) it checks each node's heartbeat: its Lease in
 * kube-node-lease (renewed every 10 s by the kubelet) or a new Ready heartbeat. A node silent for
 * longer than node-monitor-grace-period (50 s since v1.32; 40 s before) gets Ready,
 * MemoryPressure, DiskPressure and PIDPressure = Unknown (`NodeStatusUnknown`, "Kubelet stopped
 * posting node status."), a `NodeNotReady` event, its pods' Ready condition set to False
 * (MarkPodsNotReady, a `NodeNotReady` warning on each pod) and the taints
 * `node.kubernetes.io/unreachable:NoSchedule` and `:NoExecute` (with timeAdded). The taint
 * eviction controller then deletes the pods after their tolerationSeconds (300 s by default).
 *
 * When the lease is renewed again the node's pre-failure conditions come back (standing in for the
 * kubelet's next status post; a kubelet that posts status first wins) and, once Ready is True, the
 * controller's taints are removed. Taints also follow conditions the kubelet posts itself
 * (Ready=False → not-ready taints, pressure conditions, `spec.unschedulable` →
 * `node.kubernetes.io/unschedulable:NoSchedule`). If every node is down at once (full disruption)
 * no NoExecute taints are added and existing ones are removed, as kube does.
 */
import type { ResourceType } from '../../apiserver/resource.js';
import type { StoreEvent } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import { rfc3339, type Timer } from '../../clock.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';
import { TaintEvictionController, type Taint } from './tainteviction.js';

const SOURCE = { component: 'node-controller' };
const FIELD_MANAGER = 'kube-controller-manager';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const NODE_MONITOR_PERIOD_MS = 5_000;
/** kube-controller-manager --node-monitor-grace-period default since v1.32 (kubernetes#126287) */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** condition type → status → taint key (nodeConditionToTaintKeyStatusMap) */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const CONTROLLER_TAINT_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_UNSCHEDULABLE]);
const UNKNOWN_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

interface Health {
  /** when the controller last saw a heartbeat (its own clock, like probeTimestamp) */
  probeAt: number;
  renewTime?: string;
  heartbeat?: string;
  /** the Ready status seen at the previous check */
  readyStatus?: string;
  /** conditions before the controller set them Unknown */
  saved?: Condition[];
}

export interface NodeLifecycleOptions {
  monitorPeriodMs?: number;
  gracePeriodMs?: number;
  /** also run taint-based eviction (default true) */
  taintEviction?: boolean;
}

function readyOf(node: KObject): Condition | undefined {
  return (node.status?.conditions ?? []).find((c: Condition) => c.type === 'Ready');
}

export class NodeLifecycleController implements Component {
  readonly queue: WorkQueue;
  readonly taintEviction?: TaintEvictionController;
  private readonly nodeType: ResourceType;
  private readonly leaseType: ResourceType;
  private readonly podType: ResourceType;
  private readonly health = new Map<string, Health>();
  private readonly unsubscribe: () => void;
  private timer?: Timer;
  private stopped = false;
  private readonly period: number;
  private readonly grace: number;

  constructor(private readonly ctx: ControllerContext, opts: NodeLifecycleOptions = {}) {
    this.period = opts.monitorPeriodMs ?? NODE_MONITOR_PERIOD_MS;
    this.grace = opts.gracePeriodMs ?? NODE_MONITOR_GRACE_PERIOD_MS;
    this.nodeType = kindOf(ctx, '', 'Node');
    this.leaseType = kindOf(ctx, 'coordination.k8s.io', 'Lease');
    this.podType = kindOf(ctx, '', 'Pod');
    this.queue = new WorkQueue('node-lifecycle-controller', ctx.clock, (name) => this.check(name));
    const now = ctx.clock.now();
    for (const node of ctx.store.list(this.nodeType, undefined).items) {
      const name = node.metadata.name!;
      const lease = ctx.store.tryGet(this.leaseType, NODE_LEASE_NAMESPACE, name);
      // "Missing timestamp for Node. Assuming now as a timestamp"
      this.health.set(name, { probeAt: now, renewTime: lease?.spec?.renewTime, heartbeat: readyOf(node)?.lastHeartbeatTime, readyStatus: readyOf(node)?.status });
      this.recordNode(node, 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.queue.add(name);
    }
    this.unsubscribe = ctx.store.subscribe((e) => this.onEvent(e));
    if (opts.taintEviction !== false) this.taintEviction = new TaintEvictionController(ctx);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.timer?.cancel();
    this.taintEviction?.stop();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.ctx.clock.after(this.period, () => {
      for (const name of this.health.keys()) this.queue.add(name);
      this.schedule();
    });
  }

  private recordNode(node: KObject, reason: string, event: string): void {
    void this.ctx.events.record(node, SOURCE, { type: 'Normal', reason, message: `Node ${node.metadata.name} event: ${event}` });
  }

  private onEvent(e: StoreEvent): void {
    const m = e.object.metadata;
    if (e.rt === this.leaseType && m.namespace === NODE_LEASE_NAMESPACE) {
      const h = this.health.get(m.name!);
      if (!h || e.type === 'DELETED') return;
      const renew = e.object.spec?.renewTime;
      if (renew && renew !== h.renewTime) {
        h.renewTime = renew;
        h.probeAt = this.ctx.clock.now();
        // a node coming back is handled at once, not at the next monitor pass
        if (h.readyStatus !== 'True') this.queue.add(m.name!);
      }
    } else if (e.rt === this.nodeType) {
      const name = m.name!;
      if (e.type === 'DELETED') {
        this.health.delete(name);
        this.recordNode(e.object, 'RemovingNode', `Removing Node ${name} from Controller`);
        return;
      }
      if (!this.health.has(name)) {
        this.health.set(name, { probeAt: this.ctx.clock.now(), heartbeat: readyOf(e.object)?.lastHeartbeatTime, readyStatus: readyOf(e.object)?.status });
        this.recordNode(e.object, 'RegisteredNode', `Registered Node ${name} in Controller`);
      }
      this.queue.add(name);
    }
  }

  /** one node's health pass (tryUpdateNodeHealth + MarkPodsNotReady + tainting) */
  async check(name: string): Promise<void> {
    const { store, clock } = this.ctx;
    let node = store.tryGet(this.nodeType, undefined, name);
    const h = this.health.get(name);
    if (!node || !h) return;
    const now = clock.now();
    const ready = readyOf(node);
    if (ready?.lastHeartbeatTime && ready.lastHeartbeatTime !== h.heartbeat) {
      h.heartbeat = ready.lastHeartbeatTime;
      h.probeAt = now;
    }
    const lease = store.tryGet(this.leaseType, NODE_LEASE_NAMESPACE, name);
    if (lease?.spec?.renewTime && lease.spec.renewTime !== h.renewTime) {
      h.renewTime = lease.spec.renewTime;
      h.probeAt = now;
    }

    if (now > h.probeAt + this.grace) {
      if (ready?.status !== 'Unknown') {
        h.saved = structuredClone(node.status?.conditions ?? []);
        node = await this.writeConditions(name, (conds) => {
          const ts = rfc3339(now);
          for (const type of UNKNOWN_CONDITIONS) {
            const c = conds.find((x) => x.type === type);
            if (!c) {
              conds.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node!.metadata.creationTimestamp, lastTransitionTime: ts });
            } else if (c.status !== 'Unknown') {
              Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: ts });
            }
          }
        }) ?? node;
      }
    } else if (ready?.status === 'Unknown' && ready.reason === 'NodeStatusUnknown' && h.saved) {
      // heartbeats again: the conditions as the kubelet last posted them, freshly stamped
      const saved = h.saved;
      h.saved = undefined;
      node = await this.writeConditions(name, (conds) => {
        const ts = rfc3339(now);
        for (const type of UNKNOWN_CONDITIONS) {
          const c = conds.find((x) => x.type === type);
          const before = saved.find((x) => x.type === type);
          if (!c || !before || c.status !== 'Unknown' || c.reason !== 'NodeStatusUnknown') continue;
          Object.assign(c, { ...before, lastHeartbeatTime: ts, lastTransitionTime: before.status === c.status ? c.lastTransitionTime : ts });
        }
      }) ?? node;
      h.heartbeat = readyOf(node)?.lastHeartbeatTime;
    }

    const status = readyOf(node)?.status;
    if (status !== undefined && status !== 'True' && h.readyStatus === 'True') {
      void this.ctx.events.record(node, SOURCE, { type: 'Normal', reason: 'NodeNotReady', message: `Node ${name} status is now: NodeNotReady` });
      await this.markPodsNotReady(name);
    }
    h.readyStatus = status;
    await this.reconcileTaints(name);
  }

  private async writeConditions(name: string, mutate: (conds: Condition[]) => void): Promise<KObject | undefined> {
    try {
      return await this.ctx.store.guaranteedUpdate(this.nodeType, undefined, name, (cur) => {
        const conds: Condition[] = structuredClone(cur.status?.conditions ?? []);
        mutate(conds);
        return { ...cur, status: { ...(cur.status ?? {}), conditions: conds } };
      }, { subresource: 'status', fieldManager: FIELD_MANAGER });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }

  /** controllerutil.MarkPodsNotReady */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const { store, clock } = this.ctx;
    const pods = store.list(this.podType, undefined, { filter: (p) => p.spec?.nodeName === nodeName }).items;
    for (const pod of pods) {
      const readyCond = (pod.status?.conditions ?? []).find((c: Condition) => c.type === 'Ready');
      if (!readyCond || readyCond.status === 'False') continue;
      try {
        const updated = await store.guaranteedUpdate(this.podType, pod.metadata.namespace, pod.metadata.name!, (cur) => {
          const conds: Condition[] = structuredClone(cur.status?.conditions ?? []);
          const c = conds.find((x) => x.type === 'Ready');
          if (c && c.status !== 'False') Object.assign(c, { status: 'False', lastTransitionTime: rfc3339(clock.now()) });
          return { ...cur, status: { ...(cur.status ?? {}), conditions: conds } };
        }, { subresource: 'status', fieldManager: FIELD_MANAGER });
        void this.ctx.events.record(updated, SOURCE, { type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready' });
      } catch (err) {
        if ((err as { code?: number }).code !== 404) throw err;
      }
    }
  }

  /** every node is down: kube stops NoExecute tainting ("master disruption mode") */
  private fullDisruption(): boolean {
    const nodes = this.ctx.store.list(this.nodeType, undefined).items
      .filter((n) => n.metadata.labels?.['node.kubernetes.io/exclude-disruption'] === undefined);
    return nodes.length > 0 && nodes.every((n) => readyOf(n)?.status !== 'True');
  }

  /** doNoScheduleTaintingPass + the NoExecute tainting and markNodeAsReachable */
  private async reconcileTaints(name: string): Promise<void> {
    const node = this.ctx.store.tryGet(this.nodeType, undefined, name);
    if (!node) return;
    const want: Taint[] = [];
    for (const c of (node.status?.conditions ?? []) as Condition[]) {
      const key = CONDITION_TAINTS[c.type]?.[c.status];
      if (key) want.push({ key, effect: 'NoSchedule' });
    }
    if (node.spec?.unschedulable) want.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
    const readyStatus = readyOf(node)?.status;
    const noExecKey = readyStatus === 'False' ? TAINT_NOT_READY : readyStatus === 'Unknown' ? TAINT_UNREACHABLE : undefined;
    if (noExecKey && !this.fullDisruption()) want.push({ key: noExecKey, effect: 'NoExecute' });

    const current: Taint[] = node.spec?.taints ?? [];
    const managed = (t: Taint) => CONTROLLER_TAINT_KEYS.has(t.key) && (t.effect === 'NoSchedule' || (t.effect === 'NoExecute' && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE)));
    const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
    const toAdd = want.filter((w) => !current.some((c) => same(c, w)));
    const toRemove = current.filter((c) => managed(c) && !want.some((w) => same(c, w)));
    if (!toAdd.length && !toRemove.length) return;
    const ts = rfc3339(this.ctx.clock.now());
    try {
      await this.ctx.store.guaranteedUpdate(this.nodeType, undefined, name, (cur) => {
        const taints: Taint[] = (cur.spec?.taints ?? []).filter((c: Taint) => !toRemove.some((r) => same(c, r)));
        for (const a of toAdd) if (!taints.some((c) => same(c, a))) taints.push({ ...a, timeAdded: ts });
        const spec = { ...(cur.spec ?? {}), taints };
        if (!taints.length) delete spec.taints;
        return { ...cur, spec };
      }, { fieldManager: FIELD_MANAGER });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
    // a change of one node can end or start a full disruption for the others
    for (const other of this.health.keys()) if (other !== name) this.queue.add(other);
  }
}

export function startNodeLifecycleController(ctx: ControllerContext, opts: NodeLifecycleOptions = {}): NodeLifecycleController {
  return new NodeLifecycleController(ctx, opts);
}
