import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'kube-tutor');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(!existsSync(join(root, 'dist', 'main.js')))('kube-tutor CLI (built bundle)', () => {
  let t: TestSandbox;
  let dir: string;
  let kubeconfig: string;
  beforeAll(async () => {
    t = await startTestSandbox();
    dir = mkdtempSync(join(tmpdir(), 'kt-cli-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, t.sandbox.kubeconfig(), { mode: 0o600 });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints help and version', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('kube-tutor serve');
    const v = await run(['--version']);
    expect(v.stdout).toMatch(/^kube-tutor \d+\.\d+\.\d+/);
  });

  it('refuses unknown commands and bad flags with kubectl-style messages', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: unknown command "frobnicate" for "kube-tutor"');
    const bad = await run(['serve', '--nodes', 'many']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('invalid --nodes "many"');
    const both = await run(['serve', '--ephemeral', '--state', dir]);
    expect(both.stderr).toContain('--state and --ephemeral cannot be used together');
  });

  it('warps a running sandbox\'s clock, found through KUBECONFIG', async () => {
    const before = t.clock.now();
    const r = await run(['sandbox', 'warp', '15m'], { KUBECONFIG: kubeconfig });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(t.clock.now() - before).toBe(15 * 60_000);
    const time = await run(['sandbox', 'time', '--kubeconfig', kubeconfig]);
    expect(time.stdout.trim()).toBe(new Date(t.clock.now()).toISOString());
    const bad = await run(['sandbox', 'warp', 'soon'], { KUBECONFIG: kubeconfig });
    expect(bad.code).toBe(1);
  });

  it('takes a node down and up through the API', async () => {
    const down = await run(['sandbox', 'node', 'down', 'kube-tutor-worker'], { KUBECONFIG: kubeconfig });
    expect(down.code).toBe(0);
    const node = await t.call('GET', '/api/v1/nodes/kube-tutor-worker');
    expect(node.json.metadata.annotations['kube-tutor.dev/down']).toBe('true');
    await run(['sandbox', 'node', 'up', 'kube-tutor-worker'], { KUBECONFIG: kubeconfig });
    const after = await t.call('GET', '/api/v1/nodes/kube-tutor-worker');
    expect(after.json.metadata.annotations['kube-tutor.dev/down']).toBeUndefined();
    const missing = await run(['sandbox', 'node', 'down', 'nope'], { KUBECONFIG: kubeconfig });
    expect(missing.stderr).toContain('nodes "nope" not found');
  });

  it('serve writes a 0600 kubeconfig, prints the ready line and exits 0 on SIGTERM', async () => {
    const kc = join(dir, 'served-kubeconfig');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'serve', '--ephemeral', '--kubeconfig', kc, '--nodes', '1']);
    const line = await new Promise<string>((res, rej) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) res(out.trim());
      });
      child.on('exit', () => rej(new Error(`serve exited early: ${out}`)));
    });
    expect(line).toMatch(new RegExp(`^kube-tutor sandbox ready at https://127\\.0\\.0\\.1:\\d+ \\(kubeconfig: ${kc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`));
    expect(statSync(kc).mode & 0o777).toBe(0o600);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
      child.on('exit', (code, signal) => res({ code, signal }));
      child.kill('SIGTERM');
    });
    // (the signal and stderr say why, should it ever die otherwise)
    expect({ ...exit, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });
});
