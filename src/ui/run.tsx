/** Mount the tutor screen on the terminal and resolve when the learner quits. */
import { render } from 'ink';
import type { ReplController } from '../app/repl.js';
import { TutorScreen } from './App.js';

export async function runScreen(controller: ReplController): Promise<void> {
  const ink = render(<TutorScreen controller={controller} />, { exitOnCtrlC: false, patchConsole: false });
  // The handlers stay for the rest of the process: Ink's signal-exit re-raises the signal when it
  // counts only its own listeners, and that second signal must not find the default action (death
  // by SIGTERM, exit 143) while the tutor is still closing the sandbox. exit() is idempotent.
  const stop = () => controller.exit();
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  try {
    await ink.waitUntilExit();
  } finally {
    controller.close();
    ink.cleanup();
  }
}
