/** Small formatting helpers shared by the describers (time, durations, labels, selectors, Go %v). */
import { goSort, goStringLess, sortStrings } from './gosort.js';

/** milliseconds since epoch, or undefined for a missing/zero timestamp */
export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return undefined;
  // Go's zero time (0001-01-01T00:00:00Z) counts as unset
  if (ts.startsWith('0001-01-01T00:00:00')) return undefined;
  return ms;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

const dtfCache = new Map<string, Intl.DateTimeFormat>();
function dtf(tz: string | undefined): Intl.DateTimeFormat {
  const key = tz ?? '';
  let f = dtfCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    dtfCache.set(key, f);
  }
  return f;
}

/** offset of `tz` from UTC at instant `ms`, in minutes */
function tzOffsetMinutes(ms: number, tz: string | undefined): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  const parts = dtf(tz).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const whole = ms - (ms % 1000 + 1000) % 1000;
  return Math.round((asUtc - whole) / 60000);
}

/** Go's time.RFC1123Z ("Mon, 02 Jan 2006 15:04:05 -0700") in the given IANA zone (default: process zone) */
export function formatRFC1123Z(ts: unknown, tz?: string): string {
  const ms = parseTime(ts);
  if (ms === undefined) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const off = tzOffsetMinutes(ms, tz);
  const d = new Date(ms + off * 60000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const year = String(d.getUTCFullYear()).padStart(4, '0');
  return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${year} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${sign}${pad2(Math.floor(a / 60))}${pad2(a % 60)}`;
}

/** apimachinery duration.HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3600000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for an unset time */
export function since(ts: unknown, now: Date): string {
  const ms = parseTime(ts);
  if (ms === undefined) return '<unknown>';
  return humanDuration(now.getTime() - ms);
}

/** labels.FormatLabels: sorted k=v joined by ","; "<none>" when empty */
export function formatLabels(m: Record<string, unknown> | undefined | null): string {
  const keys = Object.keys(m ?? {});
  if (keys.length === 0) return '<none>';
  return sortStrings(keys)
    .map((k) => `${k}=${String(m![k] ?? '')}`)
    .join(',');
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * metav1.LabelSelectorAsSelector(sel).String(): "" for nil (Nothing) and for an empty selector
 * (Everything); otherwise requirements sorted by key. Throws on an invalid operator.
 */
export function labelSelectorString(sel: LabelSelector | undefined | null): string {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${sel.matchLabels![k]}` });
  for (const e of sel.matchExpressions ?? []) {
    const vals = sortStrings([...new Set(e.values ?? [])]).join(',');
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, text: `${e.key} in (${vals})` });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, text: `${e.key} notin (${vals})` });
        break;
      case 'Exists':
        reqs.push({ key: e.key, text: e.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, text: `!${e.key}` });
        break;
      default:
        throw new Error(`"${e.operator}" is not a valid label selector operator`);
    }
  }
  goSort(reqs, (a, b) => goStringLess(a.key, b.key));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  let s: string;
  try {
    s = labelSelectorString(sel);
  } catch {
    return '<error>';
  }
  return s === '' ? '<none>' : s;
}

/** net.JoinHostPort */
export function joinHostPort(host: string, port: string | number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** IntOrString.String() */
export function intOrString(v: unknown): string {
  if (v === undefined || v === null) return '0';
  return String(v);
}

/** Go %v of a JSON-decoded (unstructured) value */
export function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goFloatOrInt(v);
  if (Array.isArray(v)) return `[${v.map(goV).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${sortStrings(Object.keys(o))
      .map((k) => `${k}:${goV(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** an integral JSON number decodes to int64 (printed plainly); others to float64 (%v = strconv 'g', shortest) */
function goFloatOrInt(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = n.toExponential().split('e');
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return String(n);
}

/** Go's fmt of a []string with %v: "[a b c]" */
export function goStringSlice(xs: unknown[] | undefined): string {
  return `[${(xs ?? []).map((x) => String(x)).join(' ')}]`;
}

/** metav1.GetControllerOf → "Kind/name" or "" */
export function controllerOf(obj: any): any | undefined {
  return (obj?.metadata?.ownerReferences ?? []).find((r: any) => r?.controller === true);
}

export function printController(obj: any): string {
  const ref = controllerOf(obj);
  return ref ? `${ref.kind}/${ref.name}` : '';
}
