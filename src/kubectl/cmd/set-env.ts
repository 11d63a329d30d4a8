/**
 * kubectl set env: add, change or remove environment variables of the containers in a pod or in the
 * pod template of a workload (`deployment.apps/web env updated`), import them from a ConfigMap or
 * Secret (--from), or list them (--list). The change is sent as util/pod-template.ts sends it.
 */
import type { ApiClient } from '../client/api.js';
import { AggregateError2, KubectlError, ServerError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { extractContainerResourceValue } from '../describe/containers.js';
import { dryRunMode } from './create-common.js';
import { selectObjects, type Info } from './util/builder.js';
import { changePodTemplates, CONTAINERS_FLAG, selectContainers, TEMPLATE_CHANGE_FLAGS } from './util/pod-template.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: any;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENV_NAME_RULE =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/**
 * resources first, then KEY=VALUE / KEY- changes; undefined when a resource follows a change. Not
 * util/builder's splitResourcesAndPairs (label, annotate): here a lone `-` is a change (read from
 * stdin) and kubectl's error quotes every argument, not the one out of place.
 */
function splitArgs(args: readonly string[]): { resources: string[]; changes: string[] } | undefined {
  const resources: string[] = [];
  const changes: string[] = [];
  for (const a of args) {
    const isChange = /^.+=/s.test(a) || a.endsWith('-');
    if (isChange) changes.push(a);
    else if (changes.length) return undefined;
    else resources.push(a);
  }
  return { resources, changes };
}

/** KEY=VALUE sets, KEY- removes, `-` reads KEY=VALUE lines from standard input */
async function parseChanges(inv: Invocation, specs: string[]): Promise<{ env: EnvVar[]; remove: string[] }> {
  const env: EnvVar[] = [];
  const remove: string[] = [];
  const set = new Set<string>();
  for (const spec of specs) {
    if (spec === '-') {
      if (!inv.stdin) throw new KubectlError("when '-' is used, STDIN must be open");
      for (let line of (await inv.stdin.readAll()).split('\n')) {
        const hash = line.indexOf('#');
        if (hash >= 0) line = line.slice(0, hash);
        const eq = line.indexOf('=');
        if (eq >= 0) env.push({ name: line.slice(0, eq), value: line.slice(eq + 1) });
      }
    } else if (spec.includes('=')) {
      const eq = spec.indexOf('=');
      const name = spec.slice(0, eq);
      if (!ENV_NAME.test(name)) throw new KubectlError(`${JSON.stringify(name)} is not a valid key name: ${ENV_NAME_RULE}`);
      set.add(name);
      env.push({ name, value: spec.slice(eq + 1) });
    } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
    else throw new KubectlError(`unknown environment variable: ${spec}`);
  }
  if (remove.some((r) => set.has(r))) throw new KubectlError('can not both modify and remove the same environment variable in the same command');
  return { env, remove };
}

/** variables from each key of a ConfigMap's or Secret's data (`--from=configmap/NAME`), names made valid */
async function fromSource(inv: Invocation, client: ApiClient): Promise<EnvVar[]> {
  const sel = await selectObjects(client, { args: [inv.str('from')], selector: inv.str('selector'), all: inv.bool('all') });
  if (sel.errors.length) throw sel.errors.length === 1 ? sel.errors[0] : new AggregateError2(sel.errors);
  const keys = inv.list('keys');
  const out: EnvVar[] = [];
  for (const info of sel.infos) {
    const kind = info.resource.group === '' ? info.resource.kind : '';
    if (kind !== 'ConfigMap' && kind !== 'Secret') throw new KubectlError('unsupported resource specified in --from');
    const ref = kind === 'Secret' ? 'secretKeyRef' : 'configMapKeyRef';
    for (const key of Object.keys(info.object.data ?? {})) {
      if (keys.length && !keys.includes(key)) continue;
      const name = key.replace(/[^a-zA-Z0-9_]/g, '_').toUpperCase();
      if (name !== key) inv.err.write(`Warning: key ${key} transferred to ${name}\n`);
      out.push({ name, valueFrom: { [ref]: { key, name: info.name } } });
    }
  }
  return out;
}

/** set or replace `env` (in place, else at the end), drop `remove` */
function updateEnv(existing: EnvVar[], env: EnvVar[], remove: string[]): EnvVar[] {
  const covered = new Set(remove);
  const out: EnvVar[] = [];
  for (const e of existing) {
    if (covered.has(e.name)) continue;
    const newer = env.find((n) => n.name === e.name);
    if (newer) covered.add(e.name);
    out.push(newer ?? e);
  }
  for (const e of env) {
    if (covered.has(e.name)) continue;
    covered.add(e.name);
    out.push(e);
  }
  return out;
}

function refString(from: any): string {
  if (from?.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from?.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from?.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from?.resourceFieldRef) return `resource field ${from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : ''}${from.resourceFieldRef.resource}`;
  return 'invalid valueFrom';
}

/** --resolve: what a reference stands for — a ConfigMap or Secret key (each object read once), a field
 * of the object's metadata, a container's request or limit */
async function resolveRef(client: ApiClient, namespace: string, fetched: Map<string, Promise<any>>, from: any, obj: any, container: any): Promise<string> {
  const ref = from?.configMapKeyRef ?? from?.secretKeyRef;
  if (ref) {
    const kind = from.configMapKeyRef ? 'configmaps' : 'secrets';
    const key = `${kind}/${ref.name}`;
    if (!fetched.has(key)) fetched.set(key, client.discovery.resolve(kind).then((r) => client.get(r, namespace, ref.name)));
    const raw = (await fetched.get(key))?.data?.[ref.key];
    if (raw === undefined) throw new Error(`key ${ref.key} not found in ${kind === 'secrets' ? 'secret' : 'config map'} ${ref.name}`);
    return kind === 'secrets' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  }
  if (from?.fieldRef) return metadataField(obj, String(from.fieldRef.fieldPath ?? ''));
  if (from?.resourceFieldRef) {
    const v = extractContainerResourceValue(from.resourceFieldRef, container);
    if (v === undefined) throw new Error(`Unsupported container resource : ${from.resourceFieldRef.resource}`);
    return v;
  }
  throw new Error('invalid valueFrom');
}

/** the downward API's metadata fields, read from the object itself (as kubectl does: not from a pod) */
function metadataField(obj: any, path: string): string {
  const md = obj.metadata ?? {};
  const sub = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/.exec(path);
  if (sub) return String((sub[1] === 'metadata.labels' ? md.labels : md.annotations)?.[sub[2]!] ?? '');
  const map = (m: Record<string, string> | undefined) => Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m![k])}`).join('\n');
  switch (path) {
    case 'metadata.annotations':
      return map(md.annotations);
    case 'metadata.labels':
      return map(md.labels);
    case 'metadata.name':
      return md.name ?? '';
    case 'metadata.namespace':
      return md.namespace ?? '';
    case 'metadata.uid':
      return md.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${path}`);
}

async function runSetEnv(inv: Invocation): Promise<void> {
  if (inv.bool('all') && inv.str('selector')) throw new KubectlError('cannot set --all and --selector at the same time');
  const split = splitArgs(inv.args);
  if (!split) throw new KubectlError(`all resources must be specified before environment changes: ${inv.args.join(' ')}`);
  const dry = dryRunMode(inv);
  if (inv.bool('local') && dry === 'server') throw new KubectlError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  if (!split.resources.length) throw new KubectlError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const list = inv.bool('list');
  if (list && inv.str('output')) throw new KubectlError('--list and --output may not be specified together');
  if (inv.list('keys').length && !inv.str('from')) throw new KubectlError('when specifying --keys, a configmap or secret must be provided with --from');
  if (inv.bool('local')) throw new KubectlError("--local is not supported by kube-tutor's kubectl for set env; name objects on the cluster instead");

  const { env, remove } = await parseChanges(inv, [...inv.list('env'), ...split.changes]);
  const client = await inv.client();
  if (inv.str('from')) env.push(...(await fromSource(inv, client)));
  const prefix = inv.str('prefix');
  if (prefix) for (const e of env) e.name = prefix + e.name;

  const sel = await selectObjects(client, { args: split.resources, all: inv.bool('all'), selector: inv.str('selector') });
  if (sel.errors.length) throw sel.errors.length === 1 ? sel.errors[0] : new AggregateError2(sel.errors);
  const errors = await changePodTemplates(inv, client, sel.infos, {
    action: 'env updated',
    patchFailure: 'failed to patch env update to pod template: ',
    readOnly: list,
    mutate: (info, obj, spec) => mutate(inv, client, info, obj, spec, env, remove),
    afterPatch: () => {
      if (!env.length && !split.changes.length) throw new KubectlError('at least one environment variable must be provided');
    },
  });
  if (errors.length === 1) throw errors[0];
  if (errors.length) throw new AggregateError2(errors);
}

/** change (or, with --list, print) the environment of the selected containers of one object */
async function mutate(inv: Invocation, client: ApiClient, info: Info, obj: any, spec: any, env: EnvVar[], remove: string[]): Promise<void> {
  const pattern = inv.str('containers') || '*';
  const containers = selectContainers(spec, pattern);
  if (!containers.length) {
    inv.err.write(`Warning: ${info.resource.kind}/${info.name} does not have any containers matching ${JSON.stringify(pattern)}\n`);
    return;
  }
  const fetched = new Map<string, Promise<any>>();
  let failed = false;
  for (const c of containers) {
    if (!inv.bool('overwrite')) {
      for (const e of env) {
        const current = (c.env ?? []).find((x: EnvVar) => x.name === e.name);
        if (current && current.value !== e.value) throw new Error(`'${current.name}' already has a value (${current.value ?? ''}), and --overwrite is false`);
      }
    }
    c.env = updateEnv(c.env ?? [], env, remove);
    if (!c.env.length) delete c.env;
    if (!inv.bool('list')) continue;
    inv.out.write(`# ${info.resource.kind} ${info.name}, container ${c.name}\n`);
    const unresolved = new Map<string, string[]>();
    for (const e of (c.env ?? []) as EnvVar[]) {
      if (!e.valueFrom) inv.out.write(`${e.name}=${e.value ?? ''}\n`);
      else if (!inv.bool('resolve')) inv.out.write(`# ${e.name} from ${refString(e.valueFrom)}\n`);
      else {
        try {
          inv.out.write(`${e.name}=${await resolveRef(client, info.namespace ?? client.namespace, fetched, e.valueFrom, obj, c)}\n`);
        } catch (err) {
          inv.out.write(`# ${e.name} from ${refString(e.valueFrom)}\n`);
          const m = err instanceof ServerError ? (err.status.message ?? err.message) : (err as Error).message;
          unresolved.set(m, [...(unresolved.get(m) ?? []), e.name]);
        }
      }
    }
    // this container's failures, before the next container's listing
    const lines = [...unresolved].map(([m, names]) => `error retrieving reference for ${names.sort().join(', ')}: ${m}`).sort();
    for (const l of lines) inv.err.write(l + '\n');
    if (lines.length) failed = true;
  }
  if (failed) throw new Error('failed to retrieve valueFrom references');
}

export const env: Command = {
  name: 'env',
  short: 'Set, change or remove the environment variables of a pod template',
  usage: 'kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N',
  example: [
    'kubectl set env deployment/kubia GREETING=hello',
    'kubectl set env deployment/kubia GREETING-',
    'kubectl set env deployment/kubia --from=configmap/fortune-config --prefix=FORTUNE_',
    'kubectl set env deployment/kubia --list',
  ].join('\n'),
  flags: [
    CONTAINERS_FLAG,
    { name: 'env', short: 'e', type: 'stringArray', usage: 'A KEY=VALUE to set (as many times as needed).' },
    { name: 'from', type: 'string', usage: 'A ConfigMap or Secret (configmap/NAME, secret/NAME) whose keys become variables.' },
    { name: 'keys', type: 'stringSlice', usage: 'With --from: only these keys.' },
    { name: 'prefix', type: 'string', usage: 'Put this in front of the names of the variables set.' },
    { name: 'list', type: 'bool', usage: 'Print the variables (with the changes) instead of changing anything.' },
    { name: 'resolve', type: 'bool', usage: 'With --list: print the values ConfigMap and Secret references stand for.' },
    { name: 'overwrite', type: 'bool', default: true, usage: 'Replace variables that already have another value (false: refuse).' },
    ...TEMPLATE_CHANGE_FLAGS,
  ],
  async run(inv) {
    await runSetEnv(inv);
  },
};
