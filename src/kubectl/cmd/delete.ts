/**
 * kubectl delete: objects named as `TYPE NAME…` / `TYPE/NAME…`, selected with `-l`, `--field-selector`,
 * `--all` (`-A` across namespaces, categories such as `all`), or read from `-f`. Each DELETE carries
 * the propagation policy (--cascade) and grace period (--grace-period, --now, --force); then, like
 * kubectl, the command waits (--wait, default true) until every deleted object is gone, watching
 * each one (never polling).
 *
 * On a real cluster (session.confirmDestructive), deleting with --all, the `all` category,
 * namespaces, or anything in kube-system first asks session.confirm and does nothing when declined.
 */
import { AggregateError2, KubectlError, ServerError } from '../client/errors.js';
import type { ApiClient, DeleteOptions } from '../client/api.js';
import type { Command, Invocation } from '../command.js';
import { parseGoDuration } from '../input/flags.js';
import { parseResourceArgs, resolveResourceArgs } from '../resource/args.js';
import { isInfo, objectsFromFlags, sortErrors } from '../resource/builder.js';
import { kindPrefix, type ApiResource } from '../resource/discovery.js';
import { addSourceToErr, DRY_RUN_FLAG, dryRunMode, objectEffect, type DryRun } from './create-common.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** one object to delete */
interface Target {
  resource: ApiResource;
  namespace?: string;
  name: string;
  /** -f source, for `error when deleting "x.yaml": ` */
  source?: string;
}

const MISSING_RESOURCE =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

export type Cascade = 'Background' | 'Foreground' | 'Orphan';

/** --cascade → propagation policy, with kubectl's warning for the legacy booleans */
export function parseCascade(value: string, warn: (text: string) => void): Cascade {
  switch (value) {
    case 'background':
      return 'Background';
    case 'foreground':
      return 'Foreground';
    case 'orphan':
      return 'Orphan';
    case 'true':
      warn('warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.\n');
      return 'Background';
    case 'false':
      warn('warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n');
      return 'Orphan';
  }
  throw new KubectlError(`invalid cascade value (${value}). Must be "background", "foreground", or "orphan"`);
}

export const del: Command = {
  name: 'delete',
  short: 'Delete objects by name, label selector, file or all of a type',
  group: 'basic',
  usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
  example:
    'kubectl delete po kubia-gpu\nkubectl delete po -l creation_method=manual\nkubectl delete ns custom-namespace\nkubectl delete po --all\nkubectl delete all --all\nkubectl delete rc kubia --cascade=orphan',
  flags: [
    { name: 'all', type: 'bool', usage: 'Delete every object of the given types in the namespace.' },
    { name: 'all-namespaces', short: 'A', type: 'bool', usage: 'Look in every namespace (with --all or a selector).' },
    { name: 'cascade', type: 'string', default: 'background', noOptDefault: 'background', usage: 'What happens to dependents: "background" (default), "foreground" (wait for them), or "orphan" (keep them).' },
    DRY_RUN_FLAG,
    { name: 'field-selector', type: 'string', usage: 'Only delete objects whose fields match (e.g. status.phase=Succeeded).' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files, directories or URLs naming the objects to delete.' },
    { name: 'force', type: 'bool', usage: 'With --grace-period=0: remove at once, without waiting for the kubelet to confirm the pod stopped.' },
    { name: 'grace-period', type: 'int', default: -1, usage: 'Seconds the object gets to stop cleanly (-1: its own default; 0 with --force: immediately).' },
    { name: 'ignore-not-found', type: 'bool', usage: 'Do not report objects that do not exist (the default with --all and selectors).' },
    { name: 'interactive', short: 'i', type: 'bool', usage: 'Ask before deleting each object.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory (not supported here).' },
    { name: 'now', type: 'bool', usage: 'Give the objects one second to stop (same as --grace-period=1).' },
    { name: 'output', short: 'o', type: 'string', usage: 'Only "name": print kind/name of each deleted object.' },
    { name: 'raw', type: 'string', usage: 'Send a DELETE to this raw URI.' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Also read the sub-directories of directories given with -f.' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Label selector of the objects to delete (e.g. -l app=kubia).' },
    { name: 'timeout', type: 'duration', default: '0s', usage: 'How long to wait for the deletion before giving up (0: a week).' },
    { name: 'wait', type: 'bool', default: true, usage: 'Return only once the objects are gone.' },
  ],
  async run(inv) {
    // ---- kubectl's Complete ----
    const cascade = parseCascade(inv.str('cascade'), (t) => inv.err.write(t));
    const explicitNs = inv.changed.has('namespace');
    const allNs = inv.bool('all-namespaces');
    const deleteAll = inv.bool('all');
    const selector = inv.str('selector').trim();
    const fieldSelector = inv.str('field-selector').trim();
    let ignoreNotFound = inv.bool('ignore-not-found');
    if ((deleteAll || selector || fieldSelector) && !inv.changed.has('ignore-not-found')) ignoreNotFound = true;
    let grace = inv.int('grace-period');
    const force = inv.bool('force');
    if (inv.bool('now')) {
      if (grace !== -1) throw new KubectlError('--now and --grace-period cannot be specified together');
      grace = 1;
    }
    if (grace === 0 && !force) grace = 1;
    if (force && grace < 0) grace = 0;
    const dry = dryRunMode(inv);
    if (inv.str('kustomize')) throw new KubectlError("kustomize (-k) is not supported by kube-tutor's kubectl");
    if (inv.str('raw')) throw new KubectlError("--raw is not supported by kube-tutor's delete");

    const filenames = inv.list('filename');
    const parsed = parseResourceArgs(inv.args);
    const shape = argumentShape(inv.args, parsed.slashForm, filenames.length > 0, deleteAll, !!selector, !!fieldSelector);
    const client = await inv.client();
    // mapping errors of the types come before the shape errors for bare types
    const requests = shape === 'files' ? [] : await resolveResourceArgs(parsed, client.discovery);
    if (shape === 'bare-types') throw new KubectlError('resource(s) were provided, but no name was specified');

    // ---- kubectl's Validate ----
    const output = inv.str('output');
    if (output && output !== 'name') throw new KubectlError(`unexpected -o output mode: ${output}. We only support '-o name'`);
    if (deleteAll && fieldSelector) throw new KubectlError('cannot set --all and --field-selector at the same time');
    if (grace === 0 && force) {
      inv.err.write('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
    } else if (grace > 0 && force) throw new KubectlError('--force and --grace-period greater than 0 cannot be specified together');
    if (shape === 'names' && allNs && requests.some((r) => r.resource.namespaced)) throw new KubectlError('a resource cannot be retrieved by name across all namespaces');

    // ---- safety on real clusters ----
    await confirmIfDestructive(inv, client, {
      all: deleteAll,
      allNamespaces: allNs && (deleteAll || !!selector || !!fieldSelector),
      categoryAll: inv.args.length > 0 && !parsed.slashForm && parsed.groups.some((g) => g.types.some((t) => t.toLowerCase() === 'all')),
      namespaces: requests.some((r) => r.resource.kind === 'Namespace' && r.resource.group === ''),
      namespace: client.namespace,
      touchesNamespaced: shape === 'files' || requests.some((r) => r.resource.namespaced),
    });

    // ---- visit ----
    const errors: Error[] = [];
    const targets: Target[] = [];
    const namespace = client.namespace;
    if (shape === 'files') {
      for (const r of await objectsFromFlags(inv, client)) {
        if (isInfo(r)) targets.push({ resource: r.resource, namespace: r.namespace, name: r.name, source: r.source });
        else errors.push(r);
      }
    } else if (shape === 'names' || shape === 'tuples') {
      for (const req of requests) for (const name of req.names) targets.push({ resource: req.resource, namespace: req.resource.namespaced ? namespace : undefined, name });
    } else {
      for (const req of requests) {
        const r = req.resource;
        try {
          const list = await client.list(r, r.namespaced && !allNs ? namespace : undefined, { labelSelector: selector || undefined, fieldSelector: fieldSelector || undefined });
          for (const item of list.items ?? []) targets.push({ resource: r, namespace: r.namespaced ? item.metadata?.namespace : undefined, name: item.metadata?.name });
        } catch (e) {
          errors.push(e as Error);
        }
      }
    }

    let warnClusterScope = explicitNs && !allNs;
    const deleted: Array<Target & { uid?: string }> = [];
    let found = 0;
    for (const t of targets) {
      found++;
      if (warnClusterScope && !t.resource.namespaced) {
        inv.err.write('Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n');
        warnClusterScope = false;
      }
      if (dry === 'client') {
        printDeletion(inv, t, grace, dry, output);
        objectEffect(inv, 'deleted', t.resource, { metadata: { name: t.name } }, t.namespace, dry);
        continue;
      }
      const opts: DeleteOptions = { propagationPolicy: cascade, dryRun: dry === 'server' };
      if (grace >= 0) opts.gracePeriodSeconds = grace;
      try {
        const res = await client.delete(t.resource, t.namespace, t.name, opts);
        printDeletion(inv, t, grace, dry, output);
        objectEffect(inv, 'deleted', t.resource, { metadata: { name: t.name } }, t.namespace, dry);
        deleted.push({ ...t, uid: res?.kind === 'Status' ? res?.details?.uid : res?.metadata?.uid });
      } catch (e) {
        if (e instanceof ServerError) {
          if (ignoreNotFound && e.code === 404) {
            deleted.push(t);
            continue;
          }
          errors.push(t.source ? addSourceToErr(e, 'deleting', t.source) : e);
        } else throw e;
      }
    }
    const remaining = ignoreNotFound ? errors.filter((e) => !(e instanceof ServerError && e.code === 404)) : errors;
    if (remaining.length) throw new AggregateError2(sortErrors(remaining));
    if (found === 0) {
      inv.out.write('No resources found\n');
      return;
    }
    if (!inv.bool('wait') || dry !== 'none') return;
    const timeout = parseGoDuration(inv.str('timeout')) ?? 0;
    await waitForDeletion(inv, client, deleted, timeout > 0 ? timeout : 168 * 3600_000);
  },
};

/** which builder path the arguments take (kubectl's visitorResult), throwing its argument errors */
function argumentShape(args: string[], slashForm: boolean, files: boolean, all: boolean, labelSel: boolean, fieldSel: boolean): 'files' | 'names' | 'tuples' | 'selector' | 'bare-types' {
  if (all && (labelSel || fieldSel)) throw new KubectlError("setting 'all' parameter but found a non empty selector. ");
  if (files) return 'files';
  if (all) labelSel = true;
  const hasNames = !slashForm && args.length > 1;
  const hasTypes = args.length > 0;
  if (labelSel || fieldSel) {
    if (hasNames) throw new KubectlError('name cannot be provided when a selector is specified');
    if (slashForm) throw new KubectlError('selectors and the all flag cannot be used when passing resource/name arguments');
    if (!hasTypes) throw new KubectlError('at least one resource must be specified to use a selector');
    return 'selector';
  }
  if (slashForm) return 'tuples';
  if (hasNames) return 'names';
  if (hasTypes) return 'bare-types';
  throw new KubectlError(MISSING_RESOURCE);
}

function printDeletion(inv: Invocation, t: Target, grace: number, dry: DryRun, output: string): void {
  const kind = kindPrefix(t.resource);
  if (output === 'name') {
    inv.out.write(`${kind}/${t.name}\n`);
    return;
  }
  let op = grace === 0 ? 'force deleted' : 'deleted';
  if (dry === 'client') op += ' (dry run)';
  else if (dry === 'server') op += ' (server dry run)';
  inv.out.write(`${kind} "${t.name}" ${op}\n`);
}

/** Wait until each deleted object is gone (or replaced by a new one with another uid), with watches. */
async function waitForDeletion(inv: Invocation, client: ApiClient, targets: Array<Target & { uid?: string }>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const t of targets) {
    if (inv.signal.aborted) return;
    await waitGone(inv, client, t.resource, t.namespace, t.name, t.uid, deadline);
  }
}

/**
 * Resolve once the object is gone (404) or another object with a different uid took its name; one
 * watch on the object (field selector on its name) from its current resourceVersion, re-opened when
 * the server ends it. Throws kubectl's timeout error at `deadline` (epoch ms).
 */
export async function waitGone(inv: Invocation, client: ApiClient, r: ApiResource, namespace: string | undefined, name: string, uid?: string, deadline = Date.now() + 168 * 3600_000): Promise<void> {
  for (;;) {
    if (inv.signal.aborted) return;
    let obj: any;
    try {
      obj = await client.get(r, namespace, name);
    } catch (e) {
      if (e instanceof ServerError && e.code === 404) return;
      if (e instanceof ServerError && (e.code === 403 || e.code === 405)) return;
      throw e;
    }
    if (uid && obj?.metadata?.uid && obj.metadata.uid !== uid) return;
    const left = deadline - Date.now();
    if (left <= 0) throw new KubectlError(`timed out waiting for the condition on ${r.resource}${r.group ? '.' + r.group : ''}/${name}`);
    const ctl = new AbortController();
    const onAbort = () => ctl.abort();
    inv.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => ctl.abort(), left);
    let gone = false;
    try {
      await client.watch(
        r,
        namespace,
        { fieldSelector: `metadata.name=${name}`, resourceVersion: obj?.metadata?.resourceVersion },
        (ev) => {
          if (ev.type === 'DELETED' || (ev.type !== 'ERROR' && uid && ev.object?.metadata?.uid && ev.object.metadata.uid !== uid)) {
            gone = true;
            ctl.abort();
          }
        },
        ctl.signal,
      );
    } finally {
      clearTimeout(timer);
      inv.signal.removeEventListener('abort', onAbort);
    }
    if (gone) return;
    // the watch ended (server timeout, expired resourceVersion, our deadline): look again
  }
}

interface DestructiveScope {
  all: boolean;
  allNamespaces: boolean;
  categoryAll: boolean;
  namespaces: boolean;
  namespace: string;
  touchesNamespaced: boolean;
}

/**
 * On clusters where the session asks (real clusters), broad deletions need a yes first. Reports a
 * `confirm` effect; refuses (exit 1) when declined or when there is no way to ask.
 */
async function confirmIfDestructive(inv: Invocation, client: ApiClient, s: DestructiveScope): Promise<void> {
  if (!inv.session.confirmDestructive) return;
  const reasons: string[] = [];
  if (s.categoryAll) reasons.push('every object in the "all" category');
  if (s.all) reasons.push(s.allNamespaces ? 'every matching object in every namespace' : `every matching object in namespace "${s.namespace}"`);
  else if (s.allNamespaces) reasons.push('matching objects in every namespace');
  if (s.namespaces) reasons.push('a namespace with everything in it');
  if (s.touchesNamespaced && s.namespace === 'kube-system') reasons.push('objects in kube-system');
  if (!reasons.length) return;
  const question = `kubectl ${[...inv.path, ...inv.args].join(' ')} would delete ${reasons.join(', ')} on context "${client.contextName}". Continue?`;
  const answer = inv.session.confirm ? await inv.session.confirm(question) : false;
  inv.effect({ type: 'confirm', question, answer });
  if (!answer) {
    throw new KubectlError(
      inv.session.confirm ? `deletion cancelled: nothing was deleted on context "${client.contextName}"` : `refusing to delete without confirmation on context "${client.contextName}": ${reasons.join(', ')}`,
    );
  }
}
