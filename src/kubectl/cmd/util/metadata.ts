/**
 * What `kubectl label` and `kubectl annotate` share: KEY=VALUE / KEY- words after the resources,
 * --overwrite checks, --list, --resource-version, and a JSON merge patch of metadata.labels or
 * metadata.annotations per object (`pod/x labeled`, `not labeled`, `unlabeled`, `annotated`).
 */
import { AggregateError2, KubectlError } from '../../client/errors.js';
import type { Invocation } from '../../command.js';
import type { FlagSpec } from '../../input/flags.js';
import { goJson } from '../../printers/json.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect, OUTPUT_FLAGS } from '../create-common.js';
import { parsePairs, selectObjects, splitResourcesAndPairs, type Info } from './builder.js';
import { clone, createMergePatch } from './patch.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export type MetaKind = 'label' | 'annotation';

export function metadataFlags(kind: MetaKind): FlagSpec[] {
  const what = kind === 'label' ? 'labels' : 'annotations';
  return [
    { name: 'all', type: 'bool', usage: `Change the ${what} of every object of the given types in the namespace.` },
    { name: 'all-namespaces', short: 'A', type: 'bool', usage: 'Look for the objects in every namespace (the current one otherwise).' },
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    { name: 'field-manager', type: 'string', default: kind === 'label' ? 'kubectl-label' : 'kubectl-annotate', usage: 'Name of the manager recorded for the fields this command sets.' },
    { name: 'field-selector', type: 'string', usage: 'Only objects whose fields match (e.g. metadata.name=x); operators =, ==, !=.' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects to change.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory naming the objects to change.' },
    { name: 'list', type: 'bool', usage: `Print the ${what} of the objects instead of (or after) changing them.` },
    { name: 'local', type: 'bool', usage: 'Change the objects read from files without contacting the server.' },
    { name: 'overwrite', type: 'bool', usage: `Allow replacing ${what} that already have a value.` },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
    { name: 'resource-version', type: 'string', usage: 'Only change the object when its resourceVersion is still this one (a single object).' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Only objects whose labels match this selector (e.g. app=kubia,env!=prod).' },
  ];
}

const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** validation.IsValidLabelValue's messages */
export function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(v)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs;
}

interface Parsed {
  resources: string[];
  set: Map<string, string>;
  remove: string[];
}

function parseArgs(inv: Invocation, kind: MetaKind): Parsed {
  const { resources, pairs } = splitResourcesAndPairs(inv.args, kind);
  const { set, remove } = parsePairs(pairs, kind, true);
  if (kind === 'label') {
    for (const [k, v] of set) {
      const errs = labelValueErrors(v);
      if (errs.length) throw new KubectlError(`invalid label value: "${k}=${v}": ${errs.join(';')}`);
    }
    for (const r of remove) if (set.has(r)) throw new KubectlError('can not both modify and remove a label in the same command');
  } else {
    const both = remove.filter((r) => set.has(r));
    if (both.length) throw new KubectlError(`can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`);
  }
  if (inv.bool('list') && inv.str('output')) throw new KubectlError('--list and --output may not be specified together');
  return { resources, set, remove };
}

function validate(inv: Invocation, kind: MetaKind, p: Parsed): void {
  if (inv.bool('all') && inv.str('selector')) throw new KubectlError('cannot set --all and --selector at the same time');
  if (inv.bool('all') && inv.str('field-selector')) throw new KubectlError('cannot set --all and --field-selector at the same time');
  if (inv.bool('local')) {
    if (!inv.list('filename').length) throw new KubectlError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  }
  if (!p.resources.length && !inv.list('filename').length && !inv.str('kustomize')) {
    throw new KubectlError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  }
  if (!p.set.size && !p.remove.length && !inv.bool('list')) throw new KubectlError(`at least one ${kind} update is required`);
  if (inv.bool('local') && p.resources.length) throw new KubectlError('can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set');
}

/** apply the change to `obj` (throws the --overwrite errors) */
function change(kind: MetaKind, obj: any, p: Parsed, overwrite: boolean, resourceVersion: string): void {
  const field = kind === 'label' ? 'labels' : 'annotations';
  obj.metadata ??= {};
  const current: Record<string, string> = obj.metadata[field] ?? {};
  if (!overwrite) {
    const conflicts = [...p.set].filter(([k, v]) => (kind === 'label' || k !== 'kubernetes.io/change-cause') && k in current && current[k] !== v);
    if (conflicts.length) {
      if (kind === 'annotation') {
        throw new KubectlError(`--overwrite is false but found the following declared annotation(s): ${conflicts.map(([k]) => `'${k}' already has a value (${current[k]})`).join('; ')}`);
      }
      const errs = conflicts.map(([k]) => new KubectlError(`'${k}' already has a value (${current[k]}), and --overwrite is false`));
      throw errs.length === 1 ? errs[0]! : new AggregateError2(errs);
    }
  }
  const next: Record<string, string> = { ...current };
  for (const [k, v] of p.set) next[k] = v;
  for (const k of p.remove) delete next[k];
  obj.metadata[field] = next;
  if (resourceVersion) obj.metadata.resourceVersion = resourceVersion;
}

function listEntries(inv: Invocation, kind: MetaKind, obj: any, info: Info, single: boolean): void {
  const field = kind === 'label' ? 'labels' : 'annotations';
  let indent = '';
  if (!single) {
    indent = ' ';
    inv.out.write(`Listing ${field} for ${info.resource.kind}.${info.resource.group}/${info.name}:\n`);
  }
  const m: Record<string, string> = obj?.metadata?.[field] ?? {};
  for (const k of Object.keys(m).sort()) inv.out.write(`${indent}${k}=${m[k]}\n`);
}

export async function runMetadataCommand(inv: Invocation, kind: MetaKind): Promise<void> {
  const p = parseArgs(inv, kind);
  const dry = dryRunMode(inv);
  validate(inv, kind, p);
  if (inv.list('filename').length || inv.str('kustomize')) throw new KubectlError('-f/-k are not supported by kube-tutor\'s kubectl for this command yet; name the objects instead');
  const client = await inv.client();
  const sel = await selectObjects(client, {
    args: p.resources,
    all: inv.bool('all'),
    selector: inv.str('selector'),
    fieldSelector: inv.str('field-selector'),
    allNamespaces: inv.bool('all-namespaces'),
  });
  const rv = inv.str('resource-version');
  if (!sel.single && rv) throw new KubectlError('--resource-version may only be used with a single resource');
  const overwrite = inv.bool('overwrite');
  const listOnly = inv.bool('list');
  const errors: Error[] = [];
  const action = kind === 'label' ? 'labeled' : 'annotated';
  for (const entry of sel.entries) {
    if (entry instanceof Error) {
      errors.push(entry);
      continue;
    }
    const info = entry;
    try {
      const obj = clone(info.object);
      if (rv) obj.metadata.resourceVersion = '';
      const before = clone(obj);
      const oldData = goJson(obj);
      let outputObj: any;
      let msg: string;
      if (dry === 'client' || listOnly) {
        change(kind, obj, p, overwrite, rv);
        msg = changeMessage(kind, oldData, goJson(obj), overwrite);
        outputObj = obj;
      } else {
        if (kind === 'label') {
          const labels = obj.metadata?.labels ?? {};
          for (const k of p.remove) if (!(k in labels)) inv.out.write(`label "${k}" not found.\n`);
        }
        change(kind, obj, p, overwrite, rv);
        msg = changeMessage(kind, oldData, goJson(obj), overwrite);
        const patch = createMergePatch(before, obj);
        outputObj = await client.patch(info.resource, info.namespace, info.name, patch, 'merge', {
          dryRun: dry === 'server',
          fieldManager: inv.str('field-manager'),
        });
        outputObj.apiVersion ??= info.object.apiVersion;
        outputObj.kind ??= info.object.kind;
      }
      if (listOnly) {
        listEntries(inv, kind, outputObj, info, sel.single);
        continue;
      }
      new ActionPrinter(inv, msg).print(outputObj, dry);
      if (msg !== 'not labeled') objectEffect(inv, action, info.resource, outputObj, info.namespace, dry);
    } catch (e) {
      if (e instanceof KubectlError && /^unable to match a printer|^template format/.test(e.message)) throw e;
      errors.push(e as Error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length) throw new AggregateError2(errors);
}

function changeMessage(kind: MetaKind, oldData: string, newData: string, overwrite: boolean): string {
  if (kind === 'annotation') return 'annotated';
  if (oldData === newData) return 'not labeled';
  if (!overwrite && newData.length < oldData.length) return 'unlabeled';
  return 'labeled';
}
