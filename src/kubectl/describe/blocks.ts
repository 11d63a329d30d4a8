/** Blocks shared by many describers: labels, annotations, taints, tolerations, events. */
import { formatRFC1123Z, parseTime, since } from './format.js';
import { goSort, goStringLess, sortStrings } from './gosort.js';
import type { DescribeContext } from './types.js';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './writer.js';

/** printLabelsMultilineWithIndent */
export function printLabelsMultiline(
  w: PrefixWriter,
  title: string,
  labels: Record<string, unknown> | undefined | null,
  initialIndent = '',
  innerIndent = '\t',
  skip: Set<string> = new Set(),
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const all = Object.keys(labels ?? {});
  if (all.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const keys = sortStrings(all.filter((k) => !skip.has(k)));
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, `${key}=${String(labels![key] ?? '')}\n`);
  });
}

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

function byteLen(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function shorten(s: string, max: number): string {
  const b = Buffer.from(s, 'utf8');
  return b.length > max ? b.subarray(0, max).toString('utf8') + '...' : s;
}

/** printAnnotationsMultiline */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, unknown> | undefined | null): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = sortStrings(Object.keys(annotations ?? {}).filter((k) => !SKIP_ANNOTATIONS.has(k)));
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    let value = String(annotations![key] ?? '');
    if (value.endsWith('\n')) value = value.slice(0, -1);
    if (byteLen(value) + byteLen(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

/** printTaintsMultilineWithIndent */
export function printTaintsMultiline(w: PrefixWriter, title: string, taints: any[] | undefined, initialIndent = '', innerIndent = '\t'): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  if (!taints || taints.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const key = (t: any): string => `${t.effect ?? ''},${t.key ?? ''}`;
  const sorted = goSort([...taints], (a, b) => goStringLess(key(a), key(b)));
  sorted.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, `${taintToString(t)}\n`);
  });
}

export function taintToString(t: any): string {
  return t.value ? `${t.key ?? ''}=${t.value}:${t.effect ?? ''}` : `${t.key ?? ''}:${t.effect ?? ''}`;
}

/** printTolerationsMultilineWithIndent */
export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: any[] | undefined, initialIndent = '', innerIndent = '\t'): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  if (!tolerations || tolerations.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const sorted = goSort([...tolerations], (a, b) => goStringLess(a.key ?? '', b.key ?? ''));
  sorted.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, t.key ?? '');
    if (t.value) w.write(LEVEL_0, `=${t.value}`);
    if (t.effect) w.write(LEVEL_0, `:${t.effect}`);
    if (t.operator === 'Exists' && !t.value) {
      w.write(LEVEL_0, t.key || t.effect ? ' op=Exists' : 'op=Exists');
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) w.write(LEVEL_0, ` for ${t.tolerationSeconds}s`);
    w.write(LEVEL_0, '\n');
  });
}

/** fields.EscapeValue */
function escapeFieldValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

export interface EventRef {
  kind?: string;
  name: string;
  namespace: string;
  uid?: string;
}

/** the field selector kubectl's searchEvents sends (keys sorted; namespace always present, even empty) */
export function eventFieldSelector(ref: EventRef): string {
  const parts: [string, string][] = [];
  if (ref.kind) parts.push(['involvedObject.kind', ref.kind]);
  parts.push(['involvedObject.name', ref.name]);
  parts.push(['involvedObject.namespace', ref.namespace]);
  if (ref.uid) parts.push(['involvedObject.uid', ref.uid]);
  return parts.map(([k, v]) => `${k}=${escapeFieldValue(v)}`).join(',');
}

/** reference for an object of the given kind */
export function refFor(obj: any, kind: string | undefined): EventRef {
  return {
    kind: kind || undefined,
    name: obj?.metadata?.name ?? '',
    namespace: obj?.metadata?.namespace ?? '',
    uid: obj?.metadata?.uid || undefined,
  };
}

/**
 * searchEvents: list core/v1 events in the object's namespace (all namespaces for cluster-scoped
 * objects) with the involvedObject field selector. Errors yield an empty list, like kubectl's
 * `events, _ = searchEvents(...)`, unless `throwErrors` is set (ConfigMap).
 */
export async function searchEvents(ctx: DescribeContext, ref: EventRef, throwErrors = false): Promise<any[]> {
  try {
    return await ctx.reader.list('', 'v1', 'events', {
      namespace: ref.namespace || undefined,
      fieldSelector: eventFieldSelector(ref),
    });
  } catch (e) {
    if (throwErrors) throw e;
    return [];
  }
}

function lastTs(e: any): number {
  return parseTime(e?.lastTimestamp) ?? -Infinity;
}

/** DescribeEvents */
export function describeEvents(events: any[], w: PrefixWriter, ctx: DescribeContext): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  const sorted = goSort([...events], (a, b) => lastTs(a) < lastTs(b));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    let first = since(e.eventTime, ctx.now);
    if (parseTime(e.eventTime) === undefined) first = since(e.firstTimestamp, ctx.now);
    let interval: string;
    if (e.series) interval = `${since(e.series.lastObservedTime, ctx.now)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, ctx.now)} (x${e.count} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingController || '';
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${String(e.message ?? '').trim()}\n`);
  }
}

/** the events block of a describer: searched and printed only when showEvents */
export async function eventsFor(ctx: DescribeContext, obj: any, kind: string | undefined): Promise<any[] | undefined> {
  if (!ctx.settings.showEvents) return undefined;
  return searchEvents(ctx, refFor(obj, kind));
}

export function time(ctx: DescribeContext, ts: unknown): string {
  return formatRFC1123Z(ts, ctx.tz);
}
