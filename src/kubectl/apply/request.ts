/**
 * PATCH requests of apply / patch / edit. (The server's `Warning` headers are printed by the shared
 * REST layer, client/warnings.ts.)
 */
import type { ApiClient, PatchType, WriteOptions } from '../client/api.js';
import type { ApiResource } from '../resource/discovery.js';

export interface PatchRequest {
  resource: ApiResource;
  namespace?: string;
  name: string;
  body: string;
  type: PatchType;
  options?: WriteOptions;
  subresource?: string;
}

export async function sendPatch(client: ApiClient, req: PatchRequest): Promise<any> {
  const ns = req.resource.namespaced ? req.namespace : undefined;
  return client.patch(req.resource, ns, req.name, req.body, req.type, req.options ?? {}, req.subresource);
}
