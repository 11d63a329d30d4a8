/** Completion from live state: verbs, subcommands, flags, types, names (watch-backed), -n values, files. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Completer } from '../../src/kubectl/complete.js';
import { startOurs, type OursEnv } from '../helpers/ours.js';

describe('completion', () => {
  let env: OursEnv;
  let c: Completer;
  const pod = (name: string, ns = 'default') =>
    env.call('POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] } });
  beforeAll(async () => {
    env = await startOurs();
    await pod('kubia-manual');
    await pod('kubia-liveness');
    await env.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'custom-namespace' } });
    await pod('elsewhere', 'custom-namespace');
    env.writeFile('kubia-rc.yaml', 'x');
    c = new Completer(env.session);
  });
  afterAll(async () => {
    c?.close();
    await env?.close();
  });

  const cands = async (line: string) => (await c.complete(line)).candidates;

  it('completes verbs, subcommands and flags', async () => {
    expect(await cands('kubectl desc')).toEqual(['describe']);
    expect(await cands('k rollout st')).toEqual(['status']);
    expect(await cands('get po --show-l')).toEqual(['--show-labels']);
  });
  it('completes resource types from discovery and names from the cluster', async () => {
    expect(await cands('get repl')).toEqual(['replicasets', 'replicaset', 'replicationcontrollers', 'replicationcontroller'].sort());
    expect(await cands('get po kubia-')).toEqual(['kubia-liveness', 'kubia-manual']);
    expect(await cands('logs kubia-m')).toEqual(['kubia-manual']);
    expect(await cands('describe pod/kubia-l')).toEqual(['pod/kubia-liveness']);
    expect(await cands('get po -n custom-namespace ')).toEqual(['elsewhere']);
  });
  it('completes node names for cordon, uncordon and drain', async () => {
    expect(await cands('cordon kube-tutor-w')).toEqual(['kube-tutor-worker', 'kube-tutor-worker2']);
    expect(await cands('drain --ignore-daemonsets kube-tutor-worker ')).toEqual(['kube-tutor-control-plane', 'kube-tutor-worker2']);
    expect(await cands('k uncordon kube-tutor-c')).toEqual(['kube-tutor-control-plane']);
  });
  it('follows the cluster through its watch', async () => {
    await pod('kubia-new');
    await new Promise((r) => setTimeout(r, 50));
    expect(await cands('get po kubia-n')).toEqual(['kubia-new']);
  });
  it('completes flag values: namespaces, output formats, files', async () => {
    expect(await cands('get po -n cus')).toEqual(['custom-namespace']);
    expect(await cands('get po -o ya')).toEqual(['yaml']);
    expect(await cands('create -f kubia-')).toEqual(['kubia-rc.yaml']);
  });
  it('reports the range the candidate replaces', async () => {
    expect(await c.complete('get po kubia-ma')).toMatchObject({ from: 7, to: 15 });
  });
});
