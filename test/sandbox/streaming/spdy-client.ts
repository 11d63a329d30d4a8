/**
 * A raw SPDY/3.1 client for the tests, written independently of the server's code: header blocks
 * are compressed and inflated with real zlib streams seeded with the dictionary file.
 */
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import * as zlib from 'node:zlib';

export const DICTIONARY = readFileSync('/work/shared/reference/spdy3-dictionary.bin');

export interface Frame {
  control: boolean;
  type: number; // control type, or 0 for data
  flags: number;
  streamId: number;
  headers?: Record<string, string>;
  data: Buffer;
  raw: Buffer;
}

/** run one chunk through a zlib stream with Z_SYNC_FLUSH and collect its output */
function zflush(z: zlib.Deflate | zlib.Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const onData = (c: Buffer) => out.push(c);
    z.on('data', onData);
    z.once('error', reject);
    z.write(input);
    z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      // data produced by the flush is emitted before the callback
      setImmediate(() => {
        z.off('data', onData);
        z.off('error', reject);
        resolve(Buffer.concat(out));
      });
    });
  });
}

export function headerBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const n = Buffer.alloc(4);
  n.writeUInt32BE(Object.keys(headers).length);
  parts.push(n);
  for (const [k, v] of Object.entries(headers)) {
    for (const s of [k, v]) {
      const b = Buffer.from(s);
      const l = Buffer.alloc(4);
      l.writeUInt32BE(b.length);
      parts.push(l, b);
    }
  }
  return Buffer.concat(parts);
}

function parseHeaderBlock(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 4;
  const n = b.readUInt32BE(0);
  for (let i = 0; i < n; i++) {
    const kl = b.readUInt32BE(off);
    const k = b.subarray(off + 4, off + 4 + kl).toString();
    off += 4 + kl;
    const vl = b.readUInt32BE(off);
    out[k] = b.subarray(off + 4, off + 4 + vl).toString();
    off += 4 + vl;
  }
  return out;
}

export class SpdyClient {
  frames: Frame[] = [];
  private buf = Buffer.alloc(0);
  private deflate = zlib.createDeflate({ dictionary: DICTIONARY });
  private inflate = zlib.createInflate({ dictionary: DICTIONARY });
  private queue: Promise<void> = Promise.resolve();
  private waiters: (() => void)[] = [];
  closed = false;
  nextId = 1;

  constructor(readonly socket: Duplex, readonly response: string, initial: Buffer, private readonly send: (b: Buffer) => void = (b) => socket.write(b)) {
    if (initial.length) this.onBytes(initial);
  }

  onBytes(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + len) break;
      const raw = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      this.queue = this.queue.then(() => this.parse(raw));
    }
  }

  markClosed(): void {
    this.closed = true;
    this.queue = this.queue.then(() => this.notify());
  }

  private async parse(raw: Buffer): Promise<void> {
    const control = (raw[0] & 0x80) !== 0;
    const flags = raw[4];
    const payload = raw.subarray(8);
    if (!control) {
      this.frames.push({ control, type: 0, flags, streamId: raw.readUInt32BE(0) & 0x7fffffff, data: payload, raw });
    } else {
      const type = raw.readUInt16BE(2);
      const f: Frame = { control, type, flags, streamId: 0, data: payload, raw };
      if (type === 1 || type === 2 || type === 8) {
        f.streamId = payload.readUInt32BE(0) & 0x7fffffff;
        const block = payload.subarray(type === 1 ? 10 : 4);
        f.headers = parseHeaderBlock(await zflush(this.inflate, block));
      } else if (type === 3 || type === 9) {
        f.streamId = payload.readUInt32BE(0) & 0x7fffffff;
      }
      this.frames.push(f);
    }
    this.notify();
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** wait until `pred` holds over the frames received so far */
  waitFor(pred: (frames: Frame[]) => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; frames: ${JSON.stringify(this.frames.map((f) => ({ c: f.control, t: f.type, fl: f.flags, id: f.streamId, h: f.headers, d: f.data.toString() })))}`)), timeoutMs);
      const check = () => {
        if (pred(this.frames)) {
          clearTimeout(timer);
          resolve();
        } else if (this.closed) {
          clearTimeout(timer);
          reject(new Error('connection closed'));
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** the data received on a stream, and whether it was FIN-closed */
  stream(id: number): { data: Buffer; fin: boolean; replied: boolean; reset: boolean } {
    const fs = this.frames.filter((f) => f.streamId === id);
    return {
      data: Buffer.concat(fs.filter((f) => !f.control).map((f) => f.data)),
      fin: fs.some((f) => (!f.control || f.type === 2) && (f.flags & 1) !== 0),
      replied: fs.some((f) => f.control && f.type === 2),
      reset: fs.some((f) => f.control && f.type === 3),
    };
  }

  async synStream(headers: Record<string, string>, fin = false): Promise<number> {
    const id = this.nextId;
    this.nextId += 2;
    const block = await zflush(this.deflate, headerBlock(headers));
    const f = Buffer.alloc(18 + block.length);
    f.writeUInt16BE(0x8003, 0);
    f.writeUInt16BE(1, 2);
    f[4] = fin ? 1 : 0;
    f.writeUIntBE(10 + block.length, 5, 3);
    f.writeUInt32BE(id, 8);
    f.writeUInt32BE(0, 12);
    f[16] = 0;
    f[17] = 0;
    block.copy(f, 18);
    this.send(f);
    return id;
  }

  data(id: number, data: Buffer | string, fin = false): void {
    const d = Buffer.from(data);
    const h = Buffer.alloc(8);
    h.writeUInt32BE(id & 0x7fffffff, 0);
    h[4] = fin ? 1 : 0;
    h.writeUIntBE(d.length, 5, 3);
    this.send(Buffer.concat([h, d]));
  }

  control(type: number, flags: number, payload: Buffer): void {
    const h = Buffer.alloc(8);
    h.writeUInt16BE(0x8003, 0);
    h.writeUInt16BE(type, 2);
    h[4] = flags;
    h.writeUIntBE(payload.length, 5, 3);
    this.send(Buffer.concat([h, payload]));
  }

  rst(id: number, status = 5): void {
    const p = Buffer.alloc(8);
    p.writeUInt32BE(id, 0);
    p.writeUInt32BE(status, 4);
    this.control(3, 0, p);
  }

  ping(id: number): void {
    const p = Buffer.alloc(4);
    p.writeUInt32BE(id, 0);
    this.control(6, 0, p);
  }

  goaway(): void {
    this.control(7, 0, Buffer.alloc(8));
  }

  close(): void {
    this.socket.destroy();
    this.deflate.close();
    this.inflate.close();
  }
}

/** raw HTTP request over TLS; resolves with the response head and the bytes after it */
export function rawUpgrade(port: number, ca: string, requestHead: string): Promise<{ socket: Duplex; head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost', ALPNProtocols: ['http/1.1'] }, () => {
      socket.write(requestHead);
    });
    let buf = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      socket.off('data', onData);
      socket.pause();
      resolve({ socket, head: buf.subarray(0, i).toString(), rest: buf.subarray(i + 4) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

/** open a SPDY session the way kubectl 1.27 does */
export async function spdyConnect(port: number, ca: string, token: string, path: string, protocols: string[]): Promise<SpdyClient> {
  const head = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Authorization: Bearer ${token}`,
    'Connection: Upgrade',
    'Upgrade: SPDY/3.1',
    'Content-Length: 0',
    ...protocols.map((p) => `X-Stream-Protocol-Version: ${p}`),
    'User-Agent: kubectl/v1.27.16 (linux/amd64) kubernetes/test',
    '',
    '',
  ].join('\r\n');
  const { socket, head: resp, rest } = await rawUpgrade(port, ca, head);
  const client = new SpdyClient(socket, resp, rest);
  socket.on('data', (c: Buffer) => client.onBytes(c));
  socket.on('close', () => client.markClosed());
  socket.on('error', () => {});
  socket.resume();
  return client;
}
