/**
 * The plain-text driver (`kube-tutor learn <id> --plain`): reads commands and /tutor commands from
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
}

export async function runPlain(app: TutorApp, lessonId: string, o: PlainOptions): Promise<number> {
  const write = (items: TranscriptItem[]) => {
    for (const item of items) o.output.write(renderText(item, app.o.lang));
  };
  write(app.startupNotes());
  write(await app.engine.open(lessonId));
  if (!app.engine.lesson) return 1;
  const rl = createInterface({ input: o.input, crlfDelay: Infinity, terminal: false });
  let finished = false;
  for await (const line of rl) {
    if (!line.trim()) continue;
    if (line.trim() === '/quit' || line.trim() === '/exit') break;
    const before = `${app.engine.lesson?.id}:${app.engine.stepIndex}`;
    const items = await app.input(line);
    write(items);
    if (items.some((i) => i.type === 'lesson-done')) {
      finished = true;
      break;
    }
    const stateStep = app.engine.step && !('ran' in app.engine.step.check);
    if (`${app.engine.lesson?.id}:${app.engine.stepIndex}` === before && stateStep && !line.trim().startsWith('/')) {
      // let the cluster catch up: the check passes by itself when the state arrives
      const deadline = Date.now() + (o.settleMs ?? 4000);
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
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
  return finished ? 0 : 2;
}
