/**
 * The command table, loaded on first use: the commands' code (with the printers, describers and
 * YAML they bring) is most of our kubectl, and a tutor's first frame needs none of it.
 */
import type { Command } from './command.js';

let table: Promise<readonly Command[]> | undefined;

/** every command (cmd/index.ts), imported once */
export function loadCommands(): Promise<readonly Command[]> {
  return (table ??= import('./cmd/index.js').then((m) => m.COMMANDS));
}

export function findCommand(list: readonly Command[] | undefined, name: string): Command | undefined {
  return list?.find((c) => c.name === name || c.aliases?.includes(name));
}
