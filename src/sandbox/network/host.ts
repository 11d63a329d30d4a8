/**
 * The host side of the network, like Docker Desktop's: real HTTP listeners bound to 127.0.0.1
 * only, so `curl localhost:8080` on the learner's machine reaches a pod.
 *
 * - a LoadBalancer Service, once the service controller gave it an address, listens on
 *   127.0.0.1:<port> for each port;
 * - NodePort and LoadBalancer Services listen on 127.0.0.1:<nodePort>;
 * - the ingress controller listens on 127.0.0.1:80 while there is an Ingress it handles; when 80
 *   cannot be bound (busy, or a non-root user) it takes a free high port and writes it to the
 *   Ingress annotation `kube-tutor.dev/ingress-address` (e.g. `http://localhost:41234`). It also
 *   sets `status.loadBalancer.ingress: [{hostname: localhost}]` (ADDRESS `localhost`);
 * - it serves HTTPS on 127.0.0.1:443 the same way (a free high port otherwise, written to
 *   `kube-tutor.dev/ingress-https-address` on Ingresses with `spec.tls`), presenting the TLS
 *   Secret of the `spec.tls` entry matching the SNI name, or its self-signed default certificate.
 *
 * A port that cannot be bound is skipped (see `failures`). Listeners close when the Service goes
 * away and when the sandbox stops. The sandbox never dials out: these servers only answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { selfSignedCertificate } from '../tls.js';
import type { StoreEvent } from '../apiserver/store.js';
import type { KObject } from '../apiserver/types.js';
import type { Component } from '../controllers/context.js';
import { NetError, type HttpReply } from '../kubelet/programs/net.js';
import { handledIngresses, ingressRequest, INGRESS_HOSTNAME, tlsCertificateFor } from './ingress.js';
import type { Network } from './network.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const INGRESS_ADDRESS_ANNOTATION = 'kube-tutor.dev/ingress-address';
/** where the ingress controller's HTTPS listener is when it is not on 443 (Ingresses with `spec.tls`) */
export const INGRESS_HTTPS_ADDRESS_ANNOTATION = 'kube-tutor.dev/ingress-https-address';
/** ingress-nginx's default certificate (served when no TLS Secret matches the SNI name) */
export const FAKE_CERT_CN = 'Kubernetes Ingress Controller Fake Certificate';
const FIELD_MANAGER = 'kube-tutor-ingress-controller';

type Route = { kind: 'service'; namespace: string; name: string; port: number } | { kind: 'ingress' } | { kind: 'ingress-tls' };

const routeKey = (r: Route) => (r.kind === 'service' ? `svc/${r.namespace}/${r.name}/${r.port}` : r.kind);

interface Bound {
  route: Route;
  server: Server;
  /** the port actually bound (ingress may fall back) */
  port: number;
}

export interface HostSideOptions {
  /** bind real sockets (default true); false: only `handle()` (tests of routing) */
  listen?: boolean;
  /** the ports the ingress listener tries first (default [80]) */
  ingressPorts?: number[];
  /** the ports the ingress controller's HTTPS listener tries first (default [443]) */
  ingressTlsPorts?: number[];
}

export class HostSide implements Component {
  /** wanted port → bound listener */
  private readonly bound = new Map<number, Bound>();
  private readonly binding = new Set<number>();
  /** ports that could not be bound, with the error code (EADDRINUSE, EACCES) */
  readonly failures = new Map<number, string>();
  private readonly unsubscribe: () => void;
  private scheduled = false;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  /** the default certificate (made on first HTTPS use) and the Secrets' contexts by uid@resourceVersion */
  private fakeCert: { cert: string; key: string } | undefined;
  private readonly contexts = new Map<string, SecureContext>();

  constructor(private readonly net: Network, private readonly opts: HostSideOptions = {}) {
    this.unsubscribe = net.ctx.store.subscribe((e) => this.onEvent(e));
    this.schedule();
  }

  private onEvent(e: StoreEvent): void {
    const k = e.rt.kind;
    if (k === 'Service' || k === 'Ingress' || k === 'IngressClass') this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.running = this.running.then(() => this.reconcile()).catch((err) => console.error('host network:', (err as Error).message ?? err));
    });
  }

  /** resolves when pending reconciles are done (tests) */
  async idle(): Promise<void> {
    await this.running;
  }

  /** the real port a wanted port is served on (ingress may differ) */
  portOf(wanted: number): number | undefined {
    return this.bound.get(wanted)?.port;
  }

  /** the ports that should be open now */
  desired(): Map<number, Route> {
    const want = new Map<number, Route>();
    for (const svc of this.net.services()) {
      const type = svc.spec?.type;
      if (type !== 'LoadBalancer' && type !== 'NodePort') continue;
      const ns = svc.metadata.namespace!;
      const name = svc.metadata.name!;
      for (const sp of svc.spec?.ports ?? []) {
        if ((sp.protocol ?? 'TCP') !== 'TCP') continue;
        if (sp.nodePort && !want.has(sp.nodePort)) want.set(sp.nodePort, { kind: 'service', namespace: ns, name, port: sp.port });
      }
      if (type === 'LoadBalancer' && (svc.status?.loadBalancer?.ingress ?? []).length) {
        for (const sp of svc.spec?.ports ?? []) {
          if ((sp.protocol ?? 'TCP') === 'TCP' && !want.has(sp.port)) want.set(sp.port, { kind: 'service', namespace: ns, name, port: sp.port });
        }
      }
    }
    if (handledIngresses(this.net).length) {
      const p = (this.opts.ingressPorts ?? [80])[0];
      if (!want.has(p)) want.set(p, { kind: 'ingress' });
      const tp = (this.opts.ingressTlsPorts ?? [443])[0];
      if (!want.has(tp)) want.set(tp, { kind: 'ingress-tls' });
    }
    return want;
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const want = this.desired();
    for (const [port, b] of [...this.bound]) {
      const w = want.get(port);
      if (!w || routeKey(w) !== routeKey(b.route)) {
        this.bound.delete(port);
        closeServer(b.server);
      }
    }
    for (const port of [...this.failures.keys()]) if (!want.has(port)) this.failures.delete(port);
    if (this.opts.listen !== false) {
      for (const [port, route] of want) {
        if (this.bound.has(port) || this.binding.has(port) || this.failures.has(port)) continue;
        await this.bind(port, route);
      }
    }
    await this.updateIngresses();
  }

  private async bind(port: number, route: Route): Promise<void> {
    this.binding.add(port);
    try {
      const tries = route.kind === 'ingress' ? [...(this.opts.ingressPorts ?? [80]), 0]
        : route.kind === 'ingress-tls' ? [...(this.opts.ingressTlsPorts ?? [443]), 0] : [port];
      for (const p of tries) {
        const server = route.kind === 'ingress-tls' ? this.httpsServer(route) : createServer((req, res) => this.serve(route, req, res));
        const got = await listenOn(server, p);
        if (typeof got === 'number') {
          if (this.stopped) {
            closeServer(server);
            return;
          }
          this.bound.set(port, { route, server, port: got });
          this.failures.delete(port);
          return;
        }
        this.failures.set(port, got);
      }
    } finally {
      this.binding.delete(port);
    }
  }

  /** the ingress controller's HTTPS server: the certificate by SNI (the Ingress's TLS Secret, else the fake one) */
  private httpsServer(route: Route): Server {
    const fake = this.defaultCertificate();
    const fallback = createSecureContext({ cert: fake.cert, key: fake.key });
    return createHttpsServer({
      cert: fake.cert, key: fake.key,
      SNICallback: (servername, cb) => cb(null, this.contextFor(servername) ?? fallback),
    }, (req, res) => this.serve(route, req, res)) as unknown as Server;
  }

  /** the default certificate, as ingress-nginx's (O=Acme Co, CN=…Fake Certificate, SAN ingress.local) */
  defaultCertificate(): { cert: string; key: string } {
    this.fakeCert ??= selfSignedCertificate({ commonName: FAKE_CERT_CN, organization: 'Acme Co', dnsNames: ['ingress.local'], now: this.net.ctx.clock.now() });
    return this.fakeCert;
  }

  /** the TLS context for an SNI name from the matching Ingress TLS Secret (undefined: use the default) */
  private contextFor(servername: string): SecureContext | undefined {
    const m = tlsCertificateFor(this.net, servername);
    if (!m) return undefined;
    let ctx = this.contexts.get(m.id);
    if (!ctx) {
      try {
        ctx = createSecureContext({ cert: m.cert, key: m.key });
      } catch {
        return undefined; // not a usable certificate/key pair: the controller falls back to its default
      }
      if (this.contexts.size > 64) this.contexts.clear();
      this.contexts.set(m.id, ctx);
    }
    return ctx;
  }

  /** ingress status and (when not on its usual ports) the address annotations */
  private async updateIngresses(): Promise<void> {
    const rt = this.net.ctx.registry.forKind('networking.k8s.io', 'Ingress');
    if (!rt) return;
    const want = (this.opts.ingressPorts ?? [80])[0];
    const actual = this.portOf(want);
    const address = actual !== undefined && actual !== want ? `http://localhost:${actual}` : undefined;
    const wantTls = (this.opts.ingressTlsPorts ?? [443])[0];
    const actualTls = this.portOf(wantTls);
    const tlsAddress = actualTls !== undefined && actualTls !== wantTls ? `https://localhost:${actualTls}` : undefined;
    for (const ing of handledIngresses(this.net)) {
      const ns = ing.metadata.namespace!;
      const name = ing.metadata.name!;
      try {
        const lb = ing.status?.loadBalancer?.ingress ?? [];
        if (!(lb.length === 1 && lb[0].hostname === INGRESS_HOSTNAME)) {
          await this.net.ctx.store.guaranteedUpdate(rt, ns, name, (cur) => (cur.metadata.uid !== ing.metadata.uid ? cur : {
            ...cur, status: { ...(cur.status ?? {}), loadBalancer: { ingress: [{ hostname: INGRESS_HOSTNAME }] } },
          }), { subresource: 'status', fieldManager: FIELD_MANAGER });
        }
        const curAnn = ing.metadata.annotations?.[INGRESS_ADDRESS_ANNOTATION];
        const curTls = ing.metadata.annotations?.[INGRESS_HTTPS_ADDRESS_ANNOTATION];
        const wantTlsAnn = (ing.spec?.tls ?? []).length ? tlsAddress : undefined;
        const httpChange = curAnn !== address && actual !== undefined;
        const tlsChange = curTls !== wantTlsAnn && (actualTls !== undefined || wantTlsAnn === undefined);
        if (this.opts.listen !== false && (httpChange || tlsChange)) {
          await this.net.ctx.store.guaranteedUpdate(rt, ns, name, (cur) => {
            if (cur.metadata.uid !== ing.metadata.uid) return cur;
            const annotations: Record<string, string> = { ...(cur.metadata.annotations ?? {}) };
            if (httpChange) {
              if (address) annotations[INGRESS_ADDRESS_ANNOTATION] = address;
              else delete annotations[INGRESS_ADDRESS_ANNOTATION];
            }
            if (tlsChange) {
              if (wantTlsAnn) annotations[INGRESS_HTTPS_ADDRESS_ANNOTATION] = wantTlsAnn;
              else delete annotations[INGRESS_HTTPS_ADDRESS_ANNOTATION];
            }
            return { ...cur, metadata: { ...cur.metadata, annotations } };
          }, { fieldManager: FIELD_MANAGER });
        }
      } catch (err) {
        if ((err as { code?: number }).code !== 404 && (err as { code?: number }).code !== 409) throw err;
      }
    }
  }

  /**
   * Serve a request arriving at 127.0.0.1:<port> on the host (what the real listeners call).
   * Throws NetError when the connection would be dropped or reset.
   */
  handle(port: number, req: { method: string; path: string; headers: [string, string][]; body?: string; https?: boolean }): HttpReply {
    const route = this.desired().get(port) ?? [...this.bound.values()].find((b) => b.port === port)?.route;
    if (!route) throw new NetError('ECONNREFUSED', 'localhost', '127.0.0.1', port);
    return this.route(route, req);
  }

  private route(route: Route, req: { method: string; path: string; headers: [string, string][]; body?: string; https?: boolean }): HttpReply {
    if (route.kind !== 'service') {
      return ingressRequest(this.net, { ...req, https: route.kind === 'ingress-tls' || !!req.https, clientIP: this.net.gatewayOf(undefined) });
    }
    const svc = this.net.ctx.store.tryGet(this.net.rt.svc, route.namespace, route.name);
    const sp = (svc?.spec?.ports ?? []).find((p: Json) => p.port === route.port);
    if (!svc || !sp) throw new NetError('ECONNRESET', 'localhost', '127.0.0.1', route.port);
    const t = this.net.viaService(svc, sp, '127.0.0.1', 'localhost', { snat: true, nodeName: svc.spec?.externalTrafficPolicy === 'Local' ? firstEndpointNode(this.net, svc, sp) : undefined });
    return this.net.exchange(t, req);
  }

  private serve(route: Route, req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      const body = chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
      let reply: HttpReply;
      try {
        reply = this.route(route, { method: req.method ?? 'GET', path: req.url ?? '/', headers, body });
      } catch (err) {
        if (!(err instanceof NetError)) console.error('host network:', (err as Error).message ?? err);
        // nothing behind the port: the connection is reset (curl: (52) Empty reply from server)
        res.destroy();
        return;
      }
      const out: Record<string, string> = {};
      for (const [k, v] of reply.headers) {
        if (k.toLowerCase() === 'transfer-encoding' || k.toLowerCase() === 'connection') continue;
        out[k] = v;
      }
      const send = () => {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(reply.status, reply.statusText, out);
        res.end(req.method === 'HEAD' ? undefined : reply.body);
      };
      // a slow program answers after its delay on the sandbox clock (never: the client gives up)
      const delay = reply.delayMs ?? 0;
      if (delay <= 0) send();
      else if (Number.isFinite(delay)) this.net.ctx.clock.after(delay, send);
    });
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const b of this.bound.values()) closeServer(b.server);
    this.bound.clear();
  }
}

function firstEndpointNode(net: Network, svc: KObject, sp: Json): string | undefined {
  return net.endpoints(svc, sp)[0]?.nodeName;
}

function listenOn(server: Server, port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.removeListener('listening', onListening);
      resolve(err.code ?? 'EUNKNOWN');
    };
    const onListening = () => {
      server.removeListener('error', onError);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host: '127.0.0.1', exclusive: true });
  });
}

function closeServer(server: Server): void {
  server.close();
  server.closeAllConnections();
}
