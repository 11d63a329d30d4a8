import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sandbox/clock.js';
import { procTable, runArgv, runScript, type ShellEnv } from '../../../src/sandbox/kubelet/programs/index.js';
import { startKubeletSandbox, type KT } from './helpers.js';

function env(extra: Partial<ShellEnv> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  let out = '';
  let err = '';
  const fs = new Map<string, string>();
  const e: ShellEnv = {
    fs, env: {}, hostname: 'pod-1', now: () => clock.now(),
    sleep: (ms: number) => new Promise<void>((r) => { clock.after(ms, r); }),
    stdout: (t: string) => { out += t; }, stderr: (t: string) => { err += t; },
    ...extra,
  };
  return { clock, fs, e, out: () => out, err: () => err };
}

describe('shell pipelines run their stages concurrently', () => {
  it('an endless producer streams through grep, line by line on the clock', async () => {
    const s = env();
    let status: number | undefined;
    void runScript(s.e, 'while true; do echo hi; echo ho; sleep 1; done | grep hi').then((c) => { status = c; });
    await s.clock.settle();
    expect(s.out()).toBe('hi\n');
    await s.clock.advance(1000);
    expect(s.out()).toBe('hi\nhi\n');
    await s.clock.advance(3000);
    expect(s.out()).toBe('hi\n'.repeat(5));
    expect(status).toBeUndefined();
  });

  it('an endless producer piped into head -n 3 ends (the producer gets EPIPE)', async () => {
    const s = env();
    let status: number | undefined;
    const p = runScript(s.e, 'while true; do echo line; sleep 1; done | head -n 3; echo "done $?"').then((c) => { status = c; });
    await s.clock.advance(2000);
    expect(s.out()).toBe('line\nline\nline\n');
    expect(status).toBeUndefined(); // the producer sleeps, then its next write fails
    await s.clock.advance(1000);
    await p;
    expect(s.out()).toBe('line\nline\nline\ndone 0\n');
    expect(status).toBe(0);
  });

  it('a loop without sleeps into head ends too; cat and wc see the whole stream', async () => {
    const s = env();
    const p = runScript(s.e, 'while true; do echo y; done | head -n 2');
    await s.clock.advance(1000);
    expect(await p).toBe(0);
    expect(s.out()).toBe('y\ny\n');
    const s2 = env();
    s2.fs.set('/tmp/f', 'a b\nc\n');
    expect(await runScript(s2.e, 'cat /tmp/f | cat | wc -l; cat /tmp/f | while read x y; do echo "[$x|$y]"; done; echo tail | cat - /tmp/f | tail -n 1')).toBe(0);
    expect(s2.out()).toBe('2\n[a|b]\n[c|]\nc\n');
  });

  it('the pipeline status is the last stage\'s; stages are subshells', async () => {
    const s = env();
    expect(await runScript(s.e, 'echo x | false; echo $?; X=1 | true; echo "[$X]"; echo abc | grep -q b && echo found; echo x | exit 3; echo $?')).toBe(0);
    expect(s.out()).toBe('1\n[]\nfound\n3\n');
  });

  it('ps lists PID 1 and the processes running now, pipeline stages included', async () => {
    const s = env({ mainArgv: ['node', 'app.js'] });
    const bg = runArgv(s.e, ['sleep', '30']);
    await s.clock.settle();
    expect(await runScript(s.e, 'ps | cat')).toBe(0);
    expect(s.out()).toBe('PID   USER     TIME  COMMAND\n    1 root      0:00 node app.js\n    7 root      0:00 sleep 30\n    8 root      0:00 ps\n    9 root      0:00 cat\n');
    await s.clock.advance(30_000);
    expect(await bg).toBe(0);
    expect(procTable(s.fs).list()).toEqual([]);
  });

  it('node exists where the image is built FROM node (NODE_VERSION)', async () => {
    const s = env({ env: { NODE_VERSION: '7.9.0' }, mainArgv: ['node', 'app.js'] });
    expect(await runScript(s.e, 'node -v; node --version; node -p process.version; node -e "console.log(require(\'os\').hostname())"')).toBe(0);
    expect(s.out()).toBe('v7.9.0\nv7.9.0\nv7.9.0\npod-1\n');
    expect(await runScript(s.e, 'node app.js')).toBe(1);
    expect(s.err()).toContain('Error: listen EADDRINUSE :::8080');
    const b = env();
    expect(await runScript(b.e, 'node -v')).toBe(127);
    expect(b.err()).toBe('sh: node: not found\n');
  });
});

describe('in a container', () => {
  let t: KT | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function exec(pod: string, argv: string[], advanceMs = 0): Promise<{ code: number; out: string }> {
    let out = '';
    const w = new Writable({ write(c, _e, cb) { out += c.toString(); cb(); } });
    const ac = new AbortController();
    const p = t!.kubelets.runtime.exec('default', pod, '', argv, { stdout: w, stderr: w, tty: false }, ac.signal);
    let code: number | undefined;
    void p.then((c) => { code = c; });
    await t!.clock.settle();
    for (let i = 0; i < advanceMs / 1000 && code === undefined; i++) await t!.clock.advance(1000);
    return { code: code ?? -1, out };
  }

  it('kubia: node -v is v7.9.0, ps shows node app.js as PID 1, a streaming pipeline ends with head', async () => {
    t = await startKubeletSandbox();
    await t.createPod('kubia', { containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080 }] }] });
    await t.advance(5000);
    expect(await exec('kubia', ['node', '-v'])).toEqual({ code: 0, out: 'v7.9.0\n' });
    const ps = await exec('kubia', ['ps']);
    expect(ps.out).toMatch(/^PID {3}USER {5}TIME {2}COMMAND\n {4}1 root {6}0:00 node app\.js\n +\d+ root {6}0:00 ps\n$/);
    const r = await exec('kubia', ['sh', '-c', 'while true; do echo hi; sleep 1; done | head -n 3'], 10_000);
    expect(r).toEqual({ code: 0, out: 'hi\nhi\nhi\n' });
  });
});

describe('pipelines without sleeps still let time pass', () => {
  it('an endless producer into a reading loop does not starve the event loop', async () => {
    const s = env();
    let status: number | undefined;
    void runScript(s.e, 'while true; do echo y; done | while read l; do echo "got $l"; done').then((c) => { status = c; });
    await s.clock.advance(1000);
    const lines = s.out().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.length).toBeLessThan(20);
    expect(new Set(lines)).toEqual(new Set(['got y']));
    expect(status).toBeUndefined();
  });
});
