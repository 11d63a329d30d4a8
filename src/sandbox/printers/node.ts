/** Node table (printers.go printNode). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { arr, str, translateTimestampSince } from './format.js';

export const nodeColumns = [
  nameColumn(),
  column('Status', 'string', '', 0, 'The status of the node'),
  column('Roles', 'string', '', 0, 'The roles of the node'),
  ageColumn(),
  column('Version', 'string', '', 0, 'Kubelet Version reported by the node.'),
  column('Internal-IP', 'string', '', 1, 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).'),
  column('External-IP', 'string', '', 1, 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).'),
  column('OS-Image', 'string', '', 1, 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
  column('Kernel-Version', 'string', '', 1, 'Kernel Version reported by the node from \'uname -r\' (e.g. 3.16.0-0.bpo.4-amd64).'),
  column('Container-Runtime', 'string', '', 1, 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
];

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

/** STATUS: Ready / NotReady / Unknown from the (last) Ready condition, `,SchedulingDisabled` appended. */
export function nodeStatus(node: KObject): string {
  let ready: { status?: unknown } | undefined;
  for (const c of arr<{ type?: unknown; status?: unknown }>(node.status?.conditions)) {
    if (c?.type === 'Ready') ready = c;
  }
  const parts: string[] = [];
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (parts.length === 0) parts.push('Unknown');
  if (node.spec?.unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** ROLES: `node-role.kubernetes.io/<role>` label suffixes plus `kubernetes.io/role` value, sorted. */
export function nodeRoles(node: KObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(NODE_ROLE_PREFIX)) {
      const role = key.slice(NODE_ROLE_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (key === NODE_ROLE_LABEL && str(value) !== '') {
      roles.add(str(value));
    }
  }
  if (roles.size === 0) return '<none>';
  return [...roles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(',');
}

function firstAddress(node: KObject, type: string): string {
  const a = arr<{ type?: unknown; address?: unknown }>(node.status?.addresses).find((x) => x?.type === type);
  return a ? str(a.address) : '<none>';
}

function orUnknown(v: unknown): string {
  const s = str(v);
  return s === '' ? '<unknown>' : s;
}

export const nodeTable: KindTablePrinter = {
  columns: nodeColumns,
  cells(node: KObject, now: Date): unknown[] {
    const info = node.status?.nodeInfo ?? {};
    return [
      str(node.metadata?.name),
      nodeStatus(node),
      nodeRoles(node),
      translateTimestampSince(node.metadata?.creationTimestamp, now),
      str(info.kubeletVersion),
      firstAddress(node, 'InternalIP'),
      firstAddress(node, 'ExternalIP'),
      orUnknown(info.osImage),
      orUnknown(info.kernelVersion),
      orUnknown(info.containerRuntimeVersion),
    ];
  },
};
