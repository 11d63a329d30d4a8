import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KubectlError } from '../../../src/kubectl/client/errors.js';
import {
  loadManifests,
  ManifestError,
  parseManifest,
  resolveManifests,
  sortErrors,
  splitYamlDocuments,
  validationFromFlag,
} from '../../../src/kubectl/resource/builder.js';
import type { ApiResource } from '../../../src/kubectl/resource/discovery.js';

const res = (group: string, version: string, resource: string, kind: string, namespaced = true): ApiResource => ({
  group, version, resource, kind, namespaced, singular: kind.toLowerCase(), verbs: [], shortNames: [], categories: [], subresources: [], preferred: true,
});
const RESOURCES = [res('', 'v1', 'pods', 'Pod'), res('', 'v1', 'namespaces', 'Namespace', false), res('apps', 'v1', 'replicasets', 'ReplicaSet')];
const fakeClient = (namespace = 'default') =>
  ({
    namespace,
    discovery: {
      forKind: async (apiVersion: string, kind: string) => {
        const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
        return RESOURCES.find((r) => r.group === g && r.version === v && r.kind === kind);
      },
    },
  }) as never;

const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: x\n`;

describe('splitYamlDocuments', () => {
  it('splits on --- lines and drops empty documents', () => {
    expect(splitYamlDocuments('---\na: 1\n---\n\n---   \nb: 2\n--- # comment\n')).toEqual(['a: 1', 'b: 2']);
  });
  it('keeps --- inside a line', () => {
    expect(splitYamlDocuments('a: "---"\nb: x---y\n')).toHaveLength(1);
  });
});

describe('parseManifest', () => {
  it('reads several YAML documents in order', () => {
    const items = parseManifest(`${pod('a')}---\n${pod('b')}`, 'x.yaml');
    expect(items.map((i) => i.object?.metadata.name)).toEqual(['a', 'b']);
    expect(items.every((i) => i.source === 'x.yaml')).toBe(true);
  });
  it('flattens List items (YAML and JSON)', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' } }] };
    expect(parseManifest(JSON.stringify(list, null, 2), 'l.json').map((i) => i.object?.metadata.name)).toEqual(['a', 'b']);
    expect(parseManifest('apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: c}\n', 'l.yaml').map((i) => i.object?.metadata.name)).toEqual(['c']);
  });
  it('reads a stream of JSON objects', () => {
    const items = parseManifest('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"}}', 's.json');
    expect(items.map((i) => i.object?.metadata.name)).toEqual(['a', 'b']);
  });
  it('uses YAML 1.1 scalars like kubectl, timestamps stay strings', () => {
    const [it1] = parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nspec:\n  a: yes\n  b: on\n  c: 0755\n  d: 2024-01-01\n  e: "yes"\n', 'c.yaml');
    expect(it1!.object!.spec).toEqual({ a: true, b: true, c: 493, d: '2024-01-01', e: 'yes' });
  });
  it('words YAML errors as go-yaml (line numbers per document)', () => {
    const bad = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kubia-manual\n spec:\n  containers: []\n';
    const items = parseManifest(bad, 'kubia.yaml');
    expect(items).toHaveLength(1);
    expect(items[0]!.error?.message).toBe('error parsing kubia.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key');
    expect(parseManifest('a: b\n\tc: d\n', 't.yaml')[0]!.error?.message).toBe('error parsing t.yaml: error converting YAML to JSON: yaml: line 2: found a tab character that violates indentation');
    expect(parseManifest('a: b: c\n', 'm.yaml')[0]!.error?.message).toBe('error parsing m.yaml: error converting YAML to JSON: yaml: mapping values are not allowed in this context');
    expect(parseManifest('{"a": 1,\n', 'b.json')[0]!.error?.message).toBe('error parsing b.json: unexpected EOF');
  });
  it('keeps the documents before an error and stops there', () => {
    const items = parseManifest(`${pod('a')}---\na: b: c\n---\n${pod('c')}`, 'x.yaml');
    expect(items.map((i) => (i.error ? 'error' : i.object!.metadata.name))).toEqual(['a', 'error']);
  });
  it('checks apiVersion and kind unless validation is off', () => {
    expect(parseManifest('metadata:\n  name: x\n', 'n.yaml')[0]!.error?.message).toBe(
      'error validating "n.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false',
    );
    expect(parseManifest('apiVersion: v1\nmetadata:\n  name: x\n', 'n.yaml', false)[0]!.error?.message).toBe(
      `unable to decode "n.yaml": Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"x"}}'`,
    );
  });
  it('errors are ManifestErrors, reported after the per-object errors', () => {
    const e = parseManifest('a: b: c\n', 'm.yaml')[0]!.error!;
    expect(e).toBeInstanceOf(ManifestError);
    const other = new KubectlError('x');
    expect(sortErrors([e, other])).toEqual([other, e]);
  });
});

describe('loadManifests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-builder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'b.yaml'), pod('b'));
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }));
  writeFileSync(join(dir, 'notes.txt'), 'not yaml: [');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'c.yml'), pod('c'));

  it('reads a directory in lexical order, manifest extensions only', async () => {
    const items = await loadManifests({ filenames: ['.'], cwd: dir });
    expect(items.map((i) => [i.source, i.object?.metadata.name])).toEqual([['a.json', 'a'], ['b.yaml', 'b']]);
  });
  it('-R walks sub-directories', async () => {
    const items = await loadManifests({ filenames: [dir], cwd: '/', recursive: true });
    expect(items.map((i) => i.object?.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(items[2]!.source).toBe(`${dir}/sub/c.yml`);
  });
  it('fails on a missing path before reading anything', async () => {
    await expect(loadManifests({ filenames: ['b.yaml', 'x.yaml'], cwd: dir })).rejects.toThrow('the path "x.yaml" does not exist');
  });
  it('reads standard input for -', async () => {
    const stdin = { readAll: async () => pod('s'), on: () => undefined };
    const items = await loadManifests({ filenames: ['-'], cwd: dir, stdin });
    expect(items).toEqual([{ source: 'STDIN', object: expect.objectContaining({ kind: 'Pod' }) }]);
  });
});

describe('resolveManifests', () => {
  it('maps kinds through discovery and fills in the namespace', async () => {
    const items = parseManifest(`${pod('a')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n`, 'x.yaml');
    const out = await resolveManifests(fakeClient('team-a'), items, { namespace: 'team-a', enforceNamespace: false });
    expect(out).toMatchObject([
      { name: 'a', namespace: 'team-a', resource: { resource: 'pods' }, object: { metadata: { namespace: 'team-a' } } },
      { name: 'ns1', namespace: undefined, resource: { resource: 'namespaces' } },
    ]);
  });
  it("reports unknown kinds with kubectl's words", async () => {
    const items = parseManifest('apiVersion: apps/v1\nkind: ReplicationSet\nmetadata:\n  name: kubia\n', 'kubia.yaml');
    const [e] = await resolveManifests(fakeClient(), items, { namespace: 'default', enforceNamespace: false });
    expect((e as Error).message).toBe(
      'resource mapping not found for name: "kubia" namespace: "" from "kubia.yaml": no matches for kind "ReplicationSet" in version "apps/v1"\nensure CRDs are installed first',
    );
  });
  it('refuses an object of another namespace when -n was given', async () => {
    const items = parseManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: foo\n', 'p.yaml');
    const [e] = await resolveManifests(fakeClient('bar'), items, { namespace: 'bar', enforceNamespace: true });
    expect((e as Error).message).toBe(`the namespace from the provided object "foo" does not match the namespace "bar". You must pass '--namespace=foo' to perform this operation.`);
    const [ok] = await resolveManifests(fakeClient('bar'), parseManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: foo\n', 'p.yaml'), { namespace: 'bar', enforceNamespace: false });
    expect(ok).toMatchObject({ namespace: 'foo' });
  });
});

describe('validationFromFlag', () => {
  it('maps --validate values', () => {
    expect(validationFromFlag('true')).toEqual({ client: true, fieldValidation: 'Strict' });
    expect(validationFromFlag('warn')).toEqual({ client: true, fieldValidation: 'Warn' });
    expect(validationFromFlag('false')).toEqual({ client: false, fieldValidation: 'Ignore' });
    expect(() => validationFromFlag('bogus')).toThrow('invalid - validate option "bogus"; must be one of: strict (or true), warn, ignore (or false)');
  });
});
