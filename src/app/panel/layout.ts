/**
 * Fitting trees of lines into a height and width budget, for the cluster panel. A Block is a
 * head line with child blocks (a node and its pods, a controller and what it owns). When a forest
 * does not fit, every head that can stay stays and the remaining rows are shared fairly among the
 * children, the rest summed up in "… N more" lines; lines are cut to the width, never wrapped.
 */
import { cellWidth, fitText } from './text.js';
import type { Tone } from './pod-status.js';

/** the panel's colours: pod-like states plus headings and names that stand out */
export type PanelTone = Tone | 'head' | 'accent';

export interface Segment {
  text: string;
  tone?: PanelTone;
}

export type PanelLine = Segment[];

export interface Block {
  head: PanelLine;
  children?: Block[];
  /** what the children are indented by (default two spaces) */
  childIndent?: string;
  /** how many things this block stands for in a "… N more" count (default 1; a line of 4 pods: 4) */
  count?: number;
}

/** the "… N more" line for `n` hidden things */
export type MoreLine = (n: number) => PanelLine;

/** how many lines a block takes drawn whole */
export function blockRows(b: Block): number {
  return 1 + (b.children ?? []).reduce((n, c) => n + blockRows(c), 0);
}

function flatten(b: Block, indent: string): PanelLine[] {
  const inner = indent + (b.childIndent ?? '  ');
  return [indented(b.head, indent), ...(b.children ?? []).flatMap((c) => flatten(c, inner))];
}

function indented(line: PanelLine, indent: string): PanelLine {
  return indent ? [{ text: indent }, ...line] : line;
}

/**
 * Share `total` rows among wants: each gets an equal part at most what it wants, what is left
 * goes round again; earlier items get the odd rows.
 */
export function share(wants: readonly number[], total: number): number[] {
  const got = wants.map(() => 0);
  let left = total;
  let open = wants.map((_, i) => i).filter((i) => wants[i]! > 0);
  while (left > 0 && open.length) {
    const each = Math.max(1, Math.floor(left / open.length));
    for (const i of open) {
      const give = Math.min(each, wants[i]! - got[i]!, left);
      got[i]! += give;
      left -= give;
      if (left === 0) break;
    }
    open = open.filter((i) => got[i]! < wants[i]!);
  }
  return got;
}

/** the lines of `blocks` in at most `budget` rows */
export function fitBlocks(blocks: readonly Block[], budget: number, more: MoreLine, indent = ''): PanelLine[] {
  if (budget <= 0 || blocks.length === 0) return [];
  const needed = blocks.map(blockRows);
  if (needed.reduce((a, b) => a + b, 0) <= budget) return blocks.flatMap((b) => flatten(b, indent));
  if (blocks.length > budget) {
    const shown = blocks.slice(0, budget - 1);
    const hidden = blocks.slice(budget - 1).reduce((n, b) => n + (b.count ?? 1), 0);
    return [...shown.map((b) => indented(b.head, indent)), indented(more(hidden), indent)];
  }
  const rowsFor = share(needed.map((n) => n - 1), budget - blocks.length);
  return blocks.flatMap((b, i) => [indented(b.head, indent), ...fitBlocks(b.children ?? [], rowsFor[i]!, more, indent + (b.childIndent ?? '  '))]);
}

export function lineWidth(line: PanelLine): number {
  return line.reduce((n, s) => n + cellWidth(s.text), 0);
}

/** `line` cut to `width` cells (the cut segment ends with "…") */
export function clipLine(line: PanelLine, width: number): PanelLine {
  const out: PanelLine = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    const w = cellWidth(s.text);
    if (w <= left) {
      out.push(s);
      left -= w;
    } else {
      out.push({ ...s, text: fitText(s.text, left) });
      break;
    }
  }
  return out;
}

/** `line` clipped, then padded with spaces to exactly `width` cells */
export function padLine(line: PanelLine, width: number): PanelLine {
  const clipped = clipLine(line, width);
  const gap = width - lineWidth(clipped);
  return gap > 0 ? [...clipped, { text: ' '.repeat(gap) }] : clipped;
}

/**
 * Tokens (a pod bullet and name, an endpoint address) packed into lines of at most `width`
 * cells, `sep` between tokens; a token wider than the line gets a line of its own (and is cut).
 */
export function packTokens(tokens: readonly PanelLine[], width: number, sep = '  '): Block[] {
  const lines: Block[] = [];
  let current: PanelLine = [];
  let used = 0;
  let count = 0;
  for (const t of tokens) {
    const w = lineWidth(t);
    if (count > 0 && used + cellWidth(sep) + w > width) {
      lines.push({ head: current, count });
      current = [];
      used = 0;
      count = 0;
    }
    if (count > 0) {
      current.push({ text: sep });
      used += cellWidth(sep);
    }
    current.push(...t);
    used += w;
    count++;
  }
  if (count > 0) lines.push({ head: current, count });
  return lines;
}
