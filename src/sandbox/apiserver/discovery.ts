/**
 * Discovery documents (legacy APIVersions / APIGroupList / APIResourceList and aggregated
 * apidiscovery.k8s.io v2 / v2beta1), all derived from the registry.
 */
import { createHash } from 'node:crypto';
import type { Registry } from '../registry/index.js';
import type { ResourceType } from './resource.js';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** a stable short hash per resource, like kube-apiserver's storageVersionHash */
function storageVersionHash(rt: ResourceType): string {
  return createHash('sha256').update(`${rt.group}/${rt.version}/${rt.kind}`).digest('base64').slice(0, 11);
}

interface SubresourceInfo {
  name: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

/** the subresources a resource serves, for discovery */
export function subresourcesOf(rt: ResourceType): SubresourceInfo[] {
  const out: SubresourceInfo[] = [];
  if (rt.kind === 'Namespace') out.push({ name: 'finalize', kind: 'Namespace', verbs: ['update'] });
  if (rt.kind === 'Pod') out.push({ name: 'binding', kind: 'Binding', verbs: ['create'] });
  if (rt.kind === 'Pod') out.push({ name: 'eviction', kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' });
  if (rt.scale) out.push({ name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' });
  if (rt.statusSubresource) out.push({ name: 'status', kind: rt.kind, verbs: ['get', 'patch', 'update'] });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(registry: Registry): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().filter((g) => g.group !== '').map((g) => apiGroup(g.group, g.versions)),
  };
}

export function apiGroup(group: string, versions: string[]): object {
  const gvs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: gvs, preferredVersion: gvs[0] };
}

export function apiResourceList(registry: Registry, group: string, version: string): object | undefined {
  const rts = registry.inGroupVersion(group, version);
  if (!rts.length) return undefined;
  const resources: object[] = [];
  for (const rt of rts) {
    resources.push({
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: rt.verbs,
      ...(rt.shortNames?.length ? { shortNames: rt.shortNames } : {}),
      ...(rt.categories?.length ? { categories: rt.categories } : {}),
      storageVersionHash: storageVersionHash(rt),
    });
    for (const s of subresourcesOf(rt)) {
      resources.push({
        name: `${rt.plural}/${s.name}`,
        singularName: '',
        namespaced: rt.namespaced,
        ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/** aggregated discovery for /api (core) or /apis (named groups) */
export function aggregatedDiscovery(registry: Registry, core: boolean, apiVersion: 'v2' | 'v2beta1'): object {
  const groups = registry.groups().filter((g) => (g.group === '') === core);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: g.group ? { name: g.group, creationTimestamp: null } : { creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        freshness: 'Current',
        resources: registry.inGroupVersion(g.group, v).map((rt) => ({
          resource: rt.plural,
          responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
          scope: rt.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: rt.singular,
          verbs: rt.verbs,
          ...(rt.shortNames?.length ? { shortNames: rt.shortNames } : {}),
          ...(rt.categories?.length ? { categories: rt.categories } : {}),
          ...(subresourcesOf(rt).length
            ? {
                subresources: subresourcesOf(rt).map((s) => ({
                  subresource: s.name,
                  responseKind: { group: s.group ?? rt.group, version: s.version ?? rt.version, kind: s.kind },
                  verbs: s.verbs,
                })),
              }
            : {}),
        })),
      })),
    })),
  };
}

/** which aggregated format (if any) the Accept header asks for, in the client's order */
export function negotiateAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = part.split(';').map((s) => s.trim());
    if (!params.includes('g=apidiscovery.k8s.io') || !params.includes('as=APIGroupDiscoveryList')) continue;
    if (params.includes('v=v2')) return 'v2';
    if (params.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}
