/**
 * A pod's one-word status as a learner reads it in `kubectl get pods` (Running, Pending,
 * ContainerCreating, CrashLoopBackOff, Init:0/1, Completed, Terminating …), worked out from the
 * pod's phase, its containers' states and its deletion mark, plus the colour the panel gives it.
 */

/** the panel's semantic colours: healthy, in progress, broken, finished/unimportant */
export type Tone = 'ok' | 'warn' | 'bad' | 'dim';

/** waiting reasons that only mean "not started yet" (everything else a container waits on is a problem) */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/** what a finished container's state says: its reason, else its signal or exit code */
function terminatedText(t: any): string {
  if (t.reason) return t.reason;
  if (t.signal) return `Signal:${t.signal}`;
  return `ExitCode:${t.exitCode ?? 0}`;
}

/** while init containers have not all succeeded: `Init:…`, else undefined */
function initStatus(pod: any): string | undefined {
  const total = (pod.spec?.initContainers ?? []).length;
  const statuses: any[] = pod.status?.initContainerStatuses ?? [];
  for (let i = 0; i < statuses.length; i++) {
    const state = statuses[i]?.state ?? {};
    if (state.terminated && state.terminated.exitCode === 0) continue;
    if (state.terminated) return `Init:${terminatedText(state.terminated)}`;
    const waiting = state.waiting?.reason;
    if (waiting && waiting !== 'PodInitializing') return `Init:${waiting}`;
    return `Init:${i}/${total}`;
  }
  return undefined;
}

function readyCondition(pod: any): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** the STATUS word for a pod */
export function podStatus(pod: any): string {
  if (pod.metadata?.deletionTimestamp) return pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const init = initStatus(pod);
  if (init) return init;
  let status: string = pod.status?.reason || pod.status?.phase || 'Pending';
  let running = false;
  // the last container with something to say wins, as the list is read back to front
  const containers: any[] = [...(pod.status?.containerStatuses ?? [])].reverse();
  for (const c of containers) {
    const state = c.state ?? {};
    if (state.waiting?.reason) status = state.waiting.reason;
    else if (state.terminated) status = terminatedText(state.terminated);
    else if (state.running && c.ready) running = true;
  }
  if (status === 'Completed' && running) status = readyCondition(pod) ? 'Running' : 'NotReady';
  return status;
}

/** the colour for a status word; `allReady` says whether every container is ready */
export function statusTone(status: string, allReady: boolean): Tone {
  if (status === 'Running') return allReady ? 'ok' : 'warn';
  if (status === 'Completed' || status === 'Succeeded') return 'dim';
  if (status === 'Pending' || status === 'Terminating' || STARTING.has(status)) return 'warn';
  if (/^Init:\d+\/\d+$/.test(status)) return 'warn';
  return 'bad';
}
