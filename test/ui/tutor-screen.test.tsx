/**
 * The Ink tutor screen over a TutorApp on a manual-clock sandbox and the fixture lessons: typed
 * commands show their output, /hint shows a hint, Tab completes pod names, a step completes by
 * itself when the cluster catches up, a multi-line paste runs in order, Ctrl-C twice quits; the
 * inline suggestion (a typo's correction, the step's command shape after a pause, history) is taken
 * with →; Ctrl-R searches history; a step waiting on the cluster shows why; /lang and /panel; at 60
 * columns everything drawn fits, and a resize takes the panel away and back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { History } from '../../src/app/history.js';
import { ReplController } from '../../src/app/repl.js';
import { TutorApp } from '../../src/app/tutor-app.js';
import { loadCommands } from '../../src/kubectl/commands.js';
import { Completer } from '../../src/kubectl/complete.js';
import { TutorScreen } from '../../src/ui/App.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const FIXTURES = resolve(import.meta.dirname, '../tutor/fixtures/lessons');

describe('tutor screen', () => {
  let t: TestSandbox;
  let dir: string;
  let n = 0;
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    // the command table loads on first use: load it here, not inside the first test's short waits
    await loadCommands();
    t = await startTestSandbox({ nodes: 2 });
    dir = mkdtempSync(join(tmpdir(), 'kt-ui-'));
    writeFileSync(join(dir, 'kubeconfig'), t.sandbox.kubeconfig());
  });
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** a fresh app (own progress dir) and screen */
  async function screen(lessonId: string | null = 'mini', opts: { hesitateMs?: number; welcome?: boolean; real?: boolean } = {}) {
    const id = n++;
    let ctl: ReplController | undefined;
    const app = new TutorApp(
      {
        kubeconfig: join(dir, 'kubeconfig'), sandbox: !opts.real, lang: 'en', workDir: join(dir, `work${id}`), progressDir: join(dir, `conf${id}`), lessonsDir: FIXTURES,
        confirm: (q) => ctl!.confirm(q),
      },
      (text) => ctl?.output(text),
    );
    ctl = new ReplController({ app, completer: new Completer(app.session), history: new History(), recheckMs: 50, hesitateMs: opts.hesitateMs ?? 60_000 });
    const r = render(<TutorScreen controller={ctl} />);
    cleanups.push(() => {
      ctl!.close();
      r.unmount();
    });
    await ctl.start(lessonId ?? undefined, { welcome: opts.welcome });
    await vi.waitFor(() => expect(r.stdin.listenerCount('readable')).toBeGreaterThan(0));
    const c = ctl;
    /** type a line and Enter as one chunk (like a paste); wait until it ran */
    const run = async (line: string) => {
      r.stdin.write(`${line}\r`);
      await vi.waitFor(() => expect(c.getSnapshot().queued + (c.getSnapshot().busy ? 1 : 0)).toBe(0));
      await c.idle();
    };
    return { r, ctl: c, app, run, frame: () => r.lastFrame() ?? '' };
  }

  it('welcomes with the lesson list, shows the lesson, runs a command, shows a hint, advances the step', async () => {
    const { run, frame, r } = await screen('mini', { welcome: true });
    expect(frame()).toMatch(/ 1\. mini\s+not started\s+A small lesson/);
    expect(frame()).toContain('━━ A small lesson (mini)');
    expect(frame()).toMatch(/Step 1\/3 List the nodes\./);
    expect(frame()).toMatch(/mini 1\/3 .*│ sandbox/);
    await run('kubectl get pods');
    await vi.waitFor(() => expect(frame()).toContain('$ kubectl get pods'));
    expect(frame()).toMatch(/No resources found in default namespace\./);
    expect(frame()).toMatch(/… Not yet/);
    await run('/hint');
    await vi.waitFor(() => expect(frame()).toMatch(/Hint 1\/2: Nodes are a resource type\./));
    await run('k get no');
    await vi.waitFor(() => expect(frame()).toMatch(/✓ Step done: nodes/));
    expect(frame()).toMatch(/kube-tutor-worker/);
    expect(frame()).toMatch(/Step 2\/3 Create the pod from the file\./);
    expect(frame()).toMatch(/mini 2\/3/);
    // the prompt is live: typing shows in it
    r.stdin.write('get');
    await vi.waitFor(() => expect(frame()).toMatch(/❯ get/));
  });

  it('completes a pod name with Tab, and the step completes by itself when the pod runs', async () => {
    const { run, frame, r, ctl } = await screen();
    await run('kubectl delete pod kubia-manual --ignore-not-found --grace-period=0 --force');
    await run('/skip');
    await run('kubectl create -f kubia-manual.yaml');
    await vi.waitFor(() => expect(frame()).toContain('pod/kubia-manual created'));
    expect(frame()).not.toMatch(/Step done: create/);
    r.stdin.write('get po ku');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('get po ku'));
    r.stdin.write('\t');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('get po kubia-manual '));
    expect(frame()).toMatch(/❯ get po kubia-manual/);
    await t.clock.advance(30_000);
    await t.clock.settle();
    await vi.waitFor(() => expect(frame()).toMatch(/✓ Step done: create\nWhy: The kubelet pulled the image/), { timeout: 5000 });
    expect(frame()).toMatch(/Step 3\/3/);
    // the typed line survived the transcript update
    expect(ctl.getSnapshot().line.text).toBe('get po kubia-manual ');
  });

  it('lists candidates when Tab is ambiguous; edits with Ctrl-U and history', async () => {
    const { run, frame, r, ctl } = await screen();
    r.stdin.write('get no');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('get no'));
    r.stdin.write('\t');
    await vi.waitFor(() => expect(frame()).toMatch(/no\s+node\s+nodes/));
    r.stdin.write('\x15');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe(''));
    await run('/lessons');
    r.stdin.write('\x1b[A');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('/lessons'));
    r.stdin.write('\x1b[B');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe(''));
  });

  it('runs a pasted block line by line, in order', async () => {
    const { frame, r, ctl } = await screen(null);
    expect(frame()).toMatch(/Sandbox mode: commands just run/);
    expect(frame()).toMatch(/sandbox mode .*│ sandbox/);
    r.stdin.write('get ns\nget no\n');
    await vi.waitFor(() => expect(frame()).toContain('$ get no'));
    await ctl.idle();
    const f = frame();
    expect(f.indexOf('$ get ns')).toBeLessThan(f.indexOf('kube-system'));
    expect(f.indexOf('kube-system')).toBeLessThan(f.indexOf('$ get no'));
  });

  it('Ctrl-C stops a streaming command, clears the line, and twice on an empty line quits', async () => {
    const { run, frame, r, ctl, app } = await screen(null);
    await run('get pods -w');
    await vi.waitFor(() => expect(app.shell.background.length).toBe(1));
    await vi.waitFor(() => expect(frame()).toMatch(/jobs: 1: get pods -w/));
    r.stdin.write('\x03');
    await vi.waitFor(() => expect(frame()).toMatch(/stopped: get pods -w/));
    await vi.waitFor(() => expect(app.shell.background.length).toBe(0));
    r.stdin.write('abc');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('abc'));
    r.stdin.write('\x03');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe(''));
    r.stdin.write('\x03');
    await vi.waitFor(() => expect(frame()).toMatch(/Press Ctrl-C again to quit/));
    expect(ctl.getSnapshot().exited).toBe(false);
    r.stdin.write('\x03');
    await vi.waitFor(() => expect(ctl.getSnapshot().exited).toBe(true));
  });

  it('offers the corrected command after a typo; → takes it', async () => {
    const { run, frame, r, ctl } = await screen(null);
    await run('kubectl get nods');
    await vi.waitFor(() => expect(frame()).toMatch(/Did you mean `nodes`\?/));
    expect(ctl.getSnapshot().suggestion).toBe('kubectl get nodes');
    expect(frame()).toMatch(/❯ kubectl get nodes  →/);
    r.stdin.write('\x1b[C');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('kubectl get nodes'));
    r.stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toMatch(/kube-tutor-worker\s+Ready/));
    expect(ctl.getSnapshot().suggestion).toBeUndefined();
  });

  it('offers the step\'s command shape once the learner hesitates, and history while typing', async () => {
    const { run, r, ctl } = await screen('mini', { hesitateMs: 1 });
    await vi.waitFor(() => expect(ctl.getSnapshot().suggestion).toBe('kubectl get nodes'));
    r.stdin.write('\x1b[C');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('kubectl get nodes'));
    r.stdin.write('\x15');
    await run('get ns kube-system');
    r.stdin.write('get ns k');
    await vi.waitFor(() => expect(ctl.getSnapshot().suggestion).toBe('get ns kube-system'));
    r.stdin.write('\x1b[F');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('get ns kube-system'));
  });

  it('searches history with Ctrl-R: older matches, Enter runs, Esc gives the line back', async () => {
    const { run, frame, r, ctl } = await screen(null);
    await run('get ns');
    await run('get no');
    await run('get po');
    r.stdin.write('draft');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('draft'));
    r.stdin.write('\x12');
    r.stdin.write('get n');
    await vi.waitFor(() => expect(frame()).toMatch(/\(reverse-i-search\)'get n': get no/));
    r.stdin.write('\x12');
    await vi.waitFor(() => expect(ctl.getSnapshot().search?.match).toBe('get ns'));
    r.stdin.write('\x1b');
    await vi.waitFor(() => expect(ctl.getSnapshot().search).toBeUndefined());
    expect(ctl.getSnapshot().line.text).toBe('draft');
    r.stdin.write('\x15\x12zzz');
    await vi.waitFor(() => expect(frame()).toMatch(/\(failed reverse-i-search\)'zzz'/));
    r.stdin.write('\x7f\x7f\x7fpo\r');
    await vi.waitFor(() => expect(ctl.history.list().filter((l) => l === 'get po').length).toBe(1));
    await ctl.idle();
    await vi.waitFor(() => expect(frame().match(/\$ get po/g)?.length).toBe(2));
  });

  it('shows why a step waits on the cluster, and stops showing it when the learner types on', async () => {
    const { run, frame, r, ctl } = await screen();
    // the sandbox is shared by these tests: start without the pod another test may have made
    const clear = 'kubectl delete pod kubia-manual --ignore-not-found --grace-period=0 --force';
    await run(clear);
    await run('/skip');
    await run('kubectl create -f kubia-manual.yaml');
    await vi.waitFor(() => expect(ctl.getSnapshot().waiting).toMatch(/pod/));
    expect(frame()).toMatch(/waiting for the cluster: .*pod/);
    r.stdin.write('g');
    await vi.waitFor(() => expect(ctl.getSnapshot().waiting).toBeUndefined());
    expect(frame()).not.toMatch(/waiting for the cluster/);
    r.stdin.write('\x15');
    await run(clear);
  });

  it('/lang switches the tutor\'s language; /panel and Ctrl-T show and hide the panel', async () => {
    const { run, frame, r, ctl } = await screen();
    ctl.setViewport(120);
    expect(ctl.getSnapshot().panel).toBe(true);
    ctl.setViewport(80);
    expect(ctl.getSnapshot().panel).toBe(false);
    await run('/panel');
    expect(ctl.getSnapshot().panel).toBe(true);
    r.stdin.write('\x14');
    await vi.waitFor(() => expect(ctl.getSnapshot().panel).toBe(false));
    await run('/panel on');
    expect(ctl.getSnapshot().panel).toBe(true);
    await run('/lang zh');
    await vi.waitFor(() => expect(frame()).toContain('导师现在说中文。'));
    await run('/hint');
    await vi.waitFor(() => expect(frame()).toMatch(/提示 1\/2: 节点也是一种资源类型。/));
    await run('/lang');
    await vi.waitFor(() => expect(frame()).toContain('The tutor speaks English now.'));
    await run('/lang fr');
    await vi.waitFor(() => expect(frame()).toContain('usage: /lang en|zh'));
  });

  it('is usable at 60 columns and redraws on resize: the panel leaves and comes back, nothing is wider than the terminal', async () => {
    const { run, frame, r, ctl } = await screen();
    let columns = 120;
    // ink-testing-library's terminal is 100 columns: this one resizes
    Object.defineProperty(r.stdout, 'columns', { get: () => columns, configurable: true });
    const resize = (to: number) => {
      columns = to;
      r.stdout.emit('resize');
    };
    const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
    const widest = (s: string) => Math.max(...plain(s).split('\n').map((l) => stringWidth(l)));
    resize(120);
    await vi.waitFor(() => expect(ctl.getSnapshot().panel).toBe(true));
    await vi.waitFor(() => expect(frame()).toMatch(/kube-tutor-worker/));
    resize(60);
    await vi.waitFor(() => expect(ctl.getSnapshot().panel).toBe(false));
    await vi.waitFor(() => expect(frame()).not.toMatch(/kube-tutor-worker/));
    // what is drawn from now on fits: the help's long lines wrap, the status line is cut
    await run('/help');
    await vi.waitFor(() => expect(frame()).toMatch(/\/hint/));
    const afterHelp = frame().slice(frame().lastIndexOf('$ /help'));
    expect(widest(afterHelp)).toBeLessThanOrEqual(60);
    expect(plain(afterHelp)).toMatch(/mini 1\/3 .*│ sandbox/);
    expect(plain(afterHelp)).toMatch(/❯/);
    resize(120);
    await vi.waitFor(() => expect(ctl.getSnapshot().panel).toBe(true));
    await vi.waitFor(() => expect(frame()).toMatch(/kube-tutor-worker/));
    // …and at 120 columns the same help is laid out wider than 60 (so the check above can fail)
    await run('/help');
    await vi.waitFor(() => expect(frame().lastIndexOf('$ /help')).toBeGreaterThan(frame().indexOf('$ /help')));
    expect(widest(frame().slice(frame().lastIndexOf('$ /help')))).toBeGreaterThan(60);
  });

  it('runs an interactive `exec -it` session in the transcript: its prompt at the prompt, Ctrl-D ends it', async () => {
    const { run, frame, r, ctl } = await screen(null);
    await run('kubectl run shellbox --image=busybox -- sleep 3600');
    await t.clock.advance(30_000);
    await t.clock.settle();
    await run('kubectl exec -it shellbox -- sh');
    await vi.waitFor(() => expect(ctl.getSnapshot().attached?.prompt).toBe('/ # '));
    expect(frame()).toMatch(/connected: what you type now goes to the container/);
    expect(frame()).toMatch(/^\/ #/m);
    expect(frame()).toMatch(/│ in: kubectl exec -it shellbox -- sh \(Ctrl-D ends\)/);
    expect(frame()).not.toMatch(/❯/);
    r.stdin.write('echo hello-from-$HOSTNAME\r');
    await vi.waitFor(() => expect(frame()).toMatch(/^\/ # echo hello-from-\$HOSTNAME\nhello-from-shellbox$/m));
    // Tab does not complete kubectl words inside the container's shell
    r.stdin.write('ge\t');
    await vi.waitFor(() => expect(ctl.getSnapshot().line.text).toBe('ge'));
    r.stdin.write('\x15\x04');
    await vi.waitFor(() => expect(frame()).toMatch(/session ended: kubectl exec -it shellbox -- sh \(exit code 0\)/));
    expect(ctl.getSnapshot().attached).toBeUndefined();
    expect(ctl.getSnapshot().exited).toBe(false);
    await run('kubectl delete pod shellbox --grace-period=0 --force');
  });

  it('asks before a destructive command on a real cluster: no keeps everything, yes deletes', async () => {
    const { run, frame, r, ctl } = await screen(null, { real: true });
    await run('kubectl create namespace confirm-me');
    await run('kubectl create configmap keep-me -n confirm-me --from-literal=a=1');
    r.stdin.write('kubectl delete configmaps --all -n confirm-me\r');
    await vi.waitFor(() => expect(ctl.getSnapshot().question).toMatch(/would delete every matching object in namespace "confirm-me" on context "kube-tutor"\. Continue\?/));
    expect(frame()).toMatch(/Continue\? \[y\/N\]/);
    r.stdin.write('n\r');
    await vi.waitFor(() => expect(frame()).toMatch(/deletion cancelled: nothing was deleted on context "kube-tutor"/));
    await ctl.idle();
    await run('kubectl get configmap keep-me -n confirm-me -o name');
    await vi.waitFor(() => expect(frame()).toMatch(/^configmap\/keep-me$/m));
    r.stdin.write('kubectl delete configmaps --all -n confirm-me\r');
    await vi.waitFor(() => expect(ctl.getSnapshot().question).toBeDefined());
    r.stdin.write('yes\r');
    await vi.waitFor(() => expect(frame()).toMatch(/configmap "keep-me" deleted/));
    expect(ctl.getSnapshot().question).toBeUndefined();
    await ctl.idle();
    // deleting a namespace asks too
    r.stdin.write('kubectl delete namespace confirm-me --wait=false\r');
    await vi.waitFor(() => expect(ctl.getSnapshot().question).toMatch(/a namespace with everything in it/));
    r.stdin.write('y\r');
    await vi.waitFor(() => expect(frame()).toMatch(/namespace "confirm-me" deleted/));
  });
});
