/**
 * The lessons in lessons/: every file valid, manifests present and parseable, placeholders
 * well formed, sandbox powers marked, hints tiered in both languages, state checks for steps that
 * change the cluster, every command of the notes covered (or out of scope with a reason) — and the
 * lesson checker: each lesson replayed on a fresh sandbox, each check failing before its step and
 * passing after it (acceptance of the tutor issue).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkSandbox } from '../../src/check-sandbox.js';
import { checkCoverage, checkLesson, checkManifests } from '../../src/tutor/checker.js';
import { loadLessons } from '../../src/tutor/loader.js';
import type { Check } from '../../src/tutor/schema.js';

const set = loadLessons();

function leaves(c: Check): Check[] {
  if ('all' in c) return c.all.flatMap(leaves);
  if ('any' in c) return c.any.flatMap(leaves);
  if ('not' in c) return leaves(c.not);
  return [c];
}

describe('lesson set', () => {
  it('covers every command of the notes, or says why not', () => {
    expect(checkCoverage(set)).toEqual([]);
  });
  it('has manifests the server accepts with strict validation', async () => {
    expect(await checkManifests(set, checkSandbox)).toEqual([]);
  });
});

describe.each(set.lessons.map((l) => [l.id, l] as const))('lesson %s', (_id, lesson) => {
  it('references manifests that exist and parse', () => {
    for (const m of [...(lesson.setup?.apply ?? []), ...Object.values(lesson.setup?.files ?? {})]) {
      expect(existsSync(join(set.dir, m)), m).toBe(true);
      for (const doc of parseAllDocuments(readFileSync(join(set.dir, m), 'utf8'), { version: '1.1' })) expect(doc.errors, m).toEqual([]);
    }
  });

  it('uses only {{pod:SELECTOR}} / {{clusterIP:SERVICE}} placeholders and marks sandbox powers', () => {
    for (const s of lesson.steps) {
      for (const c of s.commands) {
        for (const m of c.matchAll(/\{\{([^}]*)\}\}/g)) expect(m[1], `${s.id}: ${c}`).toMatch(/^(pod:[a-z0-9_.\/-]+(=[a-z0-9_.-]+)?(,[a-z0-9_.\/-]+(=[a-z0-9_.-]+)?)*|clusterIP:[a-z0-9-]+)$/i);
        if (/^\/(node|warp)\b/.test(c)) expect(s.sandboxOnly, `${s.id} needs sandboxOnly`).toBe(true);
      }
    }
  });

  it('gives every step 2–3 hint tiers per language, the last one a command', () => {
    for (const s of lesson.steps) {
      for (const lang of ['en', 'zh'] as const) {
        expect(s.hints[lang].length, `${s.id} ${lang}`).toBeGreaterThanOrEqual(2);
        expect(s.hints[lang].length, `${s.id} ${lang}`).toBeLessThanOrEqual(3);
        expect(s.hints[lang].at(-1), `${s.id} ${lang}`).toMatch(/`/);
      }
    }
  });

  it('checks state, not only commands, where a step changes the cluster', () => {
    const mutating = /^(kubectl (create|delete|label|scale|patch|edit|apply|annotate|expose|run|set|rollout (undo|restart|pause|resume))\b|\/node)/;
    for (const s of lesson.steps) {
      if (!s.commands.some((c) => mutating.test(c))) continue;
      if (leaves(s.check).some((c) => 'ran' in c && c.ran.succeeded === false)) continue; // a deliberate failure
      expect(leaves(s.check).some((c) => !('ran' in c)), s.id).toBe(true);
    }
  });

  it('replays on a fresh sandbox: each check fails before its step and passes after it', async () => {
    const r = await checkLesson(set, lesson, checkSandbox);
    expect(r.problems).toEqual([]);
  }, 300_000);
});
