/**
 * Every command of our kubectl. One file per command; add new ones here (kubectl's order is kept
 * separately in ../suggest.ts for "Did you mean").
 */
import type { Command } from '../command.js';
import { describe } from './describe.js';
import { get } from './get.js';

export const COMMANDS: Command[] = [
  get,
  describe,
];

export function findCommand(list: readonly Command[], name: string): Command | undefined {
  return list.find((c) => c.name === name || c.aliases?.includes(name));
}
