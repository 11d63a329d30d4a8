/**
 * kubectl rollout undo: put the pod template of an earlier revision (the previous one, or
 * --to-revision) back into the deployment / daemon set / stateful set. `deployment.apps/kubia rolled back`.
 */
import { AggregateError2, KubectlError } from '../../client/errors.js';
import type { ApiClient } from '../../client/api.js';
import type { Command, Invocation } from '../../command.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect, OUTPUT_FLAGS, type DryRun } from '../create-common.js';
import type { Info } from '../util/builder.js';
import { deepEqual } from '../util/patch.js';
import { controllerRevisions, deploymentReplicaSets, FILE_FLAGS, HASH_LABEL, printTemplate, REVISION_ANNOTATION, revisionOf, revisionTemplate, rolloutTargets, SELECTOR_FLAG, stripHash } from './common.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const SKIP_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

const notFound = (rev: number) => new KubectlError(`unable to find specified revision ${rev} in history`);

async function rollbackDeployment(client: ApiClient, info: Info, toRevision: number, dry: DryRun): Promise<string> {
  if (toRevision < 0) throw notFound(toRevision);
  let deploy: any;
  try {
    deploy = await client.get(info.resource, info.namespace, info.name);
  } catch (e) {
    throw new KubectlError(`failed to retrieve Deployment ${info.name}: ${(e as Error).message}`);
  }
  let rsList: any[];
  try {
    rsList = await deploymentReplicaSets(client, deploy);
  } catch (e) {
    throw new KubectlError(`failed to retrieve replica sets from deployment ${deploy.metadata.name}: ${(e as Error).message}`);
  }
  let target: any;
  let latest: any;
  let latestRev = -1;
  let previous: any;
  let previousRev = -1;
  for (const rs of rsList) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (toRevision === 0) {
      if (latestRev < v) {
        previousRev = latestRev;
        previous = latest;
        latestRev = v;
        latest = rs;
      } else if (previousRev < v) {
        previousRev = v;
        previous = rs;
      }
    } else if (v === toRevision) {
      target = rs;
      break;
    }
  }
  if (toRevision > 0 && !target) throw notFound(toRevision);
  if (toRevision === 0) {
    if (!previous) throw new KubectlError(`no rollout history found for deployment "${deploy.metadata.name}"`);
    target = previous;
  }
  if (dry === 'client') return printTemplate(target.spec?.template);
  if (deploy.spec?.paused) throw new KubectlError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  if (deepEqual(stripHash(target.spec?.template), stripHash(deploy.spec?.template))) {
    return `skipped rollback (current template already matches revision ${toRevision})`;
  }
  const template = JSON.parse(JSON.stringify(target.spec?.template ?? {}));
  if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
  const annotations: Record<string, string> = {};
  for (const k of SKIP_ANNOTATIONS) {
    const v = deploy.metadata?.annotations?.[k];
    if (v !== undefined) annotations[k] = v;
  }
  for (const [k, v] of Object.entries<string>(target.metadata?.annotations ?? {})) if (!SKIP_ANNOTATIONS.has(k)) annotations[k] = v;
  const patch = [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
  try {
    await client.patch(info.resource, info.namespace, info.name, patch, 'json', { dryRun: dry === 'server' });
  } catch (e) {
    throw new KubectlError(`failed restoring revision ${toRevision}: ${(e as Error).message}`);
  }
  return 'rolled back';
}

async function rollbackFromRevisions(client: ApiClient, info: Info, toRevision: number, dry: DryRun): Promise<string> {
  if (toRevision < 0) throw notFound(toRevision);
  const obj = await client.get(info.resource, info.namespace, info.name);
  const revs = (await controllerRevisions(client, obj)).sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0));
  if (toRevision === 0 && revs.length <= 1) throw new KubectlError('no last revision to roll back to');
  const target = toRevision === 0 ? revs[revs.length - 2] : revs.find((cr) => Number(cr.revision ?? 0) === toRevision);
  if (!target) throw notFound(toRevision);
  const template = revisionTemplate(target);
  if (dry === 'client') return printTemplate(template);
  if (deepEqual(stripHash(template), stripHash(obj.spec?.template))) return `skipped rollback (current template already matches revision ${toRevision})`;
  try {
    await client.patch(info.resource, info.namespace, info.name, target.data ?? {}, 'strategic', { dryRun: dry === 'server' });
  } catch (e) {
    throw new KubectlError(`failed restoring revision ${toRevision}: ${(e as Error).message}`);
  }
  return 'rolled back';
}

export const undo: Command = {
  name: 'undo',
  short: 'Go back to an earlier revision of a rollout',
  usage: 'kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]',
  example: 'kubectl rollout undo deployment kubia\nkubectl rollout undo deploy/kubia --to-revision=1',
  flags: [...OUTPUT_FLAGS, DRY_RUN_FLAG, ...FILE_FLAGS, SELECTOR_FLAG, { name: 'to-revision', type: 'int', default: 0, usage: 'The revision to go back to (0: the previous one).' }],
  async run(inv: Invocation) {
    const dry = dryRunMode(inv);
    const client = await inv.client();
    const sel = await rolloutTargets(inv, client);
    const toRevision = inv.int('to-revision');
    const errors: Error[] = [];
    for (const entry of sel.entries) {
      if (entry instanceof Error) {
        errors.push(entry);
        continue;
      }
      try {
        const r = entry.resource;
        let result: string;
        if ((r.group === 'apps' || r.group === 'extensions') && r.kind === 'Deployment') result = await rollbackDeployment(client, entry, toRevision, dry);
        else if (r.group === 'apps' && (r.kind === 'DaemonSet' || r.kind === 'StatefulSet')) result = await rollbackFromRevisions(client, entry, toRevision, dry);
        else throw new KubectlError(`no rollbacker has been implemented for "${r.kind}"`);
        new ActionPrinter(inv, result).print(entry.object, dry);
        if (result === 'rolled back') objectEffect(inv, 'rolled back', r, entry.object, entry.namespace, dry);
      } catch (e) {
        errors.push(e as Error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length) throw new AggregateError2(errors);
  },
};
