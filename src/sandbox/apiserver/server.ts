/**
 * The HTTPS front of the sandbox API server: authentication, routing and encoding only.
 * Everything about resources lives in rest.ts and the store.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Registry } from '../registry/index.js';
import {
  aggregatedDiscovery, AGGREGATED_V2, AGGREGATED_V2BETA1, apiGroup, apiGroupList, apiResourceList, apiVersions,
  negotiateAggregated, subresourcesOf,
} from './discovery.js';
import { errors, StatusError } from './errors.js';
import { sendJSON, sendStatus } from './encode.js';
import { openapiV3DocumentJSON, openapiV3Index, type OpenAPIResource } from './openapi/index.js';
import { handleResource, type RestContext } from './rest.js';
import { rejectUpgrade } from './streaming/common.js';

/** exec, attach, port-forward and logs: loaded on the first such request, not at boot */
const streaming = () => import('./streaming/index.js');
import type { ContainerRuntime } from '../kubelet/runtime.js';
import type { Store } from './store.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '33',
  emulationMajor: '1',
  emulationMinor: '33',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '32',
  gitVersion: 'v1.33.1',
  gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T08:19:08Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface ApiServerOptions {
  store: Store;
  registry: Registry;
  token: string;
  cert: string;
  key: string;
  /** the node agents behind pods/log, exec, attach and portforward (kube-apiserver → kubelet) */
  runtime?: () => ContainerRuntime | undefined;
  /** extra handlers (e.g. sandbox controls) tried before 404 */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;
}

export class ApiServer {
  private server: Server;
  private sockets = new Set<Socket>();
  private readonly token: Buffer;
  private readonly ctx: RestContext;
  port = 0;

  constructor(private readonly opts: ApiServerOptions) {
    this.token = Buffer.from(`Bearer ${opts.token}`);
    this.ctx = { store: opts.store, now: () => Date.now() };
    this.server = createServer({ cert: opts.cert, key: opts.key, ALPNProtocols: ['http/1.1'] }, (req, res) => {
      this.handle(req, res).catch((err) => this.fail(res, err));
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {});
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    this.server.on('tlsClientError', () => {});
    this.server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** listen on 127.0.0.1 only */
  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  /** exec / attach / portforward: websocket or SPDY upgrades, answered by the kubelet's runtime */
  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on('error', () => {});
    if (!this.authorized(req)) return rejectUpgrade(socket, errors.unauthorized());
    // until a listener reads it, what the client sends next waits in the socket
    void streaming().then(({ handleUpgrade, isStreamingUpgrade }) => {
      const target = isStreamingUpgrade(req);
      const runtime = this.opts.runtime?.();
      if (!target || !runtime) return rejectUpgrade(socket, errors.pathNotFound());
      const pods = this.opts.registry.forKind('', 'Pod')!;
      const query = new URL(req.url ?? '/', 'https://127.0.0.1').searchParams;
      handleUpgrade(req, socket, head, { ...target, query, object: this.opts.store.tryGet(pods, target.namespace, target.pod) }, runtime);
    });
  }

  private authorized(req: IncomingMessage): boolean {
    const h = req.headers.authorization;
    if (!h) return false;
    const got = Buffer.from(h);
    return got.length === this.token.length && timingSafeEqual(got, this.token);
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (err instanceof StatusError) {
      if (!res.headersSent) sendStatus(res, err.status);
      else res.end();
      return;
    }
    console.error('apiserver: internal error:', err);
    if (!res.headersSent) sendStatus(res, errors.internal(String((err as Error)?.message ?? err)).status);
    else res.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => {});
    res.on('error', () => {});
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'https://127.0.0.1');
    } catch {
      throw errors.badRequest('malformed request URL');
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';
    // health checks are open (kube-apiserver allows them anonymously)
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('ok');
      return;
    }
    if (!this.authorized(req)) {
      req.resume();
      sendStatus(res, errors.unauthorized().status);
      return;
    }
    if (this.opts.extraRoutes && (await this.opts.extraRoutes(req, res, url))) return;
    const method = req.method ?? 'GET';
    if (path === '/version') {
      if (method !== 'GET') throw errors.methodNotAllowed();
      return sendJSON(res, 200, SERVER_VERSION);
    }
    if (path === '/api' || path === '/apis') return this.discovery(req, res, path);
    if (path === '/openapi/v2') {
      // an empty protobuf Document: enough for kubectl 1.27/1.28 to proceed to v3
      res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': 0 });
      res.end();
      return;
    }
    if (path === '/openapi/v3') return sendJSON(res, 200, openapiV3Index(this.groupVersions(), (gv) => this.openapiResources(gv.startsWith('api') ? gv : (gv.includes('/') ? `apis/${gv}` : `api/${gv}`)) ?? []));
    if (path.startsWith('/openapi/v3/')) {
      const gv = path.slice('/openapi/v3/'.length);
      const resources = this.openapiResources(gv);
      if (!resources) throw errors.pathNotFound();
      const { body, etag } = openapiV3DocumentJSON(gv.replace(/^apis?\//, ''), resources);
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag });
        res.end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'application/json', 'Content-Length': body.length, ETag: etag,
        'Cache-Control': url.searchParams.get('hash') ? 'public, immutable' : 'no-cache, private',
      });
      res.end(body);
      return;
    }
    const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (segs[0] === 'api' && segs.length >= 2) return this.routeGroupVersion(req, res, url, '', segs[1], segs.slice(2));
    if (segs[0] === 'apis' && segs.length === 2) {
      const g = this.opts.registry.groups().find((x) => x.group === segs[1]);
      if (!g || !g.group) throw errors.pathNotFound();
      return sendJSON(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.group, g.versions) });
    }
    if (segs[0] === 'apis' && segs.length >= 3) return this.routeGroupVersion(req, res, url, segs[1], segs[2], segs.slice(3));
    throw errors.pathNotFound();
  }

  private discovery(req: IncomingMessage, res: ServerResponse, path: string): void {
    const core = path === '/api';
    const agg = negotiateAggregated(req.headers.accept);
    if (agg) {
      const body = JSON.stringify(aggregatedDiscovery(this.opts.registry, core, agg));
      res.writeHead(200, {
        'Content-Type': agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1,
        'Content-Length': Buffer.byteLength(body),
        Vary: 'Accept',
        'Cache-Control': 'no-cache, private',
      });
      res.end(body);
      return;
    }
    const addr = `127.0.0.1:${this.port}`;
    return sendJSON(res, 200, core ? apiVersions(addr) : apiGroupList(this.opts.registry));
  }

  private async routeGroupVersion(req: IncomingMessage, res: ServerResponse, url: URL, group: string, version: string, rest: string[]): Promise<void> {
    const registry = this.opts.registry;
    if (!rest.length) {
      const list = apiResourceList(registry, group, version);
      if (!list) throw errors.pathNotFound();
      return sendJSON(res, 200, list);
    }
    let namespace: string | undefined;
    let parts = rest;
    if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
      namespace = rest[1];
      parts = rest.slice(2);
    }
    const [plural, name, subresource, ...extra] = parts;
    if (group === '' && plural === 'pods' && namespace && name && !extra.length) {
      if (subresource === 'log') {
        const runtime = this.opts.runtime?.();
        if (!runtime) throw errors.pathNotFound();
        const pods = registry.forKind('', 'Pod')!;
        return (await streaming()).handleLog(req, res, { namespace, pod: name, query: url.searchParams, object: this.opts.store.tryGet(pods, namespace, name) }, runtime);
      }
      if (subresource === 'exec' || subresource === 'attach' || subresource === 'portforward') {
        throw errors.badRequest('Upgrade request required');
      }
    }
    const rt = registry.lookup(group, version, plural);
    if (!rt || extra.length) throw errors.pathNotFound();
    if (namespace !== undefined && !rt.namespaced) throw errors.pathNotFound();
    if (rt.namespaced && name && namespace === undefined) throw errors.pathNotFound();
    const warnings: string[] = [];
    await handleResource(req, res, { rt, namespace, name, subresource, query: url.searchParams }, this.ctx, warnings);
  }

  private groupVersions(): string[] {
    return this.opts.registry.groups().flatMap((g) => g.versions.map((v) => (g.group ? `apis/${g.group}/${v}` : `api/${v}`)));
  }

  private openapiResources(path: string): OpenAPIResource[] | undefined {
    const m = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (!m) return undefined;
    const group = m[1] ? '' : m[2];
    const version = m[1] ?? m[3];
    const rts = this.opts.registry.inGroupVersion(group, version);
    if (!rts.length) {
      // the autoscaling/v1 Scale schema is served under its own group-version
      if (group === 'autoscaling' && version === 'v1') return [];
      return undefined;
    }
    return rts.map((rt) => ({
      group: rt.group, version: rt.version, kind: rt.kind, plural: rt.plural, namespaced: rt.namespaced,
      subresources: subresourcesOf(rt).map((s) => s.name),
    }));
  }
}
