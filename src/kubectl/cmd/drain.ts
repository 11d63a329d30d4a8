/**
 * kubectl drain: cordon a node, then evict (or delete) its pods and wait until they are gone.
 * DaemonSet-managed pods, pods with emptyDir data and pods no controller owns stop the drain unless
 * a flag allows them; mirror pods are left alone. Eviction goes through pods/eviction when discovery
 * lists it (then PodDisruptionBudgets can refuse, and drain retries), else plain DELETE. On a real
 * cluster the session asks before anything is evicted.
 */
import type { ApiClient } from '../client/api.js';
import { AggregateError2, KubectlError, ServerError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { formatGoDuration, parseGoDuration } from '../input/flags.js';
import type { ApiResource } from '../resource/discovery.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, type DryRun } from './create-common.js';
import { checkNodeArgs, nodeSelection, setUnschedulable } from './util/cordon.js';
import { isLabelSelector } from './util/selector.js';
import { sleep } from './util/wait.js';

const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
// kubectl 1.33 words it so (its `cannot delete ` prefix then appears twice in the error)
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
/** how often drain looks whether an evicted pod is gone, and waits after a refused eviction */
const POLL_MS = 1000;
const RETRY_MS = 5000;

/** what a pod filter decided: delete it or not, and why (a warning, or an error that stops the drain) */
interface Verdict {
  del: boolean;
  reason?: 'warning' | 'error' | 'skip';
  message?: string;
}
const OK: Verdict = { del: true };

interface Drainer {
  inv: Invocation;
  client: ApiClient;
  pods: ApiResource;
  dry: DryRun;
  /** --grace-period when not negative (the pod's own otherwise) */
  grace?: number;
  /** --timeout (ms; 0: none) and the moment it runs out */
  timeout: number;
  deadline: number;
}

/** the node's pods with each one's verdict, and the reasons (grouped) that stop the drain */
interface PodList {
  pods: Array<{ pod: any; verdict: Verdict }>;
  errors: Error[];
}

export const drain: Command = {
  name: 'drain',
  short: 'Empty a node before maintenance (cordon, then evict its pods)',
  group: 'cluster',
  usage: 'kubectl drain NODE',
  example:
    '# move every pod off worker-1 (DaemonSet pods stay: they would come back at once)\nkubectl drain worker-1 --ignore-daemonsets\n\n# also pods no controller owns (they are gone for good), without waiting for their grace period\nkubectl drain worker-1 --ignore-daemonsets --force --grace-period=0\n\n# bring it back into service\nkubectl uncordon worker-1',
  flags: [
    { name: 'force', type: 'bool', usage: 'Also evict pods no controller owns (nothing will recreate them).' },
    { name: 'ignore-daemonsets', type: 'bool', usage: 'Leave DaemonSet pods where they are instead of stopping the drain.' },
    { name: 'delete-emptydir-data', type: 'bool', usage: 'Also evict pods with emptyDir volumes (their data is lost).' },
    { name: 'grace-period', type: 'int', default: -1, usage: 'Seconds each pod gets to stop cleanly (-1: its own terminationGracePeriodSeconds; 0: at once).' },
    { name: 'timeout', type: 'duration', default: '0s', usage: 'Give up after this long (0: wait as long as it takes).' },
    { name: 'pod-selector', type: 'string', usage: 'Only the pods on the node that match this label selector.' },
    { name: 'disable-eviction', type: 'bool', usage: 'Delete the pods instead of evicting them (skips PodDisruptionBudgets: careful).' },
    { name: 'skip-wait-for-delete-timeout', type: 'int', default: 0, usage: 'Stop waiting for pods already being deleted for more than this many seconds (0: always wait).' },
    { name: 'chunk-size', type: 'int', default: 500, usage: 'List pods in pages of this many (0: all at once).' },
    DRY_RUN_FLAG,
    { name: 'selector', short: 'l', type: 'string', usage: 'Drain the nodes whose labels match this selector.' },
  ],
  async run(inv) {
    checkNodeArgs(inv, 'drain');
    const dry = dryRunMode(inv);
    const podSelector = inv.str('pod-selector');
    if (podSelector && !isLabelSelector(podSelector)) throw new KubectlError('--pod-selector=<pod_selector> must be a valid label selector');
    const nodes = await nodeSelection(inv);
    const client = await inv.client();
    if (inv.session.confirmDestructive && dry === 'none' && nodes.length) {
      const names = nodes.map((n) => n.name).join(', ');
      const question = `kubectl drain would evict the pods of node${nodes.length > 1 ? 's' : ''} ${names} on context "${client.contextName}". Continue?`;
      const answer = inv.session.confirm ? await inv.session.confirm(question) : false;
      inv.effect({ type: 'confirm', question, answer });
      if (!answer) throw new KubectlError(inv.session.confirm ? `drain cancelled: nothing was changed on context "${client.contextName}"` : `refusing to drain without confirmation on context "${client.contextName}"`);
    }
    await setUnschedulable(inv, nodes, true);
    const timeout = parseGoDuration(inv.str('timeout')) ?? 0;
    const grace = inv.int('grace-period');
    const d: Drainer = {
      inv, client, pods: await client.discovery.resolve('pods'), dry, grace: grace >= 0 ? grace : undefined, timeout, deadline: timeout > 0 ? Date.now() + timeout : Infinity,
    };
    const fatal: Error[] = [];
    const pending: string[] = [];
    for (const node of nodes) {
      try {
        await drainNode(d, node.name);
        new ActionPrinter(inv, 'drained').print(node.object, dry);
      } catch (e) {
        inv.err.write(`error: unable to drain node ${JSON.stringify(node.name)} due to error: ${aggregateText(e)}, continuing command...\n`);
        fatal.push(e as Error);
        pending.push(node.name);
      }
    }
    if (pending.length) inv.err.write(`There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}`);
    if (fatal.length) throw new AggregateError2(fatal.flatMap((e) => (e instanceof AggregateError2 ? e.errors : [e])));
  },
};

/** how utilerrors.Aggregate reads inside a sentence: one error as itself, several in brackets */
function aggregateText(e: unknown): string {
  if (e instanceof AggregateError2) return e.errors.length === 1 ? e.errors[0]!.message : `[${e.errors.map((x) => x.message).join(', ')}]`;
  return e instanceof ServerError ? (e.status.message ?? e.message) : (e as Error).message;
}

async function drainNode(d: Drainer, node: string): Promise<void> {
  const { inv } = d;
  const list = await podsForDeletion(d, node);
  if (list.errors.length) throw new AggregateError2(list.errors);
  const warnings = messagesOf(list.pods, 'warning');
  if (warnings.length) inv.err.write(`Warning: ${warnings.join('; ')}\n`);
  const pods = list.pods.filter((p) => p.verdict.del).map((p) => p.pod);
  if (d.dry === 'client') {
    for (const p of pods) inv.out.write(`evicting pod ${p.metadata.namespace}/${p.metadata.name} (dry run)\n`);
    return;
  }
  if (!pods.length) return;
  try {
    if (!inv.bool('disable-eviction') && (await evictionSupported(d.client))) await evictPods(d, pods);
    else await deletePods(d, pods);
  } catch (err) {
    // what is still there, and why the list itself may be incomplete
    const again = await podsForDeletion(d, node).catch((e: Error) => ({ pods: [], errors: [e] }));
    const left = again.pods.filter((p) => p.verdict.del);
    if (left.length) {
      inv.err.write(`There are pending pods in node ${JSON.stringify(node)} when an error occurred: ${aggregateText(err)}\n`);
      for (const p of left) inv.err.write(`pod/${p.pod.metadata.name}\n`);
    }
    if (again.errors.length) inv.err.write(`Following errors occurred while getting the list of pods to delete:\n${aggregateText(new AggregateError2(again.errors))}`);
    throw err;
  }
}

async function podsForDeletion(d: Drainer, node: string): Promise<PodList> {
  const limit = d.inv.int('chunk-size');
  const items: any[] = [];
  let cont: string | undefined;
  do {
    const page = await d.client.list(d.pods, undefined, {
      fieldSelector: `spec.nodeName=${node}`, labelSelector: d.inv.str('pod-selector') || undefined, limit: limit > 0 ? limit : undefined, continue: cont,
    });
    items.push(...(page.items ?? []));
    cont = page.metadata?.continue || undefined;
  } while (cont);
  const out: Array<{ pod: any; verdict: Verdict }> = [];
  for (const pod of items) {
    let verdict = OK;
    for (const filter of [skipDeleted, daemonSetPod, mirrorPod, localStorage, unreplicated]) {
      verdict = await filter(d, pod);
      if (!verdict.del) break;
    }
    out.push({ pod: { ...pod, kind: 'Pod', apiVersion: 'v1' }, verdict });
  }
  return { pods: out, errors: messagesOf(out, 'error').map((m) => new KubectlError(`cannot delete ${m}`, 1, undefined, true)) };
}

/** "<message>: ns/a, ns/b" per distinct message, in the order the messages first appear */
function messagesOf(list: Array<{ pod: any; verdict: Verdict }>, reason: 'warning' | 'error'): string[] {
  const by = new Map<string, string[]>();
  for (const { pod, verdict } of list) {
    if (verdict.reason !== reason) continue;
    const key = verdict.message || 'unexpected error';
    by.set(key, [...(by.get(key) ?? []), `${pod.metadata.namespace}/${pod.metadata.name}`]);
  }
  return [...by].map(([msg, pods]) => `${msg}: ${pods.join(', ')}`);
}

const finished = (pod: any) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const controllerOf = (pod: any) => (pod.metadata?.ownerReferences ?? []).find((r: any) => r.controller === true);

async function skipDeleted(d: Drainer, pod: any): Promise<Verdict> {
  return shouldSkip(d, pod) ? { del: false, reason: 'skip' } : OK;
}

function shouldSkip(d: Drainer, pod: any): boolean {
  const n = d.inv.int('skip-wait-for-delete-timeout');
  const since = pod.metadata?.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : NaN;
  return n > 0 && Number.isFinite(since) && Math.floor((Date.now() - since) / 1000) > n;
}

async function daemonSetPod(d: Drainer, pod: any): Promise<Verdict> {
  const ref = controllerOf(pod);
  if (!ref || ref.kind !== 'DaemonSet' || ref.apiVersion !== 'apps/v1' || finished(pod)) return OK;
  try {
    await d.client.get(await d.client.discovery.resolve('daemonsets.apps'), pod.metadata.namespace, ref.name);
  } catch (e) {
    const text = e instanceof ServerError ? (e.status.message ?? e.message) : (e as Error).message;
    if (e instanceof ServerError && e.reason === 'NotFound' && d.inv.bool('force')) return { del: true, reason: 'warning', message: text };
    return { del: false, reason: 'error', message: text };
  }
  if (!d.inv.bool('ignore-daemonsets')) return { del: false, reason: 'error', message: DAEMONSET_FATAL };
  return { del: false, reason: 'warning', message: DAEMONSET_WARNING };
}

async function mirrorPod(_d: Drainer, pod: any): Promise<Verdict> {
  return pod.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined ? { del: false, reason: 'skip' } : OK;
}

async function localStorage(d: Drainer, pod: any): Promise<Verdict> {
  if (!(pod.spec?.volumes ?? []).some((v: any) => v.emptyDir) || finished(pod)) return OK;
  if (!d.inv.bool('delete-emptydir-data')) return { del: false, reason: 'error', message: LOCAL_STORAGE_FATAL };
  return { del: true, reason: 'warning', message: LOCAL_STORAGE_WARNING };
}

async function unreplicated(d: Drainer, pod: any): Promise<Verdict> {
  if (finished(pod) || controllerOf(pod)) return OK;
  if (d.inv.bool('force')) return { del: true, reason: 'warning', message: UNMANAGED_WARNING };
  return { del: false, reason: 'error', message: UNMANAGED_FATAL };
}

/** does the server list pods/eviction (with its group and version) in its v1 resources? */
async function evictionSupported(client: ApiClient): Promise<boolean> {
  const res = await client.rest.raw('/api/v1');
  if (res.status !== 200) return false;
  const list = res.json() as { resources?: Array<{ name: string; kind: string; group?: string; version?: string }> };
  return (list.resources ?? []).some((r) => r.name === 'pods/eviction' && r.kind === 'Eviction' && !!r.group && !!r.version);
}


/** evict every pod (retrying while a disruption budget refuses), then wait for each to go */
async function evictPods(d: Drainer, pods: any[]): Promise<void> {
  const { inv } = d;
  const errors: Error[] = [];
  await Promise.all(
    pods.map(async (pod) => {
      const { name, namespace } = pod.metadata;
      let active = pod;
      for (;;) {
        inv.out.write(`evicting pod ${namespace}/${name}${d.dry === 'server' ? ' (server dry run)' : ''}\n`);
        if (Date.now() > d.deadline) {
          errors.push(new Error(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(namespace)}: global timeout reached: ${formatGoDuration(d.timeout)}`));
          return;
        }
        try {
          const deleteOptions = { ...(d.grace !== undefined ? { gracePeriodSeconds: d.grace } : {}), ...(d.dry === 'server' ? { dryRun: ['All'] } : {}) };
          await d.client.create(d.pods, namespace, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, deleteOptions }, {}, 'eviction', name);
          break;
        } catch (e) {
          if (e instanceof ServerError && e.reason === 'NotFound') return;
          if (e instanceof ServerError && e.status.code === 429) {
            inv.err.write(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(namespace)} (will retry after 5s): ${e.status.message ?? e.message}\n`);
            await sleep(RETRY_MS, inv.signal);
            active = await d.client.get(d.pods, namespace, name).catch(() => active);
            continue;
          }
          errors.push(new Error(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(namespace)}: ${e instanceof ServerError ? (e.status.message ?? e.message) : (e as Error).message}`));
          return;
        }
      }
      if (d.dry === 'server') return;
      try {
        await waitGone(d, [active], 'evicted');
      } catch (e) {
        errors.push(new Error(`error when waiting for pod ${JSON.stringify(name)} in namespace ${JSON.stringify(namespace)} to terminate: ${(e as Error).message}`));
      }
    }),
  );
  if (errors.length) throw new AggregateError2(errors);
}

/** delete every pod, then wait for all of them to go */
async function deletePods(d: Drainer, pods: any[]): Promise<void> {
  for (const pod of pods) {
    try {
      await d.client.delete(d.pods, pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: d.grace, dryRun: d.dry === 'server' });
    } catch (e) {
      if (!(e instanceof ServerError && e.reason === 'NotFound')) throw e;
    }
  }
  if (d.dry !== 'server') await waitGone(d, pods, 'deleted');
}

/** poll each pod (at once, then every second) until it is gone or replaced by a new one of its name */
async function waitGone(d: Drainer, pods: any[], verb: 'evicted' | 'deleted'): Promise<void> {
  let left = pods;
  for (;;) {
    const still: any[] = [];
    for (const pod of left) {
      let current: any;
      try {
        current = await d.client.get(d.pods, pod.metadata.namespace, pod.metadata.name);
      } catch (e) {
        if (!(e instanceof ServerError && e.reason === 'NotFound')) {
          new ActionPrinter(d.inv, verb === 'evicted' ? 'eviction failed' : 'deletion failed').print(pod, 'none');
          throw e;
        }
      }
      if (!current || current.metadata?.uid !== pod.metadata.uid) {
        new ActionPrinter(d.inv, verb).print(pod, 'none');
        continue;
      }
      if (shouldSkip(d, current)) {
        d.inv.out.write(`pod ${JSON.stringify(pod.metadata.name)} has DeletionTimestamp older than ${d.inv.int('skip-wait-for-delete-timeout')} seconds, skipping\n`);
        continue;
      }
      still.push(pod);
    }
    left = still;
    if (!left.length) return;
    if (Date.now() + POLL_MS > d.deadline) throw new Error('context deadline exceeded');
    await sleep(POLL_MS, d.inv.signal);
    if (d.inv.signal.aborted) throw new Error('context canceled');
  }
}
