/** resource.Quantity parsing, enough for validation (sign, integer-ness, comparison). */

export const quantityFormatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Numeric value of a quantity, or an error string (the decode-time message). */
export function parseQuantity(q: unknown): { value: number } | { error: string } {
  if (typeof q === 'number') return Number.isFinite(q) ? { value: q } : { error: quantityFormatError };
  if (typeof q !== 'string' || q.length === 0) return { error: quantityFormatError };
  const m = /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(.*)$/.exec(q);
  if (!m || !/^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(q)) return { error: quantityFormatError };
  const base = Number(m[1]);
  const suffix = m[2];
  if (suffix in binary) return { value: base * binary[suffix] };
  if (suffix in decimal) return { value: base * decimal[suffix] };
  const e = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  if (e) return { value: base * 10 ** Number(e[1]) };
  return { error: 'unable to parse quantity\'s suffix' };
}

/** Quantity.String() approximation: the value as written (canonicalization not reproduced). */
export function quantityString(q: unknown): string {
  return typeof q === 'number' ? String(q) : String(q ?? '0');
}
