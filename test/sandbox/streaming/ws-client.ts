/** A minimal masked websocket client for the tests (the `ws` client refuses `SPDY/3.1+…` subprotocols). */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { rawUpgrade } from './spdy-client.js';

export interface WsMessage {
  opcode: number;
  data: Buffer;
}

export function maskedFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = randomBytes(4);
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]);
  } else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([header, mask, body]);
}

export class WsClient {
  messages: WsMessage[] = [];
  closed = false;
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  onBinary?: (data: Buffer) => void;

  constructor(readonly socket: Duplex, readonly response: string, rest: Buffer) {
    socket.on('data', (c: Buffer) => this.feed(c));
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => {});
    if (rest.length) this.feed(rest);
    socket.resume();
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private feed(c: Buffer): void {
    this.buf = Buffer.concat([this.buf, c]);
    for (;;) {
      if (this.buf.length < 2) break;
      let len = this.buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) break;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) break;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      if (this.buf.length < off + len) break;
      const opcode = this.buf[0] & 0x0f;
      const data = this.buf.subarray(off, off + len);
      this.buf = this.buf.subarray(off + len);
      this.messages.push({ opcode, data });
      if (opcode === 2) this.onBinary?.(data);
    }
    this.notify();
  }

  send(opcode: number, payload: Buffer, fin = true): void {
    this.socket.write(maskedFrame(opcode, payload, fin));
  }

  sendBinary(payload: Buffer): void {
    this.send(2, payload);
  }

  waitFor(pred: (m: WsMessage[]) => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(this.messages.map((m) => [m.opcode, m.data.toString('latin1')]))}`)), timeoutMs);
      const check = () => {
        if (pred(this.messages)) {
          clearTimeout(timer);
          resolve();
        } else if (this.closed) {
          clearTimeout(timer);
          reject(new Error(`closed; got ${JSON.stringify(this.messages.map((m) => [m.opcode, m.data.toString('latin1')]))}`));
        } else this.waiters.push(check);
      };
      check();
    });
  }

  waitClosed(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket not closed')), timeoutMs);
      const check = () => {
        if (this.closed) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }
}

export async function wsConnect(port: number, ca: string, token: string, path: string, protocols: string[], extraHeaders: string[] = []): Promise<WsClient> {
  const key = randomBytes(16).toString('base64');
  const head = [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Authorization: Bearer ${token}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
    ...(protocols.length ? [`Sec-WebSocket-Protocol: ${protocols.join(', ')}`] : []),
    ...extraHeaders,
    '',
    '',
  ].join('\r\n');
  const { socket, head: resp, rest } = await rawUpgrade(port, ca, head);
  return new WsClient(socket, resp, rest);
}
