/**
 * kubectl explain TYPE[.field…]: the documentation of a resource or one of its fields, read from the
 * server's OpenAPI v3 documents (see ../explain/). The type resolves through discovery like kubectl's
 * REST mapper (`po`, `pods.spec`, `deployments.apps.spec`); `--api-version` picks another group/version.
 */
import { KubectlError } from '../client/errors.js';
import type { Command } from '../command.js';
import type { ApiResource } from '../resource/discovery.js';
import { openApiDocument, openApiIndex } from '../explain/openapi.js';
import { ExplainRenderer, ExplainRenderError, type Gvr } from '../explain/render.js';

const FORMATS = ['plaintext', 'plaintext-openapiv2'];

/** resources a bare name means, best first (short names expand to their resource first) */
export function resourcesFor(all: readonly ApiResource[], name: string): ApiResource[] {
  const lower = name.toLowerCase();
  const short = all.find((r) => r.preferred && r.shortNames.includes(lower));
  if (short) return all.filter((r) => r.group === short.group && r.resource === short.resource);
  const byName = all.filter((r) => r.resource === lower || r.singular === lower);
  const preferred = byName.filter((r) => r.preferred);
  return [...preferred, ...byName.filter((r) => !r.preferred)];
}

interface PathNode {
  field: boolean;
  value: string;
}

const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}']);

/**
 * The nodes of a dotted path read the way kubectl reads `TYPE.field…` (a JSONPath `{.…}` expression):
 * plain names are field nodes; `..`, `*` and `[…]` are other nodes (which explain rejects).
 */
export function pathNodes(text: string): PathNode[] {
  const s = '.' + (text.endsWith('.') ? text.slice(0, -1) : text);
  const nodes: PathNode[] = [];
  let i = 0;
  const readName = () => {
    let j = i;
    while (j < s.length && !TERMINATORS.has(s[j]!)) j++;
    const name = s.slice(i, j);
    i = j;
    nodes.push(name === '*' ? { field: false, value: name } : { field: true, value: name.replace(/\\/g, '') });
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '.') {
      if (s[i + 1] === '.') {
        nodes.push({ field: false, value: '..' });
        i += 2;
        continue;
      }
      i++;
      readName();
    } else if (c === '[') {
      const j = s.indexOf(']', i);
      const end = j < 0 ? s.length : j + 1;
      nodes.push({ field: false, value: s.slice(i, end) });
      i = end;
    } else if (TERMINATORS.has(c)) {
      nodes.push({ field: false, value: c });
      i++;
    } else {
      readName();
    }
  }
  return nodes;
}

function fieldValues(nodes: PathNode[], message: string): string[] {
  if (nodes.some((n) => !n.field)) throw new KubectlError(message);
  return nodes.map((n) => n.value);
}

const FIRST_NODE = 'invalid jsonpath syntax, first node must be field node';

/** kubectl's split of `TYPE.field.path` into a resource and a field path (undefined resource: no such type) */
export function splitExplainArg(all: readonly ApiResource[], arg: string, withApiVersion: boolean): { name: string; resource?: ApiResource; fields: string[] } {
  const nodes = pathNodes(arg);
  if (!nodes[0]?.field) throw new KubectlError(FIRST_NODE);
  const name = nodes[0].value;
  if (!name) throw new KubectlError('a resource must be present, got: /, Resource=');
  const candidates = resourcesFor(all, name);
  if (!candidates.length) return { name, fields: [] };
  if (withApiVersion) return { name, resource: candidates[0], fields: fieldValues(nodes.slice(1), 'invalid jsonpath syntax, all nodes must be field nodes') };
  for (const r of candidates) {
    const gr = r.group ? `${r.resource}.${r.group}` : r.resource;
    if (arg.startsWith(gr)) {
      const rest = arg.slice(gr.length);
      return { name, resource: r, fields: rest ? fieldValues(pathNodes(rest).slice(1), FIRST_NODE) : [] };
    }
  }
  return { name, resource: candidates[0], fields: fieldValues(nodes.slice(1), FIRST_NODE) };
}

export const explain: Command = {
  name: 'explain',
  short: 'Show the documented fields of a resource type',
  group: 'basic',
  usage: 'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|plaintext-openapiv2]',
  example: [
    '# What a Pod is, and its top-level fields',
    'kubectl explain pods',
    '',
    '# Every field of a Pod, as a tree',
    'kubectl explain pods --recursive',
    '',
    '# One field, with its type and description',
    'kubectl explain pods.spec.containers',
    '',
    '# A resource in a given group/version',
    'kubectl explain deployments --api-version=apps/v1',
  ].join('\n'),
  flags: [
    { name: 'recursive', type: 'bool', usage: 'List every nested field by name instead of one level with descriptions.' },
    { name: 'api-version', type: 'string', usage: 'The group/version of the resource to document.' },
    { name: 'output', type: 'string', default: 'plaintext', usage: 'Rendering: plaintext or plaintext-openapiv2.' },
  ],
  validate(inv) {
    if (inv.args.length === 0)
      throw new KubectlError('You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n');
    if (inv.args.length > 1) throw new KubectlError('We accept only this format: explain RESOURCE\n');
  },
  async run(inv) {
    const client = await inv.client();
    const apiVersion = inv.str('api-version');
    const arg = inv.args[0]!;
    let split = splitExplainArg(await client.discovery.resources(), arg, apiVersion !== '');
    if (!split.resource) {
      client.discovery.invalidate();
      split = splitExplainArg(await client.discovery.resources(), arg, apiVersion !== '');
    }
    const r = split.resource;
    if (!r) {
      throw new KubectlError(`the server doesn't have a resource type "${split.name}"`, 1, undefined, true);
    }
    const gvr: Gvr = { group: r.group, version: r.version, resource: r.resource };
    const format = inv.str('output');
    if (format === 'plaintext-openapiv2') throw new KubectlError(`couldn't find resource for "${r.group}/${r.version}, Kind=${r.kind}"`);

    const index = await openApiIndex(client.rest);
    if (!index) throw new KubectlError(`couldn't find resource for "${r.group}/${r.version}, Kind=${r.kind}"`);
    if (apiVersion) {
      const gv = apiVersion.split('/');
      if (gv.length > 2) throw new KubectlError(`unexpected GroupVersion string: ${apiVersion}`);
      gvr.group = gv.length === 2 ? gv[0]! : '';
      gvr.version = gv.length === 2 ? gv[1]! : gv[0]!;
    }
    const key = gvr.group ? `apis/${gvr.group}/${gvr.version}` : `api/${gvr.version}`;
    const url = index.paths[key];
    if (!url) throw new KubectlError(`couldn't find resource for "${gvr.group}/${gvr.version}, Resource=${gvr.resource}"`);
    const doc = await openApiDocument(client.rest, url);
    if (!FORMATS.includes(format)) throw new KubectlError(`unrecognized format: ${format}`);
    try {
      inv.out.write(new ExplainRenderer(doc).render(gvr, split.fields, inv.bool('recursive')));
    } catch (e) {
      if (!(e instanceof ExplainRenderError)) throw e;
      if (e.partial) inv.out.write(e.partial);
      throw new KubectlError(e.message, 1, undefined, true);
    }
  },
};
