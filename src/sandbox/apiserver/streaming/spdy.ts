/**
 * The server side of a SPDY/3.1 session, as client-go speaks it (moby/spdystream): the client opens
 * streams with SYN_STREAM, the server answers each with SYN_REPLY and both sides exchange DATA frames
 * with FIN to half-close; RST_STREAM aborts a stream, PING is echoed, GOAWAY ends the session.
 *
 * spdystream neither sends nor honours WINDOW_UPDATE, so there is no flow control here either
 * (incoming WINDOW_UPDATE / SETTINGS frames are read and ignored).
 *
 * Header blocks are zlib streams seeded with the SPDY/3 dictionary, one per direction. Incoming
 * blocks are inflated with a persistent inflater; outgoing blocks are written as zlib *stored*
 * blocks (a valid zlib stream that needs no compressor, byte-aligned like Z_SYNC_FLUSH output).
 */
import * as zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy3-dictionary.js';

export const SPDY_VERSION = 3;
export const FRAME = {
  synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goaway: 7, headers: 8, windowUpdate: 9,
} as const;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
export const RST = {
  protocolError: 1, invalidStream: 2, refusedStream: 3, unsupportedVersion: 4, cancel: 5, internalError: 6,
  flowControlError: 7, streamInUse: 8, streamAlreadyClosed: 9,
} as const;
/** data frames are cut to this size */
const MAX_DATA_FRAME = 32 * 1024;

export type SpdyHeaders = Record<string, string>;

/** adler-32 (RFC 1950) */
export function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < buf.length; i++) {
    a = (a + buf[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** serialise a header block (uncompressed): count, then (len name len value)* — SPDY/3 uses 32-bit lengths */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(headers);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length, 0);
  parts.push(count);
  for (const [name, value] of entries) {
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length, 0);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

/** parse an uncompressed header block; several values of one name are NUL-joined on the wire (kept as is) */
export function decodeHeaderBlock(buf: Buffer): SpdyHeaders {
  const out: SpdyHeaders = {};
  if (buf.length < 4) throw new Error('header block too short');
  const count = buf.readUInt32BE(0);
  let off = 4;
  const str = () => {
    if (off + 4 > buf.length) throw new Error('header block truncated');
    const len = buf.readUInt32BE(off);
    off += 4;
    if (off + len > buf.length) throw new Error('header block truncated');
    const s = buf.subarray(off, off + len).toString('utf8');
    off += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = str().toLowerCase();
    const value = str();
    out[name] = name in out ? `${out[name]}\0${value}` : value;
  }
  return out;
}

/**
 * The writing half of a header-compression context: a zlib stream (dictionary header first) of
 * stored blocks, each header block followed by the empty stored block that Z_SYNC_FLUSH emits.
 */
export class HeaderDeflater {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32K window), FLG 0xBB (FDICT set; (0x78BB % 31) === 0), then DICTID
      const hdr = Buffer.alloc(6);
      hdr[0] = 0x78;
      hdr[1] = 0xbb;
      hdr.writeUInt32BE(adler32(SPDY3_DICTIONARY), 2);
      parts.push(hdr);
    }
    for (let off = 0; off < block.length; off += 65535) {
      const piece = block.subarray(off, Math.min(block.length, off + 65535));
      const h = Buffer.alloc(5);
      h[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
      h.writeUInt16LE(piece.length, 1);
      h.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(h, piece);
    }
    // the Z_SYNC_FLUSH marker (an empty stored block): Go's flate reader only hands out a block's
    // bytes once it has read the next block header, so without it the reader would wait (and fail)
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/**
 * The reading half: one inflater for the whole session. zlib streams are asynchronous, so blocks are
 * inflated one at a time, in order (the session processes frames through a queue).
 */
export class HeaderInflater {
  private readonly z = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  private failed: Error | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor() {
    this.z.on('error', (err) => {
      this.failed = err;
    });
  }

  decompress(block: Buffer): Promise<Buffer> {
    const run = () =>
      new Promise<Buffer>((resolve, reject) => {
        if (this.failed) return reject(this.failed);
        const out: Buffer[] = [];
        const onData = (c: Buffer) => out.push(c);
        const onError = (err: Error) => {
          this.z.off('data', onData);
          reject(err);
        };
        this.z.on('data', onData);
        this.z.once('error', onError);
        this.z.write(block);
        this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          // output of the flush is emitted before this callback; one more turn for safety
          setImmediate(() => {
            this.z.off('data', onData);
            this.z.off('error', onError);
            if (this.failed) reject(this.failed);
            else resolve(Buffer.concat(out));
          });
        });
      });
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => {});
    return p;
  }

  close(): void {
    this.z.close();
  }
}

export interface SpdyStreamHandlers {
  onData?(data: Buffer): void;
  /** the client half-closed the stream (FIN) */
  onEnd?(): void;
  /** the stream was reset (by the client, or the session ended) */
  onReset?(): void;
}

export class SpdyStream {
  /** our side is finished (FIN sent or reset) */
  localClosed = false;
  /** the client's side is finished */
  remoteClosed = false;
  replied = false;
  reset = false;
  handlers: SpdyStreamHandlers = {};
  private early: Buffer[] = [];
  private earlyEnd = false;

  constructor(private readonly session: SpdySession, readonly id: number, readonly headers: SpdyHeaders) {}

  /** attach handlers; data/FIN that arrived before are delivered now */
  on(handlers: SpdyStreamHandlers): void {
    this.handlers = handlers;
    const early = this.early;
    this.early = [];
    for (const b of early) handlers.onData?.(b);
    if (this.earlyEnd) {
      this.earlyEnd = false;
      handlers.onEnd?.();
    }
  }

  /** send SYN_REPLY (once) */
  reply(headers: SpdyHeaders = {}, fin = false): void {
    if (this.replied || this.reset) return;
    this.replied = true;
    this.session.sendSynReply(this.id, headers, fin);
    if (fin) this.closeLocal();
  }

  /** send data; returns false when the transport buffer is full */
  write(data: Buffer): boolean {
    if (this.localClosed || this.reset) return true;
    if (!this.replied) this.reply();
    let ok = true;
    for (let off = 0; off < data.length; off += MAX_DATA_FRAME) {
      ok = this.session.sendData(this.id, data.subarray(off, off + MAX_DATA_FRAME), false);
    }
    return ok;
  }

  /** half-close our side (empty DATA frame with FIN) */
  end(data?: Buffer): void {
    if (this.localClosed || this.reset) return;
    if (!this.replied) this.reply();
    if (data?.length) this.write(data);
    this.session.sendData(this.id, Buffer.alloc(0), true);
    this.closeLocal();
  }

  /** abort the stream (RST_STREAM) */
  abort(status: number = RST.cancel): void {
    if (this.reset) return;
    this.session.sendRst(this.id, status);
    this.markReset();
  }

  /** @internal */
  deliverData(data: Buffer): void {
    if (this.remoteClosed || this.reset) return;
    if (this.handlers.onData) this.handlers.onData(data);
    else this.early.push(data);
  }

  /** @internal */
  deliverEnd(): void {
    if (this.remoteClosed || this.reset) return;
    this.remoteClosed = true;
    if (this.handlers.onEnd) this.handlers.onEnd();
    else this.earlyEnd = true;
    this.maybeForget();
  }

  /** @internal */
  markReset(): void {
    if (this.reset) return;
    this.reset = true;
    this.localClosed = true;
    this.remoteClosed = true;
    this.session.forget(this.id);
    this.handlers.onReset?.();
  }

  private closeLocal(): void {
    this.localClosed = true;
    this.maybeForget();
  }

  private maybeForget(): void {
    if (this.localClosed && this.remoteClosed) this.session.forget(this.id);
  }
}

export interface SpdySessionOptions {
  /** write bytes to the transport; false = buffer full */
  write(buf: Buffer): boolean;
  /** a new client stream (reply to it, or abort it) */
  onStream(stream: SpdyStream): void;
  /** the client sent GOAWAY */
  onGoaway?(): void;
  /** a fatal protocol error (the session has sent GOAWAY and should be torn down) */
  onProtocolError?(err: Error): void;
}

export class SpdySession {
  private buf: Buffer = Buffer.alloc(0);
  private readonly inflater = new HeaderInflater();
  private readonly deflater = new HeaderDeflater();
  private readonly streams = new Map<number, SpdyStream>();
  private lastClientStream = 0;
  private dead = false;
  /** frames are handled strictly in order; header blocks make that asynchronous */
  private chain: Promise<void> = Promise.resolve();
  goneAway = false;

  constructor(private readonly opts: SpdySessionOptions) {}

  /** incoming transport bytes */
  feed(chunk: Buffer): void {
    if (this.dead) return;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (!this.dead && this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + len) return;
      const frame = Buffer.from(this.buf.subarray(0, 8 + len));
      this.buf = this.buf.subarray(8 + len);
      this.chain = this.chain.then(async () => {
        if (this.dead) return;
        try {
          await this.handleFrame(frame);
        } catch (err) {
          this.fail(err as Error);
        }
      });
    }
  }

  /** all streams still open */
  get openStreams(): SpdyStream[] {
    return [...this.streams.values()];
  }

  /** the transport is gone: reset every stream */
  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    for (const s of [...this.streams.values()]) s.markReset();
    this.streams.clear();
    this.inflater.close();
  }

  /** send GOAWAY (status 0 = OK) */
  goaway(status = 0): void {
    const f = this.control(FRAME.goaway, 0, 8);
    f.writeUInt32BE(this.lastClientStream & 0x7fffffff, 8);
    f.writeUInt32BE(status, 12);
    this.opts.write(f);
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  /** @internal */
  sendSynReply(id: number, headers: SpdyHeaders, fin: boolean): void {
    const block = this.deflater.compress(encodeHeaderBlock(headers));
    const f = this.control(FRAME.synReply, fin ? FLAG_FIN : 0, 4 + block.length);
    f.writeUInt32BE(id & 0x7fffffff, 8);
    block.copy(f, 12);
    this.opts.write(f);
  }

  /** @internal */
  sendData(id: number, data: Buffer, fin: boolean): boolean {
    if (this.dead) return true;
    const h = Buffer.alloc(8);
    h.writeUInt32BE(id & 0x7fffffff, 0);
    h[4] = fin ? FLAG_FIN : 0;
    h.writeUIntBE(data.length, 5, 3);
    return this.opts.write(data.length ? Buffer.concat([h, data]) : h);
  }

  /** @internal */
  sendRst(id: number, status: number): void {
    if (this.dead) return;
    const f = this.control(FRAME.rstStream, 0, 8);
    f.writeUInt32BE(id & 0x7fffffff, 8);
    f.writeUInt32BE(status, 12);
    this.opts.write(f);
  }

  private control(type: number, flags: number, length: number): Buffer {
    const f = Buffer.alloc(8 + length);
    f.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
    f.writeUInt16BE(type, 2);
    f[4] = flags;
    f.writeUIntBE(length, 5, 3);
    return f;
  }

  private fail(err: Error): void {
    if (this.dead) return;
    try {
      this.goaway(1); // PROTOCOL_ERROR
    } catch {
      // transport already gone
    }
    this.destroy();
    this.opts.onProtocolError?.(err);
  }

  private async handleFrame(frame: Buffer): Promise<void> {
    const flags = frame[4];
    const payload = frame.subarray(8);
    if ((frame[0] & 0x80) === 0) {
      // DATA
      const id = frame.readUInt32BE(0) & 0x7fffffff;
      const s = this.streams.get(id);
      if (!s) {
        // data on a stream we no longer (or never) knew: spdystream ignores these too
        return;
      }
      if (payload.length) s.deliverData(Buffer.from(payload));
      if (flags & FLAG_FIN) s.deliverEnd();
      return;
    }
    const version = frame.readUInt16BE(0) & 0x7fff;
    const type = frame.readUInt16BE(2);
    if (version !== SPDY_VERSION) throw new Error(`unsupported SPDY version ${version}`);
    switch (type) {
      case FRAME.synStream: {
        if (payload.length < 10) throw new Error('SYN_STREAM too short');
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.inflater.decompress(payload.subarray(10)));
        if (this.dead) return;
        if (id === 0 || id % 2 === 0 || id <= this.lastClientStream) {
          this.sendRst(id, RST.protocolError);
          return;
        }
        this.lastClientStream = id;
        if (this.goneAway) {
          this.sendRst(id, RST.refusedStream);
          return;
        }
        const s = new SpdyStream(this, id, headers);
        this.streams.set(id, s);
        if (flags & FLAG_UNIDIRECTIONAL) s.localClosed = true;
        this.opts.onStream(s);
        if (flags & FLAG_FIN) s.deliverEnd();
        return;
      }
      case FRAME.synReply:
      case FRAME.headers: {
        // we open no streams; still inflate to keep the compression context in step
        if (payload.length < 4) throw new Error('frame too short');
        await this.inflater.decompress(payload.subarray(4));
        return;
      }
      case FRAME.rstStream: {
        if (payload.length < 8) throw new Error('RST_STREAM too short');
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        this.streams.get(id)?.markReset();
        return;
      }
      case FRAME.ping: {
        if (payload.length < 4) throw new Error('PING too short');
        // client pings carry odd ids: echo them; even ids would answer our pings (we send none)
        if (payload.readUInt32BE(0) % 2 === 1) this.opts.write(Buffer.from(frame));
        return;
      }
      case FRAME.goaway: {
        this.goneAway = true;
        this.opts.onGoaway?.();
        return;
      }
      case FRAME.settings:
      case FRAME.windowUpdate:
      default:
        return;
    }
  }
}
