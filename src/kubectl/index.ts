/**
 * kube-tutor's own kubectl, as a library: `run(line, session)` → { stdout, stderr, exitCode, effects },
 * `start(...)` for streaming commands. Works against any cluster a kubeconfig reaches; nothing here
 * knows about the embedded sandbox.
 */
import type { Stdin } from './command.js';

export { run, start, parseLine, type RunResult, type Execution, type StartOptions } from './run.js';
export { Session, type SessionOptions } from './session.js';
export type { Effect, ObjectAction, Command, Invocation, Stdin } from './command.js';
export { loadCommands } from './commands.js';

/** the process's stdin as a command's input (for the one-shot CLI) */
export function processStdin(): Stdin {
  const s = process.stdin;
  return {
    isTTY: !!s.isTTY,
    readAll: async () => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    on: ((event: 'data' | 'end', cb: (c?: Buffer) => void) => {
      s.on(event, cb as (c: Buffer) => void);
    }) as Stdin['on'],
    onResize: (cb) => {
      process.stdout.on('resize', () => cb(process.stdout.columns, process.stdout.rows));
    },
  };
}
