/**
 * Our kubeconfig reader: entries in client-node's shapes, relative file paths resolved against the
 * file, the errors client-node gives for broken entries, KUBECONFIG merging, and the credentials a
 * request gets (CA, client certificate, token, basic auth, insecure-skip-tls-verify); exec users
 * go through client-node.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Kubeconfig } from '../../src/kubectl/client/kubeconfig-model.js';

const dir = mkdtempSync(join(tmpdir(), 'kt-kc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const YAML = `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: c1
  cluster:
    server: https://10.0.0.1:6443/
    certificate-authority: ca.crt
    tls-server-name: api.internal
- name: c2
  cluster: {server: "https://10.0.0.2", insecure-skip-tls-verify: true}
users:
- name: alice
  user: {client-certificate-data: Y2VydA==, client-key: keys/alice.key, token-file: tok}
- name: bob
  user: {username: bob, password: s3cret}
- name: plugin
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/false}
contexts:
- name: dev
  context: {cluster: c1, user: alice, namespace: team-a}
- name: ops
  context: {cluster: c2, user: bob}
`;

describe('Kubeconfig', () => {
  writeFileSync(join(dir, 'ca.crt'), 'CA-PEM');
  writeFileSync(join(dir, 'tok'), 'file-token');

  it('reads entries, resolving relative paths against the file', () => {
    const file = join(dir, 'config');
    writeFileSync(file, YAML);
    const kc = Kubeconfig.fromFile(file);
    expect(kc.getCurrentContext()).toBe('dev');
    expect(kc.getCurrentCluster()).toEqual({ name: 'c1', server: 'https://10.0.0.1:6443', caFile: join(dir, 'ca.crt'), skipTLSVerify: false, tlsServerName: 'api.internal', caData: undefined, proxyUrl: undefined });
    expect(kc.getCurrentUser()).toMatchObject({ name: 'alice', certData: 'Y2VydA==', keyFile: join(dir, 'keys/alice.key'), token: 'file-token' });
    expect(kc.getContextObject('dev')).toEqual({ name: 'dev', cluster: 'c1', user: 'alice', namespace: 'team-a' });
    expect(kc.getContexts().map((c) => c.name)).toEqual(['dev', 'ops']);
  });

  it('applies CA, TLS server name, client certificate and token; basic auth and insecure-skip-tls-verify', async () => {
    const kc = Kubeconfig.fromYaml(YAML.replace('client-key: keys/alice.key', 'client-key-data: a2V5'), dir);
    const opts: any = { headers: {} };
    await kc.applyToHTTPSOptions(opts);
    expect(String(opts.ca)).toBe('CA-PEM');
    expect(opts.servername).toBe('api.internal');
    expect(String(opts.cert)).toBe('cert');
    expect(String(opts.key)).toBe('key');
    expect(opts.headers.Authorization).toBe('Bearer file-token');
    kc.setCurrentContext('ops');
    const ops: any = { headers: {} };
    await kc.applyToHTTPSOptions(ops);
    expect(ops.rejectUnauthorized).toBe(false);
    expect(ops.auth).toBe('bob:s3cret');
    expect(ops.headers.Authorization).toBeUndefined();
  });

  it('hands exec users to client-node', async () => {
    const kc = Kubeconfig.fromYaml(YAML.replace('{cluster: c2, user: bob}', '{cluster: c2, user: plugin}'), dir);
    kc.setCurrentContext('ops');
    // client-node runs the plugin (/bin/false), which fails: the failure is client-node's
    await expect(kc.applyToHTTPSOptions({ headers: {} } as never)).rejects.toThrow();
  });

  it('names the broken entry, and merges KUBECONFIG lists with the first file winning', () => {
    expect(() => Kubeconfig.fromYaml('clusters:\n- name: x\n  cluster: {}\n', dir)).toThrow('clusters[0].cluster.server is missing');
    expect(() => Kubeconfig.fromYaml('users:\n- user: {}\n', dir)).toThrow('users[0].name is missing');
    expect(() => Kubeconfig.fromYaml('contexts:\n- name: a\n', dir)).toThrow('contexts[0].context is missing');
    const first = Kubeconfig.fromYaml('clusters:\n- name: a\n  cluster: {server: "https://one"}\n', dir);
    first.mergeMissing(Kubeconfig.fromYaml('current-context: b\nclusters:\n- name: a\n  cluster: {server: "https://two"}\n- name: b\n  cluster: {server: "https://three"}\n', dir));
    expect(first.clusters.map((c) => c.server)).toEqual(['https://one', 'https://three']);
    expect(first.getCurrentContext()).toBe('b');
  });
});
