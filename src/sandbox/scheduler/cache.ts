/**
 * The scheduler's node-info cache: nodes and the pods assigned to them, kept up to date from the
 * store's change feed (like kube-scheduler's cache over its informers). Terminated pods
 * (Succeeded/Failed) hold nothing; terminating pods still do until they are gone.
 */
import type { ResourceType } from '../apiserver/resource.js';
import type { Store, StoreEvent } from '../apiserver/store.js';
import type { KObject } from '../apiserver/types.js';
import { isTerminal, nodeInfo, podInfo, podKey } from './podinfo.js';
import type { NodeInfo, PodInfo } from './types.js';

export class NodeInfoCache {
  private readonly nodes = new Map<string, KObject>();
  /** node name → pod key → pod */
  private readonly podsByNode = new Map<string, Map<string, PodInfo>>();
  /** pod key → the node it is counted on */
  private readonly podNode = new Map<string, string>();
  /** node name → NodeInfo built since the last change */
  private readonly built = new Map<string, NodeInfo>();

  constructor(store: Store, private readonly podsRt: ResourceType, private readonly nodesRt: ResourceType) {
    for (const n of store.list(nodesRt, undefined).items) this.nodes.set(n.metadata.name!, n);
    for (const p of store.list(podsRt, undefined).items) this.setPod(p);
  }

  /**
   * Feed a store event. Returns true when the change may make an unschedulable pod fit: a node
   * added, or its labels, taints, unschedulable flag, allocatable or readiness changed; or an
   * assigned pod gone or terminated (its resources and ports are free again).
   */
  handle(e: StoreEvent): boolean {
    if (e.rt === this.nodesRt) {
      const name = e.object.metadata.name!;
      const old = this.nodes.get(name);
      if (e.type === 'DELETED') this.nodes.delete(name);
      else this.nodes.set(name, e.object);
      this.built.delete(name);
      return e.type !== 'DELETED' && (!old || nodeSchedulingChanged(old, e.object));
    }
    if (e.rt === this.podsRt) {
      const key = podKey(e.object);
      if (e.type === 'DELETED') return this.removePod(key);
      const wasCounted = this.podNode.has(key);
      this.setPod(e.object);
      return wasCounted && !this.podNode.has(key);
    }
    return false;
  }

  /** every node with its pods, by name */
  snapshot(): NodeInfo[] {
    const out: NodeInfo[] = [];
    for (const name of [...this.nodes.keys()].sort()) out.push(this.nodeInfo(name)!);
    return out;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    const node = this.nodes.get(name);
    if (!node) return undefined;
    let info = this.built.get(name);
    if (!info) {
      info = nodeInfo(node, [...(this.podsByNode.get(name)?.values() ?? [])]);
      this.built.set(name, info);
    }
    return info;
  }

  private setPod(pod: KObject): void {
    const key = podKey(pod);
    const nodeName: string | undefined = pod.spec?.nodeName;
    if (!nodeName || isTerminal(pod)) {
      this.removePod(key);
      return;
    }
    const prev = this.podNode.get(key);
    if (prev && prev !== nodeName) this.removePod(key);
    let pods = this.podsByNode.get(nodeName);
    if (!pods) this.podsByNode.set(nodeName, (pods = new Map()));
    pods.set(key, podInfo(pod));
    this.podNode.set(key, nodeName);
    this.built.delete(nodeName);
  }

  private removePod(key: string): boolean {
    const nodeName = this.podNode.get(key);
    if (!nodeName) return false;
    this.podNode.delete(key);
    this.podsByNode.get(nodeName)?.delete(key);
    this.built.delete(nodeName);
    return true;
  }
}

/** did a node change in a way the filters look at? */
function nodeSchedulingChanged(a: KObject, b: KObject): boolean {
  const ready = (n: KObject) => (n.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status;
  const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  return !same(a.metadata.labels, b.metadata.labels)
    || !same(a.spec?.taints, b.spec?.taints)
    || !!a.spec?.unschedulable !== !!b.spec?.unschedulable
    || !same(a.status?.allocatable, b.status?.allocatable)
    || ready(a) !== ready(b);
}
