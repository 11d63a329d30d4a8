/**
 * A minimal ingress controller (ingress-nginx-like): routes an HTTP request by its Host header
 * and path (Exact / Prefix / ImplementationSpecific as Prefix) to a backend Service's ready
 * endpoints. It handles Ingresses without a class, with class `nginx`, or naming an existing
 * IngressClass. Hosts listed under `spec.tls` are redirected from HTTP to HTTPS (308), as
 * ingress-nginx does; no backend: 404, backend without ready endpoints: 503 (nginx pages).
 * Over HTTPS the certificate is chosen by SNI: the `kubernetes.io/tls` Secret of the matching
 * `spec.tls` entry, or the controller's self-signed default ("Kubernetes Ingress Controller Fake
 * Certificate") when there is none (host.ts serves it).
 */
import type { KObject } from '../apiserver/types.js';
import { NetError, type HttpReply } from '../kubelet/programs/net.js';
import { responseHeaders, type Network } from './network.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const INGRESS_HOSTNAME = 'localhost';

const nginxPage = (code: number, text: string) =>
  `<html>\r\n<head><title>${code} ${text}</title></head>\r\n<body>\r\n<center><h1>${code} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

export function ingressHandled(net: Network, ing: KObject): boolean {
  const cls = ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
  if (!cls || cls === 'nginx') return true;
  const rt = net.ctx.registry.forKind('networking.k8s.io', 'IngressClass');
  return !!rt && !!net.ctx.store.tryGet(rt, undefined, cls);
}

export function handledIngresses(net: Network): KObject[] {
  const rt = net.ctx.registry.forKind('networking.k8s.io', 'Ingress');
  if (!rt) return [];
  return net.ctx.store.list(rt, undefined).items
    .filter((i) => !i.metadata.deletionTimestamp && ingressHandled(net, i))
    .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
}

function hostScore(ruleHost: string | undefined, host: string): number {
  if (!ruleHost) return 1;
  if (ruleHost === host) return 3;
  if (ruleHost.startsWith('*.')) {
    const suffix = ruleHost.slice(1);
    const rest = host.slice(0, -suffix.length);
    if (host.endsWith(suffix) && rest && !rest.includes('.')) return 2;
  }
  return 0;
}

function pathScore(p: Json, path: string): number {
  const want: string = p.path ?? '/';
  const type = p.pathType ?? 'ImplementationSpecific';
  if (type === 'Exact') return path === want ? want.length * 2 + 1 : -1;
  if (want === '/') return 0;
  const w = want.replace(/\/+$/, '');
  return path === w || path.startsWith(`${w}/`) ? w.length * 2 : -1;
}

interface Match {
  ing: KObject;
  backend: Json;
  tls: boolean;
}

export function matchIngress(net: Network, host: string, path: string): Match | undefined {
  let best: { m: Match; h: number; p: number } | undefined;
  const ings = handledIngresses(net);
  for (const ing of ings) {
    const tlsHosts = new Set<string>((ing.spec?.tls ?? []).flatMap((t: Json) => t.hosts ?? []));
    for (const rule of ing.spec?.rules ?? []) {
      const h = hostScore(rule.host, host);
      if (!h) continue;
      for (const p of rule.http?.paths ?? []) {
        const ps = pathScore(p, path);
        if (ps < 0) continue;
        if (!best || h > best.h || (h === best.h && ps > best.p)) {
          best = { m: { ing, backend: p.backend, tls: !!rule.host && tlsHosts.has(rule.host) }, h, p: ps };
        }
      }
    }
  }
  if (best) return best.m;
  const def = ings.find((i) => i.spec?.defaultBackend);
  return def ? { ing: def, backend: def.spec.defaultBackend, tls: false } : undefined;
}

/** the `spec.tls` entry (and its Ingress) whose hosts cover `servername` (SNI), first Ingress first */
export function tlsEntryFor(net: Network, servername: string): { ing: KObject; secretName?: string } | undefined {
  const host = servername.toLowerCase().replace(/\.$/, '');
  let best: { ing: KObject; secretName?: string; score: number } | undefined;
  for (const ing of handledIngresses(net)) {
    for (const t of ing.spec?.tls ?? []) {
      for (const h of t.hosts ?? []) {
        const score = hostScore(String(h).toLowerCase(), host);
        if (score >= 2 && (!best || score > best.score)) best = { ing, secretName: t.secretName, score };
      }
    }
  }
  return best && { ing: best.ing, secretName: best.secretName };
}

/**
 * The certificate and key the controller presents for `servername`: the `tls.crt`/`tls.key` of the
 * Secret named by the matching `spec.tls` entry (in the Ingress's namespace). Undefined when no entry
 * matches or the Secret is missing or incomplete: the controller's default (fake) certificate then.
 */
export function tlsCertificateFor(net: Network, servername: string): { cert: string; key: string; id: string } | undefined {
  const e = tlsEntryFor(net, servername);
  if (!e?.secretName) return undefined;
  const rt = net.ctx.registry.forKind('', 'Secret');
  const sec = rt && net.ctx.store.tryGet(rt, e.ing.metadata.namespace, e.secretName);
  const crt = sec?.data?.['tls.crt'];
  const key = sec?.data?.['tls.key'];
  if (!crt || !key) return undefined;
  return {
    cert: Buffer.from(String(crt), 'base64').toString('utf8'),
    key: Buffer.from(String(key), 'base64').toString('utf8'),
    id: `${sec!.metadata.uid}@${sec!.metadata.resourceVersion}`,
  };
}

/** serve one request that reached the ingress controller */
export function ingressRequest(
  net: Network,
  req: { method: string; path: string; headers: [string, string][]; body?: string; https: boolean; clientIP: string },
): HttpReply {
  const now = net.ctx.clock.now();
  const hostHeader = req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? '';
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  const path = req.path.split('?')[0] || '/';
  const page = (status: number, text: string, extra: Record<string, string> = {}): HttpReply => {
    const body = nginxPage(status, text);
    return { status, statusText: text, headers: responseHeaders({ 'content-type': 'text/html', ...extra }, body, now), body, ip: '127.0.0.1', port: req.https ? 443 : 80 };
  };
  const m = matchIngress(net, host, path);
  if (!m) return page(404, 'Not Found');
  if (m.tls && !req.https) return page(308, 'Permanent Redirect', { location: `https://${host}${req.path}` });
  const svcRT = net.rt.svc;
  const svc = m.backend?.service ? net.ctx.store.tryGet(svcRT, m.ing.metadata.namespace, m.backend.service.name) : undefined;
  const bp = m.backend?.service?.port ?? {};
  const sp = (svc?.spec?.ports ?? []).find((p: Json) => (bp.number !== undefined ? p.port === bp.number : p.name === bp.name));
  if (!svc || !sp) return page(503, 'Service Temporarily Unavailable');
  try {
    const t = net.viaService(svc, sp, req.clientIP, host, { snat: true });
    const headers: [string, string][] = [
      ...req.headers,
      ['X-Request-ID', Math.floor(net.ctx.random() * 2 ** 52).toString(16).padStart(32, '0')],
      ['X-Real-IP', req.clientIP], ['X-Forwarded-For', req.clientIP], ['X-Forwarded-Host', host],
      ['X-Forwarded-Port', req.https ? '443' : '80'], ['X-Forwarded-Proto', req.https ? 'https' : 'http'], ['X-Scheme', req.https ? 'https' : 'http'],
    ];
    return net.exchange(t, { method: req.method, path: req.path, headers, body: req.body });
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    return err.code === 'ECONNREFUSED' && !net.endpoints(svc, sp).length ? page(503, 'Service Temporarily Unavailable') : page(502, 'Bad Gateway');
  }
}
