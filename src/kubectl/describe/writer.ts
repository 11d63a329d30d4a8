/**
 * kubectl's describe PrefixWriter over one Go text/tabwriter (minwidth 0, tabwidth 8, padding 2,
 * padchar ' ', flags 0). `write(level, text)` prepends 2×level spaces to the start of that call only;
 * every write is terminal-escaped (ESC → "^[", CR → "\r"). The whole description is aligned at once.
 */
import { tabwrite } from '../printers/tabwriter.js';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

export function escapeTerminal(s: string): string {
  return s.replace(/\u001b/g, '^[').replace(/\r/g, '\\r');
}

export class PrefixWriter {
  private buf: string[] = [];

  write(level: number, text: string): void {
    this.buf.push(escapeTerminal('  '.repeat(level) + text));
  }

  /** fmt.Sprintln(x): the text plus a newline, no indentation */
  writeLine(text = ''): void {
    this.buf.push(escapeTerminal(text + '\n'));
  }

  /** the raw text written so far (tabs not yet expanded) */
  raw(): string {
    return this.buf.join('');
  }

  /** the aligned text (tabbedString) */
  tabbed(): string {
    return tabwrite(this.raw(), { minwidth: 0, padding: 2, padchar: ' ' });
  }
}

/** a writer that adds `indent` levels to every write (NewNestedPrefixWriter) */
export class NestedPrefixWriter extends PrefixWriter {
  constructor(
    private readonly inner: PrefixWriter,
    private readonly indent: number,
  ) {
    super();
  }

  override write(level: number, text: string): void {
    this.inner.write(level + this.indent, text);
  }

  override writeLine(text = ''): void {
    this.inner.write(this.indent, text + '\n');
  }

  override raw(): string {
    return this.inner.raw();
  }
}
