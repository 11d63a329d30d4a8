/** The sandbox clock's speed can change while it runs (lessons set their own), through its control API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../src/sandbox/clock.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { request } from 'node:https';

describe('clock speed', () => {
  it('changes speed without a jump in time', () => {
    const c = new ScaledClock(1);
    const before = c.now();
    c.setSpeed(100);
    const after = c.now();
    expect(after - before).toBeGreaterThanOrEqual(0);
    expect(after - before).toBeLessThan(1000);
    expect(c.currentSpeed).toBe(100);
    expect(() => c.setSpeed(0)).toThrow();
    c.stop();
  });

  describe('through /sandbox/v1/time', () => {
    let s: Sandbox;
    beforeAll(async () => {
      s = await startSandbox({ nodes: 1, speed: 2 });
    });
    afterAll(async () => s?.close());
    const call = (method: string, path: string) =>
      new Promise<{ code: number; body: any }>((resolve, reject) => {
        const req = request(`${s.url}${path}`, { method, ca: s.credentials.caCert, headers: { Authorization: `Bearer ${s.token}` } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.end();
      });
    it('reports, sets and validates the speed', async () => {
      expect((await call('GET', '/sandbox/v1/time')).body.speed).toBe(2);
      expect((await call('POST', '/sandbox/v1/time?speed=60')).body.speed).toBe(60);
      expect((await call('GET', '/sandbox/v1/time')).body.speed).toBe(60);
      expect((await call('POST', '/sandbox/v1/time?speed=-1')).code).toBe(400);
    });
  });
});
