/**
 * A small RFC 6455 websocket server endpoint (server side only): handshake, unmasking, fragmented
 * messages, ping/pong and the closing handshake.
 *
 * Why not the `ws` package: its server validates `Sec-WebSocket-Protocol` values as RFC 7230 tokens,
 * so it answers 400 to kubectl 1.31+'s `SPDY/3.1+portforward.k8s.io` ('/' is not a token character),
 * and the protocol kubectl needs is exactly that one. The framing here is all the sandbox needs.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** largest message accepted from a client (close 1009 beyond) */
const MAX_MESSAGE = 32 * 1024 * 1024;
/** how long to wait for the client's close frame after ours */
const CLOSE_TIMEOUT_MS = 5000;

export const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** is this request a websocket upgrade (`Upgrade: websocket`)? */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade;
  return typeof upgrade === 'string' && upgrade.toLowerCase().split(/\s*,\s*/).includes('websocket');
}

/** the subprotocols a client offered, in its order */
export function offeredSubprotocols(req: IncomingMessage): string[] {
  const raw = req.headers['sec-websocket-protocol'];
  const joined = Array.isArray(raw) ? raw.join(',') : raw ?? '';
  return joined.split(',').map((s) => s.trim()).filter(Boolean);
}

/** why a handshake cannot proceed (HTTP status + text), or undefined when it can */
export function checkHandshake(req: IncomingMessage): { code: number; message: string; headers?: Record<string, string> } | undefined {
  if ((req.method ?? 'GET') !== 'GET') return { code: 400, message: 'websocket upgrades must use GET' };
  const version = req.headers['sec-websocket-version'];
  if (version !== '13') return { code: 426, message: 'unsupported websocket version', headers: { 'Sec-WebSocket-Version': '13' } };
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(key.trim())) return { code: 400, message: 'missing or malformed Sec-WebSocket-Key' };
  return undefined;
}

export interface WebSocketHandlers {
  /** a complete data message (binary or text) */
  onMessage(data: Buffer, binary: boolean): void;
  /** the connection is gone (closing handshake done, socket ended or failed); called once */
  onClose(code: number | undefined, reason: string): void;
}

/** an accepted websocket connection */
export class WebSocketConnection {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentsLen = 0;
  private fragmentOpcode = 0;
  private closeSent = false;
  private closed = false;
  private closeTimer: NodeJS.Timeout | undefined;
  private handlers: WebSocketHandlers | undefined;
  private pending: Buffer[] = [];

  constructor(private readonly socket: Duplex, readonly protocol: string, head?: Buffer) {
    if (head?.length) this.pending.push(Buffer.from(head));
    socket.on('data', (chunk: Buffer) => this.feed(chunk));
    socket.on('end', () => this.finish(1006, ''));
    socket.on('close', () => this.finish(1006, ''));
    socket.on('error', () => {
      socket.destroy();
      this.finish(1006, '');
    });
  }

  /** start delivering messages (frames that arrived before are buffered) */
  start(handlers: WebSocketHandlers): void {
    this.handlers = handlers;
    const early = this.pending;
    this.pending = [];
    for (const b of early) this.feed(b);
  }

  get isOpen(): boolean {
    return !this.closed && !this.closeSent;
  }

  /** send one message; returns false when the socket buffer is full (see waitDrain) */
  send(data: Buffer, binary = true): boolean {
    if (!this.isOpen) return true;
    return this.writeFrame(binary ? OPCODE.binary : OPCODE.text, data);
  }

  /** resolves when the socket can take more data (or is gone) */
  waitDrain(): Promise<void> {
    const s = this.socket as Duplex & { writableNeedDrain?: boolean };
    if (this.closed || !s.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        s.off('drain', done);
        s.off('close', done);
        resolve();
      };
      s.on('drain', done);
      s.on('close', done);
    });
  }

  /** start the closing handshake */
  close(code = 1000, reason = ''): void {
    if (this.closed || this.closeSent) return;
    const r = Buffer.from(reason, 'utf8').subarray(0, 123);
    const payload = Buffer.alloc(2 + r.length);
    payload.writeUInt16BE(code, 0);
    r.copy(payload, 2);
    this.writeFrame(OPCODE.close, payload);
    this.closeSent = true;
    this.closeTimer = setTimeout(() => this.terminate(), CLOSE_TIMEOUT_MS);
    this.closeTimer.unref?.();
  }

  /** drop the connection without a closing handshake */
  terminate(): void {
    this.socket.destroy();
    this.finish(1006, '');
  }

  private writeFrame(opcode: number, payload: Buffer): boolean {
    let header: Buffer;
    const len = payload.length;
    if (len < 126) {
      header = Buffer.from([0x80 | opcode, len]);
    } else if (len < 65536) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(len, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(len), 2);
    }
    if (this.socket.destroyed || !this.socket.writable) return true;
    // one write per frame keeps frames whole even when several sessions share nothing but the socket
    if (len < 16384) return this.socket.write(Buffer.concat([header, payload]));
    this.socket.write(header);
    return this.socket.write(payload);
  }

  private finish(code: number | undefined, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.handlers?.onClose(code, reason);
  }

  private protocolError(code: number): void {
    if (!this.closeSent && !this.closed) this.close(code);
    this.socket.end();
  }

  private feed(chunk: Buffer): void {
    if (this.closed) return;
    if (!this.handlers) {
      this.pending.push(chunk);
      return;
    }
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (!this.closed) {
      const b = this.buf;
      if (b.length < 2) return;
      const fin = (b[0] & 0x80) !== 0;
      const rsv = b[0] & 0x70;
      const opcode = b[0] & 0x0f;
      const masked = (b[1] & 0x80) !== 0;
      let len = b[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE)) return this.protocolError(1009);
        len = Number(big);
        off = 10;
      }
      if (rsv !== 0 || !masked) return this.protocolError(1002);
      if (len > MAX_MESSAGE) return this.protocolError(1009);
      if (b.length < off + 4 + len) return;
      const mask = b.subarray(off, off + 4);
      const payload = Buffer.from(b.subarray(off + 4, off + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      this.buf = b.subarray(off + 4 + len);
      this.frame(fin, opcode, payload);
    }
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode >= 8) {
      if (!fin || payload.length > 125) return this.protocolError(1002);
      if (opcode === OPCODE.ping) {
        if (!this.closeSent) this.writeFrame(OPCODE.pong, payload);
        return;
      }
      if (opcode === OPCODE.pong) return;
      if (opcode === OPCODE.close) {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
        const reason = payload.length > 2 ? payload.subarray(2).toString('utf8') : '';
        if (!this.closeSent) {
          // echo the status code, as RFC 6455 §5.5.1 asks
          this.writeFrame(OPCODE.close, payload.length >= 2 ? payload.subarray(0, 2) : Buffer.alloc(0));
          this.closeSent = true;
        }
        this.socket.end();
        this.finish(code ?? 1005, reason);
        return;
      }
      return this.protocolError(1002);
    }
    if (opcode === OPCODE.continuation) {
      if (!this.fragmentOpcode) return this.protocolError(1002);
    } else if (opcode === OPCODE.text || opcode === OPCODE.binary) {
      if (this.fragmentOpcode) return this.protocolError(1002);
      this.fragmentOpcode = opcode;
    } else {
      return this.protocolError(1002);
    }
    this.fragments.push(payload);
    this.fragmentsLen += payload.length;
    if (this.fragmentsLen > MAX_MESSAGE) return this.protocolError(1009);
    if (!fin) return;
    const data = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments, this.fragmentsLen);
    const binary = this.fragmentOpcode === OPCODE.binary;
    this.fragments = [];
    this.fragmentsLen = 0;
    this.fragmentOpcode = 0;
    if (this.closeSent) return; // data after our close frame is discarded
    try {
      this.handlers!.onMessage(data, binary);
    } catch {
      this.protocolError(1011);
    }
  }
}

/**
 * Complete the handshake with `protocol` (empty: no Sec-WebSocket-Protocol header) and return the
 * connection. `head` is what the HTTP parser read past the request head.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): WebSocketConnection {
  const key = String(req.headers['sec-websocket-key']).trim();
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${accept}`,
  ];
  if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  (socket as Duplex & { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
  return new WebSocketConnection(socket, protocol, head);
}
