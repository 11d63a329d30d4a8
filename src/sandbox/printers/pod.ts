/** Pod table (printers.go printPod, kube-apiserver 1.33). */
import type { KObject, TableRowCondition } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { arr, findCondition, humanDuration, int, parseTimestamp, str, translateTimestampSince } from './format.js';

export const podColumns = [
  nameColumn(),
  column('Ready', 'string', '', 0, 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', '', 0, 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'string', '', 0, 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn(),
  column('IP', 'string', '', 1, 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
  column('Node', 'string', '', 1, 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename'),
  column('Nominated Node', 'string', '', 1, 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.'),
  column('Readiness Gates', 'string', '', 1, 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates'),
];

interface ContainerStateLike {
  waiting?: { reason?: string } | null;
  running?: object | null;
  terminated?: { exitCode?: number; signal?: number; reason?: string; finishedAt?: string } | null;
}

interface ContainerStatusLike {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateLike | null;
  lastState?: ContainerStateLike | null;
}

interface ConditionLike {
  type?: string;
  status?: string;
  reason?: string;
}

function conditionIsTrue(conditions: unknown, type: string): boolean {
  return findCondition<ConditionLike>(conditions, type)?.status === 'True';
}

/** READY, STATUS and RESTARTS of a pod (the core of printPod). */
export function podStatusSummary(
  pod: KObject,
  now: Date,
): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initContainers = arr<{ name?: string; restartPolicy?: string }>(spec.initContainers);
  const sidecarNames = new Set(
    initContainers.filter((c) => c?.restartPolicy === 'Always').map((c) => str(c?.name)),
  );
  const totalContainers =
    arr(spec.containers).length + initContainers.filter((c) => c?.restartPolicy === 'Always').length;

  let readyContainers = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  let sidecarRestarts = 0;
  let sidecarLastRestart: number | undefined;
  const later = (a: number | undefined, b: number | undefined) =>
    a === undefined ? b : b === undefined ? a : Math.max(a, b);

  let reason = str(status.phase);
  if (str(status.reason) !== '') reason = str(status.reason);

  const scheduled = findCondition<ConditionLike>(status.conditions, 'PodScheduled');
  if (scheduled && scheduled.reason === 'SchedulingGated') reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = arr<ContainerStatusLike>(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] ?? {};
    const rc = int(cs.restartCount);
    const finished = parseTimestamp(cs.lastState?.terminated?.finishedAt);
    restarts += rc;
    lastRestart = later(lastRestart, finished);
    const isSidecar = sidecarNames.has(str(cs.name));
    if (isSidecar) {
      sidecarRestarts += rc;
      sidecarLastRestart = later(sidecarLastRestart, finished);
    }
    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) readyContainers++;
      continue;
    }
    if (terminated) {
      if (str(terminated.reason) !== '') reason = `Init:${terminated.reason}`;
      else if (int(terminated.signal) !== 0) reason = `Init:Signal:${int(terminated.signal)}`;
      else reason = `Init:ExitCode:${int(terminated.exitCode)}`;
    } else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionIsTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = sidecarLastRestart;
    let hasRunning = false;
    const statuses = arr<ContainerStatusLike>(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] ?? {};
      restarts += int(cs.restartCount);
      lastRestart = later(lastRestart, parseTimestamp(cs.lastState?.terminated?.finishedAt));
      const waiting = cs.state?.waiting;
      const terminated = cs.state?.terminated;
      if (waiting && str(waiting.reason) !== '') {
        reason = str(waiting.reason);
      } else if (terminated && str(terminated.reason) !== '') {
        reason = str(terminated.reason);
      } else if (terminated) {
        reason =
          int(terminated.signal) !== 0
            ? `Signal:${int(terminated.signal)}`
            : `ExitCode:${int(terminated.exitCode)}`;
      } else if (cs.ready === true && cs.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditionIsTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp != null && str(status.reason) === 'NodeLost') {
    reason = 'Unknown';
  } else if (
    pod.metadata?.deletionTimestamp != null &&
    status.phase !== 'Succeeded' &&
    status.phase !== 'Failed'
  ) {
    reason = 'Terminating';
  }

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsText = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsText };
}

function readinessGates(pod: KObject): string {
  const gates = arr<{ conditionType?: string }>(pod.spec?.readinessGates);
  if (gates.length === 0) return '<none>';
  let trueCount = 0;
  for (const gate of gates) {
    if (conditionIsTrue(pod.status?.conditions, str(gate?.conditionType))) trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podTable: KindTablePrinter = {
  columns: podColumns,
  cells(pod: KObject, now: Date): unknown[] {
    const { ready, status, restarts } = podStatusSummary(pod, now);
    const podIPs = arr<{ ip?: string }>(pod.status?.podIPs);
    const ip = podIPs.length > 0 ? str(podIPs[0]?.ip) : '<none>';
    const nodeName = str(pod.spec?.nodeName);
    const nominated = str(pod.status?.nominatedNodeName);
    return [
      str(pod.metadata?.name),
      ready,
      status,
      restarts,
      translateTimestampSince(pod.metadata?.creationTimestamp, now),
      ip,
      nodeName === '' ? '<none>' : nodeName,
      nominated === '' ? '<none>' : nominated,
      readinessGates(pod),
    ];
  },
  conditions(pod: KObject): TableRowCondition[] | undefined {
    switch (pod.status?.phase) {
      case 'Succeeded':
        return [
          {
            type: 'Completed',
            status: 'True',
            reason: 'Succeeded',
            message: 'The pod has completed successfully.',
          },
        ];
      case 'Failed':
        return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      default:
        return undefined;
    }
  },
};
