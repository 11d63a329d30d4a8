/** The inline suggestion's sources and order, and what → takes; Ctrl-R search as pure state. */
import { describe, expect, it } from 'vitest';
import { lineOf } from '../../src/app/line-editor.js';
import * as rs from '../../src/app/reverse-search.js';
import { acceptSuggestion, inlineSuggestion } from '../../src/app/suggestion.js';
import { progressBar } from '../../src/ui/StatusLine.js';

describe('inline suggestion', () => {
  const history = ['kubectl get pods', 'kubectl get nodes', 'kubectl get pods -o wide'];
  it('prefers the correction, then the step shape, then the newest history entry', () => {
    const src = { correction: 'kubectl get nodes', shape: 'kubectl get <type>', history };
    expect(inlineSuggestion(lineOf(''), src)).toBe('kubectl get nodes');
    expect(inlineSuggestion(lineOf('kubectl get p'), src)).toBe('kubectl get pods -o wide');
    expect(inlineSuggestion(lineOf('kubectl get '), { history, shape: 'kubectl get <type>' })).toBe('kubectl get <type>');
    expect(inlineSuggestion(lineOf(''), { history })).toBeUndefined();
  });
  it('offers nothing when the cursor is inside the line or nothing extends it', () => {
    expect(inlineSuggestion(lineOf('kubectl get p', 3), { history })).toBeUndefined();
    expect(inlineSuggestion(lineOf('kubectl get pods -o wide'), { history })).toBeUndefined();
    expect(inlineSuggestion(lineOf('describe'), { history })).toBeUndefined();
  });
  it('→ takes the suggestion up to its next placeholder, then the rest', () => {
    const shape = 'kubectl run kubia --image=<image> --port=<port>';
    const first = acceptSuggestion(lineOf(''), shape);
    expect(first).toEqual({ text: 'kubectl run kubia --image=', cursor: 26 });
    expect(acceptSuggestion(first, shape).text).toBe(shape);
    expect(acceptSuggestion(lineOf('kubectl get'), 'kubectl get nodes').text).toBe('kubectl get nodes');
  });
});

describe('reverse search', () => {
  const h = ['get ns', 'get no', 'describe no x', 'get po'];
  it('finds the newest match, steps to older ones, and stays on the oldest', () => {
    let s = rs.setQuery(h, rs.beginSearch('draft'), 'no');
    expect(rs.matchOf(h, s)).toBe('describe no x');
    s = rs.older(h, s);
    expect(rs.matchOf(h, s)).toBe('get no');
    s = rs.older(h, s);
    expect(rs.matchOf(h, s)).toBe('get no');
    expect(rs.matchOf(h, rs.setQuery(h, s, 'zzz'))).toBeUndefined();
    expect(rs.matchOf(h, rs.setQuery(h, s, ''))).toBeUndefined();
    expect(s.original).toBe('draft');
  });
});

describe('status line progress bar', () => {
  it('fills with the steps done', () => {
    expect(progressBar(0, 4)).toBe('▱▱▱▱▱▱▱▱');
    expect(progressBar(2, 4)).toBe('▰▰▰▰▱▱▱▱');
    expect(progressBar(4, 4)).toBe('▰▰▰▰▰▰▰▰');
  });
});
