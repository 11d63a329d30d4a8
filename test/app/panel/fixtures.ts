/**
 * Shared makers for panelView tests: a fully loaded state from parts, pods and controllers with
 * sensible defaults, ownerReferences, and the panel drawn as plain text.
 */
import { emptyState, type ClusterState } from '../../../src/app/panel/state.js';
import type { ControllerSummary, PodSummary } from '../../../src/app/panel/summaries.js';
import { panelView, type PanelLine } from '../../../src/app/panel/view.js';

export const textOf = (l: PanelLine) => l.map((s) => s.text).join('');

/** the lines inside the border as text (the title is the first line only when everything fits in full) */
export function draw(state: ClusterState, width: number, height = 60, lang: 'en' | 'zh' = 'en'): string[] {
  return panelView(state, { width, height, lang }).lines.map(textOf);
}

/** every resource loaded, then the given parts */
export function stateOf(parts: Partial<ClusterState>): ClusterState {
  const base = emptyState('default');
  const status = Object.fromEntries(Object.keys(base.status).map((k) => [k, 'ok'])) as ClusterState['status'];
  return { ...base, status, ...parts };
}

export function pod(name: string, o: Partial<PodSummary> = {}): PodSummary {
  return { name, uid: `uid-${name}`, node: 'worker', status: 'Running', tone: 'ok', ready: 1, containers: 1, restarts: 0, ip: '10.244.1.2', ...o };
}

export function ctl(kind: ControllerSummary['kind'], name: string, o: Partial<ControllerSummary> = {}): ControllerSummary {
  return { kind, name, uid: `uid-${name}`, desired: 3, ready: 3, ...o };
}

export const owner = (c: ControllerSummary) => ({ kind: c.kind, name: c.name, uid: c.uid });

const ready = (name: string) => ({ name, ready: true, unschedulable: false });

/**
 * The deployments lesson after `kubectl apply -f kubia-deployment-v1.yaml`: a kind-style cluster
 * of a control plane and 3 workers, Deployment kubia → ReplicaSet → 3 pods (one a worker each),
 * and the kubernetes and kubia services.
 */
export function lessonState(): ClusterState {
  const deploy = ctl('Deployment', 'kubia');
  const rs = ctl('ReplicaSet', 'kubia-69f4f6569f', { owner: owner(deploy) });
  const workers = ['kube-tutor-worker', 'kube-tutor-worker2', 'kube-tutor-worker3'];
  return stateOf({
    nodes: [ready('kube-tutor-control-plane'), ...workers.map(ready)],
    pods: ['z96st', 'mr7t9', '4xt4q'].map((id, i) => pod(`kubia-69f4f6569f-${id}`, { owner: owner(rs), node: workers[i], ip: `10.244.${i + 1}.2` })),
    controllers: [deploy, rs],
    services: [
      { name: 'kubernetes', type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ port: 443, targetPort: '6443', protocol: 'TCP' }] },
      { name: 'kubia', type: 'ClusterIP', clusterIP: '10.96.0.16', ports: [{ port: 80, targetPort: '8080', protocol: 'TCP' }] },
    ],
    endpointSlices: [
      { name: 'kubernetes', service: 'kubernetes', ports: [6443], addresses: [{ ip: '172.18.0.2', ready: true }] },
      { name: 'kubia-x', service: 'kubia', ports: [8080], addresses: [1, 2, 3].map((i) => ({ ip: `10.244.${i}.2`, ready: true })) },
    ],
  });
}
