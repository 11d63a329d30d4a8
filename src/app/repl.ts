/**
 * The interactive tutor's state, without a terminal: the committed transcript, the prompt line,
 * history, completion candidates, the queue of lines waiting to run (a multi-line paste), the
 * status line, and what Ctrl-C / Ctrl-D do. The Ink screen subscribes to it and forwards raw
 * input; tests drive it directly or through the screen.
 */
import type { Completion } from '../kubectl/complete.js';
import type { BackgroundJob } from '../tutor/shell.js';
import { ClusterWatch } from './cluster-panel.js';
import type { TranscriptItem } from '../tutor/transcript.js';
import type { Lang } from '../tutor/schema.js';
import { History } from './history.js';
import { decodeInput, type KeyAction } from './keys.js';
import * as ed from './line-editor.js';
import * as rs from './reverse-search.js';
import { acceptSuggestion, inlineSuggestion } from './suggestion.js';
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
  /** the step shown (0-based) and how many the lesson has */
  step?: { index: number; total: number };
  /** `sandbox` or the kubeconfig context */
  cluster: string;
  /** the namespace commands use */
  namespace?: string;
  /** how much faster than the wall clock the sandbox's time runs (sandbox only) */
  speed?: number;
  /** running background commands */
  jobs: string[];
  /** the interactive command (`exec -it`) the prompt feeds */
  session?: string;
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
  /** the full line the dim inline suggestion completes to (→ accepts) */
  suggestion?: string;
  /** Ctrl-R reverse search in progress: what is typed and the entry it finds */
  search?: { query: string; match?: string };
  /** a step waits on the cluster: why it does not pass yet (drawn with a spinner) */
  waiting?: string;
  /** whether the cluster panel is shown (Ctrl-T, /panel; on by default in lessons on wide terminals) */
  panel: boolean;
  /** terminal size the screen reported */
  columns: number;
  /** the watches behind the panel (while it shows) */
  clusterWatch?: ClusterWatch;
  /** an interactive command (`exec -it`) reads the prompt: its unfinished last line (its own prompt, e.g. `/ # `) */
  attached?: { line: string; prompt: string };
  /** a command waits for the learner's yes or no (a destructive command on a real cluster) */
  question?: string;
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
  /** how long an idle, empty prompt waits before it offers the step's command shape (default 8000 ms) */
  hesitateMs?: number;
  /** the panel is on by default in lessons from this many columns (default 100) */
  panelMinColumns?: number;
  /** make the panel's cluster watch (tests swap it) */
  clusterWatch?: (app: TutorApp) => ClusterWatch;
}

const TUTOR_COMMANDS = ['/hint', '/solution', '/skip', '/next', '/prev', '/reset', '/lessons', '/lesson', '/progress', '/stop', '/sandbox', '/warp', '/node', '/lang', '/panel', '/help', '/quit'];

const SCREEN_HELP = {
  en: 'Screen: /lang en|zh switches language, /panel shows or hides the cluster panel (also Ctrl-T or F2), /sandbox leaves the lesson, /quit. Keys: Tab completes, → takes the dim suggestion, ↑/↓ and Ctrl-R search history, Ctrl-C stops a running stream, Ctrl-D quits.',
  zh: '界面：/lang en|zh 切换语言，/panel 显示或隐藏集群面板（也可按 Ctrl-T 或 F2），/sandbox 离开课程，/quit 退出。按键：Tab 补全，→ 采用灰色建议，↑/↓ 和 Ctrl-R 搜索历史，Ctrl-C 停止正在运行的流式命令，Ctrl-D 退出。',
};

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
  /** the corrected line offered after a "did you mean" */
  private correction: string | undefined;
  /** the step (lesson:index) whose command shape is offered, once the learner hesitated on it */
  private hesitatedOn: string | undefined;
  private hesitateTimer: NodeJS.Timeout | undefined;
  private search: rs.SearchState | undefined;
  private waiting: string | undefined;
  /** the learner's choice (Ctrl-T, /panel); undefined = the default for the mode and width */
  private panelChoice: boolean | undefined;
  private columns = 80;
  /** the sandbox clock's speed, as last read */
  private speed: number | undefined;
  private watch: ClusterWatch | undefined;
  private closed = false;
  /** streamed output after its last newline (a shell's prompt), not yet in the transcript */
  private partial = '';
  /** interactive jobs already followed (their end is reported once) */
  private followed = new WeakSet<BackgroundJob>();
  /** the question a command waits on, and how to answer it */
  private question: { text: string; answer(yes: boolean): void } | undefined;

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
    this.syncPanelWatch();
    this.snap = this.makeSnapshot();
    for (const fn of [...this.listeners]) fn();
  }

  private makeSnapshot(): ReplSnapshot {
    const history = this.history.list();
    const attached = this.attachedJob();
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
      suggestion: this.search ? undefined : inlineSuggestion(this.line, { correction: this.correction, shape: this.offeredShape(), history }),
      search: this.search ? { query: this.search.query, match: rs.matchOf(history, this.search) } : undefined,
      waiting: this.waiting,
      panel: this.panelVisible(),
      columns: this.columns,
      clusterWatch: this.watch,
      attached: attached ? { line: attached.line, prompt: this.partial } : undefined,
      question: this.question?.text,
    };
  }

  /**
   * Ask the learner (TutorApp's `confirm`: a destructive command on a real cluster). The next line
   * typed answers; only y or yes agrees. Ctrl-C, or the tutor quitting, declines.
   */
  confirm = (question: string): Promise<boolean> => {
    this.question?.answer(false);
    return new Promise((resolve) => {
      this.question = {
        text: question,
        answer: (yes) => {
          this.question = undefined;
          resolve(yes);
        },
      };
      this.emit();
    });
  };

  /** the interactive command the prompt feeds, if one runs */
  private attachedJob(): BackgroundJob | undefined {
    const jobs = this.app.shell.background;
    for (let i = jobs.length - 1; i >= 0; i--) if (jobs[i]!.input) return jobs[i];
    return undefined;
  }

  /** report when an interactive command ends, once */
  private follow(job: BackgroundJob): void {
    if (this.followed.has(job)) return;
    this.followed.add(job);
    void job.execution.done.then((r) => {
      if (this.exited) return;
      this.flushPartial();
      const lang = this.app.o.lang;
      this.append([{ type: 'info', text: lang === 'zh' ? `会话结束：${job.line}（退出码 ${r.exitCode}）` : `session ended: ${job.line} (exit code ${r.exitCode})` }]);
    });
  }

  private flushPartial(): void {
    if (!this.partial) return;
    const text = this.partial;
    this.partial = '';
    this.append([{ type: 'stream', text }]);
  }

  /** the panel's watches run only while it shows */
  private syncPanelWatch(): void {
    const on = this.panelVisible() && !this.exited && !this.closed;
    if (on && !this.watch) this.watch = this.o.clusterWatch?.(this.app) ?? new ClusterWatch({ session: this.app.session });
    if (!on && this.watch) {
      this.watch.close();
      this.watch = undefined;
    }
  }

  private stepKey(): string | undefined {
    const e = this.app.engine;
    return e.lesson && e.step ? `${e.lesson.id}:${e.stepIndex}` : undefined;
  }

  private offeredShape(): string | undefined {
    const key = this.stepKey();
    return key && key === this.hesitatedOn ? this.app.engine.commandShape() : undefined;
  }

  private panelVisible(): boolean {
    return this.panelChoice ?? (!!this.app.engine.lesson && this.columns >= (this.o.panelMinColumns ?? 100));
  }

  /** the screen's size (on start and on every resize) */
  setViewport(columns: number): void {
    if (columns === this.columns) return;
    this.columns = columns;
    this.emit();
  }

  /**
   * After the prompt sat empty for a while in a lesson, offer the step's command shape as the
   * inline suggestion (kept for the rest of the step).
   */
  private armHesitation(): void {
    if (this.hesitateTimer) clearTimeout(this.hesitateTimer);
    this.hesitateTimer = undefined;
    const key = this.stepKey();
    if (this.exited || !key || key === this.hesitatedOn || this.running || this.line.text) return;
    this.hesitateTimer = setTimeout(() => {
      this.hesitateTimer = undefined;
      if (this.stepKey() !== key || this.running || this.line.text || !this.app.engine.commandShape()) return;
      this.hesitatedOn = key;
      this.emit();
    }, this.o.hesitateMs ?? 8000);
    this.hesitateTimer.unref?.();
  }

  status(): StatusInfo {
    const e = this.app.engine;
    const lesson = this.starting ? '…' : e.lesson ? `${e.lesson.id} ${Math.min(e.stepIndex + 1, e.lesson.steps.length)}/${e.lesson.steps.length}` : undefined;
    return {
      lesson,
      step: !this.starting && e.lesson ? { index: Math.min(e.stepIndex, e.lesson.steps.length), total: e.lesson.steps.length } : undefined,
      namespace: this.app.session.defaultNamespace ?? safe(() => this.app.session.client({}).namespace),
      speed: this.speed,
      cluster: this.o.cluster ?? (this.app.o.sandbox ? 'sandbox' : safe(() => this.app.session.client({}).contextName) ?? 'cluster'),
      jobs: this.app.shell.background.filter((j) => !j.input).map((j) => `${j.id}: ${j.line}`),
      session: this.attachedJob()?.line,
    };
  }

  onExit(fn: () => void): () => void {
    this.exitHandlers.push(fn);
    if (this.exited) fn();
    return () => (this.exitHandlers = this.exitHandlers.filter((f) => f !== fn));
  }

  // ---- lifecycle ----

  /** show the welcome (with the lesson list when asked) and open a lesson (or free mode when lessonId is undefined) */
  async start(lessonId?: string, opts: { welcome?: boolean } = {}): Promise<void> {
    const lang = this.app.o.lang;
    this.append([{ type: 'info', text: lang === 'zh' ? 'kube-tutor：输入 kubectl 命令；/help 查看导师命令，卡住时用 /hint；Ctrl-D 退出。' : 'kube-tutor: type kubectl commands; /help lists tutor commands, /hint when stuck; Ctrl-D quits.' }]);
    this.append(this.app.startupNotes());
    // `kube-tutor` with no arguments: the lessons and how far the learner got, then the one to resume
    if (opts.welcome) this.append(await this.app.input('/lessons'));
    if (lessonId) this.append(await this.app.engine.open(lessonId));
    else this.append([this.freeModeNote()]);
    this.starting = false;
    this.emit();
    // after the first frame (the screen renders in the same turn as this resolves)
    setTimeout(() => this.app.warmUp(), 0).unref?.();
    // the clock's speed joins the status line when the sandbox answers: the first frame does not
    // wait for that request (it would also wait for the control plane, which starts as the API answers)
    void this.refreshSpeed().then(() => {
      if (this.speed !== undefined && !this.exited) this.emit();
    });
    this.armHesitation();
    if ((this.o.recheckMs ?? 500) > 0) {
      this.timer = setInterval(() => void this.tick(), this.o.recheckMs ?? 500);
      this.timer.unref?.();
    }
  }

  /** stop timers, background jobs and completion watches */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.hesitateTimer) clearTimeout(this.hesitateTimer);
    this.timer = this.hesitateTimer = undefined;
    this.watch?.close();
    this.watch = undefined;
    this.o.completer?.close?.();
    this.app.close();
  }

  exit(): void {
    if (this.exited) return;
    this.exited = true;
    this.question?.answer(false);
    this.close();
    this.emit();
    for (const fn of this.exitHandlers) fn();
  }

  /** live output of a background command (TutorApp's onOutput) */
  output = (text: string): void => {
    if (!text) return;
    // whole lines go to the transcript; the rest waits for its newline (a shell's prompt shows at the prompt)
    const all = this.partial + text.replace(/\r\n/g, '\n').replace(/\r/g, '');
    const cut = all.lastIndexOf('\n');
    this.partial = all.slice(cut + 1);
    if (cut >= 0) this.append([{ type: 'stream', text: all.slice(0, cut + 1) }]);
    else this.emit();
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

  /** the sandbox clock's speed for the status line (one request, after the lines that may change it) */
  private async refreshSpeed(): Promise<void> {
    if (this.app.o.sandbox) this.speed = await this.app.clockSpeed().catch(() => this.speed);
  }

  /** periodic: let the step complete by itself as the cluster changes; refresh the status line */
  private async tick(): Promise<void> {
    if (this.exited) return;
    // a stream that ended without a final newline: its last line goes in the transcript now
    if (this.partial && !this.app.shell.background.length) this.flushPartial();
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
      if (this.waiting !== undefined || items.length) {
        const before = this.waiting;
        this.waiting = this.waiting === undefined ? undefined : await this.app.engine.waitingReason();
        if (items.length) this.armHesitation();
        if (before !== this.waiting) this.emit();
      }
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
    // typing on cancels the wait display (the step still completes when the cluster gets there)
    if (a.type === 'insert' || a.type === 'submit') this.waiting = undefined;
    if (this.search && this.searchKey(a)) {
      this.emit();
      return;
    }
    const L = this.line;
    switch (a.type) {
      case 'insert': this.line = ed.insert(L, a.text); break;
      case 'left': this.line = ed.left(L); break;
      case 'right': {
        const s = L.cursor === L.text.length ? this.snap.suggestion : undefined;
        this.line = s ? acceptSuggestion(L, s) : ed.right(L);
        break;
      }
      case 'home': this.line = ed.home(L); break;
      case 'end': {
        const s = L.cursor === L.text.length ? this.snap.suggestion : undefined;
        this.line = s ? acceptSuggestion(L, s) : ed.end(L);
        break;
      }
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
      case 'tab':
        if (!this.attachedJob()) void this.complete();
        return;
      case 'submit': this.submit(L.text); this.line = ed.EMPTY_LINE; break;
      case 'interrupt': this.interrupt(); break;
      case 'eof': {
        // Ctrl-D ends an interactive session's input (its shell exits), else the tutor
        const job = this.attachedJob();
        if (!job) return this.exit();
        job.input!.end();
        break;
      }
      case 'search': this.search = rs.beginSearch(L.text); break;
      case 'toggle-panel': this.panelChoice = !this.panelVisible(); break;
      case 'clear-screen':
      case 'escape':
        break;
    }
    this.emit();
    this.armHesitation();
  }

  /** a key during Ctrl-R search; false when the search ended and the key is for the editor */
  private searchKey(a: KeyAction): boolean {
    const history = this.history.list();
    const s = this.search!;
    switch (a.type) {
      case 'insert': this.search = rs.setQuery(history, s, s.query + a.text); return true;
      case 'backspace': this.search = rs.setQuery(history, s, s.query.slice(0, -1)); return true;
      case 'search': this.search = rs.older(history, s); return true;
      case 'escape':
      case 'interrupt':
        this.line = ed.lineOf(s.original);
        this.search = undefined;
        return true;
      case 'submit': {
        const match = rs.matchOf(history, s);
        this.search = undefined;
        this.line = ed.lineOf(match ?? s.original);
        return false;
      }
      default:
        // any other key takes the match into the editor and then does what it does there
        this.line = ed.lineOf(rs.matchOf(history, s) ?? s.original);
        this.search = undefined;
        return false;
    }
  }

  /** Ctrl-C: stop a streaming command, else clear the line, else (twice) quit */
  private interrupt(): void {
    if (this.question) {
      this.question.answer(false);
      return;
    }
    const jobs = this.app.shell.background;
    const attached = this.attachedJob();
    if (attached?.input?.tty && !this.exitArmed) {
      // a terminal session gets its own Ctrl-C; twice cuts the session off
      attached.input.write('\x03');
      this.exitArmed = true;
      this.notice = this.app.o.lang === 'zh' ? '再按一次 Ctrl-C 断开会话' : 'Press Ctrl-C again to cut the session off';
      return;
    }
    if (jobs.length) {
      const job = attached ?? jobs[jobs.length - 1]!;
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
    if (this.question) {
      const q = this.question;
      this.append([{ type: 'command', line: `${q.text} ${line}` }]);
      q.answer(/^y(es)?$/i.test(line));
      return;
    }
    this.history.push(line);
    const job = this.attachedJob();
    if (job) {
      // a line for the container: a terminal echoes it itself; without one it goes in the transcript here
      if (!job.input!.tty) this.output(`${this.partial ? '' : '> '}${text}\n`);
      job.input!.write(text + (job.input!.tty ? '\r' : '\n'));
      return;
    }
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
      // a lesson or /warp may have changed the clock's speed: read it after a line, not on a timer
      await this.refreshSpeed();
      // a namespace switch or a new kubeconfig shows in the panel at once
      this.watch?.sync();
    }
    this.running = false;
    if (!this.exited) this.emit();
    this.armHesitation();
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
    const [word, arg] = line.split(/\s+/);
    if (word === '/lang' || word === '/panel') return this.screenCommand(line, word, arg);
    this.correction = undefined;
    try {
      const items = await this.app.input(line);
      const job = this.attachedJob();
      if (job) this.follow(job);
      // tutor commands do not echo themselves in the engine; show what was asked
      const echo: ReplItem[] = line.startsWith('/') && !items.some((i) => i.type === 'command') ? [{ type: 'command', line }] : [];
      const extra: ReplItem[] = word === '/help' ? [{ type: 'info', text: SCREEN_HELP[this.app.o.lang] }] : [];
      this.append([...echo, ...this.afterItems(items), ...extra]);
      this.correction = items.find((i): i is Extract<TranscriptItem, { type: 'kubectl-hint' }> => i.type === 'kubectl-hint' && !!i.suggestion)?.suggestion;
      if (!line.startsWith('/')) this.waiting = await this.app.engine.waitingReason();
    } catch (e) {
      this.append([{ type: 'command', line }, { type: 'error', text: (e as Error).message }]);
    }
  }

  /** /lang and /panel: how the screen looks */
  private screenCommand(line: string, word: string, arg: string | undefined): void {
    const items: ReplItem[] = [{ type: 'command', line }];
    if (word === '/lang') {
      const next = arg === 'en' || arg === 'zh' ? arg : arg === undefined ? (this.app.o.lang === 'en' ? 'zh' : 'en') : undefined;
      if (!next) items.push({ type: 'error', text: this.app.o.lang === 'zh' ? '用法：/lang en|zh' : 'usage: /lang en|zh' });
      else {
        this.app.o.lang = next;
        this.app.engine.lang = next;
        items.push({ type: 'info', text: next === 'zh' ? '导师现在说中文。' : 'The tutor speaks English now.' });
      }
    } else {
      const next = arg === 'on' ? true : arg === 'off' ? false : arg === undefined ? !this.panelVisible() : undefined;
      if (next === undefined) items.push({ type: 'error', text: this.app.o.lang === 'zh' ? '用法：/panel [on|off]' : 'usage: /panel [on|off]' });
      else this.panelChoice = next;
    }
    this.append(items);
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
