/**
 * Startup time of the built CLI in a pseudo-terminal (util-linux `script`), the way a learner starts
 * it, beside `node -e ''` started the same way on the same machine.
 *
 *   node bench/run.mjs startup [--runs N] [--quick] [--prof] [--bin PATH]
 *
 * Each round (scenarios interleaved, so machine load hits them alike), with fresh XDG_DATA_HOME /
 * XDG_CONFIG_HOME / HOME temp dirs per run:
 *   - `node -e ''` (printing its own CPU time) and `kube-tutor --version`: spawn → exit;
 *   - `kube-tutor sandbox`: spawn → the prompt `❯` drawn, spawn → ready (the sandbox started in
 *     process, the free-mode note and the `sandbox mode` status line drawn), then `kubectl get nodes`
 *     typed: Enter → the node table drawn (the sandbox answering);
 *   - the same again in the data dirs the first launch left (a relaunch: saved sandbox state);
 *   - `kube-tutor learn <first lesson>`: spawn → `❯`, spawn → ready (the status line shows step 1);
 *   - `kube-tutor` with no arguments (the welcome: the lesson list, then the first lesson): spawn → ready.
 * At "ready" the CLI's CPU time so far is read from /proc: on a shared machine it moves much less
 * with the load than the wall time does.
 * Ctrl-D quits each screen. `--prof` runs one more `sandbox` start under `node --cpu-prof` and
 * leaves the profile in bench/.tmp/prof/ (summarise it with bench/profile-summary.mjs).
 * `--bin PATH` starts another copy of the CLI (an installed package, a baseline tree) instead of this
 * tree's bin/kube-tutor. Needs the build (`npm run build`) and `script`. Prints figures; never fails a test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(argv[runsAt + 1]) : argv.includes('--quick') ? 5 : 10;
const PROFILE = argv.includes('--prof');
/** the target of the issue: launch → interactive prompt with the sandbox answering */
const TARGET_MS = 500;
/**
 * Keys are typed this long after the screen that asks for them: Ink draws its first frame before it
 * puts the terminal in raw mode, and keys typed in between reach a cooked tty (where Ctrl-D is an
 * end-of-file and lost). Typing waits; the timings are taken when the screens appear, not after.
 */
const TYPE_DELAY_MS = 200;
/** give up on one run after this long (a broken build, a hung screen) */
const RUN_TIMEOUT_MS = 30_000;

/** the repository root: the nearest package.json above this file (run.mjs runs it from bench/.tmp/) */
function findRepo(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir ? dir : findRepo(dirname(dir));
}
const repo = findRepo(import.meta.dirname);
const binAt = argv.indexOf('--bin');
/** the CLI to start: this tree's build, or `--bin PATH` (an installed package, a copy of an older tree) */
const bin = binAt >= 0 ? resolve(argv[binAt + 1]!) : join(repo, 'bin', 'kube-tutor');
const profDir = join(repo, 'bench', '.tmp', 'prof');

// ---------------------------------------------------------------- one run in a pty

/**
 * A point to time in a run: when `re` first matches the screen text (a number its first group
 * captures is kept as `<name>:value`); `send` is typed TYPE_DELAY_MS later (the time as `<name>:sent`).
 */
interface Mark {
  name: string;
  re: RegExp;
  send?: string;
}

/** milliseconds from spawn to each mark and to `exit`, with the `<mark>:cpu|:sent|:value` extras */
type Timings = Record<string, number>;

/**
 * CPU time (user + system, ms) the program `script` started has used so far, read from /proc
 * (Linux): a figure that moves far less than wall time with the machine's load. NaN elsewhere.
 */
function cpuMsOfProgram(scriptPid: number | undefined): number {
  try {
    const pid = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(/\s+/)[0];
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    // after "pid (comm) ": state is field 3, utime 14 and stime 15, in clock ticks (100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\x1b\][^\x07]*\x07/g, '').replace(/\x1b[=>78]/g, '');
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Run `command` (argv, joined for `script -c`) in a pseudo-terminal with HOME and the XDG dirs
 * under `home`, time the marks in order, then type `quit` (if any) and wait for the exit.
 */
function runInPty(command: string[], home: string, marks: Mark[], quit?: string): Promise<Timings> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: join(home, 'home'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    TERM: 'xterm-256color',
    LANG: 'en_US.UTF-8',
    COLUMNS: '120',
    LINES: '40',
  };
  delete env.CI; // Ink draws differently on CI
  delete env.KUBECONFIG; // a cluster of the environment is only offered, but keep the screen the same
  return new Promise<Timings>((done, fail) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', command.map(quote).join(' '), '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timings: Timings = {};
    let screen = '';
    let next = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${command.join(' ')}: no "${marks[next]?.name ?? 'exit'}" within ${RUN_TIMEOUT_MS} ms:\n${stripAnsi(screen).slice(-1500)}`));
    }, RUN_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      const now = performance.now();
      screen += chunk.toString('utf8');
      const text = stripAnsi(screen);
      for (let m = marks[next]?.re.exec(text); m; m = marks[next]?.re.exec(text)) {
        const mark = marks[next++]!;
        timings[mark.name] = now - t0;
        if (m[1] !== undefined) timings[`${mark.name}:value`] = Number(m[1]);
        timings[`${mark.name}:cpu`] = cpuMsOfProgram(child.pid);
        if (mark.send !== undefined) typeLater(mark.name, mark.send);
        if (next === marks.length && quit !== undefined) {
          setTimeout(sendQuit, TYPE_DELAY_MS);
          quitting = setInterval(sendQuit, 2000);
        }
      }
    };
    const typeLater = (name: string, keys: string) =>
      setTimeout(() => {
        timings[`${name}:sent`] = performance.now() - t0;
        child.stdin.write(keys);
      }, TYPE_DELAY_MS);
    let quitting: NodeJS.Timeout | undefined;
    const sendQuit = () => {
      if (child.exitCode === null) child.stdin.write(quit!);
    };
    child.stdin.on('error', () => {}); // a key typed as the program exits
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      timings.exit = performance.now() - t0;
      clearTimeout(timer);
      clearInterval(quitting);
      if (next < marks.length) fail(new Error(`${command.join(' ')} exited ${code} before "${marks[next]!.name}":\n${stripAnsi(screen).slice(-1500)}`));
      else done(timings);
    });
  });
}

// ---------------------------------------------------------------- scenarios

const PROMPT = /❯/;
const node = process.execPath;
/** `node -e ''` that prints its CPU time (user + system, ms) as it exits */
const EMPTY_PROGRAM = "process.on('exit', () => { const u = process.cpuUsage(); console.log(`cpu ${(u.user + u.system) / 1000}`); })";
/** the status line (`<lesson or sandbox mode> … │ sandbox …`) over the prompt */
const statusThenPrompt = (what: string) => new RegExp(`${what}[^\\n]*│\\s*sandbox[\\s\\S]*❯`);
const SANDBOX_READY = new RegExp(`Sandbox mode: commands just run[\\s\\S]*${statusThenPrompt('sandbox mode').source}`);

interface Scenario {
  name: string;
  /** `previous`: run in the data dirs the scenario before it (same round) left behind */
  home: 'fresh' | 'previous';
  run(home: string): Promise<Timings>;
  /** the figures to print: [label, (timings) => ms, 'cpu' for CPU time (no ratio to a wall time)] */
  figures: Array<[string, (t: Timings) => number, 'cpu'?]>;
}

const newHome = () => mkdtempSync(join(tmpdir(), 'kt-bench-startup-'));

/** the first lesson's id: the status line shows "<id> 1/<steps>" once it is open */
function firstLessonId(): string {
  const home = newHome();
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };
  const out = spawnSync(node, [bin, 'lessons'], { encoding: 'utf8', env });
  rmSync(home, { recursive: true, force: true });
  const id = out.stdout.split('\n')[0]?.split(/\s+/)[0];
  if (!id) throw new Error(`kube-tutor lessons printed no lesson:\n${out.stdout}${out.stderr}`);
  return id;
}

/** `kube-tutor sandbox`: prompt, ready, then `kubectl get nodes` answered; Ctrl-D quits */
const sandboxRun = (home: string) =>
  runInPty(
    [node, bin, 'sandbox'],
    home,
    [
      { name: 'prompt', re: PROMPT },
      { name: 'ready', re: SANDBOX_READY, send: 'kubectl get nodes' },
      { name: 'echo', re: /❯ kubectl get nodes/, send: '\r' },
      { name: 'answer', re: /kube-tutor-control-plane\s+Ready/ },
    ],
    '\x04',
  );

function scenarios(lesson: string): Scenario[] {
  return [
    {
      name: "node -e ''",
      home: 'fresh',
      run: (home) => runInPty([node, '-e', EMPTY_PROGRAM], home, [{ name: 'cpu', re: /cpu ([\d.]+)/ }]),
      figures: [
        ["node -e '': spawn → exit", (t) => t.exit!],
        ["node -e '': CPU time", (t) => t['cpu:value']!, 'cpu'],
      ],
    },
    {
      name: 'kube-tutor --version',
      home: 'fresh',
      run: (home) => runInPty([node, bin, '--version'], home, [{ name: 'printed', re: /kube-tutor \S+/ }]),
      figures: [['kube-tutor --version: spawn → exit', (t) => t.exit!]],
    },
    {
      name: 'kube-tutor sandbox',
      home: 'fresh',
      run: sandboxRun,
      figures: [
        ['sandbox, first launch: spawn → ❯ drawn', (t) => t.prompt!],
        ['sandbox, first launch: spawn → ready', (t) => t.ready!],
        ['sandbox, first launch: CPU time of the CLI at ready', (t) => t['ready:cpu']!, 'cpu'],
        ['sandbox: `kubectl get nodes` Enter → table drawn', (t) => t.answer! - t['echo:sent']!],
      ],
    },
    {
      name: 'kube-tutor sandbox, again',
      home: 'previous',
      run: sandboxRun,
      figures: [
        ['sandbox, relaunch (same data dir): spawn → ready', (t) => t.ready!],
        ['sandbox, relaunch: CPU time of the CLI at ready', (t) => t['ready:cpu']!, 'cpu'],
      ],
    },
    {
      name: `kube-tutor learn ${lesson}`,
      home: 'fresh',
      run: (home) =>
        runInPty(
          [node, bin, 'learn', lesson],
          home,
          [
            { name: 'prompt', re: PROMPT },
            { name: 'ready', re: statusThenPrompt(`${lesson} 1/\\d+`) },
          ],
          '\x04',
        ),
      figures: [
        [`learn ${lesson}: spawn → ❯ drawn`, (t) => t.prompt!],
        [`learn ${lesson}: spawn → ready (step 1 drawn)`, (t) => t.ready!],
        [`learn ${lesson}: CPU time of the CLI at ready`, (t) => t['ready:cpu']!, 'cpu'],
      ],
    },
    {
      name: 'kube-tutor',
      home: 'fresh',
      run: (home) =>
        runInPty(
          [node, bin],
          home,
          [{ name: 'ready', re: new RegExp(`not started[\\s\\S]*${statusThenPrompt(`${lesson} 1/\\d+`).source}`) }],
          '\x04',
        ),
      figures: [
        [`kube-tutor, no arguments: spawn → list + step 1 drawn`, (t) => t.ready!],
        [`kube-tutor, no arguments: CPU time of the CLI at ready`, (t) => t['ready:cpu']!, 'cpu'],
      ],
    },
  ];
}

/** one round: every scenario once, in order, each in fresh data dirs unless it continues the previous one */
async function round(all: Scenario[]): Promise<Timings[]> {
  const homes: string[] = [];
  const out: Timings[] = [];
  try {
    for (const s of all) {
      if (s.home === 'fresh' || !homes.length) homes.push(newHome());
      out.push(await s.run(homes[homes.length - 1]!));
    }
  } finally {
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  }
  return out;
}

// ---------------------------------------------------------------- report

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

const ms = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(0)} ms`).padStart(9);

async function main(): Promise<void> {
  if (binAt < 0 && !existsSync(join(repo, 'dist', 'main.js'))) {
    console.error('bench/startup: dist/main.js is missing; run `npm run build` first');
    process.exit(2);
  }
  if (spawnSync('script', ['--version']).status !== 0) {
    console.error('bench/startup: util-linux `script` is needed to run the CLI in a pseudo-terminal');
    process.exit(2);
  }
  const lesson = firstLessonId();
  const all = scenarios(lesson);
  console.log(`bench/startup: ${bin}, ${RUNS} runs each, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`);
  await round(all); // unmeasured: warms the page cache
  const rounds: Timings[][] = [];
  for (let i = 0; i < RUNS; i++) rounds.push(await round(all));
  const of = (i: number) => rounds.map((r) => r[i]!);

  const baseline = pct(of(0).map((t) => t.exit!), 50);
  console.log(`\n${'figure'.padEnd(54)}${'median'.padStart(9)}${'p90'.padStart(9)}${'min'.padStart(9)}   × node -e ''`);
  all.forEach((s, i) => {
    for (const [label, get, cpu] of s.figures) {
      const xs = of(i).map(get);
      const ratio = cpu ? '' : `   ${(pct(xs, 50) / baseline).toFixed(1)}×`;
      console.log(`${label.padEnd(54)}${ms(pct(xs, 50))}${ms(pct(xs, 90))}${ms(Math.min(...xs))}${ratio}`);
    }
  });
  const ready = Math.max(...all.map((s, i) => (of(i).every((t) => t.ready !== undefined) ? pct(of(i).map((t) => t.ready!), 50) : 0)));
  console.log(`\nlaunch → ready, the slowest scenario (median): ${ready.toFixed(0)} ms; target ≤ ${TARGET_MS} ms: ${ready <= TARGET_MS ? 'met' : 'NOT met'}`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end; every figure includes \`script\` setting up the pty, as \`node -e ''\` does`);

  if (PROFILE) {
    mkdirSync(profDir, { recursive: true });
    const before = new Set(readdirSync(profDir));
    const home = newHome();
    try {
      await runInPty([node, '--cpu-prof', `--cpu-prof-dir=${profDir}`, bin, 'sandbox'], home, [{ name: 'ready', re: SANDBOX_READY }], '\x04');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    const made = readdirSync(profDir).filter((f) => !before.has(f));
    console.log(`\nprofile of one \`kube-tutor sandbox\` first launch → ready → Ctrl-D: ${made.map((f) => join(profDir, f)).join(', ')}`);
    console.log('summarise: node bench/profile-summary.mjs <file>  (dist/ is minified: names are kept, lines are not)');
  }
}

await main();
