/**
 * pause, resume and restart: compute a strategic merge patch per object (or the reason it cannot
 * be done), send it with the kubectl-rollout field manager, print `deployment.apps/kubia paused`.
 */
import { AggregateError2, KubectlError } from '../../client/errors.js';
import type { Invocation, ObjectAction } from '../../command.js';
import type { FlagSpec } from '../../input/flags.js';
import { ActionPrinter, objectEffect, OUTPUT_FLAGS } from '../create-common.js';
import { resourceString, type Info } from '../util/builder.js';
import { FILE_FLAGS, rolloutTargets, SELECTOR_FLAG } from './common.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const PATCHER_FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  { name: 'field-manager', type: 'string', default: 'kubectl-rollout', usage: 'Name of the manager recorded for the fields this command sets.' },
  ...FILE_FLAGS,
  SELECTOR_FLAG,
];

/** the patch for one object, `null` when there is nothing to change; throws the reason it is refused */
export type PatchFn = (info: Info) => any | null;

export async function runPatcher(inv: Invocation, fn: PatchFn, done: string, already: string | undefined, action: ObjectAction): Promise<void> {
  const client = await inv.client();
  const sel = await rolloutTargets(inv, client);
  const errors: Error[] = [];
  for (const entry of sel.entries) {
    if (entry instanceof Error) {
      errors.push(entry);
      continue;
    }
    let patch: any;
    try {
      patch = fn(entry);
    } catch (e) {
      errors.push(new KubectlError(`error: ${resourceString(entry.resource)} ${JSON.stringify(entry.name)} ${(e as Error).message}`));
      continue;
    }
    try {
      if (patch === null) {
        new ActionPrinter(inv, already ?? '').print(entry.object, 'none');
        continue;
      }
      let obj: any;
      try {
        obj = await client.patch(entry.resource, entry.namespace, entry.name, patch, 'strategic', { fieldManager: inv.str('field-manager') });
      } catch (e) {
        throw new KubectlError(`failed to patch: ${(e as Error).message}`);
      }
      obj.apiVersion ??= entry.object.apiVersion;
      obj.kind ??= entry.object.kind;
      new ActionPrinter(inv, done).print(obj, 'none');
      objectEffect(inv, action, entry.resource, obj, entry.namespace, 'none');
    } catch (e) {
      errors.push(e as Error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length) throw new AggregateError2(errors);
}

export const isWorkload = (info: Info, kinds: string[]) => (info.resource.group === 'apps' || info.resource.group === 'extensions') && kinds.includes(info.resource.kind);
