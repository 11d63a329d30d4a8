import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sandbox/clock.js';
import { createSession, runScript } from '../../../src/sandbox/kubelet/programs/shell.js';

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

  it('pipes: grep, head, tail, wc, sort read the previous stage', async () => {
    const s = env();
    s.fs.set('/tmp/f', 'b\na\nc\n');
    expect(await runScript(s.e, 'cat /tmp/f | sort | head -n 2; cat /tmp/f | grep -v a | wc -l; echo x | grep -q y || echo no; tail -1 < /tmp/f')).toBe(0);
    expect(s.out()).toBe('a\nb\n2\nno\nc\n');
  });

  it('a session keeps cwd, variables, exports and $? between lines', async () => {
    const s = env();
    s.fs.set('/data/x.txt', 'hello\n');
    const sh = createSession({ ...s.e, env: { HOME: '/root', FOO: 'bar' } });
    expect(await sh.run('cd /data')).toEqual({ status: 0 });
    expect(sh.cwd).toBe('/data');
    await sh.run('cat x.txt; ls; V=1; export W=2');
    expect(sh.vars).toMatchObject({ V: '1', W: '2' });
    await sh.run('false');
    await sh.run('echo $? $V $PWD; env | grep -c W=2; pwd');
    expect(await sh.run('cd ..; cd nope')).toEqual({ status: 2 });
    expect(await sh.run('cd; pwd; exit 5')).toEqual({ status: 5, exited: 5 });
    expect(s.out()).toBe('hello\nx.txt\n1 1 /data\n1\n/data\nsh: cd: can\'t cd to nope: No such file or directory\n/root\n');
  });

  it('whoami, id, uname, ps, ls of / and /etc', async () => {
    const s = env();
    s.fs.set('/etc/hosts', '127.0.0.1 localhost\n');
    await runScript({ ...s.e, mainArgv: ['sleep', '3600'], kernel: '6.8.0-60-generic' }, 'whoami; id; id -u; uname -r; ps; ls /etc');
    expect(s.out()).toBe('root\nuid=0(root) gid=0(root) groups=0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)\n0\n6.8.0-60-generic\n'
      + 'PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n   11 root      0:00 ps\ngroup\nhosts\npasswd\n');
  });
});
