/** The default profile: plugins in kube-scheduler's order (filters stop at the first rejection). */
import type { FilterPlugin, PreFilterPlugin, ScorePlugin } from '../types.js';
import { nodeAffinity } from './nodeaffinity.js';
import { nodeName } from './nodename.js';
import { nodePorts } from './nodeports.js';
import { nodeResourcesBalancedAllocation, nodeResourcesFit } from './noderesources.js';
import { nodeUnschedulable } from './nodeunschedulable.js';
import { podTopologySpread } from './spread.js';
import { taintToleration } from './tainttoleration.js';

export interface Profile {
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  score: ScorePlugin[];
}

export const defaultProfile: Profile = {
  preFilter: [nodeAffinity],
  filter: [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit],
  score: [taintToleration, nodeAffinity, nodeResourcesFit, podTopologySpread, nodeResourcesBalancedAllocation],
};

export { nodeAffinity, nodeName, nodePorts, nodeResourcesBalancedAllocation, nodeResourcesFit, nodeUnschedulable, podTopologySpread, taintToleration };
