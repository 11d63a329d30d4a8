/**
 * What the kubelet puts into a container about the cluster network: the Service environment
 * variables (Docker-link style, for Services that exist when the container starts), and the
 * kubelet-managed `/etc/resolv.conf`, `/etc/hosts` and `/etc/hostname`.
 */
import type { KObject } from '../apiserver/types.js';
import type { ControllerContext } from '../controllers/context.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const CLUSTER_DOMAIN = 'cluster.local';
/** the node's resolver (kind nodes: the Docker network gateway) */
export const NODE_NAMESERVER = '172.18.0.1';

function envPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** the variables of one service: `KUBIA_SERVICE_HOST`, `KUBIA_PORT_80_TCP_ADDR`, … */
export function envForService(svc: KObject): Record<string, string> {
  const ip: string | undefined = svc.spec?.clusterIP;
  const ports: Json[] = svc.spec?.ports ?? [];
  if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName' || !ports.length) return {};
  const p = envPrefix(svc.metadata.name!);
  const env: Record<string, string> = {};
  const host = ip.includes(':') ? `[${ip}]` : ip;
  env[`${p}_SERVICE_HOST`] = ip;
  env[`${p}_SERVICE_PORT`] = String(ports[0].port);
  for (const sp of ports) if (sp.name) env[`${p}_SERVICE_PORT_${envPrefix(sp.name)}`] = String(sp.port);
  const first = ports[0];
  env[`${p}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${host}:${first.port}`;
  for (const sp of ports) {
    const proto = sp.protocol ?? 'TCP';
    const base = `${p}_PORT_${sp.port}_${proto.toUpperCase()}`;
    env[base] = `${proto.toLowerCase()}://${host}:${sp.port}`;
    env[`${base}_PROTO`] = proto.toLowerCase();
    env[`${base}_PORT`] = String(sp.port);
    env[`${base}_ADDR`] = ip;
  }
  return env;
}

/**
 * The service variables a container of `pod` gets when it starts now: every service of the
 * pod's namespace (only with `enableServiceLinks`, the default), plus default/kubernetes always.
 */
export function serviceEnv(ctx: ControllerContext, pod: KObject): Record<string, string> {
  const rt = ctx.registry.forKind('', 'Service');
  if (!rt) return {};
  const ns = pod.metadata.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks !== false;
  const env: Record<string, string> = {};
  const services = ctx.store.list(rt, links ? ns : 'default').items
    .filter((s) => links || s.metadata.name === 'kubernetes')
    .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  for (const s of services) Object.assign(env, envForService(s));
  if (ns !== 'default') {
    const k = ctx.store.tryGet(rt, 'default', 'kubernetes');
    if (k) Object.assign(env, envForService(k));
  }
  return env;
}

export interface DnsSettings {
  nameservers: string[];
  searches: string[];
  ndots: number;
  options: string[];
  /** cluster names resolve (ClusterFirst) */
  cluster: boolean;
}

/** the resolver configuration of a pod (dnsPolicy, dnsConfig, hostNetwork) */
export function dnsSettings(pod: KObject, clusterDNS: string): DnsSettings {
  const ns = pod.metadata.namespace ?? 'default';
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const hostNet = pod.spec?.hostNetwork === true;
  let s: DnsSettings;
  if (policy === 'None') s = { nameservers: [], searches: [], ndots: 1, options: [], cluster: false };
  else if (policy === 'Default' || (policy === 'ClusterFirst' && hostNet)) {
    s = { nameservers: [NODE_NAMESERVER], searches: [], ndots: 1, options: [], cluster: false };
  } else {
    s = {
      nameservers: [clusterDNS], searches: [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN],
      ndots: 5, options: ['ndots:5'], cluster: true,
    };
  }
  const cfg = pod.spec?.dnsConfig ?? {};
  for (const n of cfg.nameservers ?? []) if (!s.nameservers.includes(n)) s.nameservers.push(n);
  for (const d of cfg.searches ?? []) if (!s.searches.includes(d)) s.searches.push(d);
  for (const o of cfg.options ?? []) {
    const opt = o.value !== undefined ? `${o.name}:${o.value}` : o.name;
    s.options = s.options.filter((x) => x.split(':')[0] !== o.name);
    s.options.push(opt);
    if (o.name === 'ndots' && o.value !== undefined) s.ndots = Number(o.value);
  }
  if (s.nameservers.includes(clusterDNS)) s.cluster = true;
  return s;
}

export function resolvConf(s: DnsSettings): string {
  let out = '';
  if (s.searches.length) out += `search ${s.searches.join(' ')}\n`;
  for (const n of s.nameservers) out += `nameserver ${n}\n`;
  if (s.options.length) out += `options ${s.options.join(' ')}\n`;
  return out;
}

/** /etc/hosts as the kubelet writes it */
export function hostsFile(pod: KObject, podIP: string, hostname: string): string {
  let out = '# Kubernetes-managed hosts file.\n'
    + '127.0.0.1\tlocalhost\n'
    + '::1\tlocalhost ip6-localhost ip6-loopback\n'
    + 'fe00::0\tip6-localnet\n'
    + 'fe00::0\tip6-mcastprefix\n'
    + 'fe00::1\tip6-allnodes\n'
    + 'fe00::2\tip6-allrouters\n';
  const sub = pod.spec?.subdomain;
  const name = pod.spec?.hostname ?? hostname;
  if (podIP) {
    out += sub ? `${podIP}\t${name}.${sub}.${pod.metadata.namespace}.svc.${CLUSTER_DOMAIN}\t${name}\n` : `${podIP}\t${name}\n`;
  }
  const aliases: Json[] = pod.spec?.hostAliases ?? [];
  if (aliases.length) {
    out += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return out;
}

/** `/etc/hosts` → [ip, names] pairs (IPv4 only) */
export function parseHosts(text: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const line of text.split('\n')) {
    const l = line.replace(/#.*/, '').trim();
    if (!l) continue;
    const [ip, ...names] = l.split(/\s+/);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) out.push([ip, names]);
  }
  return out;
}

/** the files a new container gets (path → content) */
export function etcFiles(pod: KObject, podIP: string, hostname: string, clusterDNS: string): Record<string, string> {
  return {
    '/etc/resolv.conf': resolvConf(dnsSettings(pod, clusterDNS)),
    '/etc/hosts': hostsFile(pod, podIP, hostname),
    '/etc/hostname': `${pod.spec?.hostname ?? hostname}\n`,
  };
}
