/**
 * kubectl scale: set the replica count through the objects' scale subresource (a merge patch of
 * spec.replicas, or GET + PUT of the Scale when --current-replicas / --resource-version set a
 * precondition). Prints `replicationcontroller/kubia scaled`.
 */
import { AggregateError2, KubectlError, ServerError } from '../client/errors.js';
import type { ApiClient } from '../client/api.js';
import type { Command, Invocation } from '../command.js';
import { parseGoDuration } from '../input/flags.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect, OUTPUT_FLAGS, requireFlags } from './create-common.js';
import { selectObjects, type Info } from './util/builder.js';
import { sleep, waitUntil } from './util/wait.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const scale: Command = {
  name: 'scale',
  short: 'Change the number of replicas of a workload',
  group: 'deploy',
  usage: 'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)',
  example: [
    'kubectl scale rc kubia --replicas=3',
    'kubectl scale deploy/kubia --replicas=5',
    'kubectl scale --current-replicas=3 --replicas=1 rs/kubia',
    'kubectl scale deploy -l app=kubia --replicas=0',
  ].join('\n'),
  flags: [
    { name: 'all', type: 'bool', usage: 'Scale every object of the given types in the namespace.' },
    ...OUTPUT_FLAGS,
    { name: 'current-replicas', type: 'int', default: -1, usage: 'Only scale when the object currently wants this many replicas (-1: no check).' },
    DRY_RUN_FLAG,
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects to scale.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory naming the objects to scale.' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
    { name: 'replicas', type: 'int', default: 0, usage: 'How many replicas the objects should have.' },
    { name: 'resource-version', type: 'string', usage: 'Only scale when the resourceVersion of the scale is still this one.' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Only objects whose labels match this selector.' },
    { name: 'timeout', type: 'duration', default: '0s', usage: 'How long to wait for the new replica count to be reached (0: do not wait).' },
  ],
  validate(inv) {
    requireFlags(inv, 'replicas');
    if (inv.int('replicas') < 0) throw new KubectlError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
    if (inv.int('current-replicas') < -1) throw new KubectlError('The --current-replicas must specify an integer of -1 or greater');
  },
  async run(inv) {
    const dry = dryRunMode(inv);
    if (inv.list('filename').length || inv.str('kustomize')) throw new KubectlError("-f/-k are not supported by kube-tutor's kubectl for scale yet; name the objects instead");
    const client = await inv.client();
    const sel = await selectObjects(client, { args: inv.args, all: inv.bool('all'), selector: inv.str('selector') });
    const infos = sel.infos;
    const rv = inv.str('resource-version');
    if (rv && infos.length > 1) throw new KubectlError('cannot use --resource-version with multiple resources');
    const infoErr = sel.errors.length ? (sel.errors.length === 1 ? sel.errors[0]! : new AggregateError2(sel.errors)) : undefined;
    if (!infos.length) {
      const detail = !infoErr ? '' : sel.errors.length === 1 ? ` ${infoErr.message}` : ` [${sel.errors.map((e) => e.message).join(', ')}]`;
      throw new KubectlError(`no objects passed to scale${detail}`);
    }
    const replicas = inv.int('replicas');
    const current = inv.int('current-replicas');
    const precondition = current !== -1 || rv ? { size: current, resourceVersion: rv } : undefined;
    const timeoutMs = parseGoDuration(inv.str('timeout')) ?? 0;
    for (const info of infos) {
      if (dry === 'client') {
        new ActionPrinter(inv, 'scaled').print(info.object, dry);
        objectEffect(inv, 'scaled', info.resource, info.object, info.namespace, dry);
        continue;
      }
      await scaleOne(inv, client, info, replicas, precondition, dry === 'server');
      if (timeoutMs > 0 && dry === 'none') await waitForReplicas(inv, client, info, replicas, timeoutMs);
      new ActionPrinter(inv, 'scaled').print(info.object, dry);
      objectEffect(inv, 'scaled', info.resource, info.object, info.namespace, dry);
    }
    if (infoErr) throw infoErr;
  },
};

async function scaleOne(
  inv: Invocation,
  client: ApiClient,
  info: Info,
  replicas: number,
  precondition: { size: number; resourceVersion: string } | undefined,
  serverDry: boolean,
): Promise<void> {
  // retry on conflicts (every second, up to 5 minutes), like kubectl's scaler
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      if (precondition) {
        const s = await client.rest.json(client.path(info.resource, info.namespace, info.name, 'scale'));
        const have = s?.spec?.replicas ?? 0;
        if (precondition.size !== -1 && have !== precondition.size) throw new KubectlError(`Expected replicas to be ${precondition.size}, was ${have}`);
        if (precondition.resourceVersion && s?.metadata?.resourceVersion !== precondition.resourceVersion) {
          throw new KubectlError(`Expected resource version to be ${precondition.resourceVersion}, was ${s?.metadata?.resourceVersion ?? ''}`);
        }
        s.spec = { ...(s.spec ?? {}), replicas };
        await client.replace(info.resource, info.namespace, info.name, s, { dryRun: serverDry }, 'scale');
      } else {
        await client.patch(info.resource, info.namespace, info.name, { spec: { replicas } }, 'merge', { dryRun: serverDry }, 'scale');
      }
      return;
    } catch (e) {
      if (e instanceof ServerError && e.code === 409 && Date.now() < deadline && !inv.signal.aborted) {
        await sleep(1000, inv.signal);
        continue;
      }
      throw e;
    }
  }
}

/** --timeout: poll the scale until status.replicas reaches the wanted count */
async function waitForReplicas(inv: Invocation, client: ApiClient, info: Info, replicas: number, timeoutMs: number): Promise<void> {
  const ok = await waitUntil(
    async () => {
      const s = await client.rest.json(client.path(info.resource, info.namespace, info.name, 'scale'));
      return (s?.status?.replicas ?? 0) === replicas && (s?.spec?.replicas ?? 0) === replicas;
    },
    1000,
    timeoutMs,
    inv.signal,
  );
  if (!ok) throw new KubectlError(`timed out waiting for "${info.name}" to be synced`);
}
