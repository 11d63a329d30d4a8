/**
 * Patch metadata from the server's OpenAPI documents, the way kubectl apply/edit find out how to
 * merge a field: `x-kubernetes-patch-strategy` (merge, retainKeys, replace) and
 * `x-kubernetes-patch-merge-key` on a schema's properties. kubectl 1.33 reads the OpenAPI v3
 * document of the object's group-version (`/openapi/v3` → `/openapi/v3/apis/apps/v1?hash=…`); when
 * the server has no v3 documents it falls back to `/openapi/v2`. A kind whose PATCH operation does
 * not accept strategic merge patches (custom resources, aggregated APIs) is patched with JSON
 * merge patches instead.
 *
 * Documents are cached per server for the life of the process.
 */
import type { RestClient } from '../client/rest.js';

export interface PatchMeta {
  /** e.g. ['merge'], ['merge', 'retainKeys'], ['retainKeys'], ['replace'] */
  strategies: string[];
  mergeKey?: string;
}

/** a position in a schema: what the fields below it are and how they merge */
export interface SchemaNode {
  /** the schema of a map field and its patch metadata */
  field(key: string): { node: SchemaNode | undefined; meta: PatchMeta };
  /** the schema of a list field's items and the list's patch metadata */
  list(key: string): { node: SchemaNode | undefined; meta: PatchMeta };
}

export interface KindSchema {
  /** strategic merge patch is possible (built-in kind); false → JSON merge patch */
  strategic: boolean;
  /** root schema of the kind (undefined when the server describes none) */
  root: SchemaNode | undefined;
}

const EMPTY: PatchMeta = { strategies: [] };

type Json = any;

function metaOf(prop: Json): PatchMeta {
  const s = prop?.['x-kubernetes-patch-strategy'];
  const strategies = typeof s === 'string' && s ? s.split(',') : [];
  const mergeKey = prop?.['x-kubernetes-patch-merge-key'];
  return { strategies, mergeKey: typeof mergeKey === 'string' ? mergeKey : undefined };
}

/** a schema in one OpenAPI document (v2 definitions or v3 components.schemas) */
class DocSchema implements SchemaNode {
  constructor(
    private readonly schemas: Record<string, Json>,
    private readonly prefix: string,
    private readonly schema: Json,
  ) {}

  /** follow $ref and single-element allOf wrappers */
  private resolve(s: Json, depth = 0): Json {
    if (!s || typeof s !== 'object' || depth > 20) return s;
    if (typeof s.$ref === 'string') {
      const name = s.$ref.startsWith(this.prefix) ? s.$ref.slice(this.prefix.length) : s.$ref;
      return this.resolve(this.schemas[name], depth + 1);
    }
    if (Array.isArray(s.allOf) && s.allOf.length === 1) return this.resolve(s.allOf[0], depth + 1);
    return s;
  }

  private child(key: string): Json | undefined {
    const s = this.resolve(this.schema);
    if (!s) return undefined;
    if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, key)) return s.properties[key];
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return s.additionalProperties;
    return undefined;
  }

  field(key: string): { node: SchemaNode | undefined; meta: PatchMeta } {
    const prop = this.child(key);
    if (!prop) return { node: undefined, meta: EMPTY };
    const r = this.resolve(prop);
    return { node: r ? new DocSchema(this.schemas, this.prefix, r) : undefined, meta: metaOf(prop) };
  }

  list(key: string): { node: SchemaNode | undefined; meta: PatchMeta } {
    const prop = this.child(key);
    if (!prop) return { node: undefined, meta: EMPTY };
    const r = this.resolve(prop);
    const items = r?.items ? this.resolve(r.items) : undefined;
    return { node: items ? new DocSchema(this.schemas, this.prefix, items) : undefined, meta: metaOf(prop) };
  }
}

/** a schema that knows nothing: every field merges as a plain map, lists are replaced */
export const NO_SCHEMA: SchemaNode = {
  field: () => ({ node: undefined, meta: EMPTY }),
  list: () => ({ node: undefined, meta: EMPTY }),
};

/** wrap a JSON schema (components.schemas style) for tests */
export function schemaFromComponents(schemas: Record<string, Json>, rootName: string, prefix = '#/components/schemas/'): SchemaNode {
  return new DocSchema(schemas, prefix, schemas[rootName]);
}

interface GvDoc {
  schemas: Record<string, Json>;
  paths: Record<string, Json>;
}

const v3Index = new Map<string, Promise<Record<string, string> | undefined>>();
const v3Docs = new Map<string, Promise<GvDoc | undefined>>();
const v2Docs = new Map<string, Promise<Json | undefined>>();

async function getJson(rest: RestClient, path: string): Promise<Json | undefined> {
  try {
    const res = await rest.raw(path, { accept: 'application/json' });
    if (res.status !== 200) return undefined;
    return res.json();
  } catch {
    return undefined;
  }
}

function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = load();
    map.set(key, p);
    p.catch(() => map.delete(key));
  }
  return p;
}

function gvkOf(x: Json): Array<{ group?: string; version?: string; kind?: string }> {
  const v = x?.['x-kubernetes-group-version-kind'];
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return [v];
  return [];
}

const matches = (g: { group?: string; version?: string; kind?: string }, group: string, version: string, kind: string) =>
  (g.group ?? '') === group && g.version === version && g.kind === kind;

/**
 * How to patch objects of `apiVersion`/`kind` on this server: strategic (with the kind's schema)
 * or JSON merge.
 */
export async function kindSchema(rest: RestClient, apiVersion: string, kind: string): Promise<KindSchema> {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/', 2) as [string, string]) : ['', apiVersion];
  const server = rest.server;
  const index = await cached(v3Index, server, async () => {
    const doc = await getJson(rest, '/openapi/v3');
    if (!doc?.paths) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries<Json>(doc.paths)) out[k] = v?.serverRelativeURL ?? `/openapi/v3/${k}`;
    return out;
  });
  const gvPath = group ? `apis/${group}/${version}` : `api/${version}`;
  if (index) {
    const url = index[gvPath];
    if (!url) return { strategic: false, root: undefined };
    const doc = await cached(v3Docs, server + ' ' + url, async () => {
      const d = await getJson(rest, url);
      if (!d) return undefined;
      return { schemas: d.components?.schemas ?? {}, paths: d.paths ?? {} };
    });
    if (doc) {
      let strategic = false;
      for (const p of Object.values<Json>(doc.paths)) {
        const patch = p?.patch;
        if (!patch) continue;
        if (!gvkOf(patch).some((g) => matches(g, group, version, kind))) continue;
        strategic = !!patch.requestBody?.content?.['application/strategic-merge-patch+json'];
        break;
      }
      if (!strategic) return { strategic: false, root: undefined };
      for (const [name, s] of Object.entries<Json>(doc.schemas)) {
        if (gvkOf(s).some((g) => matches(g, group, version, kind))) {
          return { strategic: true, root: schemaFromComponents(doc.schemas, name) };
        }
      }
      return { strategic: true, root: undefined };
    }
  }
  // OpenAPI v2 fallback
  const v2 = await cached(v2Docs, server, () => getJson(rest, '/openapi/v2'));
  if (!v2) return { strategic: false, root: undefined };
  let strategic = false;
  for (const p of Object.values<Json>(v2.paths ?? {})) {
    const patch = p?.patch;
    if (!patch || !gvkOf(patch).some((g) => matches(g, group, version, kind))) continue;
    strategic = (patch.consumes ?? []).includes('application/strategic-merge-patch+json');
    break;
  }
  if (!strategic) return { strategic: false, root: undefined };
  const defs: Record<string, Json> = v2.definitions ?? {};
  for (const [name, s] of Object.entries<Json>(defs)) {
    if (gvkOf(s).some((g) => matches(g, group, version, kind))) {
      return { strategic: true, root: schemaFromComponents(defs, name, '#/definitions/') };
    }
  }
  return { strategic: true, root: undefined };
}
