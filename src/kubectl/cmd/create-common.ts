/**
 * What create, its subcommands, delete and replace share: --dry-run parsing, the printer for
 * `pod/x created` / -o name|json|yaml|jsonpath, the typed-object helpers for the generators
 * (struct field order for -o json), and the create request with kubectl's field manager.
 */
import { KubectlError, ServerError } from '../client/errors.js';
import type { Invocation, ObjectAction } from '../command.js';
import type { FlagSpec } from '../input/flags.js';
import { goJsonNumber, goJsonString, printJson } from '../printers/json.js';
import { printJsonPath, PrinterError } from '../printers/jsonpath.js';
import { kindPrefix } from '../printers/name.js';
import { printYaml } from '../printers/yaml.js';
import { groupVersion, type ApiResource } from '../resource/discovery.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export type DryRun = 'none' | 'client' | 'server';

export const DRY_RUN_FLAG: FlagSpec = {
  name: 'dry-run',
  type: 'string',
  default: 'none',
  noOptDefault: 'unchanged',
  usage: 'Preview the object without sending it ("client"), or let the server check it without saving ("server"); "none" really does it.',
};

export const OUTPUT_FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string', usage: 'Output format: json, yaml, name, jsonpath, jsonpath-as-json, jsonpath-file, go-template, go-template-file, template, templatefile.' },
  { name: 'allow-missing-template-keys', type: 'bool', default: true, usage: 'Ignore template errors for missing fields or map keys (golang and jsonpath templates).' },
  { name: 'show-managed-fields', type: 'bool', usage: 'Keep metadata.managedFields in JSON and YAML output.' },
  { name: 'template', type: 'string', usage: 'Template string or file for -o go-template / go-template-file.' },
];

/** the flags every create generator has */
export const GENERATOR_FLAGS: FlagSpec[] = [
  DRY_RUN_FLAG,
  ...OUTPUT_FLAGS,
  { name: 'save-config', type: 'bool', usage: "Record the object's configuration in an annotation so a later `kubectl apply` can compare with it." },
  { name: 'validate', type: 'string', default: 'strict', noOptDefault: 'strict', usage: 'How the server should check the fields: strict (or true), warn, ignore (or false).' },
  { name: 'field-manager', type: 'string', default: 'kubectl-create', usage: 'Name of the manager recorded for the fields this command sets.' },
];

export function dryRunMode(inv: Invocation): DryRun {
  const v = inv.str('dry-run');
  switch (v) {
    case '':
    case 'none':
    case 'false':
      return 'none';
    case 'client':
    case 'unchanged':
    case 'true':
      return 'client';
    case 'server':
      return 'server';
  }
  throw new KubectlError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

export function fieldValidation(inv: Invocation): 'Strict' | 'Warn' | 'Ignore' {
  const v = inv.str('validate').toLowerCase();
  if (v === 'false' || v === 'ignore') return 'Ignore';
  if (v === 'warn') return 'Warn';
  if (v === 'true' || v === 'strict' || v === '') return 'Strict';
  throw new KubectlError(`invalid - validate option "${inv.str('validate')}"; must be one of: strict (or true), warn, ignore (or false)`);
}

const CREATE_FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

/**
 * Prints each object a mutating command handled: `kind/name <action>` by default (with ` (dry run)` /
 * ` (server dry run)`), or the object with -o. `ordered` keeps the object's key order in -o json
 * (typed objects in kubectl print in struct order; objects read from files print sorted).
 */
export class ActionPrinter {
  private count = 0;
  private readonly format: string;
  private readonly arg: string;

  constructor(
    private readonly inv: Invocation,
    private readonly action: string,
    private readonly ordered = false,
  ) {
    const o = inv.str('output');
    const eq = o.indexOf('=');
    this.format = eq >= 0 ? o.slice(0, eq) : o;
    this.arg = eq >= 0 ? o.slice(eq + 1) : '';
    const known = ['', 'json', 'yaml', 'name', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'go-template', 'go-template-file', 'template', 'templatefile'];
    if (!known.includes(this.format) || (eq >= 0 && ['json', 'yaml', 'name'].includes(this.format))) {
      throw new KubectlError(`unable to match a printer suitable for the output format "${o}", allowed formats are: ${CREATE_FORMATS}`);
    }
    if (['jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'go-template', 'go-template-file', 'template', 'templatefile'].includes(this.format) && !this.arg) {
      throw new KubectlError('template format specified but no template given');
    }
  }

  /** -o given: objects are printed instead of the action line */
  get printsObjects(): boolean {
    return this.format !== '' && this.format !== 'name';
  }

  print(obj: any, dryRun: DryRun, objOrdered = this.ordered): void {
    const kind = String(obj?.kind ?? '');
    const name = String(obj?.metadata?.name ?? '');
    const prefix = kind ? `${kindPrefix(obj?.apiVersion, kind)}/${name}` : name;
    switch (this.format) {
      case '': {
        const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
        this.inv.out.write(`${prefix} ${this.action}${suffix}\n`);
        return;
      }
      case 'name':
        this.inv.out.write(`${prefix}\n`);
        return;
      case 'json': {
        const shown = stripManaged(obj, this.inv.bool('show-managed-fields'));
        this.inv.out.write(objOrdered ? orderedJson(shown) : printJson(shown));
        return;
      }
      case 'yaml':
        if (this.count++ > 0) this.inv.out.write('---\n');
        this.inv.out.write(printYaml(stripManaged(obj, this.inv.bool('show-managed-fields'))));
        return;
      case 'jsonpath':
      case 'jsonpath-as-json':
        try {
          this.inv.out.write(printJsonPath(this.arg, obj, { allowMissingKeys: this.inv.flags['allow-missing-template-keys'] !== false, asJson: this.format === 'jsonpath-as-json' }));
        } catch (e) {
          if (e instanceof PrinterError) throw new KubectlError(e.message);
          throw e;
        }
        return;
      default:
        throw new KubectlError(`output format "${this.format}" is not supported by kube-tutor's kubectl; use -o jsonpath=… instead`);
    }
  }
}

function stripManaged(o: any, keep: boolean): any {
  if (keep || !o?.metadata?.managedFields) return o;
  const { managedFields: _m, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}

/** json.MarshalIndent of a typed object: keys in the order given (the struct's), 4-space indent */
export function orderedJson(v: unknown): string {
  const rec = (x: unknown, cur: string): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') return goJsonString(x);
    if (typeof x === 'number') return goJsonNumber(x);
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    const next = cur + '    ';
    if (Array.isArray(x)) {
      if (!x.length) return '[]';
      return '[' + x.map((e) => '\n' + next + rec(e, next)).join(',') + '\n' + cur + ']';
    }
    const keys = Object.keys(x as object).filter((k) => (x as any)[k] !== undefined);
    if (!keys.length) return '{}';
    return '{' + keys.map((k) => '\n' + next + goJsonString(k) + ': ' + rec((x as any)[k], next)).join(',') + '\n' + cur + '}';
  };
  return rec(v, '') + '\n';
}

/** a typed object's metadata as kubectl's generators build it (ObjectMeta field order) */
export function meta(name: string, extra: { namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): any {
  const m: any = { name };
  if (extra.namespace) m.namespace = extra.namespace;
  m.creationTimestamp = null;
  if (extra.labels && Object.keys(extra.labels).length) m.labels = sortedMap(extra.labels);
  if (extra.annotations && Object.keys(extra.annotations).length) m.annotations = sortedMap(extra.annotations);
  return m;
}

export function sortedMap<T>(m: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) out[k] = m[k]!;
  return out;
}

/** The `kubectl.kubernetes.io/last-applied-configuration` value --save-config records. */
export function lastAppliedValue(obj: any): string {
  const copy = JSON.parse(JSON.stringify(obj));
  copy.metadata ??= {};
  const ann = { ...(copy.metadata.annotations ?? {}) };
  delete ann['kubectl.kubernetes.io/last-applied-configuration'];
  copy.metadata.annotations = ann;
  return compactSorted(copy) + '\n';
}

function compactSorted(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number') return goJsonNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[' + v.map(compactSorted).join(',') + ']';
  const keys = Object.keys(v as object)
    .filter((k) => (v as any)[k] !== undefined)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return '{' + keys.map((k) => goJsonString(k) + ':' + compactSorted((v as any)[k])).join(',') + '}';
}

/** add the last-applied annotation (--save-config) */
export function saveConfig(obj: any): void {
  const value = lastAppliedValue(obj);
  obj.metadata ??= {};
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), 'kubectl.kubernetes.io/last-applied-configuration': value };
}

export function objectEffect(inv: Invocation, action: ObjectAction, r: ApiResource, obj: any, namespace: string | undefined, dryRun: DryRun): void {
  inv.effect({
    type: 'object',
    action,
    group: r.group,
    version: r.version,
    kind: r.kind,
    resource: r.resource,
    namespace: r.namespaced ? namespace : undefined,
    name: String(obj?.metadata?.name ?? ''),
    dryRun: dryRun !== 'none' ? true : undefined,
  });
}

/** what a generator creates: fixed like kubectl's typed clients (no discovery needed for --dry-run=client) */
export interface GeneratedKind {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

export function staticResource(k: GeneratedKind): ApiResource {
  return { ...k, singular: k.kind.toLowerCase(), verbs: [], shortNames: [], categories: [], subresources: [], preferred: true };
}

/**
 * The generators' common end: (client dry-run → print the built object) or POST it, print the
 * answer. `failure` is kubectl's wrapping (`failed to create deployment`); undefined = the server
 * error as is.
 */
export async function createGenerated(
  inv: Invocation,
  opts: { kind: GeneratedKind; obj: any; failure?: string; failureSep?: string },
): Promise<void> {
  const dry = dryRunMode(inv);
  const printer = new ActionPrinter(inv, 'created', true);
  const client = await inv.client();
  const r = staticResource(opts.kind);
  const ns = r.namespaced ? client.namespace : undefined;
  if (r.namespaced && inv.changed.has('namespace')) opts.obj.metadata.namespace = client.namespace;
  if (inv.bool('save-config')) saveConfig(opts.obj);
  if (dry === 'client') {
    printer.print(opts.obj, dry);
    objectEffect(inv, 'created', r, opts.obj, ns, dry);
    return;
  }
  let created: any;
  try {
    created = await client.create(r, ns, opts.obj, { dryRun: dry === 'server', fieldManager: inv.str('field-manager') || 'kubectl-create', fieldValidation: fieldValidation(inv) });
  } catch (e) {
    if (e instanceof ServerError && opts.failure) throw new KubectlError(`${opts.failure}${opts.failureSep ?? ': '}${e.message}`);
    throw e;
  }
  created.apiVersion ??= groupVersion(r);
  created.kind ??= r.kind;
  printer.print(created, dry);
  objectEffect(inv, 'created', r, created, ns, dry);
}

/** kubectl's `exactly one NAME is required, got N` with the subcommand's hint */
export function oneName(inv: Invocation): string {
  if (inv.args.length !== 1) {
    throw new KubectlError(`exactly one NAME is required, got ${inv.args.length}\nSee 'kubectl ${inv.path.join(' ')} -h' for help and examples`);
  }
  return inv.args[0]!;
}

/** cobra's required-flag check */
export function requireFlags(inv: Invocation, ...names: string[]): void {
  const missing = names.filter((n) => !inv.changed.has(n));
  if (missing.length) throw new KubectlError(`required flag(s) ${missing.map((n) => `"${n}"`).join(', ')} not set`);
}

/**
 * kubectl's AddSourceToErr: the server's Status message gets `error when <verb> "<source>": ` in
 * front (so it shows in `Error from server (X): …`, while the `The Pod "x" is invalid` form of
 * Invalid errors, built from the details, stays without it).
 */
export function addSourceToErr(err: ServerError, verb: string, source: string | undefined): ServerError {
  if (!source) return err;
  return new ServerError({ ...err.status, message: `error when ${verb} ${JSON.stringify(source)}: ${err.status.message ?? ''}` }, err.httpStatus);
}
