/**
 * A shell-like tokenizer for one command line: what a learner types at the prompt.
 *
 * Handles single quotes (literal), double quotes (with \" \\ \$ \` escapes and $VAR expansion),
 * backslash escapes outside quotes, `$VAR` / `${VAR}` from the session's variables, and reports
 * an unterminated quote instead of guessing. No globbing, no command substitution: those are
 * reported as unsupported by the caller if needed.
 */
export interface Token {
  /** the word after quote removal and expansion */
  value: string;
  /** offset of the word's first character in the line */
  start: number;
  /** offset just past the word's last character */
  end: number;
  /** true when any part of the word was quoted (so `""` is an empty argument, not nothing) */
  quoted: boolean;
}

export interface TokenizeResult {
  tokens: Token[];
  /** set when the line ends inside a quote: the quote character */
  unterminated?: '"' | "'";
  /** shell operators met outside quotes (`|`, `>`, `&&`, `;`…) with their offset; the caller decides */
  operators: Array<{ op: string; start: number }>;
}

const OPERATOR_CHARS = new Set(['|', '&', ';', '<', '>']);

export function tokenize(line: string, vars: Record<string, string | undefined> = {}): TokenizeResult {
  const tokens: Token[] = [];
  const operators: TokenizeResult['operators'] = [];
  let i = 0;
  const n = line.length;

  const readVar = (): string => {
    // at line[i] === '$'
    if (line[i + 1] === '{') {
      const close = line.indexOf('}', i + 2);
      if (close > 0) {
        const name = line.slice(i + 2, close);
        i = close + 1;
        return vars[name] ?? '';
      }
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1));
    if (!m) {
      i++;
      return '$';
    }
    i += 1 + m[0].length;
    return vars[m[0]] ?? '';
  };

  while (i < n) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#' ) {
      // a comment starts only at the beginning of a word
      break;
    }
    if (OPERATOR_CHARS.has(ch)) {
      let op = ch;
      if ((ch === '|' || ch === '&' || ch === '>' || ch === '<') && line[i + 1] === ch) op += ch;
      operators.push({ op, start: i });
      tokens.push({ value: op, start: i, end: i + op.length, quoted: false });
      i += op.length;
      continue;
    }
    const start = i;
    let value = '';
    let quoted = false;
    let unterminated: '"' | "'" | undefined;
    while (i < n) {
      const c = line[i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || OPERATOR_CHARS.has(c)) break;
      if (c === "'") {
        quoted = true;
        const close = line.indexOf("'", i + 1);
        if (close < 0) {
          value += line.slice(i + 1);
          i = n;
          unterminated = "'";
          break;
        }
        value += line.slice(i + 1, close);
        i = close + 1;
        continue;
      }
      if (c === '"') {
        quoted = true;
        i++;
        let closed = false;
        while (i < n) {
          const d = line[i]!;
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === '\\' && i + 1 < n && '"\\$`\n'.includes(line[i + 1]!)) {
            if (line[i + 1] !== '\n') value += line[i + 1];
            i += 2;
            continue;
          }
          if (d === '$') {
            value += readVar();
            continue;
          }
          value += d;
          i++;
        }
        if (!closed) {
          unterminated = '"';
          break;
        }
        continue;
      }
      if (c === '\\') {
        if (i + 1 < n) {
          if (line[i + 1] !== '\n') value += line[i + 1];
          i += 2;
        } else {
          i++;
        }
        continue;
      }
      if (c === '$') {
        value += readVar();
        continue;
      }
      value += c;
      i++;
    }
    tokens.push({ value, start, end: i, quoted });
    if (unterminated) return { tokens, unterminated, operators };
  }
  return { tokens, operators };
}

/** the words only */
export function words(line: string, vars: Record<string, string | undefined> = {}): string[] {
  return tokenize(line, vars).tokens.map((t) => t.value);
}
