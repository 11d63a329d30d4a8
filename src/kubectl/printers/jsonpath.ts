/**
 * kubectl's JSONPath dialect (k8s.io/client-go/util/jsonpath) over JSON-decoded (unstructured) data,
 * plus the `-o jsonpath=…` / `-o jsonpath-as-json=…` printer with kubectl's exact error texts.
 *
 * Behaviour notes (measured against kubectl 1.33):
 * - text outside `{…}` is printed verbatim; inside, `"…"`/`'…'` are Go-unquoted text;
 * - one action's results are printed space-separated; maps and lists as compact Go JSON; nil as `null`;
 * - missing keys print nothing unless allowMissingKeys is false (`<key> is not found`);
 * - `['a\.b']` is re-parsed as `.a\.b`, so dots in bracketed keys still need escaping.
 */
import { goJson } from './json.js';
import { goFormatNumber } from './table.js';

export type JPNode =
  | { type: 'list'; nodes: JPNode[] }
  | { type: 'text'; text: string }
  | { type: 'field'; name: string }
  | { type: 'array'; params: ParamsEntry[] }
  | { type: 'filter'; left: JPNode & { type: 'list' }; right: JPNode & { type: 'list' }; op: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; lists: (JPNode & { type: 'list' })[] }
  | { type: 'identifier'; name: string };

type ListNode = JPNode & { type: 'list' };

export interface ParamsEntry {
  value: number;
  known: boolean;
  derived: boolean;
}

/** a parse error (message is the jsonpath library's, e.g. `unclosed action`) */
export class JsonPathParseError extends Error {}
/** an execution error (message is the jsonpath library's, e.g. `x is not found`) */
export class JsonPathExecError extends Error {}

const EOF = '';

class Parser {
  input = '';
  pos = 0;
  start = 0;
  root: ListNode = { type: 'list', nodes: [] };

  parse(text: string): void {
    this.input = text;
    this.root = { type: 'list', nodes: [] };
    this.pos = 0;
    this.start = 0;
    this.parseText(this.root);
  }

  private next(): string {
    if (this.pos >= this.input.length) {
      this.pos = this.input.length + 1; // like Go: width of EOF is 0 but we mark overrun for backup
      this.pos = this.input.length;
      this.eofHit = true;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    this.lastWidth = ch.length;
    this.pos += ch.length;
    this.eofHit = false;
    return ch;
  }
  private lastWidth = 0;
  private eofHit = false;

  private backup(): void {
    if (this.eofHit) return; // width 0 at EOF
    this.pos -= this.lastWidth;
  }

  private peek(): string {
    const save = this.pos;
    const w = this.lastWidth;
    const e = this.eofHit;
    const r = this.next();
    this.pos = save;
    this.lastWidth = w;
    this.eofHit = e;
    return r;
  }

  private consumeText(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
        return this.parseLeftDelim(cur);
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
  }

  private parseLeftDelim(cur: ListNode): void {
    this.pos += 1;
    this.consumeText();
    const n: ListNode = { type: 'list', nodes: [] };
    cur.nodes.push(n);
    this.parseInsideAction(n);
  }

  private parseInsideAction(cur: ListNode): void {
    const rest = this.input.slice(this.pos);
    if (rest.startsWith('}')) return this.parseRightDelim();
    if (rest.startsWith('[?(')) return this.parseFilter(cur);
    if (rest.startsWith('..')) return this.parseRecursive(cur);
    const r = this.next();
    if (r === EOF || r === '\r' || r === '\n') throw new JsonPathParseError('unclosed action');
    if (r === ' ') this.consumeText();
    else if (r === '@' || r === '$') this.consumeText();
    else if (r === '[') return this.parseArray(cur);
    else if (r === '"' || r === "'") return this.parseQuote(cur, r);
    else if (r === '.') return this.parseField(cur);
    else if (r === '+' || r === '-' || isDigit(r)) {
      this.backup();
      return this.parseNumber(cur);
    } else if (isAlphaNumeric(r)) {
      this.backup();
      return this.parseIdentifier(cur);
    } else {
      throw new JsonPathParseError(`unrecognized character in action: ${goRuneU(r)}`);
    }
    return this.parseInsideAction(cur);
  }

  private parseRightDelim(): void {
    this.pos += 1;
    this.consumeText();
    this.parseText(this.root);
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' });
    else cur.nodes.push({ type: 'identifier', name: value });
    this.parseInsideAction(cur);
  }

  private parseRecursive(cur: ListNode): void {
    const last = cur.nodes[cur.nodes.length - 1];
    if (last && last.type === 'recursive') throw new JsonPathParseError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    const r = this.peek();
    if (isAlphaNumeric(r)) return this.parseField(cur);
    this.parseInsideAction(cur);
  }

  private parseNumber(cur: ListNode): void {
    const r = this.peek();
    if (r === '+' || r === '-') this.next();
    for (;;) {
      const c = this.next();
      if (c !== '.' && !isDigit(c)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[+-]?\d+$/.test(value)) {
      cur.nodes.push({ type: 'int', value: Number(value) });
      return this.parseInsideAction(cur);
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) {
      cur.nodes.push({ type: 'float', value: Number(value) });
      return this.parseInsideAction(cur);
    }
    throw new JsonPathParseError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathParseError('unterminated array');
      if (r === ']') break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === '*') text = ':';
    const strs = text.split(',');
    if (strs.length > 1) {
      const lists: ListNode[] = [];
      for (const s of strs) lists.push(parseAction(`[${s.replace(/^ +| +$/g, '')}]`));
      cur.nodes.push({ type: 'union', lists });
      return this.parseInsideAction(cur);
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      const sub = parseAction(`.${dict[1]}`);
      for (const n of sub.nodes) cur.nodes.push(n);
      return this.parseInsideAction(cur);
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new JsonPathParseError(`invalid array index ${text}`);
    const value = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    const params: ParamsEntry[] = [];
    for (let i = 0; i < 3; i++) {
      let v = value[i]!;
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params.push({ value: 0, known: false, derived: false });
        else {
          if (!/^[+-]?\d+$/.test(v)) throw new JsonPathParseError(`array index ${v} is not a number`);
          params.push({ value: Number(v), known: true, derived: false });
        }
      } else if (i === 1) params.push({ value: params[0]!.value + 1, known: true, derived: true });
      else params.push({ value: 0, known: false, derived: false });
    }
    cur.nodes.push({ type: 'array', params });
    this.parseInsideAction(cur);
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathParseError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')') {
        if (begin === end) break;
      }
    }
    if (this.next() !== ']') throw new JsonPathParseError('unclosed array expect ]');
    let text = this.consumeText();
    text = text.slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) {
      const left = parseAction(text);
      cur.nodes.push({ type: 'filter', left, right: { type: 'list', nodes: [] }, op: 'exists' });
    } else {
      const left = parseAction(m[1]!);
      const right = parseAction(m[3]!);
      cur.nodes.push({ type: 'filter', left, right, op: m[2]! });
    }
    this.parseInsideAction(cur);
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathParseError('unterminated quoted string');
      if (r === '\\') {
        const r2 = this.next();
        if (r2 === EOF || r2 === '\n') throw new JsonPathParseError('unterminated quoted string');
        continue;
      }
      if (r === end) break;
    }
    const value = this.consumeText();
    let s: string;
    try {
      s = unquoteExtend(value);
    } catch (e) {
      throw new JsonPathParseError(`unquote string ${value} error ${(e as Error).message}`);
    }
    cur.nodes.push({ type: 'text', text: s });
    this.parseInsideAction(cur);
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    while (this.advance()) {
      if (isTerminator(this.peek())) break;
    }
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ type: 'wildcard' });
    else cur.nodes.push({ type: 'field', name: value.replace(/\\/g, '') });
    this.parseInsideAction(cur);
  }

  private advance(): boolean {
    const r = this.next();
    if (r === '\\') this.next();
    else if (isTerminator(r)) {
      this.backup();
      return false;
    }
    return true;
  }
}

function parseAction(text: string): ListNode {
  const p = new Parser();
  p.parse(`{${text}}`);
  return p.root.nodes[0] as ListNode;
}

function isDigit(r: string): boolean {
  return r !== EOF && /^\p{Nd}$/u.test(r);
}
function isAlphaNumeric(r: string): boolean {
  return r === '_' || (r !== EOF && /^[\p{L}\p{Nd}]$/u.test(r));
}
function isTerminator(r: string): boolean {
  if (r === EOF || r === ' ' || r === '\t' || r === '\r' || r === '\n') return true;
  return '.,[]$@{}'.includes(r);
}

/** Go's %#U for a rune: U+0023 '#' */
function goRuneU(r: string): string {
  const cp = r.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return /\p{L}|\p{M}|\p{N}|\p{P}|\p{S}|\p{Zs}/u.test(r) ? `U+${hex} '${r}'` : `U+${hex}`;
}

/** strconv.Unquote, extended to single-quoted strings of any length (jsonpath UnquoteExtend) */
function unquoteExtend(s: string): string {
  const n = s.length;
  if (n < 2) throw new Error('invalid syntax');
  const q = s[0];
  if (q !== s[n - 1]) throw new Error('invalid syntax');
  const body = s.slice(1, -1);
  if (q === '`') return body;
  if (q !== '"' && q !== "'") throw new Error('invalid syntax');
  if (body.includes('\n')) throw new Error('invalid syntax');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === q) throw new Error('invalid syntax');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case "'":
      case '"':
        if (e !== q) throw new Error('invalid syntax');
        out += e;
        break;
      case 'x': case 'u': case 'U': {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new Error('invalid syntax');
        out += e === 'x' ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
        i += len;
        break;
      }
      default:
        if (e !== undefined && /[0-7]/.test(e)) {
          const oct = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
          out += String.fromCharCode(parseInt(oct, 8));
          i += 2;
          break;
        }
        throw new Error('invalid syntax');
    }
  }
  return out;
}

// ---------------- evaluation ----------------

/** a value in the walk: `NIL` marks Go's invalid/nil reflect.Value (JSON null or no value) */
const NIL: unique symbol = Symbol('nil');
type V = unknown;

function isNil(v: V): boolean {
  return v === NIL || v === null || v === undefined;
}

export interface JsonPathOptions {
  /** default true in kubectl (`--allow-missing-template-keys`) */
  allowMissingKeys?: boolean;
  /** jsonpath-as-json */
  outputJson?: boolean;
}

export class JsonPath {
  private readonly root: ListNode;
  private stack: V[][] = [];
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: JPNode | undefined;
  readonly allowMissingKeys: boolean;
  readonly outputJson: boolean;

  /** throws JsonPathParseError */
  constructor(
    readonly template: string,
    opts: JsonPathOptions = {},
  ) {
    const p = new Parser();
    p.parse(template);
    this.root = p.root;
    this.allowMissingKeys = opts.allowMissingKeys ?? false;
    this.outputJson = opts.outputJson ?? false;
  }

  /** FindResults: one result list per top-level node (text or action) */
  findResults(data: unknown): V[][] {
    this.stack = [];
    this.beginRange = this.inRange = this.endRange = 0;
    this.lastEndNode = undefined;
    return this.find(data, this.root.nodes);
  }

  private find(data: unknown, nodes: JPNode[]): V[][] {
    const cur: V[] = [data === undefined ? NIL : data];
    const full: V[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const results = this.walk(cur, node);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = nodes[i];
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          for (const v of results) full.push(...this.find(v === NIL ? undefined : v, nodes.slice(i + 1)));
        } else {
          this.find(undefined, nodes.slice(i + 1));
        }
        this.inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (nodes[k] === this.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  /** Execute: the printed text (throws JsonPathExecError) */
  execute(data: unknown): string {
    const full = this.findResults(data);
    let out = '';
    for (const r of full) out += this.printResults(r);
    return out;
  }

  printResults(results: V[]): string {
    let rs = results;
    if (this.outputJson) rs = [results.map((r) => (r === NIL ? null : r))];
    let out = '';
    rs.forEach((r, i) => {
      let text: string;
      const isObj = r !== null && typeof r === 'object';
      if (isObj || this.outputJson) {
        text = this.outputJson ? goJson(r, '    ') + '\n' : goJson(r);
      } else {
        text = evalToText(r);
      }
      if (i !== rs.length - 1) text += ' ';
      out += text;
    });
    return out;
  }

  private walk(input: V[], node: JPNode): V[] {
    switch (node.type) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return this.evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
      case 'float':
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return this.evalWildcard(input);
      case 'recursive':
        return this.evalRecursive(input);
      case 'union': {
        const out: V[] = [];
        for (const l of node.lists) out.push(...this.walk(input, l));
        return out;
      }
      case 'identifier':
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalList(input: V[], node: ListNode): V[] {
    let cur = input;
    for (const n of node.nodes) cur = this.walk(cur, n);
    return cur;
  }

  private evalIdentifier(input: V[], name: string): V[] {
    if (name === 'range') {
      this.stack.push(input);
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.endRange < this.inRange) {
        this.endRange++;
        return [];
      }
      if (this.stack.length > 0) {
        this.stack.pop();
        return [];
      }
      throw new JsonPathExecError('not in range, nothing to end');
    }
    throw new JsonPathExecError(`unrecognized identifier ${name}`);
  }

  private evalField(input: V[], name: string): V[] {
    const results: V[] = [];
    if (input.length === 0) return results;
    for (const v of input) {
      if (isNil(v)) continue;
      if (typeof v === 'object' && !Array.isArray(v)) {
        if (Object.prototype.hasOwnProperty.call(v, name)) {
          const r = (v as Record<string, unknown>)[name];
          results.push(r === null ? NIL : r);
        }
      }
    }
    if (results.length === 0) {
      if (this.allowMissingKeys) return results;
      throw new JsonPathExecError(`${name} is not found`);
    }
    return results;
  }

  private evalArray(input: V[], params0: ParamsEntry[]): V[] {
    const result: V[] = [];
    for (const v of input) {
      if (isNil(v)) continue;
      if (!Array.isArray(v)) throw new JsonPathExecError(`${goTypeName(v)} is not array or slice`);
      const params = params0.map((p) => ({ ...p }));
      const len = v.length;
      if (!params[0]!.known) params[0]!.value = 0;
      if (params[0]!.value < 0) params[0]!.value += len;
      if (!params[1]!.known) params[1]!.value = len;
      if (params[1]!.value < 0 || (params[1]!.value === 0 && params[1]!.derived)) params[1]!.value += len;
      if (params[1]!.value !== params[0]!.value) {
        if (params[0]!.value >= len || params[0]!.value < 0)
          throw new JsonPathExecError(`array index out of bounds: index ${params[0]!.value}, length ${len}`);
        if (params[1]!.value > len || params[1]!.value < 0)
          throw new JsonPathExecError(`array index out of bounds: index ${params[1]!.value - 1}, length ${len}`);
        if (params[0]!.value > params[1]!.value)
          throw new JsonPathExecError(`starting index ${params[0]!.value} is greater than ending index ${params[1]!.value}`);
      } else {
        return result;
      }
      const sl = v.slice(params[0]!.value, params[1]!.value);
      let step = 1;
      if (params[2]!.known) {
        if (params[2]!.value <= 0) throw new JsonPathExecError('step must be > 0');
        step = params[2]!.value;
      }
      for (let i = 0; i < sl.length; i += step) result.push(sl[i] === null ? NIL : sl[i]);
    }
    return result;
  }

  private evalWildcard(input: V[]): V[] {
    const results: V[] = [];
    for (const v of input) {
      if (isNil(v)) continue;
      if (Array.isArray(v)) for (const e of v) results.push(e === null ? NIL : e);
      else if (typeof v === 'object') {
        // Go iterates map keys in random order; sorted here
        for (const k of Object.keys(v as object).sort()) {
          const e = (v as Record<string, unknown>)[k];
          results.push(e === null ? NIL : e);
        }
      }
    }
    return results;
  }

  private evalRecursive(input: V[]): V[] {
    const result: V[] = [];
    for (const v of input) {
      if (isNil(v)) continue;
      const children: V[] = [];
      if (Array.isArray(v)) for (const e of v) children.push(e === null ? NIL : e);
      else if (typeof v === 'object') {
        for (const k of Object.keys(v as object).sort()) {
          const e = (v as Record<string, unknown>)[k];
          children.push(e === null ? NIL : e);
        }
      } else if (typeof v === 'string') {
        for (const ch of Buffer.from(v, 'utf8')) children.push(ch); // Go indexes a string's bytes (uint8)
      }
      if (children.length !== 0) {
        result.push(v);
        result.push(...this.evalRecursive(children));
      }
    }
    return result;
  }

  private evalFilter(input: V[], node: JPNode & { type: 'filter' }): V[] {
    const results: V[] = [];
    for (const v0 of input) {
      const v = v0;
      if (!Array.isArray(v)) throw new JsonPathExecError(`${goSprintV(v)} is not array or slice and cannot be filtered`);
      for (const el of v) {
        const temp: V[] = [el === null ? NIL : el];
        if (node.op === 'exists') {
          let lefts: V[] = [];
          try {
            lefts = this.evalList(temp, node.left);
          } catch {
            lefts = [];
          }
          if (lefts.length > 0) results.push(el);
          continue;
        }
        const lefts = this.evalList(temp, node.left);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathExecError('can only compare one element at a time');
        const rights = this.evalList(temp, node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathExecError('can only compare one element at a time');
        const left = lefts[0];
        const right = rights[0];
        let pass: boolean;
        switch (node.op) {
          case '<': pass = compare(left, right, '<'); break;
          case '>': pass = compare(left, right, '>'); break;
          case '==': pass = compare(left, right, '=='); break;
          case '!=': pass = compare(left, right, '!='); break;
          case '<=': pass = compare(left, right, '<='); break;
          case '>=': pass = compare(left, right, '>='); break;
          default: throw new JsonPathExecError(`unrecognized filter operator ${node.op}`);
        }
        if (pass) results.push(el);
      }
    }
    return results;
  }
}

/** text/template's eq/lt/… on basic kinds */
function compare(a: V, b: V, op: string): boolean {
  const kind = (x: V) => (typeof x === 'number' ? 'number' : typeof x === 'string' ? 'string' : typeof x === 'boolean' ? 'bool' : 'other');
  const ka = kind(a);
  const kb = kind(b);
  if (ka === 'other' || kb === 'other') {
    if (op === '==' || op === '!=') {
      if (isNil(a) || isNil(b)) throw new JsonPathExecError('incompatible types for comparison');
      throw new JsonPathExecError('non-comparable type');
    }
    throw new JsonPathExecError('invalid type for comparison');
  }
  if (ka !== kb) throw new JsonPathExecError('incompatible types for comparison');
  if (ka === 'bool' && op !== '==' && op !== '!=') throw new JsonPathExecError('invalid type for comparison');
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case '==': return x === y;
    case '!=': return x !== y;
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    default: return x >= y;
  }
}

function evalToText(v: V): string {
  if (isNil(v)) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFormatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function goTypeName(v: V): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

function goSprintV(v: V): string {
  if (isNil(v)) return '<invalid reflect.Value>';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return 'map[' + keys.map((k) => `${k}:${goSprintV((v as Record<string, unknown>)[k])}`).join(' ') + ']';
  }
  return evalToText(v);
}

/** Go's %#v of JSON-decoded data (map[string]interface {}{…}), used in kubectl's jsonpath error text */
export function goSharpV(v: unknown, top = true): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : goFormatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return '[]interface {}{' + v.map((e) => goSharpV(e, false)).join(', ') + '}';
  const keys = Object.keys(v as object).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  void top;
  return 'map[string]interface {}{' + keys.map((k) => `${goQuote(k)}:${goSharpV((v as Record<string, unknown>)[k], false)}`).join(', ') + '}';
}

/** strconv.Quote */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x07) out += '\\a';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0b) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (!/[\p{L}\p{M}\p{N}\p{P}\p{S}]|\u0020/u.test(ch)) {
      out += c > 0xffff ? '\\U' + c.toString(16).padStart(8, '0') : '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** an error as kubectl prints it: `error: ${message}` (message already ends with '\n' where kubectl's does) */
export class PrinterError extends Error {}

/**
 * `kubectl get -o jsonpath=TEMPLATE` (or jsonpath-as-json) for the object kubectl prints: a single object,
 * or a List (see json.ts asList) for several. Throws PrinterError with kubectl's message.
 */
export function printJsonPath(
  template: string,
  obj: unknown,
  opts: { allowMissingKeys?: boolean; asJson?: boolean } = {},
): string {
  const jp = compileJsonPath(template, opts);
  return executeJsonPath(jp, obj);
}

/** parse a -o jsonpath template as kubectl does (PrinterError `error parsing jsonpath …` on failure) */
export function compileJsonPath(template: string, opts: { allowMissingKeys?: boolean; asJson?: boolean } = {}): JsonPath {
  try {
    return new JsonPath(template, { allowMissingKeys: opts.allowMissingKeys ?? true, outputJson: !!opts.asJson });
  } catch (e) {
    if (e instanceof JsonPathParseError) throw new PrinterError(`error parsing jsonpath ${template}, ${e.message}\n`);
    throw e;
  }
}

export function executeJsonPath(jp: JsonPath, obj: unknown): string {
  try {
    return jp.execute(obj);
  } catch (e) {
    if (e instanceof JsonPathExecError) {
      let buf = `Error executing template: ${e.message}. Printing more information for debugging the template:\n`;
      buf += `\ttemplate was:\n\t\t${jp.template}\n`;
      buf += `\tobject given to jsonpath engine was:\n\t\t${goSharpV(obj)}\n\n`;
      throw new PrinterError(`error executing jsonpath ${goQuote(jp.template)}: ${buf}\n`);
    }
    throw e;
  }
}

/**
 * RelaxedJSONPathExpression (custom-columns, sort-by): `.a.b`, `a.b`, `{a.b}`, `{.a.b}` → `{.a.b}`.
 * Throws PrinterError on a malformed expression.
 */
export function relaxedJsonPath(expr: string): string {
  if (expr.length === 0) return expr;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m) {
    throw new PrinterError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  }
  return `{.${m[1] ?? m[2]}}`;
}
