/**
 * kubectl apply -f FILE|DIR|-: declarative create-or-update. Client-side by default (three-way
 * strategic merge patch against the last-applied-configuration annotation), `--server-side` for
 * server-side apply. Subcommands: view-last-applied, set-last-applied, edit-last-applied.
 */
import { AggregateError2, KubectlError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import type { FlagSpec } from '../input/flags.js';
import { isInfo, objectsFromFlags, validationFromFlag } from '../resource/builder.js';
import { clientSideApply, PlainError, serverSideApply, type ApplyResult } from '../apply/apply.js';
import { DRY_RUN_FLAG, dryRunOf, operationLine, OUTPUT_FLAG, outputOf, PRINT_FLAGS, printObjects, printsObjects } from '../apply/print.js';
import { applyEditLastApplied, applySetLastApplied, applyViewLastApplied } from './apply-last-applied.js';

export const VALIDATE_FLAG: FlagSpec = {
  name: 'validate',
  type: 'string',
  default: 'strict',
  noOptDefault: 'strict',
  usage: 'How to check the objects: strict (or true), warn, ignore (or false).',
};

const APPLY_FLAGS: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files, directories or URLs with the configuration to apply ("-" reads standard input).' },
  { name: 'recursive', short: 'R', type: 'bool', usage: 'Also read the sub-directories of the directories given with -f.' },
  { name: 'kustomize', short: 'k', type: 'string', usage: 'Apply a kustomization directory (not with -f).' },
  OUTPUT_FLAG,
  ...PRINT_FLAGS,
  DRY_RUN_FLAG,
  VALIDATE_FLAG,
  { name: 'server-side', type: 'bool', usage: 'Let the API server merge the configuration (server-side apply).' },
  { name: 'force-conflicts', type: 'bool', usage: 'With --server-side: take over fields other managers own.' },
  { name: 'field-manager', type: 'string', default: 'kubectl-client-side-apply', usage: 'The manager name recorded for the fields this command sets.' },
  { name: 'subresource', type: 'string', usage: 'With --server-side: apply to this subresource of the object.' },
  { name: 'overwrite', type: 'bool', default: true, usage: 'Let the configuration win over changes made to the live object.' },
  { name: 'openapi-patch', type: 'bool', default: true, usage: "Use the server's OpenAPI schema to compute patches." },
  { name: 'selector', short: 'l', type: 'string', usage: 'Only apply the objects whose labels match this selector.' },
  { name: 'prune', type: 'bool', usage: 'Delete objects that are no longer in the configuration (needs -l or --all).' },
  { name: 'prune-allowlist', type: 'stringArray', usage: 'Resource types (group/version/kind) --prune may delete.' },
  { name: 'all', type: 'bool', usage: 'With --prune: consider every object of the namespace.' },
  { name: 'cascade', type: 'string', default: 'background', noOptDefault: 'background', usage: 'How dependents of pruned objects are deleted: background, orphan or foreground.' },
  { name: 'force', type: 'bool', usage: 'Delete and re-create objects that cannot be patched.' },
  { name: 'grace-period', type: 'int', default: -1, usage: 'Seconds pruned objects get to terminate (negative: their default).' },
  { name: 'timeout', type: 'duration', default: '0s', usage: 'How long to wait for a forced deletion.' },
  { name: 'wait', type: 'bool', usage: 'Wait until pruned objects are gone.' },
  { name: 'record', type: 'bool', hidden: true },
];

function applyValidate(inv: Invocation): void {
  if (inv.args.length) throw new KubectlError(`Unexpected args: [${inv.args.join(' ')}]`, 1, "See 'kubectl apply -h' for help and examples");
  const dryRun = inv.str('dry-run');
  if (!['none', 'client', 'server', 'unchanged', ''].includes(dryRun)) throw new KubectlError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`);
  if (!inv.list('filename').length && !inv.str('kustomize')) throw new KubectlError('must specify one of -f and -k');
  validationFromFlag(inv.str('validate'));
  const serverSide = inv.bool('server-side');
  if (inv.bool('force-conflicts') && !serverSide) throw new KubectlError('--force-conflicts only works with --server-side');
  if (dryRun === 'client' && serverSide) throw new KubectlError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
  if (serverSide && inv.bool('force')) throw new KubectlError('--force cannot be used with --server-side');
  if (dryRun === 'server' && inv.bool('force')) throw new KubectlError('--dry-run=server cannot be used with --force');
  if (inv.bool('all') && inv.str('selector')) throw new KubectlError('cannot set --all and --selector at the same time');
  if (inv.bool('prune')) {
    if (inv.bool('force')) throw new KubectlError('--force cannot be used with --prune');
    if (!inv.bool('all') && !inv.str('selector'))
      throw new KubectlError(
        'all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector',
      );
    if (serverSide) throw new KubectlError("--prune is in alpha and doesn't currently work on objects created by server-side apply");
  }
  if (inv.str('subresource') && !serverSide) throw new KubectlError('--subresource can only be specified for --server-side');
}

export const apply: Command = {
  name: 'apply',
  short: 'Create or update objects from configuration files',
  group: 'advanced',
  usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]',
  example:
    'kubectl apply -f kubia.yaml\nkubectl apply -f manifests/ -R\ncat kubia.yaml | kubectl apply -f -\nkubectl apply -f kubia.yaml --server-side\nkubectl apply -f kubia.yaml --dry-run=server -o yaml',
  flags: APPLY_FLAGS,
  subcommands: [applyViewLastApplied, applySetLastApplied, applyEditLastApplied],
  validate: applyValidate,
  async run(inv) {
    const dryRun = dryRunOf(inv);
    const output = outputOf(inv);
    if (inv.str('kustomize')) throw new KubectlError("kustomize directories (-k) are not supported by kube-tutor's kubectl; use -f");
    if (inv.bool('prune')) throw new KubectlError("--prune is not supported by kube-tutor's kubectl");
    const serverSide = inv.bool('server-side');
    const fieldManager = inv.changed.has('field-manager') ? inv.str('field-manager') : serverSide ? 'kubectl' : 'kubectl-client-side-apply';
    const fieldValidation = validationFromFlag(inv.str('validate')).fieldValidation;
    const client = await inv.client();
    let loaded = await objectsFromFlags(inv, client);
    const selector = inv.str('selector');
    if (selector) loaded = loaded.filter((x) => !isInfo(x) || matchesSelector(x.object?.metadata?.labels ?? {}, selector));
    const errors: Error[] = loaded.filter((x): x is Error => !isInfo(x));
    const infos = loaded.filter(isInfo);
    if (!infos.length && !errors.length) throw new KubectlError('no objects passed to apply');

    const results: ApplyResult[] = [];
    const opts = { dryRun, fieldManager, fieldValidation, warn: (t: string) => inv.err.write(t) };
    for (const info of infos) {
      if (inv.signal.aborted) break;
      if (!info.name && info.object?.metadata?.generateName) {
        errors.push(new KubectlError(`from ${info.object.metadata.generateName}: cannot use generate name with apply`));
        continue;
      }
      try {
        const res = serverSide
          ? await serverSideApply(client, info, { ...opts, force: inv.bool('force-conflicts'), subresource: inv.str('subresource') })
          : await clientSideApply(client, info, opts);
        results.push(res);
        if (res.object?.metadata?.deletionTimestamp) inv.err.write(`Warning: Detected changes to resource ${res.object.metadata.name} which is currently being deleted.\n`);
        const r = info.resource;
        inv.effect({
          type: 'object',
          action: res.operation === 'serverside-applied' ? 'configured' : res.operation,
          group: r.group,
          version: r.version,
          kind: r.kind,
          resource: r.resource,
          namespace: info.namespace,
          name: info.name,
          dryRun: dryRun !== 'none' || undefined,
        });
        if (!printsObjects(output)) inv.out.write(operationLine(res.object, res.operation, dryRun, output, info.object));
      } catch (e) {
        errors.push(e instanceof PlainError ? new KubectlError(e.message) : (e as Error));
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError2(errors);
    if (printsObjects(output)) inv.out.write(printObjects(inv, results.map((r) => r.object), output));
  },
};

/** equality-based and set-based label selectors (enough for apply -l) */
export function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  const parts = selector.match(/(?:[^,(]+|\([^)]*\))+/g) ?? [];
  return parts.every((raw) => {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(p))) {
      const has = Object.prototype.hasOwnProperty.call(labels, m[1]!);
      return m[2] === '!=' ? !has || labels[m[1]!] !== m[3] : has && labels[m[1]!] === m[3];
    }
    if ((m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p))) {
      const vals = m[3]!.split(',').map((s) => s.trim());
      const has = Object.prototype.hasOwnProperty.call(labels, m[1]!);
      return m[2] === 'in' ? has && vals.includes(labels[m[1]!]!) : !has || !vals.includes(labels[m[1]!]!);
    }
    if (p.startsWith('!')) return !Object.prototype.hasOwnProperty.call(labels, p.slice(1));
    return Object.prototype.hasOwnProperty.call(labels, p);
  });
}
