/**
 * The virtual cluster network: cluster DNS (CoreDNS's answers), kube-proxy's service routing
 * (ClusterIP and NodePort → a ready endpoint, random or sticky by client IP with
 * `sessionAffinity: ClientIP`) and pod-to-pod connections to the programs' simulated listeners.
 * Nothing here touches the host network; host-side listeners live in host.ts.
 *
 * Rules it follows (iptables-mode kube-proxy):
 * - a ClusterIP answers only on its service ports; another port times out, ping gets no reply;
 * - a service port with no ready endpoint is rejected (connection refused);
 * - an endpoint port where nothing listens is refused by the pod;
 * - addresses outside the cluster (no outbound traffic) time out.
 */
import { STATUS_CODES } from 'node:http';
import type { ResourceType } from '../apiserver/resource.js';
import type { KObject } from '../apiserver/types.js';
import { formatIPv4, parseCidr } from '../bootstrap/net.js';
import type { Component, ControllerContext } from '../controllers/context.js';
import { findListener, type HttpHandler, type SimRequest } from '../kubelet/listeners.js';
import {
  NetError, type ContainerNet, type DnsAnswer, type HttpReply, type NetFlavor, type NetRequest,
} from '../kubelet/programs/net.js';
import { CLUSTER_DOMAIN, dnsSettings, hostsFile, parseHosts } from './pods.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const DEFAULT_AFFINITY_SECONDS = 10800;

export interface Endpoint {
  ip: string;
  port: number;
  nodeName?: string;
}

/** where a connection ends up */
export interface Target {
  handler: HttpHandler;
  ip: string;
  port: number;
  /** the client address the program sees */
  remoteAddress: string;
}

export interface RequestOptions {
  method?: string;
  headers?: [string, string][] | Record<string, string>;
  body?: string;
  /** the client's namespace (for DNS search), default `default` */
  namespace?: string;
}

const isIPv4 = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s);

const registry = new WeakMap<object, Network>();

/** the network of a sandbox (created on first use; `startNetwork` adds the host side) */
export function networkFor(ctx: ControllerContext): Network {
  let n = registry.get(ctx.store);
  if (!n) {
    n = new Network(ctx);
    registry.set(ctx.store, n);
  }
  return n;
}

export class Network implements Component {
  readonly rt: { svc: ResourceType; pod: ResourceType; node: ResourceType; slice?: ResourceType; ep?: ResourceType };
  private readonly affinity = new Map<string, { ep: Endpoint; at: number }>();

  constructor(readonly ctx: ControllerContext) {
    const r = ctx.registry;
    this.rt = {
      svc: r.forKind('', 'Service')!, pod: r.forKind('', 'Pod')!, node: r.forKind('', 'Node')!,
      slice: r.forKind('discovery.k8s.io', 'EndpointSlice'), ep: r.forKind('', 'Endpoints'),
    };
  }

  stop(): void {
    this.affinity.clear();
  }

  // ---------------------------------------------------------------- lookups

  services(namespace?: string): KObject[] {
    return this.ctx.store.list(this.rt.svc, namespace).items;
  }

  serviceByIP(ip: string): KObject | undefined {
    return this.services().find((s) => s.spec?.clusterIP === ip || (s.spec?.clusterIPs ?? []).includes(ip));
  }

  nodes(): KObject[] {
    return this.ctx.store.list(this.rt.node, undefined).items;
  }

  nodeIP(node: KObject): string | undefined {
    return (node.status?.addresses ?? []).find((a: Json) => a.type === 'InternalIP')?.address;
  }

  /** the pod-network gateway of a node (the source address of SNATed traffic) */
  gatewayOf(nodeName: string | undefined): string {
    const node = nodeName ? this.ctx.store.tryGet(this.rt.node, undefined, nodeName) : this.nodes()[0];
    const cidr = node?.spec?.podCIDR;
    return cidr ? formatIPv4((parseCidr(cidr).base + 1) >>> 0) : (node ? this.nodeIP(node) ?? '10.244.0.1' : '10.244.0.1');
  }

  podByIP(ip: string): KObject | undefined {
    return this.ctx.store.list(this.rt.pod, undefined).items.find((p) => p.status?.podIP === ip && !p.spec?.hostNetwork && p.status?.phase === 'Running');
  }

  get clusterDNS(): string {
    return this.ctx.store.tryGet(this.rt.svc, 'kube-system', 'kube-dns')?.spec?.clusterIP ?? '10.96.0.10';
  }

  /** ready endpoints of one service port, from its EndpointSlices (Endpoints when there are none) */
  endpoints(svc: KObject, sp: Json, includeNotReady = false): Endpoint[] {
    const ns = svc.metadata.namespace!;
    const name = svc.metadata.name!;
    const out: Endpoint[] = [];
    const seen = new Set<string>();
    const add = (e: Endpoint) => {
      const k = `${e.ip}:${e.port}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(e);
      }
    };
    const pname = sp?.name ?? '';
    const slices = this.rt.slice ? this.ctx.store.list(this.rt.slice, ns).items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name) : [];
    if (slices.length) {
      for (const s of slices) {
        if (s.addressType && s.addressType !== 'IPv4') continue;
        const port = (s.ports ?? []).find((p: Json) => (p.name ?? '') === pname);
        if (sp && (!port || port.port == null)) continue;
        for (const e of s.endpoints ?? []) {
          if (!includeNotReady && e.conditions?.ready === false) continue;
          for (const ip of e.addresses ?? []) add({ ip, port: port?.port ?? 0, nodeName: e.nodeName });
        }
      }
      return out;
    }
    const ep = this.rt.ep ? this.ctx.store.tryGet(this.rt.ep, ns, name) : undefined;
    for (const sub of ep?.subsets ?? []) {
      const port = (sub.ports ?? []).find((p: Json) => (p.name ?? '') === pname);
      if (sp && !port) continue;
      const addrs = [...(sub.addresses ?? []), ...(includeNotReady ? sub.notReadyAddresses ?? [] : [])];
      for (const a of addrs) add({ ip: a.ip, port: port?.port ?? 0, nodeName: a.nodeName });
    }
    return out;
  }

  // ---------------------------------------------------------------- DNS

  /** what the cluster DNS answers for an absolute name (undefined: NXDOMAIN) */
  dns(fqdn: string, depth = 0): DnsAnswer | undefined {
    const name = fqdn.toLowerCase().replace(/\.$/, '');
    const svcSuffix = `.svc.${CLUSTER_DOMAIN}`;
    const podSuffix = `.pod.${CLUSTER_DOMAIN}`;
    if (name.endsWith('.in-addr.arpa')) {
      const ip = name.slice(0, -'.in-addr.arpa'.length).split('.').reverse().join('.');
      const svc = this.serviceByIP(ip);
      if (svc) return { name, cname: `${svc.metadata.name}.${svc.metadata.namespace}${svcSuffix}`, addresses: [] };
      const pod = this.podByIP(ip);
      if (pod) return { name, cname: `${ip.replace(/\./g, '-')}.${pod.metadata.namespace}${podSuffix}`, addresses: [] };
      return undefined;
    }
    if (name.endsWith(podSuffix)) {
      const parts = name.slice(0, -podSuffix.length).split('.');
      if (parts.length !== 2) return undefined;
      const ip = parts[0].replace(/-/g, '.');
      return isIPv4(ip) ? { name, addresses: [ip] } : undefined;
    }
    if (!name.endsWith(svcSuffix)) return undefined;
    const parts = name.slice(0, -svcSuffix.length).split('.');
    if (parts.length === 2) {
      const [sname, ns] = parts;
      const svc = this.ctx.store.tryGet(this.rt.svc, ns, sname);
      if (!svc) return undefined;
      if (svc.spec?.type === 'ExternalName') {
        const target = String(svc.spec.externalName ?? '').replace(/\.$/, '');
        const next = depth < 5 ? this.dns(target, depth + 1) : undefined;
        return { name, cname: target, addresses: next?.addresses ?? [] };
      }
      const ip = svc.spec?.clusterIP;
      if (ip && ip !== 'None') return { name, addresses: [ip] };
      const ips = [...new Set(this.endpoints(svc, undefined, svc.spec?.publishNotReadyAddresses === true).map((e) => e.ip))];
      return ips.length ? { name, addresses: ips } : undefined;
    }
    if (parts.length === 3) {
      // <hostname>.<headless service>.<ns>: a pod with hostname/subdomain (StatefulSets)
      const [host, sname, ns] = parts;
      const svc = this.ctx.store.tryGet(this.rt.svc, ns, sname);
      if (!svc) return undefined;
      const pods = this.ctx.store.list(this.rt.pod, ns).items.filter((p) => p.spec?.subdomain === sname && (p.spec?.hostname ?? p.metadata.name) === host && p.status?.podIP);
      if (pods.length) return { name, addresses: [pods[0].status.podIP] };
      const dashed = host.replace(/-/g, '.');
      if (isIPv4(dashed) && this.endpoints(svc, undefined).some((e) => e.ip === dashed)) return { name, addresses: [dashed] };
    }
    return undefined;
  }

  /** resolve like a pod's resolver: /etc/hosts, then the search path (ndots) */
  lookup(name: string, opts: { hosts?: [string, string[]][]; searches?: string[]; ndots?: number; cluster?: boolean }): DnsAnswer | undefined {
    const n = name.toLowerCase();
    if (isIPv4(n)) return { name: n, addresses: [n], fromHosts: true };
    for (const [ip, names] of opts.hosts ?? [['127.0.0.1', ['localhost']]]) {
      if (names.some((x) => x.toLowerCase() === n.replace(/\.$/, ''))) return { name: n.replace(/\.$/, ''), addresses: [ip], fromHosts: true };
    }
    if (opts.cluster === false) return undefined;
    const searches = opts.searches ?? [];
    const ndots = opts.ndots ?? 5;
    let candidates: string[];
    if (n.endsWith('.')) candidates = [n];
    else {
      const dots = n.split('.').length - 1;
      candidates = dots >= ndots ? [n, ...searches.map((s) => `${n}.${s}`)] : [...searches.map((s) => `${n}.${s}`), n];
    }
    for (const c of candidates) {
      const a = this.dns(c);
      if (a) return a;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- routing

  private pick(svc: KObject, sp: Json, eps: Endpoint[], clientIP: string): Endpoint {
    if (svc.spec?.sessionAffinity === 'ClientIP') {
      const key = `${svc.metadata.uid}/${sp.port}/${clientIP}`;
      const timeout = (svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000;
      const now = this.ctx.clock.now();
      const cur = this.affinity.get(key);
      if (cur && now - cur.at <= timeout && eps.some((e) => e.ip === cur.ep.ip && e.port === cur.ep.port)) {
        cur.at = now;
        return cur.ep;
      }
      const ep = eps[Math.floor(this.ctx.random() * eps.length)];
      this.affinity.set(key, { ep, at: now });
      return ep;
    }
    return eps[Math.floor(this.ctx.random() * eps.length)];
  }

  /** kube-proxy for one service port: pick a ready endpoint and connect to it */
  viaService(svc: KObject, sp: Json, clientIP: string, host: string, opts: { nodeName?: string; snat?: boolean } = {}): Target {
    let eps = this.endpoints(svc, sp);
    if (opts.nodeName && svc.spec?.externalTrafficPolicy === 'Local') {
      eps = eps.filter((e) => e.nodeName === opts.nodeName);
      if (!eps.length) throw new NetError('ETIMEDOUT', host, svc.spec?.clusterIP, sp.port);
    }
    if (!eps.length) throw new NetError('ECONNREFUSED', host, svc.spec?.clusterIP, sp.port);
    const ep = this.pick(svc, sp, eps, clientIP);
    const remote = opts.snat ? this.gatewayOf(ep.nodeName) : clientIP;
    return this.toPod(ep.ip, ep.port, remote, host);
  }

  /** a direct connection to a pod (or hostNetwork) address */
  toPod(ip: string, port: number, remoteAddress: string, host: string): Target {
    const l = findListener(ip, port);
    if (l) return { handler: l.handler, ip, port, remoteAddress };
    if (this.podByIP(ip) || this.nodes().some((n) => this.nodeIP(n) === ip)) throw new NetError('ECONNREFUSED', host, ip, port);
    throw new NetError('ETIMEDOUT', host, ip, port);
  }

  /** where a TCP connection from `fromIP` to ip:port lands (throws NetError) */
  connect(fromIP: string, ip: string, port: number, host = ip): Target {
    if (ip.startsWith('127.')) return this.toPod(fromIP, port, '127.0.0.1', host);
    const svc = this.serviceByIP(ip);
    if (svc) {
      const sp = (svc.spec?.ports ?? []).find((p: Json) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
      if (!sp) throw new NetError('ETIMEDOUT', host, ip, port);
      return this.viaService(svc, sp, fromIP, host);
    }
    const node = this.nodes().find((n) => this.nodeIP(n) === ip);
    if (node) {
      const np = this.nodePort(port);
      if (np) return this.viaService(np.svc, np.sp, fromIP, host, { nodeName: node.metadata.name, snat: true });
    }
    return this.toPod(ip, port, fromIP, host);
  }

  /** the service port published on a node port */
  nodePort(port: number): { svc: KObject; sp: Json } | undefined {
    for (const svc of this.services()) {
      if (svc.spec?.type !== 'NodePort' && svc.spec?.type !== 'LoadBalancer') continue;
      const sp = (svc.spec?.ports ?? []).find((p: Json) => p.nodePort === port && (p.protocol ?? 'TCP') === 'TCP');
      if (sp) return { svc, sp };
    }
    return undefined;
  }

  /** deliver one HTTP request to a target */
  exchange(t: Target, req: { method: string; path: string; headers: [string, string][]; body?: string }): HttpReply {
    const headers: Record<string, string> = {};
    for (const [k, v] of req.headers) headers[k.toLowerCase()] = v;
    const sim: SimRequest = { method: req.method, path: req.path, headers, remoteAddress: t.remoteAddress, ...(req.body !== undefined ? { body: req.body } : {}) };
    let status = 500;
    let body = '';
    let extra: Record<string, string> = {};
    let delayMs: number | undefined;
    try {
      const r = t.handler(sim);
      status = r.status;
      body = r.body;
      extra = r.headers ?? {};
      delayMs = r.delayMs;
    } catch {
      throw new NetError('ECONNRESET', req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? t.ip, t.ip, t.port);
    }
    return {
      status, statusText: STATUS_CODES[status] ?? '', headers: responseHeaders(extra, body, this.ctx.clock.now()), body, ip: t.ip, port: t.port,
      ...(delayMs && delayMs > 0 ? { delayMs } : {}),
    };
  }

  /** one HTTP request from `fromIP` (a pod IP); throws NetError */
  async request(fromIP: string, url: string, opts: RequestOptions = {}): Promise<HttpReply> {
    const u = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`);
    const hostname = u.hostname;
    let ip = hostname;
    if (!isIPv4(hostname)) {
      const ns = opts.namespace ?? 'default';
      const a = this.lookup(hostname, { searches: [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN], ndots: 5 });
      if (!a || !a.addresses.length) throw new NetError('ENOTFOUND', hostname);
      ip = a.addresses[0];
    }
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    const t = this.connect(fromIP, ip, port, hostname);
    if (u.protocol === 'https:') throw new NetError('EPROTO', hostname, ip, port);
    const headers: [string, string][] = Array.isArray(opts.headers) ? opts.headers : Object.entries(opts.headers ?? {});
    if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['Host', u.host]);
    return this.exchange(t, { method: opts.method ?? 'GET', path: `${u.pathname}${u.search}`, headers, body: opts.body });
  }

  /** a container's view of the network */
  containerNet(pod: KObject, podIP: string, hostname: string, flavor: NetFlavor, files?: Map<string, string>): ContainerNet {
    const settings = () => dnsSettings(pod, this.clusterDNS);
    const hosts = () => parseHosts(files?.get('/etc/hosts') ?? hostsFile(pod, podIP, hostname));
    return {
      ip: podIP,
      namespace: pod.metadata.namespace ?? 'default',
      flavor,
      get nameserver() {
        return settings().nameservers[0] ?? '127.0.0.1';
      },
      lookup: (name) => {
        const s = settings();
        return this.lookup(name, { hosts: hosts(), searches: s.searches, ndots: s.ndots, cluster: s.cluster });
      },
      request: async (req: NetRequest) => {
        const u = new URL(req.url);
        const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
        const t = this.connect(podIP, u.hostname, port, req.headers.find(([k]) => k === 'Host')?.[1]?.split(':')[0] ?? u.hostname);
        if (u.protocol === 'https:') throw new NetError('EPROTO', u.hostname, u.hostname, port);
        return this.exchange(t, { method: req.method, path: `${u.pathname}${u.search}`, headers: req.headers, body: req.body });
      },
      ping: (ip) => this.answersPing(podIP, ip),
    };
  }

  /** does `ip` answer ICMP echo from `fromIP`? ClusterIPs never do (iptables mode) */
  answersPing(fromIP: string, ip: string): boolean {
    if (ip === fromIP || ip.startsWith('127.')) return true;
    if (this.serviceByIP(ip)) return false;
    if (this.nodes().some((n) => this.nodeIP(n) === ip)) return true;
    return !!this.podByIP(ip);
  }
}

/** the headers a simulated program's response goes out with (Node's http module style) */
export function responseHeaders(extra: Record<string, string>, body: string, now: number): [string, string][] {
  const h: [string, string][] = [];
  const ct = Object.entries(extra).find(([k]) => k.toLowerCase() === 'content-type');
  for (const [k, v] of Object.entries(extra)) if (k.toLowerCase() !== 'content-type') h.push([cap(k), v]);
  if (ct) h.push(['Content-Type', ct[1]]);
  h.push(['Date', new Date(now).toUTCString()]);
  h.push(['Connection', 'keep-alive']);
  if (ct) h.push(['Content-Length', String(Buffer.byteLength(body))]);
  else h.push(['Transfer-Encoding', 'chunked']);
  return h;
}

const cap = (k: string) => k.split('-').map((p) => (p ? p[0].toUpperCase() + p.slice(1) : p)).join('-');
