/**
 * Fitting the panel's sections into one column's height at the most detail that fits: every
 * section in full when it can; else each section under its heading, full or compact (the
 * cheapest upgrades to full first); else the compact lines alone, without headings (they name
 * what they show: ■ node, deploy/…, svc/…); else those with the nodes packed several to a line;
 * and only when even that does not fit, cut with "… N more", the rows shared fairly among the
 * sections.
 */
import { blockRows, fitBlocks, share, type Block, type MoreLine, type PanelLine } from './layout.js';
import type { Section } from './sections.js';

/** full trees under the heading · a line per thing under the heading · a line per thing, no heading · packed, no heading */
export type Level = 'full' | 'compact' | 'bare' | 'dense';

/** a section drawn at `level`, as blocks to stack */
export function blocksAt(s: Section, level: Level): Block[] {
  if (level === 'bare' || level === 'dense') {
    const items = level === 'dense' ? (s.dense ?? s.compact) : s.compact;
    if (items.length) return items;
    // nothing to list: the heading alone, saying why (loading…, no access) or that it is empty
    return [{ head: s.heading.length > 1 ? s.heading : [...s.heading, { text: `  ${s.empty}`, tone: 'dim' }] }];
  }
  const items = level === 'full' ? s.full : s.compact;
  return [{ head: s.heading, children: items.length ? items : [{ head: [{ text: s.empty, tone: 'dim' }] }], childIndent: '' }];
}

function rowsAt(sections: readonly Section[], levels: readonly Level[]): number {
  return sections.reduce((n, s, i) => n + blocksAt(s, levels[i]!).reduce((m, b) => m + blockRows(b), 0), 0);
}

/** whether every section fits `budget` rows in full */
export function fitsInFull(sections: readonly Section[], budget: number): boolean {
  return rowsAt(sections, sections.map(() => 'full')) <= budget;
}

/** the most detailed levels for `sections` in `budget` rows; undefined when not even dense lines fit */
export function chooseLevels(sections: readonly Section[], budget: number): Level[] | undefined {
  let levels: Level[] = sections.map(() => 'compact');
  if (rowsAt(sections, levels) <= budget) {
    const extra = (i: number) => rowsAt([sections[i]!], ['full']) - rowsAt([sections[i]!], ['compact']);
    const cheapestFirst = sections.map((_, i) => i).sort((a, b) => extra(a) - extra(b));
    for (const i of cheapestFirst) {
      const upgraded = levels.map((l, j) => (j === i ? 'full' : l));
      if (rowsAt(sections, upgraded) <= budget) levels = upgraded;
    }
    return levels;
  }
  const bare: Level[] = sections.map(() => 'bare');
  if (rowsAt(sections, bare) <= budget) return bare;
  const dense: Level[] = sections.map(() => 'dense');
  return rowsAt(sections, dense) <= budget ? dense : undefined;
}

/** the lines of one column of sections in at most `budget` rows */
export function fitColumn(sections: readonly Section[], budget: number, more: MoreLine): PanelLine[] {
  const levels = chooseLevels(sections, budget);
  if (levels) return fitBlocks(sections.flatMap((s, i) => blocksAt(s, levels[i]!)), budget, more);
  const parts = sections.map((s) => blocksAt(s, 'dense'));
  const rowsFor = share(parts.map((p) => p.reduce((n, b) => n + blockRows(b), 0)), budget);
  return parts.flatMap((p, i) => fitBlocks(p, rowsFor[i]!, more));
}
