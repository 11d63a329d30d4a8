/**
 * cobra's "Did you mean this?" for unknown commands: a name within Levenshtein distance 2
 * (case-insensitive) or starting with what was typed, in the order kubectl registers its commands.
 */
import type { Command } from './command.js';

/** the order kubectl 1.33 adds its commands (cobra suggests in this order) */
export const KUBECTL_COMMAND_ORDER = [
  'create', 'expose', 'run', 'set',
  'explain', 'get', 'edit', 'delete',
  'rollout', 'scale', 'autoscale',
  'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint',
  'describe', 'logs', 'attach', 'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events',
  'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize',
  'label', 'annotate', 'completion',
  'alpha', 'api-resources', 'api-versions', 'config', 'plugin', 'version', 'options', 'help',
];

export function levenshtein(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

/** cobra's SuggestionsFor over names in registration order */
export function cobraSuggestions(typed: string, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (levenshtein(typed, name) <= 2 || name.toLowerCase().startsWith(typed.toLowerCase())) out.push(name);
  }
  return out;
}

export function unknownCommandMessage(verb: string, commands: readonly Command[]): string {
  const known = new Set(commands.map((c) => c.name));
  const order = [...KUBECTL_COMMAND_ORDER.filter((n) => known.has(n) || n === 'help'), ...commands.map((c) => c.name).filter((n) => !KUBECTL_COMMAND_ORDER.includes(n))];
  const suggestions = cobraSuggestions(verb, order);
  let msg = `error: unknown command "${verb}" for "kubectl"\n`;
  if (suggestions.length) msg += `\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}`;
  return msg;
}
