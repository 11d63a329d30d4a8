// The bundle replaces @alcalzone/ansi-tokenize's styledCharsToString (scripts/bundle/ansi-tokenize.mjs:
// no diff between cells of the same style): every string it builds must be the package's own.
import * as original from '@alcalzone/ansi-tokenize';
import { describe, expect, it } from 'vitest';
import { seededRandom as rng } from '../../src/sandbox/controllers/context.js';
// @ts-expect-error plain JS module of the build, no types
import * as fast from '../../scripts/bundle/ansi-tokenize.mjs';

type StyledChar = ReturnType<typeof original.styledCharsFromTokens>[number];
const toString = fast.styledCharsToString as (chars: StyledChar[]) => string;

const CODES = ['\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[3m', '\x1b[23m', '\x1b[4m', '\x1b[24m', '\x1b[7m', '\x1b[27m', '\x1b[31m', '\x1b[32m', '\x1b[39m', '\x1b[38;5;120m', '\x1b[44m', '\x1b[49m', '\x1b[0m', '\x1b[90m'];
const TEXT = ['a', 'b', ' ', '中', '─', '❯', '…', '🙂'];

describe('the bundle’s ansi-tokenize', () => {
  it('re-exports the package (tokenize, styledCharsFromTokens, …)', () => {
    expect(fast.tokenize).toBe(original.tokenize);
    expect(fast.styledCharsFromTokens).toBe(original.styledCharsFromTokens);
    expect(fast.diffAnsiCodes).toBe(original.diffAnsiCodes);
  });

  it('builds the same string as the package from styled text', () => {
    const next = rng(42);
    const pick = <T,>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
    let styledCells = 0;
    for (let n = 0; n < 3000; n++) {
      let s = '';
      const len = Math.floor(next() * 40);
      for (let i = 0; i < len; i++) s += next() < 0.25 ? pick(CODES) : pick(TEXT).repeat(1 + Math.floor(next() * 4));
      const chars = original.styledCharsFromTokens(original.tokenize(s));
      styledCells += chars.filter((c) => c.styles.length).length;
      expect(toString(chars), JSON.stringify(s)).toBe(original.styledCharsToString(chars));
    }
    expect(styledCells).toBeGreaterThan(10_000);
  });

  it('builds the same rows as the package from a grid the way Ink fills it (blank cells, shared styles)', () => {
    const next = rng(7);
    for (let n = 0; n < 500; n++) {
      const blank = (): StyledChar => ({ type: 'char', value: ' ', fullWidth: false, styles: [] });
      const row: StyledChar[] = Array.from({ length: 60 }, blank);
      const text = original.styledCharsFromTokens(original.tokenize(`\x1b[1m\x1b[36mkubectl\x1b[39m get\x1b[22m pods ${'x'.repeat(Math.floor(next() * 10))}\x1b[2m dim\x1b[22m`));
      const at = Math.floor(next() * 20);
      text.forEach((c, i) => (row[at + i] = c));
      expect(toString(row)).toBe(original.styledCharsToString(row));
    }
  });
});
