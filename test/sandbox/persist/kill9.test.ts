/**
 * Real crash test: a child process appends from several concurrent clients, printing every
 * acknowledged rv; it is SIGKILLed mid-flight; the state dir is reopened and must contain every
 * acknowledged record. Repeated on the same dir, so recovery (torn tail, stale lock, half-done
 * compaction) is itself exercised by the following rounds.
 *
 * Pass/fail never depends on timing: the kill delays only vary where the crash lands; the only
 * assertions are "loads", "the state is exactly some prefix of the append sequence", and
 * "that prefix contains every acked record".
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateLog } from '../../../src/sandbox/persist/index.js';
import { expectedState } from './fixtures/kill9-workload.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

let script: string;

beforeAll(async () => {
  const out = tempDir('kt-kill9-bundle-');
  script = join(out, 'kill9-writer.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/kill9-writer.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
});

afterAll(() => cleanupTempDirs());

interface Round {
  acked: number[];
  readyRv: number;
  stderr: string;
}

/** Runs the writer until `killAfterMs` after its first ack, then SIGKILLs it. */
function runAndKill(dir: string, killAfterMs: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir, '8'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000); // never acked: fail below
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!timer && out.includes('ack ')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited (${code}/${signal}): ${stderr}`));
      // only complete lines count: a line cut by the kill was not fully printed
      const lines = out.slice(0, out.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
      const ready = lines.find((l) => l.startsWith('ready '));
      resolve({
        readyRv: ready ? Number(ready.slice(6)) : -1,
        acked: lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4))),
        stderr,
      });
    });
  });
}

describe('kill -9', () => {
  it('never loses an acknowledged write and always reloads', { timeout: 120_000 }, async () => {
    const dir = join(tempDir('kt-kill9-'), 'state');
    let lastRv = 0;
    let totalAcked = 0;
    for (const killAfterMs of [50, 120, 200, 250, 300, 80]) {
      const round = await runAndKill(dir, killAfterMs);
      expect(round.stderr).toBe('');
      expect(round.readyRv).toBe(lastRv); // the child saw the state we verified last round
      expect(round.acked.length).toBeGreaterThan(0);
      totalAcked += round.acked.length;

      const { log, loaded } = StateLog.open(dir); // takes over the dead child's lock
      const maxAcked = Math.max(...round.acked);
      expect(loaded.lastRv).toBeGreaterThanOrEqual(maxAcked);
      // exactly the state after records 1..lastRv: a prefix of the append order, nothing torn
      const want = expectedState(loaded.lastRv);
      expect(loaded.objects.size).toBe(want.size);
      for (const [key, o] of want) expect(loaded.objects.get(key), key).toEqual(o);
      lastRv = loaded.lastRv;
      await log.close();
    }
    expect(totalAcked).toBeGreaterThan(6);
  });
});
