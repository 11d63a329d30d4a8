/**
 * Deterministic pseudo-random helpers for the bootstrap objects (uids, container ids, name
 * suffixes). Everything is derived from a seed so that the same options give byte-identical
 * objects, which keeps tests and tutor transcripts stable.
 */
import { createHash } from 'node:crypto';

/** The alphabet of k8s.io/apimachinery/pkg/util/rand (no vowels, no confusable digits). */
export const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a hash of a string (UTF-8). */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: maps each character through SAFE_ALPHANUMS. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHANUMS[ch.codePointAt(0)! % SAFE_ALPHANUMS.length];
  return out;
}

/**
 * Like controller.ComputeHash: a short, stable, name-safe hash of a pod template
 * (pod-template-hash / controller-revision-hash label values).
 */
export function computeHash(value: unknown): string {
  return safeEncodeString(String(fnv32a(JSON.stringify(value))));
}

/** Hex digest of sha256(s); used for stable per-name values such as image ids. */
export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** A small seeded PRNG (mulberry32) with helpers for the id formats Kubernetes uses. */
export class Rng {
  private state: number;

  constructor(seed: string | number) {
    this.state = typeof seed === 'number' ? seed >>> 0 : fnv32a(seed);
  }

  /** uniform float in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[this.int(16)];
    return out;
  }

  /** utilrand.String(n): the suffix alphabet of generateName / ReplicaSet pods. */
  suffix(length = 5): string {
    let out = '';
    for (let i = 0; i < length; i++) out += SAFE_ALPHANUMS[this.int(SAFE_ALPHANUMS.length)];
    return out;
  }

  /** an RFC 4122 version-4 UUID */
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[parseInt(h[16], 16) & 3];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
