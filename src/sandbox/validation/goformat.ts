/**
 * Go `%#v`-style rendering of bad values.
 *
 * kube-apiserver prints a field.Error's bad value with Go's fmt: strings as %q, numbers and bools
 * plainly, and maps/slices/structs as %#v (`map[string]string{"app":"x"}`). JSON cannot express
 * that, so validators wrap such values in a {@link GoValue}: it serializes as the plain JSON value
 * (toJSON) but carries the exact Go text in `goString`, which a formatter that knows about it
 * (see {@link formatGoBadValue}) prints verbatim.
 */

export class GoValue {
  constructor(readonly goString: string, readonly value: unknown) {}
  toJSON(): unknown {
    return this.value;
  }
  toString(): string {
    return this.goString;
  }
}

export function isGoValue(v: unknown): v is GoValue {
  return v instanceof GoValue || (typeof v === 'object' && v !== null && typeof (v as { goString?: unknown }).goString === 'string');
}

/** Go's %q for a string (close enough: JSON escaping coincides for printable ASCII). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** `map[string]string{"a":"b", "c":"d"}` (Go sorts map keys when printing). */
export function goStringMap(m: Record<string, string> | null | undefined): GoValue {
  if (m === null || m === undefined) return new GoValue('map[string]string(nil)', m ?? null);
  const keys = Object.keys(m).sort();
  const body = keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ');
  return new GoValue(`map[string]string{${body}}`, m);
}

/** `[]string{"a", "b"}` */
export function goStringSlice(a: string[] | null | undefined, typeName = 'string'): GoValue {
  if (a === null || a === undefined) return new GoValue(`[]${typeName}(nil)`, a ?? null);
  return new GoValue(`[]${typeName}{${a.map((s) => goQuote(String(s))).join(', ')}}`, a);
}

function goStringSliceText(a: unknown): string {
  if (!Array.isArray(a)) return '[]string(nil)';
  return `[]string{${a.map((s) => goQuote(String(s))).join(', ')}}`;
}

/** metav1.LabelSelector as %#v prints it. */
export function goLabelSelector(sel: any): GoValue {
  if (sel === null || sel === undefined) return new GoValue('null', null);
  const ml = sel.matchLabels;
  const mlText = ml && typeof ml === 'object' ? goStringMap(ml).goString : 'map[string]string(nil)';
  const me = sel.matchExpressions;
  let meText: string;
  if (!Array.isArray(me)) meText = '[]v1.LabelSelectorRequirement(nil)';
  else {
    meText = `[]v1.LabelSelectorRequirement{${me
      .map((r: any) => `v1.LabelSelectorRequirement{Key:${goQuote(String(r?.key ?? ''))}, Operator:${goQuote(String(r?.operator ?? ''))}, Values:${goStringSliceText(r?.values)}}`)
      .join(', ')}}`;
  }
  return new GoValue(`v1.LabelSelector{MatchLabels:${mlText}, MatchExpressions:${meText}}`, sel);
}

function upperFirst(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * Approximate %#v of an arbitrary JSON struct (`core.PodTemplateSpec{...}`): field names are
 * capitalized JSON names. Exact only for flat structs; good enough for huge dumps nobody reads.
 */
export function goStruct(typeName: string, v: unknown): GoValue {
  return new GoValue(goStructText(typeName, v), v);
}

function goStructText(typeName: string, v: unknown): string {
  if (v === null || v === undefined) return `(*${typeName})(nil)`;
  if (typeof v !== 'object' || Array.isArray(v)) return goScalarText(v);
  const parts = Object.entries(v as Record<string, unknown>).map(([k, val]) => `${upperFirst(k)}:${goAnyText(val)}`);
  return `${typeName}{${parts.join(', ')}}`;
}

function goScalarText(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return goQuote(v);
  return String(v);
}

function goAnyText(v: unknown): string {
  if (Array.isArray(v)) return `[]interface {}{${v.map(goAnyText).join(', ')}}`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.every(([, x]) => typeof x === 'string')) return goStringMap(v as Record<string, string>).goString;
    return `{${entries.map(([k, x]) => `${upperFirst(k)}:${goAnyText(x)}`).join(', ')}}`;
  }
  return goScalarText(v);
}

/** How field.Error.ErrorBody prints a bad value (GoValue-aware). */
export function formatGoBadValue(v: unknown): string {
  if (isGoValue(v)) return v.goString;
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return goStringSlice(v as string[]).goString;
  if (typeof v === 'object' && Object.values(v as object).every((x) => typeof x === 'string')) {
    return goStringMap(v as Record<string, string>).goString;
  }
  return JSON.stringify(v);
}

const typeText: Record<string, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueNotFound: 'Not found',
  InternalError: 'Internal error',
};

interface FieldErrorLike { type: string; field: string; badValue?: unknown; detail?: string }

/** field.Error.ErrorBody() with Go value formatting (GoValue-aware, knows FieldValueNotFound). */
export function goFieldErrorBody(e: FieldErrorLike): string {
  let s: string;
  switch (e.type) {
    case 'FieldValueRequired':
    case 'FieldValueForbidden':
    case 'FieldValueTooLong':
    case 'InternalError':
      s = typeText[e.type];
      break;
    default:
      s = e.badValue === undefined && e.type === 'FieldValueTooMany' ? typeText[e.type] : `${typeText[e.type] ?? e.type}: ${formatGoBadValue(e.badValue)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(): `spec.containers[0].image: Required value`. */
export function goFieldErrorString(e: FieldErrorLike): string {
  return `${e.field}: ${goFieldErrorBody(e)}`;
}

/** The `X "name" is invalid: ...` message kubectl prints for a 422 (StatusError aggregate). */
export function goInvalidMessage(group: string, kind: string, name: string, errs: FieldErrorLike[]): string {
  const list = errs.map(goFieldErrorString);
  const agg = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${agg}`;
}
