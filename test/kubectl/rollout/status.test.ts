import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../../src/kubectl/client/api.js';
import { deploymentStatus, statusViewerFor, waitForRollout, type ObjectSource } from '../../../src/kubectl/cmd/rollout/status.js';

const dep = (st: Record<string, number>, gen = 2, replicas = 3) => ({
  metadata: { name: 'kubia', generation: gen, resourceVersion: String(Math.random()).slice(2, 8), annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: { replicas },
  status: { observedGeneration: 2, ...st },
});

/** a list answer, then the given watch events (then the watch blocks until aborted) */
function fakeSource(listed: any[], events: WatchEvent[]): ObjectSource & { watches: number } {
  const src = {
    watches: 0,
    async list() {
      return { items: listed, resourceVersion: '10' };
    },
    async watch(_rv: string | undefined, onEvent: (ev: WatchEvent) => boolean, signal: AbortSignal) {
      src.watches++;
      for (const ev of events.splice(0)) if (onEvent(ev)) return;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
  return src;
}

describe('rollout status', () => {
  it('prints kubectl progress lines', () => {
    expect(deploymentStatus(dep({ updatedReplicas: 1, replicas: 3 }), 0).text).toBe('Waiting for deployment "kubia" rollout to finish: 1 out of 3 new replicas have been updated...\n');
    expect(deploymentStatus(dep({ updatedReplicas: 3, replicas: 4 }), 0).text).toBe('Waiting for deployment "kubia" rollout to finish: 1 old replicas are pending termination...\n');
    expect(deploymentStatus(dep({ updatedReplicas: 3, replicas: 3, availableReplicas: 1 }), 0).text).toBe('Waiting for deployment "kubia" rollout to finish: 1 of 3 updated replicas are available...\n');
    expect(deploymentStatus(dep({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), 0)).toEqual({ text: 'deployment "kubia" successfully rolled out\n', done: true });
    expect(deploymentStatus(dep({}, 3), 0).text).toBe('Waiting for deployment spec update to be observed...\n');
    expect(() => deploymentStatus(dep({}), 1)).toThrow('desired revision (1) is different from the running revision (2)');
    expect(() => statusViewerFor('', 'ReplicationController')).toThrow('no status viewer has been implemented for ReplicationController');
  });

  it('waits through watch events until the rollout is done', async () => {
    const src = fakeSource(
      [dep({ updatedReplicas: 1, replicas: 3 })],
      [
        { type: 'MODIFIED', object: dep({ updatedReplicas: 3, replicas: 3, availableReplicas: 1 }) },
        { type: 'MODIFIED', object: dep({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 }) },
      ],
    );
    let out = '';
    const ok = await waitForRollout(src, deploymentStatus, { revision: 0, watch: true, timeoutMs: 0, write: (s) => (out += s) });
    expect(ok).toBe(true);
    expect(out).toBe(
      'Waiting for deployment "kubia" rollout to finish: 1 out of 3 new replicas have been updated...\n' +
        'Waiting for deployment "kubia" rollout to finish: 1 of 3 updated replicas are available...\n' +
        'deployment "kubia" successfully rolled out\n',
    );
  });

  it('prints once without --watch, times out, and fails on deletion', async () => {
    let out = '';
    expect(await waitForRollout(fakeSource([dep({ updatedReplicas: 1 })], []), deploymentStatus, { revision: 0, watch: false, timeoutMs: 0, write: (s) => (out += s) })).toBe(true);
    expect(out).toContain('1 out of 3');
    expect(await waitForRollout(fakeSource([dep({ updatedReplicas: 1 })], []), deploymentStatus, { revision: 0, watch: true, timeoutMs: 50, write: () => {} })).toBe(false);
    await expect(
      waitForRollout(fakeSource([dep({ updatedReplicas: 1 })], [{ type: 'DELETED', object: dep({}) }]), deploymentStatus, { revision: 0, watch: true, timeoutMs: 0, write: () => {} }),
    ).rejects.toThrow('object has been deleted');
  });
});
