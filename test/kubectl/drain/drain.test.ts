/**
 * drain beyond the golden cases (which compare it with kubectl 1.33): on a real cluster (the
 * session's confirmDestructive) it asks first and changes nothing when declined or when it cannot
 * ask; the eviction goes through pods/eviction, which the sandbox serves; --pod-selector is checked
 * before any request.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, Session } from '../../../src/kubectl/index.js';
import { isLabelSelector } from '../../../src/kubectl/cmd/util/selector.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

describe('kubectl drain', () => {
  let t: TestSandbox;
  let dir: string;
  let kubeconfig: string;
  beforeAll(async () => {
    t = await startTestSandbox({ nodes: 2 });
    dir = mkdtempSync(join(tmpdir(), 'kt-drain-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, t.sandbox.kubeconfig());
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const session = (o: Partial<ConstructorParameters<typeof Session>[0]> = {}) => new Session({ env: { KUBECONFIG: kubeconfig }, cwd: dir, ...o });
  const unschedulable = async (node: string) => (await t.call('GET', `/api/v1/nodes/${node}`)).json.spec?.unschedulable === true;

  it('asks on a real cluster: declined, the node is not even cordoned', async () => {
    const questions: string[] = [];
    const r = await run('kubectl drain kube-tutor-worker --ignore-daemonsets', session({ confirmDestructive: true, confirm: async (q) => (questions.push(q), false) }));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/drain cancelled: nothing was changed on context "kube-tutor"/);
    expect(questions[0]).toMatch(/evict the pods of node kube-tutor-worker on context "kube-tutor"/);
    expect(r.effects).toContainEqual({ type: 'confirm', question: questions[0], answer: false });
    expect(await unschedulable('kube-tutor-worker')).toBe(false);
  });

  it('refuses on a real cluster when the session cannot ask', async () => {
    const r = await run('kubectl drain kube-tutor-worker --ignore-daemonsets', session({ confirmDestructive: true }));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/refusing to drain without confirmation/);
    expect(await unschedulable('kube-tutor-worker')).toBe(false);
  });

  it('evicts through pods/eviction once confirmed, and the pod is gone', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo', labels: { run: 'solo' } }, spec: { nodeName: 'kube-tutor-worker', containers: [{ name: 'c', image: 'nginx' }] } };
    expect((await t.call('POST', '/api/v1/namespaces/default/pods', pod)).code).toBe(201);
    const r = await run('kubectl drain kube-tutor-worker --pod-selector=run=solo --force --grace-period=0', session({ confirmDestructive: true, confirm: async () => true }));
    expect(r.stderr).toBe('Warning: deleting Pods that declare no controller: default/solo\n');
    expect(r.stdout).toBe('node/kube-tutor-worker cordoned\nevicting pod default/solo\npod/solo evicted\nnode/kube-tutor-worker drained\n');
    expect(r.exitCode).toBe(0);
    expect((await t.call('GET', '/api/v1/namespaces/default/pods/solo')).code).toBe(404);
    expect(await unschedulable('kube-tutor-worker')).toBe(true);
  });

  it('the sandbox answers an eviction whose name is not the URL\'s, and one of a missing pod, as kube-apiserver does', async () => {
    const wrong = await t.call('POST', '/api/v1/namespaces/default/pods/a/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'b' } });
    expect(wrong.code).toBe(400);
    expect(wrong.json.message).toBe('name in URL does not match name in Eviction object');
    const missing = await t.call('POST', '/api/v1/namespaces/default/pods/nope/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'nope' } });
    expect(missing.code).toBe(404);
    expect(missing.json.message).toBe('pods "nope" not found');
  });

  it('checks --pod-selector before any request', () => {
    for (const ok of ['', 'app=kubia', 'app==kubia,tier!=db', 'env in (prod, dev),!canary', 'example.com/team=a', 'a=', 'n>3']) expect(isLabelSelector(ok), ok).toBe(true);
    for (const bad of ['a b', '(x)', '=x', 'app=kubia,', 'env in (prod', 'a=b=c', 'tier notin ()x']) expect(isLabelSelector(bad), bad).toBe(false);
  });
});
