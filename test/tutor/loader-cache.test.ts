/**
 * The precompiled lessons (dist/lessons.json): loadLessons uses them while they match the YAML
 * they came from, and reads the YAML again once a lesson file changes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLessons, parseLessons, writeLessonsCache } from '../../src/tutor/loader.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures/lessons');

describe('lessons cache', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the cached lessons while the files match, and the YAML after an edit', () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-lcache-'));
    const lessons = join(dir, 'lessons');
    cpSync(FIXTURES, lessons, { recursive: true });
    writeFileSync(join(lessons, 'index.yaml'), 'lessons: [mini.yaml]\n');
    const cacheFile = join(dir, 'lessons.json');
    const written = writeLessonsCache(lessons, cacheFile);
    expect(loadLessons(lessons, { cacheFile })).toEqual(written);

    // the cache is what is served: tamper with it and the tampered title shows
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    cache.lessons[0].title.en = 'From the cache';
    writeFileSync(cacheFile, JSON.stringify(cache));
    expect(loadLessons(lessons, { cacheFile }).lessons[0]!.title.en).toBe('From the cache');

    // an edited lesson file no longer matches the digest: the YAML is read
    const file = join(lessons, 'mini.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('A small lesson', 'An edited lesson'));
    expect(loadLessons(lessons, { cacheFile }).lessons[0]!.title.en).toBe('An edited lesson');
    expect(parseLessons(lessons).lessons[0]!.title.en).toBe('An edited lesson');
  });
});
