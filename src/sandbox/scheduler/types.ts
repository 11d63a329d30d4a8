/**
 * The shapes the scheduler's plugins work on, after kube-scheduler's framework: a PodInfo (the pod
 * plus what every plugin needs precomputed), a NodeInfo (the node plus the pods assigned to it
 * and their summed requests), filter plugins that reject a node with a Status, and score
 * plugins whose normalised scores (0–100) are weighted and summed.
 */
import type { KObject } from '../apiserver/types.js';

/** MaxNodeScore: every score plugin's normalised scores lie in [0, MAX_NODE_SCORE] */
export const MAX_NODE_SCORE = 100;

/** requests or allocatable, in the units kube-scheduler uses (millicores, bytes, counts) */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** extended resources and hugepages, by resource name */
  scalar: Record<string, number>;
}

import type { Taint, Toleration } from '../api/tolerations.js';

export type { Taint, Toleration };

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  hostPort: number;
}

/** a pod as the plugins see it */
export interface PodInfo {
  pod: KObject;
  /** `namespace/name` */
  key: string;
  namespace: string;
  name: string;
  /** effective requests (containers, init containers, sidecars, overhead) */
  requests: Resources;
  /** requests with kube's non-zero defaults (100m cpu, 200Mi memory per container) for scoring */
  nonZero: { milliCPU: number; memory: number };
  tolerations: Toleration[];
  nodeSelector: Record<string, string>;
  requiredTerms: NodeSelectorTerm[] | undefined;
  preferredTerms: PreferredSchedulingTerm[];
  hostPorts: HostPort[];
  /** uid of the controller ownerReference (ReplicaSet, StatefulSet, DaemonSet…) */
  ownerUid: string | undefined;
  priority: number;
  preemptionPolicy: string;
  terminating: boolean;
}

/** a node with the pods assigned to it */
export interface NodeInfo {
  name: string;
  node: KObject;
  labels: Record<string, string>;
  unschedulable: boolean;
  /**
   * spec.taints plus, for a node whose Ready condition is not True, the NoSchedule taint the node
   * lifecycle controller would add (`node.kubernetes.io/not-ready` / `unreachable`) if missing
   */
  taints: Taint[];
  allocatable: Resources;
  allowedPodNumber: number;
  pods: PodInfo[];
  requested: Resources;
  nonZeroRequested: { milliCPU: number; memory: number };
  /** `ip/protocol/port` of host ports in use */
  usedPorts: HostPort[];
}

export type Code = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** why a plugin rejects a node (several reasons only from NodeResourcesFit) */
export interface Status {
  code: Code;
  reasons: string[];
  plugin?: string;
}

export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}

export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

export interface FilterPlugin {
  name: string;
  /** undefined: the node fits */
  filter(pod: PodInfo, node: NodeInfo): Status | undefined;
}

/** PreFilter: may narrow the candidate nodes (NodeAffinity's matchFields metadata.name) or reject the pod outright */
export interface PreFilterPlugin {
  name: string;
  /** undefined: all nodes; a Set: only these node names; a Status: the pod fits nowhere */
  preFilter(pod: PodInfo): Set<string> | Status | undefined;
}

export interface ScorePlugin {
  name: string;
  weight: number;
  /** raw scores of the feasible nodes, then normalised to [0, MAX_NODE_SCORE] */
  score(pod: PodInfo, nodes: NodeInfo[]): number[];
}
