/**
 * End to end: the built binary in a pseudo-terminal (util-linux `script`), the way a learner runs
 * it: `kube-tutor sandbox` (free mode on the embedded sandbox) draws its screen, runs a kubectl line
 * typed before the prompt was even drawn (the terminal is raw from the start), shows the nodes, and
 * quits on Ctrl-D. Skips when `script` or the build is missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBE_TUTOR_BIN, kubeTutorBuilt } from '../helpers/kubectl.js';

const haveScript = existsSync('/usr/bin/script');

describe.skipIf(!haveScript || !kubeTutorBuilt())('kube-tutor in a pseudo-terminal', () => {
  it('draws, runs `get nodes` typed while it started, and quits on Ctrl-D', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kt-pty-'));
    const env: Record<string, string> = { ...(process.env as Record<string, string>), XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), TERM: 'xterm-256color', LANG: 'en_US.UTF-8', COLUMNS: '120', LINES: '40' };
    delete env.CI;
    const child = spawn('script', ['-qfec', `${process.execPath} ${KUBE_TUTOR_BIN} sandbox`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const plain = () => out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\x1b\][^\x07]*\x07/g, '');
    const waitFor = async (re: RegExp, ms = 30_000) => {
      const until = Date.now() + ms;
      while (!re.test(plain())) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${re} in:\n${plain().slice(-2000)}`);
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${plain().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      // typed before anything is drawn, while the sandbox boots: the keys wait for the prompt
      child.stdin.write('kubectl get nodes\r');
      await waitFor(/sandbox/);
      await waitFor(/kube-tutor-control-plane\s+Ready/);
      expect(plain()).toMatch(/kube-tutor-worker\s+Ready/);
      child.stdin.write('\x04');
      expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))])).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });
});
