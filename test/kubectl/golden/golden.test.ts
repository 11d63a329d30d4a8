/**
 * Acceptance 1 and 2 of "our own kubectl": for every case in cases.ts, real kubectl (1.33) on one
 * sandbox and ours on an identical one print the same stdout, stderr and exit code. Each case gets
 * a fresh pair of sandboxes (same seed, same simulated time), so cases never depend on each other.
 * The suite runs twice: a default variant and one with other nodes and another namespace in the
 * kubeconfig. Skips (with a message) when no real kubectl is found.
 */
import { describe, expect, it } from 'vitest';
import { findKubectlBinaries, kubectlBinDir } from '../../helpers/kubectl.js';
import { CASES } from './cases/index.js';
import { GoldenPair, type GoldenVariant } from './harness.js';

const [bin] = findKubectlBinaries(['1.33']);
if (!bin) console.warn(`[golden] skipped: no kubectl.1.33 found (looked in ${kubectlBinDir() ?? 'PATH'})`);

const VARIANTS: Array<GoldenVariant & { sample: number }> = [
  { name: 'default namespace, 2 nodes', nodes: 2, namespace: 'default', seed: 7, sample: 1 },
  // every case again with other nodes and another namespace; `npm test` samples every 3rd case to
  // stay inside CI's time budget, GOLDEN_FULL=1 runs them all
  { name: 'namespace team-a, 3 nodes', nodes: 3, namespace: 'team-a', seed: 11, sample: process.env.GOLDEN_FULL ? 1 : 3 },
];

for (const variant of VARIANTS) {
  describe.skipIf(!bin).concurrent(`golden: ours vs kubectl 1.33 (${variant.name})`, () => {
    for (const c of CASES.filter((_, i) => i % variant.sample === 0)) {
      it(c.cmd, async () => {
        const pair = await GoldenPair.start(bin!, variant);
        try {
          for (const [name, content] of Object.entries(c.files ?? {})) pair.writeFile(name, content);
          if (c.setup) await pair.setup(c.setup);
          if (c.advance) await pair.settle(c.advance);
          const { real, ours } = await pair.compare(c.cmd, c.stdin, c.env);
          expect({ cmd: c.cmd, ...ours }).toEqual({ cmd: c.cmd, ...real });
          if (c.advanceAfter) await pair.settle(c.advanceAfter);
          // the effect on the cluster must be the same too: real kubectl reads both clusters
          for (const check of c.then ?? []) {
            const after = await pair.readBoth(check);
            expect({ check, ...after.ours }).toEqual({ check, ...after.real });
          }
        } finally {
          await pair.close();
        }
      });
    }
  });
}
