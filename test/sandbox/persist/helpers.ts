import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';

const made: string[] = [];

export function tempDir(prefix = 'kt-persist-'): string {
  const d = fs.mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanupTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Copies the data files of a state dir (not its LOCK) into a fresh temp dir. */
export function copyState(from: string): string {
  const to = tempDir('kt-persist-copy-');
  for (const n of fs.readdirSync(from)) {
    if (n.startsWith('LOCK')) continue;
    fs.copyFileSync(join(from, n), join(to, n));
  }
  return to;
}

export function obj(name: string, rv: number, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', resourceVersion: String(rv) },
    data: { value: `${name}@${rv}` },
    ...extra,
  };
}

export function segmentPath(dir: string, seq: number): string {
  return join(dir, `log.${String(seq).padStart(8, '0')}`);
}
