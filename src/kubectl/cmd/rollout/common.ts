/**
 * What the rollout subcommands share: picking the objects (`deploy kubia`, `deploy/kubia`, `-l`),
 * the revision history of a workload (ReplicaSets for deployments, ControllerRevisions for daemon
 * sets and stateful sets) and the pod template printout kubectl uses for one revision.
 */
import { KubectlError } from '../../client/errors.js';
import type { ApiClient } from '../../client/api.js';
import type { Invocation } from '../../command.js';
import { describePodTemplate } from '../../describe/podtemplate.js';
import { PrefixWriter } from '../../describe/writer.js';
import type { FlagSpec } from '../../input/flags.js';
import { selectObjects, type Selection } from '../util/builder.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const HASH_LABEL = 'pod-template-hash';

export const FILE_FLAGS: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects.' },
  { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory naming the objects.' },
  { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
];

export const SELECTOR_FLAG: FlagSpec = { name: 'selector', short: 'l', type: 'string', usage: 'Only objects whose labels match this selector.' };

/** the objects named on the command line (kubectl's builder with ContinueOnError) */
export async function rolloutTargets(inv: Invocation, client: ApiClient, allowEmptySelector = false): Promise<Selection> {
  if (inv.list('filename').length || inv.str('kustomize')) throw new KubectlError("-f/-k are not supported by kube-tutor's kubectl for rollout yet; name the objects instead");
  if (!inv.args.length) throw new KubectlError('required resource not specified');
  return selectObjects(client, { args: inv.args, selector: inv.str('selector'), allowEmptySelector });
}

/** the map-based label selector of a workload as a query string */
export function selectorQuery(sel: any): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** Revision(obj): the deployment.kubernetes.io/revision annotation (0 when absent, undefined when invalid) */
export function revisionOf(obj: any): number | undefined {
  const v = obj?.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  if (!/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

const ownedBy = (o: any, uid: string) => (o?.metadata?.ownerReferences ?? []).some((r: any) => r.controller && r.uid === uid);

/** the ReplicaSets a deployment controls */
export async function deploymentReplicaSets(client: ApiClient, deploy: any): Promise<any[]> {
  const rsRes = await client.discovery.resolve('replicasets.apps');
  const list = await client.list(rsRes, deploy.metadata.namespace, { labelSelector: selectorQuery(deploy.spec?.selector) });
  return (list.items ?? []).filter((rs: any) => ownedBy(rs, deploy.metadata.uid));
}

/** the ControllerRevisions of a daemon set / stateful set */
export async function controllerRevisions(client: ApiClient, obj: any): Promise<any[]> {
  const crRes = await client.discovery.resolve('controllerrevisions.apps');
  const list = await client.list(crRes, obj.metadata.namespace, { labelSelector: selectorQuery(obj.spec?.selector) });
  return (list.items ?? []).filter((cr: any) => ownedBy(cr, obj.metadata.uid));
}

/** the pod template a ControllerRevision records */
export function revisionTemplate(cr: any): any {
  const t = cr?.data?.spec?.template;
  if (!t) return undefined;
  const { $patch: _p, ...rest } = t;
  return rest;
}

/** printTemplate: DescribePodTemplate into a plain prefix writer (tabs kept, not aligned) */
export function printTemplate(template: any): string {
  const w = new PrefixWriter();
  describePodTemplate(template, w, undefined);
  return w.raw();
}

export function stripHash(template: any): any {
  const t = JSON.parse(JSON.stringify(template ?? {}));
  if (t.metadata?.labels) {
    delete t.metadata.labels[HASH_LABEL];
  }
  return t;
}

/** Go's time.Now().Format(time.RFC3339) in the local zone */
export function goRFC3339(d = new Date()): string {
  const off = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + off * 60_000);
  const base = local.toISOString().slice(0, 19);
  if (off === 0) return base + 'Z';
  const sign = off > 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${base}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
