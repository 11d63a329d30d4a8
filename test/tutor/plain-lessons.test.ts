/**
 * Acceptance 2 of the tutor: the plain driver completes every lesson when fed its reference
 * commands, step after step (on a fresh manual-clock sandbox that the driver moves forward while
 * commands run and steps wait for the cluster), ending with `Lesson complete: <id>`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runPlain } from '../../src/app/plain.js';
import { TutorApp } from '../../src/app/tutor-app.js';
import { checkSandbox } from '../../src/check-sandbox.js';
import { loadLessons } from '../../src/tutor/loader.js';

const set = loadLessons();

describe.each(set.lessons.map((l) => [l.id, l] as const))('plain driver: lesson %s', (id, lesson) => {
  it('completes when fed its reference commands', async () => {
    const sandbox = await checkSandbox();
    const dir = mkdtempSync(join(tmpdir(), `kt-plain-${id}-`));
    try {
      writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig());
      const app = new TutorApp({ kubeconfig: join(dir, 'kubeconfig'), sandbox: true, lang: 'en', workDir: join(dir, 'work'), progressDir: join(dir, 'conf') });
      const lines = lesson.steps.flatMap((s) => s.commands);
      const out = new PassThrough();
      let text = '';
      out.on('data', (c: Buffer) => (text += c.toString('utf8')));
      const code = await runPlain(app, id, { input: Readable.from(lines.map((l) => l + '\n')), output: out, clock: sandbox });
      expect(text, text.slice(-3000)).toContain(`Lesson complete: ${id}\n`);
      expect(code).toBe(0);
      for (const s of lesson.steps) expect(text).toContain(`✓ Step done: ${s.id}\n`);
    } finally {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
