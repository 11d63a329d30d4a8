/**
 * Resource arguments as kubectl reads them: `TYPE [NAME…]`, `TYPE1,TYPE2 [NAME…]`,
 * `TYPE/NAME [TYPE/NAME…]`, categories (`all`), resolved through discovery.
 */
import { KubectlError } from '../client/errors.js';
import type { ApiResource, Discovery } from './discovery.js';

export interface ResourceRequest {
  resource: ApiResource;
  /** the words the learner typed for the type (for messages) */
  typed: string;
  /** names asked for; empty = the whole collection */
  names: string[];
}

export interface ParsedArgs {
  /** type words in order (`po,svc` → ['po','svc']) with the names that apply to them */
  groups: Array<{ types: string[]; names: string[] }>;
  /** `TYPE/NAME` form was used */
  slashForm: boolean;
}

export function parseResourceArgs(args: readonly string[]): ParsedArgs {
  if (!args.length) return { groups: [], slashForm: false };
  const slash = args.filter((a) => a.includes('/'));
  if (slash.length) {
    if (slash.length !== args.length) {
      if (!args[0]!.includes('/'))
        throw new KubectlError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`,
        );
      throw new KubectlError(`arguments in resource/name form must have a single resource and name`);
    }
    const groups: ParsedArgs['groups'] = [];
    for (const a of args) {
      const i = a.indexOf('/');
      const type = a.slice(0, i);
      const name = a.slice(i + 1);
      if (!type || !name || name.includes('/')) throw new KubectlError(`arguments in resource/name form must have a single resource and name`);
      groups.push({ types: [type], names: [name] });
    }
    return { groups, slashForm: true };
  }
  const types = args[0]!.split(',').filter((t) => t.length > 0);
  return { groups: [{ types, names: args.slice(1) }], slashForm: false };
}

/**
 * Resolve the parsed arguments to resources (categories expanded in discovery order; duplicates
 * kept once). TYPE/NAME pairs stay separate requests, in the order given.
 */
export async function resolveResourceArgs(parsed: ParsedArgs, discovery: Discovery): Promise<ResourceRequest[]> {
  const out: ResourceRequest[] = [];
  for (const g of parsed.groups) {
    for (const t of g.types) {
      const category = !parsed.slashForm ? await discovery.category(t.toLowerCase()) : undefined;
      const isResource = category ? await discovery.resolve(t).then(() => true, () => false) : true;
      if (category && !isResource) {
        for (const r of category) {
          if (!out.some((o) => o.resource === r && o.names.length === 0)) out.push({ resource: r, typed: t, names: [...g.names] });
        }
        continue;
      }
      const r = await discovery.resolve(t);
      const existing = !parsed.slashForm ? out.find((o) => o.resource === r) : undefined;
      if (existing) continue;
      out.push({ resource: r, typed: t, names: [...g.names] });
    }
  }
  return out;
}
