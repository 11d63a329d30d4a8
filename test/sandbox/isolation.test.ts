/**
 * The sandbox simulates containers and networks; it must never run anything on the host, never
 * open connections beyond its own listeners, and never touch files outside its state dir. This
 * test reads every sandbox source file and enforces that on its imports.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../src/sandbox');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) ? [p] : [];
  });
}

interface Import {
  module: string;
  names: string[];
  typeOnly: boolean;
}

function importsOf(text: string): Import[] {
  const out: Import[] = [];
  const stmt = /import\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(stmt)) {
    const clause = m[2];
    const names = [...clause.matchAll(/(?:^|[{,\s])(?!type\s)(\w+)(?:\s+as\s+\w+)?/g)].map((x) => x[1]).filter((n) => n !== 'type');
    const braced = /\{([^}]*)\}/.exec(clause)?.[1] ?? '';
    const allTypes = braced.length > 0 && braced.split(',').every((p) => !p.trim() || p.trim().startsWith('type '));
    out.push({ module: m[3], names, typeOnly: !!m[1] || (allTypes && !/^\s*\w+\s*,/.test(clause) && !clause.includes('*')) });
  }
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ module: m[1], names: ['*'], typeOnly: false });
  for (const m of text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ module: m[1], names: ['*'], typeOnly: false });
  return out;
}

const bare = (m: string) => m.replace(/^node:/, '');
/** modules that start processes or threads: never */
const forbidden = new Set(['child_process', 'worker_threads', 'cluster', 'dgram', 'vm', 'inspector']);
/** outbound connections: the sandbox may listen, never dial out */
const outbound: Record<string, string[]> = {
  net: ['connect', 'createConnection', 'Socket', '*'],
  tls: ['connect', '*'],
  http: ['request', 'get', 'Agent', '*'],
  https: ['request', 'get', 'Agent', '*'],
  http2: ['connect', '*'],
};
/** the files that may use the file system, and why */
const fileSystemAllowed: Record<string, string> = {
  'persist/state-log.ts': 'the state dir',
  'persist/lock.ts': 'the state dir',
  'tls.ts': 'the state dir (pki/)',
  'apiserver/openapi/index.ts': 'reads its own bundled schema data',
};

describe('sandbox isolation', () => {
  const files = sources(root);

  it('finds the sandbox sources', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => relative(root, f)))('%s stays inside the sandbox', (rel) => {
    const text = readFileSync(join(root, rel), 'utf8');
    for (const imp of importsOf(text)) {
      const mod = bare(imp.module);
      if (imp.typeOnly) continue;
      expect(forbidden.has(mod), `${rel} imports ${imp.module}`).toBe(false);
      const bad = outbound[mod];
      if (bad) {
        const used = imp.names.filter((n) => bad.includes(n));
        expect(used, `${rel} may open outbound connections with ${imp.module} (${used.join(', ')})`).toEqual([]);
      }
      if (mod === 'fs' || mod === 'fs/promises') {
        expect(fileSystemAllowed[rel], `${rel} uses the file system (${imp.module})`).toBeDefined();
      }
    }
    expect(/\bprocess\.(binding|dlopen)\b/.test(text), `${rel} reaches into the host process`).toBe(false);
  });
});
