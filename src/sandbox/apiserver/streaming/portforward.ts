/**
 * port-forward over its three wire forms:
 * - SPDY/3.1 `portforward.k8s.io` (kubectl 1.27–1.30, and the fallback of later ones): per local
 *   connection the client opens an `error` and a `data` stream sharing a `requestid` and a `port`;
 * - the same SPDY frames tunnelled in websocket binary messages (`SPDY/3.1+portforward.k8s.io`,
 *   kubectl 1.31+);
 * - websocket channel protocols (`v4.channel.k8s.io`, `channel.k8s.io`, base64 variants; what
 *   client-node's PortForward speaks): ports come from `?ports=`, channel 2i is the data and 2i+1
 *   the error channel of port i, and the server's first message on each carries the port as 2
 *   little-endian bytes.
 */
import { createHash } from 'node:crypto';
import { Duplex } from 'node:stream';
import type { ContainerRuntime } from '../../kubelet/runtime.js';
import { StatusError } from '../errors.js';
import type { KObject } from '../types.js';
import { KubeletError, podNotFound, requireHost, type StreamParams } from './common.js';
import type { ByteTransport } from './exec.js';
import { SpdySession, RST, type SpdyStream } from './spdy.js';
import type { WebSocketConnection } from './websocket.js';

export const PORTFORWARD_SPDY_PROTOCOL = 'portforward.k8s.io';
export const PORTFORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
/** websocket subprotocols for port-forward, most preferred first */
export const PORTFORWARD_WS_PROTOCOLS = [
  PORTFORWARD_TUNNEL_PROTOCOL, 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io', PORTFORWARD_SPDY_PROTOCOL,
  'channel.k8s.io', 'base64.channel.k8s.io',
];

const STREAM_PAIR_TIMEOUT_MS = 30_000;

export interface PortForwardTarget {
  namespace: string;
  pod: string;
  /** how the kubelet names the pod in its error messages (the sandbox id) */
  sandboxId: string;
  /** `?ports=` (websocket channel protocols only) */
  ports: number[];
}

function parsePort(s: string, raw: string): number {
  if (!/^\d+$/.test(s)) throw new KubeletError(`unable to parse ${JSON.stringify(raw)} as a port: strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`, 400);
  const n = Number(s);
  if (n > 65535) throw new KubeletError(`unable to parse ${JSON.stringify(raw)} as a port: strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`, 400);
  if (n < 1) throw new KubeletError(`port ${JSON.stringify(raw)} must be > 0`, 400);
  return n;
}

/** check a port-forward request (pod exists and is scheduled) and read `?ports=` */
export function parsePortForwardRequest(params: StreamParams, websocketChannels: boolean): PortForwardTarget {
  const pod = params.object;
  if (!pod) throw podNotFound(params.pod);
  requireHost(pod);
  const ports: number[] = [];
  if (websocketChannels) {
    const raw = [...params.query.getAll('ports'), ...params.query.getAll('port')];
    if (!raw.length) throw new KubeletError('query parameter "port" is required', 400);
    for (const r of raw) {
      if (!r) throw new KubeletError('query parameter "port" cannot be empty', 400);
      for (const p of r.split(',')) ports.push(parsePort(p, r));
    }
  }
  return { namespace: params.namespace, pod: params.pod, sandboxId: sandboxIdOf(pod), ports };
}

function sandboxIdOf(pod: KObject): string {
  return createHash('sha256').update(`${pod.metadata.uid ?? ''}/${pod.metadata.namespace}/${pod.metadata.name}`).digest('hex');
}

function forwardError(target: PortForwardTarget, port: number, err: unknown): string {
  const msg = err instanceof StatusError ? err.message : String((err as Error)?.message ?? err);
  return `error forwarding port ${port} to pod ${target.sandboxId}, uid : ${msg}`;
}

/** the connection handed to the runtime: what it writes goes to the client, what the client sends it reads */
function bridge(send: (b: Buffer) => boolean, drain: () => Promise<void>, onEnd: () => void): Duplex {
  const d = new Duplex({
    allowHalfOpen: true,
    read() {},
    write(chunk: Buffer | string, enc, cb) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, enc) : chunk;
      if (!buf.length || send(buf)) cb();
      else drain().then(() => cb(), () => cb());
    },
    final(cb) {
      onEnd();
      cb();
    },
  });
  d.on('error', () => {});
  return d;
}

function endReadable(d: Duplex): void {
  if (!d.readableEnded && !d.destroyed) d.push(null);
}

// -------------------------------------------------------------------------------------------------
// websocket channels

export function serveWebSocketPortForward(conn: WebSocketConnection, target: PortForwardTarget, runtime: ContainerRuntime): void {
  const base64 = conn.protocol.includes('base64');
  const send = (channel: number, data: Buffer): boolean => {
    if (base64) return conn.send(Buffer.from(String.fromCharCode(48 + channel) + data.toString('base64')), false);
    const msg = Buffer.allocUnsafe(data.length + 1);
    msg[0] = channel;
    data.copy(msg, 1);
    return conn.send(msg, true);
  };
  const conns: Duplex[] = [];
  let remaining = target.ports.length;
  const finishOne = (state: { done: boolean }) => {
    if (state.done) return;
    state.done = true;
    if (--remaining === 0) conn.close(1000);
  };
  target.ports.forEach((port, i) => {
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(port, 0);
    send(2 * i, prefix);
    send(2 * i + 1, prefix);
  });
  conn.start({
    onMessage(data, binary) {
      if (!data.length) return;
      const channel = binary ? data[0] : data[0] - 48;
      const payload = binary ? data.subarray(1) : Buffer.from(data.subarray(1).toString('latin1'), 'base64');
      if (channel % 2 !== 0) return; // error channels are the server's
      const d = conns[channel / 2];
      if (d && !d.readableEnded && payload.length) d.push(Buffer.from(payload));
    },
    onClose() {
      for (const d of conns) {
        endReadable(d);
        d.destroy();
      }
    },
  });
  target.ports.forEach((port, i) => {
    const state = { done: false };
    const d = bridge((b) => send(2 * i, b), () => conn.waitDrain(), () => finishOne(state));
    conns[i] = d;
    runtime.portForward(target.namespace, target.pod, port, d).catch((err) => {
      send(2 * i + 1, Buffer.from(forwardError(target, port, err)));
      endReadable(d);
      finishOne(state);
    });
  });
}

// -------------------------------------------------------------------------------------------------
// SPDY (raw or tunnelled)

interface StreamPair {
  requestId: string;
  port: number;
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

export function serveSpdyPortForward(t: ByteTransport, target: PortForwardTarget, runtime: ContainerRuntime): SpdySession {
  const pairs = new Map<string, StreamPair>();
  const live = new Set<Duplex>();

  const forward = (p: StreamPair) => {
    const data = p.data!;
    const error = p.error!;
    const d = bridge((b) => data.write(b), () => t.waitDrain(), () => data.end());
    live.add(d);
    d.on('close', () => live.delete(d));
    data.on({
      onData: (b) => { if (!d.readableEnded) d.push(b); },
      onEnd: () => endReadable(d),
      onReset: () => {
        endReadable(d);
        error.abort();
        d.destroy();
      },
    });
    runtime.portForward(target.namespace, target.pod, p.port, d).then(
      () => error.end(),
      (err) => {
        error.end(Buffer.from(forwardError(target, p.port, err)));
        endReadable(d);
        data.end();
      },
    );
  };

  const session = new SpdySession({
    write: (b) => t.write(b),
    onStream(s) {
      const portString = s.headers.port ?? '';
      const type = s.headers.streamtype ?? '';
      let port: number;
      try {
        if (!portString) throw new Error('"port" header is required');
        port = parsePort(portString, portString);
        if (!type) throw new Error('"streamType" header is required');
        if (type !== 'error' && type !== 'data') throw new Error(`invalid stream type ${JSON.stringify(type)}`);
      } catch {
        s.abort(RST.protocolError);
        return;
      }
      // old clients send no request id: the error stream's id, and the data stream's id - 2
      const requestId = s.headers.requestid || String(type === 'error' ? s.id : s.id - 2);
      let p = pairs.get(requestId);
      if (!p) {
        const timer = setTimeout(() => {
          const q = pairs.get(requestId);
          if (!q) return;
          pairs.delete(requestId);
          q.error?.end(Buffer.from(`timed out waiting for streams`));
          q.data?.abort();
        }, STREAM_PAIR_TIMEOUT_MS);
        timer.unref?.();
        p = { requestId, port, timer };
        pairs.set(requestId, p);
      }
      s.reply();
      if ((type === 'error' && p.error) || (type === 'data' && p.data)) {
        p.error?.end(Buffer.from(`error processing stream for request ${requestId}: ${type} stream already assigned`));
        s.abort(RST.protocolError);
        return;
      }
      if (type === 'error') {
        p.error = s;
        s.on({}); // the client only FINs it
      } else {
        p.data = s;
      }
      if (p.error && p.data) {
        clearTimeout(p.timer);
        pairs.delete(requestId);
        forward(p);
      }
    },
    onGoaway() {
      t.end();
    },
    onProtocolError() {
      t.destroy();
    },
  });

  const origDestroy = session.destroy.bind(session);
  session.destroy = () => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
    for (const d of live) {
      endReadable(d);
      d.destroy();
    }
    origDestroy();
  };
  return session;
}
