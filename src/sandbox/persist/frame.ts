/**
 * Byte-level pieces of the state-dir file format (see state-log.ts for the whole picture):
 * the header line every file starts with, and the checksummed frames that follow it.
 *
 *   frame := u32le length            payload length in bytes, 1 ..= MAX_FRAME_BYTES
 *            u32le crc32(length)     CRC-32 of the 4 length bytes, so a damaged length is
 *                                    recognised before it is trusted
 *            u32le crc32(payload)
 *            payload                 UTF-8: one or more JSON records separated by '\n'
 */
import { crc32 } from 'node:zlib';

export const FRAME_HEADER_BYTES = 12;
/** frames larger than this are treated as damage (a single batch/snapshot chunk never gets near it) */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

export const HEADER_MAGIC = 'kube-tutor-state ';
const MAX_HEADER_BYTES = 4096;

export interface FileHeader {
  format: number;
  type: 'log' | 'snapshot';
  [key: string]: unknown;
}

export function encodeHeader(header: FileHeader): Buffer {
  return Buffer.from(`${HEADER_MAGIC}${JSON.stringify(header)}\n`, 'utf8');
}

/** Parses the header line at the start of `buf`; undefined when there is no well-formed header. */
export function decodeHeader(buf: Buffer): { header: FileHeader; end: number } | undefined {
  const limit = Math.min(buf.length, MAX_HEADER_BYTES);
  const nl = buf.indexOf(0x0a);
  if (nl < 0 || nl >= limit) return undefined;
  const line = buf.toString('utf8', 0, nl);
  if (!line.startsWith(HEADER_MAGIC)) return undefined;
  try {
    const header = JSON.parse(line.slice(HEADER_MAGIC.length)) as FileHeader;
    if (typeof header !== 'object' || header === null || typeof header.format !== 'number') return undefined;
    return { header, end: nl + 1 };
  } catch {
    return undefined;
  }
}

function lengthCrc(len: number): number {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(len, 0);
  return crc32(b);
}

/** One frame holding `lines` joined by '\n' (encoded straight into the frame: no joined copy). */
export function encodeFrame(lines: readonly string[]): Buffer {
  let len = lines.length - 1;
  for (const l of lines) len += Buffer.byteLength(l, 'utf8');
  if (len <= 0 || len > MAX_FRAME_BYTES) throw new RangeError(`frame payload of ${len} bytes is out of range`);
  const buf = Buffer.allocUnsafe(FRAME_HEADER_BYTES + len);
  let off = FRAME_HEADER_BYTES;
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) buf[off++] = 0x0a;
    off += buf.write(lines[i], off, 'utf8');
  }
  buf.writeUInt32LE(len, 0);
  buf.writeUInt32LE(lengthCrc(len), 4);
  buf.writeUInt32LE(crc32(buf.subarray(FRAME_HEADER_BYTES)), 8);
  return buf;
}

export type FrameResult =
  | { ok: true; payloadStart: number; end: number }
  /** `truncated`: the frame's (valid) length runs past the end of the buffer */
  | { ok: false; truncated: boolean };

/** Checks the frame starting at `pos`. */
export function readFrame(buf: Buffer, pos: number): FrameResult {
  if (pos + FRAME_HEADER_BYTES > buf.length) return { ok: false, truncated: true };
  const len = buf.readUInt32LE(pos);
  if (len === 0 || len > MAX_FRAME_BYTES || buf.readUInt32LE(pos + 4) !== lengthCrc(len)) {
    return { ok: false, truncated: false };
  }
  const payloadStart = pos + FRAME_HEADER_BYTES;
  const end = payloadStart + len;
  if (end > buf.length) return { ok: false, truncated: true };
  if (crc32(buf.subarray(payloadStart, end)) !== buf.readUInt32LE(pos + 8)) return { ok: false, truncated: false };
  return { ok: true, payloadStart, end };
}

/**
 * Is there any complete, valid frame starting somewhere in (from, buf.length)? Used to tell a torn
 * tail (garbage / a partial frame up to EOF, left by a crash during the last write) from damage in
 * the middle of a file (valid frames follow the bad bytes). Cheap: almost every offset is rejected
 * by the length bound before any checksum is computed.
 */
export function validFrameAfter(buf: Buffer, from: number): boolean {
  for (let q = from + 1; q + FRAME_HEADER_BYTES < buf.length; q++) {
    const len = buf.readUInt32LE(q);
    if (len === 0 || q + FRAME_HEADER_BYTES + len > buf.length) continue;
    if (readFrame(buf, q).ok) return true;
  }
  return false;
}
