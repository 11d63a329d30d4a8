/** Where kube-tutor keeps its files: the XDG data dir (`$XDG_DATA_HOME/kube-tutor`, else ~/.local/share/kube-tutor). */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'kube-tutor');
}

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'sandbox');
}

export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'kubeconfig');
}
