/** NodePorts: a pod's hostPorts must be free on the node. */
import { unschedulable, type FilterPlugin, type HostPort } from '../types.js';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

function conflicts(a: HostPort, b: HostPort): boolean {
  if (a.hostPort !== b.hostPort || a.protocol !== b.protocol) return false;
  return a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0' || a.hostIP === b.hostIP;
}

export function fitsPorts(wanted: HostPort[], used: HostPort[]): boolean {
  return !wanted.some((w) => used.some((u) => conflicts(w, u)));
}

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(pod, node) {
    return fitsPorts(pod.hostPorts, node.usedPorts) ? undefined : unschedulable(ERR_REASON_PORTS);
  },
};
