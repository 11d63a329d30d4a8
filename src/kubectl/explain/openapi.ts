/**
 * The server's OpenAPI v3 documents, as kubectl explain reads them: the `/openapi/v3` index (one entry
 * per group/version, each with a content-hashed URL), then the group/version's document. Documents are
 * parsed once and kept in memory per server and URL — the hash in the URL changes when the content
 * does, so a cached document is never stale; the small index is fetched on every use.
 */
import type { RestClient } from '../client/rest.js';
import { toServerError } from '../client/rest.js';

export interface OpenApiIndex {
  /** "api/v1", "apis/apps/v1" … → server-relative URL of the document */
  paths: Record<string, string>;
}

const docs = new Map<string, Promise<Record<string, any>>>();
const MAX_DOCS = 64;

/** the `/openapi/v3` index, or undefined when the server does not serve OpenAPI v3 */
export async function openApiIndex(rest: RestClient): Promise<OpenApiIndex | undefined> {
  const res = await rest.raw('/openapi/v3');
  if (res.status !== 200) return undefined;
  let body: any;
  try {
    body = res.json();
  } catch {
    return undefined;
  }
  const paths: Record<string, string> = {};
  for (const [k, v] of Object.entries<any>(body?.paths ?? {})) {
    if (typeof v?.serverRelativeURL === 'string') paths[k] = v.serverRelativeURL;
  }
  return { paths };
}

/** one group/version's document, parsed (cached per server and URL) */
export function openApiDocument(rest: RestClient, serverRelativeURL: string): Promise<Record<string, any>> {
  const key = `${rest.server} ${serverRelativeURL}`;
  const hit = docs.get(key);
  if (hit) return hit;
  const p = (async () => {
    const res = await rest.raw(serverRelativeURL);
    if (res.status !== 200) throw toServerError(res);
    return res.json<Record<string, any>>();
  })();
  if (docs.size >= MAX_DOCS) docs.delete(docs.keys().next().value!);
  docs.set(key, p);
  p.catch(() => docs.delete(key));
  return p;
}
