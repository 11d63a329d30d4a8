/** Turning stored objects into what the client asked for: JSON, YAML, Tables, PartialObjectMetadata. */
import type { ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import type { ResponseFormat } from './negotiate.js';
import type { ResourceType } from './resource.js';
import { apiVersionOf } from './resource.js';
import type { ListResult } from './store.js';
import type { KObject, Status } from './types.js';

export interface Encoder {
  format: ResponseFormat;
  now: Date;
  includeObject: 'Metadata' | 'Object' | 'None';
}

function partialMetadata(obj: KObject, version: string): KObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/**
 * A response body already serialised. Stored objects never change once committed, so their
 * JSON (as a list item, or as a Table row's PartialObjectMetadata) is computed once and reused:
 * listing 10,000 pods then costs string joins, not 10,000 JSON.stringify calls.
 */
export class RawJSON {
  constructor(readonly text: string) {}
}

const itemJSONCache = new WeakMap<KObject, string>();
const metadataJSONCache = new WeakMap<KObject, string>();

/** the object as an item of a typed list (no kind/apiVersion of its own) */
function itemJSON(obj: KObject): string {
  let s = itemJSONCache.get(obj);
  if (s === undefined) {
    const { kind: _k, apiVersion: _a, ...rest } = obj;
    s = JSON.stringify(rest);
    itemJSONCache.set(obj, s);
  }
  return s;
}

function partialMetadataJSON(obj: KObject, version: string): string {
  if (version !== 'v1') return JSON.stringify(partialMetadata(obj, version));
  let s = metadataJSONCache.get(obj);
  if (s === undefined) {
    s = JSON.stringify(partialMetadata(obj, version));
    metadataJSONCache.set(obj, s);
  }
  return s;
}

/** serialise a body (plain value or RawJSON) */
export function toJSONText(body: unknown): string {
  return body instanceof RawJSON ? body.text : JSON.stringify(body);
}

/**
 * A Table of `items`. In a watch stream only the first event carries column definitions
 * (`noHeaders` for the rest), like kube-apiserver.
 */
export function tableFor(rt: ResourceType, items: KObject[], enc: Encoder, meta: Record<string, unknown>, noHeaders = false): RawJSON {
  const version = enc.format.type === 'table' ? enc.format.version : 'v1';
  const printer = rt.table;
  const rows: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const obj = items[i];
    let row = `{"cells":${JSON.stringify(printer.cells(obj, enc.now))}`;
    const conditions = printer.conditions?.(obj);
    if (conditions?.length) row += `,"conditions":${JSON.stringify(conditions)}`;
    if (enc.includeObject === 'Metadata') row += `,"object":${partialMetadataJSON(obj, version)}`;
    else if (enc.includeObject === 'Object') row += `,"object":${JSON.stringify(obj)}`;
    rows[i] = row + '}';
  }
  const columns = noHeaders ? 'null' : JSON.stringify(printer.columns);
  return new RawJSON(`{"kind":"Table","apiVersion":"meta.k8s.io/${version}","metadata":${JSON.stringify(meta)},"columnDefinitions":${columns},"rows":[${rows.join(',')}]}`);
}

export function encodeObject(rt: ResourceType, obj: KObject, enc: Encoder): unknown {
  switch (enc.format.type) {
    case 'table':
      return tableFor(rt, [obj], enc, { resourceVersion: obj.metadata.resourceVersion });
    case 'partial':
      return partialMetadata(obj, enc.format.version);
    default:
      return obj;
  }
}

function listMeta(list: ListResult): Record<string, unknown> {
  const meta: Record<string, unknown> = { resourceVersion: list.resourceVersion };
  if (list.continue) meta.continue = list.continue;
  if (list.remainingItemCount !== undefined) meta.remainingItemCount = list.remainingItemCount;
  return meta;
}

export function encodeList(rt: ResourceType, list: ListResult, enc: Encoder): unknown {
  switch (enc.format.type) {
    case 'table':
      return tableFor(rt, list.items, enc, listMeta(list));
    case 'partial': {
      const v = enc.format.version;
      return new RawJSON(`{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/${v}","metadata":${JSON.stringify(listMeta(list))},"items":[${list.items.map((o) => partialMetadataJSON(o, v)).join(',')}]}`);
    }
    default:
      // items of a typed list carry no kind/apiVersion of their own
      return new RawJSON(`{"kind":"${rt.kind}List","apiVersion":"${apiVersionOf(rt)}","metadata":${JSON.stringify(listMeta(list))},"items":[${list.items.map(itemJSON).join(',')}]}`);
  }
}

export function sendJSON(res: ServerResponse, code: number, body: unknown, warnings: string[] = [], yaml = false): void {
  if (res.headersSent) return;
  const text = yaml ? toYaml(body instanceof RawJSON ? JSON.parse(body.text) : body) : toJSONText(body);
  const buf = Buffer.from(text, 'utf8');
  const headers: Record<string, string | string[] | number> = {
    'Content-Type': yaml ? 'application/yaml' : 'application/json',
    'Content-Length': buf.length,
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length) headers.Warning = [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(buf);
}

export function sendStatus(res: ServerResponse, status: Status, warnings: string[] = []): void {
  sendJSON(res, status.code ?? 500, status, warnings);
}
