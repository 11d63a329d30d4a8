/**
 * A kubeconfig in memory: its clusters, users and contexts (in the shapes client-node's KubeConfig
 * uses) and the current context, read from YAML here so that a command needs no client-node at
 * startup (loading it costs a fifth of a second). Requests take their TLS settings and credentials
 * from applyToHTTPSOptions: certificate authorities, client certificates, bearer tokens, basic
 * auth and insecure-skip-tls-verify are applied here; exec plugins, auth providers, proxies and
 * impersonation go through client-node's KubeConfig, loaded the first time one is needed.
 */
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { dirname, isAbsolute, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';

export interface KubeconfigCluster {
  name: string;
  server: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface KubeconfigUser {
  name: string;
  token?: string;
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
  username?: string;
  password?: string;
  exec?: unknown;
  authProvider?: unknown;
  impersonateUser?: string;
}

export interface KubeconfigContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

type Raw = Record<string, any>;

/** a relative file path in a kubeconfig is relative to that kubeconfig's directory (as in kubectl) */
function absolute(path: unknown, base: string): string | undefined {
  if (typeof path !== 'string' || !path) return undefined;
  return isAbsolute(path) ? path : join(base, path);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function entries(doc: Raw, key: string): Raw[] {
  const list = doc[key];
  return Array.isArray(list) ? list : [];
}

export class Kubeconfig {
  clusters: KubeconfigCluster[] = [];
  users: KubeconfigUser[] = [];
  contexts: KubeconfigContext[] = [];
  currentContext = '';
  private delegate: Promise<KubeConfig> | undefined;

  /** parse one kubeconfig file; throws with the entry that is wrong (`clusters[0].cluster.server is missing`) */
  static fromFile(file: string): Kubeconfig {
    return Kubeconfig.fromYaml(readFileSync(file, 'utf8'), dirname(file));
  }

  static fromYaml(text: string, baseDir: string): Kubeconfig {
    const doc = (parse(text) ?? {}) as Raw;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('a kubeconfig must be a mapping');
    const kc = new Kubeconfig();
    kc.clusters = entries(doc, 'clusters').map((e, i) => {
      if (!e?.name) throw new Error(`clusters[${i}].name is missing`);
      const c = e.cluster as Raw | undefined;
      if (!c) throw new Error(`clusters[${i}].cluster is missing`);
      if (!c.server) throw new Error(`clusters[${i}].cluster.server is missing`);
      return {
        name: String(e.name),
        server: String(c.server).replace(/\/$/, ''),
        caData: str(c['certificate-authority-data']),
        caFile: absolute(c['certificate-authority'], baseDir),
        skipTLSVerify: c['insecure-skip-tls-verify'] === true,
        tlsServerName: str(c['tls-server-name']),
        proxyUrl: str(c['proxy-url']),
      };
    });
    kc.users = entries(doc, 'users').map((e, i) => {
      if (!e?.name) throw new Error(`users[${i}].name is missing`);
      const u = (e.user ?? {}) as Raw;
      const tokenFile = absolute(u['token-file'], baseDir);
      return {
        name: String(e.name),
        token: str(u.token) ?? (tokenFile ? readFileSync(tokenFile, 'utf8') : undefined),
        certData: str(u['client-certificate-data']),
        certFile: absolute(u['client-certificate'], baseDir),
        keyData: str(u['client-key-data']),
        keyFile: absolute(u['client-key'], baseDir),
        username: str(u.username),
        password: str(u.password),
        exec: u.exec ?? undefined,
        authProvider: u['auth-provider'] ?? undefined,
        impersonateUser: str(u.as),
      };
    });
    kc.contexts = entries(doc, 'contexts').map((e, i) => {
      if (!e?.name) throw new Error(`contexts[${i}].name is missing`);
      const c = e.context as Raw | undefined;
      if (!c) throw new Error(`contexts[${i}].context is missing`);
      return { name: String(e.name), cluster: String(c.cluster ?? ''), user: String(c.user ?? ''), namespace: str(c.namespace) };
    });
    kc.currentContext = str(doc['current-context']) ?? '';
    return kc;
  }

  /** entries of `other` whose names this one lacks are added (KUBECONFIG lists: the first file wins) */
  mergeMissing(other: Kubeconfig): void {
    const add = <T extends { name: string }>(mine: T[], theirs: T[]) => [...mine, ...theirs.filter((t) => !mine.some((m) => m.name === t.name))];
    this.clusters = add(this.clusters, other.clusters);
    this.users = add(this.users, other.users);
    this.contexts = add(this.contexts, other.contexts);
    this.currentContext ||= other.currentContext;
    this.delegate = undefined;
  }

  getCurrentContext(): string {
    return this.currentContext;
  }

  setCurrentContext(name: string): void {
    this.currentContext = name;
    this.delegate = undefined;
  }

  getContexts(): KubeconfigContext[] {
    return this.contexts;
  }

  getContextObject(name: string): KubeconfigContext | null {
    return this.contexts.find((c) => c.name === name) ?? null;
  }

  getCurrentCluster(): KubeconfigCluster | null {
    const ctx = this.getContextObject(this.currentContext);
    return (ctx && this.clusters.find((c) => c.name === ctx.cluster)) ?? null;
  }

  getCurrentUser(): KubeconfigUser | null {
    const ctx = this.getContextObject(this.currentContext);
    return (ctx && this.users.find((u) => u.name === ctx.user)) ?? null;
  }

  /** TLS settings and credentials of the current context, for one request */
  async applyToHTTPSOptions(opts: RequestOptions & { headers?: Record<string, unknown> }): Promise<void> {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (user?.exec || user?.authProvider || user?.impersonateUser || cluster?.proxyUrl) {
      await (await this.clientNode()).applyToHTTPSOptions(opts as never);
      return;
    }
    const bytes = (data: string | undefined, file: string | undefined) => (data ? Buffer.from(data, 'base64') : file ? readFileSync(file) : undefined);
    if (cluster) {
      if (cluster.skipTLSVerify) opts.rejectUnauthorized = false;
      const ca = bytes(cluster.caData, cluster.caFile);
      if (ca) opts.ca = ca;
      if (cluster.tlsServerName) opts.servername = cluster.tlsServerName;
    }
    if (user) {
      const cert = bytes(user.certData, user.certFile);
      const key = bytes(user.keyData, user.keyFile);
      if (cert) opts.cert = cert;
      if (key) opts.key = key;
      if (user.token) opts.headers = { ...opts.headers, Authorization: `Bearer ${user.token}` };
      if (user.username) opts.auth = `${user.username}:${user.password ?? ''}`;
    }
  }

  /** client-node's KubeConfig over the same entries (for the credentials only it knows how to get) */
  private clientNode(): Promise<KubeConfig> {
    this.delegate ??= import('@kubernetes/client-node').then(({ KubeConfig }) => {
      const kc = new KubeConfig();
      kc.loadFromOptions({ clusters: this.clusters, users: this.users, contexts: this.contexts, currentContext: this.currentContext });
      return kc;
    });
    return this.delegate;
  }
}
