/**
 * kubectl set image: change container images in a pod or in the pod template of a workload with
 * a strategic merge patch (`deployment.apps/kubia image updated`) — the rollout lesson's trigger.
 */
import { AggregateError2, KubectlError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect, OUTPUT_FLAGS } from './create-common.js';
import { selectObjects, splitResourcesAndPairs } from './util/builder.js';
import { clone } from './util/patch.js';
import { podSpecOf } from './util/service.js';
import { env } from './set-env.js';
import { resources } from './set-resources.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const POD_SPEC_KINDS = new Set(['/Pod', '/ReplicationController', 'apps/Deployment', 'apps/ReplicaSet', 'apps/DaemonSet', 'apps/StatefulSet', 'batch/Job', 'batch/CronJob', 'extensions/Deployment', 'extensions/ReplicaSet', 'extensions/DaemonSet']);

/** the path from the object root to its pod spec, for the patch */
function podSpecPath(obj: any): string[] {
  if (obj.kind === 'Pod') return ['spec'];
  if (obj.kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return ['spec', 'template', 'spec'];
}

function nest(path: string[], leaf: any): any {
  return path.reduceRight((acc, k) => ({ [k]: acc }), leaf);
}

async function runSetImage(inv: Invocation): Promise<void> {
  const { resources, pairs } = splitResourcesAndPairs(inv.args, 'image');
  const images = new Map<string, string>();
  const invalid: string[] = [];
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i > 0) images.set(p.slice(0, i), p.slice(i + 1));
    else invalid.push(p);
  }
  if (invalid.length) throw new KubectlError(`invalid image format: ${invalid.join(', ')}`);
  const dry = dryRunMode(inv);
  const problems: string[] = [];
  if (!inv.bool('all') && !inv.str('selector') && !resources.length && !inv.list('filename').length) {
    problems.push('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  }
  if (images.size < 1) problems.push('at least one image update is required');
  else if (images.size > 1 && images.has('*')) problems.push('all containers are already specified by *, but saw more than one container_name=container_image pairs');
  if (inv.bool('local') && resources.length) problems.push('can only use local files by -f rsrc.yaml or --filename=rsrc.json when --local=true is set');
  if (inv.list('filename').length || inv.str('kustomize')) throw new KubectlError("-f/-k are not supported by kube-tutor's kubectl for set image yet; name the objects instead");
  const client = await inv.client();
  const sel = await selectObjects(client, { args: resources, all: inv.bool('all'), selector: inv.str('selector') });
  if (sel.errors.length) throw sel.errors.length === 1 ? sel.errors[0] : new AggregateError2(sel.errors);
  if (problems.length === 1) throw new KubectlError(problems[0]!);
  if (problems.length) throw new AggregateError2(problems.map((p) => new KubectlError(p)));
  const errors: Error[] = [];
  for (const info of sel.infos) {
    const obj = clone(info.object);
    if (!POD_SPEC_KINDS.has(`${info.resource.group}/${info.resource.kind}`)) {
      errors.push(new KubectlError(`error: ${info.resource.kind.toLowerCase()}${info.resource.group ? '.' + info.resource.group : ''}/${info.name} ${`object of type ${info.resource.kind} is not supported`}\n`));
      continue;
    }
    const spec = podSpecOf(obj) ?? {};
    const lists = ['containers', 'initContainers', 'ephemeralContainers'] as const;
    const changed = new Map<string, Array<{ name: string; image: string }>>();
    const mark = (list: string, c: any, image: string) => {
      if (c.image === image) return;
      c.image = image;
      changed.set(list, [...(changed.get(list) ?? []), { name: c.name, image }]);
    };
    for (const [name, image] of images) {
      if (name === '*') {
        for (const l of lists) for (const c of spec[l] ?? []) mark(l, c, image);
        continue;
      }
      let found = false;
      for (const l of lists) {
        const c = (spec[l] ?? []).find((x: any) => x.name === name);
        if (c) {
          mark(l, c, image);
          found = true;
          break;
        }
      }
      if (!found) errors.push(new KubectlError(`unable to find container named "${name}"`));
    }
    if (!changed.size) continue;
    if (dry === 'client' || inv.bool('local')) {
      new ActionPrinter(inv, 'image updated').print(obj, dry);
      continue;
    }
    const specPatch: any = {};
    for (const [l, items] of changed) {
      specPatch[`$setElementOrder/${l}`] = (spec[l] ?? []).map((c: any) => ({ name: c.name }));
      specPatch[l] = items.map((i) => ({ image: i.image, name: i.name }));
    }
    try {
      const actual = await client.patch(info.resource, info.namespace, info.name, nest(podSpecPath(obj), specPatch), 'strategic', {
        dryRun: dry === 'server',
        fieldManager: inv.str('field-manager'),
      });
      actual.apiVersion ??= info.object.apiVersion;
      actual.kind ??= info.object.kind;
      new ActionPrinter(inv, 'image updated').print(actual, dry);
      objectEffect(inv, 'patched', info.resource, actual, info.namespace, dry);
    } catch (e) {
      errors.push(new KubectlError(`failed to patch image update to pod template: ${(e as Error).message}`));
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length) throw new AggregateError2(errors);
}

const image: Command = {
  name: 'image',
  short: 'Change the container images of a pod or pod template',
  usage: 'kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N',
  example: ['kubectl set image deployment/kubia nodejs=luksa/kubia:v2', 'kubectl set image deploy kubia *=luksa/kubia:v3', 'kubectl set image po kubia-manual kubia=luksa/kubia:v2 --dry-run=client -o yaml'].join('\n'),
  flags: [
    { name: 'all', type: 'bool', usage: 'Change every object of the given types in the namespace.' },
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    { name: 'field-manager', type: 'string', default: 'kubectl-set', usage: 'Name of the manager recorded for the fields this command sets.' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects to change.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory naming the objects to change.' },
    { name: 'local', type: 'bool', usage: 'Change the objects read from files without contacting the server.' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Only objects whose labels match this selector.' },
  ],
  async run(inv) {
    await runSetImage(inv);
  },
};

export const set: Command = {
  name: 'set',
  short: 'Change specific fields of existing objects',
  group: 'advanced',
  usage: 'kubectl set SUBCOMMAND [options]',
  example: 'kubectl set image deployment/kubia nodejs=luksa/kubia:v2\nkubectl set env deployment/kubia GREETING=hello',
  subcommands: [env, image, resources],
};
