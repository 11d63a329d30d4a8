/** Running one probe against a simulated container (pure apart from calling the program). */
import type { HttpHandler } from './listeners.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ProbeTarget {
  podIP: string;
  /** the address probes come from (the node's bridge address) */
  sourceIP: string;
  /** container port name → number */
  namedPorts: Record<string, number>;
  findHandler(ip: string, port: number): HttpHandler | undefined;
  /** run a command in the container: exit code and combined output */
  exec(argv: string[]): Promise<{ code: number; output: string }>;
  /** a program the simulator does not model (system pods): every probe passes */
  opaque?: boolean;
}

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export const KUBE_PROBE_UA = 'kube-probe/1.33';

function portOf(p: Json, t: ProbeTarget): number | undefined {
  if (typeof p === 'number') return p;
  if (typeof p === 'string' && /^\d+$/.test(p)) return Number(p);
  return typeof p === 'string' ? t.namedPorts[p] : undefined;
}

export async function runProbe(probe: Json, t: ProbeTarget): Promise<ProbeResult> {
  if (t.opaque) return { ok: true, message: '' };
  if (probe.httpGet) {
    const g = probe.httpGet;
    const ip = g.host || t.podIP;
    const port = portOf(g.port, t);
    const path = g.path || '/';
    const scheme = (g.scheme || 'HTTP').toLowerCase();
    const url = `${scheme}://${ip}:${port ?? g.port}${path}`;
    if (port === undefined) return { ok: false, message: `unable to resolve port: ${g.port}` };
    const h = t.findHandler(ip, port);
    if (!h) return { ok: false, message: `Get "${url}": dial tcp ${ip}:${port}: connect: connection refused` };
    const headers: Record<string, string> = { host: `${ip}:${port}`, 'user-agent': KUBE_PROBE_UA, accept: '*/*' };
    for (const hh of g.httpHeaders ?? []) headers[String(hh.name).toLowerCase()] = String(hh.value);
    let status: number;
    try {
      status = h({ method: 'GET', path, headers, remoteAddress: t.sourceIP }).status;
    } catch {
      return { ok: false, message: `Get "${url}": EOF` };
    }
    if (status >= 200 && status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${status}` };
  }
  if (probe.tcpSocket) {
    const ip = probe.tcpSocket.host || t.podIP;
    const port = portOf(probe.tcpSocket.port, t);
    if (port !== undefined && t.findHandler(ip, port)) return { ok: true, message: '' };
    return { ok: false, message: `dial tcp ${ip}:${port ?? probe.tcpSocket.port}: connect: connection refused` };
  }
  if (probe.exec) {
    const argv: string[] = probe.exec.command ?? [];
    const r = await t.exec(argv);
    return r.code === 0 ? { ok: true, message: '' } : { ok: false, message: r.output };
  }
  // grpc and anything else: the simulated programs have no gRPC health service; count as healthy
  return { ok: true, message: '' };
}
