/**
 * `kubectl create <generator>`: objects built from flags, the same shapes kubectl's generators send
 * (typed objects: `creationTimestamp: null`, `resources: {}`, `status: {}`; keys in struct order
 * for -o json). Each ends in createGenerated (create-common.ts): client dry-run prints, otherwise
 * POST with fieldManager kubectl-create, and kubectl's wrapping of server errors.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve as resolvePath } from 'node:path';
import { KubectlError, ServerError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import type { FlagSpec } from '../input/flags.js';
import { ROLE_SUBCOMMANDS } from './create-rbac.js';
import { createGenerated, dryRunMode, GENERATOR_FLAGS, meta, oneName, requireFlags, sortedMap, ActionPrinter } from './create-common.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const gen = (c: Omit<Command, 'flags'> & { flags?: FlagSpec[] }): Command => ({ ...c, flags: [...GENERATOR_FLAGS, ...(c.flags ?? [])] });

// ---------- namespace ----------
const namespace = gen({
  name: 'namespace',
  aliases: ['ns'],
  short: 'Create a namespace',
  usage: 'kubectl create namespace NAME [--dry-run=server|client|none] [options]',
  example: 'kubectl create namespace custom-namespace',
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    await createGenerated(inv, { kind: { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false }, obj: { kind: 'Namespace', apiVersion: 'v1', metadata: meta(name), spec: {}, status: {} } });
  },
});

// ---------- deployment ----------
function containerName(image: string, used: Set<string>): string {
  let name = image.split('/').pop()!;
  if (name.includes(':')) name = name.split(':')[0]!;
  if (name.includes('@')) name = name.split('@')[0]!;
  name = name.replace(/[_.]/g, '-');
  if (used.has(name)) {
    let i = 1;
    while (used.has(`${name}-${i}`)) i++;
    name = `${name}-${i}`;
  }
  used.add(name);
  return name;
}

const deployment = gen({
  name: 'deployment',
  aliases: ['deploy'],
  short: 'Create a deployment',
  usage: 'kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]',
  example: 'kubectl create deployment kubia --image=luksa/kubia --port=8080\nkubectl create deployment web --image=nginx --replicas=3',
  flags: [
    { name: 'image', type: 'stringSlice', usage: 'Container image(s) to run; one container per image.' },
    { name: 'port', type: 'int', default: -1, usage: 'The port the first container exposes.' },
    { name: 'replicas', short: 'r', type: 'int', default: 1, usage: 'How many pod replicas to run.' },
  ],
  async run(inv) {
    requireFlags(inv, 'image');
    const name = oneName(inv);
    dryRunMode(inv);
    if (inv.list('image').length > 1 && inv.dashArgs.length) throw new KubectlError('cannot specify multiple --image options and command');
    const labels = { app: name };
    const used = new Set<string>();
    const containers = inv.list('image').map((image) => {
      const c: any = { name: containerName(image, used), image };
      if (inv.dashArgs.length) c.command = [...inv.dashArgs];
      c.resources = {};
      return c;
    });
    const port = inv.int('port');
    if (port >= 0 && containers.length) {
      const c = containers[0];
      delete c.resources;
      c.ports = [{ containerPort: port }];
      c.resources = {};
    }
    const obj = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: meta(name, { labels }),
      spec: {
        replicas: inv.int('replicas'),
        selector: { matchLabels: { ...labels } },
        template: { metadata: { creationTimestamp: null, labels: { ...labels } }, spec: { containers } },
        strategy: {},
      },
      status: {},
    };
    await createGenerated(inv, { kind: { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true }, obj, failure: 'failed to create deployment' });
  },
});

// ---------- service ----------
function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
}

function serviceCommand(type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName', extra: FlagSpec[]): Command {
  const sub = type.toLowerCase();
  return gen({
    name: sub,
    short: `Create a ${type} service`,
    usage: type === 'ExternalName' ? `kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]` : `kubectl create service ${sub} NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]`,
    example: type === 'ExternalName' ? 'kubectl create service externalname db --external-name db.example.com' : `kubectl create service ${sub} kubia --tcp=80:8080`,
    flags: [{ name: 'tcp', type: 'stringSlice', usage: 'Port pairs <port>:<targetPort>.' }, ...extra],
    async run(inv) {
      if (type === 'ExternalName') requireFlags(inv, 'external-name');
      const name = oneName(inv);
      dryRunMode(inv);
      const clusterIP = type === 'ClusterIP' ? inv.str('clusterip') : '';
      const tcp = inv.list('tcp');
      if (clusterIP === 'None' && type !== 'ClusterIP') throw new KubectlError('ClusterIP=None can only be used with ClusterIP service type');
      if (clusterIP !== 'None' && !tcp.length && type !== 'ExternalName') throw new KubectlError('at least one tcp port specifier must be provided');
      if (type === 'ExternalName' && !isDns1123Subdomain(inv.str('external-name'))) throw new KubectlError(`invalid service external name ${inv.str('external-name')}`);
      const nodePort = type === 'NodePort' ? inv.int('node-port') : 0;
      const ports = tcp.map((spec) => {
        const parts = spec.split(':');
        const portText = parts[0]!;
        const targetText = parts.length === 2 ? parts[1]! : portText;
        if (parts.length > 2) throw new KubectlError(`invalid port format: ${spec}`);
        if (!/^[+-]?\d+$/.test(portText)) throw new KubectlError(`strconv.Atoi: parsing ${JSON.stringify(portText)}: invalid syntax`);
        const p: any = { name: spec.replace(/:/g, '-'), protocol: 'TCP', port: Number(portText), targetPort: /^-?\d+$/.test(targetText) ? Number(targetText) : targetText };
        if (nodePort) p.nodePort = nodePort;
        return p;
      });
      const spec: any = {};
      if (ports.length) spec.ports = ports;
      spec.selector = { app: name };
      if (clusterIP) spec.clusterIP = clusterIP;
      spec.type = type;
      if (type === 'ExternalName') spec.externalName = inv.str('external-name');
      const obj = { kind: 'Service', apiVersion: 'v1', metadata: meta(name, { labels: { app: name } }), spec, status: { loadBalancer: {} } };
      await createGenerated(inv, { kind: { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true }, obj, failure: `failed to create ${type} service` });
    },
  });
}

const service: Command = {
  name: 'service',
  aliases: ['svc'],
  short: 'Create a service (clusterip, nodeport, loadbalancer or externalname)',
  usage: 'kubectl create service [flags] [options]',
  subcommands: [
    serviceCommand('ClusterIP', [{ name: 'clusterip', type: 'string', usage: 'The cluster IP to ask for ("None" for a headless service).' }]),
    serviceCommand('ExternalName', [{ name: 'external-name', type: 'string', usage: 'The DNS name the service points to.' }]),
    serviceCommand('LoadBalancer', []),
    serviceCommand('NodePort', [{ name: 'node-port', type: 'int', usage: 'The port to open on every node.' }]),
  ],
};

// ---------- configmap / secret data ----------
const DATA_FLAGS: FlagSpec[] = [
  { name: 'from-literal', type: 'stringArray', usage: 'A key=value pair to store (repeatable).' },
  { name: 'from-file', type: 'stringSlice', usage: 'A file (key = its name, or key=path) or a directory (each file) to store.' },
  { name: 'from-env-file', type: 'stringSlice', usage: 'A file of KEY=VALUE lines to store.' },
  { name: 'append-hash', type: 'bool', usage: 'Add a hash of the content to the name.' },
];

function isConfigMapKey(k: string): boolean {
  return k.length > 0 && k.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(k) && k !== '.' && k !== '..' && !k.startsWith('..');
}

/** the key/value pairs from --from-literal / --from-file / --from-env-file, in kubectl's order */
function collectData(inv: Invocation, kindName: string, objName: string): Array<[string, Buffer]> {
  const literals = inv.list('from-literal');
  const files = inv.list('from-file');
  const envFiles = inv.list('from-env-file');
  if (envFiles.length && (files.length || literals.length)) throw new KubectlError('from-env-file cannot be combined with from-file or from-literal');
  const out = new Map<string, Buffer>();
  const add = (k: string, v: Buffer) => {
    if (!isConfigMapKey(k)) throw new KubectlError(`"${k}" is not a valid key name for a ${kindName}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`);
    if (out.has(k)) throw new KubectlError(`cannot add key ${JSON.stringify(k)}, another key by that name already exists in ${kindName === 'Secret' ? 'data' : 'Data'} for ${kindName} ${JSON.stringify(objName)}`);
    out.set(k, v);
  };
  const abs = (p: string) => (isAbsolute(p) ? p : resolvePath(inv.session.cwd, p));
  const read = (p: string) => {
    try {
      return readFileSync(abs(p));
    } catch {
      throw new KubectlError(`error reading ${p}: no such file or directory`);
    }
  };
  for (const f of files) {
    const eq = f.indexOf('=');
    const key = eq >= 0 ? f.slice(0, eq) : '';
    const path = eq >= 0 ? f.slice(eq + 1) : f;
    let st;
    try {
      st = statSync(abs(path));
    } catch {
      throw new KubectlError(`error reading ${path}: no such file or directory`);
    }
    if (st.isDirectory()) {
      if (key) throw new KubectlError('cannot give a key name for a directory path');
      for (const n of readdirSync(abs(path)).sort()) {
        const p = `${path}/${n}`;
        if (!statSync(abs(p)).isFile()) continue;
        if (!isConfigMapKey(n)) continue;
        add(n, read(p));
      }
    } else add(key || basename(path), read(path));
  }
  for (const l of literals) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new KubectlError(`invalid literal source ${l}, expected key=value`);
    add(l.slice(0, eq), Buffer.from(l.slice(eq + 1)));
  }
  for (const f of envFiles) {
    const text = read(f).toString('utf8');
    for (const raw of text.split('\n')) {
      const line = raw.replace(/^\s+/, '').replace(/\r$/, '');
      if (!line || line.startsWith('#')) continue;
      const eq = line.indexOf('=');
      const key = eq >= 0 ? line.slice(0, eq) : line;
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) throw new KubectlError(`${JSON.stringify(key)} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`);
      add(key, Buffer.from(eq >= 0 ? line.slice(eq + 1) : (inv.session.env[key] ?? '')));
    }
  }
  return [...out.entries()];
}

const configmap = gen({
  name: 'configmap',
  aliases: ['cm'],
  short: 'Create a config map from files, directories or literal values',
  usage: 'kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  example: 'kubectl create configmap fortune-config --from-literal=sleep-interval=25\nkubectl create configmap my-config --from-file=config-dir/',
  flags: DATA_FLAGS,
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    const entries = collectData(inv, 'ConfigMap', name);
    const data: Record<string, string> = {};
    const binaryData: Record<string, string> = {};
    for (const [k, v] of entries) {
      const text = v.toString('utf8');
      if (Buffer.from(text, 'utf8').equals(v)) data[k] = text;
      else binaryData[k] = v.toString('base64');
    }
    const obj: any = { kind: 'ConfigMap', apiVersion: 'v1', metadata: meta(name) };
    if (Object.keys(data).length) obj.data = sortedMap(data);
    if (Object.keys(binaryData).length) obj.binaryData = sortedMap(binaryData);
    if (inv.bool('append-hash')) throw new KubectlError('--append-hash is not supported by kube-tutor\'s kubectl');
    await createGenerated(inv, { kind: { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true }, obj, failure: 'failed to create configmap' });
  },
});

// ---------- secrets ----------
const secretGeneric = gen({
  name: 'generic',
  short: 'Create a secret from files, directories or literal values',
  usage: 'kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  example: 'kubectl create secret generic db-pass --from-literal=password=s3cret',
  flags: [...DATA_FLAGS, { name: 'type', type: 'string', usage: 'The secret type (default Opaque, set by the server).' }],
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    const data: Record<string, string> = {};
    for (const [k, v] of collectData(inv, 'Secret', name)) data[k] = v.toString('base64');
    const obj: any = { kind: 'Secret', apiVersion: 'v1', metadata: meta(name) };
    if (Object.keys(data).length) obj.data = sortedMap(data);
    if (inv.str('type')) obj.type = inv.str('type');
    await createGenerated(inv, { kind: { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true }, obj, failure: 'failed to create secret', failureSep: ' ' });
  },
});

const secretTls = gen({
  name: 'tls',
  short: 'Create a TLS secret from a certificate and key',
  usage: 'kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]',
  example: 'kubectl create secret tls tls-secret --cert=tls.cert --key=tls.key',
  flags: [
    { name: 'cert', type: 'string', usage: 'The PEM certificate file.' },
    { name: 'key', type: 'string', usage: 'The PEM private key file.' },
    { name: 'append-hash', type: 'bool', usage: 'Add a hash of the content to the name.' },
  ],
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    if (!inv.str('cert') || !inv.str('key')) throw new KubectlError('key and cert must be specified');
    const read = (p: string) => {
      try {
        return readFileSync(isAbsolute(p) ? p : resolvePath(inv.session.cwd, p));
      } catch {
        throw new KubectlError(`Cannot read file ${p}, open ${p}: no such file or directory`);
      }
    };
    const cert = read(inv.str('cert'));
    const key = read(inv.str('key'));
    const obj = { kind: 'Secret', apiVersion: 'v1', metadata: meta(name), data: { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') }, type: 'kubernetes.io/tls' };
    await createGenerated(inv, { kind: { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true }, obj, failure: 'failed to create secret', failureSep: ' ' });
  },
});

const secretDockerRegistry = gen({
  name: 'docker-registry',
  short: 'Create a secret for pulling images from a registry',
  usage: 'kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]',
  example: 'kubectl create secret docker-registry mydockerhubsecret --docker-username=me --docker-password=pw --docker-email=me@example.com',
  flags: [
    { name: 'docker-server', type: 'string', default: 'https://index.docker.io/v1/', usage: 'The registry address.' },
    { name: 'docker-username', type: 'string', usage: 'The registry user name.' },
    { name: 'docker-password', type: 'string', usage: 'The registry password.' },
    { name: 'docker-email', type: 'string', usage: 'The registry e-mail address.' },
    { name: 'from-file', type: 'stringSlice', usage: 'Docker config files to store instead.' },
    { name: 'append-hash', type: 'bool', usage: 'Add a hash of the content to the name.' },
  ],
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    if (!inv.list('from-file').length) {
      const missing = ['docker-username', 'docker-password'].filter((f) => !inv.str(f));
      if (missing.length) throw new KubectlError(`required flag(s) ${missing.map((m) => `"${m}"`).join(', ')} not set`);
    }
    const u = inv.str('docker-username');
    const p = inv.str('docker-password');
    const entry: any = { username: u, password: p };
    if (inv.str('docker-email')) entry.email = inv.str('docker-email');
    entry.auth = Buffer.from(`${u}:${p}`).toString('base64');
    const cfg = JSON.stringify({ auths: { [inv.str('docker-server')]: entry } });
    const obj = { kind: 'Secret', apiVersion: 'v1', metadata: meta(name), data: { '.dockerconfigjson': Buffer.from(cfg).toString('base64') }, type: 'kubernetes.io/dockerconfigjson' };
    await createGenerated(inv, { kind: { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true }, obj, failure: 'failed to create secret', failureSep: ' ' });
  },
});

const secret: Command = {
  name: 'secret',
  short: 'Create a secret (generic, tls or docker-registry)',
  usage: 'kubectl create secret (docker-registry | generic | tls) [options]',
  subcommands: [secretDockerRegistry, secretGeneric, secretTls],
};

// ---------- job / cronjob ----------
/** a pod template spec as kubectl's typed objects print it */
function typedTemplate(t: any): any {
  const tmpl = { ...(t ?? {}) };
  const { creationTimestamp: _c, ...m } = tmpl.metadata ?? {};
  tmpl.metadata = { creationTimestamp: null, ...m };
  if (tmpl.spec?.containers) tmpl.spec = { ...tmpl.spec, containers: tmpl.spec.containers.map((c: any) => ('resources' in c ? c : { ...c, resources: {} })) };
  return tmpl;
}

const job = gen({
  name: 'job',
  short: 'Create a job',
  usage: 'kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]',
  example: 'kubectl create job once --image=busybox -- echo hello\nkubectl create job manual-run --from=cronjob/batch-job-every-fifteen-minutes',
  flags: [
    { name: 'image', type: 'string', usage: 'The container image to run.' },
    { name: 'from', type: 'string', usage: 'Copy the job template of this resource (only cronjob/NAME).' },
  ],
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    const image = inv.str('image');
    const from = inv.str('from');
    if ((!image && !from) || (image && from)) throw new KubectlError('either --image or --from must be specified');
    if (from && inv.dashArgs.length) throw new KubectlError('cannot specify --from and command');
    let obj: any;
    if (image) {
      const c: any = { name, image };
      if (inv.dashArgs.length) c.command = [...inv.dashArgs];
      c.resources = {};
      obj = { kind: 'Job', apiVersion: 'batch/v1', metadata: meta(name), spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [c], restartPolicy: 'Never' } } }, status: {} };
    } else {
      const slash = from.indexOf('/');
      if (slash < 0) throw new KubectlError('resource(s) were provided, but no name was specified');
      const client = await inv.client();
      const r = await client.discovery.resolve(from.slice(0, slash));
      const cj = await client.get(r, r.namespaced ? client.namespace : undefined, from.slice(slash + 1));
      if (r.kind !== 'CronJob') throw new KubectlError(`unknown object type ${goTypeName(r.group, r.version, r.kind)}`);
      const tmpl = cj.spec?.jobTemplate ?? {};
      const annotations: Record<string, string> = { 'cronjob.kubernetes.io/instantiate': 'manual', ...(tmpl.metadata?.annotations ?? {}) };
      const m: any = { name, creationTimestamp: null };
      if (tmpl.metadata?.labels) m.labels = sortedMap(tmpl.metadata.labels);
      m.annotations = sortedMap(annotations);
      m.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata?.name, uid: cj.metadata?.uid, controller: true }];
      const spec = { ...(tmpl.spec ?? {}) };
      spec.template = typedTemplate(spec.template);
      obj = { kind: 'Job', apiVersion: 'batch/v1', metadata: m, spec, status: {} };
    }
    await createGenerated(inv, { kind: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true }, obj, failure: 'failed to create job' });
  },
});

function goTypeName(group: string, version: string, kind: string): string {
  const pkg = group ? group.split('.')[0] : '';
  return `*${pkg ? version : version}.${kind}`;
}

const cronjob = gen({
  name: 'cronjob',
  aliases: ['cj'],
  short: 'Create a cron job',
  usage: 'kubectl create cronjob NAME --image=image --schedule=\'0/5 * * * ?\' -- [COMMAND] [args...] [flags] [options]',
  example: "kubectl create cronjob every-minute --image=busybox --schedule='*/1 * * * *' -- date",
  flags: [
    { name: 'image', type: 'string', usage: 'The container image to run.' },
    { name: 'schedule', type: 'string', usage: 'When to run, in cron syntax.' },
    { name: 'restart', type: 'string', usage: 'The pods\' restart policy: OnFailure (default) or Never.' },
  ],
  async run(inv) {
    requireFlags(inv, 'image', 'schedule');
    const name = oneName(inv);
    dryRunMode(inv);
    const restart = inv.str('restart') || 'OnFailure';
    if (restart !== 'OnFailure' && restart !== 'Never') throw new KubectlError(`restart policy ${restart} is not supported`);
    const c: any = { name, image: inv.str('image') };
    if (inv.dashArgs.length) c.command = [...inv.dashArgs];
    c.resources = {};
    const obj = {
      kind: 'CronJob',
      apiVersion: 'batch/v1',
      metadata: meta(name),
      spec: {
        schedule: inv.str('schedule'),
        jobTemplate: { metadata: { name, creationTimestamp: null }, spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [c], restartPolicy: restart } } } },
      },
      status: {},
    };
    await createGenerated(inv, { kind: { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true }, obj, failure: 'failed to create cronjob' });
  },
});

// ---------- serviceaccount / token / quota ----------
const serviceaccount = gen({
  name: 'serviceaccount',
  aliases: ['sa'],
  short: 'Create a service account',
  usage: 'kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]',
  example: 'kubectl create serviceaccount foo',
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    await createGenerated(inv, { kind: { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true }, obj: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: meta(name) }, failure: 'failed to create serviceaccount' });
  },
});

const token: Command = {
  name: 'token',
  short: 'Ask the server for a service account token',
  usage: 'kubectl create token SERVICE_ACCOUNT_NAME [options]',
  example: 'kubectl create token default\nkubectl create token foo --duration=10m',
  flags: [
    { name: 'output', short: 'o', type: 'string', usage: 'Output format: json, yaml, name, jsonpath.' },
    { name: 'audience', type: 'stringArray', usage: 'An audience the token is for (repeatable).' },
    { name: 'duration', type: 'duration', default: '0s', usage: 'How long the token should be valid (the server may change it).' },
    { name: 'bound-object-kind', type: 'string', usage: 'Bind the token to an object of this kind (Pod, Secret, Node).' },
    { name: 'bound-object-name', type: 'string', usage: 'The name of the bound object.' },
    { name: 'bound-object-uid', type: 'string', usage: 'The uid of the bound object.' },
    ...GENERATOR_FLAGS.filter((f) => f.name === 'allow-missing-template-keys' || f.name === 'show-managed-fields' || f.name === 'template'),
  ],
  async run(inv) {
    const name = oneName(inv);
    const client = await inv.client();
    const r = await client.discovery.resolve('serviceaccounts');
    const spec: any = { audiences: inv.list('audience').length ? inv.list('audience') : null, boundObjectRef: null };
    const dur = inv.str('duration');
    if (dur && dur !== '0s' && dur !== '0') {
      const { parseGoDuration } = await import('../input/flags.js');
      spec.expirationSeconds = Math.floor((parseGoDuration(dur) ?? 0) / 1000);
    }
    const body = { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status: { token: '', expirationTimestamp: null } };
    let res: any;
    try {
      res = await client.create(r, client.namespace, body, {}, 'token', name);
    } catch (e) {
      if (e instanceof ServerError) throw new KubectlError(`failed to create token: ${e.message}`);
      throw e;
    }
    if (inv.str('output')) {
      res.kind ??= 'TokenRequest';
      res.apiVersion ??= 'authentication.k8s.io/v1';
      new ActionPrinter(inv, 'created', true).print(res, 'none');
      return;
    }
    inv.out.write(`${res.status?.token ?? ''}\n`);
  },
};

const quota = gen({
  name: 'quota',
  aliases: ['resourcequota'],
  short: 'Create a resource quota',
  usage: 'kubectl create quota NAME [--hard=key1=value1] [--scopes=Scope1,Scope2] [--dry-run=server|client|none] [options]',
  example: 'kubectl create quota small --hard=pods=10,requests.cpu=1',
  flags: [
    { name: 'hard', type: 'string', usage: 'Limits as resource=quantity pairs, comma separated.' },
    { name: 'scopes', type: 'string', usage: 'Quota scopes, comma separated.' },
  ],
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    const hard: Record<string, string> = {};
    for (const pair of inv.str('hard').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new KubectlError(`invalid argument syntax ${pair}, expected <resource>=<value>`);
      hard[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const spec: any = {};
    if (Object.keys(hard).length) spec.hard = sortedMap(hard);
    const scopes = inv.str('scopes').split(',').filter(Boolean);
    if (scopes.length) spec.scopes = scopes;
    await createGenerated(inv, { kind: { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true }, obj: { kind: 'ResourceQuota', apiVersion: 'v1', metadata: meta(name), spec, status: {} }, failure: 'failed to create quota' });
  },
});

export const CREATE_SUBCOMMANDS: Command[] = [
  ...ROLE_SUBCOMMANDS.filter((c) => c.name === 'clusterrole' || c.name === 'clusterrolebinding'),
  configmap,
  cronjob,
  deployment,
  job,
  namespace,
  quota,
  ...ROLE_SUBCOMMANDS.filter((c) => c.name === 'role' || c.name === 'rolebinding'),
  secret,
  service,
  serviceaccount,
  token,
];
