/**
 * The plain driver end to end on the fixture lessons: reference commands complete the lesson, a
 * wrong command keeps the step and says why, /solution prints the command on its own line, and
 * progress survives a restart; a corrupt progress file is reported and replaced.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlain } from '../../src/app/plain.js';
import { TutorApp } from '../../src/app/tutor-app.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures/lessons');

describe('plain driver', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ nodes: 2, speed: 60 });
    dir = mkdtempSync(join(tmpdir(), 'kt-plain-'));
    writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig());
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const app = (lang: 'en' | 'zh' = 'en') =>
    new TutorApp({ kubeconfig: join(dir, 'kubeconfig'), sandbox: true, lang, workDir: join(dir, 'work'), progressDir: join(dir, 'conf'), lessonsDir: FIXTURES });

  async function drive(lines: string[], lang: 'en' | 'zh' = 'en'): Promise<{ code: number; out: string }> {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const code = await runPlain(app(lang), 'mini', { input: Readable.from(lines.map((l) => l + '\n')), output: out, settleMs: 8000, pollMs: 50 });
    return { code, out: text };
  }

  it('stays on a step after a wrong command, then completes the lesson with the reference commands', async () => {
    const r = await drive(['kubectl get pods', '/hint', '/solution', 'kubectl get nodes', 'kubectl create -f kubia-manual.yaml', 'kubectl label po kubia-manual creation_method=manual']);
    expect(r.out).toMatch(/… Not yet: waiting for you to run `kubectl get nodes`/);
    expect(r.out).toMatch(/Hint 1\/2: Nodes are a resource type\./);
    expect(r.out).toContain('\nkubectl get nodes\n');
    expect(r.out).toMatch(/✓ Step done: nodes/);
    expect(r.out).toMatch(/✓ Step done: create\nThe kubelet pulled the image/);
    expect(r.out).toMatch(/Lesson complete: mini\n/);
    expect(r.code).toBe(0);
  });

  it('speaks Chinese with --lang zh, and progress survives a restart', async () => {
    const a = app('zh');
    expect(a.progress.status('mini', ['nodes', 'create', 'label'])).toBe('complete');
    const r = await drive(['/lessons'], 'zh');
    expect(r.out).toContain('小课程');
  });

  it('reports and replaces a corrupt progress file', () => {
    writeFileSync(join(dir, 'conf', 'progress.json'), '{not json');
    const a = app();
    expect(a.progress.recovered).toMatch(/progress\.json\.corrupt-/);
    expect(a.startupNotes()[0]).toMatchObject({ type: 'error' });
    expect(a.progress.status('mini', ['nodes'])).toBe('not started');
  });
});
