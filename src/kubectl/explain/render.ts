/**
 * kubectl explain's plaintext view of an OpenAPI v3 document: the GROUP/KIND/VERSION header of the
 * resource, then either the schema's DESCRIPTION and FIELDS (one level with descriptions, or the whole
 * tree with --recursive) or, for a field path, the FIELD line (type, enum) followed by the same
 * sections for that field. Behaviour follows kubectl 1.33's plaintext rendering (our own code).
 */
import { indent, wordWrap } from './wrap.js';

type Schema = Record<string, any>;
type Doc = Record<string, any>;

export interface Gvr {
  group: string;
  version: string;
  resource: string;
}

/** A rendering failure; `partial` is what kubectl had already written to stdout. */
export class ExplainRenderError extends Error {
  constructor(
    message: string,
    readonly partial: string,
  ) {
    super(message);
    this.name = 'ExplainRenderError';
  }
}

/** Go template truthiness for JSON values */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** Go's map iteration order in templates: keys sorted bytewise */
function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isMapSchema(v: unknown): v is Schema {
  return truthy(v) && typeof v === 'object' && !Array.isArray(v);
}

function resolveRef(ref: unknown, doc: Doc): Schema | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
  let frag: string;
  try {
    frag = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  let cur: any = doc;
  for (const k of frag.split('/')) {
    if (!k) continue;
    const next = cur?.[k];
    if (!next || typeof next !== 'object' || Array.isArray(next)) return undefined;
    cur = next;
  }
  return cur as Schema;
}

/** Go's %v of a JSON scalar */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
    const s = String(v);
    return s.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export class ExplainRenderer {
  constructor(private readonly doc: Doc) {}

  /** the type hint shown in angle brackets: string, []Container, map[string]string, PodSpec, Object … */
  typeGuess(s: Schema): string {
    if (truthy(s.items)) return '[]' + this.typeGuess(s.items);
    if (isMapSchema(s.additionalProperties)) return 'map[string]' + this.typeGuess(s.additionalProperties);
    if (truthy(s.allOf) && !truthy(s.properties) && s.allOf.length === 1) return this.typeGuess(s.allOf[0]);
    const ref = s['$ref'];
    if (truthy(ref)) {
      const target = resolveRef(ref, this.doc);
      if (!target || !truthy(target.type) || target.type === 'object') {
        const name = String(ref).split('/').pop() ?? '';
        return name.split('.').pop() || 'Object';
      }
      return String(target.type);
    }
    if (s.type === 'object') return 'Object';
    return truthy(s.type) ? String(s.type) : 'Object';
  }

  private enumText(s: Schema, longView: boolean, limit: number, indentAmount = 0): string {
    if (!truthy(s.enum) || !Array.isArray(s.enum)) return '';
    let out = longView ? 'ENUM:' : '\n' + ' '.repeat(indentAmount) + 'enum: ';
    s.enum.forEach((el: unknown, i: number) => {
      if (limit > -1 && i >= limit) {
        if (i === limit) out += ', ....';
        return;
      }
      if (i > 0 && !longView) out += ', ';
      else if (longView) out += '\n    ';
      out += el === '' ? '""' : goValue(el);
    });
    return out;
  }

  private description(s: Schema): string {
    const r = resolveRef(s['$ref'], this.doc) ?? s;
    if (!truthy(r)) return '';
    let out = '';
    if (truthy(r.description)) out += String(r.description) + '\n';
    if (Array.isArray(r.allOf)) for (const sub of r.allOf) out += this.description(sub ?? {});
    if (truthy(r.items)) out += this.description(r.items);
    if (isMapSchema(r.additionalProperties)) out += this.description(r.additionalProperties);
    return out;
  }

  private fieldDetail(name: string, parent: Schema, short: boolean, level: number): string {
    const pad = level * 2;
    const field: Schema = parent.properties[name] ?? {};
    let out = ' '.repeat(pad) + name + '\t<' + this.typeGuess(field) + '>';
    if (Array.isArray(parent.required) && parent.required.includes(name)) out += ' -required-';
    out += this.enumText(field, false, 4, pad);
    out += '\n';
    if (!short) {
      const desc = truthy(field.description) ? String(field.description) : '<no description>';
      out += indent(pad + 2, wordWrap(desc, 78 - pad)) + '\n';
      out += '\n';
    }
    return out;
  }

  private fieldList(s: Schema, level: number, history: ReadonlySet<string>, recursive: boolean): string {
    const ref = typeof s['$ref'] === 'string' ? s['$ref'] : '';
    if (ref && history.has(ref)) return '';
    const next = new Set(history).add(ref);
    const r = resolveRef(ref, this.doc) ?? s;
    let out = '';
    if (isMapSchema(r.properties)) {
      for (const k of sortedKeys(r.properties)) {
        out += this.fieldDetail(k, r, recursive, level);
        if (recursive) out += this.fieldList(r.properties[k] ?? {}, level + 1, next, recursive);
      }
    }
    if (Array.isArray(r.allOf)) for (const sub of r.allOf) out += this.fieldList(sub ?? {}, level, next, recursive);
    if (truthy(r.items)) out += this.fieldList(r.items, level, next, recursive);
    if (isMapSchema(r.additionalProperties)) out += this.fieldList(r.additionalProperties, level, next, recursive);
    return out;
  }

  private output(s: Schema, history: ReadonlySet<string>, path: readonly string[], recursive: boolean): string {
    const ref = typeof s['$ref'] === 'string' ? s['$ref'] : '';
    const next = new Set(history).add(ref);
    const r = resolveRef(ref, this.doc) ?? s;
    if (path.length === 0) {
      let out = 'DESCRIPTION:\n';
      out += indent(4, wordWrap(this.description(r) || '<empty>', 76)) + '\n';
      const fields = this.fieldList(r, 1, new Set(), recursive);
      if (fields) out += 'FIELDS:\n' + fields;
      return out;
    }
    if (ref && history.has(ref)) return '';
    const first = path[0]!;
    if (isMapSchema(r.properties) && truthy(r.properties[first])) {
      const sub: Schema = r.properties[first];
      let out = '';
      if (path.length === 1) out += `FIELD: ${first} <${this.typeGuess(sub)}>\n` + this.enumText(sub, true, -1) + '\n\n';
      return out + this.output(sub, new Set(), path.slice(1), recursive);
    }
    if (truthy(r.items)) return this.output(r.items, next, path, recursive);
    if (isMapSchema(r.additionalProperties)) return this.output(r.additionalProperties, next, path, recursive);
    if (Array.isArray(r.allOf)) {
      for (const sub of r.allOf) {
        const o = this.output(sub ?? {}, next, path, recursive);
        if (o) return o;
      }
    }
    return '';
  }

  /** the group/version/kind the document's paths give for a resource */
  gvkFor(gvr: Gvr): { group?: string; kind?: string; version?: string } | undefined {
    const prefix = gvr.group ? `/apis/${gvr.group}` : '/api';
    const base = `${prefix}/${gvr.version}`;
    const candidates = [
      `${base}/${gvr.resource}`,
      `${base}/${gvr.resource}/{name}`,
      `${base}/namespaces/{namespace}/${gvr.resource}`,
      `${base}/namespaces/{namespace}/${gvr.resource}/{name}`,
    ];
    let gvk: any;
    const paths = this.doc.paths ?? {};
    for (const p of candidates) {
      const item = paths[p];
      if (!truthy(item)) continue;
      for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
        const op = item[m];
        if (!truthy(op)) continue;
        gvk = op['x-kubernetes-group-version-kind'];
        if (truthy(gvk)) break;
      }
    }
    return truthy(gvk) ? gvk : undefined;
  }

  /** The whole plaintext output; throws ExplainRenderError with kubectl's message (and what was already printed). */
  render(gvr: Gvr, fieldPath: readonly string[], recursive: boolean): string {
    const gvk = this.gvkFor(gvr);
    if (!gvk) {
      const gvrText = `${gvr.group}/${gvr.version}, Resource=${gvr.resource}`;
      throw new ExplainRenderError(`error: GVR (${gvrText}) not found in OpenAPI schema`, '');
    }
    let head = '';
    if (truthy(gvk.group)) head += `GROUP:      ${gvk.group}\n`;
    head += `KIND:       ${gvk.kind ?? ''}\n`;
    head += `VERSION:    ${gvk.version ?? ''}\n\n`;
    const schemas = this.doc.components?.schemas ?? {};
    let body = '';
    for (const name of sortedKeys(schemas)) {
      const s = schemas[name];
      const list = s?.['x-kubernetes-group-version-kind'];
      if (!Array.isArray(list) || !list.some((e: any) => sameGvk(e, gvk))) continue;
      body = this.output(s, new Set(), fieldPath, recursive);
      if (!body) throw new ExplainRenderError(`error: field "${fieldPath[fieldPath.length - 1]}" does not exist`, head);
      break;
    }
    if (!body) {
      const m = sortedKeys(gvk)
        .map((k) => `${k}:${goValue((gvk as any)[k])}`)
        .join(' ');
      throw new ExplainRenderError(`error: GVK map[${m}] not found in OpenAPI schema`, head);
    }
    return head + body + '\n';
  }
}

function sameGvk(a: any, b: any): boolean {
  if (!a || typeof a !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}
