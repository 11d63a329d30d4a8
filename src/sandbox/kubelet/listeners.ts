/**
 * Simulated sockets: the HTTP handlers programs register on (pod IP, port). Network code
 * (Services, port-forward, exec'd curl) looks them up with `findListener(podIP, port)`.
 */
export interface SimRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** the client address as the program sees it (IPv4, e.g. 10.244.1.1) */
  remoteAddress: string;
  body?: string;
}

export interface SimResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
  /**
   * how long the program takes before it answers, in ms of sandbox time (default 0; Infinity:
   * never). Clients with a timeout (probes' timeoutSeconds, curl -m) give up first.
   */
  delayMs?: number;
}

export type HttpHandler = (req: SimRequest) => SimResponse;

export interface Listener {
  ip: string;
  port: number;
  protocol: 'TCP';
  handler: HttpHandler;
  namespace: string;
  pod: string;
  container: string;
}

export class ListenerTable {
  private readonly byAddr = new Map<string, Listener>();

  add(l: Listener): void {
    this.byAddr.set(`${l.ip}:${l.port}`, l);
  }

  remove(ip: string, port: number, handler?: HttpHandler): void {
    const k = `${ip}:${port}`;
    const cur = this.byAddr.get(k);
    if (cur && (!handler || cur.handler === handler)) this.byAddr.delete(k);
  }

  find(ip: string, port: number): Listener | undefined {
    return this.byAddr.get(`${ip}:${port}`);
  }

  all(): Listener[] {
    return [...this.byAddr.values()];
  }
}

/** every live kubelet set registers its table here (newest first) */
const tables: ListenerTable[] = [];

export function registerListenerTable(t: ListenerTable): () => void {
  tables.unshift(t);
  return () => {
    const i = tables.indexOf(t);
    if (i >= 0) tables.splice(i, 1);
  };
}

/** the program listening on podIP:port in any running sandbox, if any */
export function findListener(podIP: string, port: number): Listener | undefined {
  for (const t of tables) {
    const l = t.find(podIP, port);
    if (l) return l;
  }
  return undefined;
}

/** what other engineers import: `listeners.find(ip, port)` */
export const listeners = { find: findListener };
