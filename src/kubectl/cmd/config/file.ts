/**
 * Reading and writing kubeconfig files the way `kubectl config` does: the files of --kubeconfig /
 * $KUBECONFIG / ~/.kube/config merged (first file wins per name), edits written to the file that
 * defines the stanza (new stanzas to the first existing file, or the last of the list when none
 * exists), in the YAML kubectl writes (keys sorted, named lists sorted by name).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubectlError } from '../../client/errors.js';
import { kubeconfigFiles } from '../../client/kubeconfig.js';
import type { Invocation } from '../../command.js';
import { toYaml } from '../../printers/yaml.js';

export interface Named {
  name: string;
  [k: string]: any;
}

export interface RawConfig {
  apiVersion?: string;
  kind?: string;
  preferences?: any;
  clusters?: Named[] | null;
  contexts?: Named[] | null;
  users?: Named[] | null;
  'current-context'?: string;
  extensions?: Named[] | null;
  [k: string]: any;
}

export type Section = 'clusters' | 'contexts' | 'users';

export interface ConfigFiles {
  /** the files in precedence order with their parsed content (undefined when missing) */
  files: Array<{ path: string; config?: RawConfig }>;
  merged: RawConfig;
}

export function configFilesFor(inv: Invocation): string[] {
  const files = kubeconfigFiles({ kubeconfig: inv.str('kubeconfig') || undefined, env: inv.session.env });
  return files.map((f) => (isAbsolute(f) ? f : resolve(inv.session.cwd, f)));
}

function readOne(path: string): RawConfig | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  let doc: any;
  try {
    doc = parseYaml(text) ?? {};
  } catch (e) {
    throw new KubectlError(`error loading config file "${path}": ${(e as Error).message}`);
  }
  return doc as RawConfig;
}

export function loadConfigFiles(inv: Invocation): ConfigFiles {
  const paths = configFilesFor(inv);
  if (inv.str('kubeconfig') && !existsSync(paths[0]!)) throw new KubectlError(`stat ${paths[0]}: no such file or directory`);
  const files = paths.map((path) => ({ path, config: readOne(path) }));
  const merged: RawConfig = { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], contexts: [], users: [], 'current-context': '' };
  for (const f of files) {
    const c = f.config;
    if (!c) continue;
    for (const s of ['clusters', 'contexts', 'users'] as Section[]) {
      for (const e of c[s] ?? []) if (e && !merged[s]!.some((x) => x.name === e.name)) merged[s]!.push(e);
    }
    if (!merged['current-context'] && c['current-context']) merged['current-context'] = c['current-context'];
  }
  for (const s of ['clusters', 'contexts', 'users'] as Section[]) merged[s] = sortNamed(merged[s] ?? []);
  return { files, merged };
}

export function sortNamed(list: Named[]): Named[] {
  return [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** the file kubectl writes a stanza of `section` named `name` to */
export function fileFor(cf: ConfigFiles, section: Section | 'current-context', name?: string): string {
  if (section === 'current-context') {
    const f = cf.files.find((x) => x.config && x.config['current-context']);
    if (f) return f.path;
  } else if (name !== undefined) {
    const f = cf.files.find((x) => (x.config?.[section] ?? []).some((e) => e?.name === name));
    if (f) return f.path;
  }
  const existing = cf.files.find((x) => x.config);
  return existing ? existing.path : cf.files[cf.files.length - 1]!.path;
}

/** the content of one file, for editing (an empty config when it does not exist yet) */
export function fileConfig(cf: ConfigFiles, path: string): RawConfig {
  const f = cf.files.find((x) => x.path === path);
  const c = f?.config ?? {};
  if (f) f.config = c;
  return c;
}

/** write a kubeconfig as kubectl does */
export function writeConfig(path: string, c: RawConfig): void {
  const out: RawConfig = {
    apiVersion: c.apiVersion || 'v1',
    clusters: c.clusters?.length ? sortNamed(c.clusters) : null,
    contexts: c.contexts?.length ? sortNamed(c.contexts) : null,
    'current-context': c['current-context'] ?? '',
    kind: c.kind || 'Config',
    preferences: c.preferences ?? {},
    users: c.users?.length ? sortNamed(c.users) : null,
  };
  if (c.extensions?.length) out.extensions = c.extensions;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, toYaml(out), { mode: 0o600 });
}

/** find or create the named entry of a section in one file's config */
export function upsert(c: RawConfig, section: Section, name: string, field: 'cluster' | 'context' | 'user'): { entry: any; created: boolean } {
  c[section] = c[section] ?? [];
  let e = c[section]!.find((x) => x?.name === name);
  const created = !e;
  if (!e) {
    e = { name, [field]: {} };
    c[section]!.push(e);
  }
  e[field] = e[field] ?? {};
  return { entry: e[field], created };
}
