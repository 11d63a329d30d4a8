/**
 * Word wrapping as kubectl's explain templates do it (the go-wordwrap algorithm): lines break only
 * at white space, existing newlines are kept, a word that would overflow moves to the next line
 * (unless it alone is at least as long as the limit), and the spaces where a line broke are dropped.
 * Widths count code points.
 */

const NBSP = 0x00a0;

/** Go's unicode.IsSpace */
function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

export function wordWrap(text: string, limit: number): string {
  let out = '';
  let lineLen = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  const flush = () => {
    lineLen += spaceLen + wordLen;
    out += space + word;
    space = '';
    spaceLen = 0;
    word = '';
    wordLen = 0;
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') {
      if (wordLen === 0) {
        if (lineLen + spaceLen <= limit) out += space;
        space = '';
        spaceLen = 0;
      } else {
        flush();
      }
      out += '\n';
      lineLen = 0;
    } else if (isGoSpace(cp) && cp !== NBSP) {
      if (spaceLen === 0 || wordLen > 0) flush();
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (lineLen + spaceLen + wordLen > limit && wordLen < limit) {
        out += '\n';
        lineLen = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (lineLen + spaceLen <= limit) out += space;
  } else {
    out += space + word;
  }
  return out;
}

/** the explain templates' `indent`: pad the first line and every line after a newline */
export function indent(amount: number, text: string): string {
  const pad = ' '.repeat(amount);
  return pad + text.split('\n').join('\n' + pad);
}
