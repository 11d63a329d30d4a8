/** describeContainers and its parts (ports, command, state, resources, probes, env, mounts). */
import { formatRFC1123Z, goStringSlice, intOrString, joinHostPort } from './format.js';
import { goSort, goStringLess, sortStrings } from './gosort.js';
import { fmtQuantity, milliValue, parseQuantity, value, type Quantity } from './quantity.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './writer.js';

/** resolves a fieldRef env var; undefined resolver (pod templates) → "" */
export type EnvResolver = ((e: any) => string) | undefined;

/**
 * EnvValueRetriever(pod): kubectl converts the field path with its scheme, which only knows
 * metadata.name and metadata.namespace for pods, so everything else resolves to "".
 */
export function envValueRetriever(pod: any): EnvResolver {
  return (e: any) => {
    const apiVersion: string = e?.valueFrom?.fieldRef?.apiVersion ?? '';
    if (apiVersion.split('/').length > 2) return '';
    const path: string = e?.valueFrom?.fieldRef?.fieldPath ?? '';
    if (path === 'metadata.name') return pod?.metadata?.name ?? '';
    if (path === 'metadata.namespace') return pod?.metadata?.namespace ?? '';
    return '';
  };
}

function fmtTime(ts: unknown, tz: string | undefined): string {
  return formatRFC1123Z(ts, tz);
}

export function describeContainers(
  label: string,
  containers: any[] | undefined,
  statuses: any[] | undefined,
  resolver: EnvResolver,
  w: PrefixWriter,
  space: string,
  tz: string | undefined,
): void {
  const byName = new Map<string, any>();
  for (const s of statuses ?? []) byName.set(s?.name ?? '', s);
  const list = containers ?? [];
  w.write(LEVEL_0, `${space}${label}:${list.length === 0 ? ' <none>' : ''}\n`);
  for (const c of list) {
    const status = byName.get(c?.name ?? '');
    const ok = byName.has(c?.name ?? '');
    describeContainerBasicInfo(c, status, ok, space, w);
    describeContainerCommand(c, w);
    if (ok) describeContainerState(status, w, tz);
    describeResources(c?.resources, w, LEVEL_2);
    describeContainerProbe(c, w);
    if ((c?.envFrom ?? []).length > 0) describeContainerEnvFrom(c, w);
    describeContainerEnvVars(c, resolver, w);
    describeContainerVolumes(c, w);
  }
}

function describeContainerBasicInfo(c: any, status: any, ok: boolean, space: string, w: PrefixWriter): void {
  const nameIndent = space.length > 0 ? ' ' : '';
  w.write(LEVEL_1, `${nameIndent}${c?.name ?? ''}:\n`);
  if (ok) w.write(LEVEL_2, `Container ID:\t${status?.containerID ?? ''}\n`);
  w.write(LEVEL_2, `Image:\t${c?.image ?? ''}\n`);
  if (ok) w.write(LEVEL_2, `Image ID:\t${status?.imageID ?? ''}\n`);
  const ports: any[] = c?.ports ?? [];
  const portString = ports.map((p) => `${p?.containerPort ?? 0}/${p?.protocol ?? ''}`).join(', ');
  if (portString.includes(',')) w.write(LEVEL_2, `Ports:\t${portString}\n`);
  else w.write(LEVEL_2, `Port:\t${portString || '<none>'}\n`);
  const hostPortString = ports.map((p) => `${p?.hostPort ?? 0}/${p?.protocol ?? ''}`).join(', ');
  if (hostPortString.includes(',')) w.write(LEVEL_2, `Host Ports:\t${hostPortString}\n`);
  else w.write(LEVEL_2, `Host Port:\t${hostPortString || '<none>'}\n`);
  const sp = c?.securityContext?.seccompProfile;
  if (sp) {
    w.write(LEVEL_2, `SeccompProfile:\t${sp.type ?? ''}\n`);
    if (sp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${sp.localhostProfile ?? ''}\n`);
  }
}

function describeContainerCommand(c: any, w: PrefixWriter): void {
  const command: string[] = c?.command ?? [];
  if (command.length > 0) {
    w.write(LEVEL_2, 'Command:\n');
    for (const x of command) for (const s of String(x).split('\n')) w.write(LEVEL_3, `${s}\n`);
  }
  const args: string[] = c?.args ?? [];
  if (args.length > 0) {
    w.write(LEVEL_2, 'Args:\n');
    for (const x of args) for (const s of String(x).split('\n')) w.write(LEVEL_3, `${s}\n`);
  }
}

/** resource names sorted byte-wise */
export function sortedResourceNames(list: Record<string, unknown> | undefined | null): string[] {
  return sortStrings(Object.keys(list ?? {}));
}

export function describeResources(resources: any, w: PrefixWriter, level: number): void {
  if (!resources) return;
  const limits = resources.limits ?? {};
  const requests = resources.requests ?? {};
  if (Object.keys(limits).length > 0) w.write(level, 'Limits:\n');
  for (const name of sortedResourceNames(limits)) w.write(level + 1, `${name}:\t${fmtQuantity(limits[name])}\n`);
  if (Object.keys(requests).length > 0) w.write(level, 'Requests:\n');
  for (const name of sortedResourceNames(requests)) w.write(level + 1, `${name}:\t${fmtQuantity(requests[name])}\n`);
}

function describeStatus(stateName: string, state: any, w: PrefixWriter, tz: string | undefined): void {
  if (state?.running) {
    w.write(LEVEL_2, `${stateName}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${fmtTime(state.running.startedAt, tz)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${stateName}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${fmtTime(t.startedAt, tz)}\n`);
    w.write(LEVEL_3, `Finished:\t${fmtTime(t.finishedAt, tz)}\n`);
  } else {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
  }
}

function describeContainerState(status: any, w: PrefixWriter, tz: string | undefined): void {
  describeStatus('State', status?.state, w, tz);
  if (status?.lastState?.terminated) describeStatus('Last State', status.lastState, w, tz);
  w.write(LEVEL_2, `Ready:\t${status?.ready ? 'True' : 'False'}\n`);
  w.write(LEVEL_2, `Restart Count:\t${status?.restartCount ?? 0}\n`);
}

function describeContainerProbe(c: any, w: PrefixWriter): void {
  if (c?.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c?.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c?.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

/** DescribeProbe */
export function describeProbe(p: any): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec ${goStringSlice(p.exec.command)} ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet;
    const scheme = String(h.scheme ?? '').toLowerCase();
    const port = h.port === undefined || h.port === null ? '' : intOrString(h.port);
    const host = port.length > 0 ? joinHostPort(h.host ?? '', port) : (h.host ?? '');
    let path: string = h.path ?? '';
    if (path !== '' && !path.startsWith('/') && host !== '') path = '/' + path;
    let url = '';
    if (scheme !== '') url += scheme + ':';
    if (scheme !== '' || host !== '') url += '//' + host;
    url += escapePath(path);
    return `http-get ${url} ${attrs}`;
  }
  if (p.tcpSocket) {
    const port = p.tcpSocket.port === undefined || p.tcpSocket.port === null ? '' : intOrString(p.tcpSocket.port);
    return `tcp-socket ${p.tcpSocket.host ?? ''}:${port} ${attrs}`;
  }
  if (p.grpc) return `grpc <pod>:${p.grpc.port ?? 0} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

/** url.URL.EscapedPath for ordinary paths */
function escapePath(path: string): string {
  return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (ch) =>
    Array.from(Buffer.from(ch, 'utf8'))
      .map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0'))
      .join(''),
  );
}

function describeContainerEnvFrom(c: any, w: PrefixWriter): void {
  const envFrom: any[] = c?.envFrom ?? [];
  w.write(LEVEL_2, `Environment Variables from:${envFrom.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of envFrom) {
    let from = '';
    let name = '';
    let optional = false;
    if (e?.configMapRef) {
      from = 'ConfigMap';
      name = e.configMapRef.name ?? '';
      optional = e.configMapRef.optional === true;
    } else if (e?.secretRef) {
      from = 'Secret';
      name = e.secretRef.name ?? '';
      optional = e.secretRef.optional === true;
    }
    if (!e?.prefix) w.write(LEVEL_3, `${name}\t${from}\tOptional: ${optional}\n`);
    else w.write(LEVEL_3, `${name}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
  }
}

function quantityOrZero(raw: unknown): Quantity {
  return parseQuantity(raw) ?? { nanos: 0n, format: 'DecimalSI' };
}

/** resourcehelper.ExtractContainerResourceValue; undefined on an unsupported resource (set env --resolve uses it too) */
export function extractContainerResourceValue(fs: any, c: any): string | undefined {
  let divisor = parseQuantity(fs?.divisor);
  if (!divisor || divisor.nanos === 0n) divisor = { nanos: 1_000_000_000n, format: 'DecimalSI' };
  const limits = c?.resources?.limits ?? {};
  const requests = c?.resources?.requests ?? {};
  const ceilDiv = (a: bigint, b: bigint): string => {
    if (b === 0n) return '0';
    const qq = a / b;
    return String(a % b !== 0n && a > 0n === b > 0n ? qq + 1n : qq);
  };
  const cpu = (raw: unknown) => ceilDiv(milliValue(quantityOrZero(raw)), milliValue(divisor!));
  const mem = (raw: unknown) => ceilDiv(value(quantityOrZero(raw)), value(divisor!));
  const r: string = fs?.resource ?? '';
  switch (r) {
    case 'limits.cpu':
      return cpu(limits.cpu);
    case 'limits.memory':
      return mem(limits.memory);
    case 'limits.ephemeral-storage':
      return mem(limits['ephemeral-storage']);
    case 'requests.cpu':
      return cpu(requests.cpu);
    case 'requests.memory':
      return mem(requests.memory);
    case 'requests.ephemeral-storage':
      return mem(requests['ephemeral-storage']);
  }
  if (r.startsWith('requests.hugepages-')) return mem(requests[r.slice('requests.'.length)]);
  if (r.startsWith('limits.hugepages-')) return mem(limits[r.slice('limits.'.length)]);
  return undefined;
}

function describeContainerEnvVars(c: any, resolver: EnvResolver, w: PrefixWriter): void {
  const env: any[] = c?.env ?? [];
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const vf = e?.valueFrom;
    if (!vf) {
      String(e?.value ?? '')
        .split('\n')
        .forEach((s, i) => {
          if (i === 0) w.write(LEVEL_3, `${e?.name ?? ''}:\t${s}\n`);
          else w.write(LEVEL_3, `\t${s}\n`);
        });
      continue;
    }
    if (vf.fieldRef) {
      const v = resolver ? resolver(e) : '';
      w.write(LEVEL_3, `${e.name ?? ''}:\t${v} (${vf.fieldRef.apiVersion ?? ''}:${vf.fieldRef.fieldPath ?? ''})\n`);
    } else if (vf.resourceFieldRef) {
      let v = extractContainerResourceValue(vf.resourceFieldRef, c) ?? '';
      const resource = vf.resourceFieldRef.resource ?? '';
      if (v === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) v = 'node allocatable';
      w.write(LEVEL_3, `${e.name ?? ''}:\t${v} (${resource})\n`);
    } else if (vf.secretKeyRef) {
      const optional = vf.secretKeyRef.optional === true;
      w.write(LEVEL_3, `${e.name ?? ''}:\t<set to the key '${vf.secretKeyRef.key ?? ''}' in secret '${vf.secretKeyRef.name ?? ''}'>\tOptional: ${optional}\n`);
    } else if (vf.configMapKeyRef) {
      const optional = vf.configMapKeyRef.optional === true;
      w.write(LEVEL_3, `${e.name ?? ''}:\t<set to the key '${vf.configMapKeyRef.key ?? ''}' of config map '${vf.configMapKeyRef.name ?? ''}'>\tOptional: ${optional}\n`);
    }
  }
}

function describeContainerVolumes(c: any, w: PrefixWriter): void {
  const mounts: any[] = c?.volumeMounts ?? [];
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(LEVEL_2, `Mounts:${none}\n`);
  for (const m of goSort([...mounts], (a, b) => goStringLess(a?.mountPath ?? '', b?.mountPath ?? ''))) {
    const flags = [m?.readOnly ? 'ro' : 'rw'];
    if (m?.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(LEVEL_3, `${m?.mountPath ?? ''} from ${m?.name ?? ''} (${flags.join(',')})\n`);
  }
  const devices: any[] = c?.volumeDevices ?? [];
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`);
    for (const d of goSort([...devices], (a, b) => goStringLess(a?.devicePath ?? '', b?.devicePath ?? ''))) {
      w.write(LEVEL_3, `${d?.devicePath ?? ''} from ${d?.name ?? ''}\n`);
    }
  }
}
