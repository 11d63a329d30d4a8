/**
 * Loading lessons: lessons/index.yaml lists the lesson files in teaching order; each file is one
 * lesson (schema.ts). Manifests referenced by setup.apply / setup.files live in lessons/manifests/.
 *
 * Parsing the YAML costs a third of a second on a cold start, so the build writes the validated
 * lessons to dist/lessons.json with a digest of the files they came from; loadLessons uses it
 * while the digest still matches the files (edit a lesson and it reads the YAML again).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

/** the precompiled lessons beside this module (dist/lessons.json in the bundle) */
export function lessonsCacheFile(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'lessons.json');
}

interface LessonsCache {
  digest: string;
  files: string[];
  lessons: Lesson[];
  outOfScope: LessonSet['outOfScope'];
}

/** a digest of index.yaml and the lesson files, in order */
function digestOf(dir: string, files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of ['index.yaml', ...files]) h.update(f).update('\0').update(readFileSync(join(dir, f))).update('\0');
  return h.digest('hex');
}

function fromCache(dir: string, cacheFile: string): LessonSet | undefined {
  try {
    const c = JSON.parse(readFileSync(cacheFile, 'utf8')) as LessonsCache;
    if (c.digest !== digestOf(dir, c.files)) return undefined;
    return { dir, lessons: c.lessons, outOfScope: c.outOfScope };
  } catch {
    return undefined;
  }
}

/** write the lessons of `dir` (parsed and validated) where loadLessons looks for them first */
export function writeLessonsCache(dir: string, out = lessonsCacheFile()): LessonSet {
  const set = parseLessons(dir);
  const files = (parse(readFileSync(join(dir, 'index.yaml'), 'utf8')) as { lessons: string[] }).lessons;
  const cache: LessonsCache = { digest: digestOf(dir, files), files, lessons: set.lessons, outOfScope: set.outOfScope };
  writeFileSync(out, JSON.stringify(cache));
  return set;
}

export function loadLessons(dir = defaultLessonsDir(), opts: { cacheFile?: string } = {}): LessonSet {
  const cacheFile = opts.cacheFile ?? lessonsCacheFile();
  return (existsSync(cacheFile) && fromCache(dir, cacheFile)) || parseLessons(dir);
}

/** read and validate the YAML */
export function parseLessons(dir: string): LessonSet {
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
