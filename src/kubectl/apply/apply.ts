/**
 * Applying one object as kubectl apply does.
 *
 * Client-side: GET the live object; when missing, create it carrying the
 * last-applied-configuration annotation; otherwise compute the three-way patch (last applied,
 * new configuration, live) — strategic when the server's OpenAPI says the kind accepts strategic
 * merge patches, JSON merge patch otherwise — and send it (retrying on conflicts with a fresh
 * GET). An empty patch means "unchanged".
 *
 * Server-side: send the whole object as an apply patch (field manager `kubectl`), then keep the
 * last-applied annotation owned and migrate client-side-apply field ownership, as kubectl does.
 */
import type { ApiClient, WriteOptions } from '../client/api.js';
import { ServerError } from '../client/errors.js';
import { goJson } from '../printers/json.js';
import type { ApiResource } from '../resource/discovery.js';
import type { ObjectInfo } from '../resource/builder.js';
import { LAST_APPLIED, modifiedConfiguration, originalConfiguration, pruneNulls } from './lastapplied.js';
import { kindSchema } from './openapi.js';
import { threeWayMergePatch, threeWayPatch } from './smp.js';
import type { DryRun } from './print.js';

export type ApplyOperation = 'created' | 'configured' | 'unchanged' | 'serverside-applied';

export interface ApplyResult {
  operation: ApplyOperation;
  /** the object after the operation (the server's answer, or the local result of a client dry run) */
  object: any;
}

export interface ApplyOptions {
  dryRun: DryRun;
  fieldManager: string;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
  /** warnings and notices go here (stderr) */
  warn: (text: string) => void;
}

const MAX_PATCH_RETRY = 5;

/** Go's %q for the strings kubectl shows */
const q = (s: string) => JSON.stringify(s);

/** resource.Info's String(): the `to:` block of kubectl's patch errors */
export function infoString(info: ObjectInfo): string {
  const r = info.resource;
  const gvr = `${r.group}/${r.version}, Resource=${r.resource}`;
  const gvk = `${r.group}/${r.version}, Kind=${r.kind}`;
  return `Resource: ${q(gvr)}, GroupVersionKind: ${q(gvk)}\nName: ${q(info.name)}, Namespace: ${q(info.namespace ?? '')}`;
}

/** kubectl's AddSourceToErr: server errors get `error when <verb> "<source>": ` before the message */
export function withSource(err: unknown, verb: string, source: string): unknown {
  if (!source) return err;
  if (err instanceof ServerError) {
    const e = new ServerError({ ...err.status, message: `error when ${verb} ${q(source)}: ${err.status.message ?? ''}` }, err.httpStatus);
    e.prefix = err.prefix;
    return e;
  }
  if (err instanceof Error) {
    const e = new Error(`error when ${verb} ${q(source)}: ${err.message}`);
    return e;
  }
  return err;
}

function writeOpts(o: ApplyOptions, extra: Partial<WriteOptions> = {}): WriteOptions {
  return { dryRun: o.dryRun === 'server', fieldManager: o.fieldManager, fieldValidation: o.fieldValidation, ...extra };
}

/** client-side apply of one object */
export async function clientSideApply(client: ApiClient, info: ObjectInfo, o: ApplyOptions): Promise<ApplyResult> {
  const r = info.resource;
  const ns = r.namespaced ? info.namespace : undefined;
  const { object: modified } = modifiedConfiguration(info.object, true);

  let live: any;
  try {
    live = await client.get(r, ns, info.name);
  } catch (e) {
    if (!(e instanceof ServerError && e.code === 404)) {
      throw withSource(e, `retrieving current configuration of:\n${infoString(info)}\nfrom server for:`, info.source);
    }
  }

  if (live === undefined) {
    const obj = structuredClone(modified);
    pruneNulls(obj);
    if (o.dryRun === 'client') return { operation: 'created', object: obj };
    try {
      const created = await client.create(r, ns, obj, writeOpts(o));
      return { operation: 'created', object: created };
    } catch (e) {
      throw withSource(e, 'creating', info.source);
    }
  }

  if (live?.metadata?.annotations?.[LAST_APPLIED] === undefined) {
    o.warn(
      `Warning: resource ${r.resource}/${info.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. ` +
        'kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. ' +
        'The missing annotation will be patched automatically.\n',
    );
  }

  const schema = await kindSchema(client.rest, info.object.apiVersion ?? '', info.object.kind ?? '');
  const compute = (current: any) => {
    const original = originalConfiguration(current);
    const patch = schema.strategic ? threeWayPatch(original, modified, current, schema.root) : threeWayMergePatch(original, modified, current);
    return { patch, text: goJson(patch) };
  };

  // kubectl 1.33 computes nothing for a client dry run of an existing object: it reports it as
  // configured and prints the live object
  if (o.dryRun === 'client') return { operation: 'configured', object: live };
  let current = live;
  let { patch, text } = compute(current);
  if (text === '{}') return { operation: 'unchanged', object: current };
  for (let attempt = 0; ; attempt++) {
    try {
      const patched = await client.patch(r, ns, info.name, text, schema.strategic ? 'strategic' : 'merge', writeOpts(o));
      return { operation: 'configured', object: patched };
    } catch (e) {
      if (e instanceof ServerError && e.code === 409 && attempt < MAX_PATCH_RETRY) {
        current = await client.get(r, ns, info.name);
        ({ patch, text } = compute(current));
        if (text === '{}') return { operation: 'unchanged', object: current };
        continue;
      }
      const inner = withSource(e, 'patching', info.source);
      throw withSource(inner, `applying patch:\n${text}\nto:\n${infoString(info)}\nfor:`, info.source);
    }
  }
}

const CONFLICT_HELP = `
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

export class PlainError extends Error {}

/** server-side apply of one object */
export async function serverSideApply(client: ApiClient, info: ObjectInfo, o: ApplyOptions & { force: boolean; subresource?: string }): Promise<ApplyResult> {
  const r = info.resource;
  const ns = r.namespaced ? info.namespace : undefined;
  const body = goJson(info.object) + '\n';
  const send = () => client.patch(r, ns, info.name, body, 'apply', writeOpts(o, { force: o.force }), o.subresource || undefined);
  let obj: any;
  try {
    obj = await send();
  } catch (e) {
    if (e instanceof ServerError && e.code === 415) throw new PlainError(`Server-side apply not available on the server: (${e.message})`);
    if (e instanceof ServerError && e.code === 409) throw new PlainError(`${e.status.message ?? ''}${CONFLICT_HELP}`);
    throw e;
  }
  try {
    const saved = await saveLastAppliedIfNecessary(client, r, ns, info, obj, o);
    if (saved) obj = saved;
  } catch (e) {
    o.warn(`Warning: failed to migrate kubectl.kubernetes.io/last-applied-configuration for Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: ${(e as Error).message}\n`);
    return { operation: 'serverside-applied', object: obj };
  }
  let migrated: any;
  try {
    migrated = await migrateToSsaIfNecessary(client, r, ns, info.name, obj, o);
  } catch (e) {
    o.warn(`Warning: server rejected managed fields migration to Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: ${(e as Error).message}\n`);
    return { operation: 'serverside-applied', object: obj };
  }
  if (migrated) {
    try {
      obj = await send();
    } catch (e) {
      o.warn(`Warning: failed to re-apply configuration after performing Server-Side Apply migration. This is non-fatal and will be retried next time you apply. Error: ${(e as Error).message}\n`);
      obj = migrated;
    }
  }
  return { operation: 'serverside-applied', object: obj };
}

type FieldsV1 = Record<string, any>;

/** does a managed-fields entry own metadata.annotations[last-applied]? */
function ownsLastApplied(entry: any): boolean {
  return !!entry?.fieldsV1?.['f:metadata']?.['f:annotations']?.[`f:${LAST_APPLIED}`];
}

async function saveLastAppliedIfNecessary(client: ApiClient, r: ApiResource, ns: string | undefined, info: ObjectInfo, obj: any, o: ApplyOptions): Promise<any> {
  if (o.fieldManager !== 'kubectl') return undefined;
  const annotation = obj?.metadata?.annotations?.[LAST_APPLIED];
  if (annotation === undefined) return undefined;
  const managed: any[] = obj?.metadata?.managedFields ?? [];
  if (managed.some((m) => m.operation === 'Apply' && ownsLastApplied(m))) return undefined;
  const just: any = { apiVersion: obj.apiVersion ?? info.object.apiVersion, kind: obj.kind ?? info.object.kind, metadata: { annotations: { [LAST_APPLIED]: annotation }, name: obj.metadata?.name ?? info.name } };
  if (obj.metadata?.namespace) just.metadata.namespace = obj.metadata.namespace;
  return client.patch(r, ns, info.name, goJson(just) + '\n', 'apply', { dryRun: o.dryRun === 'server', fieldManager: 'kubectl-last-applied', fieldValidation: o.fieldValidation });
}

function unionFields(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const out: FieldsV1 = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = out[k] && typeof out[k] === 'object' && v && typeof v === 'object' ? unionFields(out[k], v) : (out[k] ?? v);
  }
  return out;
}

/** csaupgrade: fold the client-side-apply managers' fields into the server-side `kubectl` manager */
async function migrateToSsaIfNecessary(client: ApiClient, r: ApiResource, ns: string | undefined, name: string, obj: any, o: ApplyOptions): Promise<any> {
  let current = obj;
  for (let attempt = 0; attempt < MAX_PATCH_RETRY; attempt++) {
    const managed: any[] = current?.metadata?.managedFields ?? [];
    const csaNames = [...new Set(managed.filter((m) => m.operation === 'Update' && ownsLastApplied(m)).map((m) => String(m.manager)))];
    let entries = managed.map((m) => ({ ...m }));
    for (const csa of csaNames) entries = upgradeEntries(entries, csa, o.fieldManager);
    if (goJson(entries) === goJson(managed)) return undefined;
    const patch = [
      { op: 'replace', path: '/metadata/managedFields', value: entries },
      { op: 'replace', path: '/metadata/resourceVersion', value: current?.metadata?.resourceVersion ?? '' },
    ];
    try {
      return await client.patch(r, ns, name, goJson(patch), 'json', { dryRun: o.dryRun === 'server' });
    } catch (e) {
      if (!(e instanceof ServerError && e.code === 409)) throw e;
      current = await client.get(r, ns, name);
    }
  }
  return undefined;
}

function upgradeEntries(entries: any[], csa: string, ssa: string): any[] {
  const sub = (e: any) => e.subresource ?? '';
  let target = entries.findIndex((e) => e.manager === ssa && e.operation === 'Apply' && sub(e) === '');
  if (target < 0) {
    target = entries.findIndex((e) => e.manager === csa && e.operation === 'Update' && sub(e) === '');
    if (target < 0) return entries;
    entries[target] = { ...entries[target], operation: 'Apply', manager: ssa };
  }
  const t = entries[target];
  const source = entries.find((e) => e.manager === csa && e.operation === 'Update' && sub(e) === '' && e.apiVersion === t.apiVersion);
  if (source) entries[target] = { ...t, fieldsV1: unionFields(t.fieldsV1 ?? {}, source.fieldsV1 ?? {}) };
  return entries.filter((e) => !(e.manager === csa && e.operation === 'Update' && sub(e) === ''));
}
