/**
 * REST handlers for every registered resource: list/watch/get/create/update/patch/delete/
 * deletecollection plus the status and scale subresources. The HTTP layer (server.ts) routes here;
 * this module turns requests into store calls and store results into wire objects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rfc3339 } from '../clock.js';
import { errors, StatusError } from './errors.js';
import { negotiateResponse, bodyMediaType, type ResponseFormat } from './negotiate.js';
import { decodeTypeError, unknownFields, patchSchemaFor } from './openapi/index.js';
import { applyPatch, serverSideApply } from './patch/index.js';
import { decodeObject, parseJSON, parseYAML, readBody } from './request.js';
import { decodeError } from '../validation/index.js';
import type { ResourceType } from './resource.js';
import { apiVersionOf } from './resource.js';
import { checkFieldSelector, matchFields, parseFieldSelector } from './selectors/fields.js';
import { parseLabelSelector } from './selectors/labels.js';
import type { DeleteOptions, Store, StoreEvent } from './store.js';
import type { KObject } from './types.js';
import { encodeList, encodeObject, sendJSON, sendStatus, tableFor, toJSONText, type Encoder } from './encode.js';

export interface ResourceRequest {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
}

export interface RestContext {
  store: Store;
  /** wall-clock timers for HTTP concerns (watch timeouts, bookmarks) */
  now(): number;
}

type Validation = 'Strict' | 'Warn' | 'Ignore';

function fieldValidation(q: URLSearchParams): Validation {
  const v = q.get('fieldValidation');
  if (!v) return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

function dryRun(q: URLSearchParams, body?: { dryRun?: string[] }): boolean {
  const values = [...q.getAll('dryRun'), ...(body?.dryRun ?? [])];
  for (const v of values) if (v !== 'All') throw errors.badRequest(`Invalid dry run value: ${v}`);
  return values.length > 0;
}

/** the manager a write is recorded under: ?fieldManager= or the user agent's first word */
function fieldManager(req: IncomingMessage, q: URLSearchParams): string {
  const fm = q.get('fieldManager');
  if (fm) {
    if (fm.length > 128) throw errors.badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return fm;
  }
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}

/**
 * What kube-apiserver's decoder rejects or warns about: values of the wrong type or malformed
 * quantities (400), and fields the schema does not know (strict decoding).
 */
function checkUnknownFields(rt: ResourceType, obj: KObject, mode: Validation, warnings: string[]): void {
  const bad = decodeTypeError(rt, obj) ?? decodeError(rt, obj);
  if (bad) throw errors.badRequest(bad);
  if (mode === 'Ignore') return;
  const unknown = unknownFields(rt, obj);
  if (!unknown.length) return;
  const list = unknown.map((f) => `unknown field "${f}"`);
  if (mode === 'Strict') {
    throw errors.badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${list.join(', ')}`);
  }
  warnings.push(...list);
}

/** kind/apiVersion in a body must match the endpoint (empty means "the endpoint's") */
function checkTypeMeta(rt: ResourceType, obj: KObject, expectKind = rt.kind, expectVersion = apiVersionOf(rt)): void {
  if (obj.apiVersion && obj.apiVersion !== expectVersion) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectVersion})`);
  }
  if (obj.kind && obj.kind !== expectKind) {
    throw errors.badRequest(`${obj.kind} in version "${obj.apiVersion ?? rt.version}" cannot be handled as a ${expectKind}: no kind "${obj.kind}" is registered for version "${expectVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  }
}

function labelFilter(rt: ResourceType, q: URLSearchParams): ((o: KObject) => boolean) | undefined {
  const raw = q.get('labelSelector');
  const fraw = q.get('fieldSelector');
  const ls = raw ? parseLabelSelector(raw) : undefined;
  const fs = fraw ? parseFieldSelector(fraw) : undefined;
  if (fs) checkFieldSelector(fs, rt.kind);
  if (!ls && !fs) return undefined;
  return (o: KObject) => (!ls || ls.matches(o.metadata.labels)) && (!fs || matchFields(fs, o.kind ?? '', o));
}

/** Scale (autoscaling/v1) view of a scalable object */
export function toScale(rt: ResourceType, obj: KObject): KObject {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: rt.scale!.replicas(obj) },
    status: { replicas: rt.scale!.statusReplicas(obj), selector: rt.scale!.selector(obj) },
  };
}

export async function handleResource(req: IncomingMessage, res: ServerResponse, r: ResourceRequest, ctx: RestContext, warnings: string[]): Promise<void> {
  const { rt, namespace, name, subresource, query } = r;
  const method = req.method ?? 'GET';
  const format = negotiateResponse(req.headers.accept);
  if (format.type === 'unacceptable') throw errors.notAcceptable(format.message);
  const enc: Encoder = { format, now: new Date(ctx.store.clock.now()), includeObject: includeObjectOf(query) };
  if (rt.deprecationWarning) warnings.push(rt.deprecationWarning);
  const store = ctx.store;

  if (!name) {
    if (subresource) throw errors.pathNotFound();
    switch (method) {
      case 'GET': {
        const w = query.get('watch');
        if (w === 'true' || w === '1') return watchCollection(req, res, r, ctx, enc, warnings);
        if (!rt.verbs.includes('list')) throw errors.methodNotSupported(rt.group, rt.plural, 'list');
        const limit = Number(query.get('limit') ?? 0);
        const list = store.list(rt, namespace, { filter: labelFilter(rt, query), limit: limit > 0 ? limit : undefined, continue: query.get('continue') || undefined });
        return sendJSON(res, 200, encodeList(rt, list, enc), warnings);
      }
      case 'POST': {
        if (!rt.verbs.includes('create')) throw errors.methodNotSupported(rt.group, rt.plural, 'create');
        if (rt.namespaced && !namespace) throw errors.methodNotAllowed();
        const body = await readBody(req);
        const obj = await decodeObject(req.headers['content-type'], body);
        checkTypeMeta(rt, obj);
        checkUnknownFields(rt, obj, fieldValidation(query), warnings);
        const created = await store.create(rt, namespace, obj, { dryRun: dryRun(query), fieldManager: fieldManager(req, query) });
        warnings.push(...(rt.strategy.warnings?.(created) ?? []));
        return sendJSON(res, 201, encodeObject(rt, created, enc), warnings);
      }
      case 'DELETE': {
        if (!rt.verbs.includes('deletecollection')) throw errors.methodNotSupported(rt.group, rt.plural, 'deletecollection');
        const opts = await deleteOptions(req, query);
        const deleted = await store.deleteCollection(rt, namespace, labelFilter(rt, query), opts);
        return sendJSON(res, 200, encodeList(rt, { items: deleted, resourceVersion: String(store.resourceVersion) }, { ...enc, format: { type: 'json' } }), warnings);
      }
      default:
        throw errors.methodNotAllowed();
    }
  }

  if (subresource === 'binding' && rt.kind === 'Pod') {
    if (method !== 'POST') throw errors.methodNotAllowed();
    const binding = await decodeObject(req.headers['content-type'], await readBody(req));
    const target = binding.target as { kind?: string; name?: string } | undefined;
    if (!target?.name) {
      throw errors.invalid('', 'Binding', name, [{ type: 'FieldValueRequired', field: 'target.name' }]);
    }
    if (target.kind && target.kind !== 'Node') {
      throw errors.invalid('', 'Binding', name, [{ type: 'FieldValueNotSupported', field: 'target.kind', badValue: target.kind, detail: 'supported values: "Node", ""' }]);
    }
    await store.bind(rt, namespace!, name, target.name, { dryRun: dryRun(query), fieldManager: fieldManager(req, query) });
    return sendJSON(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, warnings);
  }
  if (subresource === 'eviction' && rt.kind === 'Pod') {
    if (method !== 'POST') throw errors.methodNotAllowed();
    const eviction = await decodeObject(req.headers['content-type'], await readBody(req));
    if (eviction.metadata?.name && eviction.metadata.name !== name) throw errors.badRequest('name in URL does not match name in Eviction object');
    store.get(rt, namespace, name);
    // the sandbox has no PodDisruptionBudgets, so no eviction is refused: it is the pod's deletion,
    // with the eviction's delete options (drain's --grace-period, dry run)
    const given = eviction.deleteOptions && typeof eviction.deleteOptions === 'object' ? (eviction.deleteOptions as Record<string, unknown>) : {};
    await store.delete(rt, namespace, name, deleteOptionsOf(query, given));
    return sendJSON(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, warnings);
  }
  if (subresource === 'scale') {
    if (!rt.scale) throw errors.pathNotFound();
    return handleScale(req, res, r, ctx, warnings);
  }
  if (subresource && subresource !== 'status' && !(subresource === 'finalize' && rt.kind === 'Namespace')) {
    throw errors.pathNotFound();
  }
  if (subresource === 'status' && !rt.statusSubresource) throw errors.pathNotFound();
  const sub = subresource === 'status' ? 'status' : undefined;

  switch (method) {
    case 'GET': {
      const obj = store.get(rt, namespace, name);
      return sendJSON(res, 200, encodeObject(rt, obj, enc), warnings);
    }
    case 'PUT': {
      const body = await readBody(req);
      const obj = await decodeObject(req.headers['content-type'], body);
      checkTypeMeta(rt, obj);
      checkUnknownFields(rt, obj, fieldValidation(query), warnings);
      let updated: KObject;
      if (subresource === 'finalize') {
        updated = await store.update(rt, namespace, name, obj, { dryRun: dryRun(query), fieldManager: fieldManager(req, query), subresource: 'finalize' });
      } else {
        updated = await store.update(rt, namespace, name, obj, { dryRun: dryRun(query), fieldManager: fieldManager(req, query), subresource: sub });
      }
      return sendJSON(res, 200, encodeObject(rt, updated, enc), warnings);
    }
    case 'PATCH': {
      const body = await readBody(req);
      const ct = bodyMediaType(req.headers['content-type']);
      const mode = fieldValidation(query);
      const manager = fieldManager(req, query);
      const schema = patchSchemaFor(rt);
      if (ct === 'application/apply-patch+yaml' || ct === 'application/apply-patch+cbor') {
        if (!query.get('fieldManager')) throw errors.badRequest('PATCH, application/apply-patch+yaml, fieldManager: Required value: is required for apply patch');
        const applied = (ct === 'application/apply-patch+yaml' ? parseYAML(body) : parseJSON(body)) as KObject;
        if (!applied || typeof applied !== 'object') throw errors.badRequest('error decoding YAML: object expected');
        applied.metadata ??= {};
        checkTypeMeta(rt, applied);
        if (!applied.apiVersion || !applied.kind) throw errors.badRequest(`Object 'Kind' is missing in '${body.toString('utf8').slice(0, 200)}'`);
        if (applied.metadata.name && applied.metadata.name !== name) {
          throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
        }
        checkUnknownFields(rt, applied, mode, warnings);
        const force = query.get('force') === 'true';
        const live = store.tryGet(rt, namespace, name);
        const opts = { manager, force, apiVersion: apiVersionOf(rt), now: rfc3339(store.clock.now()), schema, subresource: sub };
        if (!live) {
          if (sub) throw errors.notFound(rt.group, rt.plural, name);
          const merged = serverSideApply(undefined, { ...applied, metadata: { ...applied.metadata, name } }, opts);
          const created = await store.create(rt, namespace, merged, { dryRun: dryRun(query) });
          return sendJSON(res, 201, encodeObject(rt, created, enc), warnings);
        }
        const updated = await store.guaranteedUpdate(rt, namespace, name, (cur) => serverSideApply(cur, applied, opts), { dryRun: dryRun(query), subresource: sub });
        return sendJSON(res, 200, encodeObject(rt, updated, enc), warnings);
      }
      if (!['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].includes(ct)) {
        throw new StatusError({
          kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 415, reason: 'UnsupportedMediaType',
          message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        });
      }
      const updated = await store.guaranteedUpdate(rt, namespace, name, (cur) => {
        const patched = applyPatch(ct, cur, body, schema);
        checkUnknownFields(rt, patched, mode, warnings);
        return patched;
      }, { dryRun: dryRun(query), fieldManager: manager, subresource: sub });
      return sendJSON(res, 200, encodeObject(rt, updated, enc), warnings);
    }
    case 'DELETE': {
      if (sub) throw errors.methodNotAllowed();
      const opts = await deleteOptions(req, query);
      const { object, removed } = await store.delete(rt, namespace, name, opts);
      if (removed && rt.kind !== 'Pod' && rt.kind !== 'Namespace') {
        return sendJSON(res, 200, {
          kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
          details: { name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural, uid: object.metadata.uid },
        }, warnings);
      }
      // an object still terminating (grace period, finalizers), or a kind that returns what it deleted
      return sendJSON(res, 200, encodeObject(rt, object, { ...enc, format: enc.format.type === 'table' ? { type: 'json' } : enc.format }), warnings);
    }
    default:
      throw errors.methodNotAllowed();
  }
}

function includeObjectOf(q: URLSearchParams): 'Metadata' | 'Object' | 'None' {
  const v = q.get('includeObject');
  if (!v || v === 'Metadata') return 'Metadata';
  if (v === 'Object' || v === 'None') return v;
  throw errors.badRequest(`unrecognized includeObject value: "${v}"`);
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const body = await readBody(req);
  let b: Record<string, unknown> = {};
  if (body.length) {
    const media = bodyMediaType(req.headers['content-type']);
    // client-go's typed clients (kubectl drain) send their DeleteOptions as protobuf
    const parsed =
      media === 'application/yaml' ? parseYAML(body)
        : media === 'application/vnd.kubernetes.protobuf' ? await decodeObject(req.headers['content-type'], body)
          : parseJSON(body, 'couldn\'t decode DeleteOptions');
    if (parsed && typeof parsed === 'object') b = parsed as Record<string, unknown>;
  }
  return deleteOptionsOf(q, b);
}

/** DeleteOptions from the query and a decoded body (a DELETE's, or an eviction's deleteOptions) */
function deleteOptionsOf(q: URLSearchParams, b: Record<string, unknown>): DeleteOptions {
  const opts: DeleteOptions = {};
  const grace = q.get('gracePeriodSeconds') ?? b.gracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    const n = Number(grace);
    if (!Number.isInteger(n)) throw errors.badRequest(`invalid gracePeriodSeconds: ${grace}`);
    opts.gracePeriodSeconds = Math.max(0, n);
  }
  const policy = (q.get('propagationPolicy') ?? b.propagationPolicy) as string | undefined;
  if (policy) {
    if (!['Orphan', 'Background', 'Foreground'].includes(policy)) {
      throw errors.invalid('', 'DeleteOptions', '', [{ type: 'FieldValueNotSupported', field: 'propagationPolicy', badValue: policy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' }]);
    }
    opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  } else if (q.get('orphanDependents') === 'true' || b.orphanDependents === true) {
    opts.propagationPolicy = 'Orphan';
  }
  if (b.preconditions && typeof b.preconditions === 'object') opts.preconditions = b.preconditions as DeleteOptions['preconditions'];
  opts.dryRun = dryRun(q, b as { dryRun?: string[] });
  return opts;
}

async function handleScale(req: IncomingMessage, res: ServerResponse, r: ResourceRequest, ctx: RestContext, warnings: string[]): Promise<void> {
  const { rt, namespace, name, query } = r;
  const store = ctx.store;
  const method = req.method ?? 'GET';
  const setReplicas = async (scale: KObject, precondition?: string) => {
    const replicas = scale.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
      throw errors.invalid('autoscaling', 'Scale', name!, [{ type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas, detail: 'must be greater than or equal to 0' }]);
    }
    const updated = await store.guaranteedUpdate(rt, namespace, name!, (cur) => {
      if (precondition && precondition !== cur.metadata.resourceVersion) throw errors.conflict(rt.group, rt.plural, name!);
      return rt.scale!.withReplicas(cur, replicas ?? 0);
    }, { dryRun: dryRun(query), fieldManager: fieldManager(req, query), subresource: 'scale' });
    return sendJSON(res, 200, toScale(rt, updated), warnings);
  };
  switch (method) {
    case 'GET':
      return sendJSON(res, 200, toScale(rt, store.get(rt, namespace, name!)), warnings);
    case 'PUT': {
      const body = await readBody(req);
      const scale = await decodeObject(req.headers['content-type'], body);
      return setReplicas(scale, scale.metadata?.resourceVersion);
    }
    case 'PATCH': {
      const body = await readBody(req);
      const ct = bodyMediaType(req.headers['content-type']);
      const current = toScale(rt, store.get(rt, namespace, name!));
      let patched: KObject;
      if (ct === 'application/apply-patch+yaml') patched = { ...current, spec: { ...current.spec, ...((parseYAML(body) as KObject)?.spec ?? {}) } };
      else patched = applyPatch(ct, current, body, undefined);
      return setReplicas(patched, patched.metadata?.resourceVersion !== current.metadata.resourceVersion ? patched.metadata?.resourceVersion : undefined);
    }
    default:
      throw errors.methodNotAllowed();
  }
}

/**
 * Watch: headers are flushed at once, then one JSON event per line. Selector filtering turns
 * objects leaving the selection into DELETED and entering into ADDED, as kube-apiserver does.
 */
function watchCollection(req: IncomingMessage, res: ServerResponse, r: ResourceRequest, ctx: RestContext, enc: Encoder, warnings: string[]): void {
  const { rt, namespace, query } = r;
  if (!rt.verbs.includes('watch')) throw errors.methodNotSupported(rt.group, rt.plural, 'watch');
  const filter = labelFilter(rt, query);
  const rvParam = query.get('resourceVersion');
  let since: number | undefined;
  if (rvParam && rvParam !== '0') {
    since = Number(rvParam);
    if (!Number.isInteger(since) || since < 0) throw errors.badRequest(`invalid resource version: "${rvParam}"`);
  }
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
  if (warnings.length) headers.Warning = warnings.map(warningHeader);
  res.writeHead(200, headers);
  res.flushHeaders();
  let first = true;
  const write = (type: string, object: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    res.write(`{"type":"${type}","object":${toJSONText(object)}}\n`);
  };
  const send = (e: StoreEvent) => {
    let type: string = e.type;
    if (filter) {
      if (e.type === 'DELETED') {
        if (!filter(e.object)) return;
      } else {
        const now = filter(e.object);
        const before = e.type === 'MODIFIED' && e.old ? filter(e.old) : false;
        if (now && !before) type = 'ADDED';
        else if (!now && before) type = 'DELETED';
        else if (!now) return;
      }
    }
    if (enc.format.type === 'table') {
      write(type, tableFor(rt, [e.object], { ...enc, now: new Date(ctx.store.clock.now()) }, { resourceVersion: String(e.rv) }, !first));
      first = false;
    } else {
      write(type, encodeObject(rt, e.object, enc));
    }
  };
  let watcher: { stop(): void } | undefined;
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    watcher?.stop();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  };
  req.on('close', finish);
  res.on('error', finish);
  try {
    watcher = ctx.store.watch(rt, namespace, since, send);
  } catch (err) {
    if (err instanceof StatusError) {
      write('ERROR', err.status);
      finish();
      return;
    }
    throw err;
  }
  if (timeoutSeconds > 0) timers.push(setTimeout(finish, timeoutSeconds * 1000));
  else timers.push(setTimeout(finish, (1800 + Math.random() * 1800) * 1000));
  if (bookmarks) {
    const tick = () => {
      write('BOOKMARK', { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: String(ctx.store.resourceVersion) } });
      timers.push(setTimeout(tick, 60_000).unref());
    };
    timers.push(setTimeout(tick, 60_000).unref());
  }
}

export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

export type { ResponseFormat };
export { sendStatus };
