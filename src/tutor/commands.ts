/**
 * What the learner ran, parsed the way kubectl parses it — so `k get po`, `kubectl get pods` and
 * `get pod -o wide` are the same command for a `ran` check — and matching against a RanPattern.
 */
import type { ApiClient } from '../kubectl/client/api.js';
import { GLOBAL_FLAGS } from '../kubectl/flags-global.js';
import { parseFlags, type FlagValue } from '../kubectl/input/flags.js';
import { loadCommands } from '../kubectl/commands.js';
import { locateCommand, parseLine } from '../kubectl/run.js';
import type { RanPattern } from './schema.js';

export interface RanCommand {
  line: string;
  /** command path: ['get'], ['rollout','status'] */
  path: string[];
  /** resolved resource types named (plural, e.g. 'pods'), in order */
  resources: string[];
  /** object names among the arguments (from `TYPE NAME…` and `TYPE/NAME`) */
  names: string[];
  flags: Record<string, FlagValue>;
  changed: string[];
  exitCode: number;
}

/** parse a line the learner ran (after it ran: `exitCode` is its result) */
export async function parseRan(line: string, exitCode: number, client: ApiClient | undefined): Promise<RanCommand | undefined> {
  const parsed = parseLine(line);
  if (parsed.error) return undefined;
  const loc = locateCommand(parsed.argv, await loadCommands());
  if (!loc.cmd) return undefined;
  let flags;
  try {
    flags = parseFlags(loc.rest, [...(loc.cmd.flags ?? []), ...GLOBAL_FLAGS.filter((g) => !(loc.cmd!.flags ?? []).some((f) => f.name === g.name || (g.short && f.short === g.short)))]);
  } catch {
    return { line, path: loc.path, resources: [], names: [], flags: {}, changed: [], exitCode };
  }
  const resources: string[] = [];
  const names: string[] = [];
  const args = flags.args;
  const typeWords: string[] = [];
  if (args.some((a) => a.includes('/'))) {
    for (const a of args) {
      const [t, n] = a.split('/', 2);
      typeWords.push(t!);
      if (n) names.push(n);
    }
  } else if (args.length) {
    typeWords.push(...args[0]!.split(','));
    names.push(...args.slice(1));
  }
  for (const t of typeWords) {
    if (!client) {
      resources.push(t);
      continue;
    }
    try {
      resources.push((await client.discovery.resolve(t)).resource);
    } catch {
      resources.push(t);
    }
  }
  // commands whose first argument is a pod, not a type
  if (['logs', 'exec', 'attach', 'port-forward'].includes(loc.path[0]!) && args.length && !args[0]!.includes('/')) {
    resources.length = 0;
    resources.push('pods');
    names.length = 0;
    names.push(args[0]!);
  }
  return { line, path: loc.path, resources, names, flags: flags.values, changed: [...flags.changed], exitCode };
}

export function matchesRan(cmd: RanCommand, p: RanPattern): boolean {
  if (cmd.path.join(' ') !== p.command.trim().replace(/\s+/g, ' ')) return false;
  if ((p.succeeded ?? true) && cmd.exitCode !== 0) return false;
  if (p.resource && !cmd.resources.includes(p.resource)) return false;
  if (p.name && !cmd.names.includes(p.name)) return false;
  for (const [flag, want] of Object.entries(p.flags ?? {})) {
    if (!cmd.changed.includes(flag)) return false;
    const got = cmd.flags[flag];
    if (want === '*') continue;
    if (typeof want === 'boolean') {
      if (got !== want) return false;
    } else if (Array.isArray(got) ? !got.includes(want) : String(got) !== want) return false;
  }
  return true;
}
