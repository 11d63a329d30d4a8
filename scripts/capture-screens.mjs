/**
 * Regenerates the text screen captures in docs/screens/: guided mode, sandbox mode and the live
 * cluster panel, each at 80×24 and 120×40. Every capture runs the built binary (`npm run build`
 * first) in its own tmux pane (scripts/tmux-driver.mjs) on a clean sandbox: the config and data dirs
 * are emptied first and sit at a fixed path, so the paths the tutor prints are the same on every run.
 * Commands are typed as a learner would, and each screen is taken once the cluster has settled
 * (pods Running). A re-run changes only ages and generated pod names; the sandbox's random port is
 * written as PORT. Prints each file it writes; exits 1 if any capture failed (its old file is kept).
 *
 *   node scripts/capture-screens.mjs [NAME...]     # all captures, or only guided / sandbox / panel
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { startTmux, tmuxAvailable } from './tmux-driver.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const OUT_DIR = join(ROOT, 'docs', 'screens');
const BIN = join(ROOT, 'bin', 'kube-tutor');
/** fixed, so that the kubeconfig path the tutor prints is the same in every capture */
const SCRATCH = join(tmpdir(), 'kube-tutor-screens');
const SIZES = [
  { cols: 80, rows: 24 },
  { cols: 120, rows: 40 },
];
/** the panel is on by default in lessons from this width; narrower terminals turn it on with /panel */
const PANEL_AUTO_COLS = 100;
/** how the panel names the lesson's objects (the transcript says deployment.apps/kubia, service/kubia) */
const PANEL_OBJECT = /(deploy|svc)\/kubia\b/;

/** the captures: what to start, and what to type and wait for before the screen is taken */
const CAPTURES = [
  {
    name: 'guided',
    args: ['learn', 'cluster'],
    async drive(s) {
      await s.waitFor(/Step 1\/6 /);
      await step(s, 'kubectl version', /Step 2\/6 /);
      await step(s, 'kubectl cluster-info', /Step 3\/6 /);
      await step(s, 'kubectl get nodes', /Step 4\/6 /);
    },
  },
  {
    name: 'sandbox',
    args: ['sandbox'],
    async drive(s) {
      await s.waitFor(/❯/);
      await step(s, 'kubectl get nodes', /kube-tutor-worker\s+Ready/);
      await step(s, 'kubectl run kubia --image=luksa/kubia --port=8080', /pod\/kubia created/);
      await step(s, 'kubectl wait --for=condition=Ready pod/kubia', /pod\/kubia condition met/);
      await step(s, 'kubectl get pods', /kubia\s+1\/1\s+Running/);
    },
  },
  {
    name: 'panel',
    args: ['learn', 'deployments'],
    async drive(s, { cols }) {
      await s.waitFor(/Step 1\/15 /);
      // the step completes once the Deployment's 3 replicas are available
      await step(s, 'kubectl apply -f kubia-deployment-v1.yaml', /Step 2\/15 /);
      if (cols < PANEL_AUTO_COLS) await s.submit('/panel on');
      await s.waitFor(PANEL_OBJECT, { history: false });
    },
  },
];

/** type a command and wait until the pane matches `done` */
async function step(s, command, done) {
  await s.submit(command);
  await s.waitFor(done);
}

/** what varies between runs for reasons other than the cluster's state */
function maskRunSpecific(screen) {
  return screen.replace(/(https:\/\/127\.0\.0\.1:)\d+/g, '$1PORT');
}

async function capture({ name, args, drive }, size) {
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(SCRATCH, { recursive: true });
  const s = await startTmux({
    argv: [process.execPath, BIN, ...args],
    ...size,
    cwd: ROOT,
    env: { XDG_CONFIG_HOME: join(SCRATCH, 'config'), XDG_DATA_HOME: join(SCRATCH, 'data'), TERM: 'xterm-256color', LANG: 'en_US.UTF-8', LC_ALL: undefined, LANGUAGE: undefined },
  });
  try {
    await drive(s, size);
    const screen = maskRunSpecific(await s.settle());
    const file = join(OUT_DIR, `${name}-${size.cols}x${size.rows}.txt`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, screen);
    return file;
  } finally {
    await s.kill();
    rmSync(SCRATCH, { recursive: true, force: true });
  }
}

async function main() {
  if (!tmuxAvailable()) throw new Error('tmux is needed to take the captures');
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: run `npm run build` first');
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !CAPTURES.some((c) => c.name === w));
  if (unknown.length) throw new Error(`no capture named ${unknown.join(', ')} (there are ${CAPTURES.map((c) => c.name).join(', ')})`);
  let failed = 0;
  for (const c of CAPTURES.filter((c) => !wanted.length || wanted.includes(c.name))) {
    for (const size of SIZES) {
      try {
        console.log(`wrote ${relative(ROOT, await capture(c, size))}`);
      } catch (err) {
        failed++;
        console.error(`FAILED ${c.name} ${size.cols}x${size.rows}: ${err instanceof Error ? err.message : err}`);
      }
    }
  }
  if (failed) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
