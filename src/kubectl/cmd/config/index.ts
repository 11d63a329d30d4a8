/**
 * kubectl config: view and edit kubeconfig files (contexts, clusters, users, the current context).
 * Edits go to the file that defines the stanza, as kubectl does (see file.ts).
 */
import { readFileSync } from 'node:fs';
import { KubectlError } from '../../client/errors.js';
import type { Command, Invocation } from '../../command.js';
import { orderedJson } from './ordered-json.js';
import { compileJsonPath, executeJsonPath } from '../../printers/jsonpath.js';
import { GET_TABWRITER } from '../../printers/table.js';
import { tabwrite } from '../../printers/tabwriter.js';
import { toYaml } from '../../printers/yaml.js';
import { fileConfig, fileFor, loadConfigFiles, upsert, writeConfig, type Named, type RawConfig, type Section } from './file.js';

/** field order of the v1 kubeconfig structs (for -o json) */
const ORDER: Record<string, string[]> = {
  root: ['kind', 'apiVersion', 'preferences', 'clusters', 'users', 'contexts', 'current-context', 'extensions'],
  cluster: ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions'],
  context: ['cluster', 'user', 'namespace', 'extensions'],
  user: [
    'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups',
    'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions',
  ],
};

function ordered(obj: any, order: string[]): any {
  const out: any = {};
  for (const k of order) if (obj[k] !== undefined) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
  return out;
}

function forJson(c: RawConfig): any {
  const named = (list: Named[] | null | undefined, field: string) =>
    list ? list.map((e) => ({ name: e.name, [field]: ordered(e[field] ?? {}, ORDER[field]!) })) : null;
  return ordered(
    { ...c, clusters: named(c.clusters, 'cluster'), users: named(c.users, 'user'), contexts: named(c.contexts, 'context') },
    ORDER.root!,
  );
}

function redact(c: RawConfig): RawConfig {
  const copy: RawConfig = JSON.parse(JSON.stringify(c));
  for (const e of copy.clusters ?? []) if (e.cluster?.['certificate-authority-data']) e.cluster['certificate-authority-data'] = 'DATA+OMITTED';
  for (const e of copy.users ?? []) {
    const u = e.user ?? {};
    for (const k of ['client-certificate-data', 'client-key-data']) if (u[k]) u[k] = 'DATA+OMITTED';
    for (const k of ['token', 'password']) if (u[k]) u[k] = 'REDACTED';
  }
  return copy;
}

function noArgs(inv: Invocation, name: string): void {
  if (inv.args.length) throw new KubectlError(`unexpected arguments: [${inv.args.join(' ')}]\nSee 'kubectl config ${name} -h' for help and examples`);
}

const view: Command = {
  name: 'view',
  short: 'Show the merged kubeconfig (or one file)',
  usage: 'kubectl config view [flags] [options]',
  example: 'kubectl config view\nkubectl config view --minify\nkubectl config view -o jsonpath=\'{.users[].name}\'',
  flags: [
    { name: 'output', short: 'o', type: 'string', default: 'yaml', usage: 'yaml, json or jsonpath=….' },
    { name: 'minify', type: 'bool', usage: 'Only what the current context uses.' },
    { name: 'raw', type: 'bool', usage: 'Show secrets and certificate data as they are.' },
    { name: 'flatten', type: 'bool', usage: 'Embed referenced files and make the output self-contained.' },
    { name: 'merge', type: 'bool', default: true, usage: 'Merge every kubeconfig file.' },
    { name: 'allow-missing-template-keys', type: 'bool', default: true, usage: 'Ignore missing keys in templates.' },
    { name: 'show-managed-fields', type: 'bool', usage: 'Unused here.' },
    { name: 'template', type: 'string', usage: 'Template for -o go-template.' },
  ],
  async run(inv) {
    noArgs(inv, 'view');
    const cf = loadConfigFiles(inv);
    let c: RawConfig = cf.merged;
    if (inv.bool('minify')) {
      const ctxName = inv.str('context') || c['current-context'];
      if (!ctxName) throw new KubectlError('current-context must exist in order to minify');
      const ctx = (c.contexts ?? []).find((x) => x.name === ctxName);
      if (!ctx) throw new KubectlError(`cannot locate context ${ctxName}`);
      c = {
        ...c,
        'current-context': ctxName,
        contexts: [ctx],
        clusters: (c.clusters ?? []).filter((x) => x.name === ctx.context?.cluster),
        users: (c.users ?? []).filter((x) => x.name === ctx.context?.user),
      };
    }
    if (inv.bool('flatten')) c = flatten(c);
    if (!inv.bool('raw')) c = redact(c);
    const out = inv.str('output');
    const doc = {
      apiVersion: c.apiVersion ?? 'v1',
      clusters: c.clusters?.length ? c.clusters : null,
      contexts: c.contexts?.length ? c.contexts : null,
      'current-context': c['current-context'] ?? '',
      kind: 'Config',
      preferences: c.preferences ?? {},
      users: c.users?.length ? c.users : null,
    };
    if (out === 'yaml' || out === '') inv.out.write(toYaml(doc));
    else if (out === 'json') inv.out.write(orderedJson(forJson(doc)));
    else if (out.startsWith('jsonpath=') || out.startsWith('jsonpath-as-json=')) {
      const asJson = out.startsWith('jsonpath-as-json=');
      const jp = compileJsonPath(out.slice(out.indexOf('=') + 1), { allowMissingKeys: inv.bool('allow-missing-template-keys'), asJson });
      inv.out.write(executeJsonPath(jp, forJson(doc)));
    } else {
      throw new KubectlError(
        `unable to match a printer suitable for the output format "${out}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml`,
      );
    }
  },
};

function flatten(c: RawConfig): RawConfig {
  const copy: RawConfig = JSON.parse(JSON.stringify(c));
  const embed = (o: any, from: string, to: string) => {
    if (o?.[from]) {
      o[to] = readFileSync(o[from]).toString('base64');
      delete o[from];
    }
  };
  for (const e of copy.clusters ?? []) embed(e.cluster, 'certificate-authority', 'certificate-authority-data');
  for (const e of copy.users ?? []) {
    embed(e.user, 'client-certificate', 'client-certificate-data');
    embed(e.user, 'client-key', 'client-key-data');
  }
  return copy;
}

const currentContext: Command = {
  name: 'current-context',
  short: 'Print the current context',
  usage: 'kubectl config current-context [options]',
  example: 'kubectl config current-context',
  async run(inv) {
    const cf = loadConfigFiles(inv);
    const cur = inv.str('context') || cf.merged['current-context'];
    if (!cur) throw new KubectlError('current-context is not set');
    inv.out.write(cur + '\n');
  },
};

const getContexts: Command = {
  name: 'get-contexts',
  short: 'List the contexts (or some of them)',
  usage: 'kubectl config get-contexts [(-o|--output=)name)] [options]',
  example: 'kubectl config get-contexts\nkubectl config get-contexts -o name',
  flags: [
    { name: 'output', short: 'o', type: 'string', usage: 'name: only the context names.' },
    { name: 'no-headers', type: 'bool', usage: 'Leave out the header line.' },
  ],
  validate(inv) {
    const o = inv.str('output');
    if (o && o !== 'name') throw new KubectlError(`output must be one of '' or 'name': ${o}`);
  },
  async run(inv) {
    const cf = loadConfigFiles(inv);
    const all = cf.merged.contexts ?? [];
    const cur = cf.merged['current-context'];
    const wanted = inv.args.length ? inv.args : all.map((c) => c.name);
    const missing: string[] = [];
    const rows: Named[] = [];
    for (const n of wanted) {
      const c = all.find((x) => x.name === n);
      if (c) rows.push(c);
      else missing.push(n);
    }
    if (inv.str('output') === 'name') {
      for (const r of rows) inv.out.write(r.name + '\n');
    } else {
      let text = inv.bool('no-headers') ? '' : 'CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n';
      for (const r of rows) text += `${r.name === cur ? '*' : ''}\t${r.name}\t${r.context?.cluster ?? ''}\t${r.context?.user ?? ''}\t${r.context?.namespace ?? ''}\n`;
      inv.out.write(tabwrite(text, GET_TABWRITER));
    }
    if (missing.length) throw new KubectlError(missing.map((m) => `context ${m} not found`).join('\nerror: '));
  },
};

function listNames(section: Section, name: string, short: string): Command {
  return {
    name,
    short,
    usage: `kubectl config ${name} [options]`,
    async run(inv) {
      const cf = loadConfigFiles(inv);
      inv.out.write('NAME\n' + (cf.merged[section] ?? []).map((e) => e.name + '\n').join(''));
    },
  };
}

const useContext: Command = {
  name: 'use-context',
  aliases: ['use'],
  short: 'Switch the current context',
  usage: 'kubectl config use-context CONTEXT_NAME [options]',
  example: 'kubectl config use-context kube-tutor',
  validate(inv) {
    if (inv.args.length !== 1) throw new KubectlError("Unexpected args: " + `[${inv.args.join(' ')}]` + "\nSee 'kubectl config use-context -h' for help and examples");
  },
  async run(inv) {
    const name = inv.args[0]!;
    const cf = loadConfigFiles(inv);
    if (!(cf.merged.contexts ?? []).some((c) => c.name === name)) throw new KubectlError(`no context exists with the name: ${JSON.stringify(name)}`);
    const path = fileFor(cf, 'current-context');
    const c = fileConfig(cf, path);
    if (c['current-context'] !== name) {
      c['current-context'] = name;
      writeConfig(path, c);
    }
    inv.effect({ type: 'config', change: 'context', value: name });
    inv.out.write(`Switched to context ${JSON.stringify(name)}.\n`);
  },
};

const setContext: Command = {
  name: 'set-context',
  short: 'Create or change a context',
  usage: 'kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]',
  example: 'kubectl config set-context --current --namespace=team-a\nkubectl config set-context dev --cluster=kube-tutor --user=kube-tutor',
  flags: [
    { name: 'current', type: 'bool', usage: 'Change the current context.' },
    { name: 'cluster', type: 'string', usage: 'The cluster of the context.' },
    { name: 'user', type: 'string', usage: 'The user of the context.' },
    { name: 'namespace', short: 'n', type: 'string', usage: 'The namespace of the context.' },
  ],
  async run(inv) {
    const cf = loadConfigFiles(inv);
    let name = inv.args[0] ?? '';
    if (inv.args.length > 1) throw new KubectlError(`unexpected args: [${inv.args.join(' ')}]`);
    if (inv.bool('current')) {
      if (name) throw new KubectlError('you cannot specify both a context name and --current');
      name = cf.merged['current-context'] ?? '';
      if (!name) throw new KubectlError('no current context is set');
    }
    if (!name) throw new KubectlError('you must specify a non-empty context name or --current');
    const exists = (cf.merged.contexts ?? []).some((c) => c.name === name);
    const path = fileFor(cf, 'contexts', name);
    const c = fileConfig(cf, path);
    const { entry } = upsert(c, 'contexts', name, 'context');
    for (const f of ['cluster', 'user', 'namespace']) if (inv.changed.has(f)) entry[f] = inv.str(f);
    for (const f of ['cluster', 'user', 'namespace']) if (entry[f] === '') delete entry[f];
    writeConfig(path, c);
    if (inv.changed.has('namespace') && name === cf.merged['current-context']) inv.effect({ type: 'config', change: 'namespace', value: inv.str('namespace') });
    inv.out.write(`Context ${JSON.stringify(name)} ${exists ? 'modified' : 'created'}.\n`);
  },
};

const setCredentials: Command = {
  name: 'set-credentials',
  short: 'Create or change a user entry',
  usage: 'kubectl config set-credentials NAME [--client-certificate=path/to/certfile] [--client-key=path/to/keyfile] [--token=bearer_token] [--username=basic_user] [--password=basic_password] [options]',
  example: 'kubectl config set-credentials alice --token=secret',
  flags: [
    { name: 'client-certificate', type: 'string', usage: 'Client certificate file.' },
    { name: 'client-key', type: 'string', usage: 'Client key file.' },
    { name: 'embed-certs', type: 'bool', usage: 'Store the certificate and key data instead of the paths.' },
    { name: 'token', type: 'string', usage: 'Bearer token.' },
    { name: 'username', type: 'string', usage: 'Basic auth user name.' },
    { name: 'password', type: 'string', usage: 'Basic auth password.' },
  ],
  async run(inv) {
    if (inv.args.length !== 1) throw new KubectlError(`unexpected args: [${inv.args.join(' ')}]`);
    const name = inv.args[0]!;
    const hasToken = inv.changed.has('token');
    const hasBasic = inv.changed.has('username') || inv.changed.has('password');
    if (hasToken && hasBasic) throw new KubectlError('you cannot specify more than one authentication method at the same time: --token, --username/--password');
    const cf = loadConfigFiles(inv);
    const path = fileFor(cf, 'users', name);
    const c = fileConfig(cf, path);
    const { entry } = upsert(c, 'users', name, 'user');
    const embed = inv.bool('embed-certs');
    for (const [flag, dataKey] of [['client-certificate', 'client-certificate-data'], ['client-key', 'client-key-data']] as const) {
      if (!inv.changed.has(flag)) continue;
      const v = inv.str(flag);
      if (embed) {
        entry[dataKey] = readFileSync(v).toString('base64');
        delete entry[flag];
      } else {
        entry[flag] = v;
        delete entry[dataKey];
      }
    }
    for (const f of ['token', 'username', 'password']) if (inv.changed.has(f)) entry[f] = inv.str(f);
    for (const k of Object.keys(entry)) if (entry[k] === '') delete entry[k];
    writeConfig(path, c);
    inv.out.write(`User ${JSON.stringify(name)} set.\n`);
  },
};

const setCluster: Command = {
  name: 'set-cluster',
  short: 'Create or change a cluster entry',
  usage: 'kubectl config set-cluster NAME [--server=server] [--certificate-authority=path/to/certificate/authority] [--insecure-skip-tls-verify=true] [--tls-server-name=example.com] [options]',
  example: 'kubectl config set-cluster lab --server=https://10.0.0.1:6443',
  flags: [
    { name: 'server', type: 'string', usage: 'API server address.' },
    { name: 'certificate-authority', type: 'string', usage: 'CA file.' },
    { name: 'embed-certs', type: 'bool', usage: 'Store the CA data instead of the path.' },
    { name: 'insecure-skip-tls-verify', type: 'bool', usage: "Do not verify the server's certificate." },
    { name: 'tls-server-name', type: 'string', usage: 'Server name for certificate validation.' },
    { name: 'proxy-url', type: 'string', usage: 'Proxy URL.' },
  ],
  async run(inv) {
    if (inv.args.length !== 1) throw new KubectlError(`unexpected args: [${inv.args.join(' ')}]`);
    const name = inv.args[0]!;
    const cf = loadConfigFiles(inv);
    const path = fileFor(cf, 'clusters', name);
    const c = fileConfig(cf, path);
    const { entry } = upsert(c, 'clusters', name, 'cluster');
    for (const f of ['server', 'tls-server-name', 'proxy-url']) if (inv.changed.has(f)) entry[f] = inv.str(f);
    if (inv.changed.has('insecure-skip-tls-verify')) {
      entry['insecure-skip-tls-verify'] = inv.bool('insecure-skip-tls-verify') || undefined;
      if (entry['insecure-skip-tls-verify']) {
        delete entry['certificate-authority'];
        delete entry['certificate-authority-data'];
      }
    }
    if (inv.changed.has('certificate-authority')) {
      if (inv.bool('embed-certs')) {
        entry['certificate-authority-data'] = readFileSync(inv.str('certificate-authority')).toString('base64');
        delete entry['certificate-authority'];
      } else {
        entry['certificate-authority'] = inv.str('certificate-authority');
        delete entry['certificate-authority-data'];
      }
      delete entry['insecure-skip-tls-verify'];
    }
    for (const k of Object.keys(entry)) if (entry[k] === '' || entry[k] === undefined) delete entry[k];
    writeConfig(path, c);
    inv.out.write(`Cluster ${JSON.stringify(name)} set.\n`);
  },
};

function deleter(section: Section, word: string): Command {
  return {
    name: `delete-${word}`,
    short: `Remove a ${word} from the kubeconfig`,
    usage: `kubectl config delete-${word} NAME [options]`,
    async run(inv) {
      const cf = loadConfigFiles(inv);
      const name = inv.args[0] ?? '';
      const path = fileFor(cf, section, name);
      const c = fileConfig(cf, path);
      const list = c[section] ?? [];
      if (!list.some((e) => e?.name === name)) throw new KubectlError(`cannot delete ${word} ${name}, not in ${path}`);
      c[section] = list.filter((e) => e?.name !== name);
      if (section === 'contexts' && cf.merged['current-context'] === name)
        inv.err.write('warning: this removed your active context, use "kubectl config use-context" to select a different one\n');
      writeConfig(path, c);
      inv.out.write(`deleted ${word} ${name} from ${path}\n`);
    },
  };
}

const renameContext: Command = {
  name: 'rename-context',
  short: 'Rename a context',
  usage: 'kubectl config rename-context CONTEXT_NAME NEW_NAME [options]',
  example: 'kubectl config rename-context kube-tutor sandbox',
  validate(inv) {
    if (inv.args.length !== 2) throw new KubectlError("Unexpected args: " + `[${inv.args.join(' ')}]` + "\nSee 'kubectl config rename-context -h' for help and examples");
  },
  async run(inv) {
    const [from, to] = inv.args as [string, string];
    const cf = loadConfigFiles(inv);
    const path = fileFor(cf, 'contexts', from);
    const c = fileConfig(cf, path);
    const e = (c.contexts ?? []).find((x) => x?.name === from);
    if (!e) throw new KubectlError(`cannot rename the context ${JSON.stringify(from)}, it's not in ${path}`);
    if ((c.contexts ?? []).some((x) => x?.name === to)) throw new KubectlError(`cannot rename the context ${JSON.stringify(from)}, the context ${JSON.stringify(to)} already exists in ${path}`);
    e.name = to;
    if (c['current-context'] === from) c['current-context'] = to;
    writeConfig(path, c);
    inv.out.write(`Context ${JSON.stringify(from)} renamed to ${JSON.stringify(to)}.\n`);
  },
};

export const config: Command = {
  name: 'config',
  short: 'Change kubeconfig files',
  group: 'settings',
  usage: 'kubectl config SUBCOMMAND [options]',
  subcommands: [
    currentContext,
    deleter('clusters', 'cluster'),
    deleter('contexts', 'context'),
    deleter('users', 'user'),
    listNames('clusters', 'get-clusters', 'List the clusters of the kubeconfig'),
    getContexts,
    listNames('users', 'get-users', 'List the users of the kubeconfig'),
    renameContext,
    setCluster,
    setContext,
    setCredentials,
    useContext,
    view,
  ],
};
