/** Writing the sandbox's kubeconfig where the user asked (outside the sandbox: it never touches files beyond its state dir). */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** write atomically with mode 0600 (the file holds a token) */
export function writeKubeconfig(path: string, yaml: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, yaml, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
