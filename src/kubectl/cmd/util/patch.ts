/**
 * Patch helpers for the imperative commands: the JSON merge patch (RFC 7386) between two versions
 * of an object, the same as computing the difference of their JSON documents.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

export { deepEqual };

/** the merge patch that turns `from` into `to` (objects); `{}` when equal */
export function createMergePatch(from: Record<string, any>, to: Record<string, any>): Record<string, any> {
  const patch: Record<string, any> = {};
  for (const k of Object.keys(from)) {
    if (from[k] === undefined) continue;
    if (!(k in to) || to[k] === undefined) patch[k] = null;
  }
  for (const k of Object.keys(to)) {
    const a = from[k];
    const b = to[k];
    if (b === undefined) continue;
    if (isObj(a) && isObj(b)) {
      const sub = createMergePatch(a, b);
      if (Object.keys(sub).length) patch[k] = sub;
    } else if (!deepEqual(a, b)) patch[k] = b;
  }
  return patch;
}

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
