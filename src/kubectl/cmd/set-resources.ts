/**
 * kubectl set resources: set CPU and memory requests and limits on the containers of a pod template
 * (`deployment.apps/web resource requirements updated`); sent as util/pod-template.ts sends changes.
 */
import { AggregateError2, KubectlError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { parseQuantity, quantityString } from '../describe/quantity.js';
import { dryRunMode } from './create-common.js';
import { selectObjects } from './util/builder.js';
import { changePodTemplates, CONTAINERS_FLAG, selectContainers, TEMPLATE_CHANGE_FLAGS } from './util/pod-template.js';

const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** `cpu=100m,memory=256Mi` → canonical quantities (`0.5` → `500m`) */
function resourceList(spec: string): Record<string, string> | undefined {
  if (!spec) return undefined;
  const out: Record<string, string> = {};
  for (const statement of spec.split(',')) {
    const parts = statement.split('=');
    if (parts.length !== 2) throw new KubectlError(`Invalid argument syntax ${statement}, expected <resource>=<value>`);
    const quantity = parseQuantity(parts[1]);
    if (!quantity || parts[1]!.trim() !== parts[1]) throw new KubectlError(QUANTITY_FORMAT);
    out[parts[0]!] = quantityString(quantity);
  }
  return out;
}

async function runSetResources(inv: Invocation): Promise<void> {
  const dry = dryRunMode(inv);
  if (inv.bool('local') && dry === 'server') throw new KubectlError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  if (inv.bool('all') && inv.str('selector')) throw new KubectlError('cannot set --all and --selector at the same time');
  if (!inv.str('limits') && !inv.str('requests')) throw new KubectlError('you must specify an update to requests or limits (in the form of --requests/--limits)');
  const limits = resourceList(inv.str('limits'));
  const requests = resourceList(inv.str('requests'));
  if (inv.bool('local')) throw new KubectlError("--local is not supported by kube-tutor's kubectl for set resources; name objects on the cluster instead");
  const client = await inv.client();
  const sel = await selectObjects(client, { args: inv.args, all: inv.bool('all'), selector: inv.str('selector') });
  if (sel.errors.length) throw sel.errors.length === 1 ? sel.errors[0] : new AggregateError2(sel.errors);
  const pattern = inv.str('containers') || '*';
  const missing: Error[] = [];
  const errors = await changePodTemplates(inv, client, sel.infos, {
    action: 'resource requirements updated',
    patchFailure: 'failed to patch resources update to pod template ',
    async mutate(_info, _obj, spec) {
      const containers = selectContainers(spec, pattern);
      if (!containers.length) missing.push(new KubectlError(`error: unable to find container named ${pattern}`, 1, undefined, true));
      for (const c of containers) {
        c.resources ??= {};
        if (limits) c.resources.limits = { ...(c.resources.limits ?? {}), ...limits };
        if (requests) c.resources.requests = { ...(c.resources.requests ?? {}), ...requests };
      }
    },
  });
  const all = [...missing, ...errors];
  if (all.length === 1) throw all[0];
  if (all.length) throw new AggregateError2(all);
}

export const resources: Command = {
  name: 'resources',
  short: 'Set CPU and memory requests and limits of the containers of a pod template',
  usage: 'kubectl set resources (-f FILENAME | TYPE NAME) ([--limits=LIMITS & --requests=REQUESTS]',
  example: [
    'kubectl set resources deployment/kubia --requests=cpu=100m,memory=64Mi --limits=memory=128Mi',
    'kubectl set resources deployment/kubia -c nodejs --limits=cpu=500m',
  ].join('\n'),
  flags: [
    CONTAINERS_FLAG,
    { name: 'limits', type: 'string', usage: 'Limits as resource=quantity pairs, comma separated (cpu=500m,memory=256Mi).' },
    { name: 'requests', type: 'string', usage: 'Requests as resource=quantity pairs, comma separated (cpu=100m,memory=64Mi).' },
    ...TEMPLATE_CHANGE_FLAGS,
  ],
  async run(inv) {
    await runSetResources(inv);
  },
};
