/**
 * Loading lessons: lessons/index.yaml lists the lesson files in teaching order; each file is one
 * lesson (schema.ts). Manifests referenced by setup.apply / setup.files live in lessons/manifests/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { LessonError, validateLesson, type Lesson } from './schema.js';

export interface LessonSet {
  dir: string;
  lessons: Lesson[];
  /** the notes' commands that no lesson covers, with the reason (index.yaml `outOfScope`) */
  outOfScope: Array<{ command: string; reason: string }>;
}

/** the lessons directory: beside dist/ when bundled, at the repo root in development */
export function defaultLessonsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../lessons'), resolve(here, '../../lessons'), resolve(process.cwd(), 'lessons')]) {
    if (existsSync(join(candidate, 'index.yaml'))) return candidate;
  }
  return resolve(here, '../../lessons');
}

export function loadLessons(dir = defaultLessonsDir()): LessonSet {
  const indexFile = join(dir, 'index.yaml');
  const index = parse(readFileSync(indexFile, 'utf8')) as { lessons?: string[]; outOfScope?: Array<{ command: string; reason: string }> };
  if (!index || !Array.isArray(index.lessons)) throw new LessonError('index.yaml', 'lessons', 'a list of lesson files is required');
  const lessons: Lesson[] = [];
  const seen = new Set<string>();
  for (const file of index.lessons) {
    const text = readFileSync(join(dir, file), 'utf8');
    let doc: unknown;
    try {
      doc = parse(text, { version: '1.1' });
    } catch (e) {
      throw new LessonError(file, '', `invalid YAML: ${(e as Error).message}`);
    }
    const lesson = validateLesson(doc, file);
    if (seen.has(lesson.id)) throw new LessonError(file, 'id', `duplicate lesson id "${lesson.id}"`);
    seen.add(lesson.id);
    for (const m of [...(lesson.setup?.apply ?? []), ...Object.values(lesson.setup?.files ?? {})]) {
      if (!existsSync(join(dir, m))) throw new LessonError(file, 'setup', `manifest "${m}" does not exist in ${dir}`);
    }
    lessons.push(lesson);
  }
  for (const l of lessons) for (const r of l.requires ?? []) if (!seen.has(r)) throw new LessonError(`${l.id}`, 'requires', `unknown lesson "${r}"`);
  return { dir, lessons, outOfScope: index.outOfScope ?? [] };
}

export function readManifest(set: LessonSet, path: string): string {
  return readFileSync(join(set.dir, path), 'utf8');
}
