/** The tutor engine and the lesson checker on a small fixture lesson set, against a manual-clock sandbox. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSandbox } from '../../src/check-sandbox.js';
import { Session } from '../../src/kubectl/session.js';
import { checkLesson } from '../../src/tutor/checker.js';
import { TutorEngine } from '../../src/tutor/engine.js';
import { loadLessons } from '../../src/tutor/loader.js';
import { Progress } from '../../src/tutor/progress.js';
import { TutorShell } from '../../src/tutor/shell.js';
import type { TranscriptItem } from '../../src/tutor/transcript.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures/lessons');
const set = loadLessons(FIXTURES);

describe('lesson checker', () => {
  it('passes a solvable lesson', async () => {
    const r = await checkLesson(set, set.lessons.find((l) => l.id === 'mini')!, checkSandbox);
    expect(r.problems).toEqual([]);
    expect(r.steps.map((s) => s.ok)).toEqual([true, true, true]);
  });
  it('fails a lesson whose check passes before its step', async () => {
    const r = await checkLesson(set, set.lessons.find((l) => l.id === 'broken')!, checkSandbox);
    expect(r.problems.join('\n')).toMatch(/already passes before the step/);
  });
});

describe('engine', () => {
  let t: TestSandbox;
  let dir: string;
  let engine: TutorEngine;
  beforeAll(async () => {
    t = await startTestSandbox({ nodes: 2 });
    dir = mkdtempSync(join(tmpdir(), 'kt-engine-'));
    writeFileSync(join(dir, 'kubeconfig'), t.sandbox.kubeconfig());
    const session = new Session({ env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') }, cwd: dir, confirmDestructive: false });
    const progress = new Progress({ cwd: join(dir, 'conf'), context: 'sandbox' });
    engine = new TutorEngine({ set, shell: new TutorShell(session), lang: 'en', progress, namespace: 'default', sandbox: true });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const types = (items: TranscriptItem[]) => items.map((i) => i.type);

  it('walks a lesson: wrong command stays, right command advances, checks wait for the cluster', async () => {
    const opened = await engine.open('mini');
    expect(types(opened)).toEqual(['lesson', 'step']);
    const wrong = await engine.input('kubectl get pods');
    expect(wrong.find((i) => i.type === 'check')).toMatchObject({ ok: false });
    expect(engine.step?.id).toBe('nodes');
    const hint = await engine.input('/hint');
    expect(hint[0]).toMatchObject({ type: 'hint', tier: 1, tiers: 2 });
    const right = await engine.input('k get no');
    expect(types(right)).toContain('step-done');
    expect(engine.step?.id).toBe('create');
    const created = await engine.input('kubectl create -f kubia-manual.yaml');
    expect(created.find((i) => i.type === 'output')).toMatchObject({ stdout: 'pod/kubia-manual created\n' });
    expect(engine.step?.id).toBe('create'); // not Running yet
    await t.clock.advance(30_000);
    await t.clock.settle();
    const later = await engine.recheck();
    expect(types(later)).toEqual(['step-done', 'step']);
    const sol = await engine.input('/solution');
    expect(sol[0]).toEqual({ type: 'solution', commands: ['kubectl label po kubia-manual creation_method=manual'] });
    expect(engine.step?.id).toBe('label'); // seeing the solution does not solve the step
    const done = await engine.input('label pod kubia-manual creation_method=manual');
    expect(done.at(-1)).toEqual({ type: 'lesson-done', lessonId: 'mini' });
  });

  it('exports and imports progress', async () => {
    const out = await engine.input('/progress export saved.json');
    expect(out[0]).toMatchObject({ type: 'info' });
    await engine.input('/lesson mini');
    await engine.input('/reset');
    expect(engine.o.progress.doneSteps('mini').size).toBe(0);
    await engine.input('/progress import saved.json');
    expect(engine.o.progress.status('mini', ['nodes', 'create', 'label'])).toBe('complete');
    expect((await engine.input('/progress import nosuch.json'))[0]).toMatchObject({ type: 'error' });
  });

  it('a host-side curl does not satisfy a step that wants a kubectl command', async () => {
    await engine.open('mini', { restart: true });
    await engine.input('curl -s http://127.0.0.1:1/');
    expect(engine.step?.id).toBe('nodes');
    expect(await engine.currentReason()).toMatch(/waiting for you to run `kubectl get nodes`/);
  });
});
