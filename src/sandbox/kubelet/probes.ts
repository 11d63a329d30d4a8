/**
 * Running one probe against a simulated container (pure apart from calling the program).
 *
 * `timeoutSeconds` (default 1) bounds every probe on the sandbox clock, as the kubelet's prober
 * does: an HTTP answer that takes longer (a program's `delayMs`, or never) fails with Go's
 * client-timeout wording, an exec command still running when the time is up fails with the CRI
 * runtime's `command "…" timed out`, a TCP connect nobody answers fails with `i/o timeout`.
 */
import type { Clock, Timer } from '../clock.js';
import type { HttpHandler, SimResponse } from './listeners.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ProbeTarget {
  podIP: string;
  /** the address probes come from (the node's bridge address) */
  sourceIP: string;
  /** container port name → number */
  namedPorts: Record<string, number>;
  findHandler(ip: string, port: number): HttpHandler | undefined;
  /** run a command in the container: exit code and combined output; `signal` aborts it (timeout) */
  exec(argv: string[], signal?: AbortSignal): Promise<{ code: number; output: string }>;
  /** a program the simulator does not model (system pods): every probe passes */
  opaque?: boolean;
  /** the sandbox clock (timeouts); without it probes never time out */
  clock?: Pick<Clock, 'after'>;
  /** does anything answer at `ip` at all (a pod or node)? false: a connect is never answered */
  reachable?(ip: string): boolean;
}

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export const KUBE_PROBE_UA = 'kube-probe/1.33';

/** a response that never comes */
export const NEVER = Number.POSITIVE_INFINITY;

function portOf(p: Json, t: ProbeTarget): number | undefined {
  if (typeof p === 'number') return p;
  if (typeof p === 'string' && /^\d+$/.test(p)) return Number(p);
  return typeof p === 'string' ? t.namedPorts[p] : undefined;
}

/** the probe's timeout in ms (`timeoutSeconds`, default 1, minimum 1) */
export function probeTimeoutMs(probe: Json): number {
  const s = Number(probe?.timeoutSeconds ?? 1);
  return Math.max(1, Number.isFinite(s) ? s : 1) * 1000;
}

/** resolve after `ms` on the clock (never without a clock or for an infinite wait); `onTimer` gets the timer */
function wait(t: ProbeTarget, ms: number, onTimer?: (tm: Timer) => void): Promise<void> {
  return new Promise((resolve) => {
    if (!t.clock || !Number.isFinite(ms)) return;
    const tm = t.clock.after(ms, resolve);
    onTimer?.(tm);
  });
}

export async function runProbe(probe: Json, t: ProbeTarget): Promise<ProbeResult> {
  if (t.opaque) return { ok: true, message: '' };
  const timeoutMs = probeTimeoutMs(probe);
  if (probe.httpGet) {
    const g = probe.httpGet;
    const ip = g.host || t.podIP;
    const port = portOf(g.port, t);
    const path = g.path || '/';
    const scheme = (g.scheme || 'HTTP').toLowerCase();
    const url = `${scheme}://${ip}:${port ?? g.port}${path}`;
    if (port === undefined) return { ok: false, message: `unable to resolve port: ${g.port}` };
    const h = t.findHandler(ip, port);
    if (!h) {
      if (t.reachable && !t.reachable(ip)) {
        await wait(t, timeoutMs);
        return { ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
      }
      return { ok: false, message: `Get "${url}": dial tcp ${ip}:${port}: connect: connection refused` };
    }
    const headers: Record<string, string> = { host: `${ip}:${port}`, 'user-agent': KUBE_PROBE_UA, accept: '*/*' };
    for (const hh of g.httpHeaders ?? []) headers[String(hh.name).toLowerCase()] = String(hh.value);
    let res: SimResponse;
    try {
      res = h({ method: 'GET', path, headers, remoteAddress: t.sourceIP });
    } catch {
      return { ok: false, message: `Get "${url}": EOF` };
    }
    const delay = res.delayMs ?? 0;
    if (delay > 0 && t.clock) {
      if (delay >= timeoutMs) {
        await wait(t, timeoutMs);
        return { ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
      }
      await wait(t, delay);
    }
    const status = res.status;
    if (status >= 200 && status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${status}` };
  }
  if (probe.tcpSocket) {
    const ip = probe.tcpSocket.host || t.podIP;
    const port = portOf(probe.tcpSocket.port, t);
    if (port !== undefined && t.findHandler(ip, port)) return { ok: true, message: '' };
    if (port !== undefined && t.reachable && !t.reachable(ip)) {
      await wait(t, timeoutMs);
      return { ok: false, message: `dial tcp ${ip}:${port}: i/o timeout` };
    }
    return { ok: false, message: `dial tcp ${ip}:${port ?? probe.tcpSocket.port}: connect: connection refused` };
  }
  if (probe.exec) {
    const argv: string[] = probe.exec.command ?? [];
    if (!t.clock) {
      const r = await t.exec(argv);
      return r.code === 0 ? { ok: true, message: '' } : { ok: false, message: r.output };
    }
    const ac = new AbortController();
    let timer: Timer | undefined;
    const r = await Promise.race([
      t.exec(argv, ac.signal),
      wait(t, timeoutMs, (tm) => { timer = tm; }).then(() => undefined),
    ]);
    if (r === undefined) {
      ac.abort();
      return { ok: false, message: `command ${JSON.stringify(argv.join(' '))} timed out` };
    }
    timer?.cancel();
    return r.code === 0 ? { ok: true, message: '' } : { ok: false, message: r.output };
  }
  // grpc and anything else: the simulated programs have no gRPC health service; count as healthy
  return { ok: true, message: '' };
}
