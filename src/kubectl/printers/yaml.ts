/**
 * `kubectl get -o yaml`: sigs.k8s.io/yaml (JSON → go-yaml v2 → YAML) of the unstructured object.
 *
 * A small emitter reproducing go-yaml v2's block style: map keys in go-yaml's key order, sequences not
 * indented under their key, empty maps/lists in flow style (`{}` / `[]`), the plain / single-quoted /
 * double-quoted / literal (`|`, `|-`, `|+`, `|2-`) scalar choice, and line folding at column 80.
 */
import { goFormatFloatG } from './table.js';
import { omitManagedFields } from './json.js';

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

/** `-o yaml` output for one object (or a List built with asList); managedFields dropped unless asked for */
export function printYaml(obj: unknown, opts: { showManagedFields?: boolean } = {}): string {
  return toYaml(opts.showManagedFields ? obj : omitManagedFields(obj));
}

/** the YAML text sigs.k8s.io/yaml.Marshal produces for a JSON-compatible value */
export function toYaml(value: unknown): string {
  const e = new Emitter();
  e.emitNode(value, { root: true, sequence: false, mapping: false, simpleKey: false });
  e.documentEnd();
  return e.out;
}

interface Ctx {
  root: boolean;
  sequence: boolean;
  mapping: boolean;
  simpleKey: boolean;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

// ---- character classes (on code points) ----
const isSpace = (c: number | undefined) => c === 0x20;
const isBreak = (c: number | undefined) => c === 0x0d || c === 0x0a || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09;
const isBlankz = (c: number | undefined) => c === undefined || c === 0 || isBlank(c) || isBreak(c);
function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  );
}

interface ScalarAnalysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyzeScalar(v: number[]): ScalarAnalysis {
  if (v.length === 0) {
    return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (
    v.length >= 3 &&
    ((v[0] === 0x2d && v[1] === 0x2d && v[2] === 0x2d) || (v[0] === 0x2e && v[1] === 0x2e && v[2] === 0x2e))
  ) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    const followedByWhitespace = i + 1 >= v.length || isBlank(v[i + 1]);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (ch === '?' || ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (ch === '-') {
        if (followedByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      else if (ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (ch === '#') {
        if (precededByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i + 1 === v.length) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i + 1 === v.length) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }
  const a: ScalarAnalysis = {
    multiline: lineBreaks,
    flowPlainAllowed: true,
    blockPlainAllowed: true,
    singleQuotedAllowed: true,
    blockAllowed: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

// ---- go-yaml v2 resolve(): would this plain text read back as something other than a string? ----
const RESOLVE_MAP = new Set([
  '', '~', 'null', 'Null', 'NULL',
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE',
  'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
  '<<',
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function goParseInt(s: string): boolean {
  // strconv.ParseInt/ParseUint(s, 0, 64) syntax (range ignored but checked loosely)
  const m = /^[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  let body = m[1]!;
  let big: bigint;
  try {
    if (/^0[oO]/.test(body)) big = BigInt('0o' + body.slice(2));
    else if (/^0[0-7]+$/.test(body)) big = BigInt('0o' + body.slice(1));
    else big = BigInt(body);
  } catch {
    return false;
  }
  body = '';
  const neg = s.startsWith('-');
  if (neg) return big <= 9223372036854775808n;
  return big <= 18446744073709551615n;
}

function isTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ ])(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  if (m[4] !== undefined) {
    const sep = s[10 + (m[2]!.length - 2) + (m[3]!.length - 2)];
    // "2006-1-2 15:4:5.999999999" has no zone; the T/t forms need one
    if (sep === ' ' && m[8] !== undefined) return false;
    if (sep !== ' ' && m[8] === undefined) return false;
    if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  }
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const y = Number(m[1]);
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= dim;
}

/** true when go-yaml v2 resolves the unquoted text to a non-string tag (so it must be quoted) */
export function resolvesToNonString(s: string): boolean {
  if (RESOLVE_MAP.has(s)) return true;
  const c = s[0];
  if (c === undefined) return true;
  if (c === '.') return YAML_STYLE_FLOAT.test(s) || /^\.[0-9]/.test(s) ? goParseFloatOk(s) : false;
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (isTimestamp(s)) return true;
    const plain = s.replace(/_/g, '');
    if (goParseInt(plain)) return true;
    if (YAML_STYLE_FLOAT.test(plain)) return true;
    if (/^0b[01]+$/.test(plain) || /^-0b[01]+$/.test(plain)) return true;
  }
  return false;
}

function goParseFloatOk(s: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s);
}

/** go-yaml v2's map key order (keyList.Less) for string keys */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (ch: string) => /\p{L}/u.test(ch);
  const isDigit = (ch: string | undefined) => ch !== undefined && /\p{Nd}/u.test(ch);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai]!.codePointAt(0)! - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi]!.codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

export function yamlSortKeys(keys: string[]): string[] {
  return [...keys].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
}

class Emitter {
  out = '';
  private column = 0;
  private indent = -1;
  private indents: number[] = [];
  private flowLevel = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;
  private ctx: Ctx = { root: true, sequence: false, mapping: false, simpleKey: false };

  private put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of ind) this.put(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  documentEnd(): void {
    // implicit document end: write_indent, then stream end
    this.writeIndent();
    if (this.openEnded) {
      this.writeIndicator('...', true, false, false);
      this.writeIndent();
    }
  }

  emitNode(v: unknown, ctx: Ctx): void {
    this.ctx = ctx;
    if (Array.isArray(v)) {
      if (v.length === 0 || this.flowLevel > 0) return this.flowSequence(v);
      return this.blockSequence(v);
    }
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
      if (keys.length === 0 || this.flowLevel > 0) return this.flowMapping(v as Record<string, unknown>, keys);
      return this.blockMapping(v as Record<string, unknown>, keys);
    }
    this.scalar(v);
  }

  private blockSequence(v: unknown[]): void {
    this.increaseIndent(false, this.ctx.mapping && !this.indention);
    for (const item of v) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.emitNode(item, { root: false, sequence: true, mapping: false, simpleKey: false });
    }
    this.popIndent();
  }

  private blockMapping(v: Record<string, unknown>, keys: string[]): void {
    this.increaseIndent(false, false);
    for (const k of yamlSortKeys(keys)) {
      this.writeIndent();
      const simple = [...k].length <= 128 && !analyzeScalar([...k].map((c) => c.codePointAt(0)!)).multiline;
      if (simple) {
        this.emitNode(k, { root: false, sequence: false, mapping: true, simpleKey: true });
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitNode(k, { root: false, sequence: false, mapping: true, simpleKey: false });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.emitNode(v[k], { root: false, sequence: false, mapping: true, simpleKey: false });
    }
    this.popIndent();
  }

  private flowSequence(v: unknown[]): void {
    this.writeIndicator('[', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    v.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > BEST_WIDTH) this.writeIndent();
      this.emitNode(item, { root: false, sequence: true, mapping: false, simpleKey: false });
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(']', false, false, false);
  }

  private flowMapping(v: Record<string, unknown>, keys: string[]): void {
    this.writeIndicator('{', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    yamlSortKeys(keys).forEach((k, i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > BEST_WIDTH) this.writeIndent();
      this.emitNode(k, { root: false, sequence: false, mapping: true, simpleKey: true });
      this.writeIndicator(':', false, false, false);
      this.emitNode(v[k], { root: false, sequence: false, mapping: true, simpleKey: false });
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator('}', false, false, false);
  }

  private scalar(v: unknown): void {
    let text: string;
    let requested: Style = 'plain';
    if (v === null || v === undefined) text = 'null';
    else if (typeof v === 'boolean') text = v ? 'true' : 'false';
    else if (typeof v === 'number') {
      if (Number.isInteger(v) && Math.abs(v) < 1e21) text = String(v);
      else {
        text = goFormatFloatG(v);
        if (text === '+Inf') text = '.inf';
        else if (text === '-Inf') text = '-.inf';
        else if (text === 'NaN') text = '.nan';
      }
    } else {
      text = String(v);
      if (text.includes('\n')) requested = 'literal';
      else if (!resolvesToNonString(text) && !BASE60_FLOAT.test(text)) requested = 'plain';
      else requested = 'double';
    }
    const cps = [...text].map((c) => c.codePointAt(0)!);
    const a = analyzeScalar(cps);
    let style: Style = requested;
    if (this.ctx.simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed)) style = 'single';
      if (cps.length === 0 && (this.flowLevel > 0 || this.ctx.simpleKey)) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || this.flowLevel > 0 || this.ctx.simpleKey)) style = 'double';

    this.increaseIndent(true, false);
    const allowBreaks = !this.ctx.simpleKey;
    switch (style) {
      case 'plain':
        this.writePlain(cps, allowBreaks);
        break;
      case 'single':
        this.writeSingle(cps, allowBreaks);
        break;
      case 'double':
        this.writeDouble(cps, allowBreaks);
        break;
      case 'literal':
        this.writeLiteral(cps);
        break;
    }
    this.popIndent();
  }

  private writeCp(c: number): void {
    this.out += String.fromCodePoint(c);
    this.column++;
  }

  private writeBreakCp(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.writeCp(c);
      this.column = 0;
    }
  }

  private writePlain(v: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(v[i + 1])) this.writeIndent();
        else this.writeCp(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.writeCp(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
    if (this.ctx.root) this.openEnded = true;
  }

  private writeSingle(v: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < v.length - 1 && !isSpace(v[i + 1])) this.writeIndent();
        else this.writeCp(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.writeCp(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDouble(v: number[], allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (!isPrintable(c) || c === 0xfeff || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put('\\');
        const short: Record<number, string> = {
          0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
          0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
        };
        const s = short[c];
        if (s !== undefined) this.put(s);
        else {
          const [p, w] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(p as string);
          for (const d of c.toString(16).toUpperCase().padStart(w as number, '0')) this.put(d);
        }
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== v.length - 1) {
          this.writeIndent();
          if (isSpace(v[i + 1])) this.put('\\');
        } else this.writeCp(c);
        spaces = true;
      } else {
        this.writeCp(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(v: number[]): void {
    this.writeIndicator('|', true, false, false);
    // block scalar hints
    if (isSpace(v[0]) || isBreak(v[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    this.openEnded = false;
    let chomp = '';
    if (v.length === 0) chomp = '-';
    else {
      const last = v.length - 1;
      if (!isBreak(v[last])) chomp = '-';
      else if (last === 0) {
        chomp = '+';
        this.openEnded = true;
      } else if (isBreak(v[last - 1])) {
        chomp = '+';
        this.openEnded = true;
      }
    }
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (isBreak(c)) {
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.writeCp(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}
