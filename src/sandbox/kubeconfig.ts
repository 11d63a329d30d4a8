/** The kubeconfig `serve` writes: one cluster, user and context, all named `kube-tutor`. */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const CONTEXT_NAME = 'kube-tutor';

export function kubeconfigYaml(server: string, caCert: string, token: string): string {
  const ca = Buffer.from(caCert).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${CONTEXT_NAME}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${CONTEXT_NAME}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${CONTEXT_NAME}`,
    '  context:',
    `    cluster: ${CONTEXT_NAME}`,
    `    user: ${CONTEXT_NAME}`,
    '    namespace: default',
    `current-context: ${CONTEXT_NAME}`,
    'preferences: {}',
    '',
  ].join('\n');
}

/** write atomically with mode 0600 (the file holds a token) */
export function writeKubeconfig(path: string, yaml: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, yaml, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
