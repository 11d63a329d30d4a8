/**
 * `kube-tutor` command line: the tutor (no arguments, `learn`, `sandbox`, `lessons`, `progress`),
 * `serve` (the embedded sandbox cluster on its own), `sandbox warp|time|node` (powers over a running
 * sandbox), `kubectl` (our kubectl, one command) and `lessons-check`.
 */
import { parseArgs } from 'node:util';
import { dataDir, defaultKubeconfigPath, defaultStateDir } from './paths.js';
import { parseDuration } from './sandbox/clock.js';
import { DOWN_ANNOTATION } from './sandbox/kubelet/annotations.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const HELP = `kube-tutor — learn kubectl against a real API, in your terminal.

Usage:
  kube-tutor                        the interactive tutor on the embedded sandbox (resumes your lesson)
  kube-tutor learn [LESSON] [--plain]
                                    a lesson (--plain, or stdin not a terminal: line by line, plain text)
  kube-tutor sandbox                free mode: no lesson, commands just run (/lessons, /lesson ID)
  kube-tutor lessons | progress     list the lessons / your progress (progress --export F | --import F | --reset)
  kube-tutor serve [flags]          run the embedded sandbox cluster
  kube-tutor sandbox warp DURATION  move a running sandbox's clock forward (e.g. 15m)
  kube-tutor sandbox time           print a running sandbox's simulated time
  kube-tutor sandbox node down|up NAME
                                    stop / resume a node's kubelet (its pods go Unknown, then move)
  kube-tutor kubectl ARGS...        run one command with kube-tutor's own kubectl and exit with its code
                                    (uses --kubeconfig / $KUBECONFIG / ~/.kube/config, like kubectl)
  kube-tutor --help | --version

serve flags:
  --port N            port on 127.0.0.1 (default 0: a random free port)
  --kubeconfig PATH   where to write the kubeconfig (default ${defaultKubeconfigPath()})
  --state DIR         where the cluster's state lives (default ${defaultStateDir()})
  --ephemeral         keep nothing on disk: a fresh cluster each time
  --reset             delete the state dir's cluster first
  --nodes N           worker nodes of a fresh cluster (default 3)
  --speed X           simulated time runs X times faster than wall time (default 1)

tutor flags (kube-tutor, learn, sandbox; see kube-tutor learn --help):
  --lang en|zh        the tutor's language (default: from the locale)
  --fresh             start the embedded sandbox clean (its state is kept between runs)
  --kubeconfig PATH / --context NAME
                      learn on a real cluster instead of the embedded sandbox

sandbox warp|time|node flags:
  --kubeconfig PATH   the sandbox's kubeconfig (default: $KUBECONFIG, then ${defaultKubeconfigPath()})
`;

const SANDBOX_POWERS = new Set(['warp', 'time', 'node']);

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd.startsWith('--') && !['--help', '--version'].includes(cmd)) return tutorCommand('learn', argv, { welcome: true });
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') return printVersion();
  if ((cmd === 'serve' || cmd === 'sandbox' || cmd === 'lessons-check') && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(HELP);
    return 0;
  }
  if ((cmd === 'serve' || cmd === 'sandbox') && rest.includes('--version')) return printVersion();
  if (cmd === 'serve') return serve(rest);
  // `sandbox warp|time|node …` act on a running sandbox; `sandbox [flags]` is the tutor's free mode
  if (cmd === 'sandbox') return rest.some((a) => SANDBOX_POWERS.has(a)) ? sandboxCommand(rest) : tutorCommand('sandbox', rest);
  if (cmd === 'kubectl') return kubectlCommand(rest);
  if (cmd === 'lessons-check') return lessonsCheck(rest);
  if (cmd === 'lessons-cache') {
    // the build's step: the lessons, validated, as dist/lessons.json (see tutor/loader.ts)
    const { writeLessonsCache, defaultLessonsDir } = await import('./tutor/loader.js');
    writeLessonsCache(defaultLessonsDir());
    return 0;
  }
  if (cmd === 'learn' || cmd === 'lessons' || cmd === 'progress') return tutorCommand(cmd, rest);
  process.stderr.write(`error: unknown command "${cmd}" for "kube-tutor"\nRun 'kube-tutor --help' for usage.\n`);
  return 1;
}

const TUTOR_HELP: Record<string, string> = {
  learn: `Usage: kube-tutor learn [LESSON] [flags]

Open a lesson (default: the one you were in, else the first) in the interactive tutor.

Flags:
  --plain             line by line, plain text (also when stdin or stdout is not a terminal)
  --lang en|zh        the tutor's language (default: from LC_ALL / LC_MESSAGES / LANG)
  --fresh             start the embedded sandbox clean (its state is kept between runs otherwise)
  --ephemeral         an embedded sandbox that keeps nothing on disk
  --speed X           the sandbox's simulated time runs X times faster (default 1; 60 with --plain)
  --nodes N           worker nodes of a fresh sandbox (default 3)
  --kubeconfig PATH   learn on a real cluster from this kubeconfig (lessons get their own namespaces)
  --context NAME      learn on this kubeconfig context (a real cluster)
`,
  sandbox: `Usage: kube-tutor sandbox [flags]

Free mode: no lesson, commands just run (/lessons lists lessons, /lesson ID starts one).
Takes the same flags as learn (--lang, --fresh, --ephemeral, --speed, --nodes, --kubeconfig, --context).
Subcommands on a running sandbox: warp DURATION, time, node down|up NAME (see kube-tutor --help).
`,
  lessons: `Usage: kube-tutor lessons [--lang en|zh] [--kubeconfig PATH] [--context NAME]

List the lessons and your progress in each.
`,
  progress: `Usage: kube-tutor progress [--export FILE | --import FILE | --reset] [--kubeconfig PATH] [--context NAME]

Show your progress (per cluster: the sandbox, or a kubeconfig context), save it to a file, load it
from one (replacing what is here), or forget it.
`,
};

/**
 * The tutor: `learn` and `sandbox` (interactive, or `--plain` line by line), `lessons`, `progress`;
 * on the embedded sandbox or, with --kubeconfig/--context, on a real cluster.
 */
async function tutorCommand(cmd: string, args: string[], how: { welcome?: boolean } = {}): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: {
        plain: { type: 'boolean' }, lang: { type: 'string' }, kubeconfig: { type: 'string' }, context: { type: 'string' },
        speed: { type: 'string' }, nodes: { type: 'string' }, 'settle-ms': { type: 'string' }, fresh: { type: 'boolean' },
        ephemeral: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' },
        export: { type: 'string' }, import: { type: 'string' }, reset: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    return flagError(err);
  }
  if (values.help) {
    process.stdout.write(TUTOR_HELP[cmd] ?? HELP);
    return 0;
  }
  if (values.version) return printVersion();
  const onlyFor = (flags: string[], cmds: string[]) => flags.find((f) => values[f] !== undefined && !cmds.includes(cmd));
  const misplaced = onlyFor(['export', 'import', 'reset'], ['progress']) ?? onlyFor(['plain', 'fresh', 'ephemeral', 'speed', 'nodes', 'settle-ms'], ['learn', 'sandbox']);
  if (misplaced) return flagError(new Error(`unknown flag: --${misplaced} (for kube-tutor ${cmd})`));
  if (values.lang !== undefined && values.lang !== 'zh' && values.lang !== 'en') return flagError(new Error(`--lang must be en or zh`));
  const speed = values.speed === undefined ? (values.plain ? 60 : 1) : Number(values.speed);
  if (!(speed > 0)) return flagError(new Error(`invalid --speed "${values.speed}"`));
  const nodes = values.nodes === undefined ? 3 : Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 100) return flagError(new Error(`invalid --nodes "${values.nodes}" (1–100)`));
  const needsCluster = cmd === 'learn' || cmd === 'sandbox';
  // the interactive screen needs a terminal on both ends; otherwise the same session runs line by line
  const interactive = !values.plain && !!process.stdin.isTTY && !!process.stdout.isTTY && needsCluster;
  // raw mode at once: keys typed while the sandbox boots wait for the prompt instead of being echoed
  // by the terminal (and a Ctrl-D is not lost as end-of-file)
  if (interactive) {
    process.stdin.setRawMode(true);
    // whatever ends the process (an uncaught error included), the terminal gets its line mode back
    process.once('exit', () => {
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
    });
  }
  // the interactive tutor's modules, the screen's included, in one import (see interactive.ts)
  const screen = interactive ? await withoutFetch(() => import('./interactive.js')) : undefined;
  const { TutorApp, localeLang } = screen ?? (await import('./app/tutor-app.js'));
  const lang = values.lang === 'zh' || values.lang === 'en' ? values.lang : localeLang();
  const { mkdtempSync, rmSync, writeFileSync, readFileSync: readFile } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { embeddedSandbox, realCluster, offerRealCluster } = screen ?? (await import('./tutor-cluster.js'));
  const dir = mkdtempSync(join(tmpdir(), 'kube-tutor-'));
  const real = values.kubeconfig !== undefined || values.context !== undefined;
  let cluster: import('./tutor-cluster.js').ClusterChoice | undefined;
  try {
    if (real) cluster = realCluster(values.kubeconfig as string | undefined, values.context as string | undefined);
    else if (needsCluster) {
      cluster = await embeddedSandbox({ fresh: !!values.fresh, ephemeral: !!values.ephemeral, speed, nodes, scratchDir: dir });
      const offer = offerRealCluster();
      if (offer) cluster.notes.push(offer);
    }
    let controller: import('./app/repl.js').ReplController | undefined;
    const onOutput = interactive ? (text: string) => controller?.output(text) : undefined;
    const app = new TutorApp({
      kubeconfig: cluster?.kubeconfig ?? join(dir, 'none'), context: cluster?.context, sandbox: !real, lang, workDir: join(dir, 'work'),
      notes: cluster?.notes,
      // destructive commands on a real cluster ask at the prompt (line by line, they are refused)
      confirm: interactive ? (question) => controller!.confirm(question) : undefined,
    }, onOutput);
    if (cmd === 'lessons') {
      for (const l of app.set.lessons) process.stdout.write(`${l.id.padEnd(24)} ${app.progress.status(l.id, l.steps.map((s) => s.id)).padEnd(12)} ${l.title[lang]}\n`);
      return 0;
    }
    if (cmd === 'progress') {
      if (values.export !== undefined) {
        writeFileSync(values.export as string, app.progress.export() + '\n');
        process.stdout.write(`progress saved to ${values.export}\n`);
      } else if (values.import !== undefined) {
        app.progress.import(readFile(values.import as string, 'utf8'));
        process.stdout.write(`progress loaded from ${values.import}\n`);
      } else if (values.reset) {
        app.progress.resetAll();
        process.stdout.write(`progress on ${real ? 'this cluster' : 'the sandbox'} forgotten\n`);
      } else process.stdout.write(app.progress.summary(app.set, lang) + '\n');
      return 0;
    }
    // `learn` without an id: the lesson to resume, else the first one; `sandbox`: no lesson
    const id = cmd === 'sandbox' ? undefined : (positionals[0] ?? app.progress.current()?.lesson ?? app.set.lessons[0]?.id);
    if (interactive) {
      const { ReplController, History, Completer, runScreen } = screen!;
      controller = new ReplController({ app, completer: new Completer(app.session), history: new History({ file: join(dataDir(), 'history') }) });
      // the lesson opens before the first frame when that is quick (one frame instead of two); a
      // lesson whose setup talks to the cluster for longer opens while the screen is up
      const c = controller;
      const started = c.start(id, how).catch((e: Error) => c.output(`error: ${e.message}\n`));
      await Promise.race([started, new Promise((r) => setTimeout(r, 100))]);
      await runScreen(c);
      return 0;
    }
    if (!id && cmd !== 'sandbox') return flagError(new Error('learn needs a lesson id (see kube-tutor lessons)'));
    const { runPlain } = await import('./app/plain.js');
    return await runPlain(app, id, { input: process.stdin, output: process.stdout, settleMs: values['settle-ms'] ? Number(values['settle-ms']) : undefined });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  } finally {
    if (interactive) process.stdin.setRawMode(false);
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run lessons:check`: replay every lesson on a fresh sandbox (manual clock) and report */
async function lessonsCheck(args: string[]): Promise<number> {
  const only = args.indexOf('--lesson') >= 0 ? args[args.indexOf('--lesson') + 1] : undefined;
  const { parseLessons, defaultLessonsDir } = await import('./tutor/loader.js');
  const { checkLesson, checkManifests, checkCoverage } = await import('./tutor/checker.js');
  const { checkSandbox } = await import('./check-sandbox.js');
  let set;
  try {
    set = parseLessons(defaultLessonsDir());
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
  let failed = 0;
  const problems = [...checkCoverage(set), ...(await checkManifests(set, checkSandbox))];
  for (const p of problems) process.stdout.write(`✗ ${p}\n`);
  failed += problems.length;
  for (const lesson of set.lessons) {
    if (only && lesson.id !== only) continue;
    const r = await checkLesson(set, lesson, checkSandbox);
    const ok = r.problems.length === 0;
    process.stdout.write(`${ok ? '✓' : '✗'} ${lesson.id} (${r.steps.filter((s) => s.ok).length}/${lesson.steps.length} steps)\n`);
    for (const p of r.problems) process.stdout.write(`    ${p}\n`);
    if (!ok) failed++;
  }
  process.stdout.write(failed ? `${failed} problem(s)\n` : 'all lessons check out\n');
  return failed ? 1 : 0;
}

/** one command of our kubectl, streamed to this process's stdout/stderr; Ctrl-C stops streaming commands */
async function kubectlCommand(args: string[]): Promise<number> {
  const { Session, start, processStdin } = await import('./kubectl/index.js');
  const session = new Session({ confirm: undefined, confirmDestructive: false, hints: false });
  const exec = start(args, session, {
    stdin: processStdin(),
    onOutput: (stream, text) => (stream === 'stdout' ? process.stdout : process.stderr).write(text),
  });
  const stop = () => exec.cancel();
  process.on('SIGINT', stop);
  const result = await exec.done;
  process.off('SIGINT', stop);
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  return result.exitCode;
}

/**
 * Run `load` with globalThis.fetch hidden: yoga (Ink's layout engine) probes `typeof fetch` while it
 * loads its inlined WebAssembly, and that probe alone makes Node load its fetch implementation
 * (undici, ~40 ms of startup) for nothing. Reading the property descriptor does not load it.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!saved?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', saved);
  }
}

function printVersion(): number {
  process.stdout.write(`kube-tutor ${VERSION}\n`);
  return 0;
}

function flagError(err: unknown): number {
  process.stderr.write(`error: ${(err as Error).message}\nRun 'kube-tutor --help' for usage.\n`);
  return 1;
}

async function serve(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' }, kubeconfig: { type: 'string' }, state: { type: 'string' },
        ephemeral: { type: 'boolean' }, reset: { type: 'boolean' }, nodes: { type: 'string' }, speed: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return flagError(err);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return flagError(new Error(`invalid --port "${values.port}"`));
  const nodes = values.nodes === undefined ? 3 : Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 100) return flagError(new Error(`invalid --nodes "${values.nodes}" (1–100)`));
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) return flagError(new Error(`invalid --speed "${values.speed}"`));
  if (values.ephemeral && values.state) return flagError(new Error('--state and --ephemeral cannot be used together'));
  const stateDir = values.ephemeral ? undefined : ((values.state as string | undefined) ?? defaultStateDir());
  const kubeconfigPath = (values.kubeconfig as string | undefined) ?? defaultKubeconfigPath();

  // Ctrl-C / SIGTERM stop the cluster cleanly at any point, during its boot too (the handlers are in
  // place before anything starts, so no signal finds the default action and cuts a state write short)
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const { startSandbox, resetState } = await import('./sandbox/sandbox.js');
  const { writeKubeconfig } = await import('./kubeconfig-file.js');
  let sandbox;
  try {
    if (values.reset && stateDir) resetState(stateDir);
    sandbox = await startSandbox({ port, stateDir, nodes, speed });
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
  writeKubeconfig(kubeconfigPath, sandbox.kubeconfig());
  process.stdout.write(`kube-tutor sandbox ready at ${sandbox.url} (kubeconfig: ${kubeconfigPath})\n`);
  await stopped;
  await sandbox.close();
  return 0;
}

/** `sandbox warp|time|node`: one request to the sandbox the kubeconfig points at, through our kubectl's REST client */
async function callSandbox(path: string, method: string, url: string, patch?: unknown): Promise<{ code: number; body: string; server: string }> {
  const { Kubeconfig } = await import('./kubectl/client/kubeconfig-model.js');
  const { RestClient } = await import('./kubectl/client/rest.js');
  let kc;
  try {
    kc = Kubeconfig.fromFile(path);
  } catch (e) {
    throw new Error(`cannot read kubeconfig ${path}: ${(e as Error).message}`);
  }
  const rest = new RestClient(kc);
  const r = await rest.raw(url, { method, body: patch, contentType: patch === undefined ? undefined : 'application/merge-patch+json' });
  return { code: r.status, body: r.text(), server: rest.server };
}

async function sandboxCommand(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options: { kubeconfig: { type: 'string' } }, allowPositionals: true, strict: true }));
  } catch (err) {
    return flagError(err);
  }
  const [sub, arg] = positionals;
  const path = (values.kubeconfig as string | undefined) ?? process.env.KUBECONFIG?.split(':')[0] ?? defaultKubeconfigPath();
  try {
    if (sub === 'warp') {
      if (!arg) return flagError(new Error('warp needs a duration, e.g. kube-tutor sandbox warp 15m'));
      parseDuration(arg);
      const r = await callSandbox(path, 'POST', `/sandbox/v1/time?warp=${encodeURIComponent(arg)}`);
      if (r.code !== 200) throw new Error(r.code === 404 ? `${r.server} is not a kube-tutor sandbox` : JSON.parse(r.body).message ?? r.body);
      process.stdout.write(`sandbox clock moved forward ${arg}: now ${JSON.parse(r.body).now}\n`);
      return 0;
    }
    if (sub === 'time') {
      const r = await callSandbox(path, 'GET', '/sandbox/v1/time');
      if (r.code !== 200) throw new Error(r.code === 404 ? `${r.server} is not a kube-tutor sandbox` : r.body);
      process.stdout.write(`${JSON.parse(r.body).now}\n`);
      return 0;
    }
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
  if (sub === 'node') {
    const [, action, node] = positionals;
    if ((action !== 'down' && action !== 'up') || !node) return flagError(new Error('usage: kube-tutor sandbox node down|up NAME'));
    try {
      // through the API, like any client: the kubelet watches its node and honours the annotation
      const patch = { metadata: { annotations: { [DOWN_ANNOTATION]: action === 'down' ? 'true' : null } } };
      const r = await callSandbox(path, 'PATCH', `/api/v1/nodes/${encodeURIComponent(node)}?fieldManager=kube-tutor`, patch);
      if (r.code !== 200) throw new Error(JSON.parse(r.body).message ?? r.body);
      process.stdout.write(action === 'down'
        ? `node/${node} is down: its kubelet stops reporting; in about 50s it goes NotReady\n`
        : `node/${node} is up again\n`);
      return 0;
    } catch (err) {
      process.stderr.write(`error: ${(err as Error).message}\n`);
      return 1;
    }
  }
  return flagError(new Error(`unknown sandbox command "${sub ?? ''}" (use warp, time or node)`));
}
