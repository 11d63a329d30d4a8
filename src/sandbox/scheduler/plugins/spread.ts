/**
 * Spreading (what PodTopologySpread's system-default constraints do on kubernetes.io/hostname):
 * the fewer pods of the same owner (controller ownerReference) a node runs, the higher its score.
 */
import { MAX_NODE_SCORE, type NodeInfo, type PodInfo, type ScorePlugin } from '../types.js';

/** how many pods on the node belong to the pod's owner (terminating pods don't count) */
export function countSameOwner(pod: Pick<PodInfo, 'ownerUid' | 'namespace'>, node: Pick<NodeInfo, 'pods'>): number {
  if (!pod.ownerUid) return 0;
  return node.pods.filter((p) => p.ownerUid === pod.ownerUid && p.namespace === pod.namespace && !p.terminating).length;
}

/** PodTopologySpread's NormalizeScore: fewer matching pods → closer to MAX_NODE_SCORE */
export function spreadScores(counts: number[]): number[] {
  if (!counts.length) return [];
  const max = Math.max(...counts);
  const min = Math.min(...counts);
  if (max === 0) return counts.map(() => MAX_NODE_SCORE);
  return counts.map((c) => Math.trunc((MAX_NODE_SCORE * (max + min - c)) / max));
}

export const podTopologySpread: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  score(pod, nodes) {
    if (!pod.ownerUid) return nodes.map(() => 0);
    return spreadScores(nodes.map((n) => countSameOwner(pod, n)));
  },
};
