/**
 * OpenAPI v3 data for the sandbox API server.
 *
 * Component schemas come from `generated/schemas.json`, written at build time by
 * `node scripts/openapi/generate.mjs` from the kubernetes-models package. This module loads that file
 * on first use and builds from it:
 *   - the `/openapi/v3` index and the per-group-version documents (what `kubectl explain` and
 *     kubectl's `fieldValidation` detection read),
 *   - strict-decoding unknown-field detection,
 *   - the patch-schema view used by strategic merge patch and server-side apply.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GVK, PatchFieldInfo, PatchSchemaNode } from '../types.js';

/** One served resource (or the kind behind it) of a group version. */
export interface OpenAPIResource {
  group: string;
  version: string;
  kind: string;
  /** lower-case plural resource name, e.g. `pods` */
  plural: string;
  namespaced: boolean;
  /** served subresources, e.g. ['status', 'scale'] or ['log', 'exec', 'status'] */
  subresources: string[];
}

/** A (subset of an) OpenAPI v3 schema object as stored in schemas.json. */
export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  enum?: string[];
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  default?: unknown;
  'x-kubernetes-group-version-kind'?: GVK[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  [key: string]: unknown;
}

interface SchemaFile {
  source: string;
  schemas: Record<string, Schema>;
}

const REF_PREFIX = '#/components/schemas/';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
/** Kubernetes version the documents claim to describe. */
export const OPENAPI_INFO_VERSION = 'v1.33.1';
/** bump when the document layout produced here changes (feeds the fallback index hash) */
const DOC_LAYOUT = '1';

// ---------------------------------------------------------------------------------------------
// loading

let data: SchemaFile | undefined;
/** the same schemas without their descriptions (what validation, decoding and patching read) */
let structure: SchemaFile | undefined;
let byGVK: Map<string, string> | undefined;

/** Candidate locations of schemas.json: beside this module (source tree / tsc output) or beside a bundle. */
function candidates(): (string | URL)[] {
  const out: (string | URL)[] = [];
  const env = process.env.KUBE_TUTOR_OPENAPI_SCHEMAS;
  if (env) out.push(env);
  out.push(new URL('./generated/schemas.json', import.meta.url));
  out.push(new URL('./openapi/generated/schemas.json', import.meta.url));
  out.push(new URL('./openapi-schemas.json', import.meta.url));
  return out;
}

/**
 * Provide the schema data explicitly (e.g. a bundler that inlines the JSON). Normally not needed:
 * the file is read lazily from beside this module.
 */
export function setOpenAPISchemaData(file: { source: string; schemas: Record<string, unknown> }): void {
  data = file as SchemaFile;
  structure = undefined;
  byGVK = undefined;
  docCache.clear();
}

/**
 * The schemas as far as structure goes. The build writes them without descriptions beside the
 * bundle (openapi-structure.json, a third of the size): a sandbox boot reads that, and the full
 * file only when a client asks for the OpenAPI documents (kubectl explain). Elsewhere (the source
 * tree, tests) it is the full file.
 */
function load(): SchemaFile {
  if (structure) return structure;
  if (!data && !process.env.KUBE_TUTOR_OPENAPI_SCHEMAS) {
    try {
      structure = JSON.parse(readFileSync(new URL('./openapi-structure.json', import.meta.url), 'utf8')) as SchemaFile;
      return structure;
    } catch {
      /* not built: the full file serves */
    }
  }
  structure = loadFull();
  return structure;
}

/** the schemas with their descriptions (for the documents served at /openapi) */
function loadFull(): SchemaFile {
  if (data) return data;
  const errors: string[] = [];
  for (const c of candidates()) {
    try {
      data = JSON.parse(readFileSync(c, 'utf8')) as SchemaFile;
      return data;
    } catch (e) {
      errors.push(`${String(c)}: ${(e as Error).message}`);
    }
  }
  throw new Error(
    `OpenAPI schema data not found (run: node scripts/openapi/generate.mjs)\n  ${errors.join('\n  ')}`,
  );
}

/** All component schemas, keyed by kube-openapi name (io.k8s.api.core.v1.Pod). */
export function openapiSchemas(): Readonly<Record<string, Schema>> {
  return load().schemas;
}

const gvkKey = (g: string, v: string, k: string) => `${g}/${v}/${k}`;

/** Name of the component schema for a top-level kind, e.g. `io.k8s.api.apps.v1.Deployment`. */
export function schemaNameFor(gvk: GVK): string | undefined {
  if (!byGVK) {
    byGVK = new Map();
    for (const [name, s] of Object.entries(load().schemas)) {
      for (const x of s['x-kubernetes-group-version-kind'] ?? []) {
        byGVK.set(gvkKey(x.group, x.version, x.kind), name);
      }
    }
  }
  return byGVK.get(gvkKey(gvk.group, gvk.version, gvk.kind));
}

function refName(s: Schema | undefined): string | undefined {
  if (!s) return undefined;
  if (s.$ref) return s.$ref.slice(REF_PREFIX.length);
  if (s.allOf && s.allOf.length === 1 && s.allOf[0].$ref) return s.allOf[0].$ref.slice(REF_PREFIX.length);
  return undefined;
}

/** Follow $ref / single allOf to the component schema; returns the schema itself otherwise. */
function deref(s: Schema | undefined): Schema | undefined {
  const n = refName(s);
  return n ? load().schemas[n] : s;
}

function isFreeForm(s: Schema): boolean {
  return (
    s['x-kubernetes-preserve-unknown-fields'] === true ||
    (s.type === 'object' && !s.properties && s.additionalProperties === undefined) ||
    (s.type === undefined && !s.properties && !s.items && s.additionalProperties === undefined && !s.oneOf)
  );
}

// ---------------------------------------------------------------------------------------------
// documents

type GVParts = { group: string; version: string; key: string };

/** Accepts `v1`, `apps/v1`, `api/v1` or `apis/apps/v1`. */
function parseGV(gv: string): GVParts {
  let s = gv.replace(/^\/+/, '');
  if (s.startsWith('api/')) s = s.slice(4);
  else if (s.startsWith('apis/')) s = s.slice(5);
  const i = s.indexOf('/');
  const group = i < 0 ? '' : s.slice(0, i);
  const version = i < 0 ? s : s.slice(i + 1);
  return { group, version, key: group === '' ? `api/${version}` : `apis/${group}/${version}` };
}

interface CachedDoc {
  doc: object;
  body: Buffer;
  hash: string;
  etag: string;
}
const docCache = new Map<string, CachedDoc>();
const latestHash = new Map<string, string>();

function camel(s: string): string {
  return s
    .split(/[.\-]/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

type Param = { name: string; in: 'query' | 'path'; required?: boolean; description?: string; schema: object };

function paramDescription(name: string): string | undefined {
  return loadFull().schemas[`${META}.DeleteOptions`]?.properties?.[name]?.description;
}
function q(name: string, type: 'string' | 'boolean' | 'integer'): Param {
  const p: Param = { name, in: 'query', schema: { type, uniqueItems: true } };
  const d = paramDescription(name);
  if (d) p.description = d;
  return p;
}
function pathParam(name: string): Param {
  return { name, in: 'path', required: true, schema: { type: 'string', uniqueItems: true } };
}

const LIST_PARAMS = (): Param[] => [
  q('allowWatchBookmarks', 'boolean'),
  q('continue', 'string'),
  q('fieldSelector', 'string'),
  q('labelSelector', 'string'),
  q('limit', 'integer'),
  q('resourceVersion', 'string'),
  q('resourceVersionMatch', 'string'),
  q('sendInitialEvents', 'boolean'),
  q('timeoutSeconds', 'integer'),
  q('watch', 'boolean'),
];
const WRITE_PARAMS = (): Param[] => [q('dryRun', 'string'), q('fieldManager', 'string'), q('fieldValidation', 'string')];
const PATCH_PARAMS = (): Param[] => [...WRITE_PARAMS(), q('force', 'boolean')];
const DELETE_PARAMS = (): Param[] => [
  q('dryRun', 'string'),
  q('gracePeriodSeconds', 'integer'),
  q('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean'),
  q('orphanDependents', 'boolean'),
  q('propagationPolicy', 'string'),
];

const JSON_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

function content(schemaName: string | undefined, types: string[] = JSON_TYPES): object | undefined {
  if (!schemaName) return undefined;
  const c: Record<string, object> = {};
  for (const t of types) c[t] = { schema: { $ref: REF_PREFIX + schemaName } };
  return c;
}
function response(desc: string, schemaName: string | undefined, types?: string[]): object {
  const c = content(schemaName, types);
  return c ? { description: desc, content: c } : { description: desc };
}

interface OpInput {
  action: string;
  verb: string; // operationId verb: list, create, read, replace, patch, delete, deleteCollection, connectGet...
  suffix: string; // operationId suffix: NamespacedPod, PodForAllNamespaces, NamespacedPodStatus
  gvk: GVK;
  description: string;
  parameters?: Param[];
  requestBody?: object;
  responses: Record<string, object>;
}

function op(prefix: string, o: OpInput): object {
  const out: Record<string, unknown> = {
    description: o.description,
    operationId: `${o.verb}${prefix}${o.suffix}`,
  };
  if (o.parameters?.length) out.parameters = o.parameters;
  if (o.requestBody) out.requestBody = o.requestBody;
  out.responses = o.responses;
  out['x-kubernetes-action'] = o.action;
  out['x-kubernetes-group-version-kind'] = { group: o.gvk.group, version: o.gvk.version, kind: o.gvk.kind };
  return out;
}

function buildDocument(gvp: GVParts, resources: OpenAPIResource[]): object {
  const schemas = loadFull().schemas;
  const prefix = camel(gvp.group === '' ? 'core' : gvp.group.replace(/\.k8s\.io$/, '')) + camel(gvp.version);
  const base = `/${gvp.key}`;
  const paths: Record<string, Record<string, unknown>> = {};
  const roots = new Set<string>([
    `${META}.ObjectMeta`,
    `${META}.ListMeta`,
    `${META}.Status`,
    `${META}.DeleteOptions`,
    `${META}.Patch`,
    `${META}.WatchEvent`,
    `${META}.APIResourceList`,
  ]);
  const statusName = `${META}.Status`;
  const deleteBody = { content: content(`${META}.DeleteOptions`, ['application/json', 'application/yaml']) };
  const patchBody = { content: content(`${META}.Patch`, PATCH_TYPES), required: true };

  const rs = resources
    .filter((r) => r.group === gvp.group && r.version === gvp.version)
    .sort((a, b) => a.plural.localeCompare(b.plural));

  for (const r of rs) {
    const gvk: GVK = { group: r.group, version: r.version, kind: r.kind };
    const kindSchema = schemaNameFor(gvk);
    const listSchema = schemaNameFor({ ...gvk, kind: `${r.kind}List` });
    if (kindSchema) roots.add(kindSchema);
    if (listSchema) roots.add(listSchema);
    const ns = r.namespaced ? 'Namespaced' : '';
    const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
    const item = `${collection}/{name}`;
    const nsParams: Param[] = r.namespaced ? [pathParam('namespace')] : [];
    const pretty = q('pretty', 'string');
    const hasList = !!listSchema;

    // collection
    const coll: Record<string, unknown> = { parameters: [...nsParams, pretty] };
    if (hasList) {
      coll.get = op(prefix, {
        action: 'list',
        verb: 'list',
        suffix: `${ns}${r.kind}`,
        gvk,
        description: `list or watch objects of kind ${r.kind}`,
        parameters: LIST_PARAMS(),
        responses: {
          '200': response('OK', listSchema, [...JSON_TYPES, 'application/json;stream=watch']),
          '401': { description: 'Unauthorized' },
        },
      });
    }
    coll.post = op(prefix, {
      action: 'post',
      verb: 'create',
      suffix: `${ns}${r.kind}`,
      gvk,
      description: `create a ${r.kind}`,
      parameters: WRITE_PARAMS(),
      requestBody: kindSchema ? { content: content(kindSchema), required: true } : undefined,
      responses: {
        '200': response('OK', kindSchema),
        '201': response('Created', kindSchema),
        '202': response('Accepted', kindSchema),
        '401': { description: 'Unauthorized' },
      },
    });
    if (hasList) {
      coll.delete = op(prefix, {
        action: 'deletecollection',
        verb: 'deleteCollection',
        suffix: `${ns}${r.kind}`,
        gvk,
        description: `delete collection of ${r.kind}`,
        parameters: [...DELETE_PARAMS(), ...LIST_PARAMS().filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks')],
        requestBody: deleteBody,
        responses: { '200': response('OK', statusName), '401': { description: 'Unauthorized' } },
      });
    }
    paths[collection] = coll;

    // all-namespaces list
    if (r.namespaced && hasList) {
      paths[`${base}/${r.plural}`] = {
        get: op(prefix, {
          action: 'list',
          verb: 'list',
          suffix: `${r.kind}ForAllNamespaces`,
          gvk,
          description: `list or watch objects of kind ${r.kind}`,
          responses: {
            '200': response('OK', listSchema, [...JSON_TYPES, 'application/json;stream=watch']),
            '401': { description: 'Unauthorized' },
          },
        }),
        parameters: [...LIST_PARAMS(), pretty],
      };
    }

    // item
    const itemOps = (sub: string, subSuffix: string, opGVK: GVK, schemaName: string | undefined, what: string) => {
      const suffix = `${ns}${r.kind}${subSuffix}`;
      const o: Record<string, unknown> = { parameters: [pathParam('name'), ...nsParams, pretty] };
      o.get = op(prefix, {
        action: 'get',
        verb: 'read',
        suffix,
        gvk: opGVK,
        description: `read ${what} of the specified ${r.kind}`,
        responses: { '200': response('OK', schemaName), '401': { description: 'Unauthorized' } },
      });
      o.put = op(prefix, {
        action: 'put',
        verb: 'replace',
        suffix,
        gvk: opGVK,
        description: `replace ${what} of the specified ${r.kind}`,
        parameters: WRITE_PARAMS(),
        requestBody: schemaName ? { content: content(schemaName), required: true } : undefined,
        responses: {
          '200': response('OK', schemaName),
          '201': response('Created', schemaName),
          '401': { description: 'Unauthorized' },
        },
      });
      o.patch = op(prefix, {
        action: 'patch',
        verb: 'patch',
        suffix,
        gvk: opGVK,
        description: `partially update ${what} of the specified ${r.kind}`,
        parameters: PATCH_PARAMS(),
        requestBody: patchBody,
        responses: {
          '200': response('OK', schemaName),
          '201': response('Created', schemaName),
          '401': { description: 'Unauthorized' },
        },
      });
      if (sub === '') {
        o.delete = op(prefix, {
          action: 'delete',
          verb: 'delete',
          suffix,
          gvk: opGVK,
          description: `delete a ${r.kind}`,
          parameters: DELETE_PARAMS(),
          requestBody: deleteBody,
          responses: {
            '200': response('OK', statusName),
            '202': response('Accepted', statusName),
            '401': { description: 'Unauthorized' },
          },
        });
      }
      paths[sub === '' ? item : `${item}/${sub}`] = o;
    };
    itemOps('', '', gvk, kindSchema, 'the');

    for (const sub of [...r.subresources].sort()) {
      const subSuffix = camel(sub);
      if (sub === 'scale') {
        const scaleGVK: GVK = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
        const scaleSchema = schemaNameFor(scaleGVK);
        if (scaleSchema) roots.add(scaleSchema);
        itemOps(sub, subSuffix, scaleGVK, scaleSchema, 'scale');
      } else if (sub === 'status' || sub === 'ephemeralcontainers' || sub === 'resize') {
        itemOps(sub, subSuffix, gvk, kindSchema, sub);
      } else if (sub === 'log') {
        paths[`${item}/log`] = {
          get: op(prefix, {
            action: 'get',
            verb: 'read',
            suffix: `${ns}${r.kind}Log`,
            gvk,
            description: `read log of the specified ${r.kind}`,
            responses: { '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } } },
          }),
          parameters: [pathParam('name'), ...nsParams, pretty],
        };
      } else if (sub === 'exec' || sub === 'attach' || sub === 'portforward' || sub === 'proxy') {
        const optsKind = `${r.kind}${sub === 'portforward' ? 'PortForward' : subSuffix}Options`;
        const connGVK: GVK = { group: r.group, version: r.version, kind: optsKind };
        const connect = (method: 'Get' | 'Post') =>
          op(prefix, {
            action: 'connect',
            verb: `connect${method}`,
            suffix: `${ns}${r.kind}${subSuffix}`,
            gvk: connGVK,
            description: `connect ${method.toUpperCase()} requests to ${sub} of ${r.kind}`,
            responses: { '200': { description: 'OK', content: { '*/*': { schema: { type: 'string' } } } } },
          });
        paths[`${item}/${sub}`] = {
          get: connect('Get'),
          post: connect('Post'),
          parameters: [pathParam('name'), ...nsParams],
        };
      }
      // other subresources (binding, eviction, token, …) are not described
    }
  }

  // transitive closure of every referenced schema
  const picked: Record<string, Schema> = {};
  const stack = [...roots].filter((n) => schemas[n]);
  while (stack.length) {
    const n = stack.pop()!;
    if (picked[n]) continue;
    const s = schemas[n];
    if (!s) continue;
    picked[n] = s;
    collectRefs(s, (ref) => {
      if (!picked[ref]) stack.push(ref);
    });
  }
  const sorted: Record<string, Schema> = {};
  for (const n of Object.keys(picked).sort()) sorted[n] = picked[n];

  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: OPENAPI_INFO_VERSION },
    paths,
    components: { schemas: sorted },
  };
}

function collectRefs(s: unknown, add: (name: string) => void): void {
  if (!s || typeof s !== 'object') return;
  if (Array.isArray(s)) {
    for (const x of s) collectRefs(x, add);
    return;
  }
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string') {
      if (v.startsWith(REF_PREFIX)) add(v.slice(REF_PREFIX.length));
    } else if (v && typeof v === 'object') collectRefs(v, add);
  }
}

function cacheKey(gvp: GVParts, resources: OpenAPIResource[]): string {
  const rs = resources
    .filter((r) => r.group === gvp.group && r.version === gvp.version)
    .map((r) => `${r.kind}|${r.plural}|${r.namespaced ? 1 : 0}|${[...r.subresources].sort().join(',')}`)
    .sort();
  return `${gvp.key}\n${rs.join('\n')}`;
}

function cached(gv: string, resources: OpenAPIResource[]): CachedDoc {
  const gvp = parseGV(gv);
  const key = cacheKey(gvp, resources);
  let c = docCache.get(key);
  if (!c) {
    const doc = buildDocument(gvp, resources);
    const body = Buffer.from(JSON.stringify(doc));
    const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
    c = { doc, body, hash, etag: `"${hash}"` };
    docCache.set(key, c);
  }
  latestHash.set(gvp.key, c.hash);
  return c;
}

/**
 * The OpenAPI v3 document of one group version (`v1`, `apps/v1`, `api/v1` or `apis/apps/v1`)
 * describing `resources` (those of other group versions are ignored). Cached per (gv, resources);
 * treat the result as read-only.
 */
export function openapiV3Document(gv: string, resources: OpenAPIResource[]): object {
  return cached(gv, resources).doc;
}

/** Same as openapiV3Document, serialized once: the JSON body, its hash and a quoted ETag. */
export function openapiV3DocumentJSON(
  gv: string,
  resources: OpenAPIResource[],
): { body: Buffer; etag: string; hash: string } {
  const c = cached(gv, resources);
  return { body: c.body, etag: c.etag, hash: c.hash };
}

/**
 * The `/openapi/v3` index. `groupVersions` like `v1`, `apps/v1`. The hash in each URL is the
 * SHA-512 (upper-case hex) of the document: pass `resourcesFor` so it is computed from the
 * actual document; without it the hash of the last document built for that gv is used, or a
 * stable digest of the schema data and the group version. The server should serve the current
 * document whatever `hash` a client sends.
 */
export function openapiV3Index(
  groupVersions: string[],
  resourcesFor?: (gv: string) => OpenAPIResource[],
): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions) {
    const gvp = parseGV(gv);
    let hash: string | undefined;
    if (resourcesFor) hash = cached(gv, resourcesFor(gv)).hash;
    else hash = latestHash.get(gvp.key);
    if (!hash) {
      hash = createHash('sha512')
        .update(`${load().source}\n${DOC_LAYOUT}\n${OPENAPI_INFO_VERSION}\n${gvp.key}`)
        .digest('hex')
        .toUpperCase();
    }
    paths[gvp.key] = { serverRelativeURL: `/openapi/v3/${gvp.key}?hash=${hash}` };
  }
  return { paths };
}

// ---------------------------------------------------------------------------------------------
// strict decoding: unknown fields

function joinPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

function walkUnknown(schema: Schema | undefined, value: unknown, path: string, out: string[], depth: number): void {
  if (depth > 64 || value === null || value === undefined || typeof value !== 'object') return;
  const s = deref(schema);
  if (!s || isFreeForm(s)) return;
  if (Array.isArray(value)) {
    if (s.type === 'array' && s.items) {
      value.forEach((v, i) => walkUnknown(s.items, v, `${path}[${i}]`, out, depth + 1));
    }
    return;
  }
  if (s.properties) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = s.properties[k];
      if (!p) out.push(joinPath(path, k));
      else walkUnknown(p, v, joinPath(path, k), out, depth + 1);
    }
  } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      walkUnknown(s.additionalProperties, v, joinPath(path, k), out, depth + 1);
    }
  }
}

/**
 * Paths of the fields in `obj` that the kind's schema does not define, formatted like
 * kube-apiserver's strict-decoding errors (`spec.replica`, `spec.template.spec.containers[0].imagee`,
 * `metadata.lables`). Map keys are free. Unknown GVK → [].
 */
export function unknownFields(gvk: GVK, obj: unknown): string[] {
  const name = schemaNameFor(gvk);
  if (!name) return [];
  const out: string[] = [];
  walkUnknown({ $ref: REF_PREFIX + name }, obj, '', out, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// patch schema

/** Node for a free-form object (RawExtension, FieldsV1, preserve-unknown-fields): nothing is known. */
const OPEN_NODE: PatchSchemaNode = { field: () => undefined };

const nodeCache = new Map<string, PatchSchemaNode>();

function nodeForStruct(name: string | undefined, s: Schema): PatchSchemaNode {
  if (isFreeForm(s) || !s.properties) return OPEN_NODE;
  if (name) {
    const c = nodeCache.get(name);
    if (c) return c;
  }
  const props = s.properties;
  const infos = new Map<string, PatchFieldInfo | undefined>();
  const node: PatchSchemaNode = {
    field(fname: string) {
      if (infos.has(fname)) return infos.get(fname);
      const p = Object.prototype.hasOwnProperty.call(props, fname) ? props[fname] : undefined;
      const info = p ? fieldInfo(p) : undefined;
      infos.set(fname, info);
      return info;
    },
  };
  if (name) nodeCache.set(name, node);
  return node;
}

/** PatchSchemaNode for a value schema when it is (or refers to) a struct / free-form object. */
function valueNode(s: Schema | undefined): PatchSchemaNode | undefined {
  const name = refName(s);
  const t = deref(s);
  if (!t) return undefined;
  if (t.properties) return nodeForStruct(name, t);
  if (isFreeForm(t) && t.type === 'object') return OPEN_NODE;
  return undefined;
}

function fieldInfo(p: Schema): PatchFieldInfo {
  const t = deref(p) ?? p;
  const info: PatchFieldInfo = { shape: 'scalar' };
  const mk = p['x-kubernetes-patch-merge-key'];
  const ps = p['x-kubernetes-patch-strategy'];
  const lt = p['x-kubernetes-list-type'];
  const lk = p['x-kubernetes-list-map-keys'];
  const mt = p['x-kubernetes-map-type'] ?? t['x-kubernetes-map-type'];
  if (t.type === 'array') {
    info.shape = 'list';
    const n = valueNode(t.items);
    if (n) info.node = n;
  } else if (t.additionalProperties && typeof t.additionalProperties === 'object') {
    info.shape = 'map';
    const n = valueNode(t.additionalProperties);
    if (n) info.node = n;
  } else if (t.properties || (t.type === 'object' && isFreeForm(t))) {
    info.shape = 'object';
    info.node = valueNode(p) ?? OPEN_NODE;
  }
  if (mk) info.mergeKey = mk;
  if (ps) info.patchStrategy = ps;
  if (lt) info.listType = lt;
  if (lk) info.listMapKeys = [...lk];
  if (mt) info.mapType = mt;
  return info;
}

/** Patch/apply schema view of a top-level kind, or undefined for an unknown GVK. */
export function patchSchemaFor(gvk: GVK): PatchSchemaNode | undefined {
  const name = schemaNameFor(gvk);
  if (!name) return undefined;
  return nodeForStruct(name, load().schemas[name]);
}

export { decodeTypeError } from './decode-types.js';
