/**
 * Printing for apply / patch / edit: the operation line (`pod/kubia configured`, with ` (dry run)`
 * or ` (server dry run)`), `-o name`, and `-o yaml|json|jsonpath` of the resulting objects (a List
 * when there are several). Also the `--dry-run` flag as kubectl reads it.
 */
import { KubectlError } from '../client/errors.js';
import type { Invocation } from '../command.js';
import { asList, printJson } from '../printers/json.js';
import { printJsonPath } from '../printers/jsonpath.js';
import { kindPrefix } from '../printers/name.js';
import { printYaml } from '../printers/yaml.js';
import { omitManagedFields } from '../printers/json.js';
import type { FlagSpec } from '../input/flags.js';

export type DryRun = 'none' | 'client' | 'server';

/** the output formats commands with a name printer accept, in kubectl's error-message order */
export const OBJECT_OUTPUT_FORMATS = ['go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'yaml'];

export const DRY_RUN_FLAG: FlagSpec = {
  name: 'dry-run',
  type: 'string',
  default: 'none',
  noOptDefault: 'unchanged',
  usage: 'One of "none", "server" or "client": "client" only shows what would be sent, "server" sends the request without persisting anything.',
};

export const OUTPUT_FLAG: FlagSpec = {
  name: 'output',
  short: 'o',
  type: 'string',
  usage: 'Output format: json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file.',
};

export const PRINT_FLAGS: FlagSpec[] = [
  { name: 'allow-missing-template-keys', type: 'bool', default: true, usage: 'Ignore missing fields or map keys in go-template/jsonpath output.' },
  { name: 'show-managed-fields', type: 'bool', usage: 'Keep metadata.managedFields in JSON and YAML output.' },
  { name: 'template', type: 'string', usage: 'Template (or template file) for -o go-template / go-template-file.' },
];

/** kubectl's GetDryRunStrategy; the bare flag prints klog's deprecation warning */
export function dryRunOf(inv: Invocation): DryRun {
  const v = inv.str('dry-run');
  switch (v) {
    case 'unchanged':
      inv.err.write(`${klogPrefix('W', 'helpers.go:703')}--dry-run is deprecated and can be replaced with --dry-run=client.\n`);
      return 'client';
    case 'client':
    case 'server':
    case 'none':
      return v;
    case '':
      return 'none';
    default:
      throw new KubectlError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
  }
}

/** klog's header: `W1127 20:02:00.018396   28919 file.go:703] ` */
function klogPrefix(level: string, where: string): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const us = p(d.getMilliseconds(), 3) + '000';
  return `${level}${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${us} ${String(process.pid).padStart(7)} ${where}] `;
}

export type OutputKind = { kind: 'none' } | { kind: 'name' } | { kind: 'yaml' } | { kind: 'json' } | { kind: 'jsonpath'; template: string; asJson: boolean };

/** -o for commands printing objects (apply, patch, edit …) */
export function outputOf(inv: Invocation): OutputKind {
  const o = inv.str('output');
  if (o === '') return { kind: 'none' };
  if (o === 'name') return { kind: 'name' };
  if (o === 'yaml') return { kind: 'yaml' };
  if (o === 'json') return { kind: 'json' };
  const eq = o.indexOf('=');
  const name = eq >= 0 ? o.slice(0, eq) : o;
  if ((name === 'jsonpath' || name === 'jsonpath-as-json') && eq >= 0) {
    if (o.slice(eq + 1) === '') throw new KubectlError('template format specified but no template given');
    return { kind: 'jsonpath', template: o.slice(eq + 1), asJson: name === 'jsonpath-as-json' };
  }
  if (OBJECT_OUTPUT_FORMATS.includes(name) && name !== 'name' && name !== 'yaml' && name !== 'json') {
    throw new KubectlError(`output format "${o}" is not supported by kube-tutor's kubectl yet`);
  }
  throw new KubectlError(`unable to match a printer suitable for the output format "${o}", allowed formats are: ${OBJECT_OUTPUT_FORMATS.join(',')}`);
}

/** true when -o asks for whole objects (yaml, json, jsonpath) rather than an operation line */
export function printsObjects(o: OutputKind): boolean {
  return o.kind === 'yaml' || o.kind === 'json' || o.kind === 'jsonpath';
}

/** `pod/kubia configured (dry run)` or, with -o name, `pod/kubia` */
export function operationLine(obj: any, operation: string, dryRun: DryRun, output: OutputKind, fallbackKind?: { apiVersion?: string; kind?: string }): string {
  const apiVersion = obj?.apiVersion ?? fallbackKind?.apiVersion;
  const kind = obj?.kind ?? fallbackKind?.kind ?? '';
  const name = obj?.metadata?.name ?? '';
  const ref = kind ? `${kindPrefix(apiVersion, kind)}/${name}` : name;
  if (output.kind === 'name') return `${ref}\n`;
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  return `${ref} ${operation}${suffix}\n`;
}

/** -o yaml/json/jsonpath of one object or several (a List) */
export function printObjects(inv: Invocation, objects: any[], output: OutputKind): string {
  if (!objects.length) return '';
  const doc = objects.length === 1 ? objects[0] : asList(objects);
  const show = inv.bool('show-managed-fields');
  switch (output.kind) {
    case 'yaml':
      return printYaml(show ? doc : omitManagedFields(doc));
    case 'json':
      return printJson(doc, { showManagedFields: show });
    case 'jsonpath':
      return printJsonPath(output.template, doc, { allowMissingKeys: inv.flags['allow-missing-template-keys'] !== false, asJson: output.asJson });
    default:
      return '';
  }
}
