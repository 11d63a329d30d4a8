/** Mount the tutor screen on the terminal and resolve when the learner quits. */
import { render } from 'ink';
import type { ReplController } from '../app/repl.js';
import { TutorScreen } from './App.js';

export async function runScreen(controller: ReplController): Promise<void> {
  const ink = render(<TutorScreen controller={controller} />, { exitOnCtrlC: false, patchConsole: false });
  const stop = () => controller.exit();
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  try {
    await ink.waitUntilExit();
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGHUP', stop);
    controller.close();
    ink.cleanup();
  }
}
