/**
 * Running one command line: tokenize, accept `kubectl …`, `k …` or a bare verb, find the command
 * (and subcommand), parse flags, validate, run, and turn every failure into kubectl's stderr text
 * and exit code. `start()` gives a cancellable execution with live output (for `get -w`, `logs -f`,
 * `exec -it`, `port-forward`); `run()` waits for the end and returns everything.
 */
import type { ApiClient } from './client/api.js';
import { formatError, KubectlError } from './client/errors.js';
import type { Command, Effect, Invocation, Stdin } from './command.js';
import { findCommand, loadCommands } from './commands.js';
import { GLOBAL_FLAGS } from './flags-global.js';
import { FlagError, parseFlags, type FlagSpec, type FlagValue } from './input/flags.js';
import { tokenize } from './input/tokenize.js';
import { warningContext } from './client/warnings.js';
import type { Session } from './session.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  effects: Effect[];
  /** the words as kubectl saw them (after `kubectl`/`k`) */
  argv: string[];
}

export interface StartOptions {
  stdin?: Stdin;
  /** live output, as it is written */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  signal?: AbortSignal;
}

export interface Execution {
  /** resolves when the command ends (or after cancel()) */
  readonly done: Promise<RunResult>;
  /** stop a streaming command (Ctrl-C) */
  cancel(): void;
}

/** what the line asks for, before running it */
export interface ParsedLine {
  argv: string[];
  effects: Effect[];
  error?: string;
}

/** Words of a line without the leading `kubectl` / `k`. */
export function parseLine(line: string, vars: Record<string, string | undefined> = {}): ParsedLine {
  const t = tokenize(line, vars);
  const effects: Effect[] = [];
  if (t.unterminated) return { argv: [], effects, error: `unexpected EOF while looking for matching \`${t.unterminated}'` };
  if (t.operators.length) {
    const op = t.operators[0]!.op;
    return { argv: [], effects, error: `this prompt runs one kubectl command at a time; the shell operator "${op}" is not supported here` };
  }
  let argv = t.tokens.map((x) => x.value);
  if (argv[0] === 'kubectl') argv = argv.slice(1);
  else if (argv[0] === 'k') {
    effects.push({ type: 'alias', from: 'k', to: 'kubectl' });
    argv = argv.slice(1);
  }
  return { argv, effects };
}

function globalSpecsFor(cmd: Command | undefined): FlagSpec[] {
  const own = new Set((cmd?.flags ?? []).map((f) => f.name));
  const shorts = new Set((cmd?.flags ?? []).map((f) => f.short).filter(Boolean));
  return GLOBAL_FLAGS.filter((g) => !own.has(g.name) && !(g.short && shorts.has(g.short)));
}

/**
 * Locate the command in argv: global flags may come first (`kubectl -n x get po`), then the verb,
 * then subcommand names. Returns the command path and the remaining words (flags included).
 */
export function locateCommand(argv: string[], commands: readonly Command[]): { cmd?: Command; path: string[]; rest: string[]; unknown?: string } {
  const rest: string[] = [];
  let i = 0;
  // skip leading global flags (with their values)
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--') {
    const a = argv[i]!;
    rest.push(a);
    const spec = a.startsWith('--') ? GLOBAL_FLAGS.find((g) => g.name === a.slice(2)) : a.length === 2 ? GLOBAL_FLAGS.find((g) => g.short === a[1]) : undefined;
    if (spec && spec.type !== 'bool' && !a.includes('=') && i + 1 < argv.length) rest.push(argv[++i]!);
    i++;
  }
  if (i >= argv.length) return { path: [], rest };
  const verb = argv[i]!;
  let cmd = findCommand(commands, verb);
  if (!cmd) return { path: [], rest, unknown: verb };
  const path = [cmd.name];
  i++;
  // subcommands: the first positional word after the command, flags may sit between
  const after = argv.slice(i);
  while (cmd.subcommands?.length) {
    const idx = after.findIndex((w, k) => !w.startsWith('-') && !(k > 0 && isFlagValue(after, k, cmd!)));
    if (idx < 0) break;
    const sub = findCommand(cmd.subcommands, after[idx]!);
    if (!sub) break;
    after.splice(idx, 1);
    cmd = sub;
    path.push(sub.name);
  }
  return { cmd, path, rest: [...rest, ...after] };
}

/** is after[k] the value of the flag before it? */
function isFlagValue(words: string[], k: number, cmd: Command): boolean {
  const prev = words[k - 1]!;
  if (!prev.startsWith('-') || prev.includes('=')) return false;
  const specs = [...(cmd.flags ?? []), ...GLOBAL_FLAGS];
  const spec = prev.startsWith('--') ? specs.find((s) => s.name === prev.slice(2)) : prev.length === 2 ? specs.find((s) => s.short === prev[1]) : undefined;
  return !!spec && spec.type !== 'bool' && spec.noOptDefault === undefined;
}

export function start(line: string | string[], session: Session, opts: StartOptions = {}): Execution {
  const controller = new AbortController();
  if (opts.signal) {
    if (opts.signal.aborted) controller.abort();
    else opts.signal.addEventListener('abort', () => controller.abort(), { once: true });
  }
  let errSink: (t: string) => void = () => undefined;
  const done = warningContext.run({ seen: new Set(), write: (t) => errSink(t) }, () =>
    execute(line, session, opts, controller.signal, (w) => (errSink = w)),
  );
  return { done, cancel: () => controller.abort() };
}

export function run(line: string | string[], session: Session, opts: Omit<StartOptions, 'signal'> & { signal?: AbortSignal } = {}): Promise<RunResult> {
  return start(line, session, opts).done;
}

async function execute(
  line: string | string[],
  session: Session,
  opts: StartOptions,
  signal: AbortSignal,
  bindWarnings: (write: (t: string) => void) => void,
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const effects: Effect[] = [];
  const out = { write: (t: string) => { stdout += t; opts.onOutput?.('stdout', t); } };
  const err = { write: (t: string) => { stderr += t; opts.onOutput?.('stderr', t); } };
  bindWarnings(err.write);
  const finish = (exitCode: number, argv: string[]): RunResult => ({ stdout, stderr, exitCode, effects, argv });

  let argv: string[];
  if (Array.isArray(line)) argv = [...line];
  else {
    const parsed = parseLine(line, session.env);
    effects.push(...parsed.effects);
    if (parsed.error) {
      err.write(`error: ${parsed.error}\n`);
      return finish(1, []);
    }
    argv = parsed.argv;
  }

  const commands = await loadCommands();
  const withHints = async (r: RunResult, located: { cmd?: Command; path: string[] }, client?: () => Promise<ApiClient>): Promise<RunResult> => {
    if (session.hints === false) return r;
    try {
      const { computeHints } = await import('./hints/index.js');
      for (const hint of await computeHints({ argv, path: located.path, command: located.cmd, commands, stderr: r.stderr, exitCode: r.exitCode, client })) {
        effects.push({ type: 'hint', ...hint });
      }
      if (client && r.exitCode === 0) await aliasEffects(argv, located.path, client, effects);
    } catch {
      /* hints never break a command */
    }
    return r;
  };

  const located = locateCommand(argv, commands);
  if (located.unknown !== undefined) {
    err.write((await import('./suggest.js')).unknownCommandMessage(located.unknown, commands));
    return withHints(finish(1, argv), located);
  }
  const cmd = located.cmd;
  if (!cmd) {
    out.write((await import('./cmd/help.js')).rootHelp(commands));
    return finish(0, argv);
  }
  const cmdPath = `kubectl ${located.path.join(' ')}`;
  const hint = `See '${cmdPath} --help' for usage.`;
  let parsed;
  try {
    parsed = parseFlags(located.rest, [...(cmd.flags ?? []), ...globalSpecsFor(cmd)]);
  } catch (e) {
    if (e instanceof FlagError) {
      err.write(`error: ${e.message}\n${hint}\n`);
      return withHints(finish(1, argv), located);
    }
    throw e;
  }
  for (const w of parsed.warnings) err.write(w + '\n');
  if (parsed.values.help === true) {
    out.write((await import('./cmd/help.js')).commandHelp(cmd, located.path));
    return finish(0, argv);
  }
  if (!cmd.run) {
    // a command group without a subcommand (e.g. `kubectl set`): kubectl prints its help and exits 1
    const help = (await import('./cmd/help.js')).commandHelp(cmd, located.path);
    (cmd.groupHelpTo === 'stdout' ? out : err).write(help);
    return finish(1, argv);
  }

  let clientPromise: Promise<ApiClient> | undefined;
  const flags = parsed.values;
  const inv: Invocation = {
    session,
    path: located.path,
    args: parsed.args,
    dashArgs: parsed.dashArgs,
    sawDash: parsed.sawDash,
    flags,
    changed: parsed.changed,
    out,
    err,
    signal,
    stdin: opts.stdin,
    effect: (e) => effects.push(e),
    client: () =>
      (clientPromise ??= Promise.resolve().then(() =>
        session.client({
          kubeconfig: (flags.kubeconfig as string) || undefined,
          context: (flags.context as string) || undefined,
          namespace: (flags.namespace as string) || session.defaultNamespace || undefined,
        }),
      )),
    namespace: async () => (await inv.client()).namespace,
    str: (name) => String(flags[name] ?? ''),
    bool: (name) => flags[name] === true,
    int: (name) => Number(flags[name] ?? 0),
    list: (name) => (Array.isArray(flags[name]) ? (flags[name] as string[]) : flags[name] ? [String(flags[name])] : []),
    usageHint: () => hint,
  };
  try {
    await cmd.validate?.(inv);
    const code = await cmd.run(inv);
    return withHints(finish(typeof code === 'number' ? code : 0, argv), located, clientPromise ? inv.client : undefined);
  } catch (e) {
    if (signal.aborted && (e as Error)?.name === 'AbortError') return finish(0, argv);
    const f = formatError(e);
    err.write(f.stderr);
    return withHints(finish(f.exitCode, argv), located, clientPromise ? inv.client : undefined);
  }
}

/** `po` → pods: tell the learner what a short name stood for (only from discovery already loaded) */
async function aliasEffects(argv: string[], path: string[], client: () => Promise<ApiClient>, effects: Effect[]): Promise<void> {
  const c = await client();
  const all = await c.discovery.resources();
  const words = argv.filter((a) => !a.startsWith('-') && !path.includes(a));
  const typeWord = words[0];
  if (!typeWord) return;
  for (const piece of typeWord.split(',').map((t) => t.split('/')[0]!)) {
    const r = all.find((x) => x.preferred && x.shortNames.includes(piece.toLowerCase()));
    if (r && !effects.some((e) => e.type === 'alias' && e.from === piece)) effects.push({ type: 'alias', from: piece, to: r.resource });
  }
}

export type { FlagValue };
export { KubectlError };
