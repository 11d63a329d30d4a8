/** Service (core/v1) validation, including the REST-layer nodePort range check. */
import type { KObject } from '../apiserver/types.js';
import { field } from '../apiserver/errors.js';
import {
  asArray, asMap, child, index, isObj, num, str, validateDNS1123Label, validateLabels, validateObjectMeta,
  validateObjectMetaUpdate, validateQualifiedName, type Errs,
} from './common.js';
import { GoValue, goStringSlice } from './goformat.js';
import { validatePortNumOrName } from './pod.js';
import { isDNS1123Subdomain, isIP, isIPv6, isValidPortNum, nameIsDNS1035Label } from './strings.js';

export interface ServiceOptions {
  /** --service-node-port-range, default 30000-32767 */
  nodePortRange?: [number, number];
}

const supportedTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function isHeadless(spec: Record<string, any>): boolean {
  const ips = asArray(spec.clusterIPs);
  if (ips.length) return ips.length === 1 && ips[0] === 'None';
  return spec.clusterIP === 'None';
}

/** clusterIPs as the strategy normalizes them (clusterIP mirrored into clusterIPs). */
function clusterIPs(spec: Record<string, any>): string[] {
  const ips = asArray<string>(spec.clusterIPs);
  if (ips.length) return ips;
  return str(spec.clusterIP) ? [str(spec.clusterIP)] : [];
}

function goServicePort(p: any): GoValue {
  const tp = p?.targetPort;
  const tpText = typeof tp === 'string'
    ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(tp)}}`
    : `intstr.IntOrString{Type:0, IntVal:0, StrVal:""}`;
  return new GoValue(`core.ServicePort{Name:"", Protocol:${JSON.stringify(str(p?.protocol))}, AppProtocol:(*string)(nil), Port:${num(p?.port)}, TargetPort:${tpText}, NodePort:0}`, p);
}

function validateServicePort(sp: any, requireName: boolean, names: Set<string>, path: string): Errs {
  const errs: Errs = [];
  const name = str(sp?.name);
  if (requireName && !name) errs.push(field.required(child(path, 'name'), ''));
  else if (name) {
    errs.push(...validateDNS1123Label(name, child(path, 'name')));
    if (names.has(name)) errs.push(field.duplicate(child(path, 'name'), name));
    else names.add(name);
  }
  for (const m of isValidPortNum(num(sp?.port))) errs.push(field.invalid(child(path, 'port'), num(sp?.port), m));
  const proto = str(sp?.protocol);
  if (!proto) errs.push(field.required(child(path, 'protocol'), ''));
  else if (!['SCTP', 'TCP', 'UDP'].includes(proto)) errs.push(field.notSupported(child(path, 'protocol'), proto, ['SCTP', 'TCP', 'UDP']));
  errs.push(...validatePortNumOrName(sp?.targetPort ?? 0, child(path, 'targetPort')));
  if (sp?.appProtocol !== undefined && sp?.appProtocol !== null) errs.push(...validateQualifiedName(str(sp.appProtocol), child(path, 'appProtocol')));
  return errs;
}

function validateServiceSpec(svc: KObject, opts: ServiceOptions): Errs {
  const spec = asMap(svc.spec);
  const errs: Errs = [];
  const type = str(spec.type);
  const headless = isHeadless(spec);
  const ports = asArray(spec.ports);
  const ips = clusterIPs(spec);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(field.required('spec.ports', ''));
  if (type === 'LoadBalancer' && headless) errs.push(field.invalid('spec.clusterIPs[0]', ips[0], "may not be set to 'None' for LoadBalancer services"));
  if (type === 'NodePort' && headless) errs.push(field.invalid('spec.clusterIPs[0]', ips[0], "may not be set to 'None' for NodePort services"));
  if (type === 'ExternalName') {
    if (ips.length > 0) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (asArray(spec.ipFamilies).length > 0) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname) for (const m of isDNS1123Subdomain(cname)) errs.push(field.invalid('spec.externalName', cname, m));
    else errs.push(field.required('spec.externalName', ''));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, index('spec.ports', i))));
  if (isObj(spec.selector)) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const sa = str(spec.sessionAffinity);
  if (!sa) errs.push(field.required('spec.sessionAffinity', ''));
  else if (sa !== 'ClientIP' && sa !== 'None') errs.push(field.notSupported('spec.sessionAffinity', sa, ['ClientIP', 'None']));
  if (sa === 'ClientIP') {
    const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (!isObj(spec.sessionAffinityConfig)) errs.push(field.required('spec.sessionAffinityConfig', 'when session affinity type is ClientIP'));
    else if (!isObj(spec.sessionAffinityConfig.clientIP)) errs.push(field.required('spec.sessionAffinityConfig.clientIP', 'when session affinity type is ClientIP'));
    else if (t === undefined || t === null) errs.push(field.required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', 'when session affinity type is ClientIP'));
    else if (num(t) <= 0 || num(t) > 86400) errs.push(field.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', num(t), 'must be greater than 0 and less than 86400'));
  } else if (sa === 'None' && spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null) {
    errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  // clusterIPs / ipFamilies / ipFamilyPolicy (ValidateServiceClusterIPsRelatedFields)
  if (type !== 'ExternalName') {
    const specIP = str(spec.clusterIP);
    const raw = asArray<string>(spec.clusterIPs).map(str);
    if (specIP) {
      if (raw.length === 0) errs.push(field.required('spec.clusterIPs', ''));
      else if (raw[0] !== specIP) errs.push(field.invalid('spec.clusterIPs', goStringSlice(raw), 'first value must match `clusterIP`'));
    } else if (raw.length !== 0) {
      errs.push(field.invalid('spec.clusterIPs', goStringSlice(raw), 'must be empty when `clusterIP` is not specified'));
    }
    const seenFam = new Set<string>();
    asArray(spec.ipFamilies).forEach((f, i) => {
      if (f !== 'IPv4' && f !== 'IPv6') errs.push(field.notSupported(index('spec.ipFamilies', i), str(f), ['IPv4', 'IPv6']));
      if (seenFam.has(str(f))) errs.push(field.duplicate(index('spec.ipFamilies', i), str(f)));
      seenFam.add(str(f));
    });
    const policy = spec.ipFamilyPolicy;
    if (policy !== undefined && policy !== null && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(str(policy))) {
      errs.push(field.notSupported('spec.ipFamilyPolicy', str(policy), ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
    }
    let invalid = false;
    raw.forEach((ip, i) => {
      if (i === 0 && ip === 'None') {
        if (raw.length > 1) { invalid = true; errs.push(field.invalid('spec.clusterIPs', goStringSlice(raw), "'None' must be the first and only value")); }
        return;
      }
      if (!isIP(ip)) { invalid = true; errs.push(field.invalid(index('spec.clusterIPs', i), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')); }
    });
    if (raw.length > 2) errs.push(field.invalid('spec.clusterIPs', goStringSlice(raw), 'may only hold up to 2 values'));
    if (!invalid) {
      if (raw.length > 1 && isIPv6(raw[0]) === isIPv6(raw[1])) {
        errs.push(field.invalid('spec.clusterIPs', goStringSlice(raw), 'may specify no more than one IP for each IP family'));
      }
      const fams = asArray<string>(spec.ipFamilies);
      if (!headless) {
        raw.forEach((ip, i) => {
          if (i >= fams.length) return;
          if (fams[i] === 'IPv4' && isIPv6(ip)) errs.push(field.invalid(index('spec.clusterIPs', i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
          if (fams[i] === 'IPv6' && !isIPv6(ip)) errs.push(field.invalid(index('spec.clusterIPs', i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
        });
      }
    }
  }
  asArray(spec.externalIPs).forEach((ip, i) => {
    if (!isIP(str(ip))) errs.push(field.invalid(index('spec.externalIPs', i), str(ip), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (!type) errs.push(field.required('spec.type', ''));
  else if (!supportedTypes.includes(type)) errs.push(field.notSupported('spec.type', type, supportedTypes));
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (num(p?.nodePort) !== 0) errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (num(p?.nodePort) === 0) return;
    const k = `${str(p?.protocol)}/${num(p?.nodePort)}`;
    if (nodePorts.has(k)) errs.push(field.duplicate(`spec.ports[${i}].nodePort`, num(p?.nodePort)));
    nodePorts.add(k);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${str(p?.protocol)}/${num(p?.port)}`;
    if (seen.has(k)) errs.push(field.duplicate(`spec.ports[${i}]`, goServicePort(p)));
    seen.add(k);
  });
  if (asArray(spec.loadBalancerSourceRanges).length > 0 && type !== 'LoadBalancer') {
    errs.push(field.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer') {
    errs.push(field.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type === 'LoadBalancer' && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null)) {
    errs.push(field.required('allocateLoadBalancerNodePorts', ''));
  }
  if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass !== null) {
    if (type === 'LoadBalancer') errs.push(...validateQualifiedName(str(spec.loadBalancerClass), 'spec.loadBalancerClass'));
    else errs.push(field.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  const external = type === 'NodePort' || type === 'LoadBalancer';
  const etp = str(spec.externalTrafficPolicy);
  if (!external) {
    if (etp) errs.push(field.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(field.required('spec.externalTrafficPolicy', ''));
  else if (etp !== 'Cluster' && etp !== 'Local') errs.push(field.notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  const needsHC = type === 'LoadBalancer' && etp === 'Local';
  const hc = num(spec.healthCheckNodePort);
  if (!needsHC && hc !== 0) errs.push(field.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  const itp = spec.internalTrafficPolicy;
  if ((itp === undefined || itp === null) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type)) {
    errs.push(field.required('spec.internalTrafficPolicy', ''));
  }
  if (itp !== undefined && itp !== null && itp !== 'Cluster' && itp !== 'Local') errs.push(field.notSupported('spec.internalTrafficPolicy', str(itp), ['Cluster', 'Local']));
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== null && spec.trafficDistribution !== 'PreferClose') {
    errs.push(field.notSupported('spec.trafficDistribution', str(spec.trafficDistribution), ['PreferClose']));
  }
  // REST-layer allocation check
  const [lo, hi] = opts.nodePortRange ?? [30000, 32767];
  if (type === 'NodePort' || type === 'LoadBalancer') {
    ports.forEach((p, i) => {
      const np = num(p?.nodePort);
      if (np !== 0 && (np < lo || np > hi)) {
        errs.push(field.invalid(`spec.ports[${i}].nodePort`, np, `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`));
      }
    });
  }
  return errs;
}

export function validateServiceCreate(svc: KObject, opts: ServiceOptions = {}): Errs {
  return [...validateObjectMeta(svc.metadata, true, nameIsDNS1035Label), ...validateServiceSpec(svc, opts)];
}

/** normalizeClusterIPs: a changed clusterIP with untouched clusterIPs replaces the primary. */
function normalizeClusterIPs(svc: KObject, old: KObject): KObject {
  const spec = asMap(svc.spec);
  const oldSpec = asMap(old.spec);
  if (str(spec.clusterIP) === str(oldSpec.clusterIP)) return svc;
  if (JSON.stringify(asArray(spec.clusterIPs)) !== JSON.stringify(asArray(oldSpec.clusterIPs))) return svc;
  const n = structuredClone(svc);
  const ips = asArray<string>(n.spec.clusterIPs);
  if (!str(spec.clusterIP)) delete n.spec.clusterIPs;
  else n.spec.clusterIPs = ips.length ? [str(spec.clusterIP), ...ips.slice(1)] : [str(spec.clusterIP)];
  return n;
}

export function validateServiceUpdate(input: KObject, old: KObject, opts: ServiceOptions = {}): Errs {
  const svc = normalizeClusterIPs(input, old);
  const errs = validateObjectMetaUpdate(svc.metadata, old.metadata);
  const spec = asMap(svc.spec);
  const oldSpec = asMap(old.spec);
  if (spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName' && !(isHeadless(spec) && isHeadless(oldSpec))) {
    const n = asArray<string>(spec.clusterIPs);
    const o = asArray<string>(oldSpec.clusterIPs);
    const bad = goStringSlice(n.length ? n : null);
    if (n.length === o.length) {
      o.forEach((ip, i) => { if (ip !== n[i]) errs.push(field.invalid(`spec.clusterIPs[${i}]`, bad, 'may not change once set')); });
    } else if (o.length > n.length) {
      if (n.length === 0) errs.push(field.invalid('spec.clusterIPs[0]', bad, 'primary clusterIP can not be unset'));
      if (o.length > 0 && n.length > 0 && n[0] !== o[0]) errs.push(field.invalid('spec.clusterIPs[0]', bad, 'may not change once set'));
      if (n.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
        errs.push(field.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
      }
    } else if (o.length > 0 && n[0] !== o[0]) {
      errs.push(field.invalid('spec.clusterIPs[0]', bad, 'may not change once set'));
    }
    if (isHeadless(spec) === isHeadless(oldSpec) && !isHeadless(spec)) {
      const nf = asArray<string>(spec.ipFamilies);
      const of = asArray<string>(oldSpec.ipFamilies);
      if (nf.length === of.length && of.some((f, i) => f !== nf[i])) {
        errs.push(field.invalid('spec.ipFamilies[0]', goStringSlice(nf, 'core.IPFamily'), 'may not change once set'));
      }
    }
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && (spec.loadBalancerClass ?? null) !== (oldSpec.loadBalancerClass ?? null)) {
    errs.push(field.invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  errs.push(...validateServiceSpec(svc, opts));
  return errs;
}

export { isIPv6 };
