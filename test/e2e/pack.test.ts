/**
 * The published package, end to end: `npm pack` the repository, install the tarball into an empty
 * directory with npm offline (the bundle has no runtime dependencies, so nothing is fetched), then
 * run the installed `kube-tutor --version` (directly and through `npx --offline`) and the first
 * lesson with `--plain`, feeding its reference commands on stdin. This catches files the program
 * reads at run time (lessons/, dist/openapi-schemas.json) missing from package.json "files".
 *
 * Packs with --ignore-scripts: the prepack build would delete and rewrite dist/ while other test
 * files run the built binary; `npm test` builds before vitest starts. Skips when dist/ is missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../../src/tutor/loader.js';
import { REPO_ROOT, kubeTutorBuilt } from '../helpers/kubectl.js';

const STEP_TIMEOUT_MS = 60_000;
/** a guard against packing what the program does not need (the tarball is ~1.1 MB today) */
const MAX_TARBALL_BYTES = 2_000_000;

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** run a program to completion (stdin: `input`, then closed); never rejects for a non-zero exit */
function run(cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(o.input ?? '');
  });
}

/** the run's output, for assertion messages */
const shown = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;

describe.skipIf(!kubeTutorBuilt())('the npm package', () => {
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  let dir: string;
  let app: string;
  let env: NodeJS.ProcessEnv;
  let packed: { size: number; files: { path: string }[] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-pack-'));
    app = join(dir, 'app');
    mkdirSync(app);
    // an empty project of its own, so npm does not look for one further up
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'kube-tutor-pack-check', private: true }));
    // a fresh HOME (no user .npmrc), config and data dirs: nothing is read from or left in the real ones
    env = {
      ...process.env,
      HOME: join(dir, 'home'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_DATA_HOME: join(dir, 'data'),
      npm_config_update_notifier: 'false',
    };
    delete env.KUBECONFIG; // the tutor runs on its embedded sandbox, never on a cluster of the environment
    const pack = await run('npm', ['pack', '--ignore-scripts', '--offline', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, env });
    expect(pack.code, shown(pack)).toBe(0);
    [packed] = JSON.parse(pack.stdout) as (typeof packed)[];
  }, STEP_TIMEOUT_MS);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('packs the bundle, its data and the lessons, and nothing else', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['bin/kube-tutor', 'dist/main.js', 'dist/openapi-schemas.json', 'lessons/index.yaml']));
    expect(paths.filter((p) => !/^(bin|dist|lessons)\//.test(p) && !/^(package\.json|README(\.md)?|LICEN[SC]E(\.\w+)?)$/i.test(p))).toEqual([]);
    expect(packed.size).toBeLessThan(MAX_TARBALL_BYTES);
  });

  it('installs offline with no dependencies, and runs --version and the first lesson', async () => {
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts=false', '--cache', join(dir, 'npm-cache'), join(dir, tarball!)], { cwd: app, env });
    expect(install.code, shown(install)).toBe(0);
    // zero runtime dependencies: kube-tutor is the only package installed
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['kube-tutor']);

    const bin = join(app, 'node_modules', '.bin', 'kube-tutor');
    const direct = await run(bin, ['--version'], { cwd: app, env });
    expect(direct.stdout, shown(direct)).toBe(`kube-tutor ${version}\n`);
    const npx = await run('npx', ['--offline', 'kube-tutor', '--version'], { cwd: app, env });
    expect(npx.stdout, shown(npx)).toBe(`kube-tutor ${version}\n`);

    // the first lesson of the installed copy, answered with its own reference commands
    const installedLessons = join(app, 'node_modules', 'kube-tutor', 'lessons');
    expect(existsSync(join(installedLessons, 'index.yaml'))).toBe(true);
    const first = loadLessons(installedLessons).lessons[0]!;
    const input = first.steps.flatMap((s) => s.commands).join('\n') + '\n';
    const lesson = await run(bin, ['learn', first.id, '--plain', '--settle-ms', '300'], { cwd: app, env, input });
    expect(lesson.stdout, shown(lesson)).toContain(`Lesson complete: ${first.id}\n`);
    expect(lesson.code, shown(lesson)).toBe(0);
    expect(lesson.stderr).toBe('');
  }, 3 * STEP_TIMEOUT_MS);
});
