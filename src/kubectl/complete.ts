/**
 * Tab completion for a kubectl line: verbs, subcommands, flags, flag values (namespaces, output
 * formats, contexts, files), resource types (from discovery) and object names (from a
 * watch-backed cache per resource and namespace, honouring -n/-A). After the first use of a
 * resource the names are answered from memory, well under 5 ms.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ApiClient } from './client/api.js';
import type { Command } from './command.js';
import { findCommand, loadCommands } from './commands.js';
import { GLOBAL_FLAGS } from './flags-global.js';
import { tokenize } from './input/tokenize.js';
import type { FlagSpec } from './input/flags.js';
import type { ApiResource } from './resource/discovery.js';
import type { Session } from './session.js';

export interface Completion {
  /** full replacement words for the word at the cursor */
  candidates: string[];
  /** the range of the line the chosen candidate replaces */
  from: number;
  to: number;
}

/** commands whose first argument is a resource type (then names) */
const TYPE_FIRST = new Set(['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'scale', 'expose', 'patch', 'explain', 'wait', 'rollout', 'set', 'autoscale', 'taint', 'replace']);
/** commands whose arguments are node names */
const NODE_ARGS = new Set(['cordon', 'uncordon', 'drain']);
/** commands whose first argument is a pod (or TYPE/NAME) */
const POD_FIRST = new Set(['logs', 'exec', 'attach', 'port-forward', 'cp', 'debug']);
const OUTPUT_FORMATS = ['json', 'yaml', 'wide', 'name', 'jsonpath=', 'custom-columns=', 'go-template='];

/** names of one resource in one namespace, kept current by a watch */
class NameCache {
  private names = new Set<string>();
  ready: Promise<void>;
  private abort = new AbortController();
  constructor(client: ApiClient, r: ApiResource, namespace: string | undefined) {
    this.ready = (async () => {
      const list = await client.list(r, namespace);
      for (const o of list.items ?? []) this.names.add(o.metadata?.name);
      const rv = list.metadata?.resourceVersion;
      client
        .watch(r, namespace, { resourceVersion: rv }, (ev) => {
          const name = ev.object?.metadata?.name;
          if (!name) return;
          if (ev.type === 'DELETED') this.names.delete(name);
          else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.names.add(name);
        }, this.abort.signal)
        .catch(() => undefined);
    })();
    this.ready.catch(() => undefined);
  }
  list(): string[] {
    return [...this.names].sort();
  }
  close(): void {
    this.abort.abort();
  }
}

export class Completer {
  private caches = new Map<string, NameCache>();

  constructor(private readonly session: Session) {}

  /** stop all watches */
  close(): void {
    for (const c of this.caches.values()) c.close();
    this.caches.clear();
  }

  private names(client: ApiClient, r: ApiResource, namespace: string | undefined): NameCache {
    const key = `${client.rest.server}|${r.group}/${r.resource}|${r.namespaced ? (namespace ?? '*') : ''}`;
    let c = this.caches.get(key);
    if (!c) {
      c = new NameCache(client, r, r.namespaced ? namespace : undefined);
      this.caches.set(key, c);
    }
    return c;
  }

  async complete(line: string, cursor = line.length): Promise<Completion> {
    const commands = await loadCommands();
    const before = line.slice(0, cursor);
    const t = tokenize(before, this.session.env);
    const tokens = t.tokens;
    const endsWithSpace = /\s$/.test(before) || before.length === 0;
    const partialTok = endsWithSpace ? undefined : tokens[tokens.length - 1];
    const partial = partialTok?.value ?? '';
    const from = partialTok?.start ?? cursor;
    const words = (partialTok ? tokens.slice(0, -1) : tokens).map((x) => x.value);
    const done = (candidates: string[]): Completion => ({ candidates: candidates.filter((c) => c.startsWith(partial)).sort(), from, to: cursor });

    let i = 0;
    if (words[0] === 'kubectl' || words[0] === 'k') i = 1;
    // global flags before the verb, then the verb
    const flagSpecs: FlagSpec[] = [...GLOBAL_FLAGS];
    let cmd: Command | undefined;
    const positional: string[] = [];
    const flagValues: Record<string, string> = {};
    const path: string[] = [];
    let expectValueFor: FlagSpec | undefined;
    for (; i < words.length; i++) {
      const w = words[i]!;
      if (expectValueFor) {
        flagValues[expectValueFor.name] = w;
        expectValueFor = undefined;
        continue;
      }
      if (w.startsWith('-')) {
        const specs = [...(cmd?.flags ?? []), ...flagSpecs];
        const [name, value] = w.startsWith('--') ? w.slice(2).split(/=(.*)/s) : [w.slice(1, 2), w.length > 2 ? w.slice(2).replace(/^=/, '') : undefined];
        const spec = w.startsWith('--') ? specs.find((s) => s.name === name) : specs.find((s) => s.short === name);
        if (spec && spec.type !== 'bool' && spec.noOptDefault === undefined) {
          if (value !== undefined && value !== '') flagValues[spec.name] = value;
          else expectValueFor = spec;
        } else if (spec) flagValues[spec.name] = 'true';
        continue;
      }
      if (!cmd) {
        cmd = findCommand(commands, w);
        if (!cmd) return done([]);
        path.push(cmd.name);
        continue;
      }
      if (cmd.subcommands?.length && positional.length === 0) {
        const sub = findCommand(cmd.subcommands, w);
        if (sub) {
          cmd = sub;
          path.push(sub.name);
          continue;
        }
      }
      positional.push(w);
    }

    // a flag's value
    if (expectValueFor || (partial.startsWith('--') && partial.includes('='))) {
      const spec = expectValueFor ?? [...(cmd?.flags ?? []), ...flagSpecs].find((s) => s.name === partial.slice(2).split('=')[0]);
      const prefix = expectValueFor ? '' : partial.slice(0, partial.indexOf('=') + 1);
      const values = await this.flagValues(spec, flagValues, partial.slice(prefix.length));
      return { ...done(values.map((v) => prefix + v)) };
    }
    if (partial.startsWith('-')) {
      const specs = [...(cmd?.flags ?? []), ...(cmd ? GLOBAL_FLAGS : [])].filter((s) => !s.hidden);
      return done(specs.map((s) => `--${s.name}`));
    }
    if (!cmd) {
      const verbs = commands.map((c) => c.name);
      return done(words.length === 0 && !partial ? verbs : [...verbs, ...(words.length === 0 ? ['kubectl'] : [])]);
    }
    if (cmd.subcommands?.length && path.length === 1) return done(cmd.subcommands.map((s) => s.name));

    const client = await this.client(flagValues);
    if (!client) return done([]);
    const namespace = flagValues['all-namespaces'] === 'true' ? undefined : flagValues.namespace || client.namespace;
    const top = path[0]!;
    if (POD_FIRST.has(top) && positional.length === 0) {
      if (partial.includes('/')) return done(await this.typeSlashNames(client, partial, namespace));
      const pods = await this.resolve(client, 'pods');
      return done(pods ? await this.nameList(client, pods, namespace) : []);
    }
    if (NODE_ARGS.has(top)) {
      const nodes = await this.resolve(client, 'nodes');
      return done(nodes ? (await this.nameList(client, nodes, undefined)).filter((n) => !positional.includes(n)) : []);
    }
    if (TYPE_FIRST.has(top)) {
      if (positional.length === 0) {
        if (partial.includes('/')) return done(await this.typeSlashNames(client, partial, namespace));
        const all = await client.discovery.resources();
        const base = partial.includes(',') ? partial.slice(0, partial.lastIndexOf(',') + 1) : '';
        const types = all.filter((r) => r.preferred && r.verbs.includes('list')).flatMap((r) => [r.resource, r.singular, ...r.shortNames]);
        if (top === 'get' || top === 'describe' || top === 'delete') types.push('all');
        return done([...new Set(types)].map((x) => base + x));
      }
      if (positional[0]!.includes('/')) return done(await this.typeSlashNames(client, partial, namespace));
      const r = await this.resolve(client, positional[0]!.split(',')[0]!);
      return done(r ? (await this.nameList(client, r, namespace)).filter((n) => !positional.includes(n)) : []);
    }
    return done([]);
  }

  private async client(flags: Record<string, string>): Promise<ApiClient | undefined> {
    try {
      return this.session.client({ kubeconfig: flags.kubeconfig || undefined, context: flags.context || undefined, namespace: flags.namespace || undefined });
    } catch {
      return undefined;
    }
  }

  private async resolve(client: ApiClient, typed: string): Promise<ApiResource | undefined> {
    try {
      return await client.discovery.resolve(typed);
    } catch {
      return undefined;
    }
  }

  private async nameList(client: ApiClient, r: ApiResource, namespace: string | undefined): Promise<string[]> {
    const cache = this.names(client, r, namespace);
    try {
      await cache.ready;
    } catch {
      return [];
    }
    return cache.list();
  }

  private async typeSlashNames(client: ApiClient, partial: string, namespace: string | undefined): Promise<string[]> {
    const type = partial.slice(0, partial.indexOf('/'));
    const r = await this.resolve(client, type);
    if (!r) return [];
    return (await this.nameList(client, r, namespace)).map((n) => `${type}/${n}`);
  }

  private async flagValues(spec: FlagSpec | undefined, flags: Record<string, string>, partial: string): Promise<string[]> {
    if (!spec) return [];
    switch (spec.name) {
      case 'namespace': {
        const client = await this.client({ ...flags, namespace: '' });
        const r = client ? await this.resolve(client, 'namespaces') : undefined;
        return client && r ? this.nameList(client, r, undefined) : [];
      }
      case 'output':
        return OUTPUT_FORMATS;
      case 'context': {
        const client = await this.client({ ...flags, context: '' });
        return client ? client.config.kc.getContexts().map((c) => c.name) : [];
      }
      case 'filename':
      case 'kubeconfig':
        return this.files(partial);
      default:
        return [];
    }
  }

  private files(partial: string): string[] {
    const dirPart = partial.includes('/') ? partial.slice(0, partial.lastIndexOf('/') + 1) : '';
    const dir = resolve(this.session.cwd, dirPart || '.');
    try {
      return readdirSync(dir)
        .filter((n) => !n.startsWith('.') || partial.startsWith('.'))
        .map((n) => {
          let isDir = false;
          try {
            isDir = statSync(join(dir, n)).isDirectory();
          } catch {
            /* broken link */
          }
          return dirPart + n + (isDir ? '/' : '');
        });
    } catch {
      void dirname;
      return [];
    }
  }
}
