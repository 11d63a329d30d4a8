/** Help text, in our own words, laid out like kubectl's. */
import type { Command } from '../command.js';
import { GLOBAL_FLAGS } from '../flags-global.js';
import type { FlagSpec } from '../input/flags.js';

const GROUP_TITLES: Array<[NonNullable<Command['group']>, string]> = [
  ['basic', 'Basic Commands'],
  ['deploy', 'Deploy Commands'],
  ['cluster', 'Cluster Management Commands'],
  ['troubleshoot', 'Troubleshooting and Debugging Commands'],
  ['advanced', 'Advanced Commands'],
  ['settings', 'Settings Commands'],
  ['other', 'Other Commands'],
];

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}

export function rootHelp(commands: readonly Command[]): string {
  let out = 'kubectl controls a Kubernetes cluster (kube-tutor\'s built-in kubectl).\n';
  for (const [group, title] of GROUP_TITLES) {
    const list = commands.filter((c) => (c.group ?? 'other') === group);
    if (!list.length) continue;
    out += `\n${title}:\n`;
    for (const c of list) out += `  ${pad(c.name, 16)}${c.short}\n`;
  }
  out += '\nUsage:\n  kubectl [flags] [options]\n\nUse "kubectl <command> --help" for more information about a given command.\n';
  return out;
}

function flagLine(f: FlagSpec): string {
  const name = f.short ? `-${f.short}, --${f.name}` : `    --${f.name}`;
  const def = f.default !== undefined && f.default !== '' && f.default !== false && !(Array.isArray(f.default) && !f.default.length) ? ` (default ${JSON.stringify(f.default)})` : '';
  return `    ${name}${f.type === 'bool' ? '' : `=${f.type === 'int' ? '0' : "''"}`}:\n\t${f.usage ?? ''}${def}\n`;
}

export function commandHelp(cmd: Command, path: string[]): string {
  let out = `${cmd.short}\n`;
  if (cmd.example) out += `\nExamples:\n${cmd.example.replace(/^/gm, '  ')}\n`;
  if (cmd.subcommands?.length) {
    out += '\nAvailable Commands:\n';
    for (const s of cmd.subcommands) out += `  ${pad(s.name, 16)}${s.short}\n`;
  }
  const flags = (cmd.flags ?? []).filter((f) => !f.hidden);
  if (flags.length) out += `\nOptions:\n${flags.map(flagLine).join('\n')}`;
  out += `\nUsage:\n  ${cmd.usage ?? `kubectl ${path.join(' ')} [options]`}\n`;
  out += `\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`;
  return out;
}

export function globalOptionsHelp(): string {
  return `The following options can be passed to any command:\n\n${GLOBAL_FLAGS.filter((f) => !f.hidden).map(flagLine).join('\n')}`;
}
