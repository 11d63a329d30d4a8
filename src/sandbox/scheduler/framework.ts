/**
 * One scheduling attempt, like kube-scheduler's schedulePod: PreFilter (may narrow the nodes),
 * Filter on every candidate (each node's first rejecting plugin gives its reasons), Score the
 * feasible nodes (normalised per plugin, weighted, summed), pick the best with random tie-breaks.
 * When nothing fits, the FitError message kube prints:
 * `0/N nodes are available: <count> <reason>, …. preemption: 0/N nodes are available: …`.
 */
import { defaultProfile, type Profile } from './plugins/index.js';
import { MAX_NODE_SCORE, unresolvable, type NodeInfo, type PodInfo, type Status } from './types.js';

export type ScheduleResult =
  | { node: string; scores?: Map<string, number> }
  | { node?: undefined; message: string; diagnosis: Diagnosis };

export interface Diagnosis {
  numAllNodes: number;
  /** the nodes the filters rejected, with the first rejecting plugin's status */
  nodeToStatus: Map<string, Status>;
  /** the status of nodes PreFilter left out (or of every node when PreFilter rejected the pod) */
  absentStatus?: Status;
  preFilterMsg?: string;
  postFilterMsg?: string;
}

export const NO_NODE_AVAILABLE = (n: number) => `0/${n} nodes are available`;

/** run the filters on one node; undefined when it fits */
export function runFilters(pod: PodInfo, node: NodeInfo, profile: Profile = defaultProfile): Status | undefined {
  for (const p of profile.filter) {
    const s = p.filter(pod, node);
    if (s) return { ...s, plugin: p.name };
  }
  return undefined;
}

export function schedulePod(pod: PodInfo, nodes: NodeInfo[], random: () => number, profile: Profile = defaultProfile): ScheduleResult {
  const diagnosis: Diagnosis = { numAllNodes: nodes.length, nodeToStatus: new Map() };
  // PreFilter
  let allowed: Set<string> | undefined;
  const narrowing: string[] = [];
  for (const p of profile.preFilter) {
    const r = p.preFilter(pod);
    if (r === undefined) continue;
    if (!(r instanceof Set)) {
      diagnosis.preFilterMsg = r.reasons.join(', ');
      diagnosis.absentStatus = { ...r, plugin: p.name };
      return fail(pod, nodes, diagnosis, profile);
    }
    narrowing.push(p.name);
    allowed = allowed ? new Set([...allowed].filter((n) => r.has(n))) : r;
    if (allowed.size === 0) {
      const msg = narrowing.length === 1 ? `node(s) didn't satisfy plugin ${narrowing[0]}` : `node(s) didn't satisfy plugin(s) [${narrowing.join(' ')}] simultaneously`;
      diagnosis.preFilterMsg = msg;
      diagnosis.absentStatus = { code: 'Unschedulable', reasons: [msg] };
      return fail(pod, nodes, diagnosis, profile);
    }
  }
  let candidates = nodes;
  if (allowed) {
    candidates = nodes.filter((n) => allowed!.has(n.name));
    diagnosis.absentStatus = unresolvable(`node(s) didn't satisfy plugin(s) [${[...narrowing].sort().join(' ')}]`);
  }
  // Filter
  const feasible: NodeInfo[] = [];
  for (const n of candidates) {
    const s = runFilters(pod, n, profile);
    if (s) diagnosis.nodeToStatus.set(n.name, s);
    else feasible.push(n);
  }
  if (!feasible.length) return fail(pod, nodes, diagnosis, profile);
  if (feasible.length === 1) return { node: feasible[0].name };
  // Score
  const totals = new Array<number>(feasible.length).fill(0);
  for (const p of profile.score) {
    const scores = p.score(pod, feasible);
    for (let i = 0; i < feasible.length; i++) totals[i] += Math.max(0, Math.min(MAX_NODE_SCORE, scores[i] ?? 0)) * p.weight;
  }
  return { node: feasible[selectHost(totals, random)].name, scores: new Map(feasible.map((n, i) => [n.name, totals[i]])) };
}

/** the index of the highest score; ties broken uniformly at random (reservoir sampling, like kube) */
export function selectHost(totals: number[], random: () => number): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (Math.floor(random() * ties) === 0) best = i;
    }
  }
  return best;
}

function fail(pod: PodInfo, nodes: NodeInfo[], diagnosis: Diagnosis, profile: Profile): ScheduleResult {
  diagnosis.postFilterMsg = preemptionMessage(pod, nodes, diagnosis, profile);
  return { message: fitErrorMessage(diagnosis), diagnosis };
}

function statusOf(d: Diagnosis, node: string): Status | undefined {
  return d.nodeToStatus.get(node) ?? d.absentStatus;
}

/** FitError.Error(): reasons counted over nodes, `"<count> <reason>"` sorted as strings */
export function fitErrorMessage(d: Diagnosis): string {
  let msg = `${NO_NODE_AVAILABLE(d.numAllNodes)}:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const reasons = new Map<string, number>();
    for (const s of d.nodeToStatus.values()) for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const absent = d.numAllNodes - d.nodeToStatus.size;
    if (absent > 0 && d.absentStatus) for (const r of d.absentStatus.reasons) reasons.set(r, (reasons.get(r) ?? 0) + absent);
    const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort(byteCompare);
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * DefaultPreemption's PostFilter message when preemption cannot help: nodes rejected as
 * unresolvable are "not helpful"; on the others the pod would need lower-priority victims.
 * (Preemption itself is not simulated: when evicting lower-priority pods would make room, no
 * message is added, as kube adds none when it finds a candidate.)
 */
export function preemptionMessage(pod: PodInfo, nodes: NodeInfo[], d: Diagnosis, profile: Profile = defaultProfile): string | undefined {
  if (pod.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  const statuses = new Map<string, Status>();
  let candidates = 0;
  for (const n of nodes) {
    const s = statusOf(d, n.name);
    if (!s || s.code === 'UnschedulableAndUnresolvable') {
      statuses.set(n.name, unresolvable('Preemption is not helpful for scheduling'));
      continue;
    }
    const victims = n.pods.filter((p) => p.priority < pod.priority);
    if (!victims.length) {
      statuses.set(n.name, unresolvable('No preemption victims found for incoming pod'));
      continue;
    }
    const rest = n.pods.filter((p) => p.priority >= pod.priority);
    const without = { ...n, pods: rest, ...recount(rest) };
    const after = runFilters(pod, without, profile);
    if (after) statuses.set(n.name, after);
    else candidates++;
  }
  if (candidates > 0) return undefined;
  return `preemption: ${fitErrorMessage({ numAllNodes: nodes.length, nodeToStatus: statuses })}`;
}

function recount(pods: PodInfo[]): Pick<NodeInfo, 'requested' | 'nonZeroRequested' | 'usedPorts'> {
  const requested = { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} as Record<string, number> };
  const nonZeroRequested = { milliCPU: 0, memory: 0 };
  for (const p of pods) {
    requested.milliCPU += p.requests.milliCPU;
    requested.memory += p.requests.memory;
    requested.ephemeralStorage += p.requests.ephemeralStorage;
    for (const [k, v] of Object.entries(p.requests.scalar)) requested.scalar[k] = (requested.scalar[k] ?? 0) + v;
    nonZeroRequested.milliCPU += p.nonZero.milliCPU;
    nonZeroRequested.memory += p.nonZero.memory;
  }
  return { requested, nonZeroRequested, usedPorts: pods.flatMap((p) => p.hostPorts) };
}
