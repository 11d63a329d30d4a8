/**
 * What a kubectl command is: its name, flags, optional subcommands, and complete/validate/run.
 * Commands write through `inv.out` / `inv.err`, report typed effects, and throw KubectlError /
 * ServerError for failures (run.ts prints those in kubectl's words and sets the exit code).
 */
import type { ApiClient } from './client/api.js';
import type { FlagSpec, FlagValue } from './input/flags.js';
import type { Session } from './session.js';

/** Something a command did or needs, for the tutor and the UI (typed; never parsed from text). */
export type Effect =
  | { type: 'object'; action: ObjectAction; group: string; version: string; kind: string; resource: string; namespace?: string; name: string; dryRun?: boolean }
  | { type: 'alias'; from: string; to: string }
  | { type: 'hint'; text: string; /** the corrected command line, when the hint has one */ suggestion?: string }
  | { type: 'stream'; kind: 'watch' | 'logs' | 'exec' | 'attach' | 'port-forward' }
  | { type: 'port-forward'; address: string; localPort: number; remotePort: number; target: string }
  | { type: 'confirm'; question: string; answer: boolean }
  | { type: 'config'; change: 'context' | 'namespace'; value: string };

export type ObjectAction =
  | 'created'
  | 'configured'
  | 'unchanged'
  | 'replaced'
  | 'deleted'
  | 'labeled'
  | 'annotated'
  | 'scaled'
  | 'exposed'
  | 'patched'
  | 'edited'
  | 'rolled back'
  | 'paused'
  | 'resumed'
  | 'restarted';

export interface Output {
  write(text: string): void;
}

export interface Invocation {
  readonly session: Session;
  /** the command path, e.g. ['rollout', 'status'] */
  readonly path: string[];
  /** positional arguments (flags removed), before `--` */
  readonly args: string[];
  /** arguments after `--` */
  readonly dashArgs: string[];
  readonly sawDash: boolean;
  /** flag values by long name (command flags and global flags) */
  readonly flags: Record<string, FlagValue>;
  /** flags the user gave */
  readonly changed: ReadonlySet<string>;
  readonly out: Output;
  readonly err: Output;
  readonly signal: AbortSignal;
  /** standard input, when the caller provides one (`create -f -`, `exec -i`) */
  readonly stdin?: Stdin;
  effect(e: Effect): void;
  /** the API client for this invocation's kubeconfig/context/namespace (loaded on first use) */
  client(): Promise<ApiClient>;
  /** the namespace in effect (-n, else the context's) — loads the kubeconfig */
  namespace(): Promise<string>;
  str(name: string): string;
  bool(name: string): boolean;
  int(name: string): number;
  list(name: string): string[];
  /** "See 'kubectl get --help' for usage." */
  usageHint(): string;
}

export interface Stdin {
  /** everything until end of input */
  readAll(): Promise<string>;
  /** chunks as they arrive */
  on(event: 'data', cb: (chunk: Buffer) => void): void;
  on(event: 'end', cb: () => void): void;
  /** terminal size changes (exec -t) */
  onResize?(cb: (cols: number, rows: number) => void): void;
  isTTY?: boolean;
}

export interface CompletionRequest {
  session: Session;
  args: string[];
  flags: Record<string, FlagValue>;
  /** the word being completed */
  partial: string;
}

export interface Command {
  name: string;
  aliases?: string[];
  /** one line for `kubectl help` */
  short: string;
  /** e.g. "kubectl get [(-o|--output=)json|yaml|…] (TYPE[.VERSION][.GROUP] [NAME | -l label] | …) [flags]" */
  usage?: string;
  /** usage examples shown by --help (our own words) */
  example?: string;
  flags?: FlagSpec[];
  subcommands?: Command[];
  /** kubectl's command group in `kubectl help` */
  group?: 'basic' | 'deploy' | 'cluster' | 'troubleshoot' | 'advanced' | 'settings' | 'other';
  /** candidates for the next positional argument */
  complete?(req: CompletionRequest): Promise<string[]>;
  /** argument checks before any API call; throw KubectlError */
  validate?(inv: Invocation): void | Promise<void>;
  /** a command group run without a subcommand prints its help there and exits 1 (default stderr, as kubectl's DefaultSubCommandRun) */
  groupHelpTo?: 'stdout' | 'stderr';
  /** returns an exit code, or nothing for 0 */
  run?(inv: Invocation): Promise<number | void>;
}
