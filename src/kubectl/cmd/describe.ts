/**
 * kubectl describe: fetch the object(s) and render them client-side with kubectl's describers
 * (src/kubectl/describe), reading related objects (events, pods, endpoint slices …) through the API.
 * A name that is not found falls back to the objects whose names start with it, like kubectl.
 */
import { AggregateError2, KubectlError, ServerError } from '../client/errors.js';
import type { ApiClient } from '../client/api.js';
import type { Command } from '../command.js';
import { describeObject, joinDescriptions, joinPrefixMatches, type DescribeReader } from '../describe/index.js';
import { noResourcesFound } from '../printers/table.js';
import { parseResourceArgs, resolveResourceArgs } from '../resource/args.js';
import { resourcePath, type ApiResource } from '../resource/discovery.js';

/** DescribeReader over the API: NotFound → undefined; other failures throw with kubectl's text and the HTTP code */
export function apiReader(client: ApiClient): DescribeReader {
  const find = async (group: string, version: string, resource: string): Promise<ApiResource> => {
    const all = await client.discovery.resources();
    return (
      all.find((r) => r.group === group && r.version === version && r.resource === resource) ?? {
        group, version, resource, singular: resource, kind: '', namespaced: true, verbs: [], shortNames: [], categories: [], subresources: [], preferred: true,
      }
    );
  };
  const fail = (e: unknown): never => {
    if (e instanceof ServerError) {
      const err = new Error(e.status.message ?? e.message) as Error & { code?: number; status?: number };
      err.code = e.code;
      err.status = e.code;
      throw err;
    }
    throw e;
  };
  return {
    async get(group, version, resource, namespace, name) {
      const r = await find(group, version, resource);
      try {
        return await client.rest.json(resourcePath(r, namespace, name));
      } catch (e) {
        if (e instanceof ServerError && e.code === 404) return undefined;
        return fail(e);
      }
    },
    async list(group, version, resource, opts) {
      const r = await find(group, version, resource);
      try {
        const list = await client.rest.json(resourcePath(r, opts.namespace), { query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector } });
        return list.items ?? [];
      } catch (e) {
        return fail(e);
      }
    },
  };
}

function withTypeMeta(obj: any, r: ApiResource): any {
  obj.apiVersion ??= r.group ? `${r.group}/${r.version}` : r.version;
  obj.kind ??= r.kind;
  return obj;
}

export const describe: Command = {
  name: 'describe',
  short: 'Show the details of an object, with its recent events',
  group: 'troubleshoot',
  usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
  example: 'kubectl describe pod kubia-manual\nkubectl describe rc kubia\nkubectl describe svc/kubia\nkubectl describe nodes',
  flags: [
    { name: 'selector', short: 'l', type: 'string', usage: 'Label query to pick the objects (e.g. -l app=kubia).' },
    { name: 'all-namespaces', short: 'A', type: 'bool', usage: 'Look in every namespace.' },
    { name: 'show-events', type: 'bool', default: true, usage: 'Include the events related to the object.' },
    { name: 'chunk-size', type: 'int', default: 500, usage: 'List in pages of this many objects.' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects to describe.' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'Describe what a kustomization directory names.' },
  ],
  validate(inv) {
    if (!inv.args.length && !inv.list('filename').length)
      throw new KubectlError('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.');
  },
  async run(inv) {
    const client = await inv.client();
    const allNamespaces = inv.bool('all-namespaces');
    const namespace = allNamespaces ? undefined : client.namespace;
    const requests = await resolveResourceArgs(parseResourceArgs(inv.args), client.discovery);
    const reader = apiReader(client);
    const settings = { showEvents: inv.bool('show-events'), chunkSize: inv.int('chunk-size'), now: new Date(), tz: inv.session.env.TZ || undefined };
    const errors: Error[] = [];
    const texts: string[] = [];
    let sawAny = false;
    let allNamespaced = true;
    for (const req of requests) {
      const r = req.resource;
      if (!r.namespaced) allNamespaced = false;
      const ns = r.namespaced ? (namespace ?? (req.names.length ? client.namespace : undefined)) : undefined;
      if (req.names.length) {
        for (const name of req.names) {
          try {
            const obj = withTypeMeta(await client.get(r, ns, name), r);
            sawAny = true;
            texts.push(await describeObject(obj, reader, settings));
          } catch (e) {
            // kubectl: `describe TYPE NAME` with NAME not found describes every object whose name starts with NAME
            const prefixMode = e instanceof ServerError && e.code === 404 && inv.args.length === 2 && requests.length === 1 && !inv.args[0]!.includes('/');
            if (!prefixMode) {
              errors.push(e as Error);
              continue;
            }
            const list = await client.list(r, ns, { labelSelector: inv.str('selector') || undefined });
            const matches = (list.items ?? []).filter((o: any) => String(o.metadata?.name ?? '').startsWith(name));
            if (!matches.length) throw e;
            const parts: string[] = [];
            for (const m of matches) parts.push(await describeObject(withTypeMeta(m, r), reader, settings));
            inv.out.write(joinPrefixMatches(parts));
            return 0;
          }
        }
        continue;
      }
      try {
        const list = await client.list(r, ns, { labelSelector: inv.str('selector') || undefined });
        for (const item of list.items ?? []) {
          sawAny = true;
          texts.push(await describeObject(withTypeMeta(item, r), reader, settings));
        }
      } catch (e) {
        errors.push(e as Error);
      }
    }
    if (texts.length) inv.out.write(joinDescriptions(texts));
    if (!sawAny && !errors.length) inv.err.write(noResourcesFound(namespace, allNamespaces, allNamespaced));
    if (errors.length) throw new AggregateError2(errors);
    return 0;
  },
};
