/**
 * kubectl wait: until objects are deleted, have a condition, or a JSONPath value — printing
 * `pod/x condition met` per object — or kubectl's timeout error.
 */
import type { ApiClient } from '../client/api.js';
import { KubectlError, ServerError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { parseGoDuration } from '../input/flags.js';
import { compileJsonPath, relaxedJsonPath, type JsonPath } from '../printers/jsonpath.js';
import { parseResourceArgs, resolveResourceArgs } from '../resource/args.js';
import { groupResource, kindPrefix, type ApiResource } from '../resource/discovery.js';
import { sleep } from '../stream/util.js';

type Condition =
  | { kind: 'delete' }
  | { kind: 'create' }
  | { kind: 'condition'; type: string; value: string }
  | { kind: 'jsonpath'; expr: string; jp: JsonPath; value?: string };

/** split on single '=' ('==' stays inside an element) */
function splitJsonPathInput(input: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '=') {
      if (input[i + 1] === '=') {
        cur += '==';
        i++;
        continue;
      }
      out.push(cur);
      cur = '';
      continue;
    }
    cur += input[i];
  }
  out.push(cur);
  return out;
}

function parseFor(text: string): Condition {
  const lower = text.toLowerCase();
  if (lower === 'delete') return { kind: 'delete' };
  if (lower === 'create') return { kind: 'create' };
  if (lower.startsWith('condition=')) {
    const rest = text.slice('condition='.length);
    const eq = rest.indexOf('=');
    return eq >= 0 ? { kind: 'condition', type: rest.slice(0, eq), value: rest.slice(eq + 1) } : { kind: 'condition', type: rest, value: 'true' };
  }
  if (lower.startsWith('jsonpath=')) {
    const parts = splitJsonPathInput(text.slice('jsonpath='.length));
    if (parts.length < 1 || parts.length > 2)
      throw new KubectlError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'");
    const expr = relaxedJsonPath(parts[0]!);
    if (parts.length === 2 && parts[1] === '') throw new KubectlError('jsonpath wait has to have a value after equal sign');
    return { kind: 'jsonpath', expr, jp: compileJsonPath(expr, { allowMissingKeys: false }), value: parts[1] };
  }
  throw new KubectlError(`unrecognized condition: ${JSON.stringify(text)}`);
}

function met(obj: any, c: Condition): boolean {
  if (c.kind === 'condition') {
    const conds: any[] = obj?.status?.conditions ?? [];
    for (const cond of conds) {
      if (String(cond.type).toLowerCase() !== c.type.toLowerCase()) continue;
      if (String(cond.status).toLowerCase() !== c.value.toLowerCase()) continue;
      if (cond.observedGeneration !== undefined && obj.metadata?.generation !== undefined && cond.observedGeneration !== obj.metadata.generation) continue;
      return true;
    }
    return false;
  }
  if (c.kind === 'jsonpath') {
    let out: string;
    try {
      out = c.jp.execute(obj);
    } catch {
      return false;
    }
    if (c.value === undefined) return out !== '';
    return out === c.value;
  }
  return true;
}

export const wait: Command = {
  name: 'wait',
  short: 'Wait until resources reach a state',
  group: 'advanced',
  usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
  example: 'kubectl wait --for=condition=Ready pod/kubia\nkubectl wait --for=delete pod/kubia --timeout=60s\nkubectl wait --for=jsonpath=\'{.status.phase}\'=Running pod/kubia',
  flags: [
    { name: 'all', type: 'bool', usage: 'Every object of the given types in the namespace.' },
    { name: 'all-namespaces', short: 'A', type: 'bool', usage: 'Look in every namespace.' },
    { name: 'field-selector', type: 'string', usage: 'Field selector.' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects.' },
    { name: 'for', type: 'string', usage: 'What to wait for: delete, create, condition=NAME[=value] or jsonpath={expr}[=value].' },
    { name: 'local', type: 'bool', usage: 'Do not contact the server.' },
    { name: 'output', short: 'o', type: 'string', usage: 'Output format (name).' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Process directories recursively.' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Label selector.' },
    { name: 'timeout', type: 'duration', default: '30s', usage: 'Give up after this long (0: check once; negative: a week).' },
  ],
  async run(inv) {
    const cond = parseFor(inv.str('for'));
    let timeout = parseGoDuration(inv.str('timeout')) ?? 30_000;
    if (timeout < 0) timeout = 7 * 24 * 3600_000;
    if (!inv.args.length) throw new KubectlError('resource(s) were provided, but no name was specified');
    const client = await inv.client();
    const ns = inv.bool('all-namespaces') ? undefined : client.namespace;
    const reqs = await resolveResourceArgs(parseResourceArgs(inv.args), client.discovery);
    const deadline = Date.now() + timeout;
    const targets: Array<{ r: ApiResource; name: string; namespace?: string }> = [];
    for (const req of reqs) {
      if (req.names.length) for (const n of req.names) targets.push({ r: req.resource, name: n, namespace: ns });
      else {
        if (!inv.bool('all') && !inv.str('selector') && !inv.str('field-selector'))
          throw new KubectlError('resource(s) were provided, but no name was specified');
        const list = await client.list(req.resource, ns, { labelSelector: inv.str('selector') || undefined, fieldSelector: inv.str('field-selector') || undefined });
        for (const o of list.items ?? []) targets.push({ r: req.resource, name: o.metadata.name, namespace: o.metadata.namespace });
      }
    }
    if (!targets.length) throw new KubectlError('no matching resources found');
    for (const t of targets) await waitOne(inv, client, t, cond, deadline, timeout === 0);
  },
};

async function waitOne(inv: Invocation, client: ApiClient, t: { r: ApiResource; name: string; namespace?: string }, cond: Condition, deadline: number, timeoutZero = false): Promise<void> {
  const shown = `${kindPrefix(t.r)}/${t.name}`;
  let first = true;
  for (;;) {
    let obj: any;
    try {
      obj = await client.get(t.r, t.namespace, t.name);
    } catch (e) {
      if (!(e instanceof ServerError && e.reason === 'NotFound')) throw e;
      if (cond.kind === 'delete') {
        if (!first) inv.out.write(`${shown} condition met\n`);
        return;
      }
      if (cond.kind !== 'create') throw e;
    }
    first = false;
    if (obj && cond.kind !== 'delete' && met(obj, cond)) {
      inv.out.write(`${shown} condition met\n`);
      return;
    }
    if (Date.now() >= deadline || inv.signal.aborted) {
      if (timeoutZero) throw new KubectlError(`condition not met for ${groupResource(t.r)}/${t.name}`);
      if (cond.kind === 'delete') throw new KubectlError(`timed out waiting for the condition on ${groupResource(t.r)}/${t.name}`);
      throw new KubectlError(`timed out waiting for the condition on ${groupResource(t.r)}/${t.name}`);
    }
    await sleep(Math.min(1000, Math.max(0, deadline - Date.now())), inv.signal);
  }
}
