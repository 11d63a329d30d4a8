/**
 * exec / attach over the two wire protocols:
 * - websocket channel protocols (`v5.channel.k8s.io` … `channel.k8s.io`, base64 variants): each
 *   message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize, 255 close);
 * - SPDY/3.1 (`v4.channel.k8s.io` … `channel.k8s.io`): one SPDY stream per channel, named by its
 *   `streamtype` header.
 */
import { PassThrough } from 'node:stream';
import type { ContainerRuntime } from '../../kubelet/runtime.js';
import { runSession, ResizeQueue, senderWritable, type ExecRequest, type SessionStreams } from './session.js';
import { RST, SpdySession, type SpdyStream } from './spdy.js';
import type { WebSocketConnection } from './websocket.js';

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** websocket subprotocols for exec/attach, most preferred first */
export const EXEC_WS_PROTOCOLS = [
  'v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io',
  'v5.base64.channel.k8s.io', 'v4.base64.channel.k8s.io', 'base64.channel.k8s.io',
];

/** SPDY X-Stream-Protocol-Version values for exec/attach, most preferred first */
export const EXEC_SPDY_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/** the remotecommand protocol generation: 5 and 4 carry Status JSON on the error channel, older ones text */
function generation(protocol: string): number {
  const m = /^v(\d+)\./.exec(protocol);
  return m ? Number(m[1]) : 1;
}

/** a stream of bytes that a SPDY session runs over (a socket, or a websocket tunnel) */
export interface ByteTransport {
  write(buf: Buffer): boolean;
  waitDrain(): Promise<void>;
  /** graceful close */
  end(): void;
  destroy(): void;
}

// -------------------------------------------------------------------------------------------------
// websocket

export function serveWebSocketExec(conn: WebSocketConnection, req: ExecRequest, runtime: ContainerRuntime): void {
  const protocol = conn.protocol || 'channel.k8s.io';
  const base64 = protocol.includes('base64');
  const gen = generation(protocol);
  const ac = new AbortController();
  const send = (channel: number, data: Buffer): boolean => {
    if (base64) return conn.send(Buffer.from(String.fromCharCode(48 + channel) + data.toString('base64')), false);
    const msg = Buffer.allocUnsafe(data.length + 1);
    msg[0] = channel;
    data.copy(msg, 1);
    return conn.send(msg, true);
  };
  const drain = () => conn.waitDrain();
  const streams: SessionStreams = { resize: new ResizeQueue() };
  if (req.stdin) {
    streams.stdin = new PassThrough();
    streams.stdin.on('error', () => {});
  }
  if (req.stdout) streams.stdout = senderWritable((b) => send(CHANNEL.stdout, b), drain);
  if (req.stderr) streams.stderr = senderWritable((b) => send(CHANNEL.stderr, b), drain);
  const endStdin = () => {
    if (streams.stdin && !streams.stdin.writableEnded) streams.stdin.end();
  };

  conn.start({
    onMessage(data, binary) {
      let channel: number;
      let payload: Buffer;
      if (!binary) {
        // base64 protocols: the channel as an ASCII digit, then base64
        if (!data.length) return;
        channel = data[0] - 48;
        payload = Buffer.from(data.subarray(1).toString('latin1'), 'base64');
      } else {
        if (!data.length) return;
        channel = data[0];
        payload = data.subarray(1);
      }
      switch (channel) {
        case CHANNEL.stdin:
          if (streams.stdin && !streams.stdin.writableEnded && payload.length) streams.stdin.write(Buffer.from(payload));
          return;
        case CHANNEL.resize:
          streams.resize.feed(payload.toString('utf8'));
          return;
        case CHANNEL.close:
          // v5: the client closed one of its channels (only stdin is the client's to close)
          if (gen >= 5 && payload[0] === CHANNEL.stdin) endStdin();
          return;
        default:
          return; // channels the client does not write to
      }
    },
    onClose() {
      endStdin();
      ac.abort();
    },
  });

  runSession(runtime, req, streams, ac.signal).then((outcome) => {
    if (!conn.isOpen) return;
    if (gen >= 4) send(CHANNEL.error, Buffer.from(outcome.status));
    else if (outcome.text !== undefined) send(CHANNEL.error, Buffer.from(outcome.text));
    conn.close(1000);
  }, () => conn.close(1011));
}

// -------------------------------------------------------------------------------------------------
// SPDY

const STREAM_CREATION_TIMEOUT_MS = 30_000;
/** after the session, how long to wait for the client's GOAWAY before dropping the connection */
const LINGER_MS = 30_000;

/**
 * Run an exec/attach session over SPDY. Returns the session so the caller can feed it the bytes that
 * arrive and destroy it when the transport is gone.
 */
export function serveSpdyExec(t: ByteTransport, protocol: string, req: ExecRequest, runtime: ContainerRuntime): SpdySession {
  const gen = generation(protocol);
  const ac = new AbortController();
  const expected = new Set<string>(['error']);
  if (req.stdin) expected.add('stdin');
  if (req.stdout) expected.add('stdout');
  if (req.stderr) expected.add('stderr');
  if (req.tty && gen >= 3) expected.add('resize');
  const byType = new Map<string, SpdyStream>();
  const streams: SessionStreams = { resize: new ResizeQueue() };
  let started = false;
  let done = false;
  let goaway = false;
  let linger: NodeJS.Timeout | undefined;

  const finishTransport = () => {
    if (linger) clearTimeout(linger);
    t.end();
  };

  const start = () => {
    started = true;
    clearTimeout(creationTimer);
    const out = byType.get('stdout');
    const err = byType.get('stderr');
    if (out) streams.stdout = senderWritable((b) => out.write(b), () => t.waitDrain());
    if (err) streams.stderr = senderWritable((b) => err.write(b), () => t.waitDrain());
    runSession(runtime, req, streams, ac.signal).then((outcome) => {
      out?.end();
      err?.end();
      const errorStream = byType.get('error')!;
      if (gen >= 4) errorStream.end(outcome.status === '{"metadata":{},"status":"Success"}' ? undefined : Buffer.from(outcome.status));
      else errorStream.end(outcome.text !== undefined ? Buffer.from(outcome.text) : undefined);
      byType.get('resize')?.end();
      byType.get('stdin')?.end();
      done = true;
      if (goaway) finishTransport();
      else {
        linger = setTimeout(() => t.destroy(), LINGER_MS);
        linger.unref?.();
      }
    }, () => t.destroy());
  };

  const session = new SpdySession({
    write: (b) => t.write(b),
    onStream(s) {
      const type = s.headers.streamtype ?? '';
      if (!['error', 'stdin', 'stdout', 'stderr', 'resize'].includes(type) || byType.has(type)) {
        s.abort(RST.protocolError);
        return;
      }
      byType.set(type, s);
      s.reply();
      if (type === 'stdin') {
        const stdin = new PassThrough();
        stdin.on('error', () => {});
        streams.stdin = stdin;
        const end = () => {
          if (!stdin.writableEnded) stdin.end();
        };
        s.on({ onData: (d) => { if (!stdin.writableEnded) stdin.write(d); }, onEnd: end, onReset: end });
      } else if (type === 'resize') {
        s.on({ onData: (d) => streams.resize.feed(d.toString('utf8')) });
      } else {
        s.on({});
      }
      if (!started && [...expected].every((e) => byType.has(e))) start();
    },
    onGoaway() {
      goaway = true;
      if (done) finishTransport();
    },
    onProtocolError() {
      ac.abort();
      t.destroy();
    },
  });

  const creationTimer = setTimeout(() => {
    if (started) return;
    const e = byType.get('error');
    if (e) e.end(Buffer.from(gen >= 4
      ? JSON.stringify({ metadata: {}, status: 'Failure', message: 'timed out waiting for client to create streams', reason: 'InternalError', code: 500 })
      : 'timed out waiting for client to create streams'));
    t.end();
  }, STREAM_CREATION_TIMEOUT_MS);
  creationTimer.unref?.();

  const origDestroy = session.destroy.bind(session);
  session.destroy = () => {
    clearTimeout(creationTimer);
    if (linger) clearTimeout(linger);
    if (streams.stdin && !streams.stdin.writableEnded) streams.stdin.end();
    ac.abort();
    origDestroy();
  };
  return session;
}
