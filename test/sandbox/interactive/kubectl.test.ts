/**
 * REAL kubectl (1.27: SPDY; 1.33: websocket v5) against the sandbox with its simulated kubelets:
 * `run --rm -i`, `exec -i … sh`, `attach`, and `exec -it … sh` through a pty (`script` from
 * util-linux). Skipped without the versioned kubectl binaries. Assertions wait for output, never
 * for an amount of time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKubectlBinaries, startKubectlEnv, type KubectlEnv } from '../../helpers/kubectl.js';

const binaries = findKubectlBinaries(['1.27', '1.33']);
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const SLOW = { timeoutMs: 60_000 };

async function waitReady(k: KubectlEnv, pod: string): Promise<void> {
  await k.ok(['wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=60s'], SLOW);
}

/**
 * Run kubectl inside a pty; `steps` write input once the screen shows what they wait for. A step
 * with `until` is re-sent (every 500 ms) until that text shows: input typed before kubectl has
 * attached can be lost, which is why kubectl says "If you don't see a command prompt, try pressing enter."
 */
function inPty(k: KubectlEnv, args: string[], steps: { after: string; send: string; until?: string }[]): Promise<{ code: number | null; screen: string }> {
  const cmd = [k.bin.path, `--cache-dir=${k.cacheDir}`, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qefc', cmd, '/dev/null'], { env: { ...process.env, KUBECONFIG: k.kubeconfigPath, TERM: 'dumb' }, stdio: 'pipe' });
  let screen = '';
  let step = 0;
  let from = 0;
  const hardKill = setTimeout(() => child.kill('SIGKILL'), 50_000);
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    screen += d;
    while (step < steps.length) {
      const at = screen.indexOf(steps[step].after, from);
      if (at < 0) break;
      from = at + steps[step].after.length;
      const st = steps[step];
      child.stdin.write(st.send);
      if (st.until) {
        const until = st.until;
        const mark = screen.length;
        const again = setInterval(() => {
          if (screen.indexOf(until, mark) >= 0 || child.exitCode !== null) clearInterval(again);
          else child.stdin.write(st.send);
        }, 500);
      }
      step++;
    }
  });
  child.stderr.on('data', (d: Buffer) => { screen += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code) => {
    clearTimeout(hardKill);
    resolve({ code, screen });
  }));
}

describe.skipIf(binaries.length === 0)('interactive kubectl against the simulated kubelets', () => {
  for (const bin of binaries) {
    describe(`kubectl ${bin.version}`, () => {
      let k: KubectlEnv;
      beforeAll(async () => {
        k = await startKubectlEnv(bin);
        await k.ok(['run', 'bb', '--image=busybox', '--restart=Never', '--', 'sleep', '3600']);
        await k.ok(['run', 'ticker', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'while true; do echo tick; sleep 1; done']);
        await waitReady(k, 'bb');
        await waitReady(k, 'ticker');
      });
      afterAll(async () => {
        await k?.close();
      });

      it('run --rm -i --restart=Never -- echo hi: output through the attach, then the pod is deleted', async () => {
        const r = await k.run(['run', 'tmp', '--image=busybox', '--rm', '-i', '--restart=Never', '--', 'echo', 'hi'], SLOW);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe('hi\npod "tmp" deleted\n');
        expect(r.stderr).not.toContain("couldn't attach");
        expect((await k.run(['get', 'pod', 'tmp'])).code).toBe(1);
      });

      it('run --rm -i -- sh reads the commands piped in and exits with their status', async () => {
        const r = await k.run(['run', 'shtmp', '--image=busybox', '--rm', '-i', '--restart=Never', '--', 'sh'], { ...SLOW, stdin: 'echo one\nexit 3\n' });
        expect(r.stdout).toContain('one\n');
        expect(r.stdout).toContain('pod "shtmp" deleted');
        expect(r.code).toBe(3);
      });

      it('exec -i POD -- sh runs stdin lines and exits with `exit 3`', async () => {
        const r = await k.run(['exec', '-i', 'bb', '--', 'sh'], { stdin: 'echo hello\nexit 3\n' });
        expect(r.stdout).toBe('hello\n');
        expect(r.stderr).toContain('command terminated with exit code 3');
        expect(r.code).toBe(3);
      });

      it('attach shows the main process\'s output as it comes', async () => {
        const a = k.spawn(['attach', 'ticker']);
        try {
          await a.waitFor(/tick\n(.|\n)*tick\n/, 30_000);
        } finally {
          await a.kill();
        }
      });

      it.skipIf(!hasScript)('exec -it POD -- sh: prompt, echo, command, exit code', async () => {
        const r = await inPty(k, ['exec', '-it', 'bb', '--', 'sh'], [
          { after: '/ # ', send: 'hostname\r' },
          { after: 'bb\r\n/ # ', send: 'exit 4\r' },
        ]);
        expect(r.screen).toContain('/ # hostname\r\nbb\r\n/ # exit 4');
        expect(r.code).toBe(4);
      });

      it.skipIf(!hasScript)('run -it --rm -- sh: an interactive busybox shell, deleted after exit', async () => {
        const r = await inPty(k, ['run', '-it', '--rm', 'shell', '--image=busybox', '--restart=Never', '--', 'sh'], [
          { after: 'pressing enter', send: '\r', until: '/ # ' },
          { after: '/ # ', send: 'echo $HOSTNAME\r' },
          { after: 'shell\r\n/ # ', send: 'exit\r' },
        ]);
        expect(r.screen).toContain('/ # echo $HOSTNAME\r\nshell\r\n');
        expect(r.screen).toContain('pod "shell" deleted');
        expect(r.code).toBe(0);
      });
    });
  }
});
