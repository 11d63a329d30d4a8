/** A fresh in-process sandbox on a manual clock, as the lesson checker needs it. */
import { ManualClock } from './sandbox/clock.js';
import { startSandbox } from './sandbox/sandbox.js';
import type { CheckSandbox } from './tutor/checker.js';

export async function checkSandbox(): Promise<CheckSandbox> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 0, 0));
  const sandbox = await startSandbox({ nodes: 3, clock, seed: 42 });
  return {
    kubeconfig: () => sandbox.kubeconfig(),
    advance: async (ms) => {
      if (ms) await clock.advance(ms);
      await clock.settle();
    },
    close: () => sandbox.close(),
  };
}
