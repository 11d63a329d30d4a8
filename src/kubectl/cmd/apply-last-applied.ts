/**
 * kubectl apply view-last-applied / set-last-applied: read or replace the
 * last-applied-configuration annotation of live objects.
 */
import { KubectlError, ServerError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { parseResourceArgs, resolveResourceArgs } from '../resource/args.js';
import { isInfo, objectsFromFlags } from '../resource/builder.js';
import { goJson } from '../printers/json.js';
import { printYaml } from '../printers/yaml.js';
import { LAST_APPLIED, modifiedConfiguration } from '../apply/lastapplied.js';
import { DRY_RUN_FLAG, dryRunOf, operationLine, OUTPUT_FLAG, outputOf } from '../apply/print.js';

const NO_RESOURCES =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** live objects named by TYPE NAME… / TYPE/NAME or -f, in order, with their source */
async function liveObjects(inv: Invocation): Promise<Array<{ object: any; source: string; name: string } | Error>> {
  const client = await inv.client();
  const out: Array<{ object: any; source: string; name: string } | Error> = [];
  if (inv.list('filename').length) {
    for (const x of await objectsFromFlags(inv, client)) {
      if (!isInfo(x)) {
        out.push(x);
        continue;
      }
      try {
        out.push({ object: await client.get(x.resource, x.namespace, x.name), source: x.source, name: x.name });
      } catch (e) {
        out.push(e as Error);
      }
    }
    return out;
  }
  if (!inv.args.length) throw new KubectlError(NO_RESOURCES);
  const parsed = parseResourceArgs(inv.args);
  const requests = await resolveResourceArgs(parsed, client.discovery);
  for (const req of requests) {
    if (!req.names.length && !inv.bool('all') && !inv.str('selector')) throw new KubectlError('resource(s) were provided, but no name was specified');
    const ns = req.resource.namespaced ? client.namespace : undefined;
    const names = req.names.length ? req.names : ((await client.list(req.resource, ns, { labelSelector: inv.str('selector') || undefined })).items ?? []).map((i: any) => i.metadata.name);
    for (const name of names) {
      try {
        out.push({ object: await client.get(req.resource, ns, name), source: '', name });
      } catch (e) {
        if (e instanceof ServerError) return [...out, e];
        throw e;
      }
    }
  }
  return out;
}

/** json.Indent(dst, src, "", "  "): re-indent JSON text keeping its tokens (and trailing spaces) */
export function goJsonIndent(src: string, indent = '  '): string {
  let out = '';
  let depth = 0;
  let i = 0;
  const n = src.length;
  while (i < n && /\s/.test(src[i]!)) i++;
  let needIndent = false;
  const nl = () => '\n' + indent.repeat(depth);
  let end = n;
  while (end > i && /\s/.test(src[end - 1]!)) end--;
  for (; i < end; i++) {
    const c = src[i]!;
    if (/\s/.test(c)) continue;
    if (needIndent && c !== ']' && c !== '}') {
      out += nl();
      needIndent = false;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < end && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '{' || c === '[') {
      out += c;
      depth++;
      needIndent = true;
      continue;
    }
    if (c === '}' || c === ']') {
      depth--;
      if (needIndent) needIndent = false;
      else out += nl();
      out += c;
      continue;
    }
    if (c === ',') {
      out += c + nl();
      continue;
    }
    if (c === ':') {
      out += ': ';
      continue;
    }
    out += c;
  }
  return out + src.slice(end);
}

export const applyViewLastApplied: Command = {
  name: 'view-last-applied',
  short: 'Show the configuration kubectl apply last applied to an object',
  usage: 'kubectl apply view-last-applied (TYPE [NAME | -l label] | TYPE/NAME | -f FILENAME) [options]',
  example: 'kubectl apply view-last-applied deployment/kubia\nkubectl apply view-last-applied -f kubia.yaml -o json',
  flags: [
    { name: 'output', short: 'o', type: 'string', default: 'yaml', usage: 'yaml or json.' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects.' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory.' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Label selector.' },
    { name: 'all', type: 'bool', usage: 'Every object of the given types in the namespace.' },
  ],
  async run(inv) {
    const format = inv.str('output');
    const configs: string[] = [];
    const items = await liveObjects(inv);
    for (const x of items) {
      if (x instanceof Error) throw x;
      const text = x.object?.metadata?.annotations?.[LAST_APPLIED];
      if (typeof text !== 'string') {
        if (x.source) throw new KubectlError(`error when no last-applied-configuration annotation found on resource: ${x.name}\n ${JSON.stringify(x.source)}: <nil>`);
        continue;
      }
      configs.push(text);
    }
    for (const text of configs) {
      if (format === 'json') inv.out.write(goJsonIndent(text));
      else if (format === 'yaml') inv.out.write(printYaml(JSON.parse(text)));
      else throw new KubectlError(`Unexpected -o output mode: ${format}, the flag 'output' must be one of yaml|json`, 1, "See 'kubectl apply view-last-applied -h' for help and examples");
    }
  },
};

export const applySetLastApplied: Command = {
  name: 'set-last-applied',
  short: "Replace an object's last-applied-configuration with a file's contents",
  usage: 'kubectl apply set-last-applied -f FILENAME [options]',
  example: 'kubectl apply set-last-applied -f kubia.yaml\nkubectl apply set-last-applied -f kubia.yaml --create-annotation',
  flags: [
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files with the configuration to record.' },
    { name: 'create-annotation', type: 'bool', usage: 'Add the annotation to objects that do not have it yet.' },
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
  ],
  validate(inv) {
    if (!inv.list('filename').length) throw new KubectlError(NO_RESOURCES);
  },
  async run(inv) {
    const dryRun = dryRunOf(inv);
    const output = outputOf(inv);
    const client = await inv.client();
    for (const x of await objectsFromFlags(inv, client)) {
      if (!isInfo(x)) throw x;
      const live = await client.get(x.resource, x.namespace, x.name);
      const has = live?.metadata?.annotations?.[LAST_APPLIED] !== undefined;
      if (!has && !inv.bool('create-annotation')) {
        throw new KubectlError(
          `no last-applied-configuration annotation found on resource: ${x.name}, to create the annotation, run the command with --create-annotation`,
        );
      }
      const { value } = modifiedConfiguration(x.object, false);
      const patch = goJson({ metadata: { annotations: { [LAST_APPLIED]: value } } });
      let obj = live;
      if (dryRun !== 'client') obj = await client.patch(x.resource, x.namespace, x.name, patch, 'merge', { dryRun: dryRun === 'server' });
      inv.out.write(operationLine(obj, 'configured', dryRun, output, x.object));
    }
  },
};

export const applyEditLastApplied: Command = {
  name: 'edit-last-applied',
  short: "Edit an object's last-applied-configuration in an editor",
  usage: 'kubectl apply edit-last-applied (RESOURCE/NAME | -f FILENAME) [options]',
  example: 'kubectl apply edit-last-applied deployment/kubia',
  flags: [
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects.' },
    { name: 'output', short: 'o', type: 'string', usage: 'yaml or json.' },
    { name: 'field-manager', type: 'string', default: 'kubectl-client-side-apply', usage: 'The manager name recorded for the fields this command sets.' },
  ],
  async run(inv) {
    const { editLastApplied } = await import('./edit.js');
    return editLastApplied(inv);
  },
};
