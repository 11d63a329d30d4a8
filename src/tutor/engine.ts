/**
 * The tutor engine: a step state machine over the lessons. It consumes what the learner types
 * (kubectl lines, curl, /tutor commands), runs them through the shell, re-evaluates the current
 * step's check after every command and whenever the cluster changes (`recheck()`), and produces
 * typed transcript items. No UI code: the Ink app and the plain driver both render its items.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { computeAliasItems } from './aliases.js';
import { evaluate } from './checks.js';
import { parseRan, type RanCommand } from './commands.js';
import type { LessonSet } from './loader.js';
import { msg } from './messages.js';
import type { Progress } from './progress.js';
import { LessonRunner } from './runner.js';
import type { Lang, Lesson, Step } from './schema.js';
import type { TutorShell } from './shell.js';
import { pick, type TranscriptItem } from './transcript.js';

export interface EngineOptions {
  set: LessonSet;
  shell: TutorShell;
  lang: Lang;
  progress: Progress;
  /** namespace the lessons use; undefined = one per lesson, `kube-tutor-<lesson>` (real clusters) */
  namespace: string | undefined;
  /** true on the embedded sandbox (steps that need sandbox powers are available) */
  sandbox: boolean;
}

export class TutorEngine {
  readonly runner: LessonRunner;
  lesson: Lesson | undefined;
  stepIndex = 0;
  private hintTier = 0;
  private ran: RanCommand[] = [];
  private checking = false;

  constructor(readonly o: EngineOptions) {
    this.runner = new LessonRunner(o.set, o.shell, o.namespace ?? 'default');
  }

  get lang(): Lang {
    return this.o.lang;
  }

  /** `/lang`: the tutor speaks the other language from the next item on */
  set lang(lang: Lang) {
    this.o.lang = lang;
  }

  /**
   * The command shape the step expects (its second hint's first `kubectl …` code span, e.g.
   * `kubectl run kubia --image=<image> --port=<port>`): what the prompt offers when the learner hesitates.
   */
  commandShape(): string | undefined {
    const hints = this.step?.hints[this.lang] ?? [];
    for (const h of [hints[1], hints[2], hints[0]]) {
      const code = /`((?:kubectl|k)\s[^`]+)`/.exec(h ?? '')?.[1];
      if (code) return code;
    }
    return undefined;
  }

  /**
   * Why a step the learner has acted on does not pass yet, when passing is up to the cluster (a
   * check on state, not on the command typed): "3 pods Running — 2/3" while they start.
   */
  async waitingReason(): Promise<string | undefined> {
    const s = this.step;
    if (!s || !this.ran.length || 'ran' in s.check) return undefined;
    const r = await evaluate(s.check, this.runner.checkContext(this.ran));
    return r.ok ? undefined : r.reason[this.lang];
  }

  get step(): Step | undefined {
    return this.lesson?.steps[this.stepIndex];
  }

  private stepItem(): TranscriptItem[] {
    const l = this.lesson!;
    const s = this.step;
    if (!s) return [];
    const items: TranscriptItem[] = [
      { type: 'step', lessonId: l.id, stepId: s.id, index: this.stepIndex, total: l.steps.length, text: pick(s.text, this.lang), changed: s.changed ? pick(s.changed, this.lang) : undefined },
    ];
    if (s.sandboxOnly && !this.o.sandbox) items.push({ type: 'info', text: msg('sandboxOnly', this.lang) });
    return items;
  }

  /** open a lesson (resuming at the first unfinished step) */
  async open(id: string, opts: { restart?: boolean } = {}): Promise<TranscriptItem[]> {
    const lesson = this.o.set.lessons.find((l) => l.id === id);
    if (!lesson) return [{ type: 'error', text: msg('unknownLesson', this.lang, { id }) }];
    if (this.lesson && this.lesson !== lesson) await this.cleanup(this.lesson);
    this.lesson = lesson;
    // a port-forward or watch left from before must not pass (or block) this lesson's steps
    this.o.shell.stopAll();
    if (this.o.sandbox) {
      try {
        await this.runner.applySpeed(lesson.speed);
      } catch {
        /* the clock keeps its speed */
      }
    }
    const done = opts.restart ? new Set<string>() : this.o.progress.doneSteps(lesson.id);
    if (opts.restart) this.o.progress.resetLesson(lesson.id);
    const firstOpen = lesson.steps.findIndex((s) => !done.has(s.id));
    this.stepIndex = firstOpen < 0 ? 0 : firstOpen;
    this.resetStepState();
    const items: TranscriptItem[] = [{ type: 'lesson', lessonId: lesson.id, title: pick(lesson.title, this.lang), summary: pick(lesson.summary, this.lang) }];
    if (this.o.namespace === undefined) {
      // real cluster: every lesson in its own namespace, never touching others
      const ns = `kube-tutor-${lesson.id}`;
      this.runner.namespace = ns;
      this.o.shell.session.defaultNamespace = ns;
      try {
        await this.runner.createManifest(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
        items.push({ type: 'info', text: `namespace ${ns}` });
      } catch (e) {
        items.push({ type: 'error', text: `could not create namespace ${ns}: ${(e as Error).message}` });
      }
    }
    if (this.stepIndex === 0) {
      const problems = await this.runner.setup(lesson);
      for (const p of problems) items.push({ type: 'error', text: p });
    }
    this.o.progress.setCurrent(lesson.id, this.step!.id);
    items.push(...this.stepItem());
    return items;
  }

  private resetStepState(): void {
    this.hintTier = 0;
    this.ran = [];
  }

  /** a line from the learner */
  async input(line: string): Promise<TranscriptItem[]> {
    await this.finishCleanup();
    const trimmed = line.trim();
    if (!trimmed) return [];
    if (trimmed.startsWith('/') && !trimmed.startsWith('/warp') && !trimmed.startsWith('/node')) return this.tutorCommand(trimmed);
    const items: TranscriptItem[] = [{ type: 'command', line: trimmed }];
    const filled = await this.runner.fill(trimmed);
    const r = await this.o.shell.exec(filled);
    if (r.kind === 'background') items.push({ type: 'info', text: msg(r.background!.input ? 'interactive' : 'background', this.lang, { line: filled, id: String(r.background!.id) }) });
    else items.push({ type: 'output', stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode });
    items.push(...computeAliasItems(r.effects));
    for (const e of r.effects) if (e.type === 'hint') items.push({ type: 'kubectl-hint', text: e.text, ...(e.suggestion ? { suggestion: e.suggestion } : {}) });
    if (r.kind === 'kubectl' || r.kind === 'background') {
      const parsed = await parseRan(filled, r.exitCode, safeClient(this.runner));
      if (parsed) this.ran.push(parsed);
    } else if (r.kind === 'curl') {
      // `ran: {command: curl}` steps: the host-side request counts like a command
      this.ran.push({ line: filled, path: ['curl'], resources: [], names: [], flags: {}, changed: [], exitCode: r.exitCode });
    }
    items.push(...(await this.recheck({ explain: true })));
    return items;
  }

  /**
   * Evaluate the current step; when it passes, mark it done and move on. With `explain`, a failing
   * check reports why (after a command); without it (cluster events), failures stay silent.
   */
  async recheck(opts: { explain?: boolean } = {}): Promise<TranscriptItem[]> {
    const l = this.lesson;
    const s = this.step;
    if (!l || !s || this.checking) return [];
    this.checking = true;
    try {
      const result = await evaluate(s.check, this.runner.checkContext(this.ran));
      if (!result.ok) return opts.explain && this.ran.length ? [{ type: 'check', ok: false, reason: msg('notYet', this.lang, { reason: result.reason[this.lang] }) }] : [];
      return this.completeStep(s, false);
    } finally {
      this.checking = false;
    }
  }

  private pendingCleanup: Lesson | undefined;

  /** undo what a lesson left that would surprise the next one (a node it took down …): its `cleanup.commands` */
  async cleanup(lesson: Lesson): Promise<void> {
    for (const c of lesson.cleanup?.commands ?? []) {
      try {
        await this.o.shell.exec(c);
      } catch {
        /* best effort */
      }
    }
  }

  /** run the cleanup of a lesson that just finished (the caller does it after showing the result) */
  async finishCleanup(): Promise<void> {
    const l = this.pendingCleanup;
    this.pendingCleanup = undefined;
    if (l) await this.cleanup(l);
  }

  /** why the current step's check does not pass yet (empty when it passes or there is no step) */
  async currentReason(): Promise<string> {
    const s = this.step;
    if (!s) return '';
    const r = await evaluate(s.check, this.runner.checkContext(this.ran));
    return r.ok ? '' : r.reason.en;
  }

  private completeStep(s: Step, skipped: boolean): TranscriptItem[] {
    const l = this.lesson!;
    this.o.progress.markStep(l.id, s.id, skipped ? 'skipped' : 'done');
    const items: TranscriptItem[] = [{ type: 'step-done', stepId: s.id, why: skipped ? undefined : pick(s.why, this.lang) || undefined, skipped }];
    this.stepIndex++;
    this.resetStepState();
    if (this.stepIndex >= l.steps.length) {
      this.o.progress.markLesson(l.id);
      items.push({ type: 'lesson-done', lessonId: l.id });
      this.lesson = undefined;
      this.pendingCleanup = l;
      return items;
    }
    this.o.progress.setCurrent(l.id, this.step!.id);
    items.push(...this.stepItem());
    return items;
  }

  private async tutorCommand(line: string): Promise<TranscriptItem[]> {
    const [cmd, ...args] = line.split(/\s+/);
    const s = this.step;
    switch (cmd) {
      case '/help':
        return [{ type: 'info', text: msg('help', this.lang) }];
      case '/hint': {
        if (!s) return [];
        const hints = s.hints[this.lang];
        if (this.hintTier >= hints.length) return [{ type: 'info', text: msg('noMoreHints', this.lang) }];
        const text = await this.runner.fill(hints[this.hintTier]!);
        this.hintTier++;
        return [{ type: 'hint', tier: this.hintTier, tiers: hints.length, text }];
      }
      case '/solution': {
        if (!s) return [];
        this.o.progress.markSolutionSeen(this.lesson!.id, s.id);
        const commands = await Promise.all(s.commands.map((c) => this.runner.fill(c)));
        return [{ type: 'solution', commands }, { type: 'info', text: msg('solutionNote', this.lang) }];
      }
      case '/skip':
      case '/next':
        if (!s) return [];
        return [{ type: 'info', text: msg('skipped', this.lang) }, ...this.completeStep(s, true)];
      case '/prev':
        if (!this.lesson || this.stepIndex === 0) return [];
        this.stepIndex--;
        this.resetStepState();
        return this.stepItem();
      case '/reset':
        if (!this.lesson) return [];
        return this.open(this.lesson.id, { restart: true });
      case '/lesson':
        return this.open(args[0] ?? '');
      case '/lessons':
        return [{ type: 'info', text: this.o.set.lessons.map((l, i) => `${String(i + 1).padStart(2)}. ${l.id.padEnd(24)} ${this.o.progress.status(l.id, l.steps.map((x) => x.id)).padEnd(12)} ${pick(l.title, this.lang)}`).join('\n') }];
      case '/progress': {
        // `/progress export FILE` / `/progress import FILE` move progress between machines
        const file = args[1] ? resolvePath(this.o.shell.session.cwd, args[1]) : undefined;
        try {
          if (args[0] === 'export' && file) {
            writeFileSync(file, this.o.progress.export());
            return [{ type: 'info', text: `progress written to ${file}` }];
          }
          if (args[0] === 'import' && file) {
            this.o.progress.import(readFileSync(file, 'utf8'));
            return [{ type: 'info', text: `progress read from ${file}` }];
          }
        } catch (e) {
          return [{ type: 'error', text: (e as Error).message }];
        }
        return [{ type: 'info', text: this.o.progress.summary(this.o.set, this.lang) }];
      }
      case '/stop': {
        const id = Number(args[0]);
        const jobs = this.o.shell.background.filter((j) => !args[0] || j.id === id);
        for (const j of jobs) j.stop();
        return [{ type: 'info', text: jobs.length ? `stopped: ${jobs.map((j) => j.line).join(', ')}` : 'nothing is running in the background' }];
      }
      default:
        return [{ type: 'error', text: msg('unknownTutorCommand', this.lang, { cmd: cmd ?? '' }) }];
    }
  }
}

function safeClient(runner: LessonRunner) {
  try {
    return runner.client();
  } catch {
    return undefined;
  }
}
