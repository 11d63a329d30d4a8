/** `kubectl rollout history / undo / status` (the kubectl on PATH) against the RS + Deployment controllers. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentController } from '../../../../src/sandbox/controllers/deployment/index.js';
import { startReplicaSetControllers } from '../../../../src/sandbox/controllers/replicaset/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { markRunning, podsWith } from '../replicaset/helpers.js';

const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

let t: TestSandbox;
let dir: string;

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL!, [`--kubeconfig=${join(dir, 'kubeconfig')}`, `--cache-dir=${join(dir, 'cache')}`, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`);
  await t.clock.settle();
  return r.stdout;
}

async function readyAll(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    for (const p of podsWith(t, { app: 'kubia' })) {
      if (!p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')) await markRunning(t, p);
    }
    await t.clock.settle();
  }
}

describe.skipIf(!KUBECTL)('kubectl rollout against the sandbox', () => {
  beforeAll(async () => {
    t = await startTestSandbox({ controllers: false, seed: 3 });
    t.sandbox.add(startReplicaSetControllers(t.sandbox.ctx));
    t.sandbox.add(startDeploymentController(t.sandbox.ctx));
    dir = mkdtempSync(join(tmpdir(), 'kube-tutor-rollout-'));
    writeFileSync(join(dir, 'kubeconfig'), t.sandbox.kubeconfig(), { mode: 0o600 });
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('create, set image, history, undo, status', async () => {
    expect(await ok('create', 'deployment', 'kubia', '--image=luksa/kubia:v1', '--replicas=3', '--port=8080')).toContain('deployment.apps/kubia created');
    await readyAll();
    expect(await ok('rollout', 'status', 'deployment/kubia', '--timeout=5s')).toContain('successfully rolled out');
    // like on a real cluster, the change-cause goes to the current (new) RS: annotate after the change
    expect(await ok('set', 'image', 'deployment/kubia', 'kubia=luksa/kubia:v2')).toContain('image updated');
    await ok('annotate', 'deployment/kubia', 'kubernetes.io/change-cause=image v2');
    await readyAll();
    expect(await ok('rollout', 'status', 'deployment/kubia', '--timeout=5s')).toContain('successfully rolled out');
    const history = await ok('rollout', 'history', 'deployment/kubia');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(history).toMatch(/\n1\s+<none>/);
    expect(history).toMatch(/\n2\s+image v2/);
    const rs1 = await ok('rollout', 'history', 'deployment/kubia', '--revision=1');
    expect(rs1).toContain('luksa/kubia:v1');

    expect(await ok('rollout', 'undo', 'deployment/kubia')).toContain('rolled back');
    await readyAll();
    const d = JSON.parse(await ok('get', 'deployment', 'kubia', '-o', 'json'));
    expect(d.spec.template.spec.containers[0].image).toBe('luksa/kubia:v1');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    const rss = JSON.parse(await ok('get', 'rs', '-o', 'json')).items;
    expect(rss).toHaveLength(2);
    const after = await ok('rollout', 'history', 'deployment/kubia');
    expect(after).toMatch(/\n2\s+image v2/);
    expect(after).toMatch(/\n3\s+/);
    expect(after).not.toMatch(/\n1\s+/);
    expect(await ok('rollout', 'status', 'deployment/kubia', '--timeout=5s')).toContain('successfully rolled out');

    const getRs = await ok('get', 'rs');
    expect(getRs).toMatch(/kubia-[a-z0-9]{9,10}\s+3\s+3\s+3/);
    const describe = await ok('describe', 'deployment', 'kubia');
    expect(describe).toMatch(/Scaled up replica set kubia-[a-z0-9]+ from 0 to 3/);
    expect(describe).toMatch(/Progressing\s+True\s+NewReplicaSetAvailable/);

    // rollout restart → a new RS (revision 4)
    expect(await ok('rollout', 'restart', 'deployment/kubia')).toContain('restarted');
    await readyAll();
    expect(JSON.parse(await ok('get', 'rs', '-o', 'json')).items).toHaveLength(3);
    // pause / resume
    await ok('rollout', 'pause', 'deployment/kubia');
    await ok('set', 'image', 'deployment/kubia', 'kubia=luksa/kubia:v3');
    expect(JSON.parse(await ok('get', 'rs', '-o', 'json')).items).toHaveLength(3);
    await ok('rollout', 'resume', 'deployment/kubia');
    expect(JSON.parse(await ok('get', 'rs', '-o', 'json')).items).toHaveLength(4);
  });
});
