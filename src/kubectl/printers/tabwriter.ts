/**
 * Go's text/tabwriter, as kubectl uses it (no escapes, no HTML filtering, no right alignment).
 *
 * Text is cut into cells at '\t'; a cell that ends a line (not tab-terminated) is not part of any
 * column. Consecutive lines that have a cell in column i form a column block; the block's width is
 * the widest cell plus `padding` (at least `minwidth`). A line without any tab flushes what came
 * before it, so it also ends every open block — describe output relies on that.
 *
 * kubectl get: minwidth 0, tabwidth 8, padding 3; describe: padding 2 (printing/*.md).
 */
export interface TabwriterOptions {
  minwidth?: number;
  padding?: number;
  padchar?: string;
  /** drop columns whose cells are all empty (Go's DiscardEmptyColumns) */
  discardEmptyColumns?: boolean;
}

interface Cell {
  text: string;
  width: number;
}

/** display width of a cell: Go counts runes (code points), not bytes or columns */
export function runeWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export class TabWriter {
  private readonly minwidth: number;
  private readonly padding: number;
  private readonly padchar: string;
  private readonly discardEmpty: boolean;
  private lines: Cell[][] = [[]];
  private cell = '';
  private out = '';
  private widths: number[] = [];

  constructor(opts: TabwriterOptions = {}) {
    this.minwidth = opts.minwidth ?? 0;
    this.padding = opts.padding ?? 3;
    this.padchar = opts.padchar ?? ' ';
    this.discardEmpty = opts.discardEmptyColumns ?? false;
  }

  write(text: string): this {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 9 && ch !== 10) continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const line = this.lines[this.lines.length - 1]!;
      line.push({ text: this.cell, width: runeWidth(this.cell) });
      this.cell = '';
      if (ch === 10) {
        const ncells = line.length;
        this.lines.push([]);
        if (ncells === 1) this.flushLines();
      }
    }
    this.cell += text.slice(start);
    return this;
  }

  /** format everything buffered and return the whole output so far */
  flush(): string {
    if (this.cell.length > 0) {
      this.lines[this.lines.length - 1]!.push({ text: this.cell, width: runeWidth(this.cell) });
      this.cell = '';
    }
    this.flushLines();
    const out = this.out;
    this.out = '';
    return out;
  }

  private flushLines(): void {
    this.format(0, this.lines.length);
    this.lines = [[]];
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let cur = line0; cur < line1; cur++) {
      const line = this.lines[cur]!;
      if (column >= line.length - 1) continue;
      // this line has a cell in `column`: it opens a block
      this.writeLines(line0, cur);
      line0 = cur;
      let width = this.minwidth;
      let discardable = true;
      for (; cur < line1; cur++) {
        const l = this.lines[cur]!;
        if (column >= l.length - 1) break;
        const c = l[column]!;
        const w = c.width + this.padding;
        if (w > width) width = w;
        if (c.width > 0) discardable = false;
      }
      if (discardable && this.discardEmpty) width = 0;
      this.widths.push(width);
      this.format(line0, cur);
      this.widths.pop();
      line0 = cur; // like Go, the loop's increment then skips line `cur`: it has no cell in `column`
    }
    this.writeLines(line0, line1);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      for (let j = 0; j < line.length; j++) {
        const c = line[j]!;
        if (c.width > 0) this.out += c.text;
        if (j < this.widths.length) this.out += this.padchar.repeat(Math.max(0, this.widths[j]! - c.width));
      }
      if (i + 1 === this.lines.length) {
        // the last buffered line is incomplete: no newline yet
      } else {
        this.out += '\n';
      }
    }
  }
}

/** format a whole text at once */
export function tabwrite(text: string, opts: TabwriterOptions = {}): string {
  return new TabWriter(opts).write(text).flush();
}
