// The bundle's `string-width` (scripts/build.mjs points every import of the package here, wrap-ansi's
// older copy included): the same widths as string-width 8, which Ink measures with, but without
// its grapheme segmentation where a string cannot need it. Ink asks for the width of every word and
// line it lays out; segmenting them with Intl.Segmenter was a third of the tutor's first frame.
//
// - printable ASCII: the width is the length;
// - a string made only of "simple" characters (below): each is a grapheme cluster of its own and its
//   width is its East Asian width, the rule string-width applies to such a cluster;
// - anything else (emoji, combining marks, joiners, scripts with spacing marks): string-width itself.
// ANSI escape sequences are taken out first, as string-width does; widths of non-ASCII text are
// remembered for the next time Ink asks about the same string.
// test/build/string-width.test.ts checks these paths against string-width over every simple character.
import { eastAsianWidth } from 'get-east-asian-width';
import { createRequire } from 'node:module';
import stripAnsi from 'strip-ansi';

/**
 * string-width itself, for what the fast paths leave: loaded on first use, because loading it
 * compiles an RGI_Emoji regular expression and an Intl.Segmenter (~15 ms of a cold start). In the
 * bundle esbuild inlines the require() (evaluated when called); under plain Node it is a require of
 * an ES module.
 */
let real;
function realStringWidth(string, options) {
  if (!real) real = typeof require === 'function' ? require('string-width').default : createRequire(import.meta.url)('string-width').default;
  return real(string, options);
}

const ASCII = /^[\u0020-\u007E]*$/;

/**
 * Characters that never join a neighbour in a grapheme cluster and take their East Asian width:
 * Latin, Greek, Cyrillic, punctuation, symbols, arrows, box drawing, CJK, kana, Hangul syllables and
 * full/half-width forms — without marks, format and default-ignorable characters, emoji that present
 * as emoji, and the half-width sound marks (which extend the character before them) — and control
 * characters, which are clusters of their own and take no room (a lone ESC left by a split style).
 */
const SIMPLE = new RegExp(
  '^(?:[\\u0000-\\u001F\\u007F-\\u009F]|(?![\\p{M}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}\\p{Emoji_Presentation}\\uFF9E\\uFF9F])' +
    '[\\u0020-\\u007E\\u00A0-\\u036F\\u0370-\\u052F\\u1E00-\\u1FFF\\u2010-\\u2027\\u2030-\\u205E\\u2070-\\u2BFF' +
    '\\u2E80-\\u2FDF\\u3000-\\u30FF\\u3100-\\u31FF\\u3200-\\u4DBF\\u4E00-\\u9FFF\\uA000-\\uA4CF\\uAC00-\\uD7A3' +
    '\\uF900-\\uFAFF\\uFE30-\\uFE4F\\uFF01-\\uFFEE])*$',
  'u',
);

/** the strings whose width is the sum of their characters' East Asian widths (exported for the test) */
export const isSimple = (string) => SIMPLE.test(string);

const cache = new Map();
const CACHE_SIZE = 4096;

export default function stringWidth(string, options = {}) {
  if (typeof string !== 'string' || string.length === 0) return 0;
  if (options.ambiguousIsNarrow === false || options.countAnsiEscapeCodes) return realStringWidth(string, options);
  if (ASCII.test(string)) return string.length;
  let width = cache.get(string);
  if (width !== undefined) return width;
  // styled text (Ink colours it before measuring): the escape sequences take no room
  const plain = string.includes('\u001B') || string.includes('\u009B') ? stripAnsi(string) : string;
  if (ASCII.test(plain)) width = plain.length;
  else if (SIMPLE.test(plain)) {
    width = 0;
    for (const ch of plain) {
      const cp = ch.codePointAt(0);
      if (cp > 0x1f && (cp < 0x7f || cp > 0x9f)) width += eastAsianWidth(cp);
    }
  } else width = realStringWidth(plain);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(string, width);
  return width;
}
