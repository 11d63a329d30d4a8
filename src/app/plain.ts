/**
 * The plain-text driver (`kube-tutor learn <id> --plain`, `kube-tutor sandbox --plain`): reads commands and /tutor commands from
 * stdin, one per line, prints the transcript. After each line it lets the cluster catch up (the
 * step's check is re-evaluated as the cluster changes) before reading the next one.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { renderText } from './render-text.js';
import type { TutorApp } from './tutor-app.js';
import type { TranscriptItem } from '../tutor/transcript.js';

export interface PlainOptions {
  input: Readable;
  output: Writable;
  /** wall milliseconds to wait for a step to complete after a command (default 4000) */
  settleMs?: number;
  /** poll interval (default 100 ms) */
  pollMs?: number;
  /**
   * A simulated clock to drive instead of waiting on the wall clock (tests, the lesson checker's
   * sandbox): time moves while a command runs and while a step waits for the cluster.
   */
  clock?: { advance(ms: number): Promise<void> };
}

/** simulated time a step may wait for the cluster under a driven clock */
const DRIVEN_BUDGET_MS = 20 * 60_000;
/** …and gives up once the step's reason has not changed for this long (simulated) */
const STABLE_MS = 180_000;

/** a lesson, or free mode when lessonId is undefined (commands just run; exits 0 at the end of input) */
export async function runPlain(app: TutorApp, lessonId: string | undefined, o: PlainOptions): Promise<number> {
  const write = (items: TranscriptItem[]) => {
    for (const item of items) o.output.write(renderText(item, app.o.lang));
  };
  write(app.startupNotes());
  if (lessonId !== undefined) {
    write(await app.engine.open(lessonId));
    if (!app.engine.lesson) return 1;
  }
  const rl = createInterface({ input: o.input, crlfDelay: Infinity, terminal: false });
  let finished = false;
  for await (const line of rl) {
    if (!line.trim()) continue;
    if (line.trim() === '/quit' || line.trim() === '/exit') break;
    const before = `${app.engine.lesson?.id}:${app.engine.stepIndex}`;
    const pending = app.input(line);
    if (o.clock) {
      // commands that wait for the cluster (delete's grace period, rollout status) need time to pass
      let done = false;
      void pending.finally(() => (done = true));
      for (let spent = 0; !done && spent < DRIVEN_BUDGET_MS; spent += 1000) {
        await new Promise((r) => setTimeout(r, 5));
        if (!done) await o.clock.advance(1000);
      }
    }
    const items = await pending;
    write(items);
    if (items.some((i) => i.type === 'lesson-done')) {
      finished = true;
      break;
    }
    const stateStep = app.engine.step && !('ran' in app.engine.step.check);
    if (`${app.engine.lesson?.id}:${app.engine.stepIndex}` === before && stateStep && !line.trim().startsWith('/')) {
      // let the cluster catch up: the check passes by itself when the state arrives
      const deadline = Date.now() + (o.settleMs ?? 4000);
      let simulated = 0;
      let lastReason = '';
      let stableFor = 0;
      while (o.clock ? simulated < DRIVEN_BUDGET_MS && stableFor < STABLE_MS : Date.now() < deadline) {
        if (o.clock) {
          const tick = simulated < 60_000 ? 1000 : 10_000;
          await o.clock.advance(tick);
          simulated += tick;
          // a check whose reason stops changing is waiting for the learner, not for the cluster
          const reason = await app.engine.currentReason();
          stableFor = reason === lastReason ? stableFor + tick : 0;
          lastReason = reason;
        } else await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
        const more = await app.engine.recheck();
        if (more.length) {
          write(more);
          if (more.some((i) => i.type === 'lesson-done')) finished = true;
          break;
        }
      }
      if (finished) break;
    }
  }
  rl.close();
  app.close();
  return finished || lessonId === undefined ? 0 : 2;
}
