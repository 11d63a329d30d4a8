/**
 * The `kubectl.kubernetes.io/last-applied-configuration` annotation: what client-side apply
 * remembers of the configuration it applied last. Its value is the configuration itself as
 * compact JSON (keys sorted, Go's HTML-safe escaping, a trailing newline), serialized with the
 * annotation emptied (so `"annotations":{}` always appears in it).
 */
import { goJson } from '../printers/json.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type JMap = Record<string, any>;

/** Go's unstructured JSON encoding of an object (json.Encoder: compact, newline-terminated) */
export function encodeObject(obj: unknown): string {
  return goJson(obj) + '\n';
}

/** the annotation's value on a live object, parsed; undefined when absent or empty */
export function originalConfiguration(obj: JMap): JMap | undefined {
  const text = obj?.metadata?.annotations?.[LAST_APPLIED];
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The configuration with its own serialization embedded as the annotation (kubectl's
 * GetModifiedConfiguration with annotate=true). Returns the new object and the annotation value.
 * When `annotate` is false, the annotation is removed and the value is the plain serialization.
 */
export function modifiedConfiguration(config: JMap, annotate = true): { object: JMap; value: string } {
  const obj = structuredClone(config);
  obj.metadata ??= {};
  const annots: Record<string, string> = { ...(obj.metadata.annotations ?? {}) };
  delete annots[LAST_APPLIED];
  obj.metadata.annotations = annots;
  const value = encodeObject(obj);
  if (annotate) obj.metadata.annotations = { ...annots, [LAST_APPLIED]: value };
  return { object: obj, value };
}

/** remove null values everywhere (apply's create path, so it matches what an update would persist) */
export function pruneNulls(v: any): void {
  if (Array.isArray(v)) v.forEach(pruneNulls);
  else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else pruneNulls(v[k]);
    }
  }
}
