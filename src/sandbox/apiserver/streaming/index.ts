/**
 * The streaming subresources of pods: `log` (plain HTTP) and `exec`, `attach`, `portforward`
 * (connection upgrades: websocket or SPDY/3.1, see kubectl-wire.md §7).
 *
 * Wiring (server.ts):
 *   server.on('upgrade', (req, socket, head) => {
 *     socket.on('error', () => {});
 *     // authenticate; on failure: rejectUpgrade(socket, errors.unauthorized())
 *     const target = isStreamingUpgrade(req);          // { namespace, pod, subresource } | undefined
 *     if (!target) return rejectUpgrade(socket, errors.pathNotFound());
 *     const object = store.tryGet(podsRt, target.namespace, target.pod);
 *     handleUpgrade(req, socket, head, { ...target, query: new URL(req.url!, 'https://x').searchParams, object }, runtime);
 *   });
 * and for `GET /api/v1/namespaces/{ns}/pods/{name}/log`: `await handleLog(req, res, {namespace, pod, query, object}, runtime)`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ContainerRuntime } from '../../kubelet/runtime.js';
import { errors } from '../errors.js';
import { rejectUpgrade, writeRawResponse, type StreamingSubresource, type StreamParams } from './common.js';
import { EXEC_SPDY_PROTOCOLS, EXEC_WS_PROTOCOLS, serveSpdyExec, serveWebSocketExec, type ByteTransport } from './exec.js';
import { parseExecRequest } from './session.js';
import {
  parsePortForwardRequest, PORTFORWARD_SPDY_PROTOCOL, PORTFORWARD_TUNNEL_PROTOCOL, PORTFORWARD_WS_PROTOCOLS,
  serveSpdyPortForward, serveWebSocketPortForward,
} from './portforward.js';
import type { SpdySession } from './spdy.js';
import { acceptWebSocket, checkHandshake, isWebSocketRequest, offeredSubprotocols, type WebSocketConnection } from './websocket.js';

export { handleLog, parseLogOptions } from './log.js';
export { rejectUpgrade, KubeletError, type LogParams, type StreamParams, type StreamingSubresource } from './common.js';

const SUBRESOURCES: readonly StreamingSubresource[] = ['exec', 'attach', 'portforward'];

/** is `Upgrade: SPDY/3.1` requested? */
function isSpdyRequest(req: IncomingMessage): boolean {
  const u = req.headers.upgrade;
  return typeof u === 'string' && u.toLowerCase().split(/\s*,\s*/).some((p) => p.startsWith('spdy/3'));
}

/** `/api/v1/namespaces/{ns}/pods/{name}/{exec|attach|portforward}` → its parts */
export function parseStreamingPath(path: string): { namespace: string; pod: string; subresource: StreamingSubresource } | undefined {
  const p = path.split('?')[0].replace(/\/+$/, '');
  const segs = p.split('/').filter(Boolean);
  if (segs.length !== 7 || segs[0] !== 'api' || segs[1] !== 'v1' || segs[2] !== 'namespaces' || segs[4] !== 'pods') return undefined;
  const sub = segs[6] as StreamingSubresource;
  if (!SUBRESOURCES.includes(sub)) return undefined;
  try {
    return { namespace: decodeURIComponent(segs[3]), pod: decodeURIComponent(segs[5]), subresource: sub };
  } catch {
    return undefined;
  }
}

/**
 * Is this an upgrade request (websocket or SPDY) for a pod's exec/attach/portforward? Returns the
 * path's parts, or undefined.
 */
export function isStreamingUpgrade(req: IncomingMessage): { namespace: string; pod: string; subresource: StreamingSubresource } | undefined {
  if (!isWebSocketRequest(req) && !isSpdyRequest(req)) return undefined;
  return parseStreamingPath(req.url ?? '');
}

/** X-Stream-Protocol-Version values (repeated headers arrive comma-joined) */
function spdyOffered(req: IncomingMessage): string[] {
  const raw = req.headers['x-stream-protocol-version'];
  const joined = Array.isArray(raw) ? raw.join(',') : raw ?? '';
  return joined.split(',').map((s) => s.trim()).filter(Boolean);
}

/** the first of `supported` (server preference) that the client offered */
function pick(offered: string[], supported: readonly string[]): string | undefined {
  return supported.find((p) => offered.includes(p));
}

function socketTransport(socket: Duplex): ByteTransport {
  return {
    write: (b) => (socket.destroyed || !socket.writable ? true : socket.write(b)),
    waitDrain: () =>
      new Promise((resolve) => {
        const s = socket as Duplex & { writableNeedDrain?: boolean };
        if (socket.destroyed || !s.writableNeedDrain) return resolve();
        const done = () => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      }),
    end: () => socket.end(),
    destroy: () => socket.destroy(),
  };
}

function wsTransport(conn: WebSocketConnection): ByteTransport {
  return {
    write: (b) => conn.send(b, true),
    waitDrain: () => conn.waitDrain(),
    end: () => conn.close(1000),
    destroy: () => conn.terminate(),
  };
}

/** run a SPDY session on a raw upgraded socket */
function runSpdyOnSocket(socket: Duplex, head: Buffer, start: (t: ByteTransport) => SpdySession): void {
  const session = start(socketTransport(socket));
  const gone = () => session.destroy();
  socket.on('data', (chunk: Buffer) => session.feed(chunk));
  socket.on('close', gone);
  socket.on('end', () => {
    gone();
    socket.end();
  });
  socket.on('error', () => {
    gone();
    socket.destroy();
  });
  if (head.length) session.feed(Buffer.from(head));
}

/** run a SPDY session tunnelled in websocket binary messages */
function runSpdyOnWebSocket(conn: WebSocketConnection, start: (t: ByteTransport) => SpdySession): void {
  const session = start(wsTransport(conn));
  conn.start({
    onMessage: (data, binary) => {
      if (binary) session.feed(data);
    },
    onClose: () => session.destroy(),
  });
}

/**
 * Take over an upgrade request for `pods/{name}/exec|attach|portforward` (authentication and the
 * pod lookup are the caller's). Answers errors as HTTP responses on the socket; never throws.
 */
export function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, params: StreamParams, runtime: ContainerRuntime): void {
  socket.on('error', () => {});
  try {
    serveUpgrade(req, socket, head ?? Buffer.alloc(0), params, runtime);
  } catch (err) {
    rejectUpgrade(socket, err);
  }
}

function serveUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, params: StreamParams, runtime: ContainerRuntime): void {
  const ws = isWebSocketRequest(req);
  const spdy = !ws && isSpdyRequest(req);
  if (!ws && !spdy) throw errors.badRequest('Upgrade request required');
  if (params.subresource === 'portforward') {
    if (ws) {
      const bad = checkHandshake(req);
      if (bad) return writeRawResponse(socket, bad.code, 'text/plain; charset=utf-8', bad.message, bad.headers);
      const offered = offeredSubprotocols(req);
      const protocol = offered.length ? pick(offered, PORTFORWARD_WS_PROTOCOLS) : '';
      if (protocol === undefined) {
        return writeRawResponse(socket, 400, 'text/plain; charset=utf-8',
          `unable to upgrade: unable to negotiate protocol: client supports ${goList(offered)}, server supports ${goList(PORTFORWARD_WS_PROTOCOLS)}`);
      }
      if (protocol === PORTFORWARD_TUNNEL_PROTOCOL) {
        const target = parsePortForwardRequest(params, false);
        const conn = acceptWebSocket(req, socket, head, protocol);
        return runSpdyOnWebSocket(conn, (t) => serveSpdyPortForward(t, target, runtime));
      }
      const target = parsePortForwardRequest(params, true);
      const conn = acceptWebSocket(req, socket, head, protocol);
      return serveWebSocketPortForward(conn, target, runtime);
    }
    const offered = spdyOffered(req);
    if (offered.length && !offered.includes(PORTFORWARD_SPDY_PROTOCOL)) {
      return writeRawResponse(socket, 403, 'text/plain; charset=utf-8',
        `unable to upgrade: unable to negotiate protocol: client supports ${goList(offered)}, server supports ${goList([PORTFORWARD_SPDY_PROTOCOL])}`,
        { 'X-Stream-Protocol-Version': PORTFORWARD_SPDY_PROTOCOL });
    }
    const target = parsePortForwardRequest(params, false);
    writeSpdySwitch(socket, offered.length ? PORTFORWARD_SPDY_PROTOCOL : '');
    return runSpdyOnSocket(socket, head, (t) => serveSpdyPortForward(t, target, runtime));
  }

  // exec / attach
  if (ws) {
    const bad = checkHandshake(req);
    if (bad) return writeRawResponse(socket, bad.code, 'text/plain; charset=utf-8', bad.message, bad.headers);
    const offered = offeredSubprotocols(req);
    const protocol = offered.length ? pick(offered, EXEC_WS_PROTOCOLS) : '';
    if (protocol === undefined) {
      return writeRawResponse(socket, 400, 'text/plain; charset=utf-8',
        `unable to upgrade: unable to negotiate protocol: client supports ${goList(offered)}, server supports ${goList(EXEC_WS_PROTOCOLS)}`);
    }
    const execReq = parseExecRequest(params);
    const conn = acceptWebSocket(req, socket, head, protocol);
    return serveWebSocketExec(conn, execReq, runtime);
  }
  const offered = spdyOffered(req);
  const protocol = offered.length ? pick(offered, EXEC_SPDY_PROTOCOLS) : 'channel.k8s.io';
  if (protocol === undefined) {
    return writeRawResponse(socket, 403, 'text/plain; charset=utf-8',
      `unable to upgrade: unable to negotiate protocol: client supports ${goList(offered)}, server supports ${goList(EXEC_SPDY_PROTOCOLS)}`,
      { 'X-Stream-Protocol-Version': EXEC_SPDY_PROTOCOLS.join(', ') });
  }
  const execReq = parseExecRequest(params);
  writeSpdySwitch(socket, offered.length ? protocol : '');
  runSpdyOnSocket(socket, head, (t) => serveSpdyExec(t, protocol, execReq, runtime));
}

function goList(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}

function writeSpdySwitch(socket: Duplex, protocol: string): void {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1'];
  if (protocol) lines.push(`X-Stream-Protocol-Version: ${protocol}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  (socket as Duplex & { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
}
