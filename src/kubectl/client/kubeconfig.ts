/**
 * Loading a kubeconfig the way kubectl does: `--kubeconfig`, else $KUBECONFIG (a list of files,
 * merged, first one wins per entry), else ~/.kube/config; then `--context`, `--cluster`, `--user`
 * and `-n` override what the current context says.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Kubeconfig } from './kubeconfig-model.js';
import { KubectlError } from './errors.js';

export interface KubeconfigSelection {
  /** --kubeconfig */
  kubeconfig?: string;
  /** --context */
  context?: string;
  /** --namespace */
  namespace?: string;
  /** environment to read KUBECONFIG and HOME from (default process.env) */
  env?: Record<string, string | undefined>;
}

export interface LoadedConfig {
  kc: Kubeconfig;
  /** the files it came from (the first is where `config use-context` writes) */
  files: string[];
  contextName: string;
  /** the namespace in effect: -n, else the context's, else "default" */
  namespace: string;
  /** the namespace was given explicitly with -n (kubectl's "enforceNamespace") */
  namespaceExplicit: boolean;
}

export function kubeconfigFiles(sel: KubeconfigSelection): string[] {
  if (sel.kubeconfig) return [sel.kubeconfig];
  const env = sel.env ?? process.env;
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter(Boolean);
  return [join(env.HOME ?? homedir(), '.kube', 'config')];
}

/** Read and merge the kubeconfig files. Missing files in a KUBECONFIG list are skipped, like kubectl. */
export function readKubeConfig(sel: KubeconfigSelection): { kc: Kubeconfig; files: string[] } {
  const files = kubeconfigFiles(sel);
  let kc: Kubeconfig | undefined;
  for (const file of files) {
    if (!existsSync(file)) {
      if (sel.kubeconfig) throw new KubectlError(`stat ${file}: no such file or directory`);
      continue;
    }
    let one: Kubeconfig;
    try {
      one = Kubeconfig.fromFile(file);
    } catch (e) {
      throw new KubectlError(`error loading config file "${file}": ${(e as Error).message}`);
    }
    if (!kc) kc = one;
    else kc.mergeMissing(one);
  }
  return { kc: kc ?? new Kubeconfig(), files };
}

/** The kubeconfig with the selection applied: what every API call of one command uses. */
export function loadConfig(sel: KubeconfigSelection): LoadedConfig {
  const { kc, files } = readKubeConfig(sel);
  const contextName = sel.context || kc.getCurrentContext();
  if (sel.context) {
    if (!kc.getContextObject(sel.context)) throw new KubectlError(`context "${sel.context}" does not exist`);
    kc.setCurrentContext(sel.context);
  }
  const ctx = contextName ? kc.getContextObject(contextName) : null;
  if (!ctx || !kc.getCurrentCluster()) {
    throw new KubectlError(
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
    );
  }
  const namespace = sel.namespace || ctx.namespace || 'default';
  return { kc, files, contextName, namespace, namespaceExplicit: !!sel.namespace };
}
