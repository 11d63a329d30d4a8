/**
 * The typed-enough API client the commands use: one loaded kubeconfig, its REST transport and the
 * discovery/REST mapper, plus the verbs (get, list, table, create, replace, patch, delete, watch)
 * addressed by an ApiResource. Non-2xx answers throw ServerError with the server's Status.
 */
import type { IncomingMessage } from 'node:http';
import { Discovery, resourcePath, type ApiResource } from '../resource/discovery.js';
import { loadConfig, type KubeconfigSelection, type LoadedConfig } from './kubeconfig.js';
import { RestClient, TABLE_ACCEPT, toServerError, type Query } from './rest.js';

export type PatchType = 'strategic' | 'merge' | 'json' | 'apply';

export const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** kubectl's --validate: Strict (default), Warn, Ignore */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  force?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

export class ApiClient {
  readonly rest: RestClient;
  readonly discovery: Discovery;

  constructor(readonly config: LoadedConfig) {
    this.rest = new RestClient(config.kc);
    this.discovery = new Discovery(this.rest);
  }

  static load(sel: KubeconfigSelection): ApiClient {
    return new ApiClient(loadConfig(sel));
  }

  /** the namespace commands default to (-n, else the context's, else default) */
  get namespace(): string {
    return this.config.namespace;
  }

  get contextName(): string {
    return this.config.contextName;
  }

  path(r: ApiResource, namespace: string | undefined, name?: string, subresource?: string): string {
    return resourcePath(r, namespace, name) + (subresource ? `/${subresource}` : '');
  }

  async get(r: ApiResource, namespace: string | undefined, name: string, query?: Query): Promise<any> {
    return this.rest.json(this.path(r, namespace, name), { query });
  }

  async list(r: ApiResource, namespace: string | undefined, opts: ListOptions = {}): Promise<any> {
    return this.rest.json(this.path(r, namespace), { query: { ...opts } });
  }

  /** A server-side Table (one object when `name` is given), with the objects embedded when asked. */
  async table(r: ApiResource, namespace: string | undefined, opts: ListOptions & { name?: string; includeObject?: 'None' | 'Metadata' | 'Object' } = {}): Promise<any> {
    const { name, includeObject, ...list } = opts;
    return this.rest.json(this.path(r, namespace, name), {
      accept: TABLE_ACCEPT,
      query: { ...(name ? {} : list), includeObject },
    });
  }

  private writeQuery(o: WriteOptions = {}): Query {
    return {
      dryRun: o.dryRun ? 'All' : undefined,
      fieldManager: o.fieldManager,
      fieldValidation: o.fieldValidation,
      force: o.force ? 'true' : undefined,
    };
  }

  async create(r: ApiResource, namespace: string | undefined, obj: unknown, o: WriteOptions = {}, subresource?: string, name?: string): Promise<any> {
    return this.rest.json(this.path(r, namespace, name, subresource), { method: 'POST', body: obj, query: this.writeQuery(o) });
  }

  async replace(r: ApiResource, namespace: string | undefined, name: string, obj: unknown, o: WriteOptions = {}, subresource?: string): Promise<any> {
    return this.rest.json(this.path(r, namespace, name, subresource), { method: 'PUT', body: obj, query: this.writeQuery(o) });
  }

  async patch(r: ApiResource, namespace: string | undefined, name: string, patch: unknown, type: PatchType, o: WriteOptions = {}, subresource?: string): Promise<any> {
    return this.rest.json(this.path(r, namespace, name, subresource), {
      method: 'PATCH',
      body: typeof patch === 'string' ? patch : JSON.stringify(patch),
      contentType: PATCH_CONTENT_TYPE[type],
      query: this.writeQuery(o),
    });
  }

  async delete(r: ApiResource, namespace: string | undefined, name: string, o: DeleteOptions = {}): Promise<any> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
    if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
    if (o.dryRun) body.dryRun = ['All'];
    if (o.preconditions) body.preconditions = o.preconditions;
    return this.rest.json(this.path(r, namespace, name), { method: 'DELETE', body });
  }

  /**
   * Watch a collection (or one object via a field selector). Calls `onEvent` per event until the
   * server ends the stream or `signal` aborts; resolves then. Table watches send the Table accept.
   */
  async watch(
    r: ApiResource,
    namespace: string | undefined,
    opts: ListOptions & { table?: boolean; includeObject?: 'None' | 'Metadata' | 'Object'; allowWatchBookmarks?: boolean },
    onEvent: (ev: WatchEvent) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const { table, includeObject, allowWatchBookmarks, ...list } = opts;
    let res: IncomingMessage;
    try {
      res = await this.rest.open(this.path(r, namespace), {
        accept: table ? TABLE_ACCEPT : 'application/json',
        query: { ...list, watch: 'true', includeObject, allowWatchBookmarks: allowWatchBookmarks ? 'true' : undefined },
        signal,
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      throw e;
    }
    if ((res.statusCode ?? 0) >= 300) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      throw toServerError({ status: res.statusCode ?? 0, headers: res.headers, body, text: () => body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) });
    }
    let buf = '';
    try {
      for await (const chunk of res) {
        buf += (chunk as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) onEvent(JSON.parse(line) as WatchEvent);
        }
      }
    } catch (e) {
      if ((e as Error).name === 'AbortError' || signal?.aborted) return;
      throw e;
    }
  }
}
