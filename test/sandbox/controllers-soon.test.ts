/**
 * `controllers: 'soon'` (the tutor's embedded sandbox): the API answers as soon as startSandbox
 * resolves, the controllers and kubelets start on the next turn of the event loop, and a sandbox
 * closed before that never starts them.
 */
import { describe, expect, it } from 'vitest';
import { startTestSandbox } from '../helpers/sandbox.js';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe("startSandbox({ controllers: 'soon' })", () => {
  it('answers at once and starts the control plane on the next turn', async () => {
    const t = await startTestSandbox({ controllers: 'soon' });
    try {
      expect(t.sandbox.kubelets).toBeUndefined();
      expect((await t.call('GET', '/api/v1/nodes')).code).toBe(200);
      await nextTurn();
      expect(t.sandbox.kubelets).toBeDefined();
    } finally {
      await t.close();
    }
  });

  it('never starts them when closed first', async () => {
    const t = await startTestSandbox({ controllers: 'soon' });
    await t.close();
    await nextTurn();
    expect(t.sandbox.kubelets).toBeUndefined();
  });
});
