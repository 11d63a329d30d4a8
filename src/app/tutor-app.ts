/**
 * The tutor session without a UI: connects to a cluster (the embedded sandbox, started by the
 * caller, or any kubeconfig), loads lessons and progress, and turns input lines into transcript
 * items through the engine. The Ink UI and the plain driver sit on top of this.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCommands } from '../kubectl/commands.js';
import { Session } from '../kubectl/session.js';
import { TutorEngine } from '../tutor/engine.js';
import { loadLessons, type LessonSet } from '../tutor/loader.js';
import { Progress } from '../tutor/progress.js';
import type { Lang } from '../tutor/schema.js';
import { TutorShell } from '../tutor/shell.js';
import type { TranscriptItem } from '../tutor/transcript.js';

export interface TutorAppOptions {
  /** kubeconfig file of the cluster to use */
  kubeconfig: string;
  /** its context to use (default: the current context) */
  context?: string;
  /** notes about the cluster choice, shown when the session starts */
  notes?: string[];
  /** true for the embedded sandbox: no confirmations, sandbox powers available */
  sandbox: boolean;
  lang: Lang;
  /** where learner files go (manifests copied by lessons) */
  workDir: string;
  /** progress file directory (default: the per-user config dir) */
  progressDir?: string;
  lessonsDir?: string;
  /** ask the learner (real clusters, destructive commands) */
  confirm?: (question: string) => Promise<boolean>;
  env?: Record<string, string | undefined>;
}

/** the language from the locale (LC_ALL, LC_MESSAGES, LANG): zh* → Chinese, else English */
export function localeLang(env: Record<string, string | undefined> = process.env): Lang {
  const loc = env.LC_ALL || env.LC_MESSAGES || env.LANG || Intl.DateTimeFormat().resolvedOptions().locale || '';
  return /^zh/i.test(loc) ? 'zh' : 'en';
}

export class TutorApp {
  readonly session: Session;
  readonly shell: TutorShell;
  readonly set: LessonSet;
  readonly progress: Progress;
  readonly engine: TutorEngine;

  constructor(readonly o: TutorAppOptions, onOutput?: (text: string) => void) {
    mkdirSync(o.workDir, { recursive: true });
    this.session = new Session({
      env: { ...(o.env ?? process.env), KUBECONFIG: o.kubeconfig },
      cwd: o.workDir,
      confirmDestructive: !o.sandbox,
      confirm: o.confirm,
    });
    this.session.defaultContext = o.context;
    this.shell = new TutorShell(this.session, { onOutput: onOutput ? (text, _s, job) => job && onOutput(text) : undefined, interactive: !!onOutput });
    this.set = loadLessons(o.lessonsDir);
    const context = o.sandbox ? 'sandbox' : this.session.client({}).contextName;
    this.progress = new Progress({ cwd: o.progressDir, context });
    const namespace = o.sandbox ? 'default' : undefined;
    this.engine = new TutorEngine({ set: this.set, shell: this.shell, lang: o.lang, progress: this.progress, namespace, sandbox: o.sandbox });
  }

  /** items to show when the app starts: a recovered progress file, the lesson to resume */
  startupNotes(): TranscriptItem[] {
    const items: TranscriptItem[] = [];
    for (const text of this.o.notes ?? []) items.push({ type: 'info', text });
    if (this.progress.recovered) items.push({ type: 'error', text: `The progress file could not be read and was replaced (a copy is at ${this.progress.recovered}).` });
    return items;
  }

  /** the sandbox clock's speed (undefined on clusters that are not a kube-tutor sandbox) */
  async clockSpeed(): Promise<number | undefined> {
    const r = await this.session.client({}).rest.raw('/sandbox/v1/time');
    const speed = r.status === 200 ? r.json().speed : undefined;
    return typeof speed === 'number' ? speed : undefined;
  }

  input(line: string): Promise<TranscriptItem[]> {
    return this.engine.input(line);
  }

  /** load our kubectl's commands now (they load on first use), so the learner's first line does not wait for them */
  warmUp(): void {
    loadCommands().catch(() => undefined);
  }

  close(): void {
    this.shell.stopAll();
  }
}

export function defaultWorkDir(dataDir: string): string {
  return join(dataDir, 'work');
}
