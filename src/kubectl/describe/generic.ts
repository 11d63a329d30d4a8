/**
 * kubectl's genericDescriber (kinds without a dedicated describer, e.g. custom resources): Name,
 * Namespace, Labels, Annotations, then every other field of the object as nested "Key:  value" lines
 * (keys sorted, labels made "smart": camelCase split and title-cased), then Events.
 */
import { describeEvents, printAnnotationsMultiline, printLabelsMultiline, refFor, searchEvents } from './blocks.js';
import { goV } from './format.js';
import { sortStrings } from './gosort.js';
import type { DescribeContext } from './types.js';
import { LEVEL_0, PrefixWriter } from './writer.js';

const SKIP = ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations'];

type RuneClass = 'lower' | 'upper' | 'digit' | 'other';
function runeClass(ch: string): RuneClass {
  if (/\p{Ll}/u.test(ch)) return 'lower';
  if (/\p{Lu}/u.test(ch)) return 'upper';
  if (/\p{Nd}/u.test(ch)) return 'digit';
  return 'other';
}

/** github.com/fatih/camelcase Split */
export function camelSplit(src: string): string[] {
  const runs: string[][] = [];
  let last: RuneClass | undefined;
  for (const ch of src) {
    const c = runeClass(ch);
    if (c === last && runs.length > 0) runs[runs.length - 1].push(ch);
    else runs.push([ch]);
    last = c;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (runeClass(runs[i][0]) === 'upper' && runeClass(runs[i + 1][0]) === 'lower') {
      runs[i + 1] = [runs[i][runs[i].length - 1], ...runs[i + 1]];
      runs[i] = runs[i].slice(0, -1);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** strings.Title: upper-case the first letter of every word */
function title(s: string): string {
  let out = '';
  let prevLetter = false;
  for (const ch of s) {
    const isLetter = /[\p{L}\p{N}_']/u.test(ch);
    out += !prevLetter && isLetter ? ch.toUpperCase() : ch;
    prevLetter = isLetter;
  }
  return out;
}

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

export function smartLabelFor(field: string): string {
  for (const ch of field) if (!/\p{L}/u.test(ch) && ch !== '-') return field;
  const parts: string[] = [];
  for (let part of camelSplit(field)) {
    if (part === '_') continue;
    if (ACRONYMS.has(part.toUpperCase())) part = part.toUpperCase();
    else part = title(part);
    parts.push(part);
  }
  return parts.join(' ');
}

function printUnstructuredContent(w: PrefixWriter, level: number, content: Record<string, unknown>, skipPrefix: string): void {
  for (const field of sortStrings(Object.keys(content))) {
    const value = content[field];
    const skipExpr = `${skipPrefix}.${field}`;
    if (SKIP.includes(skipExpr)) continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value as Record<string, unknown>, skipExpr);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === 'object' && !Array.isArray(child)) printUnstructuredContent(w, level + 1, child as Record<string, unknown>, skipExpr);
        else w.write(level + 1, `${goV(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goV(value)}\n`);
    }
  }
}

export async function describeGeneric(obj: any, ctx: DescribeContext): Promise<string> {
  const md = obj?.metadata ?? {};
  const events = ctx.settings.showEvents ? await searchEvents(ctx, refFor(obj, obj?.kind)) : undefined;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  printUnstructuredContent(w, LEVEL_0, obj ?? {}, '');
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}
