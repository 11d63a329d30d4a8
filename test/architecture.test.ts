/**
 * Import boundaries: the kubectl library works against any cluster, so it never reaches into the
 * sandbox; the sandbox stands alone; imports flow ui → app → tutor → kubectl.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

/** relative imports of a file, resolved to paths under src/ ("kubectl/run.ts" …) */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2]!;
    out.push(relative(SRC, resolve(dirname(file), spec)));
  }
  return out;
}

function area(path: string): string {
  return path.split('/')[0]!;
}

/** which top-level areas each area may import (besides itself) */
const ALLOWED: Record<string, string[]> = {
  sandbox: [],
  kubectl: [],
  tutor: ['kubectl'],
  app: ['tutor', 'kubectl'],
  ui: ['app', 'tutor', 'kubectl'],
};

describe('architecture', () => {
  for (const [from, allowed] of Object.entries(ALLOWED)) {
    it(`src/${from} imports only ${allowed.length ? allowed.map((a) => `src/${a}`).join(', ') : 'itself'}`, () => {
      let dir: string;
      try {
        dir = join(SRC, from);
        statSync(dir);
      } catch {
        return; // area not built yet
      }
      const bad: string[] = [];
      for (const f of files(dir)) {
        for (const target of importsOf(f)) {
          const a = area(target);
          if (a === from || a.startsWith('..')) {
            if (a.startsWith('..')) bad.push(`${relative(SRC, f)} → ${target}`);
            continue;
          }
          if (!allowed.includes(a)) bad.push(`${relative(SRC, f)} → ${target}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('the import scanner sees relative imports (self-check)', () => {
    const got = importsOf(join(SRC, 'kubectl', 'run.ts'));
    expect(got).toContain('kubectl/commands.js');
  });
});
