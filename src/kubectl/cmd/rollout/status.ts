/**
 * kubectl rollout status: watch a deployment, daemon set or stateful set until its rollout is done,
 * printing kubectl's progress line for every change seen (`Waiting for deployment "kubia" rollout
 * to finish: 1 of 3 updated replicas are available...`, `deployment "kubia" successfully rolled out`).
 */
import { AggregateError2, KubectlError } from '../../client/errors.js';
import type { ApiClient, WatchEvent } from '../../client/api.js';
import type { Command, Invocation } from '../../command.js';
import { parseGoDuration } from '../../input/flags.js';
import type { Info } from '../util/builder.js';
import { FILE_FLAGS, revisionOf, rolloutTargets, SELECTOR_FLAG } from './common.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface StatusResult {
  text: string;
  done: boolean;
}

export type StatusViewer = (obj: any, revision: number) => StatusResult;

export function deploymentStatus(d: any, revision: number): StatusResult {
  const name = d?.metadata?.name ?? '';
  if (revision > 0) {
    const rev = revisionOf(d);
    if (rev === undefined) throw new KubectlError(`cannot get the revision of deployment "${name}": invalid revision annotation`);
    if (rev !== revision) throw new KubectlError(`desired revision (${revision}) is different from the running revision (${rev})`);
  }
  const gen = d?.metadata?.generation ?? 0;
  const st = d?.status ?? {};
  if (gen <= (st.observedGeneration ?? 0)) {
    const progressing = (st.conditions ?? []).find((c: any) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') throw new KubectlError(`deployment "${name}" exceeded its progress deadline`);
    const want = d?.spec?.replicas;
    const updated = st.updatedReplicas ?? 0;
    if (want !== undefined && want !== null && updated < want) {
      return { text: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
    }
    if ((st.replicas ?? 0) > updated) {
      return { text: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
    }
    if ((st.availableReplicas ?? 0) < updated) {
      return { text: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
    }
    return { text: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { text: 'Waiting for deployment spec update to be observed...\n', done: false };
}

export function daemonSetStatus(ds: any): StatusResult {
  const name = ds?.metadata?.name ?? '';
  if ((ds?.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new KubectlError('rollout status is only available for RollingUpdate strategy type');
  const st = ds?.status ?? {};
  if ((ds?.metadata?.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const desired = st.desiredNumberScheduled ?? 0;
    if ((st.updatedNumberScheduled ?? 0) < desired) {
      return { text: `Waiting for daemon set "${name}" rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`, done: false };
    }
    if ((st.numberAvailable ?? 0) < desired) {
      return { text: `Waiting for daemon set "${name}" rollout to finish: ${st.numberAvailable ?? 0} of ${desired} updated pods are available...\n`, done: false };
    }
    return { text: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  return { text: 'Waiting for daemon set spec update to be observed...\n', done: false };
}

export function statefulSetStatus(sts: any): StatusResult {
  const strategy = sts?.spec?.updateStrategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new KubectlError('rollout status is only available for RollingUpdate strategy type');
  const st = sts?.status ?? {};
  if (!st.observedGeneration || (sts?.metadata?.generation ?? 0) > st.observedGeneration) {
    return { text: 'Waiting for statefulset spec update to be observed...\n', done: false };
  }
  const want = sts?.spec?.replicas;
  if (want !== undefined && (st.readyReplicas ?? 0) < want) return { text: `Waiting for ${want - (st.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (want !== undefined && partition !== undefined && partition !== null) {
      if ((st.updatedReplicas ?? 0) < want - partition) {
        return { text: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${want - partition} new pods have been updated...\n`, done: false };
      }
    }
    return { text: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) {
    return { text: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision ?? ''}...\n`, done: false };
  }
  return { text: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision ?? ''}...\n`, done: true };
}

export function statusViewerFor(group: string, kind: string): StatusViewer {
  if (group === 'apps' || group === 'extensions') {
    if (kind === 'Deployment') return deploymentStatus;
    if (kind === 'DaemonSet') return (o) => daemonSetStatus(o);
    if (kind === 'StatefulSet') return (o) => statefulSetStatus(o);
  }
  throw new KubectlError(`no status viewer has been implemented for ${kind}`);
}

/** where the object's states come from: a list, then a watch from the list's resourceVersion */
export interface ObjectSource {
  list(): Promise<{ items: any[]; resourceVersion?: string }>;
  watch(resourceVersion: string | undefined, onEvent: (ev: WatchEvent) => boolean, signal: AbortSignal): Promise<void>;
}

/**
 * UntilWithSync with the status condition: evaluate the listed object, then every ADDED/MODIFIED
 * event, printing each status line, until done (or, without --watch, after the first line).
 * Resolves false on timeout (the caller prints kubectl's message).
 */
export async function waitForRollout(
  source: ObjectSource,
  viewer: StatusViewer,
  opts: { revision: number; watch: boolean; timeoutMs: number; write: (s: string) => void; signal?: AbortSignal },
): Promise<boolean> {
  const ctl = new AbortController();
  const onAbort = () => ctl.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = opts.timeoutMs > 0 ? setTimeout(() => ((timedOut = true), ctl.abort()), opts.timeoutMs) : undefined;
  let failure: unknown;
  let finished = false;
  // true = stop
  const handle = (ev: WatchEvent): boolean => {
    if (finished) return true;
    try {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') {
        const s = viewer(ev.object, opts.revision);
        opts.write(s.text);
        if (s.done || !opts.watch) finished = true;
      } else if (ev.type === 'DELETED') {
        failure = new KubectlError('object has been deleted');
        finished = true;
      } else if (ev.type === 'ERROR') {
        failure = new KubectlError(ev.object?.message ?? 'watch error');
        finished = true;
      }
    } catch (e) {
      failure = e;
      finished = true;
    }
    if (finished) ctl.abort();
    return finished;
  };
  try {
    const listed = await source.list();
    for (const item of listed.items) if (handle({ type: 'ADDED', object: item })) break;
    let rv = listed.resourceVersion;
    while (!finished && !ctl.signal.aborted) {
      await source.watch(
        rv,
        (ev) => {
          if (ev.object?.metadata?.resourceVersion) rv = ev.object.metadata.resourceVersion;
          return handle(ev);
        },
        ctl.signal,
      );
    }
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure;
  if (timedOut && !finished) return false;
  return true;
}

function apiSource(client: ApiClient, info: Info): ObjectSource {
  const fieldSelector = `metadata.name=${info.name}`;
  return {
    async list() {
      const l = await client.list(info.resource, info.namespace, { fieldSelector });
      return { items: (l.items ?? []).map((i: any) => ({ ...i, apiVersion: info.object.apiVersion, kind: info.object.kind })), resourceVersion: l.metadata?.resourceVersion };
    },
    async watch(rv, onEvent, signal) {
      await client.watch(
        info.resource,
        info.namespace,
        { fieldSelector, resourceVersion: rv, allowWatchBookmarks: true },
        (ev) => {
          if (ev.type === 'BOOKMARK') return;
          onEvent(ev);
        },
        signal,
      );
    },
  };
}

export const status: Command = {
  name: 'status',
  short: 'Follow a rollout until it is done',
  usage: 'kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]',
  example: 'kubectl rollout status deployment kubia\nkubectl rollout status deploy/kubia --watch=false\nkubectl rollout status ds/ssd-monitor --timeout=2m',
  flags: [
    ...FILE_FLAGS,
    { name: 'revision', type: 'int', default: 0, usage: 'Follow the rollout of this revision only (deployments; 0 = the latest).' },
    SELECTOR_FLAG,
    { name: 'timeout', type: 'duration', default: '0s', usage: 'Give up after this long (0: wait forever).' },
    { name: 'watch', short: 'w', type: 'bool', default: true, usage: 'Keep watching until the rollout is done (false: print the status once).' },
  ],
  async run(inv: Invocation) {
    const client = await inv.client();
    const sel = await rolloutTargets(inv, client, true);
    const revision = inv.int('revision');
    if (revision < 0) throw new KubectlError('revision must be a positive integer: ' + revision);
    const timeoutMs = parseGoDuration(inv.str('timeout')) ?? 0;
    const errors: Error[] = [];
    let found = false;
    for (const entry of sel.entries) {
      if (entry instanceof Error) {
        errors.push(entry);
        continue;
      }
      found = true;
      try {
        const viewer = statusViewerFor(entry.resource.group, entry.resource.kind);
        inv.effect({ type: 'stream', kind: 'watch' });
        const ok = await waitForRollout(apiSource(client, entry), viewer, {
          revision,
          watch: inv.flags.watch !== false,
          timeoutMs,
          write: (s) => inv.out.write(s),
          signal: inv.signal,
        });
        if (!ok) throw new KubectlError('timed out waiting for the condition');
      } catch (e) {
        // kubectl stops at the first object whose status fails
        errors.push(e as Error);
        break;
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length) throw new AggregateError2(errors);
    if (!found) inv.err.write(`No resources found in ${client.namespace} namespace.\n`);
  },
};
