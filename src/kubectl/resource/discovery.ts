/**
 * API discovery and the REST mapper: which resource a learner means by `po`, `pods`, `pod`, `Pod`,
 * `deployments.apps`, `deploy.v1.apps` or a category such as `all` — always from the server's
 * discovery documents (aggregated discovery when served, the per-group lists otherwise), never a
 * built-in alias table, so CRDs on a real cluster resolve too. Cached per server; refreshed once
 * when a name does not resolve, as kubectl does.
 */
import { KubectlError } from '../client/errors.js';
import { toServerError, type RestClient } from '../client/rest.js';

export interface ApiResource {
  group: string;
  version: string;
  /** plural, lowercase: "pods" */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: string[];
  /** this version is the group's preferred one */
  preferred: boolean;
}

export const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** "apps/v1" or "v1" */
export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** "deployments.apps" / "pods": how kubectl names a resource in messages */
export function groupResource(r: { group: string; resource: string }): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** "deployment.apps" / "pod": the prefix of `-o name` and multi-type tables */
export function kindPrefix(r: { group: string; kind: string }): string {
  const k = r.kind.toLowerCase();
  return r.group ? `${k}.${r.group}` : k;
}

/** the collection path of a resource, namespaced when a namespace is given */
export function resourcePath(r: { group: string; version: string; resource: string; namespaced: boolean }, namespace?: string, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.resource}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
}

interface DiscoveryState {
  resources: ApiResource[];
  groups: Array<{ name: string; versions: string[]; preferred: string }>;
  fetchedAt: number;
}

const cache = new Map<string, Promise<DiscoveryState>>();

export class Discovery {
  private state: Promise<DiscoveryState> | undefined;

  constructor(private readonly rest: RestClient) {}

  private load(force = false): Promise<DiscoveryState> {
    const key = this.rest.server;
    if (!force) {
      const hit = cache.get(key);
      if (hit) return (this.state = hit);
    }
    const p = fetchDiscovery(this.rest);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
    return (this.state = p);
  }

  /** every resource (no subresources), core first, then the groups in server order, preferred version first */
  async resources(): Promise<ApiResource[]> {
    return (await (this.state ?? this.load())).resources;
  }

  async groups(): Promise<DiscoveryState['groups']> {
    return (await (this.state ?? this.load())).groups;
  }

  /** forget the cached documents (after a miss, or `api-resources` wants fresh data) */
  invalidate(): void {
    cache.delete(this.rest.server);
    this.state = undefined;
  }

  /**
   * The resource a type argument names (plural, singular, short name, kind, `res.group`,
   * `res.version.group`, `Kind.version.group`), preferring core, then server order.
   * Throws kubectl's `the server doesn't have a resource type "x"`.
   */
  async resolve(arg: string): Promise<ApiResource> {
    let found = matchResource(await this.resources(), arg);
    if (!found) {
      this.invalidate();
      found = matchResource(await this.resources(), arg);
    }
    if (!found) throw new KubectlError(`the server doesn't have a resource type "${arg}"`);
    return found;
  }

  /** resources in a category (`all`), or undefined when `name` is not a category */
  async category(name: string): Promise<ApiResource[] | undefined> {
    const list = (await this.resources()).filter((r) => r.preferred && r.categories.includes(name));
    return list.length ? list : undefined;
  }

  /** The resource for an object's apiVersion + kind (manifests). Undefined when the server has none. */
  async forKind(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/', 2) as [string, string]) : ['', apiVersion];
    const pick = (rs: ApiResource[]) => rs.find((r) => r.group === group && r.version === version && r.kind === kind);
    let found = pick(await this.resources());
    if (!found) {
      this.invalidate();
      found = pick(await this.resources());
    }
    return found;
  }
}

/** the REST mapper's choice for a type argument, or undefined */
export function matchResource(all: readonly ApiResource[], arg: string): ApiResource | undefined {
  const lower = arg.toLowerCase();
  // short names expand first (kubectl's shortcut expander)
  const short = all.find((r) => r.preferred && r.shortNames.includes(lower));
  if (short) return short;
  const parts = lower.split('.');
  const name = parts[0]!;
  const byName = (r: ApiResource) => r.resource === name || r.singular === name || r.kind.toLowerCase() === name || r.shortNames.includes(name);
  if (parts.length === 1) {
    return all.find((r) => r.preferred && (r.resource === name || r.singular === name)) ?? all.find((r) => r.preferred && r.kind.toLowerCase() === name);
  }
  // resource.version.group (3+ parts) or resource.group
  if (parts.length >= 3) {
    const version = parts[1]!;
    const group = parts.slice(2).join('.');
    const full = all.find((r) => byName(r) && r.version === version && r.group === group);
    if (full) return full;
  }
  const group = parts.slice(1).join('.');
  return all.find((r) => r.preferred && byName(r) && r.group === group) ?? all.find((r) => byName(r) && r.group === group);
}

async function fetchDiscovery(rest: RestClient): Promise<DiscoveryState> {
  const [core, groups] = await Promise.all([
    rest.raw('/api', { accept: AGGREGATED_ACCEPT }),
    rest.raw('/apis', { accept: AGGREGATED_ACCEPT }),
  ]);
  if (core.status !== 200) throw toServerError(core);
  const coreDoc = core.json();
  const groupsDoc = groups.status === 200 ? groups.json() : { kind: 'APIGroupList', groups: [] };
  if (coreDoc.kind === 'APIGroupDiscoveryList' && groupsDoc.kind === 'APIGroupDiscoveryList') {
    return fromAggregated([...coreDoc.items, ...groupsDoc.items]);
  }
  return fromLegacy(rest, coreDoc, groupsDoc);
}

function fromAggregated(items: any[]): DiscoveryState {
  const resources: ApiResource[] = [];
  const groups: DiscoveryState['groups'] = [];
  for (const g of items) {
    const name: string = g.metadata?.name ?? '';
    const versions: string[] = (g.versions ?? []).map((v: any) => v.version);
    groups.push({ name, versions, preferred: versions[0] ?? '' });
    (g.versions ?? []).forEach((v: any, i: number) => {
      for (const r of v.resources ?? []) {
        resources.push({
          group: name,
          version: v.version,
          resource: r.resource,
          singular: r.singularResource || r.responseKind?.kind?.toLowerCase() || '',
          kind: r.responseKind?.kind ?? '',
          namespaced: r.scope === 'Namespaced',
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          subresources: (r.subresources ?? []).map((s: any) => s.subresource),
          preferred: i === 0,
        });
      }
    });
  }
  return { resources, groups, fetchedAt: Date.now() };
}

async function fromLegacy(rest: RestClient, coreVersions: any, groupList: any): Promise<DiscoveryState> {
  const groups: DiscoveryState['groups'] = [{ name: '', versions: coreVersions.versions ?? ['v1'], preferred: (coreVersions.versions ?? ['v1'])[0] }];
  for (const g of groupList.groups ?? []) {
    groups.push({ name: g.name, versions: (g.versions ?? []).map((v: any) => v.version), preferred: g.preferredVersion?.version ?? g.versions?.[0]?.version });
  }
  const lists = await Promise.all(
    groups.flatMap((g) =>
      g.versions.map(async (v) => {
        const path = g.name ? `/apis/${g.name}/${v}` : `/api/${v}`;
        const res = await rest.raw(path);
        return { g, v, doc: res.status === 200 ? res.json() : { resources: [] } };
      }),
    ),
  );
  const resources: ApiResource[] = [];
  for (const { g, v, doc } of lists) {
    const subs = new Map<string, string[]>();
    for (const r of doc.resources ?? []) {
      const [base, sub] = String(r.name).split('/');
      if (sub) subs.set(base!, [...(subs.get(base!) ?? []), sub]);
    }
    for (const r of doc.resources ?? []) {
      if (String(r.name).includes('/')) continue;
      resources.push({
        group: g.name,
        version: v,
        resource: r.name,
        singular: r.singularName || String(r.kind).toLowerCase(),
        kind: r.kind,
        namespaced: !!r.namespaced,
        verbs: r.verbs ?? [],
        shortNames: r.shortNames ?? [],
        categories: r.categories ?? [],
        subresources: subs.get(r.name) ?? [],
        preferred: v === g.preferred,
      });
    }
  }
  // preferred versions first within each group, keeping group order
  resources.sort((a, b) => {
    const ga = groups.findIndex((g) => g.name === a.group);
    const gb = groups.findIndex((g) => g.name === b.group);
    if (ga !== gb) return ga - gb;
    return Number(b.preferred) - Number(a.preferred);
  });
  return { resources, groups, fetchedAt: Date.now() };
}
