import { expect, it } from 'vitest';
import { initialObjects } from '../../../src/sandbox/bootstrap/index.js';

it('every bootstrap object passes the kubernetes-models (OpenAPI) schema validation', async () => {
  const objs = initialObjects({ nodes: 2, now: new Date('2025-06-01T10:00:00Z') });
  const errors: string[] = [];
  for (const o of objs) {
    const [group, version] = o.apiVersion!.includes('/') ? o.apiVersion!.split('/') : ['', o.apiVersion!];
    const mod = await import(group ? `kubernetes-models/${group}/${version}/${o.kind}` : `kubernetes-models/v1/${o.kind}`);
    const Model = mod[o.kind!] ?? mod.default;
    try {
      new Model(o).validate();
    } catch (e) {
      errors.push(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${(e as Error).message}`);
    }
  }
  expect(errors).toEqual([]);
});
