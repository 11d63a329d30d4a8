/**
 * kubectl get: server-side Tables for the default and wide output, objects for -o yaml/json/name/
 * jsonpath/custom-columns, watches for -w. Errors for single names (NotFound) are collected and
 * printed after the output, like kubectl.
 */
import { AggregateError2, KubectlError, ServerError } from '../client/errors.js';
import type { ApiClient } from '../client/api.js';
import type { Command, Invocation } from '../command.js';
import type { FlagSpec } from '../input/flags.js';
import { parseResourceArgs, resolveResourceArgs, type ResourceRequest } from '../resource/args.js';
import { kindPrefix, type ApiResource } from '../resource/discovery.js';
import { GetPrinter } from './get-printer.js';

export const GET_FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string', usage: 'Output format: json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide' },
  { name: 'selector', short: 'l', type: 'string', usage: 'Selector (label query) to filter on (e.g. -l key1=value1,key2=value2).' },
  { name: 'field-selector', type: 'string', usage: 'Selector (field query) to filter on (e.g. --field-selector key1=value1).' },
  { name: 'all-namespaces', short: 'A', type: 'bool', usage: 'List the requested object(s) across all namespaces.' },
  { name: 'watch', short: 'w', type: 'bool', usage: 'After listing/getting the requested object, watch for changes.' },
  { name: 'watch-only', type: 'bool', usage: 'Watch for changes to the requested object(s), without listing/getting first.' },
  { name: 'output-watch-events', type: 'bool', usage: 'Output watch event objects when --watch or --watch-only is used.' },
  { name: 'show-labels', type: 'bool', usage: 'When printing, show all labels as the last column.' },
  { name: 'label-columns', short: 'L', type: 'stringSlice', usage: 'Accepts a comma separated list of labels that are going to be presented as columns.' },
  { name: 'no-headers', type: 'bool', usage: "When using the default or custom-column output format, don't print headers." },
  { name: 'sort-by', type: 'string', usage: 'If non-empty, sort list types using this field specification (a JSONPath expression).' },
  { name: 'show-kind', type: 'bool', usage: 'If present, list the resource type for the requested object(s).' },
  { name: 'ignore-not-found', type: 'bool', usage: 'If set to true, suppresses NotFound error for specific objects that do not exist.' },
  { name: 'chunk-size', type: 'int', default: 500, usage: 'Return large lists in chunks rather than all at once.' },
  { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Filename, directory, or URL to files identifying the resource to get from a server.' },
  { name: 'recursive', short: 'R', type: 'bool', usage: 'Process the directory used in -f, --filename recursively.' },
  { name: 'kustomize', short: 'k', type: 'string', usage: 'Process the kustomization directory.' },
  { name: 'raw', type: 'string', usage: 'Raw URI to request from the server.' },
  { name: 'subresource', type: 'string', usage: 'If specified, gets the subresource of the requested object.' },
  { name: 'allow-missing-template-keys', type: 'bool', default: true, usage: 'If true, ignore any errors in templates when a field or map key is missing in the template.' },
  { name: 'template', type: 'string', usage: 'Template string or path to template file to use when -o=go-template, -o=go-template-file.' },
  { name: 'show-managed-fields', type: 'bool', usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
  { name: 'server-print', type: 'bool', default: true, hidden: true },
];

/** one fetched result: a Table (default/wide) or objects (other formats) for one resource type */
export interface GetPart {
  resource: ApiResource;
  /** the server Table when printing tables */
  table?: any;
  /** the objects when printing yaml/json/name/jsonpath/custom-columns */
  objects?: any[];
  /** true when the objects came from a list (not single named GETs) */
  fromList: boolean;
}

const requiredResource = () =>
  new KubectlError(
    'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
      'error: Required resource not specified.\n' +
      'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
      "See 'kubectl get -h' for help and examples",
    1,
    undefined,
    true,
  );

export const get: Command = {
  name: 'get',
  short: 'Show one or many objects',
  group: 'basic',
  usage: 'kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
  example: 'kubectl get pods\nkubectl get pods -o wide\nkubectl get rc,svc\nkubectl get pod kubia -o yaml\nkubectl get po --show-labels -L app',
  flags: GET_FLAGS,
  validate(inv) {
    if (!inv.args.length && !inv.list('filename').length && !inv.str('raw')) throw requiredResource();
  },
  async run(inv) {
    const client = await inv.client();
    const printer = await GetPrinter.create(inv, client);
    const allNamespaces = inv.bool('all-namespaces');
    const namespace = allNamespaces ? undefined : client.namespace;
    const requests = await resolveResourceArgs(parseResourceArgs(inv.args), client.discovery);
    const errors: Error[] = [];
    const watch = inv.bool('watch') || inv.bool('watch-only');
    if (watch && requests.length > 1) throw new KubectlError('you may only specify a single resource type');

    for (const req of requests) {
      if (inv.signal.aborted) break;
      if (!inv.bool('watch-only')) await fetchOne(inv, client, req, namespace, printer, errors);
    }
    printer.finish(errors.length > 0, namespace);
    if (watch && requests[0]) {
      await printer.watch(requests[0], namespace);
    }
    if (errors.length) throw new AggregateError2(errors);
    return 0;
  },
};

async function fetchOne(inv: Invocation, client: ApiClient, req: ResourceRequest, namespace: string | undefined, printer: GetPrinter, errors: Error[]): Promise<void> {
  const r = req.resource;
  const ns = r.namespaced ? namespace : undefined;
  if (req.names.length) {
    for (const name of req.names) {
      try {
        const data = printer.wantsTable ? await client.table(r, ns ?? client.namespace, { name, includeObject: printer.includeObject }) : await client.get(r, r.namespaced ? (ns ?? client.namespace) : undefined, name);
        printer.add({ resource: r, table: printer.wantsTable ? data : undefined, objects: printer.wantsTable ? undefined : [data], fromList: false });
      } catch (e) {
        if (e instanceof ServerError && e.code === 404 && inv.bool('ignore-not-found')) continue;
        errors.push(e as Error);
      }
    }
    return;
  }
  const opts = {
    labelSelector: inv.str('selector') || undefined,
    fieldSelector: inv.str('field-selector') || undefined,
  };
  const chunk = printer.sorting ? 0 : inv.int('chunk-size');
  let cont: string | undefined;
  do {
    const page = { ...opts, limit: chunk > 0 ? chunk : undefined, continue: cont };
    try {
      if (printer.wantsTable) {
        const table = await client.table(r, ns, { ...page, includeObject: printer.includeObject });
        printer.add({ resource: r, table, fromList: true });
        cont = table.metadata?.continue || undefined;
      } else {
        const list = await client.list(r, ns, page);
        for (const item of list.items ?? []) {
          item.apiVersion ??= r.group ? `${r.group}/${r.version}` : r.version;
          item.kind ??= r.kind;
        }
        printer.add({ resource: r, objects: list.items ?? [], fromList: true });
        cont = list.metadata?.continue || undefined;
      }
    } catch (e) {
      errors.push(e as Error);
      return;
    }
  } while (cont);
}

export { kindPrefix };
