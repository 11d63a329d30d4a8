// The bundle replaces string-width with scripts/bundle/string-width.mjs (fast paths for ASCII and for
// characters that stand alone): every width it gives must be string-width's own.
import realStringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module of the build, no types
import fastStringWidth, { isSimple } from '../../scripts/bundle/string-width.mjs';

const width = fastStringWidth as (s: string, o?: object) => number;
const simple = isSimple as (s: string) => boolean;

const bmp = Array.from({ length: 0x10000 }, (_, cp) => String.fromCharCode(cp)).filter((ch) => !/[\uD800-\uDFFF]/.test(ch));

describe('the bundle’s string-width', () => {
  it('gives string-width’s width for every character of the basic plane', () => {
    const wrong = bmp.filter((ch) => width(ch) !== realStringWidth(ch)).map((ch) => ch.codePointAt(0)!.toString(16));
    expect(wrong).toEqual([]);
  });

  it('treats Latin, CJK, kana, Hangul, box drawing and punctuation as simple, and not emoji or marks', () => {
    for (const s of ['kubectl get pods', 'café — “ok” …', '中文课程：标签与选择器', 'ｶﾀｶﾅ ｶﾅ', '한국어', '├─ ❯ ● ✓ ✗ █░', 'Ωμέγα Привет']) expect(simple(s), s).toBe(true);
    for (const s of ['m\x1b', 'tab\there', 'a\r\nb']) expect(simple(s), JSON.stringify(s)).toBe(true);
    for (const s of ['🙂', '⌚', 'e\u0301', 'ｶ\uFF9E', 'a\u200Db', '\u1100\u1161', 'x\uFE0F', '\u00AD']) expect(simple(s), JSON.stringify(s)).toBe(false);
  });

  it('agrees with string-width when a simple character meets any neighbour (no cluster joins two of them)', () => {
    const simpleChars = bmp.filter((ch) => simple(ch));
    expect(simpleChars.length).toBeGreaterThan(40_000);
    // every simple character outside the large uniform blocks (CJK ideographs, Yi, Hangul
    // syllables), every 16th inside them
    const uniform = /[\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA48C\uAC00-\uD7A3\uF900-\uFAFF]/;
    const probe = simpleChars.filter((ch) => !uniform.test(ch) || ch.charCodeAt(0) % 16 === 0);
    const partners = ['a', '中', '\uFF9E', '\u1161', '\u11A8', '\u0301', '\u200D', '\uFE0F', '\u20E3', '🙂', '\u0E33', '\n', '\r', '\x1b'];
    const wrong: string[] = [];
    for (const ch of probe) {
      for (const p of partners) {
        for (const s of [ch + p, p + ch]) if (width(s) !== realStringWidth(s)) wrong.push(JSON.stringify(s));
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('agrees on text of mixed kinds, ANSI styling and the options', () => {
    const samples = [
      'Lesson 1/6 ████░░ cluster │ sandbox │ ns default',
      '\x1b[32m✓\x1b[39m 3 pods Running — 2/3',
      '标签 (labels) 是附加在对象上的键值对 🙂 ok',
      'flags 🇯🇵 and 👩‍💻 and 1️⃣ and ❤️',
      'a\tb',
      'm\x1b',
      '\x1b[31mred\x1b',
      '',
    ];
    for (const s of samples) {
      expect(width(s), s).toBe(realStringWidth(s));
      expect(width(s), s).toBe(realStringWidth(s)); // the remembered answer too
      expect(width(s, { ambiguousIsNarrow: false }), s).toBe(realStringWidth(s, { ambiguousIsNarrow: false }));
      expect(width(s, { countAnsiEscapeCodes: true }), s).toBe(realStringWidth(s, { countAnsiEscapeCodes: true }));
    }
  });
});
