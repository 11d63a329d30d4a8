/**
 * Label selectors with the grammar, validation, matching and String() form of kube-apiserver
 * (k8s.io/apimachinery/pkg/labels), so that `?labelSelector=` behaves and fails like a real cluster.
 *
 * Grammar: requirements joined by `,` (AND): `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k>1`, `k<1`; whitespace between tokens is ignored. Keys must be qualified names (`[prefix/]name`), values
 * valid label values; errors carry kube's wording, e.g.
 * `unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt`.
 */
import { errors } from '../errors.js';

export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** as given (for in/notin: sorted and de-duplicated by the parser, like sets.String.List()) */
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** requirements sorted by key */
  readonly requirements: readonly Requirement[];
  matches(labels: Record<string, string> | undefined | null): boolean;
  /** true when it does not restrict anything (matches every object); false for the "nothing" selector */
  empty(): boolean;
  /** canonical form, as labels.Selector.String(): requirements sorted by key, set values sorted */
  toString(): string;
}

// ----------------------------------------------------------------------------------------------------
// validation (k8s.io/apimachinery/pkg/util/validation wording)

const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_RE = new RegExp(`^${QNAME_FMT}$`);
const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** validation.IsQualifiedName: the problems with a label key (empty when valid). */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      errs.push('prefix part must be non-empty');
    } else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN_RE.test(prefix)) errs.push(`prefix part ${regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com')}`);
    }
  } else {
    return [`a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QNAME_RE.test(name)) errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** validation.IsValidLabelValue */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** Go's %q, close enough for selector text */
function q(s: string): string {
  return JSON.stringify(s);
}

function invalid(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${q(value)}: ${detail}`;
}

function aggregate(list: string[]): string {
  const uniq = [...new Set(list)];
  return uniq.length === 1 ? uniq[0] : `[${uniq.join(', ')}]`;
}

const INT_RE = /^[+-]?\d+$/;

function parseGoInt(s: string): number | undefined {
  if (!INT_RE.test(s)) return undefined;
  const n = Number(s);
  // ParseInt(…, 10, 64) rejects values outside int64
  if (!Number.isFinite(n) || Math.abs(n) > 9223372036854775807) return undefined;
  return n;
}

const OPERATOR_NAMES: Record<string, Operator> = {
  In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!',
};

/**
 * labels.NewRequirement: validates and builds one requirement; returns the error text (an aggregate of
 * field errors, paths rooted at `key` / `values`) instead of throwing.
 */
export function newRequirement(key: string, operator: Operator, values: string[]): Requirement | string {
  const errs: string[] = [];
  const keyErrs = qualifiedNameErrors(key);
  if (keyErrs.length) errs.push(invalid('key', key, keyErrs.join('; ')));
  const goList = `[]string{${values.map(q).join(', ')}}`;
  switch (operator) {
    case 'in': case 'notin':
      if (values.length === 0) errs.push(`values: Invalid value: ${goList}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=': case '==': case '!=':
      if (values.length !== 1) errs.push(`values: Invalid value: ${goList}: exact-match compatibility requires one single value`);
      break;
    case 'exists': case '!':
      if (values.length !== 0) errs.push(`values: Invalid value: ${goList}: values set must be empty for exists and does not exist`);
      break;
    case 'gt': case 'lt':
      if (values.length !== 1) errs.push(`values: Invalid value: ${goList}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (parseGoInt(v) === undefined) errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(`operator: Unsupported value: ${q(String(operator))}: supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"`);
  }
  values.forEach((v, i) => {
    const ve = labelValueErrors(v);
    if (ve.length) errs.push(invalid(`values[${i}][${key}]`, v, ve.join('; ')));
  });
  if (errs.length) return aggregate(errs);
  return { key, operator, values: [...values] };
}

// ----------------------------------------------------------------------------------------------------
// selector objects

function requirementMatches(r: Requirement, labels: Record<string, string> | undefined | null): boolean {
  const has = !!labels && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key] : undefined;
  switch (r.operator) {
    case 'in': case '=': case '==':
      return has && r.values.includes(value!);
    case 'notin': case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt': case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const lv = parseGoInt(value!);
      const rv = parseGoInt(r.values[0]);
      if (lv === undefined || rv === undefined) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

export function requirementString(r: Requirement): string {
  let s = r.operator === '!' ? `!${r.key}` : r.key;
  switch (r.operator) {
    case 'exists': case '!': return s;
    case '=': s += '='; break;
    case '==': s += '=='; break;
    case '!=': s += '!='; break;
    case 'in': s += ' in '; break;
    case 'notin': s += ' notin '; break;
    case 'gt': s += '>'; break;
    case 'lt': s += '<'; break;
  }
  const vals = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : s + vals;
}

class RequirementsSelector implements LabelSelector {
  readonly requirements: readonly Requirement[];
  constructor(reqs: Requirement[]) {
    // stable sort by key, like sort.Sort(ByKey) on already-ordered input
    this.requirements = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  matches(labels: Record<string, string> | undefined | null): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

class NothingSelector implements LabelSelector {
  readonly requirements: readonly Requirement[] = [];
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
}

/** Matches every object. */
export function everything(): LabelSelector {
  return new RequirementsSelector([]);
}

/** Matches no object (labels.Nothing()). */
export function nothing(): LabelSelector {
  return new NothingSelector();
}

// ----------------------------------------------------------------------------------------------------
// parser

type Tok = 'id' | 'end' | 'comma' | 'open' | 'close' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin' | 'error';

const SYMBOLS: Record<string, Tok> = {
  ')': 'close', ',': 'comma', '!': '!', '==': '==', '=': '=', '>': '>', '<': '<', '!=': '!=', '(': 'open',
};
const KEYWORDS: Record<string, Tok> = { in: 'in', notin: 'notin' };

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSymbol = (c: string) => '=!(),><'.includes(c) && c !== '';

function lex(s: string): { tok: Tok; lit: string }[] {
  const out: { tok: Tok; lit: string }[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i])) i++;
    if (i >= s.length || s[i] === '\0') {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    if (isSymbol(s[i])) {
      // longest run of symbol characters that still forms a token
      let buf = '';
      let best: { tok: Tok; lit: string } | undefined;
      while (i < s.length && isSymbol(s[i])) {
        buf += s[i];
        const t = SYMBOLS[buf];
        if (t) {
          best = { tok: t, lit: buf };
          i++;
        } else if (best) {
          break;
        } else {
          i++;
        }
      }
      out.push(best ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (i < s.length && s[i] !== '\0' && !isSymbol(s[i]) && !isSpace(s[i])) buf += s[i++];
    out.push({ tok: KEYWORDS[buf] ?? 'id', lit: buf });
  }
}

class ParseError extends Error {}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private pos = 0;
  constructor(private readonly items: { tok: Tok; lit: string }[]) {}

  /** in the values context `in` / `notin` are plain identifiers */
  private peek(values: boolean): { tok: Tok; lit: string } {
    const it = this.items[Math.min(this.pos, this.items.length - 1)];
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }
  private next(values: boolean): { tok: Tok; lit: string } {
    const it = this.peek(values);
    if (this.pos < this.items.length - 1) this.pos++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === 'id' || tok === '!') {
        let r: Requirement;
        try {
          r = this.requirement();
        } catch (e) {
          if (e instanceof ParseError) throw new ParseError(`unable to parse requirement: ${e.message}`);
          throw e;
        }
        reqs.push(r);
        const t = this.next(true);
        if (t.tok === 'end') return reqs;
        if (t.tok === 'comma') {
          const t2 = this.peek(true);
          if (t2.tok !== 'id' && t2.tok !== '!') throw new ParseError(`found '${t2.lit}', expected: identifier after ','`);
          continue;
        }
        throw new ParseError(`found '${t.lit}', expected: ',' or 'end of string'`);
      }
      if (tok === 'end') return reqs;
      throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
    }
  }

  private requirement(): Requirement {
    let op: Operator | undefined;
    let t = this.next(true);
    if (t.tok === '!') {
      op = '!';
      t = this.next(true);
    }
    if (t.tok !== 'id') throw new ParseError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = qualifiedNameErrors(key);
    if (keyErrs.length) throw new ParseError(invalid('<nil>', key, keyErrs.join('; ')));
    const after = this.peek(true).tok;
    if (after === 'end' || after === 'comma') {
      op = op === '!' ? '!' : 'exists';
    }
    let values: string[] = [];
    if (op !== 'exists' && op !== '!') {
      op = this.operator();
      values = op === 'in' || op === 'notin' ? this.setValues() : this.exactValue();
    }
    const r = newRequirement(key, op, values);
    if (typeof r === 'string') throw new ParseError(r);
    return r;
  }

  private operator(): Operator {
    const { tok, lit } = this.next(false);
    switch (tok) {
      case 'in': return 'in';
      case '=': return '=';
      case '==': return '==';
      case '>': return 'gt';
      case '<': return 'lt';
      case 'notin': return 'notin';
      case '!=': return '!=';
      default: throw new ParseError(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private setValues(): string[] {
    const open = this.next(true);
    if (open.tok !== 'open') throw new ParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek(true);
    if (tok === 'id' || tok === 'comma') {
      const set = this.identifierList();
      if (this.next(true).tok !== 'close') throw new ParseError(`found '${lit}', expected: ')'`);
      return [...set].sort();
    }
    if (tok === 'close') {
      this.next(true);
      return [''];
    }
    throw new ParseError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private identifierList(): Set<string> {
    const set = new Set<string>();
    for (;;) {
      const { tok, lit } = this.next(true);
      if (tok === 'id') {
        set.add(lit);
        const t2 = this.peek(true);
        if (t2.tok === 'comma') continue;
        if (t2.tok === 'close') return set;
        throw new ParseError(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (tok === 'comma') {
        if (set.size === 0) set.add('');
        const t2 = this.peek(true);
        if (t2.tok === 'close') {
          set.add('');
          return set;
        }
        if (t2.tok === 'comma') {
          this.next(true);
          set.add('');
        }
      } else {
        throw new ParseError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const t = this.peek(true);
    if (t.tok === 'end' || t.tok === 'comma') return [''];
    const v = this.next(true);
    if (v.tok === 'id') return [v.lit];
    throw new ParseError(`found '${v.lit}', expected: identifier`);
  }
}

/** Parses `?labelSelector=`; an empty string selects everything. Throws errors.badRequest with kube's text. */
export function parseLabelSelector(s: string): LabelSelector {
  try {
    return new RequirementsSelector(new Parser(lex(s)).parse());
  } catch (e) {
    if (e instanceof ParseError) throw errors.badRequest(e.message);
    throw e;
  }
}

/** labels.SelectorFromSet: `k=v` for every entry; an empty or missing map selects everything. */
export function selectorFromMap(map: Record<string, string> | undefined | null): LabelSelector {
  if (!map) return everything();
  return new RequirementsSelector(Object.keys(map).map((k) => ({ key: k, operator: '=' as Operator, values: [map[k]] })));
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

/**
 * metav1.LabelSelectorAsSelector:
 * - `null` / `undefined` (no selector at all) → matches NOTHING (labels.Nothing());
 * - `{}` (a selector with neither matchLabels nor matchExpressions) → matches EVERYTHING;
 * - otherwise matchLabels become `k=v` and matchExpressions In/NotIn/Exists/DoesNotExist requirements.
 * An invalid selector throws errors.badRequest with the text LabelSelectorAsSelector would return.
 */
export function labelSelectorFromSpec(ls: LabelSelectorSpec | undefined | null): LabelSelector {
  if (ls === undefined || ls === null) return nothing();
  const labels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (Object.keys(labels).length === 0 && exprs.length === 0) return everything();
  const reqs: Requirement[] = [];
  for (const k of Object.keys(labels)) {
    const r = newRequirement(k, '=', [labels[k]]);
    if (typeof r === 'string') throw errors.badRequest(r);
    reqs.push(r);
  }
  for (const e of exprs) {
    const op = OPERATOR_NAMES[e.operator];
    if (!op) throw errors.badRequest(`${q(String(e.operator))} is not a valid label selector operator`);
    const r = newRequirement(e.key, op, [...(e.values ?? [])]);
    if (typeof r === 'string') throw errors.badRequest(r);
    reqs.push(r);
  }
  return new RequirementsSelector(reqs);
}
