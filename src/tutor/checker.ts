/**
 * The lesson checker: proves every lesson can be solved. For each lesson, on a fresh sandbox with a
 * manual clock: set it up, then for every step require the check to FAIL before the step, replay
 * the step's reference commands, let simulated time pass until the check passes (or give up), and
 * require it to PASS. Also: every manifest is accepted with strict validation, and every command of
 * the notes (lessons/notes-commands.yaml) is covered by a lesson or listed as out of scope.
 *
 * The sandbox is passed in (`startSandbox`), so this module does not depend on the sandbox code.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Session } from '../kubectl/session.js';
import { evaluate } from './checks.js';
import { parseRan, type RanCommand } from './commands.js';
import type { LessonSet } from './loader.js';
import { LessonRunner } from './runner.js';
import type { Lesson } from './schema.js';
import { TutorShell } from './shell.js';

/** what the checker needs from a sandbox: its kubeconfig and a way to move its clock */
export interface CheckSandbox {
  kubeconfig(): string;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface LessonReport {
  lesson: string;
  problems: string[];
  steps: Array<{ id: string; ok: boolean; simulatedMs: number }>;
}

/** how long (simulated) a step may take to reach its state after its commands */
const STEP_BUDGET_MS = 20 * 60_000;

export async function checkLesson(set: LessonSet, lesson: Lesson, startSandbox: () => Promise<CheckSandbox>): Promise<LessonReport> {
  const report: LessonReport = { lesson: lesson.id, problems: [], steps: [] };
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), `kt-check-${lesson.id}-`));
  const work = join(dir, 'work');
  mkdirSync(work);
  writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig(), { mode: 0o600 });
  const session = new Session({ env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') }, cwd: work, confirmDestructive: false, hints: false });
  const shell = new TutorShell(session);
  const runner = new LessonRunner(set, shell, 'default');
  try {
    await sandbox.advance(0);
    for (const p of await runner.setup(lesson)) report.problems.push(`setup: ${p}`);
    await sandbox.advance(1000);
    for (const step of lesson.steps) {
      const ran: RanCommand[] = [];
      const before = await evaluate(step.check, runner.checkContext(ran));
      if (before.ok) report.problems.push(`step ${step.id}: the check already passes before the step (${before.reason.en})`);
      for (const c of step.commands) {
        const filled = await runner.fill(c);
        if (/\{\{/.test(filled)) report.problems.push(`step ${step.id}: placeholder not filled in "${c}"`);
        // commands that wait for the cluster (delete waits out a grace period, rollout status …)
        // need simulated time to pass while they run
        const pending = shell.exec(filled);
        let finished = false;
        void pending.finally(() => (finished = true));
        for (let spent = 0; !finished && spent < STEP_BUDGET_MS; spent += 1000) {
          await new Promise((res) => setTimeout(res, 5));
          if (!finished) await sandbox.advance(1000);
        }
        const r = await pending;
        if (r.kind === 'kubectl' || r.kind === 'background') {
          const parsed = await parseRan(filled, r.exitCode, runner.client());
          if (parsed) ran.push(parsed);
        }
        await sandbox.advance(0);
      }
      let waited = 0;
      let result = await evaluate(step.check, runner.checkContext(ran));
      while (!result.ok && waited < STEP_BUDGET_MS) {
        const tick = waited < 60_000 ? 1000 : 10_000;
        await sandbox.advance(tick);
        waited += tick;
        result = await evaluate(step.check, runner.checkContext(ran));
      }
      report.steps.push({ id: step.id, ok: result.ok, simulatedMs: waited });
      if (!result.ok) {
        report.problems.push(`step ${step.id}: the check still fails after its commands and ${waited / 1000}s: ${result.reason.en}`);
        break;
      }
    }
  } finally {
    shell.stopAll();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** every manifest in lessons/manifests is accepted by the server with strict validation (dry run) */
export async function checkManifests(set: LessonSet, startSandbox: () => Promise<CheckSandbox>): Promise<string[]> {
  const problems: string[] = [];
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'kt-check-manifests-'));
  writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig(), { mode: 0o600 });
  const session = new Session({ env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') }, cwd: dir, confirmDestructive: false, hints: false });
  try {
    const client = session.client({});
    const mdir = join(set.dir, 'manifests');
    let files: string[] = [];
    try {
      files = readdirSync(mdir).filter((f) => /\.(ya?ml|json)$/.test(f));
    } catch {
      files = [];
    }
    // namespaces first, so namespaced objects that name them can be dry-run
    for (const f of files) {
      for (const doc of parseAllDocuments(readFileSync(join(mdir, f), 'utf8'), { version: '1.1' })) {
        const obj = doc.toJS();
        if (doc.errors.length) problems.push(`manifests/${f}: ${doc.errors[0]!.message}`);
        if (!obj || typeof obj !== 'object') continue;
        const r = await client.discovery.forKind(String(obj.apiVersion), String(obj.kind));
        if (!r) {
          if (!/typo|deliberate/i.test(f)) problems.push(`manifests/${f}: the server has no ${obj.apiVersion} ${obj.kind}`);
          continue;
        }
        if (obj.kind === 'Namespace') continue;
        try {
          await client.create(r, r.namespaced ? 'default' : undefined, { ...obj, metadata: { ...obj.metadata, namespace: r.namespaced ? 'default' : undefined } }, { dryRun: true, fieldValidation: 'Strict' });
        } catch (e) {
          if (!/typo|deliberate/i.test(f)) problems.push(`manifests/${f}: ${(e as Error).message}`);
        }
      }
    }
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

/** normalised for comparison: whitespace collapsed */
function norm(c: string): string {
  return c.trim().replace(/\s+/g, ' ');
}

/** the notes' commands no lesson covers and no outOfScope entry explains */
export function checkCoverage(set: LessonSet): string[] {
  let notes: string[] = [];
  try {
    notes = parse(readFileSync(join(set.dir, 'notes-commands.yaml'), 'utf8')) as string[];
  } catch (e) {
    return [`notes-commands.yaml: ${(e as Error).message}`];
  }
  const covered = new Set(set.lessons.flatMap((l) => (l.covers ?? []).map(norm)));
  const out = new Set(set.outOfScope.map((o) => norm(o.command)));
  return notes.filter((c) => !covered.has(norm(c)) && !out.has(norm(c))).map((c) => `not covered by any lesson nor listed as out of scope: ${c}`);
}
