/**
 * TaintToleration: a node's NoSchedule/NoExecute taints must all be tolerated (the first one that
 * is not is the reason); untolerated PreferNoSchedule taints lower the score.
 */
import { toleratesTaint, tolerated } from '../../api/tolerations.js';
import { MAX_NODE_SCORE, unresolvable, type FilterPlugin, type ScorePlugin, type Taint, type Toleration } from '../types.js';

export { toleratesTaint, tolerated };

/** the first taint with one of `effects` that no toleration tolerates */
export function findUntoleratedTaint(taints: Taint[], tolerations: Toleration[], effects = ['NoSchedule', 'NoExecute']): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerated(tolerations, taint));
}

export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

export const taintToleration: FilterPlugin & ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(pod, node) {
    const taint = findUntoleratedTaint(node.taints, pod.tolerations);
    return taint ? unresolvable(untoleratedTaintReason(taint)) : undefined;
  },
  score(pod, nodes) {
    // only tolerations that could apply to PreferNoSchedule taints count
    const tols = pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    const counts = nodes.map((n) => n.taints.filter((taint) => taint.effect === 'PreferNoSchedule' && !tolerated(tols, taint)).length);
    return normalize(counts, true);
  },
};

/** helper.DefaultNormalizeScore: scale to [0, MAX_NODE_SCORE], optionally reversed */
export function normalize(scores: number[], reverse: boolean): number[] {
  const maxCount = Math.max(0, ...scores);
  if (maxCount === 0) return scores.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return scores.map((s) => {
    const v = Math.trunc((MAX_NODE_SCORE * s) / maxCount);
    return reverse ? MAX_NODE_SCORE - v : v;
  });
}
