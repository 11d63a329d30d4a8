/**
 * kubectl taint: add (KEY[=VALUE]:EFFECT), change (--overwrite) or remove (KEY[:EFFECT]-) taints
 * of nodes. `node/worker-1 tainted` / `untainted` / `modified`.
 */
import { AggregateError2, KubectlError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect, OUTPUT_FLAGS } from './create-common.js';
import { selectObjects } from './util/builder.js';
import { labelValueErrors } from './util/metadata.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

interface Taint {
  key: string;
  value?: string;
  effect?: string;
  timeAdded?: string;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName's messages */
function qualifiedNameErrors(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name = v;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (!prefix) errs.push('prefix part must be non-empty');
    else if (!DNS1123_SUBDOMAIN.test(prefix) || prefix.length > 253) {
      errs.push(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
    }
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (!name) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name && !NAME_PART.test(name)) {
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  return errs;
}

function parseTaint(st: string): Taint {
  const parts = st.split(':');
  let key: string;
  let value: string | undefined;
  let effect: string | undefined;
  if (parts.length === 1) key = parts[0]!;
  else if (parts.length === 2) {
    effect = parts[1]!;
    if (!EFFECTS.includes(effect)) throw new KubectlError(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0]!.split('=');
    if (kv.length > 2) throw new KubectlError(`invalid taint spec: ${st}`);
    key = kv[0]!;
    if (kv.length === 2) {
      value = kv[1]!;
      const errs = labelValueErrors(value);
      if (errs.length) throw new KubectlError(`invalid taint spec: ${st}, ${errs.join('; ')}`);
    }
  } else throw new KubectlError(`invalid taint spec: ${st}`);
  const errs = qualifiedNameErrors(key);
  if (errs.length) throw new KubectlError(`invalid taint spec: ${st}, ${errs.join('; ')}`);
  const t: Taint = { key };
  if (value) t.value = value;
  if (effect) t.effect = effect;
  return t;
}

function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

const matches = (a: Taint, b: Taint) => a.key === b.key && (a.effect ?? '') === (b.effect ?? '');

function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const s of specs) {
    if (s.endsWith('-')) {
      const t = parseTaint(s.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
    } else {
      const t = parseTaint(s);
      if (!t.effect) throw new KubectlError(`invalid taint spec: ${s}`);
      if (add.some((x) => matches(x, t))) throw new KubectlError(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`);
      add.push(t);
    }
  }
  return { add, remove };
}

async function runTaint(inv: Invocation): Promise<void> {
  const resources: string[] = [];
  const taintArgs: string[] = [];
  for (const s of inv.args) {
    const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-');
    if (isTaint) taintArgs.push(s);
    else if (taintArgs.length) throw new KubectlError(`all resources must be specified before taint changes: ${s}`);
    else resources.push(s);
  }
  if (resources.length < 1) throw new KubectlError('one or more resources must be specified as <resource> <name>');
  if (taintArgs.length < 1) throw new KubectlError('at least one taint update is required');
  let parsed: { add: Taint[]; remove: Taint[] };
  try {
    parsed = parseTaints(taintArgs);
  } catch (e) {
    throw new KubectlError((e as Error).message, 1, "See 'kubectl taint -h' for help and examples");
  }
  const dry = dryRunMode(inv);
  const client = await inv.client();
  const type = resources[0]!.toLowerCase();
  const r = await client.discovery.resolve(type);
  if (r.kind !== 'Node') throw new KubectlError(`invalid resource type ${type}, only node types are supported`);
  const conflicts: string[] = [];
  for (const a of parsed.add) for (const rm of parsed.remove) if (a.key === rm.key && (!rm.effect || a.effect === rm.effect)) conflicts.push(`${rm.key}=${rm.effect ?? ''}`);
  if (conflicts.length) throw new KubectlError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
  const all = inv.bool('all');
  const selector = inv.str('selector');
  if (all && selector) throw new KubectlError("setting 'all' parameter with a non empty selector is prohibited");
  if (!all && !selector && resources.length < 2) throw new KubectlError("at least one resource name must be specified since 'all' parameter is not set");
  const sel = await selectObjects(client, all || selector ? { args: ['nodes'], all, selector } : { args: ['nodes', ...resources.slice(1)] });
  const overwrite = inv.bool('overwrite');
  const errors: Error[] = [];
  for (const entry of sel.entries) {
    if (entry instanceof Error) {
      errors.push(entry);
      continue;
    }
    try {
      const old: Taint[] = entry.object.spec?.taints ?? [];
      if (!overwrite) {
        const exists = parsed.add.filter((t) => old.some((o) => matches(o, t))).map((t) => t.key);
        if (exists.length) throw new KubectlError(`node ${entry.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
      }
      let next: Taint[] = [...parsed.add];
      for (const o of old) if (!next.some((t) => matches(t, o))) next.push(o);
      const added = old.length !== next.length;
      const notFound: Error[] = [];
      let removed = false;
      for (const rm of parsed.remove) {
        const before = next.length;
        next = next.filter((t) => (rm.effect ? !matches(t, rm) : t.key !== rm.key));
        removed = next.length !== before;
        if (!removed) notFound.push(new KubectlError(`taint ${JSON.stringify(taintString(rm))} not found`));
      }
      const operation = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
      if (notFound.length) throw notFound.length === 1 ? notFound[0] : new AggregateError2(notFound);
      const obj = JSON.parse(JSON.stringify(entry.object));
      obj.spec ??= {};
      obj.spec.taints = next;
      let out = obj;
      if (dry !== 'client') {
        out = await client.patch(entry.resource, undefined, entry.name, { spec: { taints: next.length ? next : null } }, 'strategic', {
          dryRun: dry === 'server',
          fieldManager: inv.str('field-manager'),
          fieldValidation: 'Strict',
        });
        out.apiVersion ??= 'v1';
        out.kind ??= 'Node';
      }
      new ActionPrinter(inv, operation).print(out, dry);
      objectEffect(inv, 'patched', entry.resource, out, undefined, dry);
    } catch (e) {
      errors.push(e as Error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length) throw new AggregateError2(errors);
}

export const taint: Command = {
  name: 'taint',
  short: 'Add, change or remove the taints of nodes',
  group: 'cluster',
  usage: 'kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N',
  example: ['kubectl taint node worker-1 node-type=production:NoSchedule', 'kubectl taint node worker-1 node-type:NoSchedule-', 'kubectl taint node worker-1 node-type-', 'kubectl taint nodes -l disk=hdd maintenance=true:NoExecute'].join('\n'),
  flags: [
    { name: 'all', type: 'bool', usage: 'Change every node of the cluster.' },
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    { name: 'field-manager', type: 'string', default: 'kubectl-taint', usage: 'Name of the manager recorded for the fields this command sets.' },
    { name: 'overwrite', type: 'bool', usage: 'Allow replacing a taint with the same key and effect.' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Only nodes whose labels match this selector.' },
    { name: 'validate', type: 'string', default: 'strict', noOptDefault: 'strict', usage: 'How the server should check the fields: strict (or true), warn, ignore (or false).' },
  ],
  async run(inv) {
    await runTaint(inv);
  },
};
