/**
 * Building a Service the way `kubectl expose` and `kubectl run --expose` do: a typed v1 Service
 * (keys in Go struct order, so `-o json` prints like kubectl), ports from --port or the exposed
 * object's container ports, the selector from --selector or the object's own selector/labels.
 */
import { KubectlError } from '../../client/errors.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** `a=b,c=d` → map (generate.ParseLabels' rules and messages) */
export function parseLabelSpec(spec: string): Record<string, string> {
  if (!spec) throw new KubectlError('no label spec passed');
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2) throw new KubectlError(`unexpected label spec: ${part}`);
    if (!kv[0]) throw new KubectlError('unexpected empty label key');
    out[kv[0]] = kv[1]!;
  }
  return out;
}

export function sortKeys<T>(m: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) out[k] = m[k]!;
  return out;
}

/** Go's strconv.Atoi, with its error text */
export function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new KubectlError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63) throw new KubectlError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

export interface ServiceParams {
  name: string;
  /** `k=v,k2=v2` */
  selector: string;
  /** `k=v,…` labels of the Service ('' = none) */
  labels?: string;
  /** one port (`--port`) */
  port?: string;
  /** several ports, comma separated (introspected from the object) */
  ports?: string;
  portName?: string;
  /** --protocol */
  protocol?: string;
  /** port → protocols of the exposed object's containers */
  protocols?: Map<string, string[]>;
  targetPort?: string;
  externalIP?: string;
  type?: string;
  loadBalancerIP?: string;
  sessionAffinity?: string;
  clusterIP?: string;
  namespace?: string;
}

/** the typed Service (struct field order) */
export function buildService(p: ServiceParams): any {
  if (!p.selector) throw new KubectlError('selector must be specified');
  const selector = parseLabelSpec(p.selector);
  const labels = p.labels ? parseLabelSpec(p.labels) : undefined;
  if (!p.name) throw new KubectlError('name must be specified');
  const portString = p.ports || p.port || '';
  const ports: any[] = [];
  if (portString) {
    const list = portString.split(',');
    list.forEach((ps, i) => {
      const port = atoi(ps);
      const name = list.length > 1 ? `port-${i + 1}` : (p.portName ?? '');
      let protocol = p.protocol ?? '';
      const map = p.protocols;
      if (!protocol && !map?.size) protocol = 'TCP';
      else if (!protocol && map?.size) {
        protocol = 'TCP';
        const found = map.get(ps);
        if (found) {
          if (found.length === 1) protocol = found[0]!;
          else {
            for (const proto of found) ports.push(servicePort(`port-${i + 1}-${proto.toLowerCase()}`, proto, port));
            return;
          }
        }
      }
      ports.push(servicePort(name, protocol, port));
    });
  }
  const target = p.targetPort ?? '';
  for (const sp of ports) {
    if (target) sp.targetPort = /^[+-]?\d+$/.test(target) ? Number(target) : target;
    else sp.targetPort = sp.port;
  }
  const metadata: any = { name: p.name };
  if (p.namespace) metadata.namespace = p.namespace;
  metadata.creationTimestamp = null;
  if (labels && Object.keys(labels).length) metadata.labels = sortKeys(labels);
  const spec: any = {};
  if (ports.length) spec.ports = ports;
  if (Object.keys(selector).length) spec.selector = sortKeys(selector);
  if (p.clusterIP) spec.clusterIP = p.clusterIP;
  if (p.type) spec.type = p.type;
  if (p.externalIP) spec.externalIPs = [p.externalIP];
  if (p.sessionAffinity) {
    if (p.sessionAffinity !== 'None' && p.sessionAffinity !== 'ClientIP') throw new KubectlError(`unknown session affinity: ${p.sessionAffinity}`);
    spec.sessionAffinity = p.sessionAffinity;
  }
  if (p.type === 'LoadBalancer' && p.loadBalancerIP) spec.loadBalancerIP = p.loadBalancerIP;
  // struct order: ports, selector, clusterIP, type, externalIPs, sessionAffinity, loadBalancerIP
  const ordered: any = {};
  for (const k of ['ports', 'selector', 'clusterIP', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP']) if (spec[k] !== undefined) ordered[k] = spec[k];
  return { kind: 'Service', apiVersion: 'v1', metadata, spec: ordered, status: { loadBalancer: {} } };
}

function servicePort(name: string, protocol: string, port: number): any {
  const sp: any = {};
  if (name) sp.name = name;
  if (protocol) sp.protocol = protocol;
  sp.port = port;
  return sp;
}

/** the pod spec inside a workload (or the pod's own) */
export function podSpecOf(obj: any): any {
  if (obj?.kind === 'Pod') return obj.spec;
  if (obj?.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template?.spec;
  return obj?.spec?.template?.spec;
}

/** MapBasedSelectorForObject: the selector as `k=v,…`, or kubectl's reason why there is none */
export function selectorForObject(obj: any): string {
  const join = (m: Record<string, string>) =>
    Object.entries(m)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  switch (obj?.kind) {
    case 'Pod': {
      const labels = obj.metadata?.labels ?? {};
      if (!Object.keys(labels).length) throw new Error('the pod has no labels and cannot be exposed');
      return join(labels);
    }
    case 'Service':
      if (!obj.spec?.selector) throw new Error('the service has no pod selector set');
      return join(obj.spec.selector);
    case 'ReplicationController':
      return join(obj.spec?.selector ?? {});
    case 'Deployment':
    case 'ReplicaSet': {
      const sel = obj.spec?.selector ?? {};
      if (!Object.keys(sel.matchLabels ?? {}).length) throw new Error(`invalid ${obj.kind.toLowerCase()}: no selectors, therefore cannot be exposed`);
      if (sel.matchExpressions?.length) throw new Error(`couldn't convert expressions - "${goExprs(sel.matchExpressions)}" to map-based selector format`);
      return join(sel.matchLabels ?? {});
    }
  }
  throw new Error(`cannot extract pod selector from ${obj?.kind}`);
}

function goExprs(exprs: any[]): string {
  return '[' + exprs.map((e) => `{Key:${e.key} Operator:${e.operator} Values:[${(e.values ?? []).join(' ')}]}`).join(' ') + ']';
}

/** PortsForObject: container ports (or a Service's ports) as strings */
export function portsForObject(obj: any): string[] {
  if (obj?.kind === 'Service') return (obj.spec?.ports ?? []).map((p: any) => String(p.port));
  const spec = podSpecOf(obj);
  const out: string[] = [];
  for (const c of spec?.containers ?? []) for (const p of c.ports ?? []) out.push(String(p.containerPort));
  return out;
}

/** ProtocolsForObject: port → protocols */
export function protocolsForObject(obj: any): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const add = (port: string, proto: string) => {
    const cur = m.get(port) ?? [];
    if (!cur.includes(proto)) cur.push(proto);
    m.set(port, cur);
  };
  if (obj?.kind === 'Service') {
    for (const p of obj.spec?.ports ?? []) add(String(p.port), p.protocol || 'TCP');
    return m;
  }
  const spec = podSpecOf(obj);
  for (const c of spec?.containers ?? []) for (const p of c.ports ?? []) add(String(p.containerPort), p.protocol || 'TCP');
  return m;
}
