/**
 * Objects from `-f FILE|DIR|URL|-` (kubectl's resource builder for manifests), for create, delete,
 * replace, apply, patch, edit …
 *
 * Two steps, usable apart:
 *
 * 1. `loadManifests({ filenames, recursive, cwd, stdin, validate })` reads every source and returns
 *    the documents in order as `ManifestItem`s: `{ source, object }` for each object (multi-document
 *    YAML split on `---` lines, a JSON stream of objects, `List` / `v1 List` items flattened), or
 *    `{ source, error }` when a source stops being readable (bad YAML/JSON, missing apiVersion/kind):
 *    like kubectl, the objects before the error are still used and the error is reported at the
 *    end. Paths that do not exist throw at once (`the path "x.yaml" does not exist`), before any
 *    object is used. Directories give their `.json`, `.yaml`, `.yml` files in lexical order (`-R`:
 *    sub-directories too); `-` reads standard input (source "STDIN"); http(s) URLs are fetched.
 *    YAML is read with YAML 1.1 rules (yes/no/on/off booleans, 0755 octal), as kubectl does;
 *    timestamp-like scalars stay strings.
 *
 * 2. `resolveManifests(client, items, { namespace, enforceNamespace })` maps each object to its
 *    ApiResource through `client.discovery.forKind` and gives `ObjectInfo`s (resource, namespace,
 *    name, the object with `metadata.namespace` filled in for namespaced kinds) or the `Error`
 *    kubectl reports for that object (`resource mapping not found for name: …`, the namespace
 *    mismatch error when `-n` was given). Errors are KubectlErrors to collect and print at the end
 *    (AggregateError2). Errors of reading and mapping are `ManifestError`s: kubectl reports them
 *    after the errors of the objects themselves — `sortErrors(errors)` puts them in that order.
 *
 * `objectsFromFlags(inv, client)` does both from an Invocation's `-f`, `-R`, `--validate` and `-n`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { parseAllDocuments, type Document } from 'yaml';
import type { ApiClient } from '../client/api.js';
import { KubectlError } from '../client/errors.js';
import type { Invocation, Stdin } from '../command.js';
import { goJson } from '../printers/json.js';
import type { ApiResource } from './discovery.js';

export interface ManifestOptions {
  /** the -f values, as typed */
  filenames: string[];
  /** -R: walk directories recursively */
  recursive?: boolean;
  /** where relative paths start */
  cwd: string;
  /** for `-f -` */
  stdin?: Stdin;
  /** check apiVersion/kind client-side (kubectl does unless --validate=false/ignore); default true */
  validate?: boolean;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export type ManifestItem = { source: string; object: Record<string, any>; error?: undefined } | { source: string; error: Error; object?: undefined };

export interface ObjectInfo {
  /** the file name / URL / "STDIN" the object came from (kubectl's `error when creating "x.yaml"`) */
  source: string;
  /** the object as read (metadata.namespace set for namespaced kinds) */
  object: Record<string, any>;
  resource: ApiResource;
  /** undefined for cluster-scoped resources */
  namespace?: string;
  name: string;
}

const EXTENSIONS = ['.json', '.yaml', '.yml'];

/** an error reading or mapping a source (parse, validation, unknown kind): printed after the per-object errors */
export class ManifestError extends KubectlError {}

/** kubectl's order of collected errors: per-object errors (server, namespace mismatch) first, then ManifestErrors */
export function sortErrors(errors: Error[]): Error[] {
  return [...errors.filter((e) => !(e instanceof ManifestError)), ...errors.filter((e) => e instanceof ManifestError)];
}

/** Read every -f source. Throws KubectlError for paths that do not exist. */
export async function loadManifests(opts: ManifestOptions): Promise<ManifestItem[]> {
  // first expand the paths (kubectl fails on a missing path before reading anything)
  const sources: Array<{ kind: 'file' | 'stdin' | 'url'; name: string; path?: string }> = [];
  for (const f of opts.filenames) {
    if (f === '-') {
      sources.push({ kind: 'stdin', name: 'STDIN' });
      continue;
    }
    if (/^https?:\/\//.test(f)) {
      sources.push({ kind: 'url', name: f });
      continue;
    }
    const abs = isAbsolute(f) ? f : resolvePath(opts.cwd, f);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new KubectlError(`the path "${f}" does not exist`);
    }
    if (st.isDirectory()) {
      for (const rel of walk(abs, opts.recursive ?? false)) sources.push({ kind: 'file', name: joinShown(f, rel), path: join(abs, rel) });
    } else sources.push({ kind: 'file', name: f, path: abs });
  }
  const items: ManifestItem[] = [];
  for (const s of sources) {
    let text: string;
    try {
      if (s.kind === 'stdin') text = opts.stdin ? await opts.stdin.readAll() : '';
      else if (s.kind === 'url') text = await fetchUrl(s.name);
      else text = readFileSync(s.path!, 'utf8');
    } catch (e) {
      items.push({ source: s.name, error: new ManifestError((e as Error).message) });
      continue;
    }
    items.push(...parseManifest(text, s.name, opts.validate ?? true));
  }
  return items;
}

/** the files of a directory with manifest extensions, lexical order (filepath.Walk) */
function walk(dir: string, recursive: boolean, prefix = ''): string[] {
  const out: string[] = [];
  const names = readdirSync(join(dir, prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const n of names) {
    const rel = prefix ? `${prefix}/${n}` : n;
    let st;
    try {
      st = statSync(join(dir, rel));
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (recursive) out.push(...walk(dir, recursive, rel));
    } else if (EXTENSIONS.some((e) => n.endsWith(e))) out.push(rel);
  }
  return out;
}

/** filepath.Join(dir, rel) as kubectl shows it (cleaned) */
function joinShown(dir: string, rel: string): string {
  const parts = `${dir}/${rel}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' && out.length) continue;
    if (p === '.' && (out.length || parts.length > 1)) continue;
    if (p === '..' && out.length && out[out.length - 1] !== '..' && out[out.length - 1] !== '') {
      out.pop();
      continue;
    }
    out.push(p);
  }
  return out.join('/') || '.';
}

async function fetchUrl(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new KubectlError(`unable to read URL "${url}", server reported ${res.status} ${res.statusText}, status code=${res.status}`);
  return await res.text();
}

/**
 * The objects of one source's text (YAML or JSON). An unreadable document ends the source with an
 * error item (the documents before it are kept).
 */
export function parseManifest(text: string, source: string, validate = true): ManifestItem[] {
  const items: ManifestItem[] = [];
  const add = (obj: unknown): boolean => {
    if (obj === null || obj === undefined) return true;
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      items.push({ source, error: new ManifestError(`error parsing ${source}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(obj) ? 'array' : typeof obj === 'string' ? 'string' : typeof obj === 'number' ? 'number' : 'bool'} into Go value of type map[string]interface {}`) });
      return false;
    }
    const o = obj as Record<string, any>;
    if (validate) {
      const missing: string[] = [];
      if (o.apiVersion === undefined || o.apiVersion === null) missing.push('apiVersion not set');
      else if (typeof o.apiVersion !== 'string') missing.push("apiVersion isn't string type");
      if (o.kind === undefined || o.kind === null) missing.push('kind not set');
      else if (typeof o.kind !== 'string') missing.push("kind isn't string type");
      if (missing.length) {
        const what = missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
        items.push({ source, error: new ManifestError(`error validating "${source}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`) });
        return false;
      }
    } else if (!o.kind) {
      items.push({ source, error: new ManifestError(`unable to decode "${source}": Object 'Kind' is missing in '${goJson(o)}'`) });
      return false;
    }
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      for (const it of o.items) {
        if (it && typeof it === 'object') items.push({ source, object: it });
      }
      return true;
    }
    items.push({ source, object: o });
    return true;
  };

  if (/^\s*\{/.test(text)) {
    // a JSON stream (kubectl sniffs the first non-space byte)
    for (const r of splitJson(text)) {
      if ('error' in r) {
        items.push({ source, error: new ManifestError(`error parsing ${source}: ${r.error}`) });
        break;
      }
      if (!add(r.value)) break;
    }
    return items;
  }
  for (const doc of splitYamlDocuments(text)) {
    const parsed = parseYamlDocument(doc);
    if ('error' in parsed) {
      items.push({ source, error: new ManifestError(`error parsing ${source}: error converting YAML to JSON: yaml: ${parsed.error}`) });
      break;
    }
    if (!add(parsed.value)) break;
  }
  return items;
}

/** kubectl's YAMLReader: documents separated by lines starting with `---` */
export function splitYamlDocuments(text: string): string[] {
  const docs: string[] = [];
  let cur: string[] = [];
  for (const line of text.split('\n')) {
    if (/^---(\s.*)?\r?$/.test(line) || line === '---') {
      docs.push(cur.join('\n'));
      cur = [];
      continue;
    }
    cur.push(line);
  }
  docs.push(cur.join('\n'));
  return docs.filter((d) => d.trim().length > 0);
}

// YAML 1.1 like go-yaml v2, but timestamps stay strings (sigs.k8s.io/yaml decodes into interface{})
const YAML_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: any[]) => tags.filter((t) => t?.tag !== 'tag:yaml.org,2002:timestamp'),
  uniqueKeys: false,
  merge: true,
};

/** one document → a JSON-compatible value, or go-yaml's error text (`line 4: did not find expected key`) */
export function parseYamlDocument(text: string): { value: unknown } | { error: string } {
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, YAML_OPTIONS as never) as Document.Parsed[];
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (!Array.isArray(docs)) docs = [];
  for (const d of docs) {
    const e = d.errors[0];
    if (e) return { error: goYamlError(e) };
  }
  if (!docs.length) return { value: null };
  try {
    return { value: jsonCompatible(docs[0]!.toJS({ maxAliasCount: -1 })) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** the `yaml` package's error as go-yaml v2 words it (the common cases) */
function goYamlError(e: { code: string; message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }): string {
  const line1 = e.linePos?.[0]?.line ?? 0; // 1-based
  // go-yaml: scanner errors print the 1-based line, parser errors the 0-based one; line 0 is omitted
  const scanner = (msg: string) => (line1 > 1 ? `line ${line1}: ${msg}` : msg);
  const parser = (msg: string) => (line1 - 1 > 0 ? `line ${line1 - 1}: ${msg}` : msg);
  switch (e.code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      if (/quote|"|'/.test(e.message)) return `line ${line1}: found unexpected end of stream`;
      return parser('did not find expected key');
    case 'TAB_AS_INDENT':
      return scanner('found a tab character that violates indentation');
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'UNEXPECTED_TOKEN':
      return scanner('mapping values are not allowed in this context');
    case 'MULTILINE_IMPLICIT_KEY':
      return scanner('could not find expected \':\'');
    case 'DUPLICATE_KEY':
      return `unmarshal errors:\n  line ${line1}: key ${JSON.stringify(/"?([^"]*)"?/.exec(e.message)?.[1] ?? '')} already set in map`;
    default:
      return `line ${line1}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
  }
}

/** what YAMLToJSON gives: string keys, no undefined, no Dates/Maps */
function jsonCompatible(v: unknown): unknown {
  if (v === undefined) return null;
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint') return Number(v);
    return v;
  }
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(jsonCompatible);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[String(k)] = jsonCompatible(x);
    return o;
  }
  if (v instanceof Set) return [...v].map(jsonCompatible);
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as object)) o[k] = jsonCompatible(x);
  return o;
}

/** a stream of JSON values (Go's json.Decoder), stopping at the first error */
function splitJson(text: string): Array<{ value: unknown } | { error: string }> {
  const out: Array<{ value: unknown } | { error: string }> = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let depth = 0;
    let inStr = false;
    let end = -1;
    for (; i < n; i++) {
      const c = text[i]!;
      if (inStr) {
        if (c === '\\') i++;
        else if (c === '"') inStr = false;
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          end = i + 1;
          break;
        }
      }
    }
    if (end < 0) {
      out.push({ error: 'unexpected EOF' });
      break;
    }
    i = end;
    try {
      out.push({ value: JSON.parse(text.slice(start, end)) });
    } catch (e) {
      out.push({ error: goJsonSyntaxError(text.slice(start, end), e as Error) });
      break;
    }
  }
  return out;
}

function goJsonSyntaxError(chunk: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  if (m) {
    const c = chunk[Number(m[1])];
    if (c !== undefined) return `invalid character '${c}' looking for beginning of object key string`;
  }
  return 'unexpected EOF';
}

export interface ResolveOptions {
  /** the namespace objects without one go to (-n or the context's) */
  namespace: string;
  /** -n was given: an object naming another namespace is an error */
  enforceNamespace: boolean;
}

/**
 * Map each loaded object to its resource (discovery) and namespace. Error items pass through;
 * objects whose kind the server does not serve become kubectl's mapping error.
 */
export async function resolveManifests(client: ApiClient, items: ManifestItem[], opts: ResolveOptions): Promise<Array<ObjectInfo | Error>> {
  const out: Array<ObjectInfo | Error> = [];
  for (const it of items) {
    if (it.error) {
      out.push(it.error);
      continue;
    }
    const obj = it.object;
    const apiVersion = String(obj.apiVersion ?? '');
    const kind = String(obj.kind ?? '');
    const name = String(obj.metadata?.name ?? '');
    const objNs = String(obj.metadata?.namespace ?? '');
    const resource = await client.discovery.forKind(apiVersion, kind);
    if (!resource) {
      out.push(
        new ManifestError(
          `resource mapping not found for name: ${JSON.stringify(name)} namespace: ${JSON.stringify(objNs)} from ${JSON.stringify(it.source)}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}\nensure CRDs are installed first`,
        ),
      );
      continue;
    }
    let namespace: string | undefined;
    if (resource.namespaced) {
      if (objNs && opts.enforceNamespace && objNs !== opts.namespace) {
        out.push(
          new KubectlError(
            `the namespace from the provided object ${JSON.stringify(objNs)} does not match the namespace ${JSON.stringify(opts.namespace)}. You must pass '--namespace=${objNs}' to perform this operation.`,
          ),
        );
        continue;
      }
      namespace = objNs || opts.namespace;
      if (!objNs) {
        obj.metadata = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
        obj.metadata.namespace = namespace;
      }
    }
    out.push({ source: it.source, object: obj, resource, namespace, name });
  }
  return out;
}

/** `--validate` → whether to check apiVersion/kind client-side and the server's fieldValidation */
export function validationFromFlag(value: string): { client: boolean; fieldValidation: 'Strict' | 'Warn' | 'Ignore' } {
  switch (value.toLowerCase()) {
    case 'false':
    case 'ignore':
      return { client: false, fieldValidation: 'Ignore' };
    case 'warn':
      return { client: true, fieldValidation: 'Warn' };
    case 'true':
    case 'strict':
    case '':
      return { client: true, fieldValidation: 'Strict' };
    default:
      throw new KubectlError(`invalid - validate option "${value}"; must be one of: strict (or true), warn, ignore (or false)`);
  }
}

/** load + resolve from an invocation's -f / -R / --validate / -n flags */
export async function objectsFromFlags(inv: Invocation, client: ApiClient): Promise<Array<ObjectInfo | Error>> {
  const validate = inv.flags.validate === undefined ? true : validationFromFlag(inv.str('validate')).client;
  const items = await loadManifests({
    filenames: inv.list('filename'),
    recursive: inv.bool('recursive'),
    cwd: inv.session.cwd,
    stdin: inv.stdin,
    validate,
  });
  return resolveManifests(client, items, { namespace: client.namespace, enforceNamespace: inv.changed.has('namespace') });
}

/** true for an ObjectInfo (not an error) */
export function isInfo(x: ObjectInfo | Error): x is ObjectInfo {
  return !(x instanceof Error);
}
