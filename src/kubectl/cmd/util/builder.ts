/**
 * Which objects an imperative command works on, the way kubectl's resource builder picks them:
 * `TYPE NAME…`, `TYPE1,TYPE2 NAME…`, `TYPE/NAME…`, `TYPE -l SELECTOR`, `TYPE --all`, with -A.
 * Objects are fetched one by one (named) or listed (selector); per-object failures (NotFound) are
 * collected so the command can carry on with the others and report them at the end, like
 * kubectl's ContinueOnError.
 */
import { KubectlError } from '../../client/errors.js';
import type { ApiClient } from '../../client/api.js';
import { groupVersion, type ApiResource } from '../../resource/discovery.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface Info {
  resource: ApiResource;
  /** the object's namespace (undefined for cluster-scoped objects) */
  namespace?: string;
  name: string;
  object: any;
}

export interface SelectOptions {
  /** resource words (no key=value pairs) */
  args: string[];
  /** --all */
  all?: boolean;
  /** -l */
  selector?: string;
  /** --field-selector */
  fieldSelector?: string;
  /** -A */
  allNamespaces?: boolean;
  /** `TYPE` alone means every object of the type (rollout status) */
  allowEmptySelector?: boolean;
}

export interface Selection {
  /** the objects and the failures for single objects (NotFound …), in visiting order */
  entries: Array<Info | Error>;
  infos: Info[];
  errors: Error[];
  /** exactly one object was named (kubectl's singleItemImplied) */
  single: boolean;
}

export const MISSING_RESOURCE =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

interface Plan {
  tuples: Array<{ type: string; name: string }>;
  types: string[];
  names: string[];
}

/** the words as the builder reads them (no API calls); throws kubectl's argument errors */
export function planArgs(args: readonly string[]): Plan {
  const slash = args.filter((a) => a.includes('/')).length;
  if (slash > 0) {
    if (slash !== args.length) {
      throw new KubectlError(
        "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
      );
    }
    const tuples = args.map((a) => {
      const seg = a.split('/');
      if (seg.length !== 2) throw new KubectlError('arguments in resource/name form may not have more than one slash');
      const [type, name] = seg as [string, string];
      if (!type || !name || type.split(',').filter(Boolean).length !== 1) throw new KubectlError('arguments in resource/name form must have a single resource and name');
      return { type, name };
    });
    return { tuples, types: [], names: [] };
  }
  if (!args.length) return { tuples: [], types: [], names: [] };
  return { tuples: [], types: args[0]!.split(',').filter(Boolean), names: args.slice(1) };
}

/** add apiVersion/kind to list items (the API leaves them out) */
export function typed(obj: any, r: ApiResource): any {
  if (obj && typeof obj === 'object') {
    obj.apiVersion ??= groupVersion(r);
    obj.kind ??= r.kind;
  }
  return obj;
}

async function resolveTypes(client: ApiClient, types: string[], withNames: boolean): Promise<ApiResource[]> {
  const out: ApiResource[] = [];
  for (const t of types) {
    const category = await client.discovery.category(t.toLowerCase());
    if (category) {
      const isResource = await client.discovery.resolve(t).then(
        () => true,
        () => false,
      );
      if (!isResource) {
        if (withNames) throw new KubectlError('you must specify only one resource');
        for (const r of category) if (!out.includes(r)) out.push(r);
        continue;
      }
    }
    const r = await client.discovery.resolve(t);
    if (!out.includes(r)) out.push(r);
  }
  return out;
}

/** Pick and fetch the objects. Argument errors are thrown; per-object errors are collected. */
export async function selectObjects(client: ApiClient, opts: SelectOptions): Promise<Selection> {
  if (opts.all && opts.selector) throw new KubectlError('cannot set --all and --selector at the same time');
  if (opts.all && opts.fieldSelector) throw new KubectlError('cannot set --all and --field-selector at the same time');
  const plan = planArgs(opts.args);
  const ns = client.namespace;
  const entries: Array<Info | Error> = [];
  const done = (single: boolean): Selection => ({
    entries,
    infos: entries.filter((e): e is Info => !(e instanceof Error)),
    errors: entries.filter((e): e is Error => e instanceof Error),
    single,
  });
  const fetch = async (r: ApiResource, name: string) => {
    const objNs = r.namespaced ? ns : undefined;
    try {
      const obj = typed(await client.get(r, objNs, name), r);
      entries.push({ resource: r, namespace: objNs, name, object: obj });
    } catch (e) {
      entries.push(e as Error);
    }
  };
  if (plan.tuples.length) {
    const resolved: Array<{ r: ApiResource; name: string }> = [];
    for (const t of plan.tuples) resolved.push({ r: await client.discovery.resolve(t.type), name: t.name });
    for (const t of resolved) await fetch(t.r, t.name);
    return done(plan.tuples.length === 1);
  }
  if (!plan.types.length) throw new KubectlError(MISSING_RESOURCE);
  const hasSelector = opts.selector !== undefined && opts.selector !== '';
  const hasFieldSelector = opts.fieldSelector !== undefined && opts.fieldSelector !== '';
  const selectAll = opts.all || (opts.allowEmptySelector && plan.names.length === 0);
  if (plan.names.length) {
    if (hasSelector || hasFieldSelector) throw new KubectlError('name cannot be provided when a selector is specified');
    const rs = await resolveTypes(client, plan.types, true);
    for (const r of rs) for (const name of plan.names) await fetch(r, name);
    return done(plan.names.length === 1 && rs.length === 1);
  }
  const rs = await resolveTypes(client, plan.types, false);
  if (!hasSelector && !hasFieldSelector && !selectAll) throw new KubectlError('resource(s) were provided, but no name was specified');
  for (const r of rs) {
    const listNs = r.namespaced && !opts.allNamespaces ? ns : undefined;
    try {
      const list = await client.list(r, listNs, { labelSelector: opts.selector || undefined, fieldSelector: opts.fieldSelector || undefined });
      for (const item of list.items ?? []) {
        typed(item, r);
        entries.push({ resource: r, namespace: r.namespaced ? item.metadata?.namespace : undefined, name: item.metadata?.name ?? '', object: item });
      }
    } catch (e) {
      entries.push(e as Error);
    }
  }
  return done(false);
}

/** kubectl's `pairs` split: resource words first, then KEY=VALUE / KEY- words */
export function splitResourcesAndPairs(args: readonly string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  let inPairs = false;
  for (const s of args) {
    const isPair = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (isPair) {
      inPairs = true;
      pairs.push(s);
    } else if (inPairs) {
      throw new KubectlError(`all resources must be specified before ${pairType} changes: ${s}`);
    } else resources.push(s);
  }
  return { resources, pairs };
}

/** KEY=VALUE (and KEY- when removal is allowed) pairs; kubectl's `invalid <type> format` error */
export function parsePairs(pairs: readonly string[], pairType: string, supportRemove: boolean): { set: Map<string, string>; remove: string[] } {
  const set = new Map<string, string>();
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const p of pairs) {
    if (p.includes('=') && p[0] !== '=') {
      const i = p.indexOf('=');
      set.set(p.slice(0, i), p.slice(i + 1));
    } else if (supportRemove && p.endsWith('-') && p !== '-') {
      remove.push(p.slice(0, -1));
    } else invalid.push(p);
  }
  if (invalid.length) throw new KubectlError(`invalid ${pairType} format: ${invalid.join(', ')}`);
  return { set, remove };
}

/** the resource name kubectl uses in messages: `deployments.apps`, `pods` */
export function resourceString(r: ApiResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}
