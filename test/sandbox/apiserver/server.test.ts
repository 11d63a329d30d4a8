import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATED_V2, AGGREGATED_V2BETA1 } from '../../../src/sandbox/apiserver/discovery.js';
import { startTestSandbox, TABLE_ACCEPT, type TestSandbox } from '../../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

describe('transport and auth', () => {
  it('refuses requests without the token with a 401 Status', async () => {
    const r = await t.call('GET', '/api/v1/pods', undefined, {}, { token: null });
    expect(r.code).toBe(401);
    expect(r.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    const wrong = await t.call('GET', '/api/v1/pods', undefined, {}, { token: 'nope' });
    expect(wrong.code).toBe(401);
  });

  it('answers health checks without a token', async () => {
    const r = await t.call('GET', '/readyz', undefined, {}, { token: null });
    expect(r.code).toBe(200);
    expect(r.text).toBe('ok');
  });

  it('listens on 127.0.0.1 only', async () => {
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && a.address !== '127.0.0.1');
    for (const a of others) {
      const reached = await new Promise<boolean>((resolve) => {
        const s = connect({ host: a!.address, port: t.sandbox.port });
        s.on('connect', () => { s.destroy(); resolve(true); });
        s.on('error', () => resolve(false));
      });
      expect(reached, `reachable on ${a!.address}`).toBe(false);
    }
  });

  it('reports a 1.33 server', async () => {
    const r = await t.call('GET', '/version');
    expect(r.json).toMatchObject({ major: '1', minor: '33', gitVersion: 'v1.33.1' });
  });

  it('does not crash on malformed requests', async () => {
    expect((await t.call('POST', '/api/v1/namespaces/default/configmaps', '{"metadata": ')).code).toBe(400);
    expect((await t.call('POST', '/api/v1/namespaces/default/configmaps', '[1,2]')).code).toBe(400);
    expect((await t.call('POST', '/api/v1/namespaces/default/configmaps', 'x', { 'Content-Type': 'text/plain' })).code).toBe(415);
    expect((await t.call('GET', '/api/v1/nosuch')).code).toBe(404);
    expect((await t.call('PUT', '/version')).code).toBe(405);
    const big = Buffer.alloc(3 * 1024 * 1024 + 10, 'a');
    const r = await t.call('POST', '/api/v1/namespaces/default/configmaps', big);
    expect(r.code).toBe(413);
    expect((await t.call('GET', '/version')).code).toBe(200);
  });
});

describe('discovery', () => {
  it('serves legacy discovery with short names and categories', async () => {
    const r = await t.call('GET', '/api/v1');
    const pods = r.json.resources.find((x: { name: string }) => x.name === 'pods');
    expect(pods).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] });
    expect(pods.verbs).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    const scale = r.json.resources.find((x: { name: string }) => x.name === 'replicationcontrollers/scale');
    expect(scale).toMatchObject({ kind: 'Scale', group: 'autoscaling', version: 'v1' });
    const groups = await t.call('GET', '/apis');
    expect(groups.json.groups.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(['apps', 'batch', 'networking.k8s.io', 'discovery.k8s.io']));
  });

  it('serves aggregated discovery with the exact content type', async () => {
    const v2 = await t.call('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    expect(v2.headers['content-type']).toBe(AGGREGATED_V2);
    expect(v2.json.kind).toBe('APIGroupDiscoveryList');
    const apps = v2.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
    expect(deploy).toMatchObject({ scope: 'Namespaced', shortNames: ['deploy'], categories: ['all'] });
    const beta = await t.call('GET', '/api', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' });
    expect(beta.headers['content-type']).toBe(AGGREGATED_V2BETA1);
    expect(beta.json.items[0].metadata.name).toBeUndefined();
  });

  it('serves openapi v2 as an empty protobuf document and v3 with PATCH paths', async () => {
    const v2 = await t.call('GET', '/openapi/v2');
    expect(v2.code).toBe(200);
    expect(v2.text).toBe('');
    const idx = await t.call('GET', '/openapi/v3');
    const url = idx.json.paths['api/v1'].serverRelativeURL as string;
    const doc = await t.call('GET', url);
    expect(doc.json.components.schemas['io.k8s.api.core.v1.PodSpec'].description).toMatch(/PodSpec/);
    const patch = doc.json.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
  });
});

describe('initial cluster', () => {
  it('has the system namespaces, nodes and kube-system pods', async () => {
    const ns = await t.call('GET', '/api/v1/namespaces');
    expect(ns.json.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const nodes = await t.call('GET', '/api/v1/nodes', undefined, { Accept: TABLE_ACCEPT });
    expect(nodes.json.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 3))).toEqual([
      ['kube-tutor-control-plane', 'Ready', 'control-plane'],
      ['kube-tutor-worker', 'Ready', '<none>'],
      ['kube-tutor-worker2', 'Ready', '<none>'],
    ]);
    const pods = await t.call('GET', '/api/v1/namespaces/kube-system/pods');
    const names = pods.json.items.map((p: { metadata: { name: string } }) => p.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['etcd-kube-tutor-control-plane', 'kube-apiserver-kube-tutor-control-plane']));
    expect(pods.json.items.every((p: { status: { phase: string } }) => p.status.phase === 'Running')).toBe(true);
    const sa = await t.call('GET', '/api/v1/namespaces/kube-public/serviceaccounts/default');
    expect(sa.code).toBe(200);
    const svc = await t.call('GET', '/api/v1/namespaces/default/services/kubernetes');
    expect(svc.json.spec.clusterIP).toBe('10.96.0.1');
  });
});
