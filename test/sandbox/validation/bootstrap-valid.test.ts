import { expect, it } from 'vitest';
import { initialObjects } from '../../../src/sandbox/bootstrap/index.js';
import { validateCreate, goFieldErrorString } from '../../../src/sandbox/validation/index.js';
it('bootstrap objects validate', () => {
  const bad: string[] = [];
  const objs = initialObjects({ nodes: 3, now: new Date('2025-06-01T10:00:00Z') });
  for (const o of objs) {
    const [group, version] = o.apiVersion!.includes('/') ? o.apiVersion!.split('/') : ['', o.apiVersion!];
    const errs = validateCreate({ group, version, kind: o.kind! }, o);
    if (errs.length) bad.push(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}: ${errs.map(goFieldErrorString).join(' | ')}`);
  }
  expect(bad).toEqual([]);
  expect(objs.length).toBeGreaterThan(10);
});
