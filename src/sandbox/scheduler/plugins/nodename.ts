/** NodeName: a pod naming a node fits only there (the scheduler leaves already-assigned pods alone). */
import { unresolvable, type FilterPlugin } from '../types.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function fitsNodeName(podNodeName: string | undefined, nodeName: string): boolean {
  return !podNodeName || podNodeName === nodeName;
}

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(pod, node) {
    return fitsNodeName(pod.pod.spec?.nodeName, node.name) ? undefined : unresolvable(ERR_REASON_NODE_NAME);
  },
};
