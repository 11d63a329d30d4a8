/** Learner hints after kubectl's own error: typos, outdated syntax from the notes, aliases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOurs, type OursEnv } from '../../helpers/ours.js';
import { suggest } from '../../../src/kubectl/hints/fuzzy.js';

const hints = (r: { effects: Array<{ type: string; text?: string }> }) => r.effects.filter((e) => e.type === 'hint').map((e) => e.text!);

describe('fuzzy suggest', () => {
  it('fixes transpositions, missing and extra letters', () => {
    expect(suggest('pdos', ['pods', 'nodes', 'po'])[0]).toBe('pods');
    expect(suggest('lgos', ['logs', 'label', 'get'])[0]).toBe('logs');
    expect(suggest('all-namespace', ['all-namespaces', 'namespace'])[0]).toBe('all-namespaces');
    expect(suggest('marchExpressions', ['matchLabels', 'matchExpressions'])[0]).toBe('matchExpressions');
    expect(suggest('ReplicationSet', ['ReplicaSet', 'ReplicationController', 'Pod'])[0]).toBe('ReplicaSet');
    expect(suggest('zzzz', ['pods', 'nodes'])).toEqual([]);
  });
});

describe('hints against a sandbox', () => {
  let env: OursEnv;
  beforeAll(async () => {
    env = await startOurs();
    await env.call('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kubia-manual' }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] },
    });
    await env.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'custom-namespace' } });
    await env.call('POST', '/api/v1/namespaces/custom-namespace/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'elsewhere' }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] },
    });
  });
  afterAll(async () => env?.close());

  it('suggests a resource type for a typo, after kubectl\'s own error', async () => {
    const r = await env.k('kubectl get pdos');
    expect(r.stderr).toBe('error: the server doesn\'t have a resource type "pdos"\n');
    expect(r.exitCode).toBe(1);
    expect(hints(r).join('\n')).toContain('kubectl get pods');
  });
  it('suggests a verb and a flag', async () => {
    expect(hints(await env.k('kubectl lgos kubia')).join()).toContain('kubectl logs kubia');
    const r = await env.k('get po --all-namespace');
    expect(r.stderr).toBe("error: unknown flag: --all-namespace\nSee 'kubectl get --help' for usage.\n");
    expect(hints(r).join()).toContain('--all-namespaces');
  });
  it('suggests an object name, or the namespace it lives in', async () => {
    expect(hints(await env.k('get po kubia-manul')).join()).toContain('kubectl get po kubia-manual');
    expect(hints(await env.k('get po elsewhere')).join()).toContain('-n custom-namespace');
  });
  it('explains the notes\' outdated syntax', async () => {
    const run = await env.k('kubectl run kubia --image=luksa/kubia --port=8080 --generator=run/v1');
    expect(run.stderr).toBe("error: unknown flag: --generator\nSee 'kubectl run --help' for usage.\n");
    expect(hints(run).join()).toMatch(/create deployment kubia --image=luksa\/kubia --port=8080/);
    expect(hints(await env.k('get po -a')).join()).toMatch(/show-all/);
    expect(hints(await env.k('kubectl info')).join()).toMatch(/never a kubectl command/);
    expect(hints(await env.k('get endpoint kubia')).join()).toContain('kubectl get endpoints kubia');
  });
  it('explains exec without --, scale job and --cascade=false', async () => {
    const exec = await env.k('kubectl exec kubia-manual env');
    expect(exec.exitCode).toBe(1);
    expect(hints(exec).join()).toContain('kubectl exec kubia-manual -- env');
    const scale = await env.k('kubectl scale job multi-completion-batch-job --replicas 3');
    expect(hints(scale).join()).toContain(`kubectl patch job multi-completion-batch-job --type=merge -p '{"spec":{"parallelism":3}}'`);
    const cascade = await env.k('kubectl delete rc nosuch --cascade=false');
    expect(hints(cascade).join()).toContain('--cascade=orphan');
  });

  it('meets the notes\' manifest typos kindly: kind, removed apiVersion, misspelt field', async () => {
    const rs = (apiVersion: string, kind: string, selectorKey = 'matchLabels') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    ${selectorKey === 'matchLabels' ? 'matchLabels:\n      app: kubia' : `${selectorKey}:\n      - key: app\n        operator: In\n        values: [kubia]`}
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
`;
    env.writeFile('kind.yaml', rs('apps/v1', 'ReplicationSet'));
    const kind = await env.k('kubectl create -f kind.yaml');
    expect(kind.stderr).toMatch(/no matches for kind "ReplicationSet" in version "apps\/v1"/);
    expect(hints(kind).join()).toContain('kind: ReplicaSet');
    env.writeFile('old.yaml', rs('apps/v1beta2', 'ReplicaSet'));
    const old = await env.k('kubectl create -f old.yaml');
    expect(hints(old).join()).toMatch(/apps\/v1/);
    env.writeFile('field.yaml', rs('apps/v1', 'ReplicaSet', 'marchExpressions'));
    const field = await env.k('kubectl create -f field.yaml');
    expect(field.stderr).toMatch(/unknown field "spec.selector.marchExpressions"/);
    expect(hints(field).join()).toContain('matchExpressions');
  });

  it('reports short names as aliases', async () => {
    const r = await env.k('k get po');
    expect(r.exitCode).toBe(0);
    expect(r.effects).toContainEqual({ type: 'alias', from: 'k', to: 'kubectl' });
    expect(r.effects).toContainEqual({ type: 'alias', from: 'po', to: 'pods' });
    expect(hints(r)).toEqual([]);
  });
});
