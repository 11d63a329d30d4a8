/** Every transcript item type renders (colour aside) with the same words the plain driver prints. */
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ReplItem } from '../../src/app/repl.js';
import { StatusLine } from '../../src/ui/StatusLine.js';
import { TranscriptItemView } from '../../src/ui/Transcript.js';
import { Prompt } from '../../src/ui/Prompt.js';

const frame = (item: ReplItem, lang: 'en' | 'zh' = 'en') => {
  const r = render(<TranscriptItemView item={item} lang={lang} />);
  const f = r.lastFrame() ?? '';
  r.unmount();
  return f;
};

describe('transcript items', () => {
  it('renders each type', () => {
    expect(frame({ type: 'lesson', lessonId: 'mini', title: 'A small lesson', summary: 'Nodes and `pods`.' })).toMatch(/━━ A small lesson \(mini\)\nNodes and pods\./);
    expect(frame({ type: 'step', lessonId: 'mini', stepId: 'nodes', index: 0, total: 3, text: 'List the `nodes`.', changed: 'new default' })).toMatch(/Step 1\/3 List the nodes\.\n\(Changed since the notes: new default\)/);
    expect(frame({ type: 'command', line: 'kubectl get pods' })).toBe('$ kubectl get pods');
    expect(frame({ type: 'output', stdout: 'NAME   READY\nweb    1/1\n', stderr: 'warning\n', exitCode: 0 })).toBe('NAME   READY\nweb    1/1\nwarning');
    expect(frame({ type: 'stream', text: 'web   0/1   Pending\n' })).toBe('web   0/1   Pending');
    expect(frame({ type: 'kubectl-hint', text: 'use -o wide' })).toBe('tip: use -o wide');
    expect(frame({ type: 'alias', from: 'po', to: 'pods' })).toBe('(po means pods)');
    expect(frame({ type: 'hint', tier: 1, tiers: 2, text: 'Nodes are a resource type.' })).toMatch(/│ Hint 1\/2: Nodes are a resource type\.\s*│/);
    expect(frame({ type: 'solution', commands: ['kubectl get nodes'] })).toMatch(/Solution:[\s\S]*kubectl get nodes/);
    expect(frame({ type: 'check', ok: false, reason: 'Not yet: run `kubectl get nodes`' })).toBe('… Not yet: run kubectl get nodes');
    expect(frame({ type: 'check', ok: true, reason: 'ok' })).toBe('✓ ok');
    expect(frame({ type: 'step-done', stepId: 'create', why: 'The kubelet started it.' })).toBe('✓ Step done: create\nWhy: The kubelet started it.');
    expect(frame({ type: 'step-done', stepId: 'create', skipped: true })).toBe('✓ Step skipped: create');
    expect(frame({ type: 'lesson-done', lessonId: 'mini' })).toMatch(/★ Lesson complete: mini/);
    expect(frame({ type: 'info', text: 'hello' })).toBe('hello');
    expect(frame({ type: 'error', text: 'boom' })).toBe('! boom');
    expect(frame({ type: 'hint', tier: 1, tiers: 1, text: '看看' }, 'zh')).toMatch(/提示 1\/1: 看看/);
  });

  it('status line: lesson, cluster, jobs, running', () => {
    const r = render(<StatusLine status={{ lesson: 'first-app 3/9', cluster: 'sandbox', jobs: ['1: get pods -w'] }} busy queued={2} />);
    expect(r.lastFrame()).toMatch(/first-app 3\/9 .*│ sandbox │ jobs: 1: get pods -w \(Ctrl-C stops\) │ running… \(\+2 queued\)/);
    r.unmount();
  });
});

describe('NO_COLOR', () => {
  it('draws without colour but keeps the inverse cursor', () => {
    const before = { env: process.env.NO_COLOR, level: chalk.level };
    // Ink styles through chalk, which sees no terminal here: let it emit escapes
    chalk.level = 1;
    try {
      const draw = () => {
        const r = render(<Prompt line={{ text: 'get po', cursor: 3 }} busy={false} />);
        const f = r.lastFrame() ?? '';
        r.unmount();
        return f;
      };
      expect(draw()).toMatch(/\x1b\[3\dm/);
      process.env.NO_COLOR = '1';
      const plain = draw();
      expect(plain).not.toMatch(/\x1b\[3\dm/);
      expect(plain).toMatch(/\x1b\[7m/);
    } finally {
      chalk.level = before.level;
      if (before.env === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = before.env;
    }
  });
});
