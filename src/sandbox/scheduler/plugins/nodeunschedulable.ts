/** NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods tolerating the unschedulable taint. */
import { TAINT_UNSCHEDULABLE } from '../podinfo.js';
import { unresolvable, type FilterPlugin, type NodeInfo, type PodInfo, type Status, type Toleration } from '../types.js';
import { toleratesTaint } from './tainttoleration.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

export function fitsUnschedulable(tolerations: Toleration[], nodeUnschedulable: boolean): boolean {
  if (!nodeUnschedulable) return true;
  return tolerations.some((t) => toleratesTaint(t, { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' }));
}

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod: PodInfo, node: NodeInfo): Status | undefined {
    return fitsUnschedulable(pod.tolerations, node.unschedulable) ? undefined : unresolvable(ERR_REASON_UNSCHEDULABLE);
  },
};
