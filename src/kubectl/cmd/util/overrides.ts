/**
 * --overrides for the generators (run, expose): a JSON document merged into the generated object
 * (--override-type merge, the default, or strategic), or a JSON patch (--override-type json).
 */
import { KubectlError } from '../../client/errors.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386 merge, keeping the target's key order */
export function mergePatch(target: any, patch: any): any {
  if (!isObj(patch)) return patch;
  const out: Record<string, any> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function applyJsonPatch(doc: any, ops: any[]): any {
  const out = JSON.parse(JSON.stringify(doc));
  for (const op of ops) {
    const parts = String(op.path ?? '')
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    let cur = out;
    for (const p of parts) cur = cur?.[p];
    if (cur === undefined || last === undefined) throw new KubectlError(`doc is missing path: "${op.path}"`);
    if (op.op === 'remove') {
      if (Array.isArray(cur)) cur.splice(Number(last), 1);
      else delete cur[last];
    } else if (op.op === 'add' && Array.isArray(cur)) {
      cur.splice(last === '-' ? cur.length : Number(last), 0, op.value);
    } else cur[last] = op.value;
  }
  return out;
}

export function applyOverrides(obj: any, overrides: string, type: string): any {
  let doc: any;
  try {
    doc = JSON.parse(overrides);
  } catch (e) {
    throw new KubectlError(`error decoding overrides: ${(e as Error).message}`);
  }
  switch (type) {
    case 'json':
      return applyJsonPatch(obj, Array.isArray(doc) ? doc : []);
    case 'merge':
    case 'strategic':
    case '':
      return mergePatch(obj, doc);
  }
  throw new KubectlError(`invalid override type: ${type}`);
}
