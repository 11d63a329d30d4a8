/**
 * `controllers: 'soon'` (the tutor's embedded sandbox): the API answers as soon as startSandbox
 * resolves, the controllers and kubelets start (their module loaded) once the event loop turns, and a sandbox
 * closed before that never starts them.
 */
import { describe, expect, it, vi } from 'vitest';
import { startTestSandbox } from '../helpers/sandbox.js';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe("startSandbox({ controllers: 'soon' })", () => {
  it('answers at once and starts the control plane on the next turn', async () => {
    const t = await startTestSandbox({ controllers: 'soon' });
    try {
      expect(t.sandbox.kubelets).toBeUndefined();
      expect((await t.call('GET', '/api/v1/nodes')).code).toBe(200);
      await vi.waitFor(() => expect(t.sandbox.kubelets).toBeDefined());
    } finally {
      await t.close();
    }
  });

  it('never starts them when closed first', async () => {
    const t = await startTestSandbox({ controllers: 'soon' });
    await t.close();
    await nextTurn();
    // the control plane's module may have been loading: give it time to (not) start
    await import('../../src/sandbox/control-plane.js');
    await nextTurn();
    expect(t.sandbox.kubelets).toBeUndefined();
  });
});
