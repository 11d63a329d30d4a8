/** Objects shaped like a real cluster's (the bootstrap set) must come out of defaulting unchanged. */
import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { initialObjects } from '../../../src/sandbox/bootstrap/index.js';
import { defaultObject } from '../../../src/sandbox/defaults/index.js';

function diff(a: any, b: any, path = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return [`${path}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => diff(a[k], b[k], `${path}.${k}`));
}

it('defaulting is a no-op on the bootstrap objects', () => {
  const changes: string[] = [];
  for (const o of initialObjects({ nodes: 3, now: new Date('2025-06-01T10:00:00Z') })) {
    const [group, version] = o.apiVersion!.includes('/') ? o.apiVersion!.split('/') : ['', o.apiVersion!];
    const c = structuredClone(o);
    defaultObject({ group, version, kind: o.kind! }, c);
    for (const d of diff(o, c)) changes.push(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}${d}`);
  }
  expect(changes).toEqual([]);
});
