/**
 * Progress survives a killed process: the built CLI runs a lesson in --plain mode, is killed with
 * SIGKILL right after a step completes, and the progress file it leaves is whole and has the step.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/tutor/progress.js';
import { KUBE_TUTOR_BIN, kubeTutorBuilt } from '../helpers/kubectl.js';

describe.skipIf(!kubeTutorBuilt())('progress and kill -9', () => {
  it('keeps every finished step', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kt-kill-'));
    try {
      const env = { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };
      const child = spawn(process.execPath, [KUBE_TUTOR_BIN, 'learn', 'cluster', '--plain', '--lang', 'en'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stdin.write('kubectl version\nkubectl cluster-info\n');
      const until = Date.now() + 30_000;
      while (!/✓ Step done: cluster-info/.test(out)) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no second step done:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const file = join(home, 'config', 'kube-tutor', 'progress.json');
      expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow();
      const p = new Progress({ cwd: join(home, 'config', 'kube-tutor'), context: 'sandbox' });
      expect(p.recovered).toBeUndefined();
      expect([...p.doneSteps('cluster')]).toEqual(expect.arrayContaining(['version', 'cluster-info']));
      // and the CLI reports it
      const cli = (args: string[]) =>
        new Promise<string>((resolve) => {
          const c = spawn(process.execPath, [KUBE_TUTOR_BIN, ...args, '--lang', 'en'], { env });
          let text = '';
          c.stdout.on('data', (d: Buffer) => (text += d.toString('utf8')));
          c.on('exit', () => resolve(text));
        });
      expect(await cli(['lessons'])).toMatch(/^cluster\s+in progress\s+/m);
      expect(await cli(['progress'])).toMatch(/^cluster\s+2\/\d+\s+in progress/m);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
