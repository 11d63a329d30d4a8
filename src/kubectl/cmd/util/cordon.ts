/**
 * cordon / uncordon: set spec.unschedulable of nodes with a strategic merge patch; nodes already in
 * the wanted state are reported as `already cordoned`.
 */
import { KubectlError } from '../../client/errors.js';
import type { Invocation } from '../../command.js';
import type { FlagSpec } from '../../input/flags.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect } from '../create-common.js';
import { selectObjects, type Info } from './builder.js';

export const CORDON_FLAGS: FlagSpec[] = [DRY_RUN_FLAG, { name: 'selector', short: 'l', type: 'string', usage: 'Only nodes whose labels match this selector.' }];

export async function runCordon(inv: Invocation, desired: boolean): Promise<void> {
  const nodes = await selectNodes(inv, desired ? 'cordon' : 'uncordon');
  await setUnschedulable(inv, nodes, desired);
}

/** the nodes named (or matching -l) for cordon, uncordon and drain; kubectl's usage errors */
export async function selectNodes(inv: Invocation, verb: string): Promise<Info[]> {
  checkNodeArgs(inv, verb);
  return nodeSelection(inv);
}

/** NODE… or -l, not both */
export function checkNodeArgs(inv: Invocation, verb: string): void {
  const hint = `\nSee 'kubectl ${verb} -h' for help and examples`;
  if (!inv.args.length && !inv.changed.has('selector')) throw new KubectlError(`USAGE: ${verb} NODE [flags]${hint}`);
  if (inv.args.length && inv.str('selector')) throw new KubectlError(`error: cannot specify both a node name and a --selector option${hint}`);
}

/** the nodes named, or those -l matches (all without either) */
export async function nodeSelection(inv: Invocation): Promise<Info[]> {
  const selector = inv.str('selector');
  const client = await inv.client();
  const sel = await selectObjects(client, inv.args.length ? { args: ['nodes', ...inv.args] } : { args: ['nodes'], selector, all: !selector });
  if (sel.errors.length) throw sel.errors[0];
  return sel.infos;
}

/** set spec.unschedulable on each node (`node/x cordoned`, `already cordoned`; other kinds `skipped`) */
export async function setUnschedulable(inv: Invocation, nodes: Info[], desired: boolean): Promise<void> {
  const verb = desired ? 'cordon' : 'uncordon';
  const dry = dryRunMode(inv);
  const client = await inv.client();
  const done = desired ? 'cordoned' : 'uncordoned';
  for (const info of nodes) {
    if (info.resource.kind !== 'Node') {
      new ActionPrinter(inv, 'skipped').print(info.object, dry);
      continue;
    }
    const current = info.object.spec?.unschedulable === true;
    if (current === desired) {
      new ActionPrinter(inv, `already ${done}`).print(info.object, dry);
      continue;
    }
    if (dry !== 'client') {
      try {
        await client.patch(info.resource, undefined, info.name, { spec: { unschedulable: desired ? true : null } }, 'strategic', { dryRun: dry === 'server' });
      } catch (e) {
        inv.err.write(`error: unable to ${verb} node ${JSON.stringify(info.name)}: ${(e as Error).message}\n`);
        continue;
      }
    }
    new ActionPrinter(inv, done).print(info.object, dry);
    objectEffect(inv, 'patched', info.resource, info.object, undefined, dry);
  }
}
