/**
 * kubectl create: `-f FILE|DIR|URL|-` creates every object read (POST each, in order; objects that
 * fail are reported at the end and the others are still created), or a generator subcommand
 * (namespace, deployment, service …, see create-*.ts) builds one object from flags.
 */
import { AggregateError2, KubectlError, ServerError } from '../client/errors.js';
import type { Command } from '../command.js';
import { groupVersion } from '../resource/discovery.js';
import { isInfo, objectsFromFlags, sortErrors, validationFromFlag } from '../resource/builder.js';
import { addSourceToErr, ActionPrinter, dryRunMode, GENERATOR_FLAGS, objectEffect, saveConfig } from './create-common.js';
import { CREATE_SUBCOMMANDS } from './create-generators.js';

export const create: Command = {
  name: 'create',
  short: 'Create objects from a file, standard input or flags',
  group: 'basic',
  usage: 'kubectl create -f FILENAME [options]',
  example:
    'kubectl create -f kubia-manual.yaml\nkubectl create -f kubia-manual.yaml -n custom-namespace\ncat pod.json | kubectl create -f -\nkubectl create namespace custom-namespace',
  flags: [
    ...GENERATOR_FLAGS,
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files, directories or URLs with the objects to create ("-" reads standard input).' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Also read the sub-directories of directories given with -f.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory to build and create (not supported here).' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Only create the objects whose labels match this selector.' },
    { name: 'edit', type: 'bool', usage: 'Open the objects in an editor before creating them (not supported here).' },
    { name: 'raw', type: 'string', usage: 'Send the file to this raw URI with POST.' },
    { name: 'windows-line-endings', type: 'bool', usage: 'With --edit, use Windows line endings.' },
  ],
  subcommands: CREATE_SUBCOMMANDS,
  validate(inv) {
    if (inv.args.length) throw new KubectlError(`Unexpected args: [${inv.args.join(' ')}]\nSee 'kubectl create -h' for help and examples`);
    if (!inv.list('filename').length && !inv.str('kustomize')) throw new KubectlError('must specify one of -f and -k');
    if (inv.str('kustomize')) throw new KubectlError('kustomize (-k) is not supported by kube-tutor\'s kubectl');
    if (inv.str('raw')) throw new KubectlError("--raw is not supported by kube-tutor's create");
    if (inv.bool('edit')) throw new KubectlError("--edit is not supported by kube-tutor's create; create the object, then use kubectl edit");
    validationFromFlag(inv.str('validate'));
    dryRunMode(inv);
  },
  async run(inv) {
    const dry = dryRunMode(inv);
    const printer = new ActionPrinter(inv, 'created');
    const client = await inv.client();
    const fv = validationFromFlag(inv.str('validate')).fieldValidation;
    const results = await objectsFromFlags(inv, client);
    const selector = inv.str('selector');
    const errors: Error[] = [];
    let count = 0;
    for (const r of results) {
      if (!isInfo(r)) {
        errors.push(r);
        continue;
      }
      if (selector && !matchesSelector(r.object.metadata?.labels ?? {}, selector)) continue;
      count++;
      const obj = r.object;
      if (inv.bool('save-config')) saveConfig(obj);
      if (dry === 'client') {
        printer.print(obj, dry);
        objectEffect(inv, 'created', r.resource, obj, r.namespace, dry);
        continue;
      }
      try {
        const created = await client.create(r.resource, r.namespace, obj, {
          dryRun: dry === 'server',
          fieldManager: inv.str('field-manager') || 'kubectl-create',
          fieldValidation: fv,
        });
        created.apiVersion ??= groupVersion(r.resource);
        created.kind ??= r.resource.kind;
        printer.print(created, dry);
        objectEffect(inv, 'created', r.resource, created, r.namespace, dry);
      } catch (e) {
        if (e instanceof ServerError) errors.push(addSourceToErr(e, 'creating', r.source));
        else throw e;
      }
    }
    if (!count && !errors.length) throw new KubectlError('no objects passed to create');
    if (errors.length) throw new AggregateError2(sortErrors(errors));
  },
};

/** equality-based label selector (`a=b,c!=d,e,!f`) for create -l */
function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  for (const part of selector.split(',').map((s) => s.trim()).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^([^!=]+)!=(.*)$/.exec(part))) {
      if (labels[m[1]!.trim()] === m[2]!.trim()) return false;
    } else if ((m = /^([^!=]+)==?(.*)$/.exec(part))) {
      if (labels[m[1]!.trim()] !== m[2]!.trim()) return false;
    } else if (part.startsWith('!')) {
      if (part.slice(1).trim() in labels) return false;
    } else if (!(part in labels)) return false;
  }
  return true;
}
