/**
 * kubectl patch TYPE NAME -p PATCH: send a strategic merge (default), JSON merge or JSON patch to
 * objects named by arguments or -f, print `kind/name patched` or `patched (no change)`.
 * `--dry-run=client` / `--local` apply the patch here instead of on the server.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { PatchType } from '../client/api.js';
import { AggregateError2, KubectlError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { goJson } from '../printers/json.js';
import { parseResourceArgs, resolveResourceArgs } from '../resource/args.js';
import { isInfo, objectsFromFlags, parseYamlDocument } from '../resource/builder.js';
import type { ApiResource } from '../resource/discovery.js';
import { applyJsonPatch } from '../apply/jsonpatch.js';
import { kindSchema } from '../apply/openapi.js';
import { DRY_RUN_FLAG, dryRunOf, operationLine, OUTPUT_FLAG, outputOf, PRINT_FLAGS, printObjects, printsObjects } from '../apply/print.js';
import { sendPatch } from '../apply/request.js';
import { applyMergePatch, applyPatch, deepEqual } from '../apply/smp.js';

const PATCH_TYPES: Record<string, PatchType> = { json: 'json', merge: 'merge', strategic: 'strategic' };

export const NO_RESOURCES =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** apimachinery's yaml.ToJSON: JSON-looking text is kept as is, YAML is converted */
export function patchToJson(text: string, shown: string): string {
  if (/^\s*[{[]/.test(text)) return text;
  const parsed = parseYamlDocument(text);
  if ('error' in parsed) throw new KubectlError(`unable to parse ${JSON.stringify(shown)}: error converting YAML to JSON: yaml: ${parsed.error}`);
  return goJson(parsed.value ?? null);
}

export interface Target {
  resource: ApiResource;
  namespace?: string;
  name: string;
  /** the object as fetched (or read from the file with --local) */
  object: any;
}

/** the objects named by TYPE NAME… / TYPE/NAME… or -f, fetched from the server (builder semantics) */
export async function namedTargets(inv: Invocation, opts: { local?: boolean } = {}): Promise<{ targets: Target[]; errors: Error[] }> {
  const client = await inv.client();
  const targets: Target[] = [];
  const errors: Error[] = [];
  const hasFiles = inv.list('filename').length > 0;
  if (!hasFiles && !inv.args.length) throw new KubectlError(NO_RESOURCES);
  if (hasFiles) {
    for (const x of await objectsFromFlags(inv, client)) {
      if (!isInfo(x)) {
        errors.push(x);
        continue;
      }
      if (opts.local) {
        targets.push({ resource: x.resource, namespace: x.namespace, name: x.name, object: x.object });
        continue;
      }
      try {
        targets.push({ resource: x.resource, namespace: x.namespace, name: x.name, object: await client.get(x.resource, x.namespace, x.name) });
      } catch (e) {
        errors.push(e as Error);
      }
    }
  }
  if (inv.args.length) {
    const parsed = parseResourceArgs(inv.args);
    const requests = await resolveResourceArgs(parsed, client.discovery);
    if (requests.some((r) => !r.names.length)) throw new KubectlError('resource(s) were provided, but no name was specified');
    for (const req of requests) {
      const ns = req.resource.namespaced ? client.namespace : undefined;
      for (const name of req.names) {
        try {
          targets.push({ resource: req.resource, namespace: ns, name, object: await client.get(req.resource, ns, name) });
        } catch (e) {
          errors.push(e as Error);
        }
      }
    }
  }
  return { targets, errors };
}

export const patch: Command = {
  name: 'patch',
  short: 'Change fields of objects with a patch',
  group: 'advanced',
  usage: 'kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]',
  example:
    "kubectl patch deployment kubia -p '{\"spec\":{\"replicas\":3}}'\n" +
    "kubectl patch pod kubia --type=merge -p '{\"metadata\":{\"labels\":{\"env\":\"debug\"}}}'\n" +
    "kubectl patch deploy kubia --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]'",
  flags: [
    { name: 'patch', short: 'p', type: 'string', usage: 'The patch itself (JSON or YAML).' },
    { name: 'patch-file', type: 'string', usage: 'A file holding the patch.' },
    { name: 'type', type: 'string', default: 'strategic', usage: 'json (RFC 6902), merge (RFC 7386) or strategic (the default).' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects to patch.' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory naming the objects.' },
    { name: 'local', type: 'bool', usage: 'Patch the objects read with -f here, without contacting the server.' },
    { name: 'subresource', type: 'string', usage: 'Patch this subresource (status, scale …) of the object.' },
    { name: 'field-manager', type: 'string', default: 'kubectl-patch', usage: 'The manager name recorded for the fields this command sets.' },
    OUTPUT_FLAG,
    ...PRINT_FLAGS,
    DRY_RUN_FLAG,
    { name: 'record', type: 'bool', hidden: true },
  ],
  async run(inv) {
    const dryRun = dryRunOf(inv);
    const output = outputOf(inv);
    const text = inv.str('patch');
    const file = inv.str('patch-file');
    const local = inv.bool('local');
    if (text && file) throw new KubectlError('cannot specify --patch and --patch-file together');
    if (!text && !file) throw new KubectlError('must specify --patch or --patch-file containing the contents of the patch');
    if (local && inv.args.length) throw new KubectlError('cannot specify --local and server resources');
    if (local && dryRun === 'server') throw new KubectlError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
    const typeName = inv.str('type');
    if (typeName && !PATCH_TYPES[typeName.toLowerCase()]) throw new KubectlError(`--type must be one of [json merge strategic], not ${JSON.stringify(typeName)}`);
    const type = PATCH_TYPES[(typeName || 'strategic').toLowerCase()]!;

    let raw = text;
    if (file) {
      try {
        raw = readFileSync(isAbsolute(file) ? file : resolvePath(inv.session.cwd, file), 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
        throw new KubectlError(`unable to read patch file: open ${file}: ${why}`);
      }
    }
    const body = patchToJson(raw, text);

    const client = await inv.client();
    const { targets, errors } = await namedTargets(inv, { local });
    const printed: any[] = [];
    for (const t of targets) {
      try {
        let result: any;
        if (!local && dryRun !== 'client') {
          result = await sendPatch(
            client,
            { resource: t.resource, namespace: t.namespace, name: t.name, body, type, options: { dryRun: dryRun === 'server', fieldManager: inv.str('field-manager') }, subresource: inv.str('subresource') || undefined },
          );
        } else {
          result = await patchLocally(client, t, body, type);
        }
        const changed = !deepEqual(t.object, result);
        inv.effect({ type: 'object', action: 'patched', group: t.resource.group, version: t.resource.version, kind: t.resource.kind, resource: t.resource.resource, namespace: t.namespace, name: t.name, dryRun: dryRun !== 'none' || local || undefined });
        if (printsObjects(output)) inv.out.write(printObjects(inv, [result], output));
        else inv.out.write(operationLine(result, changed ? 'patched' : 'patched (no change)', 'none', output, t.object));
        printed.push(result);
      } catch (e) {
        if (e instanceof Error && 'status' in e && (e as any).code === 415) {
          const gvk = `${t.resource.group}/${t.resource.version}, Kind=${t.resource.kind}`;
          errors.push(new KubectlError(`${PATCH_NAMES[type]} is not supported by ${gvk}: ${(e as Error).message}`));
        } else errors.push(e as Error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError2(errors);
    if (!targets.length) throw new KubectlError('no objects passed to patch');
  },
};

const PATCH_NAMES: Record<PatchType, string> = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

async function patchLocally(client: Awaited<ReturnType<Invocation['client']>>, t: Target, body: string, type: PatchType): Promise<any> {
  let p: any;
  try {
    p = JSON.parse(body);
  } catch (e) {
    throw new KubectlError((e as Error).message);
  }
  if (type === 'json') {
    try {
      return applyJsonPatch(t.object, p);
    } catch (e) {
      throw new KubectlError((e as Error).message);
    }
  }
  if (type === 'merge') return applyMergePatch(t.object, p);
  const schema = await kindSchema(client.rest, t.object?.apiVersion ?? '', t.object?.kind ?? '');
  if (!schema.strategic) {
    throw new KubectlError(`strategic merge patch is not supported for ${t.resource.group}/${t.resource.version}, Kind=${t.resource.kind} locally, try --type merge`);
  }
  return applyPatch(t.object, p, schema.root);
}
