/**
 * Golden vectors for `kubectl describe` (kubectl 1.33), read from the shared reference directory
 * (never copied into the repo). Skipped when the file is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeContainers, describeObject, printAnnotationsMultiline, PrefixWriter } from '../../../src/kubectl/describe/index.js';
import { envValueRetriever } from '../../../src/kubectl/describe/containers.js';
import { ArrayReader } from './reader.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const VECTORS = resolve(REPO_ROOT, '../shared/reference/printing/describe-vectors.json');
const present = existsSync(VECTORS);
if (!present) console.log(`describe vectors not found at ${VECTORS}: skipping`);

interface Vector {
  name: string;
  describer: string;
  source: string;
  now: string;
  tz: string;
  settings: { showEvents: boolean };
  target: { kind: string; namespace?: string; name: string } | null;
  objects: any[];
  expect: { full?: string; contains?: string[]; notContains?: string[] };
}

const vectors: Vector[] = present ? JSON.parse(readFileSync(VECTORS, 'utf8')).vectors : [];

async function render(v: Vector): Promise<string> {
  if (v.describer.startsWith('helper:describeContainers')) {
    const pod = v.objects[0];
    const w = new PrefixWriter();
    describeContainers('Containers', pod.spec?.containers, pod.status?.containerStatuses, envValueRetriever(pod), w, '', v.tz);
    return w.raw();
  }
  if (v.describer.startsWith('helper:printAnnotationsMultiline')) {
    const w = new PrefixWriter();
    printAnnotationsMultiline(w, 'Annotations', v.objects[0].annotations);
    return w.raw();
  }
  const t = v.target!;
  const obj = v.objects.find((o) => o.kind === t.kind && o.metadata?.name === t.name && (o.metadata?.namespace ?? '') === (t.namespace ?? ''));
  if (!obj) throw new Error(`target ${t.kind} ${t.namespace}/${t.name} not in objects`);
  // upstream unit tests run against client-go's fake clientset, which ignores field selectors
  const reader = new ArrayReader(v.objects, { ignoreFieldSelectors: v.source.startsWith('describe_test.go') });
  return describeObject(obj, reader, { showEvents: v.settings.showEvents, now: new Date(v.now), tz: v.tz });
}

(present ? describe : describe.skip)('kubectl describe vectors', () => {
  it('has 74 vectors', () => {
    expect(vectors.length).toBe(74);
  });
  for (const v of vectors) {
    it(v.name, async () => {
      const out = await render(v);
      if (v.expect.full !== undefined) expect(out).toBe(v.expect.full);
      for (const s of v.expect.contains ?? []) expect(out, `should contain ${JSON.stringify(s)}`).toContain(s);
      for (const s of v.expect.notContains ?? []) expect(out, `should not contain ${JSON.stringify(s)}`).not.toContain(s);
    });
  }
});
