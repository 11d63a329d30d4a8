/** Service, Endpoints, EndpointSlice, Ingress and IngressClass describers. */
import { describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline } from './blocks.js';
import { formatLabels, joinHostPort } from './format.js';
import { sortStrings } from './gosort.js';
import type { DescribeContext } from './types.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter } from './writer.js';

const isReady = (ep: any): boolean => ep?.conditions?.ready === undefined || ep?.conditions?.ready === null || ep.conditions.ready === true;

/** formatEndpointSlices(slices, ports) — `ports` undefined means all ports */
export function formatEndpointSlices(slices: any[], ports: Set<string> | undefined): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const slice of slices) {
    const slicePorts: any[] = slice?.ports ?? [];
    const endpoints: any[] = slice?.endpoints ?? [];
    if (slicePorts.length === 0) {
      for (const ep of endpoints) {
        if (list.length === max) more = true;
        if (!isReady(ep)) continue;
        if (!more) list.push(ep?.addresses?.[0] ?? '');
        count++;
      }
    } else {
      for (const port of slicePorts) {
        if (ports === undefined || ports.has(port?.name ?? '')) {
          for (const ep of endpoints) {
            if (list.length === max) more = true;
            const addr = ep?.addresses?.[0] ?? '';
            if (!isReady(ep)) continue;
            if (!more) list.push(joinHostPort(addr, String(port?.port ?? 0)));
            count++;
          }
        }
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

async function endpointSlicesFor(ctx: DescribeContext, namespace: string, service: string): Promise<any[]> {
  return ctx.reader.list('discovery.k8s.io', 'v1', 'endpointslices', {
    namespace: namespace || undefined,
    labelSelector: `kubernetes.io/service-name=${service}`,
  });
}

function buildIngressString(ingress: any[]): string {
  return ingress
    .map((i) => {
      if (i?.ip) return i.ipMode ? `${i.ip} (${i.ipMode})` : i.ip;
      return i?.hostname ?? '';
    })
    .join(', ');
}

export async function describeService(svc: any, ctx: DescribeContext): Promise<string> {
  const md = svc?.metadata ?? {};
  const spec = svc?.spec ?? {};
  let slices: any[] = [];
  try {
    slices = await endpointSlicesFor(ctx, md.namespace ?? '', md.name ?? '');
  } catch {
    slices = [];
  }
  const events = await eventsFor(ctx, svc, 'Service');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  const fams: string[] = spec.ipFamilies ?? [];
  w.write(LEVEL_0, `IP Families:\t${fams.length > 0 ? fams.join(',') : '<none>'}\n`);
  w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
  const ips: string[] = spec.clusterIPs ?? [];
  w.write(LEVEL_0, `IPs:\t${ips.length > 0 ? ips.join(',') : '<none>'}\n`);
  if ((spec.externalIPs ?? []).length > 0) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
  const lbIngress: any[] = svc?.status?.loadBalancer?.ingress ?? [];
  if (lbIngress.length > 0) w.write(LEVEL_0, `LoadBalancer Ingress:\t${buildIngressString(lbIngress)}\n`);
  for (const sp of spec.ports ?? []) {
    const name = sp?.name || '<unset>';
    const proto = sp?.protocol ?? '';
    w.write(LEVEL_0, `Port:\t${name}\t${sp?.port ?? 0}/${proto}\n`);
    const tp = sp?.targetPort;
    w.write(LEVEL_0, `TargetPort:\t${typeof tp === 'number' ? tp : tp === undefined || tp === null ? 0 : tp}/${proto}\n`);
    if (sp?.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${sp.nodePort}/${proto}\n`);
    w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, new Set([sp?.name ?? '']))}\n`);
  }
  w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy !== undefined && spec.internalTrafficPolicy !== null) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if ((spec.loadBalancerSourceRanges ?? []).length > 0) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

export async function describeEndpoints(ep: any, ctx: DescribeContext): Promise<string> {
  const md = ep?.metadata ?? {};
  const events = await eventsFor(ctx, ep, 'Endpoints');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, 'Subsets:\n');
  for (const subset of ep?.subsets ?? []) {
    const addrs = (subset?.addresses ?? []).map((a: any) => a?.ip ?? '').join(',');
    w.write(LEVEL_1, `Addresses:\t${addrs || '<none>'}\n`);
    const notReady = (subset?.notReadyAddresses ?? []).map((a: any) => a?.ip ?? '').join(',');
    w.write(LEVEL_1, `NotReadyAddresses:\t${notReady || '<none>'}\n`);
    const ports: any[] = subset?.ports ?? [];
    if (ports.length > 0) {
      w.write(LEVEL_1, 'Ports:\n');
      w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_2, '----\t----\t--------\n');
      for (const p of ports) w.write(LEVEL_2, `${p?.name || '<unset>'}\t${p?.port ?? 0}\t${p?.protocol ?? ''}\n`);
    }
    w.write(LEVEL_0, '\n');
  }
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

export async function describeEndpointSlice(eps: any, ctx: DescribeContext): Promise<string> {
  const md = eps?.metadata ?? {};
  const events = await eventsFor(ctx, eps, 'EndpointSlice');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `AddressType:\t${eps?.addressType ?? ''}\n`);
  const ports: any[] = eps?.ports ?? [];
  if (ports.length === 0) w.write(LEVEL_0, 'Ports: <unset>\n');
  else {
    w.write(LEVEL_0, 'Ports:\n');
    w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
    w.write(LEVEL_1, '----\t----\t--------\n');
    for (const p of ports) {
      const num = p?.port === undefined || p?.port === null ? '<unset>' : String(p.port);
      w.write(LEVEL_1, `${p?.name || '<unset>'}\t${num}\t${p?.protocol ?? ''}\n`);
    }
  }
  const endpoints: any[] = eps?.endpoints ?? [];
  if (endpoints.length === 0) w.write(LEVEL_0, 'Endpoints: <none>\n');
  else {
    w.write(LEVEL_0, 'Endpoints:\n');
    for (const e of endpoints) {
      w.write(LEVEL_1, `- Addresses:\t${(e?.addresses ?? []).join(', ') || '<none>'}\n`);
      w.write(LEVEL_2, 'Conditions:\n');
      const ready = e?.conditions?.ready;
      w.write(LEVEL_3, `Ready:\t${ready === undefined || ready === null ? '<unset>' : String(ready)}\n`);
      w.write(LEVEL_2, `Hostname:\t${e?.hostname ?? '<unset>'}\n`);
      if (e?.targetRef) w.write(LEVEL_2, `TargetRef:\t${e.targetRef.kind ?? ''}/${e.targetRef.name ?? ''}\n`);
      w.write(LEVEL_2, `NodeName:\t${e?.nodeName ?? '<unset>'}\n`);
      w.write(LEVEL_2, `Zone:\t${e?.zone ?? '<unset>'}\n`);
    }
  }
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

async function describeIngressBackend(ctx: DescribeContext, ns: string, backend: any): Promise<string> {
  if (backend?.service) {
    const sb = backend.service;
    const port = sb.port?.number ? String(sb.port.number) : (sb.port?.name ?? '');
    const text = `${sb.name ?? ''}:${port}`;
    let slices: any[];
    let svc: any;
    try {
      slices = await endpointSlicesFor(ctx, ns, sb.name ?? '');
      svc = await ctx.reader.get('', 'v1', 'services', ns || undefined, sb.name ?? '');
    } catch (e) {
      return `${text} (<error: ${e instanceof Error ? e.message : String(e)}>)`;
    }
    if (!svc) return `${text} (<error: services "${sb.name ?? ''}" not found>)`;
    let spName = '';
    for (const sp of svc?.spec?.ports ?? []) {
      if (sb.port?.number && sb.port.number === sp?.port) spName = sp?.name ?? '';
      else if (sb.port?.name && sb.port.name === sp?.name) spName = sp?.name ?? '';
    }
    return `${text} (${formatEndpointSlices(slices, new Set([spName]))})`;
  }
  if (backend?.resource) {
    const r = backend.resource;
    const apiGroup = r.apiGroup === undefined || r.apiGroup === null ? '<none>' : String(r.apiGroup);
    return `APIGroup: ${apiGroup}, Kind: ${r.kind ?? ''}, Name: ${r.name ?? ''}`;
  }
  return '';
}

export async function describeIngress(ing: any, ctx: DescribeContext): Promise<string> {
  const md = ing?.metadata ?? {};
  const spec = ing?.spec ?? {};
  const ns = md.namespace ?? '';
  const events = await eventsFor(ctx, ing, 'Ingress');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  w.write(LEVEL_0, `Namespace:\t${ns}\n`);
  const addrs = new Set<string>();
  for (const i of ing?.status?.loadBalancer?.ingress ?? []) {
    if (i?.ip) addrs.add(i.ip);
    else if (i?.hostname) addrs.add(i.hostname);
  }
  w.write(LEVEL_0, `Address:\t${sortStrings([...addrs]).join(',')}\n`);
  w.write(LEVEL_0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
  const def = spec.defaultBackend;
  const defaultBackend = def ? await describeIngressBackend(ctx, ns, def) : '<default>';
  w.write(LEVEL_0, `Default backend:\t${defaultBackend}\n`);
  if ((spec.tls ?? []).length > 0) {
    w.write(LEVEL_0, 'TLS:\n');
    for (const t of spec.tls) {
      const hosts = (t?.hosts ?? []).join(',');
      if (!t?.secretName) w.write(LEVEL_1, `SNI routes ${hosts}\n`);
      else w.write(LEVEL_1, `${t.secretName} terminates ${hosts}\n`);
    }
  }
  w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(LEVEL_1, '----\t----\t--------\n');
  let count = 0;
  for (const rule of spec.rules ?? []) {
    if (!rule?.http) continue;
    count++;
    w.write(LEVEL_1, `${rule.host || '*'}\t\n`);
    for (const p of rule.http.paths ?? []) {
      w.write(LEVEL_2, `\t${p?.path ?? ''} \t${await describeIngressBackend(ctx, ns, p?.backend)}\n`);
    }
  }
  if (count === 0) w.write(LEVEL_1, `*\t*\t${defaultBackend}\n`);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

export async function describeIngressClass(ic: any, ctx: DescribeContext): Promise<string> {
  const md = ic?.metadata ?? {};
  const events = await eventsFor(ctx, ic, 'IngressClass');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `Controller:\t${ic?.spec?.controller ?? ''}\n`);
  const p = ic?.spec?.parameters;
  if (p) {
    w.write(LEVEL_0, 'Parameters:\n');
    if (p.apiGroup !== undefined && p.apiGroup !== null) w.write(LEVEL_1, `APIGroup:\t${p.apiGroup}\n`);
    w.write(LEVEL_1, `Kind:\t${p.kind ?? ''}\n`);
    w.write(LEVEL_1, `Name:\t${p.name ?? ''}\n`);
  }
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}
