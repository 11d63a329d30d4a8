// The bundle's @alcalzone/ansi-tokenize (scripts/build.mjs points Ink's import here): the package
// itself, except that styledCharsToString skips the style diff between neighbouring cells whose
// styles are the same. That diff is empty, and computing it (three Sets and two filters for every
// cell of every row Ink draws, blank cells included) was a third of the tutor's first frame.
// test/build/ansi-tokenize.test.ts checks the strings are the package's own.
import { ansiCodesToString, diffAnsiCodes } from '@alcalzone/ansi-tokenize';

export * from '@alcalzone/ansi-tokenize';

/** the same codes in the same order: diffAnsiCodes(a, b) is then empty (it reads only code and endCode) */
function sameCodes(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}

export function styledCharsToString(chars) {
  let ret = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (i === 0) ret += ansiCodesToString(char.styles);
    else if (!sameCodes(chars[i - 1].styles, char.styles)) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
    ret += char.value;
    // the styles still on at the end are switched off
    if (i === chars.length - 1 && char.styles.length) ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
  }
  return ret;
}
