/**
 * A kubectl session: what stays the same between commands typed at one prompt — the environment
 * ($KUBECONFIG, $HOME, $KUBE_EDITOR, the learner's own variables), the working directory, how to
 * ask the learner for confirmation, and a cache of loaded kubeconfigs/clients (discovery is cached
 * per server inside the client layer).
 */
import { statSync } from 'node:fs';
import { ApiClient } from './client/api.js';
import { kubeconfigFiles, type KubeconfigSelection } from './client/kubeconfig.js';

export interface SessionOptions {
  /** environment (default: a copy of process.env) */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /**
   * Ask before commands that delete many objects or touch kube-system. The embedded sandbox never
   * asks (false); a real cluster asks (true). Default true.
   */
  confirmDestructive?: boolean;
  /** how to ask; when absent and confirmation is needed, the command is refused */
  confirm?(question: string): Promise<boolean>;
  /**
   * Edit a file in place for `kubectl edit` (the tutor's own editor); when absent, $KUBE_EDITOR /
   * $EDITOR (default vi) runs as a child process.
   */
  editor?(file: string): Promise<void>;
  /** compute learner hints (effects of type 'hint') after failures; default true */
  hints?: boolean;
}

export class Session {
  readonly env: Record<string, string | undefined>;
  cwd: string;
  confirmDestructive: boolean;
  confirm?: (question: string) => Promise<boolean>;
  /** see SessionOptions.editor */
  editor?: (file: string) => Promise<void>;
  hints: boolean;
  /** the namespace commands use when no -n is given (the tutor's per-lesson namespace on real clusters); else the context's */
  defaultNamespace?: string;
  /** the kubeconfig context commands use when no --context is given (`kube-tutor --context C`); else the current context */
  defaultContext?: string;
  private clients = new Map<string, { client: ApiClient; stamp: string }>();

  constructor(opts: SessionOptions = {}) {
    this.env = { ...(opts.env ?? process.env) };
    this.cwd = opts.cwd ?? process.cwd();
    this.confirmDestructive = opts.confirmDestructive ?? true;
    this.confirm = opts.confirm;
    this.editor = opts.editor;
    this.hints = opts.hints ?? true;
  }

  /** the client for a kubeconfig selection; reloaded when a kubeconfig file changes */
  client(selection: Omit<KubeconfigSelection, 'env'>): ApiClient {
    const sel = selection.context === undefined && this.defaultContext !== undefined ? { ...selection, context: this.defaultContext } : selection;
    const full: KubeconfigSelection = { ...sel, env: this.env };
    const files = kubeconfigFiles(full);
    const stamp = files
      .map((f) => {
        try {
          const s = statSync(f);
          return `${f}:${s.mtimeMs}:${s.size}`;
        } catch {
          return `${f}:-`;
        }
      })
      .join('|');
    const key = JSON.stringify([sel.kubeconfig ?? '', sel.context ?? '', sel.namespace ?? '', this.env.KUBECONFIG ?? '', this.env.HOME ?? '']);
    const hit = this.clients.get(key);
    if (hit && hit.stamp === stamp) return hit.client;
    const client = ApiClient.load(full);
    this.clients.set(key, { client, stamp });
    return client;
  }
}
