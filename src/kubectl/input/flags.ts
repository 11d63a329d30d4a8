/**
 * Command-line flags with pflag's rules (what cobra-based kubectl accepts):
 * `--name value`, `--name=value`, `-n value`, `-nvalue`, `-n=value`, grouped boolean shorthands
 * (`-it`), booleans take a value only as `--flag=false`, flags may appear anywhere among the
 * arguments, and `--` ends flag parsing (what follows is kept apart: exec's command).
 * Errors use pflag's wording; the caller adds kubectl's "See 'kubectl X --help' for usage." line.
 */
export type FlagType = 'bool' | 'string' | 'int' | 'stringArray' | 'stringSlice' | 'duration';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  default?: string | number | boolean | string[];
  usage?: string;
  /** the value a flag takes when given without one (`--dry-run` → "unchanged"); pflag's NoOptDefVal */
  noOptDefault?: string;
  hidden?: boolean;
  /** pflag prints `Flag --x has been deprecated, <text>` to stderr when it is used */
  deprecated?: string;
}

export type FlagValue = string | number | boolean | string[];

export interface ParsedFlags {
  values: Record<string, FlagValue>;
  /** names of the flags the user actually gave (for "changed" checks) */
  changed: Set<string>;
  /** positional arguments before `--` (and flags removed) */
  args: string[];
  /** arguments after `--` */
  dashArgs: string[];
  /** true when `--` was present */
  sawDash: boolean;
  /** deprecation warnings to print */
  warnings: string[];
}

export class FlagError extends Error {
  constructor(message: string, readonly flag?: string) {
    super(message);
    this.name = 'FlagError';
  }
}

function defaultFor(spec: FlagSpec): FlagValue {
  if (spec.default !== undefined) return Array.isArray(spec.default) ? [...spec.default] : spec.default;
  switch (spec.type) {
    case 'bool':
      return false;
    case 'int':
      return 0;
    case 'stringArray':
    case 'stringSlice':
      return [];
    default:
      return '';
  }
}

const DURATION_UNIT: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's Duration.String() of `ms` milliseconds: `1m0s`, `1h30m0s`, `1.5s`, `500ms`, `0s` */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${+rest.toFixed(6)}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = `${+(rest / 1000).toFixed(9)}s`;
  return sign + (h ? `${h}h${m}m${sec}` : m ? `${m}m${sec}` : sec);
}

/** Go's time.ParseDuration, in milliseconds */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let sign = 1;
  let s = text;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (!s) return undefined;
  let total = 0;
  let pos = 0;
  re.lastIndex = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m.index !== pos) return undefined;
    total += Number(m[1]) * DURATION_UNIT[m[2]!]!;
    pos = re.lastIndex;
  }
  return sign * total;
}

function convert(spec: FlagSpec, raw: string, shown: string): FlagValue {
  switch (spec.type) {
    case 'bool': {
      const v = parseBool(raw);
      if (v === undefined) throw new FlagError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`, spec.name);
      return v;
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) throw new FlagError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`, spec.name);
      return Number(raw);
    }
    case 'duration': {
      if (parseGoDuration(raw) === undefined) throw new FlagError(`invalid argument "${raw}" for "${shown}" flag: time: invalid duration "${raw}"`, spec.name);
      return raw;
    }
    default:
      return raw;
  }
}

function parseBool(raw: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  return undefined;
}

/** pflag names a flag with its shorthand whenever it has one, however it was typed */
function shownName(spec: FlagSpec, _viaShort: boolean): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}

/** Parse `argv` (the words after the command path) against `specs`. Throws FlagError with pflag's wording. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.short) byShort.set(s.short, s);
  }
  const values: Record<string, FlagValue> = {};
  for (const s of specs) values[s.name] = defaultFor(s);
  const changed = new Set<string>();
  const args: string[] = [];
  const warnings: string[] = [];
  const sliceSeen = new Set<string>();

  const set = (spec: FlagSpec, raw: string, viaShort: boolean) => {
    const v = convert(spec, raw, shownName(spec, viaShort));
    if (spec.type === 'stringArray') {
      const cur = changed.has(spec.name) ? (values[spec.name] as string[]) : [];
      values[spec.name] = [...cur, raw];
    } else if (spec.type === 'stringSlice') {
      const cur = sliceSeen.has(spec.name) ? (values[spec.name] as string[]) : [];
      sliceSeen.add(spec.name);
      values[spec.name] = [...cur, ...(raw === '' ? [] : splitCsv(raw))];
    } else {
      values[spec.name] = v;
    }
    if (spec.deprecated && !changed.has(spec.name)) warnings.push(`Flag --${spec.name} has been deprecated, ${spec.deprecated}`);
    changed.add(spec.name);
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      return { values, changed, args, dashArgs: argv.slice(i + 1), sawDash: true, warnings };
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`, name);
      if (eq >= 0) set(spec, a.slice(eq + 1), false);
      else if (spec.type === 'bool') set(spec, 'true', false);
      else if (spec.noOptDefault !== undefined) set(spec, spec.noOptDefault, false);
      else if (i + 1 < argv.length) set(spec, argv[++i]!, false);
      else throw new FlagError(`flag needs an argument: --${name}`, name);
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && a !== '-') {
      // a run of shorthands: -it, -nfoo, -n=foo, -n foo
      let j = 1;
      while (j < a.length) {
        const c = a[j]!;
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`, c);
        const rest = a.slice(j + 1);
        if (rest.startsWith('=')) {
          set(spec, rest.slice(1), true);
          break;
        }
        if (spec.type === 'bool') {
          set(spec, 'true', true);
          j++;
          continue;
        }
        if (rest.length > 0) {
          set(spec, rest, true);
          break;
        }
        if (spec.noOptDefault !== undefined) {
          set(spec, spec.noOptDefault, true);
          break;
        }
        if (i + 1 < argv.length) {
          set(spec, argv[++i]!, true);
          break;
        }
        throw new FlagError(`flag needs an argument: '${c}' in ${a}`, spec.name);
      }
      continue;
    }
    args.push(a);
  }
  return { values, changed, args, dashArgs: [], sawDash: false, warnings };
}

/** pflag's stringSlice splits on commas with CSV quoting */
function splitCsv(raw: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQ = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inQ) {
      if (c === '"' && raw[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') inQ = false;
      else cur += c;
    } else if (c === '"' && cur === '') inQ = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
