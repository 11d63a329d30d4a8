/**
 * Kubernetes resource.Quantity, as far as describe needs it: parsing, canonical String(), Add, Cmp,
 * Value() and MilliValue(). Values are kept as exact nano-units (BigInt); anything finer than 1n is
 * rounded up like the apimachinery parser does.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent' | '';

export interface Quantity {
  /** value × 10^9 */
  nanos: bigint;
  format: QuantityFormat;
}

const BIN: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DEC: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DEC_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BIN_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

export const ZERO: Quantity = { nanos: 0n, format: '' };

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** ceil(num / den) for den > 0 */
function ceilDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num % den !== 0n && num > 0n ? q + 1n : q;
}

/** parse a quantity string (or number); undefined when it is not a valid quantity */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (input === undefined || input === null) return undefined;
  const s = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : undefined;
  if (!s) return undefined;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(s);
  if (!m) return undefined;
  const [, sign, whole, frac = '', suffix] = m;
  if (whole === '' && frac === '') return undefined;
  let format: QuantityFormat;
  let exp10 = 0;
  let exp2 = 0;
  if (suffix in BIN) {
    format = 'BinarySI';
    exp2 = BIN[suffix];
  } else if (suffix in DEC) {
    format = 'DecimalSI';
    exp10 = DEC[suffix];
  } else {
    const e = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
    if (!e) return undefined;
    format = 'DecimalExponent';
    exp10 = Number(e[1]);
  }
  // digits × 10^(exp10 - frac.length) × 2^exp2, in nano units
  const digits = BigInt((whole || '0') + frac);
  const num = digits * (1n << BigInt(exp2));
  const scale = exp10 - frac.length + 9;
  let nanos: bigint;
  if (scale >= 0) nanos = num * pow10(scale);
  else nanos = ceilDiv(num, pow10(-scale));
  if (sign === '-') nanos = -nanos;
  return { nanos, format };
}

/** parse or zero */
export function q(input: unknown): Quantity {
  return parseQuantity(input) ?? { nanos: 0n, format: 'DecimalSI' };
}

export function isZero(x: Quantity): boolean {
  return x.nanos === 0n;
}

export function cmp(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** a + b, keeping a's format (like Quantity.Add); a zero-value receiver takes b's format */
export function add(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.format === '' && a.nanos === 0n ? b.format : a.format };
}

/** Value(): rounded up to an integer */
export function value(x: Quantity): bigint {
  return x.nanos >= 0n ? ceilDiv(x.nanos, 1_000_000_000n) : x.nanos / 1_000_000_000n;
}

/** MilliValue(): rounded up to milli-units */
export function milliValue(x: Quantity): bigint {
  return x.nanos >= 0n ? ceilDiv(x.nanos, 1_000_000n) : x.nanos / 1_000_000n;
}

/** Quantity.String(): canonical form */
export function quantityString(x: Quantity): string {
  if (x.nanos === 0n) return '0';
  let format = x.format;
  if (format === 'BinarySI') {
    const v = x.nanos;
    if (v > -1024n * 1_000_000_000n && v < 1024n * 1_000_000_000n) format = 'DecimalSI';
    else if (v % 1_000_000_000n !== 0n) format = 'DecimalSI';
  } else if (format !== 'DecimalSI') {
    format = 'DecimalExponent';
  }
  const neg = x.nanos < 0n;
  let mant = neg ? -x.nanos : x.nanos;
  if (format === 'BinarySI') {
    mant /= 1_000_000_000n;
    let e = 0;
    while (e < 6 && mant % 1024n === 0n && mant !== 0n) {
      mant /= 1024n;
      e++;
    }
    return (neg ? '-' : '') + mant.toString() + BIN_SUFFIX[e];
  }
  let exp = -9;
  while (mant % 10n === 0n) {
    mant /= 10n;
    exp++;
  }
  const r = ((exp % 3) + 3) % 3;
  if (r !== 0) {
    mant *= pow10(r);
    exp -= r;
  }
  const digits = (neg ? '-' : '') + mant.toString();
  if (format === 'DecimalSI' && exp in DEC_SUFFIX) return digits + DEC_SUFFIX[exp];
  return exp === 0 ? digits : `${digits}e${exp}`;
}

/** canonical string of a raw quantity value from JSON */
export function fmtQuantity(raw: unknown): string {
  const p = parseQuantity(raw);
  return p ? quantityString(p) : String(raw ?? '0');
}
