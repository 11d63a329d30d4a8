import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sandbox/clock.js';
import { runScript } from '../../../src/sandbox/kubelet/programs/shell.js';

function env(clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0))) {
  let out = '';
  const fs = new Map<string, string>();
  return {
    clock, fs, out: () => out,
    e: {
      fs, env: { FOO: 'bar' }, hostname: 'pod-1', now: () => clock.now(),
      sleep: (ms: number) => new Promise<void>((r) => { clock.after(ms, r); }),
      stdout: (t: string) => { out += t; }, stderr: (t: string) => { out += t; },
    },
  };
}

describe('shell model', () => {
  it('echo, variables, quoting, exit codes', async () => {
    const s = env();
    expect(await runScript(s.e, `echo "hello $FOO" 'it''s' $HOSTNAME; false || echo fallback; exit 3`)).toBe(3);
    expect(s.out()).toBe('hello bar its pod-1\nfallback\n');
  });

  it('date and command substitution in busybox format', async () => {
    const s = env();
    await runScript(s.e, 'echo "$(date) Batch job starting"');
    expect(s.out()).toBe('Fri Nov 27 12:00:00 UTC 2026 Batch job starting\n');
  });

  it('files, redirects and tests', async () => {
    const s = env();
    expect(await runScript(s.e, 'echo hi > /tmp/a; echo there >> /tmp/a; cat /tmp/a; [ -f /tmp/a ] && rm /tmp/a; cat /tmp/a')).toBe(1);
    expect(s.out()).toBe("hi\nthere\ncat: can't open '/tmp/a': No such file or directory\n");
  });

  it('loops with sleep run on the clock', async () => {
    const s = env();
    const p = runScript(s.e, 'for i in 1 2; do echo $i; done; while true; do echo tick; sleep 5; done');
    await s.clock.advance(12_000);
    expect(s.out()).toBe('1\n2\ntick\ntick\ntick\n');
    void p;
  });

  it('unknown commands', async () => {
    const s = env();
    expect(await runScript(s.e, 'frobnicate')).toBe(127);
    expect(s.out()).toBe('sh: frobnicate: not found\n');
  });
});
