/**
 * A small RFC 6455 websocket client for the API server's streaming endpoints (exec, attach,
 * port-forward): the handshake over the kubeconfig's TLS credentials, masked client frames,
 * fragmented messages, ping/pong and the closing handshake.
 *
 * Why not client-node's WebSocketHandler: a refused upgrade (pod not found, container not valid,
 * pod not running) comes back as a plain HTTP answer whose body is the server's Status, and
 * kubectl prints that Status; client-node (through `ws`) only reports "Unexpected server response",
 * so the text kubectl shows would be lost. Framing is all that is needed here.
 */
import { randomBytes, createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Kubeconfig } from '../client/kubeconfig-model.js';
import { ConnectionError } from '../client/errors.js';
import { toServerError, USER_AGENT } from '../client/rest.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WsHandlers {
  onMessage?(data: Buffer, binary: boolean): void;
  /** called once when the connection is gone */
  onClose?(code: number | undefined, reason: string): void;
}

export class WsClient {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private closed = false;
  private closeSent = false;
  handlers: WsHandlers = {};

  constructor(
    private readonly socket: Duplex,
    readonly protocol: string,
    head: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.feed(chunk));
    socket.on('close', () => this.finish(undefined, ''));
    socket.on('error', () => this.finish(undefined, ''));
    if (head.length) queueMicrotask(() => this.feed(head));
  }

  get isOpen(): boolean {
    return !this.closed && !this.closeSent;
  }

  /** send one message (binary by default) */
  send(data: Buffer, binary = true): boolean {
    if (!this.isOpen) return false;
    return this.socket.write(frame(binary ? 2 : 1, data));
  }

  waitDrain(): Promise<void> {
    return new Promise((resolve) => {
      if (!(this.socket as { writableNeedDrain?: boolean }).writableNeedDrain) return resolve();
      this.socket.once('drain', () => resolve());
      this.socket.once('close', () => resolve());
    });
  }

  /** start the closing handshake (the socket ends when the server answers, or after a while) */
  close(code = 1000): void {
    if (this.closed) return;
    if (!this.closeSent) {
      this.closeSent = true;
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code, 0);
      this.socket.write(frame(8, payload));
      const t = setTimeout(() => this.socket.destroy(), 2000);
      t.unref?.();
    }
  }

  destroy(): void {
    this.socket.destroy();
    this.finish(undefined, '');
  }

  private finish(code: number | undefined, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose?.(code, reason);
  }

  private feed(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.buf.length < 2) return;
      const b0 = this.buf[0]!;
      const b1 = this.buf[1]!;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      const masked = (b1 & 0x80) !== 0;
      let len = b1 & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      let mask: Buffer | undefined;
      if (masked) {
        if (this.buf.length < off + 4) return;
        mask = this.buf.subarray(off, off + 4);
        off += 4;
      }
      if (this.buf.length < off + len) return;
      let payload = Buffer.from(this.buf.subarray(off, off + len));
      this.buf = this.buf.subarray(off + len);
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      if (opcode === 8) {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
        const reason = payload.length > 2 ? payload.subarray(2).toString('utf8') : '';
        if (!this.closeSent) {
          this.closeSent = true;
          this.socket.write(frame(8, payload.subarray(0, 2)));
        }
        this.socket.end();
        this.finish(code, reason);
        return;
      }
      if (opcode === 9) {
        if (!this.closeSent) this.socket.write(frame(10, payload));
        continue;
      }
      if (opcode === 10) continue;
      if (opcode === 0) {
        this.fragments.push(payload);
        if (!fin) continue;
        payload = Buffer.concat(this.fragments);
        this.fragments = [];
        this.handlers.onMessage?.(payload, this.fragmentOpcode === 2);
        continue;
      }
      if (!fin) {
        this.fragmentOpcode = opcode;
        this.fragments = [payload];
        continue;
      }
      this.handlers.onMessage?.(payload, opcode === 2);
    }
  }
}

function frame(opcode: number, data: Buffer): Buffer {
  const mask = randomBytes(4);
  const len = data.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.alloc(2);
    header[1] = 0x80 | len;
  } else if (len < 65536) {
    header = Buffer.alloc(4);
    header[1] = 0x80 | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  header[0] = 0x80 | opcode;
  const body = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) body[i] = data[i]! ^ mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

/**
 * Open a websocket to `path` (with query) on the kubeconfig's current cluster, offering
 * `protocols`. A refused upgrade throws the server's Status as a ServerError.
 */
export async function connectWebSocket(kc: Kubeconfig, path: string, protocols: string[], signal?: AbortSignal): Promise<WsClient> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster in the kubeconfig');
  const server = cluster.server.replace(/\/+$/, '');
  const url = new URL(server + path);
  const opts: any = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const key = randomBytes(16).toString('base64');
  const headers: Record<string, string> = {
    'User-Agent': USER_AGENT,
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': key,
    'Sec-WebSocket-Protocol': protocols.join(', '),
  };
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WsClient>((resolve, reject) => {
    const req = send(url, {
      method: 'GET',
      headers,
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      rejectUnauthorized: opts.rejectUnauthorized,
      auth: opts.auth,
      agent: false,
      signal,
    });
    req.on('upgrade', (res: IncomingMessage, socket: Duplex, head: Buffer) => {
      const accept = createHash('sha1').update(key + GUID).digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) {
        socket.destroy();
        return reject(new Error('websocket handshake failed: bad Sec-WebSocket-Accept'));
      }
      const protocol = String(res.headers['sec-websocket-protocol'] ?? '');
      resolve(new WsClient(socket, protocol, head));
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        reject(
          toServerError({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: () => body.toString('utf8'),
            json: () => JSON.parse(body.toString('utf8')),
          }),
        );
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') return reject(err);
      if (err.code === 'ECONNREFUSED') return reject(new ConnectionError(`dial tcp ${url.host}: connect: connection refused`, url.host, err.code));
      reject(new ConnectionError(err.message, url.host, err.code));
    });
    req.end();
  });
}
