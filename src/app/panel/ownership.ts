/**
 * Who belongs to whom in the cluster panel's state: pods grouped by the node they run on, and
 * controllers as ownership trees through ownerReferences (Deployment → ReplicaSets → pods,
 * CronJob → Jobs → pods, RC → pods). The full and the compact pictures are both drawn from these.
 */
import type { ClusterState } from './state.js';
import type { ControllerKind, ControllerSummary, NodeSummary, PodSummary } from './summaries.js';

/** the short names learners type: deploy/kubia, rs/…, rc/… */
export const SHORT_KIND: Record<ControllerKind, string> = {
  Deployment: 'deploy',
  ReplicaSet: 'rs',
  ReplicationController: 'rc',
  DaemonSet: 'ds',
  StatefulSet: 'sts',
  Job: 'job',
  CronJob: 'cronjob',
};

export function groupBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), it]);
  }
  return out;
}

export interface NodeGroup {
  name: string;
  /** undefined for a node known only from its pods' nodeName (nodes not readable) */
  node?: NodeSummary;
  pods: PodSummary[];
}

/** every node by name (also those only known from pods' nodeName), and the pods not scheduled yet */
export function nodeGroups(state: ClusterState): { nodes: NodeGroup[]; unscheduled: PodSummary[] } {
  const nodes = new Map(state.nodes.map((n) => [n.name, n]));
  const podsOn = groupBy(state.pods, (p) => p.node ?? '');
  const names = [...new Set([...nodes.keys(), ...[...podsOn.keys()].filter((n) => n !== '')])].sort();
  return {
    nodes: names.map((name) => ({ name, node: nodes.get(name), pods: podsOn.get(name) ?? [] })),
    unscheduled: podsOn.get('') ?? [],
  };
}

export interface ControllerTree {
  controller: ControllerSummary;
  /** the controllers it owns (old ReplicaSets scaled to zero with no pods left out) */
  children: ControllerTree[];
  /** the pods it owns itself */
  pods: PodSummary[];
}

/** the controllers as trees; a controller whose owner is not watched is a root */
export function controllerForest(state: ClusterState): ControllerTree[] {
  const known = new Set(state.controllers.map((c) => c.uid));
  const podsOf = groupBy(state.pods, (p) => p.owner?.uid);
  const ownedBy = groupBy(state.controllers, (c) => (c.owner && known.has(c.owner.uid) ? c.owner.uid : undefined));
  // an old ReplicaSet of a Deployment, scaled to zero with no pods left, is history, not picture
  const retired = (c: ControllerSummary) => c.kind === 'ReplicaSet' && !!c.owner && c.desired === 0 && !podsOf.has(c.uid);
  const tree = (c: ControllerSummary): ControllerTree => ({
    controller: c,
    children: (ownedBy.get(c.uid) ?? []).filter((k) => !retired(k)).map(tree),
    pods: podsOf.get(c.uid) ?? [],
  });
  return state.controllers.filter((c) => !c.owner || !known.has(c.owner.uid)).map(tree);
}

export interface Endpoint {
  /** ip:port(s) as a client would dial it */
  text: string;
  ready: boolean;
}

/** each service's endpoints from its EndpointSlices, without duplicates, in address order */
export function endpointsByService(state: ClusterState): Map<string, Endpoint[]> {
  const out = new Map<string, Endpoint[]>();
  for (const [service, slices] of groupBy(state.endpointSlices, (e) => e.service)) {
    const seen = new Set<string>();
    const endpoints: Endpoint[] = [];
    for (const slice of slices) {
      for (const a of slice.addresses) {
        const text = slice.ports.length ? `${a.ip}:${slice.ports.join(',')}` : a.ip;
        if (seen.has(text)) continue;
        seen.add(text);
        endpoints.push({ text, ready: a.ready });
      }
    }
    endpoints.sort((a, b) => a.text.localeCompare(b.text, 'en', { numeric: true }));
    out.set(service, endpoints);
  }
  return out;
}
