/** The prompt's line editor, key decoding and history, without a terminal. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { History } from '../../src/app/history.js';
import { decodeInput } from '../../src/app/keys.js';
import * as ed from '../../src/app/line-editor.js';
import { inlineSegments } from '../../src/app/markdown.js';

describe('line editor', () => {
  it('inserts at the cursor and moves it', () => {
    let s = ed.insert(ed.EMPTY_LINE, 'get pods');
    expect(s).toEqual({ text: 'get pods', cursor: 8 });
    s = ed.home(s);
    s = ed.insert(s, 'k ');
    expect(s).toEqual({ text: 'k get pods', cursor: 2 });
    s = ed.end(ed.left(ed.right(s)));
    expect(s.cursor).toBe(10);
    expect(ed.left(ed.home(s)).cursor).toBe(0);
    expect(ed.right(s).cursor).toBe(10);
  });
  it('backspace and delete', () => {
    const s = ed.lineOf('abc', 1);
    expect(ed.backspace(s)).toEqual({ text: 'bc', cursor: 0 });
    expect(ed.del(s)).toEqual({ text: 'ac', cursor: 1 });
    expect(ed.backspace(ed.lineOf('abc', 0))).toEqual({ text: 'abc', cursor: 0 });
    expect(ed.del(ed.lineOf('abc'))).toEqual({ text: 'abc', cursor: 3 });
  });
  it('Ctrl-U, Ctrl-K, Ctrl-W', () => {
    const s = ed.lineOf('kubectl get pods', 11);
    expect(ed.killToStart(s)).toEqual({ text: ' pods', cursor: 0 });
    expect(ed.killToEnd(s)).toEqual({ text: 'kubectl get', cursor: 11 });
    expect(ed.deleteWordBack(s)).toEqual({ text: 'kubectl  pods', cursor: 8 });
    expect(ed.deleteWordBack(ed.lineOf('get pods  '))).toEqual({ text: 'get ', cursor: 4 });
    expect(ed.wordLeft(ed.lineOf('get pods')).cursor).toBe(4);
    expect(ed.wordRight(ed.lineOf('get pods', 0)).cursor).toBe(3);
  });
  it('applies completions: one candidate with a space, several to their common prefix', () => {
    const s = ed.lineOf('get po kub');
    expect(ed.applyCompletion(s, { candidates: ['kubia-manual'], from: 7, to: 10 })).toEqual({ state: { text: 'get po kubia-manual ', cursor: 20 }, ambiguous: false });
    expect(ed.applyCompletion(s, { candidates: ['kubia-a', 'kubia-b'], from: 7, to: 10 })).toEqual({ state: { text: 'get po kubia-', cursor: 13 }, ambiguous: true });
    expect(ed.applyCompletion(ed.lineOf('get -o'), { candidates: ['jsonpath='], from: 7, to: 7 }).state.text).toBe('get -ojsonpath=');
    expect(ed.applyCompletion(s, { candidates: [], from: 7, to: 10 })).toEqual({ state: s, ambiguous: false });
    expect(ed.commonPrefix(['nodes', 'node', 'no'])).toBe('no');
  });
});

describe('key decoding', () => {
  it('splits a pasted run into lines to submit in order', () => {
    expect(decodeInput('get nodes\rget pods\n')).toEqual([
      { type: 'insert', text: 'get nodes' }, { type: 'submit' }, { type: 'insert', text: 'get pods' }, { type: 'submit' },
    ]);
    expect(decodeInput('a\r\nb')).toEqual([{ type: 'insert', text: 'a' }, { type: 'submit' }, { type: 'insert', text: 'b' }]);
  });
  it('maps control keys and escape sequences', () => {
    expect(decodeInput('\x7f')).toEqual([{ type: 'backspace' }]);
    expect(decodeInput('\x1b[3~')).toEqual([{ type: 'delete' }]);
    expect(decodeInput('\x1b[A')).toEqual([{ type: 'up' }]);
    expect(decodeInput('\x1b[D')).toEqual([{ type: 'left' }]);
    expect(decodeInput('\x1b[H')).toEqual([{ type: 'home' }]);
    expect(decodeInput('\x1b[F')).toEqual([{ type: 'end' }]);
    expect(decodeInput('\x01\x05\x15\x0b\x17\t\x03\x04').map((a) => a.type)).toEqual(['home', 'end', 'kill-start', 'kill-end', 'kill-word', 'tab', 'interrupt', 'eof']);
    expect(decodeInput('\x1b[200~')).toEqual([]);
    expect(decodeInput('\x1b[99Z')).toEqual([]);
  });
});

describe('history', () => {
  it('walks older and newer entries and comes back to the draft', () => {
    const h = new History();
    h.push('get nodes');
    h.push('get pods');
    h.push('get pods'); // consecutive duplicate
    h.push('  ');
    expect(h.list()).toEqual(['get nodes', 'get pods']);
    expect(h.up('draft')).toBe('get pods');
    expect(h.up('get pods')).toBe('get nodes');
    expect(h.up('get nodes')).toBeUndefined();
    expect(h.down()).toBe('get pods');
    expect(h.down()).toBe('draft');
    expect(h.down()).toBeUndefined();
  });
  it('persists to a file and keeps at most max entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-hist-'));
    try {
      const file = join(dir, 'sub', 'history');
      const a = new History({ file, max: 3 });
      for (const l of ['a', 'b', 'c', 'd']) a.push(l);
      expect(readFileSync(file, 'utf8')).toBe('b\nc\nd\n');
      const b = new History({ file, max: 3 });
      expect(b.list()).toEqual(['b', 'c', 'd']);
      expect(b.up('')).toBe('d');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('inline markdown', () => {
  it('finds code and bold spans', () => {
    expect(inlineSegments('Run `kubectl get nodes` **now**.')).toEqual([
      { text: 'Run ' }, { text: 'kubectl get nodes', code: true }, { text: ' ' }, { text: 'now', bold: true }, { text: '.' },
    ]);
  });
});
