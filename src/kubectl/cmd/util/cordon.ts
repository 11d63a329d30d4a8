/**
 * cordon / uncordon: set spec.unschedulable of nodes with a strategic merge patch; nodes already in
 * the wanted state are reported as `already cordoned`.
 */
import { KubectlError } from '../../client/errors.js';
import type { Invocation } from '../../command.js';
import type { FlagSpec } from '../../input/flags.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect } from '../create-common.js';
import { selectObjects } from './builder.js';

export const CORDON_FLAGS: FlagSpec[] = [DRY_RUN_FLAG, { name: 'selector', short: 'l', type: 'string', usage: 'Only nodes whose labels match this selector.' }];

export async function runCordon(inv: Invocation, desired: boolean): Promise<void> {
  const verb = desired ? 'cordon' : 'uncordon';
  const hint = `\nSee 'kubectl ${verb} -h' for help and examples`;
  const selector = inv.str('selector');
  if (!inv.args.length && !inv.changed.has('selector')) throw new KubectlError(`USAGE: ${verb} NODE [flags]${hint}`);
  if (inv.args.length && selector) throw new KubectlError(`error: cannot specify both a node name and a --selector option${hint}`);
  const dry = dryRunMode(inv);
  const client = await inv.client();
  const sel = await selectObjects(client, inv.args.length ? { args: ['nodes', ...inv.args] } : { args: ['nodes'], selector, all: !selector });
  if (sel.errors.length) throw sel.errors[0];
  const done = desired ? 'cordoned' : 'uncordoned';
  for (const info of sel.infos) {
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
