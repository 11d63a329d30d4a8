/**
 * The cluster panel's state: the summaries of what is watched in the current namespace (plus the
 * cluster's nodes) and, per watched resource, whether it loaded, is loading, is forbidden (RBAC),
 * is not served, or failed. ClusterWatch produces it; panelView draws it.
 */
import type { ControllerSummary, EndpointSliceSummary, NodeSummary, PodSummary, ServiceSummary } from './summaries.js';

/** the watched resources */
export type SectionKey =
  | 'nodes'
  | 'pods'
  | 'services'
  | 'endpointslices'
  | 'deployments'
  | 'replicasets'
  | 'replicationcontrollers'
  | 'daemonsets'
  | 'statefulsets'
  | 'jobs'
  | 'cronjobs';

/** loading: not listed yet · forbidden: 401/403 · missing: not served (404, not in discovery) · error: unreachable or failing */
export type SectionStatus = 'loading' | 'ok' | 'forbidden' | 'missing' | 'error';

export interface ClusterState {
  namespace: string;
  status: Readonly<Record<SectionKey, SectionStatus>>;
  /** sorted by name */
  nodes: readonly NodeSummary[];
  pods: readonly PodSummary[];
  /** every controller kind together, sorted by kind then name */
  controllers: readonly ControllerSummary[];
  services: readonly ServiceSummary[];
  endpointSlices: readonly EndpointSliceSummary[];
  /** the last connection problem, while some resource is failing */
  error?: string;
}

export const CONTROLLER_SECTIONS = ['deployments', 'replicasets', 'replicationcontrollers', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs'] as const satisfies readonly SectionKey[];

export const ALL_SECTIONS: readonly SectionKey[] = ['nodes', 'pods', 'services', 'endpointslices', ...CONTROLLER_SECTIONS];

/** a state with nothing loaded yet */
export function emptyState(namespace: string): ClusterState {
  const status = Object.fromEntries(ALL_SECTIONS.map((k) => [k, 'loading'])) as Record<SectionKey, SectionStatus>;
  return { namespace, status, nodes: [], pods: [], controllers: [], services: [], endpointSlices: [] };
}
