/**
 * Live streaming commands of our kubectl against an in-process sandbox: port-forward (a real local
 * listener reaching luksa/kubia), logs -f (until cancelled), exec with stdin and exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, start } from '../../../src/kubectl/run.js';
import { Session } from '../../../src/kubectl/session.js';
import type { Stdin } from '../../../src/kubectl/command.js';
import { pod, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

let sb: TestSandbox;
let dir: string;
let session: Session;

function waitFor(get: () => string, re: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      const m = get().match(re);
      if (m) return resolve(m);
      if (Date.now() - t0 > ms) return reject(new Error(`timed out waiting for ${re} in:\n${get()}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

function fetchText(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function textStdin(text: string, isTTY = false): Stdin {
  return {
    isTTY,
    readAll: async () => text,
    on(event: 'data' | 'end', cb: (c?: any) => void) {
      setImmediate(() => (event === 'data' ? (text ? cb(Buffer.from(text)) : undefined) : cb()));
    },
  } as Stdin;
}

beforeAll(async () => {
  sb = await startTestSandbox();
  dir = mkdtempSync(join(tmpdir(), 'kt-stream-'));
  const kc = join(dir, 'kubeconfig');
  writeFileSync(kc, sb.sandbox.kubeconfig(), { mode: 0o600 });
  session = new Session({ env: { ...process.env, KUBECONFIG: kc }, cwd: dir, confirmDestructive: false });
  const r = await sb.call('POST', '/api/v1/namespaces/default/pods', pod('kubia', { app: 'kubia' }));
  expect(r.code).toBe(201);
  await sb.clock.advance(30_000);
  await sb.clock.settle();
}, 60_000);

afterAll(async () => {
  await sb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('our kubectl: streaming commands', () => {
  it('port-forward listens locally and reaches the pod', async () => {
    let out = '';
    const ex = start(['port-forward', 'kubia', ':8080'], session, { onOutput: (_s, t) => (out += t) });
    const m = await waitFor(() => out, /Forwarding from 127\.0\.0\.1:(\d+) -> 8080\n/);
    const port = Number(m[1]);
    expect(await fetchText(port)).toBe("You've hit kubia\n");
    await waitFor(() => out, new RegExp(`Handling connection for ${port}\n`));
    ex.cancel();
    const res = await ex.done;
    expect(res.exitCode).toBe(0);
    expect(res.effects).toContainEqual({ type: 'port-forward', address: '127.0.0.1', localPort: port, remotePort: 8080, target: 'pod/kubia' });
  }, 30_000);

  it('logs -f streams until cancelled', async () => {
    let out = '';
    const ex = start(['logs', '-f', 'kubia'], session, { onOutput: (_s, t) => (out += t) });
    await waitFor(() => out, /Kubia server starting\.\.\.\n/);
    ex.cancel();
    const res = await ex.done;
    expect(res.exitCode).toBe(0);
    expect(res.stderr).toBe('');
  }, 30_000);

  it('exec runs a program and forwards its output', async () => {
    const r = await run(['exec', 'kubia', '--', 'curl', '-s', 'localhost:8080'], session);
    expect(r).toMatchObject({ stdout: "You've hit kubia\n", stderr: '', exitCode: 0 });
  }, 30_000);

  it('exec reports the exit code like kubectl', async () => {
    const r = await run(['exec', 'kubia', '--', 'ls', '/nonexistent'], session);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('ls: /nonexistent: No such file or directory\ncommand terminated with exit code 1\n');
  }, 30_000);

  it('exec -i sends standard input', async () => {
    const r = await run(['exec', '-i', 'kubia', '--', 'cat'], session, { stdin: textStdin('hello\n') });
    expect(r).toMatchObject({ stdout: 'hello\n', exitCode: 0 });
  }, 30_000);

  it('exec -it without a terminal warns and goes on without a TTY', async () => {
    const r = await run(['exec', '-it', 'kubia', '--', 'cat'], session, { stdin: textStdin('x\n') });
    expect(r.stderr).toBe('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    expect(r.stdout).toBe('x\n');
  }, 30_000);
});
