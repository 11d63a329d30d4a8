/** Minimal ustar writing and reading for kubectl cp (regular files and directories). */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, posix } from 'node:path';

function header(name: string, size: number, type: '0' | '5', mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let n = name;
  if (Buffer.byteLength(n) > 100) {
    const cut = n.lastIndexOf('/', 154);
    prefix = n.slice(0, cut);
    n = n.slice(cut + 1);
  }
  h.write(n, 0, 100);
  h.write(mode.toString(8).padStart(7, '0') + '\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write(Math.floor(mtime / 1000).toString(8).padStart(11, '0') + '\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0' + '00', 257);
  h.write(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** a tar of `src` (a file or directory) stored under the name `as` */
export function tarOf(src: string, as: string): Buffer {
  const parts: Buffer[] = [];
  const add = (path: string, name: string) => {
    const st = statSync(path);
    if (st.isDirectory()) {
      parts.push(header(name + '/', 0, '5', st.mode & 0o7777, st.mtimeMs));
      for (const e of readdirSync(path).sort()) add(join(path, e), `${name}/${e}`);
    } else if (st.isFile()) {
      const data = readFileSync(path);
      parts.push(header(name, data.length, '0', st.mode & 0o7777, st.mtimeMs), data);
      const pad = (512 - (data.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  };
  add(src, as);
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

function str(b: Buffer, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return (z >= 0 ? s.subarray(0, z) : s).toString('utf8');
}

/**
 * Extract the entries under `prefix` (the remote path, without its leading '/') into `dest`,
 * the way kubectl cp maps them. Returns how many entries were written.
 */
export function untar(data: Buffer, prefix: string, dest: string): number {
  let off = 0;
  let count = 0;
  const base = posix.normalize(prefix).replace(/^\/+/, '').replace(/\/+$/, '');
  while (off + 512 <= data.length) {
    const h = data.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    let name = str(h, 0, 100);
    const pre = str(h, 345, 155);
    if (pre) name = `${pre}/${name}`;
    const size = parseInt(str(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    off += 512;
    const body = data.subarray(off, off + size);
    off += Math.ceil(size / 512) * 512;
    const clean = posix.normalize(name).replace(/^\/+/, '').replace(/\/+$/, '');
    if (clean !== base && !clean.startsWith(base + '/')) continue;
    const rel = clean.slice(base.length).replace(/^\/+/, '');
    if (rel.split('/').includes('..')) continue;
    const target = normalize(rel ? join(dest, rel) : dest);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0' || type === '\0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, body);
    }
    count++;
  }
  return count;
}
