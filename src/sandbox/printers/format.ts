/**
 * Shared cell-formatting helpers for the server-side Table printers (kube-apiserver 1.33 rules).
 *
 * Everything here is pure: no clock is read (callers pass `now`), no object is mutated.
 */

// ---------------------------------------------------------------------------------------------
// Durations and timestamps
// ---------------------------------------------------------------------------------------------

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * apimachinery `duration.HumanDuration`: a compact, lossy rendering of a duration given in
 * milliseconds ("0s", "119s", "3m20s", "179m", "3h5m", "47h", "2d5h", "729d", "2y100d", "8y").
 * More than one second in the future prints `<invalid>`; up to 1.999 s in the future prints `0s`.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;

  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;

  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;

  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;

  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** Go's zero time (`0001-01-01T00:00:00Z`) in epoch milliseconds. */
const GO_ZERO_TIME_MS = -62135596800000;

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Parses a metav1.Time / MicroTime wire value (RFC3339, optional fraction) into epoch ms.
 * Returns undefined for absent, empty, unparsable or Go-zero timestamps (all print as `<unknown>`).
 */
export function parseTimestamp(ts: unknown): number | undefined {
  if (ts instanceof Date) {
    const t = ts.getTime();
    return Number.isNaN(t) || t <= GO_ZERO_TIME_MS ? undefined : t;
  }
  if (typeof ts !== 'string' || ts === '') return undefined;
  // objects created in the same second share their timestamp string: parse each one once
  const cached = parsedTimestamps.get(ts);
  if (cached !== undefined) return Number.isNaN(cached) ? undefined : cached;
  const t = parseTimestampText(ts);
  if (parsedTimestamps.size >= 4096) parsedTimestamps.clear();
  parsedTimestamps.set(ts, t ?? NaN);
  return t;
}

const parsedTimestamps = new Map<string, number>();

function parseTimestampText(ts: string): number | undefined {
  const m = RFC3339.exec(ts);
  let t: number;
  if (m) {
    const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
    const fracMs = frac ? Math.trunc(Number(`0.${frac}`) * 1000) : 0;
    const date = new Date(0);
    date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
    date.setUTCHours(Number(h), Number(mi), Number(s), fracMs);
    t = date.getTime();
    if (sign) {
      const offset = (Number(oh) * 60 + Number(om)) * MINUTE;
      t = sign === '+' ? t - offset : t + offset;
    }
  } else {
    t = Date.parse(ts);
  }
  if (Number.isNaN(t) || t <= GO_ZERO_TIME_MS) return undefined;
  return t;
}

/**
 * printers.go `translateTimestampSince`: HumanDuration(now − ts), or `<unknown>` when the
 * timestamp is unset (absent / null / zero).
 */
export function translateTimestampSince(ts: unknown, now: Date): string {
  const t = parseTimestamp(ts);
  if (t === undefined) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

/** `t` (a wire timestamp) formatted as Go `time.RFC3339` in UTC (no fraction); zero time when unset. */
export function formatRFC3339UTC(ts: unknown): string {
  const t = parseTimestamp(ts);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  const d = new Date(Math.trunc(t / SECOND) * SECOND);
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ (years 0..9999)
  return `${iso.slice(0, 19)}Z`;
}

// ---------------------------------------------------------------------------------------------
// Labels and selectors
// ---------------------------------------------------------------------------------------------

/** Byte-wise (UTF-16 code unit, which equals byte order for ASCII) string comparison. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `labels.FormatLabels`: `k=v` pairs sorted as whole strings, joined by `,`; `<none>` when empty.
 */
export function formatLabels(labels: Record<string, unknown> | null | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v == null ? '' : String(v)}`);
  if (pairs.length === 0) return '<none>';
  return pairs.sort(compareStrings).join(',');
}

/** Map-shaped selectors (ReplicationController / Service `spec.selector`): same as formatLabels. */
export function formatSelectorMap(selector: Record<string, unknown> | null | undefined): string {
  return formatLabels(selector);
}

export interface LabelSelectorRequirementLike {
  key?: string;
  operator?: string;
  values?: string[] | null;
}

export interface LabelSelectorLike {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementLike[] | null;
}

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName (label keys). */
function isValidLabelKey(key: string): boolean {
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  } else {
    return false;
  }
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

/** validation.IsValidLabelValue. */
function isValidLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && QUALIFIED_NAME_PART.test(value));
}

interface Requirement {
  key: string;
  text: string;
}

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key and joined by `,`.
 * Returns `undefined` for an invalid selector and `''` for a nil / empty one.
 */
export function labelSelectorString(selector: LabelSelectorLike | null | undefined): string | undefined {
  if (selector == null) return '';
  const matchLabels = selector.matchLabels ?? {};
  const matchExpressions = selector.matchExpressions ?? [];
  const reqs: Requirement[] = [];
  for (const [key, rawValue] of Object.entries(matchLabels)) {
    const value = rawValue == null ? '' : String(rawValue);
    if (!isValidLabelKey(key) || !isValidLabelValue(value)) return undefined;
    reqs.push({ key, text: `${key}=${value}` });
  }
  for (const expr of matchExpressions) {
    const key = typeof expr?.key === 'string' ? expr.key : '';
    if (!isValidLabelKey(key)) return undefined;
    const values = Array.isArray(expr.values) ? expr.values.map((v) => String(v)) : [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn': {
        if (values.length === 0 || !values.every(isValidLabelValue)) return undefined;
        const op = expr.operator === 'In' ? 'in' : 'notin';
        reqs.push({ key, text: `${key} ${op} (${[...values].sort(compareStrings).join(',')})` });
        break;
      }
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) return undefined;
        reqs.push({ key, text: expr.operator === 'Exists' ? key : `!${key}` });
        break;
      default:
        return undefined;
    }
  }
  // stable sort by key only
  reqs.sort((a, b) => compareStrings(a.key, b.key));
  return reqs.map((r) => r.text).join(',');
}

/**
 * metav1.FormatLabelSelector: `app=kubia`, `env in (a,b)`, `!key`; `<none>` for a nil or empty
 * selector; `<error>` when the selector cannot be converted (bad operator, key or value).
 */
export function formatLabelSelector(selector: LabelSelectorLike | null | undefined): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return '<error>';
  if (s === '') return '<none>';
  return s;
}

// ---------------------------------------------------------------------------------------------
// Misc helpers used by several kinds
// ---------------------------------------------------------------------------------------------

/** A non-negative integer count out of an optional JSON value (absent / non-number → 0). */
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** A string out of an optional JSON value (absent / non-string → ''). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v == null ? '' : String(v);
}

/** Length of an optional JSON array / object (absent → 0). */
export function count(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (v && typeof v === 'object') return Object.keys(v).length;
  return 0;
}

/** Array out of an optional JSON value (absent / non-array → []). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function arr<T = any>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** Wide "Containers" / "Images" cells for a pod template: names and images joined by `,`. */
export function containersAndImages(podSpec: { containers?: unknown } | null | undefined): [string, string] {
  const containers = arr<{ name?: unknown; image?: unknown }>(podSpec?.containers);
  return [
    containers.map((c) => str(c?.name)).join(','),
    containers.map((c) => str(c?.image)).join(','),
  ];
}

/** Go `net.JoinHostPort`: IPv6 literals (anything containing `:`) are bracketed. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * "first N items, then `+ K more...`": items joined by `,`; `<unset>` when there are none.
 * (printers.go `listWithMoreString`, used by EndpointSlice.)
 */
export function listWithMore(items: string[], max = 3): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

/**
 * Load-balancer ingress addresses (Service / Ingress status): `ip` or else `hostname`, de-duplicated,
 * sorted, joined by `,`. When not wide, a result longer than 16 chars is cut to 13 + `...`
 * (kube-apiserver always generates wide, so the cut never happens in a real server Table).
 */
export function loadBalancerStatusString(
  status: { ingress?: unknown } | null | undefined,
  wide = true,
): string {
  const set = new Set<string>();
  for (const ing of arr<{ ip?: unknown; hostname?: unknown }>(status?.ingress)) {
    const ip = str(ing?.ip);
    const hostname = str(ing?.hostname);
    if (ip !== '') set.add(ip);
    else if (hostname !== '') set.add(hostname);
  }
  const r = [...set].sort(compareStrings).join(',');
  if (!wide && r.length > 16) return `${r.slice(0, 13)}...`;
  return r;
}

/** Service PORT(S): `80/TCP`, `80:31234/TCP` when a nodePort is set, joined by `,`; `<none>` when empty. */
export function formatServicePorts(ports: unknown): string {
  const list = arr<{ port?: unknown; nodePort?: unknown; protocol?: unknown }>(ports);
  if (list.length === 0) return '<none>';
  return list
    .map((p) => {
      const port = int(p?.port);
      const nodePort = int(p?.nodePort);
      const protocol = str(p?.protocol);
      return nodePort > 0 ? `${port}:${nodePort}/${protocol}` : `${port}/${protocol}`;
    })
    .join(',');
}

/**
 * core/v1 Endpoints ENDPOINTS: up to 3 `ip` / `ip:port` entries (ports × addresses per subset,
 * IPv6 bracketed), then ` + N more...`; `<none>` without subsets; `''` when subsets are all empty.
 */
export function formatEndpoints(subsets: unknown): string {
  const list = arr<{ addresses?: unknown; ports?: unknown }>(subsets);
  if (list.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let total = 0;
  for (const ss of list) {
    const addresses = arr<{ ip?: unknown }>(ss?.addresses);
    const ports = arr<{ port?: unknown }>(ss?.ports);
    if (ports.length === 0) {
      for (const a of addresses) {
        if (shown.length < max) shown.push(str(a?.ip));
        total++;
      }
    } else {
      for (const p of ports) {
        for (const a of addresses) {
          if (shown.length < max) shown.push(joinHostPort(str(a?.ip), int(p?.port)));
          total++;
        }
      }
    }
  }
  const joined = shown.join(',');
  return total > max ? `${joined} + ${total - max} more...` : joined;
}

/** First condition of `type` in a conditions array (the first one with that type decides). */
export function findCondition<C extends { type?: unknown }>(conditions: unknown, type: string): C | undefined {
  return arr<C>(conditions).find((c) => c?.type === type);
}
