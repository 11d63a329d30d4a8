/**
 * The tutor's choice of cluster, through the built CLI: the embedded sandbox keeps its state
 * between runs (and writes a kubeconfig real kubectl can use), `--fresh` starts it clean, a second
 * tutor shares the running one, a kubeconfig in the environment is offered but not used, and
 * `progress --export/--import/--reset` move and forget progress.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBE_TUTOR_BIN, kubeTutorBuilt } from '../helpers/kubectl.js';

interface Run {
  code: number | null;
  out: string;
}

describe.skipIf(!kubeTutorBuilt())('kube-tutor: which cluster a session uses', () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'kt-cli-'));
    env = { ...(process.env as Record<string, string>), HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), LANG: 'en_US.UTF-8' };
    delete env.KUBECONFIG;
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  /** run the CLI with lines on stdin */
  function cli(args: string[], input = '', extraEnv: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [KUBE_TUTOR_BIN, ...args], { env: { ...env, ...extraEnv }, stdio: 'pipe' });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c));
      child.stderr.on('data', (c: Buffer) => (out += c));
      child.on('exit', (code) => resolve({ code, out }));
      child.stdin.end(input);
    });
  }

  /** `kube-tutor serve ARGS`, once it says it is ready */
  async function startServe(args: string[]): Promise<ChildProcess> {
    const serve = spawn(process.execPath, [KUBE_TUTOR_BIN, 'serve', ...args], { env, stdio: 'pipe' });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      serve.stdout!.on('data', (c: Buffer) => ((out += c), out.includes('ready at') && resolve()));
      serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    return serve;
  }

  it('keeps the sandbox between runs; --fresh starts it clean', async () => {
    const first = await cli(['sandbox', '--plain'], 'kubectl create configmap kept --from-literal=a=1\n');
    expect(first.out).toContain('configmap/kept created');
    expect(first.code).toBe(0);
    const kubeconfig = join(home, 'data', 'kube-tutor', 'kubeconfig');
    expect(first.out).toContain(`export KUBECONFIG=${kubeconfig}`);
    expect(readFileSync(kubeconfig, 'utf8')).toContain('current-context: kube-tutor');

    const second = await cli(['sandbox', '--plain'], 'kubectl get configmap kept -o name\n');
    expect(second.out).toContain('configmap/kept');
    const fresh = await cli(['sandbox', '--plain', '--fresh'], 'kubectl get configmap kept -o name\n');
    expect(fresh.out).toContain('Error from server (NotFound): configmaps "kept" not found');
  }, 60_000);

  it('shares the sandbox a running `kube-tutor serve` holds', async () => {
    const serve = await startServe([]);
    try {
      const r = await cli(['sandbox', '--plain'], 'kubectl get nodes -o name\n');
      expect(r.out).toContain('using the sandbox another kube-tutor process is running');
      expect(r.out).toContain('node/kube-tutor-control-plane');
      expect(r.code).toBe(0);
    } finally {
      serve.kill('SIGTERM');
      await new Promise((r) => serve.once('exit', r));
    }
  }, 60_000);

  it('takes tutor flags with values in free mode (`sandbox --speed 20`)', async () => {
    const r = await cli(['sandbox', '--speed', '20', '--ephemeral', '--plain'], 'kubectl get nodes -o name\n');
    expect(r.out).toContain('node/kube-tutor-control-plane');
    expect(r.code).toBe(0);
  }, 60_000);

  it('on a cluster asked for with --kubeconfig: the lesson in its own namespace, destructive commands refused line by line', async () => {
    const kc = join(home, 'real-kubeconfig');
    const serve = await startServe(['--ephemeral', '--kubeconfig', kc]);
    try {
      const r = await cli(['learn', 'first-app', '--plain', '--kubeconfig', kc, '--settle-ms', '0'], 'kubectl run kubia --image=luksa/kubia --port=8080\nkubectl delete pods --all\n');
      expect(r.out).toContain('namespace kube-tutor-first-app');
      expect(r.out).toContain('pod/kubia created');
      expect(r.out).toContain('refusing to delete without confirmation on context "kube-tutor": every matching object in namespace "kube-tutor-first-app"');
      expect(r.out).not.toContain('real kubectl can join in');
      const pods = await cli(['kubectl', '--kubeconfig', kc, 'get', 'pods', '-A', '-o', 'custom-columns=NS:.metadata.namespace,NAME:.metadata.name', '--no-headers']);
      expect(pods.out).toMatch(/^kube-tutor-first-app\s+kubia$/m);
      // the bundled sandbox boots on the schemas without descriptions, and serves them with them
      const explain = await cli(['kubectl', '--kubeconfig', kc, 'explain', 'pod.spec.restartPolicy']);
      expect(explain.out).toContain('Restart policy for all containers within the pod.');
      const strict = await cli(['kubectl', '--kubeconfig', kc, 'create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict}\ndatta: {a: "1"}\n');
      expect(strict.out).toContain('unknown field "datta"');
    } finally {
      serve.kill('SIGTERM');
      await new Promise((r) => serve.once('exit', r));
    }
  }, 60_000);

  it('offers the cluster a kubeconfig in the environment points at, without using it', async () => {
    const kc = join(home, 'elsewhere.yaml');
    writeFileSync(kc, 'apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster: {server: "https://192.0.2.1:6443"}\ncontexts:\n- name: prod-admin\n  context: {cluster: prod, user: admin}\ncurrent-context: prod-admin\nusers:\n- name: admin\n  user: {token: t}\n');
    const r = await cli(['sandbox', '--plain', '--ephemeral'], 'kubectl get nodes -o name\n', { KUBECONFIG: kc });
    expect(r.out).toContain('your kubeconfig points at context "prod-admin"');
    expect(r.out).toContain('kube-tutor --context prod-admin');
    expect(r.out).toContain('node/kube-tutor-control-plane');
  }, 60_000);

  it('exports, imports and resets progress', async () => {
    const done = await cli(['learn', 'cluster', '--plain', '--ephemeral'], 'kubectl version\n');
    expect(done.out).toMatch(/Step 2\/\d+/);
    const before = await cli(['progress']);
    expect(before.out).toMatch(/^cluster\s+1\/\d+\s+in progress/m);
    const file = join(home, 'progress-export.json');
    expect((await cli(['progress', '--export', file])).out).toContain(`progress saved to ${file}`);
    expect((await cli(['progress', '--reset'])).out).toContain('forgotten');
    expect((await cli(['progress'])).out).toMatch(/^cluster\s+0\/\d+\s+not started/m);
    expect((await cli(['progress', '--import', file])).out).toContain('progress loaded');
    expect((await cli(['progress'])).out).toMatch(/^cluster\s+1\/\d+\s+in progress/m);
  }, 60_000);

  it('rejects flags that belong to another command, and answers --help and --version everywhere', async () => {
    const bad = await cli(['lessons', '--fresh']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('unknown flag: --fresh (for kube-tutor lessons)');
    for (const args of [['learn', '--help'], ['sandbox', '--help'], ['progress', '--help'], ['serve', '--help']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out, args.join(' ')).toMatch(/Usage:/);
    }
    const v = await new Promise<string>((resolve) => execFile(process.execPath, [KUBE_TUTOR_BIN, 'learn', '--version'], { env }, (_e, out) => resolve(out)));
    expect(v).toMatch(/^kube-tutor \d+\.\d+\.\d+/);
  }, 60_000);
});
