/**
 * The interactive tutor's state, without a terminal: the committed transcript, the prompt line,
 * history, completion candidates, the queue of lines waiting to run (a multi-line paste), the
 * status line, and what Ctrl-C / Ctrl-D do. The Ink screen subscribes to it and forwards raw
 * input; tests drive it directly or through the screen.
 */
import type { Completion } from '../kubectl/complete.js';
import type { TranscriptItem } from '../tutor/transcript.js';
import type { Lang } from '../tutor/schema.js';
import { History } from './history.js';
import { decodeInput, type KeyAction } from './keys.js';
import * as ed from './line-editor.js';
import type { TutorApp } from './tutor-app.js';

/** a transcript item, or live output of a background (streaming) command */
export type ReplItem = TranscriptItem | { type: 'stream'; text: string };

export interface ReplEntry {
  id: number;
  item: ReplItem;
}

export interface StatusInfo {
  /** e.g. `first-app 3/9`, or undefined in free mode */
  lesson?: string;
  /** `sandbox` or the kubeconfig context */
  cluster: string;
  /** running background commands */
  jobs: string[];
}

export interface ReplSnapshot {
  entries: readonly ReplEntry[];
  line: ed.LineState;
  busy: boolean;
  queued: number;
  candidates: readonly string[];
  notice?: string;
  status: StatusInfo;
  lang: Lang;
  exited: boolean;
}

export interface ReplOptions {
  app: TutorApp;
  /** completion source (new Completer(app.session)) */
  completer?: { complete(line: string, cursor: number): Promise<Completion>; close?(): void };
  history?: History;
  /** what the status line calls the cluster (default: sandbox, else the context name) */
  cluster?: string;
  /** how often to re-evaluate the step while the learner is idle (default 500 ms; 0 = never) */
  recheckMs?: number;
}

const TUTOR_COMMANDS = ['/hint', '/solution', '/skip', '/next', '/prev', '/reset', '/lessons', '/lesson', '/progress', '/stop', '/sandbox', '/warp', '/node', '/help', '/quit'];

export class ReplController {
  readonly app: TutorApp;
  readonly history: History;
  private entries: ReplEntry[] = [];
  private nextId = 1;
  private line: ed.LineState = ed.EMPTY_LINE;
  private queue: string[] = [];
  private running = false;
  private candidates: string[] = [];
  private notice: string | undefined;
  private exited = false;
  /** until the first lesson has opened */
  private starting = true;
  private exitArmed = false;
  private listeners = new Set<() => void>();
  private snap: ReplSnapshot;
  private timer: NodeJS.Timeout | undefined;
  private rechecking = false;
  private lastStatus = '';
  private exitHandlers: (() => void)[] = [];
  private completionSeq = 0;
  /** resolves when the queue is empty and nothing runs (tests) */
  private idleWaiters: (() => void)[] = [];

  constructor(readonly o: ReplOptions) {
    this.app = o.app;
    this.history = o.history ?? new History();
    this.snap = this.makeSnapshot();
  }

  // ---- store protocol (useSyncExternalStore) ----
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): ReplSnapshot => this.snap;

  private emit(): void {
    this.snap = this.makeSnapshot();
    for (const fn of [...this.listeners]) fn();
  }

  private makeSnapshot(): ReplSnapshot {
    return {
      entries: this.entries.slice(),
      line: this.line,
      busy: this.running,
      queued: this.queue.length,
      candidates: this.candidates,
      notice: this.notice,
      status: this.status(),
      lang: this.app.o.lang,
      exited: this.exited,
    };
  }

  status(): StatusInfo {
    const e = this.app.engine;
    const lesson = this.starting ? '…' : e.lesson ? `${e.lesson.id} ${Math.min(e.stepIndex + 1, e.lesson.steps.length)}/${e.lesson.steps.length}` : undefined;
    return {
      lesson,
      cluster: this.o.cluster ?? (this.app.o.sandbox ? 'sandbox' : safe(() => this.app.session.client({}).contextName) ?? 'cluster'),
      jobs: this.app.shell.background.map((j) => `${j.id}: ${j.line}`),
    };
  }

  onExit(fn: () => void): () => void {
    this.exitHandlers.push(fn);
    if (this.exited) fn();
    return () => (this.exitHandlers = this.exitHandlers.filter((f) => f !== fn));
  }

  // ---- lifecycle ----

  /** show the welcome and open a lesson (or free mode when lessonId is undefined) */
  async start(lessonId?: string): Promise<void> {
    const lang = this.app.o.lang;
    this.append([{ type: 'info', text: lang === 'zh' ? 'kube-tutor：输入 kubectl 命令；/help 查看导师命令，卡住时用 /hint；Ctrl-D 退出。' : 'kube-tutor: type kubectl commands; /help lists tutor commands, /hint when stuck; Ctrl-D quits.' }]);
    this.append(this.app.startupNotes());
    if (lessonId) this.append(await this.app.engine.open(lessonId));
    else this.append([this.freeModeNote()]);
    this.starting = false;
    this.emit();
    if ((this.o.recheckMs ?? 500) > 0) {
      this.timer = setInterval(() => void this.tick(), this.o.recheckMs ?? 500);
      this.timer.unref?.();
    }
  }

  /** stop timers, background jobs and completion watches */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.o.completer?.close?.();
    this.app.close();
  }

  exit(): void {
    if (this.exited) return;
    this.exited = true;
    this.close();
    this.emit();
    for (const fn of this.exitHandlers) fn();
  }

  /** live output of a background command (TutorApp's onOutput) */
  output = (text: string): void => {
    if (!text) return;
    this.append([{ type: 'stream', text }]);
  };

  /** wait until every submitted line has run (tests, scripted use) */
  idle(): Promise<void> {
    if (!this.running && !this.queue.length) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private append(items: ReplItem[]): void {
    if (!items.length) return;
    for (const item of items) this.entries.push({ id: this.nextId++, item });
    this.emit();
  }

  private freeModeNote(): TranscriptItem {
    return {
      type: 'info',
      text: this.app.o.lang === 'zh'
        ? '自由模式：命令直接执行。/lessons 列出课程，/lesson ID 开始一课。'
        : 'Sandbox mode: commands just run. /lessons lists the lessons, /lesson ID starts one.',
    };
  }

  /** periodic: let the step complete by itself as the cluster changes; refresh the status line */
  private async tick(): Promise<void> {
    if (this.exited) return;
    const st = JSON.stringify(this.status());
    if (st !== this.lastStatus) {
      this.lastStatus = st;
      this.emit();
    }
    if (this.running || this.rechecking || !this.app.engine.lesson) return;
    this.rechecking = true;
    try {
      const items = await this.app.engine.recheck();
      if (items.length && !this.exited) this.append(this.afterItems(items));
    } catch {
      // a failing check (cluster unreachable) stays silent here; commands report errors
    } finally {
      this.rechecking = false;
    }
  }

  /** after a lesson ends, point at the next one */
  private afterItems(items: TranscriptItem[]): ReplItem[] {
    const done = items.find((i): i is Extract<TranscriptItem, { type: 'lesson-done' }> => i.type === 'lesson-done');
    if (!done) return items;
    const lessons = this.app.set.lessons;
    const next = lessons[lessons.findIndex((l) => l.id === done.lessonId) + 1];
    const lang = this.app.o.lang;
    const text = next
      ? (lang === 'zh' ? `下一课：/lesson ${next.id}（或 /lessons 查看全部）` : `Next: /lesson ${next.id} (or /lessons to pick another)`)
      : (lang === 'zh' ? '所有课程都完成了！现在是自由模式。' : 'That was the last lesson! You are in sandbox mode now.');
    return [...items, { type: 'info', text }];
  }

  // ---- input ----

  /** raw terminal input (one Ink input event) */
  handleInput = (data: string): void => {
    for (const a of decodeInput(data)) this.dispatch(a);
  };

  dispatch(a: KeyAction): void {
    if (this.exited) return;
    if (a.type !== 'interrupt') this.exitArmed = false;
    if (a.type !== 'tab') this.candidates = [];
    this.notice = undefined;
    const L = this.line;
    switch (a.type) {
      case 'insert': this.line = ed.insert(L, a.text); break;
      case 'left': this.line = ed.left(L); break;
      case 'right': this.line = ed.right(L); break;
      case 'home': this.line = ed.home(L); break;
      case 'end': this.line = ed.end(L); break;
      case 'word-left': this.line = ed.wordLeft(L); break;
      case 'word-right': this.line = ed.wordRight(L); break;
      case 'backspace': this.line = ed.backspace(L); break;
      case 'delete': this.line = ed.del(L); break;
      case 'kill-start': this.line = ed.killToStart(L); break;
      case 'kill-end': this.line = ed.killToEnd(L); break;
      case 'kill-word': this.line = ed.deleteWordBack(L); break;
      case 'up': {
        const h = this.history.up(L.text);
        if (h !== undefined) this.line = ed.lineOf(h);
        break;
      }
      case 'down': {
        const h = this.history.down();
        if (h !== undefined) this.line = ed.lineOf(h);
        break;
      }
      case 'tab': void this.complete(); return;
      case 'submit': this.submit(L.text); this.line = ed.EMPTY_LINE; break;
      case 'interrupt': this.interrupt(); break;
      case 'eof':
        return this.exit();
      case 'clear-screen':
      case 'escape':
        break;
    }
    this.emit();
  }

  /** Ctrl-C: stop a streaming command, else clear the line, else (twice) quit */
  private interrupt(): void {
    const jobs = this.app.shell.background;
    if (jobs.length) {
      const job = jobs[jobs.length - 1]!;
      job.stop();
      this.append([{ type: 'info', text: `stopped: ${job.line}` }]);
      this.exitArmed = false;
      return;
    }
    if (this.line.text) {
      this.line = ed.EMPTY_LINE;
      this.history.reset();
      this.exitArmed = false;
      return;
    }
    if (this.exitArmed) return this.exit();
    this.exitArmed = true;
    this.notice = this.app.o.lang === 'zh' ? '再按一次 Ctrl-C 退出（或 Ctrl-D）' : 'Press Ctrl-C again to quit (or Ctrl-D)';
  }

  /** a line to run: queued behind whatever is running */
  submit(text: string): void {
    const line = text.trim();
    this.history.push(line);
    if (!line) return;
    this.queue.push(line);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    this.emit();
    while (this.queue.length && !this.exited) {
      const line = this.queue.shift()!;
      await this.run(line);
    }
    this.running = false;
    if (!this.exited) this.emit();
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }

  private async run(line: string): Promise<void> {
    if (line === 'exit' || line === 'quit' || line === '/quit' || line === '/exit') return this.exit();
    if (line === '/sandbox') {
      this.app.engine.lesson = undefined;
      this.append([{ type: 'command', line }, this.freeModeNote()]);
      return;
    }
    if (line === '/clear') {
      this.append([{ type: 'command', line }]);
      return;
    }
    try {
      const items = await this.app.input(line);
      // tutor commands do not echo themselves in the engine; show what was asked
      const echo: ReplItem[] = line.startsWith('/') && !items.some((i) => i.type === 'command') ? [{ type: 'command', line }] : [];
      this.append([...echo, ...this.afterItems(items)]);
    } catch (e) {
      this.append([{ type: 'command', line }, { type: 'error', text: (e as Error).message }]);
    }
  }

  /** Tab: complete the word at the cursor; several candidates are listed under the prompt */
  private async complete(): Promise<void> {
    const seq = ++this.completionSeq;
    const L = this.line;
    let c: Completion | undefined;
    try {
      c = await this.completions(L);
    } catch {
      c = undefined;
    }
    if (!c || seq !== this.completionSeq || this.line !== L) return;
    const r = ed.applyCompletion(L, c);
    this.line = r.state;
    this.candidates = r.ambiguous ? c.candidates.slice(0, 50) : [];
    this.emit();
  }

  private async completions(L: ed.LineState): Promise<Completion | undefined> {
    const before = L.text.slice(0, L.cursor);
    if (before.trimStart().startsWith('/')) {
      const lead = before.length - before.trimStart().length;
      const m = /^(\/lesson\s+)(\S*)$/.exec(before.trimStart());
      if (m) {
        const from = lead + m[1]!.length;
        return { candidates: this.app.set.lessons.map((l) => l.id).filter((id) => id.startsWith(m[2]!)), from, to: L.cursor };
      }
      if (/\s/.test(before.trimStart())) return undefined;
      return { candidates: TUTOR_COMMANDS.filter((c) => c.startsWith(before.trimStart())), from: lead, to: L.cursor };
    }
    return this.o.completer?.complete(L.text, L.cursor);
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
