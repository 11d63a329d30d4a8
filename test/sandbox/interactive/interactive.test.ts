/**
 * Interactive sessions at the runtime level (ManualClock): `exec -it/-i … sh`, `attach`, and the
 * `kubectl run -i/-it` container semantics (stdin, stdinOnce, tty), driven with PassThrough streams.
 */
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { classify, LineDiscipline } from '../../../src/sandbox/kubelet/interactive.js';
import type { SessionIO } from '../../../src/sandbox/kubelet/runtime.js';
import { serviceAccountVolume } from '../../../src/sandbox/defaults/pod.js';
import { startKubeletSandbox, type KT } from '../kubelet/helpers.js';

let t: KT;
afterEach(async () => {
  await t?.close();
});

/** let promise chains and stream events run (no wall-clock time involved) */
async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

interface Term {
  io: SessionIO;
  stdin: PassThrough;
  out(): string;
  err(): string;
  type(s: string): Promise<void>;
  resizes: number;
}

function term(opts: { tty: boolean; stdin?: boolean; stderr?: boolean }): Term {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  const w = (f: (s: string) => void) => new Writable({ write(c, _e, cb) { f(c.toString()); cb(); } });
  const t: Term = {
    stdin,
    io: {
      stdin: opts.stdin === false ? undefined : stdin,
      stdout: w((s) => { out += s; }),
      stderr: opts.stderr === false || opts.tty ? undefined : w((s) => { err += s; }),
      tty: opts.tty,
      onResize: (l) => {
        t.resizes++;
        l({ width: 80, height: 24 });
      },
    },
    out: () => out,
    err: () => err,
    type: async (s) => {
      stdin.write(s);
      await flush();
    },
    resizes: 0,
  };
  return t;
}

async function runningPod(name: string, container: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<void> {
  await t.createPod(name, { containers: [{ name: 'c', ...container }], ...extra });
  await t.advance(5000);
  expect(t.pod(name)!.status.phase).toBe('Running');
}

const busyboxSleeper = { image: 'busybox', command: ['sh', '-c', 'sleep 3600'] };

describe('exec -it: an interactive shell over a tty', () => {
  it('prompts, echoes, edits the line, runs it and exits with `exit N`', async () => {
    t = await startKubeletSandbox();
    await runningPod('bb', busyboxSleeper);
    const k = term({ tty: true });
    const done = t.kubelets.runtime.exec('default', 'bb', 'c', ['sh'], k.io, new AbortController().signal);
    await flush();
    expect(k.out()).toBe('/ # ');
    expect(k.resizes).toBe(1);
    await k.type('echo hellp\x7fo\r');
    expect(k.out()).toBe('/ # echo hellp\b \bo\r\nhello\r\n/ # ');
    await k.type('exit 3\r');
    expect(await done).toBe(3);
  });

  it('^C cancels the line being typed and interrupts a running command; ^D ends the shell', async () => {
    t = await startKubeletSandbox();
    await runningPod('bb', busyboxSleeper);
    const k = term({ tty: true });
    const done = t.kubelets.runtime.exec('default', 'bb', 'c', ['/bin/sh'], k.io, new AbortController().signal);
    await flush();
    await k.type('echo never\x03');
    expect(k.out()).toBe('/ # echo never^C\r\n/ # ');
    await k.type('sleep 100; echo not-printed\r');
    await t.advance(10_000);
    await k.type('\x03');
    await k.type('echo $?\r');
    expect(k.out()).toContain('sleep 100; echo not-printed\r\n^C\r\n/ # echo $?\r\n130\r\n/ # ');
    expect(k.out()).not.toContain('not-printed\r\nnot-printed');
    await k.type('\x04');
    expect(await done).toBe(0);
  });

  it('keeps variables and $? between lines and asks for more with `> `', async () => {
    t = await startKubeletSandbox();
    await runningPod('bb', busyboxSleeper);
    const k = term({ tty: true });
    const done = t.kubelets.runtime.exec('default', 'bb', 'c', ['sh'], k.io, new AbortController().signal);
    await flush();
    await k.type('X=5\r');
    await k.type('false\r');
    await k.type('echo $? $X\r');
    await k.type('for i in 1 2\r');
    await k.type('do echo n$i; done\r');
    await k.type('echo \'a\r');
    await k.type('b\'\r');
    await k.type('exit\r');
    expect(await done).toBe(0);
    const screen = k.out().replace(/\r\n/g, '\n');
    expect(screen).toContain('/ # echo $? $X\n1 5\n');
    expect(screen).toContain('/ # for i in 1 2\n> do echo n$i; done\nn1\nn2\n');
    expect(screen).toContain("/ # echo 'a\n> b'\na\nb\n");
  });

  it('is one shell: cd changes the prompt, export reaches child processes, pipes filter output', async () => {
    t = await startKubeletSandbox();
    await runningPod('bb', busyboxSleeper);
    const k = term({ tty: true });
    const done = t.kubelets.runtime.exec('default', 'bb', 'c', ['sh'], k.io, new AbortController().signal);
    await flush();
    await k.type('cd /etc\r');
    await k.type('pwd; cd nowhere\r');
    await k.type('echo $?\r');
    await k.type('export GREETING=hi; LOCAL=1\r');
    await k.type('env | grep -e GREETING -e LOCAL\r');
    await k.type('sh -c \'echo $GREETING-$LOCAL\'\r');
    await k.type('ls / | wc -l\r');
    await k.type('cd && pwd\r');
    await k.type('exit 4\r');
    expect(await done).toBe(4);
    const screen = k.out().replace(/\r\n/g, '\n');
    expect(screen).toContain('/ # cd /etc\n/etc # pwd; cd nowhere\n/etc\nsh: cd: can\'t cd to nowhere: No such file or directory\n/etc # echo $?\n2\n');
    expect(screen).toContain('/etc # env | grep -e GREETING -e LOCAL\nGREETING=hi\n/etc # ');
    expect(screen).toContain("sh -c 'echo $GREETING-$LOCAL'\nhi-\n");
    expect(screen).toMatch(/ls \/ \| wc -l\n\d+\n/);
    expect(screen).toContain('/etc # cd && pwd\n/root\n~ # exit 4');
  });

  it('sees the image and pod environment, its mounted volumes and the service-account files', async () => {
    t = await startKubeletSandbox();
    const { store, registry } = t.sandbox;
    await store.create(registry.forKind('', 'ConfigMap')!, 'default', { metadata: { name: 'cfg' }, data: { 'app.conf': 'debug=true\n', other: 'x' } }, {});
    await store.create(registry.forKind('', 'Secret')!, 'default', { metadata: { name: 'sec' }, data: { password: Buffer.from('s3cret').toString('base64') } }, {});
    await runningPod('kubia-v', {
      image: 'luksa/kubia', env: [{ name: 'MY_VAR', value: 'v' }],
      volumeMounts: [
        { name: 'cfg', mountPath: '/etc/config' }, { name: 'sec', mountPath: '/etc/secret', readOnly: true },
        { name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
      ],
    }, {
      volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'sec', secret: { secretName: 'sec' } }, serviceAccountVolume('sa')],
    });
    const run = async (...argv: string[]) => {
      const k = term({ tty: false, stdin: false });
      const code = await t.kubelets.runtime.exec('default', 'kubia-v', 'c', argv, k.io, new AbortController().signal);
      return { code, out: k.out(), err: k.err() };
    };
    const env = (await run('env')).out.split('\n');
    expect(env.slice(0, 5)).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=kubia-v', 'NPM_CONFIG_LOGLEVEL=info', 'NODE_VERSION=7.9.0', 'YARN_VERSION=0.22.0']);
    expect(env[5]).toBe('MY_VAR=v');
    expect(env.filter(Boolean).at(-1)).toBe('HOME=/root');
    expect(env.some((l) => l.startsWith('KUBERNETES_SERVICE_HOST='))).toBe(true);
    expect(await run('ls', '/var/run/secrets/kubernetes.io/serviceaccount')).toEqual({ code: 0, out: 'ca.crt\nnamespace\ntoken\n', err: '' });
    expect((await run('cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace')).out).toBe('default');
    expect((await run('cat', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt')).out).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect((await run('cat', '/var/run/secrets/kubernetes.io/serviceaccount/token')).out).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    expect((await run('ls', '/etc/config')).out).toBe('app.conf\nother\n');
    expect((await run('cat', '/etc/config/app.conf', '/etc/secret/password')).out).toBe('debug=true\ns3cret');
    expect((await run('ls', '/')).out).toContain('etc\n');
    expect((await run('whoami')).out).toBe('root\n');
    expect((await run('uname', '-a')).out).toMatch(/^Linux kubia-v 6\.8\.0-60-generic .* x86_64 GNU\/Linux\n$/);
    // PID 1 is the container's command; each exec is a new process with a higher PID
    expect((await run('ps')).out).toMatch(/^PID {3}USER {5}TIME {2}COMMAND\n {4}1 root {6}0:00 node app\.js\n +\d+ root {6}0:00 ps\n$/);
  });

  it('uses the image\'s shells and prompts: bash on Debian-based images, none on busybox', async () => {
    t = await startKubeletSandbox();
    await runningPod('kubia-x1', { image: 'luksa/kubia' });
    await runningPod('bb', busyboxSleeper);
    const k = term({ tty: true });
    const done = t.kubelets.runtime.exec('default', 'kubia-x1', 'c', ['bash'], k.io, new AbortController().signal);
    await flush();
    expect(k.out()).toBe('root@kubia-x1:/# ');
    await k.type('hostname\r');
    await k.type('exit\r');
    expect(await done).toBe(0);
    expect(k.out()).toBe('root@kubia-x1:/# hostname\r\nkubia-x1\r\nroot@kubia-x1:/# exit\r\nexit\r\n');

    const d = term({ tty: true });
    const dash = t.kubelets.runtime.exec('default', 'kubia-x1', 'c', ['sh'], d.io, new AbortController().signal);
    await flush();
    expect(d.out()).toBe('# ');
    d.stdin.end();
    expect(await dash).toBe(0);

    const b = term({ tty: true });
    // containerd: the exec never starts; the error becomes the session's InternalError Status
    await expect(t.kubelets.runtime.exec('default', 'bb', 'c', ['bash'], b.io, new AbortController().signal)).rejects
      .toThrow(/^failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in \$PATH: unknown$/);
    expect(b.out()).toBe('');
    await expect(t.kubelets.runtime.exec('default', 'bb', 'c', ['nosuchcmd'], term({ tty: false }).io, new AbortController().signal)).rejects
      .toThrow('exec: "nosuchcmd": executable file not found in $PATH');
  });

  it('ends the shell when the client goes away or the container stops', async () => {
    t = await startKubeletSandbox();
    await runningPod('bb', busyboxSleeper, { terminationGracePeriodSeconds: 1 });
    const ac = new AbortController();
    const k = term({ tty: true });
    const done = t.kubelets.runtime.exec('default', 'bb', 'c', ['sh'], k.io, ac.signal);
    await flush();
    ac.abort();
    expect(await done).toBe(137);

    const k2 = term({ tty: true });
    const done2 = t.kubelets.runtime.exec('default', 'bb', 'c', ['sh'], k2.io, new AbortController().signal);
    await flush();
    await k2.type('sleep 1000\r');
    await t.sandbox.store.delete(t.sandbox.registry.forKind('', 'Pod')!, 'default', 'bb', {});
    await t.advance(5000);
    expect(await done2).toBe(137);
  });
});

describe('exec -i without a tty', () => {
  it('reads commands from stdin without prompt or echo', async () => {
    t = await startKubeletSandbox();
    await runningPod('bb', busyboxSleeper);
    const k = term({ tty: false });
    const done = t.kubelets.runtime.exec('default', 'bb', 'c', ['sh'], k.io, new AbortController().signal);
    k.stdin.end('echo hello\nnosuch\nexit 3\necho after\n');
    expect(await done).toBe(3);
    expect(k.out()).toBe('hello\n');
    expect(k.err()).toBe('sh: nosuch: not found\n');
  });

  it('ends at end of input with the last status; `cat` copies stdin', async () => {
    t = await startKubeletSandbox();
    await runningPod('bb', busyboxSleeper);
    const k = term({ tty: false });
    const done = t.kubelets.runtime.exec('default', 'bb', 'c', ['sh'], k.io, new AbortController().signal);
    k.stdin.end('echo a; false');
    expect(await done).toBe(1);
    expect(k.out()).toBe('a\n');
    const c = term({ tty: false });
    const cat = t.kubelets.runtime.exec('default', 'bb', 'c', ['cat'], c.io, new AbortController().signal);
    c.stdin.end('line1\nline2\n');
    expect(await cat).toBe(0);
    expect(c.out()).toBe('line1\nline2\n');
  });

  it('a command on a tty gets ^C as an interrupt', async () => {
    t = await startKubeletSandbox();
    await runningPod('bb', busyboxSleeper);
    const k = term({ tty: true });
    const done = t.kubelets.runtime.exec('default', 'bb', 'c', ['sleep', '100'], k.io, new AbortController().signal);
    await flush();
    await k.type('\x03');
    expect(await done).toBe(130);
  });
});

describe('attach', () => {
  it('streams the main process\'s new output until the client detaches', async () => {
    t = await startKubeletSandbox();
    await runningPod('ticker', { image: 'busybox', command: ['sh', '-c', 'while true; do echo tick; sleep 1; done'] });
    const ac = new AbortController();
    const k = term({ tty: false, stdin: false });
    const done = t.kubelets.runtime.attach('default', 'ticker', 'c', k.io, ac.signal);
    await flush();
    expect(k.out()).toBe('');
    await t.advance(3000);
    expect(k.out()).toBe('tick\ntick\ntick\n');
    ac.abort();
    await done;
    await t.advance(2000);
    expect(k.out()).toBe('tick\ntick\ntick\n');
  });

  it('gives the interactive shell of a `stdin: true, tty: true` container; its exit ends the attach', async () => {
    t = await startKubeletSandbox();
    await runningPod('shell', { image: 'busybox', command: ['sh'], stdin: true, tty: true }, { restartPolicy: 'Never' });
    expect(await t.logs('shell')).toBe(''); // the prompt waits on a partial line
    const k = term({ tty: true });
    const done = t.kubelets.runtime.attach('default', 'shell', 'c', k.io, new AbortController().signal);
    await flush();
    expect(k.out()).toBe(''); // "If you don't see a command prompt, try pressing enter."
    await k.type('\r');
    expect(k.out()).toBe('\r\n/ # ');
    await k.type('echo $HOSTNAME\r');
    expect(k.out()).toBe('\r\n/ # echo $HOSTNAME\r\nshell\r\n/ # ');
    await k.type('exit 2\r');
    expect(await done).toBe(2);
    await t.advance(1000);
    const p = t.pod('shell')!;
    expect(p.status.phase).toBe('Failed');
    expect(p.status.containerStatuses[0].state.terminated.exitCode).toBe(2);
  });

  it('a `stdin: true` shell without tty reads lines; stdinOnce closes stdin when the client lets go', async () => {
    t = await startKubeletSandbox();
    await runningPod('once', { image: 'busybox', args: ['sh'], stdin: true, stdinOnce: true }, { restartPolicy: 'Never' });
    const k = term({ tty: false });
    const done = t.kubelets.runtime.attach('default', 'once', 'c', k.io, new AbortController().signal);
    await flush();
    k.stdin.end('echo from-stdin\n');
    expect(await done).toBe(0);
    expect(k.out()).toBe('from-stdin\n');
    await t.advance(1000);
    expect(t.pod('once')!.status.phase).toBe('Succeeded');
  });

  it('kubectl run -i: a stdinOnce command waits for the attach, then its output goes there', async () => {
    t = await startKubeletSandbox();
    await runningPod('tmp', { image: 'busybox', args: ['echo', 'hi'], stdin: true, stdinOnce: true }, { restartPolicy: 'Never' });
    await t.advance(10_000);
    expect(t.pod('tmp')!.status.phase).toBe('Running');
    expect(await t.logs('tmp')).toBe('');
    const k = term({ tty: false });
    const done = t.kubelets.runtime.attach('default', 'tmp', 'c', k.io, new AbortController().signal);
    expect(await done).toBe(0);
    expect(k.out()).toBe('hi\n');
    await t.advance(1000);
    expect(t.pod('tmp')!.status.phase).toBe('Succeeded');
    expect(await t.logs('tmp')).toBe('hi\n');
  });

  it('a deferred command runs anyway when nobody attaches within a minute', async () => {
    t = await startKubeletSandbox();
    await runningPod('lonely', { image: 'busybox', args: ['echo', 'hi'], stdin: true, stdinOnce: true }, { restartPolicy: 'Never' });
    await t.advance(60_000);
    expect(t.pod('lonely')!.status.phase).toBe('Succeeded');
    expect(await t.logs('lonely')).toBe('hi\n');
  });

  it('the curl image\'s entrypoint runs a shell given as the command', async () => {
    t = await startKubeletSandbox();
    await runningPod('curl', { image: 'curlimages/curl', args: ['sh'], stdin: true, stdinOnce: true, tty: true }, { restartPolicy: 'Never' });
    const k = term({ tty: true });
    const done = t.kubelets.runtime.attach('default', 'curl', 'c', k.io, new AbortController().signal);
    await flush();
    await k.type('\r');
    expect(k.out()).toBe('\r\n~ $ ');
    await k.type('\x04');
    expect(await done).toBe(0);
  });
});

describe('line discipline', () => {
  it('edits like a terminal in canonical mode', () => {
    let echo = '';
    const lines: string[] = [];
    const ev: string[] = [];
    const ld = new LineDiscipline(true, (s) => { echo += s; }, { line: (l) => lines.push(l), eof: () => ev.push('eof'), intr: () => ev.push('intr') });
    ld.feed('ab\x1b[Acd\x17ef\r\n');
    ld.feed(Buffer.from('gr\xc3', 'latin1'));
    ld.feed(Buffer.from('\xbc\xc3\xbc\x7f\x15x\r', 'latin1'));
    ld.feed('\x03\x04');
    expect(lines).toEqual(['ef', 'x']);
    expect(ev).toEqual(['intr', 'eof']);
    expect(echo).toBe('abcd\b \b\b \b\b \b\b \bef\ngrüü\b \b\b \b\b \b\b \bx\n^C');
  });

  it('classifies complete, incomplete and broken input', () => {
    expect(classify('echo hi').t).toBe('ok');
    expect(classify('  ').t).toBe('empty');
    expect(classify('# comment').t).toBe('empty');
    expect(classify('while true').t).toBe('incomplete');
    expect(classify("echo 'open").t).toBe('incomplete');
    expect(classify('echo a &&').t).toBe('incomplete');
    expect(classify('if true; then echo y; fi').t).toBe('ok');
  });
});
