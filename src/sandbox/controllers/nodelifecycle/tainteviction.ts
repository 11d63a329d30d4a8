/**
 * Taint-based eviction (kube-controller-manager's `taint-eviction-controller`): pods on a node with
 * NoExecute taints are deleted, at once when a taint is not tolerated, else when the shortest
 * matching toleration's `tolerationSeconds` runs out (counted from when the controller first saw
 * the pod under the taint). The default tolerations added at admission give every ordinary pod
 * 300 s for `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable`; DaemonSet pods
 * tolerate them forever. When the taints go away in time the scheduled deletion is cancelled.
 */
import type { ResourceType } from '../../apiserver/resource.js';
import type { StoreEvent } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import { rfc3339, type Timer } from '../../clock.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';

const SOURCE = { component: 'taint-eviction-controller' };
const FIELD_MANAGER = 'kube-controller-manager';

import { toleratesTaint, type Taint, type Toleration } from '../../api/tolerations.js';

export { toleratesTaint, type Taint, type Toleration };

export function noExecuteTaints(node: KObject | undefined): Taint[] {
  return ((node?.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute');
}

/**
 * The delay before eviction: undefined = never (tolerated forever), 0 = now, else milliseconds
 * (getMinTolerationTime over the tolerations that match).
 */
export function evictionDelay(pod: KObject, taints: Taint[]): number | undefined {
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => toleratesTaint(x, taint));
    if (!t) return 0;
    used.push(t);
  }
  if (!used.length) return 0;
  let min = Infinity;
  for (const t of used) {
    if (typeof t.tolerationSeconds === 'number') {
      if (t.tolerationSeconds <= 0) return 0;
      min = Math.min(min, t.tolerationSeconds);
    }
  }
  return min === Infinity ? undefined : min * 1000;
}

interface Work {
  createdAt: number;
  fireAt: number;
  timer: Timer;
  uid: string;
}

export class TaintEvictionController implements Component {
  private readonly podType: ResourceType;
  private readonly nodeType: ResourceType;
  private readonly unsubscribe: () => void;
  /** `namespace/name` → scheduled deletion */
  private readonly work = new Map<string, Work>();

  constructor(private readonly ctx: ControllerContext) {
    this.podType = kindOf(ctx, '', 'Pod');
    this.nodeType = kindOf(ctx, '', 'Node');
    this.unsubscribe = ctx.store.subscribe((e) => this.onEvent(e));
    for (const node of ctx.store.list(this.nodeType, undefined).items) this.handleNode(node.metadata.name!);
  }

  stop(): void {
    this.unsubscribe();
    for (const w of this.work.values()) w.timer.cancel();
    this.work.clear();
  }

  /** pods with a deletion scheduled, and when (for tests and `describe`-like tooling) */
  scheduled(): Map<string, number> {
    return new Map([...this.work].map(([k, w]) => [k, w.fireAt]));
  }

  private onEvent(e: StoreEvent): void {
    if (e.rt === this.nodeType) {
      const before = JSON.stringify(noExecuteTaints(e.old));
      const after = JSON.stringify(e.type === 'DELETED' ? [] : noExecuteTaints(e.object));
      if (e.type === 'MODIFIED' && before === after) return;
      this.handleNode(e.object.metadata.name!);
    } else if (e.rt === this.podType) {
      const k = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      if (e.type === 'DELETED') {
        this.cancel(k, false);
        return;
      }
      const sameNode = e.old?.spec?.nodeName === e.object.spec?.nodeName;
      const sameTolerations = JSON.stringify(e.old?.spec?.tolerations ?? []) === JSON.stringify(e.object.spec?.tolerations ?? []);
      if (e.type === 'MODIFIED' && sameNode && sameTolerations) return;
      const nodeName = e.object.spec?.nodeName;
      if (!nodeName) return;
      const node = this.ctx.store.tryGet(this.nodeType, undefined, nodeName);
      this.processPod(e.object, noExecuteTaints(node));
    }
  }

  private handleNode(nodeName: string): void {
    const node = this.ctx.store.tryGet(this.nodeType, undefined, nodeName);
    const taints = noExecuteTaints(node);
    const pods = this.ctx.store.list(this.podType, undefined, { filter: (p) => p.spec?.nodeName === nodeName }).items;
    for (const pod of pods) this.processPod(pod, taints);
  }

  private processPod(pod: KObject, taints: Taint[]): void {
    const k = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (!taints.length) {
      this.cancel(k, true);
      return;
    }
    const delay = evictionDelay(pod, taints);
    if (delay === undefined) {
      this.cancel(k, true);
      return;
    }
    const now = this.ctx.clock.now();
    const existing = this.work.get(k);
    let createdAt = now;
    if (existing && existing.uid === pod.metadata.uid) {
      // keep counting from when the pod was first seen under a taint
      createdAt = existing.createdAt;
      if (delay > 0 && createdAt + delay === existing.fireAt) return;
      this.cancel(k, false);
    } else if (existing) {
      this.cancel(k, false);
    }
    const fireAt = delay === 0 ? now : createdAt + delay;
    const uid = pod.metadata.uid!;
    const timer = this.ctx.clock.after(Math.max(0, fireAt - now), () => {
      const w = this.work.get(k);
      if (!w || w.timer !== timer) return;
      this.work.delete(k);
      void this.evict(pod.metadata.namespace!, pod.metadata.name!, uid).catch((err) => console.error('taint-eviction-controller:', (err as Error).message ?? err));
    });
    this.work.set(k, { createdAt, fireAt, timer, uid });
  }

  private cancel(k: string, withEvent: boolean): void {
    const w = this.work.get(k);
    if (!w) return;
    w.timer.cancel();
    this.work.delete(k);
    if (!withEvent) return;
    const [namespace, name] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
    const pod = this.ctx.store.tryGet(this.podType, namespace, name);
    if (pod) void this.ctx.events.record(pod, SOURCE, { type: 'Normal', reason: 'TaintManagerEviction', message: `Cancelling deletion of Pod ${k}` });
  }

  private async evict(namespace: string, name: string, uid: string): Promise<void> {
    const { store } = this.ctx;
    const pod = store.tryGet(this.podType, namespace, name);
    if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp) return;
    await this.ctx.events.record(pod, SOURCE, { type: 'Normal', reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${namespace}/${name}` });
    try {
      await store.guaranteedUpdate(this.podType, namespace, name, (cur) => {
        if (cur.metadata.uid !== uid) return cur;
        const conditions: { type: string }[] = cur.status?.conditions ?? [];
        if (conditions.some((c) => c.type === 'DisruptionTarget')) return cur;
        const cond = {
          type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(this.ctx.clock.now()),
          reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
        };
        return { ...cur, status: { ...(cur.status ?? {}), conditions: [...conditions, cond] } };
      }, { subresource: 'status', fieldManager: FIELD_MANAGER });
      await store.delete(this.podType, namespace, name, { preconditions: { uid } });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 404 || code === 409) return;
      throw err;
    }
  }
}
