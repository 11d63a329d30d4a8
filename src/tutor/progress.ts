/**
 * Progress by stable lesson/step ids, per cluster context, stored with conf (atomic writes, so a
 * killed process never leaves half a file). A corrupt file is set aside, reported and replaced.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { LessonSet } from './loader.js';
import type { Lang } from './schema.js';

export type StepState = 'done' | 'skipped';

interface LessonProgress {
  steps: Record<string, StepState>;
  current?: string;
  completed?: boolean;
  solutionSeen?: string[];
}

interface Store {
  version: 1;
  contexts: Record<string, { lessons: Record<string, LessonProgress> }>;
}

export interface ProgressOptions {
  /** directory of the progress file (default: conf's per-user config dir for kube-tutor) */
  cwd?: string;
  /** which cluster the progress is about (context name, or "sandbox") */
  context: string;
}

export class Progress {
  private conf: Conf<Store>;
  /** set when the file was unreadable and has been replaced (the path of the saved copy) */
  readonly recovered?: string;

  constructor(readonly o: ProgressOptions) {
    const options = { projectName: 'kube-tutor', projectSuffix: '', configName: 'progress', cwd: o.cwd, defaults: { version: 1 as const, contexts: {} } };
    try {
      this.conf = new Conf<Store>(options);
    } catch (e) {
      // unreadable JSON: keep a copy for the learner and start afresh
      const file = o.cwd ? join(o.cwd, 'progress.json') : String((e as { path?: string }).path ?? '');
      const saved = `${file}.corrupt-${Date.now()}`;
      if (file && existsSync(file)) renameSync(file, saved);
      this.recovered = saved;
      this.conf = new Conf<Store>(options);
    }
    const data = this.conf.store;
    if (!data || typeof data !== 'object' || typeof data.contexts !== 'object' || data.contexts === null) {
      this.recovered ??= 'invalid content';
      this.conf.store = { version: 1, contexts: {} };
    }
  }

  get path(): string {
    return this.conf.path;
  }

  private all(): Store {
    return this.conf.store;
  }

  private lesson(id: string): LessonProgress {
    const s = this.all();
    return s.contexts[this.o.context]?.lessons[id] ?? { steps: {} };
  }

  private update(id: string, f: (l: LessonProgress) => void): void {
    const s = structuredClone(this.all());
    const ctx = (s.contexts[this.o.context] ??= { lessons: {} });
    const l = (ctx.lessons[id] ??= { steps: {} });
    f(l);
    this.conf.store = s;
  }

  doneSteps(lessonId: string): Set<string> {
    return new Set(Object.keys(this.lesson(lessonId).steps));
  }

  markStep(lessonId: string, stepId: string, state: StepState): void {
    this.update(lessonId, (l) => {
      l.steps[stepId] = state;
    });
  }

  markLesson(lessonId: string): void {
    this.update(lessonId, (l) => {
      l.completed = true;
      l.current = undefined;
    });
  }

  markSolutionSeen(lessonId: string, stepId: string): void {
    this.update(lessonId, (l) => {
      l.solutionSeen = [...new Set([...(l.solutionSeen ?? []), stepId])];
    });
  }

  setCurrent(lessonId: string, stepId: string): void {
    this.update(lessonId, (l) => {
      l.current = stepId;
    });
  }

  resetLesson(lessonId: string): void {
    this.update(lessonId, (l) => {
      l.steps = {};
      l.completed = false;
      l.current = undefined;
    });
  }

  /** forget every lesson's progress on this cluster */
  resetAll(): void {
    const s = structuredClone(this.all());
    delete s.contexts[this.o.context];
    this.conf.store = s;
  }

  /** the lesson the learner was in last (for resuming) */
  current(): { lesson: string; step?: string } | undefined {
    const lessons = this.all().contexts[this.o.context]?.lessons ?? {};
    for (const [id, l] of Object.entries(lessons)) if (l.current && !l.completed) return { lesson: id, step: l.current };
    return undefined;
  }

  status(lessonId: string, stepIds: string[]): 'complete' | 'in progress' | 'not started' {
    const l = this.lesson(lessonId);
    if (l.completed || (stepIds.length && stepIds.every((s) => l.steps[s]))) return 'complete';
    return Object.keys(l.steps).length || l.current ? 'in progress' : 'not started';
  }

  summary(set: LessonSet, lang: Lang): string {
    const lines = set.lessons.map((l) => {
      const done = this.doneSteps(l.id);
      const n = l.steps.filter((s) => done.has(s.id)).length;
      const status = this.status(l.id, l.steps.map((s) => s.id));
      return `${l.id.padEnd(24)} ${String(n).padStart(2)}/${String(l.steps.length).padEnd(3)} ${status}  ${l.title[lang]}`;
    });
    return lines.join('\n');
  }

  export(): string {
    return JSON.stringify(this.all(), null, 2);
  }

  import(text: string): void {
    const data = JSON.parse(text) as Store;
    if (!data || data.version !== 1 || typeof data.contexts !== 'object') throw new Error('not a kube-tutor progress export');
    this.conf.store = data;
  }
}
