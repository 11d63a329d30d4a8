/**
 * delete's safety on real clusters: with session.confirmDestructive, broad deletions ask first
 * (naming the context), report a confirm effect, and delete nothing when declined or when the
 * session cannot ask. A fake session hands out a fake client that records the DELETEs.
 */
import { describe, expect, it } from 'vitest';
import { run, Session } from '../../../src/kubectl/index.js';
import type { ApiResource } from '../../../src/kubectl/resource/discovery.js';

const res = (group: string, resource: string, kind: string, namespaced = true, categories: string[] = []): ApiResource => ({
  group, version: 'v1', resource, kind, namespaced, singular: kind.toLowerCase(), verbs: [], shortNames: resource === 'pods' ? ['po'] : resource === 'namespaces' ? ['ns'] : [], categories, subresources: [], preferred: true,
});
const RESOURCES = [res('', 'pods', 'Pod', true, ['all']), res('', 'namespaces', 'Namespace', false), res('', 'services', 'Service', true, ['all'])];

function fakeClient(namespace: string, deleted: string[]) {
  return {
    namespace,
    contextName: 'prod-cluster',
    discovery: {
      resolve: async (arg: string) => {
        const r = RESOURCES.find((x) => x.resource === arg || x.singular === arg || x.shortNames.includes(arg));
        if (!r) throw new Error(`the server doesn't have a resource type "${arg}"`);
        return r;
      },
      category: async (name: string) => {
        const l = RESOURCES.filter((r) => r.categories.includes(name));
        return l.length ? l : undefined;
      },
    },
    list: async (r: ApiResource) => ({ items: [{ metadata: { name: `${r.singular}-1`, namespace } }] }),
    delete: async (r: ApiResource, ns: string | undefined, name: string) => {
      deleted.push(`${r.resource}/${ns ?? ''}/${name}`);
      return { kind: 'Status', details: { uid: 'u1' } };
    },
    get: async () => {
      const e = Object.assign(new (await import('../../../src/kubectl/client/errors.js')).ServerError({ code: 404, reason: 'NotFound', message: 'gone' }, 404));
      throw e;
    },
  };
}

class FakeSession extends Session {
  deleted: string[] = [];
  constructor(opts: ConstructorParameters<typeof Session>[0], private readonly ns = 'default') {
    super({ env: {}, ...opts });
  }
  override client(): never {
    return fakeClient(this.ns, this.deleted) as never;
  }
}

describe('delete asks before broad deletions on real clusters', () => {
  it('declined: nothing deleted, exit 1, confirm effect', async () => {
    const questions: string[] = [];
    const s = new FakeSession({ confirmDestructive: true, confirm: async (q) => (questions.push(q), false) });
    const r = await run('kubectl delete po --all', s);
    expect(r.exitCode).toBe(1);
    expect(s.deleted).toEqual([]);
    expect(questions).toHaveLength(1);
    expect(questions[0]).toContain('"prod-cluster"');
    expect(r.effects).toContainEqual({ type: 'confirm', question: questions[0], answer: false });
    expect(r.stderr).toMatch(/^error: .*prod-cluster/);
  });

  it('accepted: deletes', async () => {
    const s = new FakeSession({ confirmDestructive: true, confirm: async () => true });
    const r = await run('kubectl delete po --all', s);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('pod "pod-1" deleted\n');
    expect(s.deleted).toEqual(['pods/default/pod-1']);
    expect(r.effects.some((e) => e.type === 'confirm' && e.answer === true)).toBe(true);
  });

  it('no way to ask: refused', async () => {
    const s = new FakeSession({ confirmDestructive: true });
    const r = await run('kubectl delete all --all', s);
    expect(r.exitCode).toBe(1);
    expect(s.deleted).toEqual([]);
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'confirm', answer: false }));
  });

  it.each([
    ['delete all --all'],
    ['delete ns custom-namespace'],
    ['delete po kubia -n kube-system'],
    ['delete po --all -A'],
  ])('%s asks', async (line) => {
    const questions: string[] = [];
    const s = new FakeSession({ confirmDestructive: true, confirm: async (q) => (questions.push(q), false) }, line.includes('kube-system') ? 'kube-system' : 'default');
    const r = await run(line, s);
    expect(questions).toHaveLength(1);
    expect(r.exitCode).toBe(1);
    expect(s.deleted).toEqual([]);
  });

  it('a single named object does not ask', async () => {
    const s = new FakeSession({ confirmDestructive: true });
    const r = await run('kubectl delete po kubia-gpu', s);
    expect(r.exitCode).toBe(0);
    expect(r.effects.some((e) => e.type === 'confirm')).toBe(false);
    expect(s.deleted).toEqual(['pods/default/kubia-gpu']);
  });

  it('sandbox sessions (confirmDestructive=false) never ask', async () => {
    let asked = false;
    const s = new FakeSession({ confirmDestructive: false, confirm: async () => (asked = true) });
    const r = await run('kubectl delete ns custom-namespace', s);
    expect(asked).toBe(false);
    expect(r.stdout).toBe('namespace "custom-namespace" deleted\n');
  });
});
