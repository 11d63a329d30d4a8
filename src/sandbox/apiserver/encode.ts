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

/** the body kind-specific payloads are written as (JSON text or YAML text) */
export type Body = unknown;

function partialMetadata(obj: KObject, version: string): KObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/**
 * A Table of `items`. In a watch stream only the first event carries column definitions
 * (`noHeaders` for the rest), like kube-apiserver.
 */
export function tableFor(rt: ResourceType, items: KObject[], enc: Encoder, meta: Record<string, unknown>, noHeaders = false): object {
  const version = enc.format.type === 'table' ? enc.format.version : 'v1';
  const printer = rt.table;
  const rows = items.map((obj) => {
    const row: Record<string, unknown> = { cells: printer.cells(obj, enc.now) };
    const conditions = printer.conditions?.(obj);
    if (conditions?.length) row.conditions = conditions;
    if (enc.includeObject === 'Metadata') row.object = partialMetadata(obj, version);
    else if (enc.includeObject === 'Object') row.object = obj;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: meta,
    columnDefinitions: noHeaders ? null : printer.columns,
    rows,
  };
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
    case 'partial':
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${enc.format.version}`,
        metadata: listMeta(list),
        items: list.items.map((o) => partialMetadata(o, (enc.format as { version: string }).version)),
      };
    default:
      return {
        kind: `${rt.kind}List`,
        apiVersion: apiVersionOf(rt),
        metadata: listMeta(list),
        // items of a typed list carry no kind/apiVersion of their own
        items: list.items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest),
      };
  }
}

export function sendJSON(res: ServerResponse, code: number, body: unknown, warnings: string[] = [], yaml = false): void {
  if (res.headersSent) return;
  const text = yaml ? toYaml(body) : JSON.stringify(body);
  const headers: Record<string, string | string[] | number> = {
    'Content-Type': yaml ? 'application/yaml' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length) headers.Warning = [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: Status, warnings: string[] = []): void {
  sendJSON(res, status.code ?? 500, status, warnings);
}
