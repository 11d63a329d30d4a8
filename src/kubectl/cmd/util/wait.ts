/** Small timing helpers for commands that wait (scale --timeout, rollout status --timeout). */

import { sleep } from '../../stream/util.js';

export { sleep };

/** poll `cond` every `intervalMs` (first check at once) until true (→ true) or `timeoutMs` passed (→ false) */
export async function waitUntil(cond: () => Promise<boolean>, intervalMs: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() + intervalMs > deadline || signal?.aborted) return false;
    await sleep(intervalMs, signal);
  }
}
