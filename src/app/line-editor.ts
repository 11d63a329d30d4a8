/**
 * The prompt's line editor as pure state transitions (no terminal): the Ink prompt maps keys to
 * these functions, tests call them directly. Cursor positions are UTF-16 indexes into `text`.
 */
export interface LineState {
  text: string;
  cursor: number;
}

export const EMPTY_LINE: LineState = { text: '', cursor: 0 };

export function lineOf(text: string, cursor = text.length): LineState {
  return { text, cursor: Math.max(0, Math.min(cursor, text.length)) };
}

export function insert(s: LineState, chars: string): LineState {
  return { text: s.text.slice(0, s.cursor) + chars + s.text.slice(s.cursor), cursor: s.cursor + chars.length };
}

export function left(s: LineState): LineState {
  return { ...s, cursor: Math.max(0, s.cursor - 1) };
}

export function right(s: LineState): LineState {
  return { ...s, cursor: Math.min(s.text.length, s.cursor + 1) };
}

export function home(s: LineState): LineState {
  return { ...s, cursor: 0 };
}

export function end(s: LineState): LineState {
  return { ...s, cursor: s.text.length };
}

/** delete the character before the cursor */
export function backspace(s: LineState): LineState {
  if (s.cursor === 0) return s;
  return { text: s.text.slice(0, s.cursor - 1) + s.text.slice(s.cursor), cursor: s.cursor - 1 };
}

/** delete the character under the cursor */
export function del(s: LineState): LineState {
  if (s.cursor >= s.text.length) return s;
  return { text: s.text.slice(0, s.cursor) + s.text.slice(s.cursor + 1), cursor: s.cursor };
}

/** Ctrl-U: delete from the start of the line to the cursor */
export function killToStart(s: LineState): LineState {
  return { text: s.text.slice(s.cursor), cursor: 0 };
}

/** Ctrl-K: delete from the cursor to the end of the line */
export function killToEnd(s: LineState): LineState {
  return { text: s.text.slice(0, s.cursor), cursor: s.cursor };
}

/** Ctrl-W: delete the word before the cursor (and the spaces after it), like a shell */
export function deleteWordBack(s: LineState): LineState {
  let i = s.cursor;
  while (i > 0 && /\s/.test(s.text[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(s.text[i - 1]!)) i--;
  return { text: s.text.slice(0, i) + s.text.slice(s.cursor), cursor: i };
}

/** Alt-B / Ctrl-← : to the start of the previous word */
export function wordLeft(s: LineState): LineState {
  let i = s.cursor;
  while (i > 0 && /\s/.test(s.text[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(s.text[i - 1]!)) i--;
  return { ...s, cursor: i };
}

/** Alt-F / Ctrl-→ : to the end of the next word */
export function wordRight(s: LineState): LineState {
  let i = s.cursor;
  while (i < s.text.length && /\s/.test(s.text[i]!)) i++;
  while (i < s.text.length && !/\s/.test(s.text[i]!)) i++;
  return { ...s, cursor: i };
}

/** replace text[from, to) with `word` and put the cursor after it */
export function replaceRange(s: LineState, from: number, to: number, word: string): LineState {
  const text = s.text.slice(0, from) + word + s.text.slice(to);
  return { text, cursor: from + word.length };
}

/** the longest common prefix of some strings ('' for none) */
export function commonPrefix(words: readonly string[]): string {
  if (!words.length) return '';
  let p = words[0]!;
  for (const w of words) {
    let i = 0;
    while (i < p.length && i < w.length && p[i] === w[i]) i++;
    p = p.slice(0, i);
  }
  return p;
}

/**
 * Apply a completion to the line: one candidate → the word plus a space (unless it ends in `=`
 * or `/`); several → extend to their common prefix. Returns the new state and whether it was
 * ambiguous (so the UI shows the candidates).
 */
export function applyCompletion(s: LineState, c: { candidates: readonly string[]; from: number; to: number }): { state: LineState; ambiguous: boolean } {
  if (!c.candidates.length) return { state: s, ambiguous: false };
  if (c.candidates.length === 1) {
    const w = c.candidates[0]!;
    const suffix = /[=/:]$/.test(w) || s.text.slice(c.to).startsWith(' ') ? '' : ' ';
    return { state: replaceRange(s, c.from, c.to, w + suffix), ambiguous: false };
  }
  const current = s.text.slice(c.from, c.to);
  const prefix = commonPrefix(c.candidates);
  return { state: prefix.length > current.length ? replaceRange(s, c.from, c.to, prefix) : s, ambiguous: true };
}
