/**
 * Our describe output vs the REAL kubectl 1.33 against the same in-process sandbox (skipped when no
 * kubectl.1.33 binary is found). Ages may differ by a second between the two runs, so when the exact
 * comparison fails the outputs are compared again with ages masked and runs of spaces collapsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeObject } from '../../../src/kubectl/describe/index.js';
import { findKubectlBinaries, kubectlBinDir, startKubectlEnv, type KubectlEnv } from '../../helpers/kubectl.js';
import { SandboxReader } from './https-reader.js';

const bins = findKubectlBinaries(['1.33']);
if (!bins.length) console.log(`[describe live] skipped: no kubectl.1.33 beside ${kubectlBinDir() ?? 'PATH kubectl'}`);

const AGE = /\b\d+(?:[smhdy]\d+)*[smhdy]\b/g;
const masked = (s: string) =>
  s
    .replace(AGE, '<age>')
    .replace(/[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}/g, '<time>')
    .replace(/ {2,}/g, '  ');

(bins.length ? describe : describe.skip)('describe vs real kubectl 1.33', () => {
  let env: KubectlEnv;
  let reader: SandboxReader;

  beforeAll(async () => {
    env = await startKubectlEnv(bins[0]);
    reader = new SandboxReader(env.sandbox);
  });
  afterAll(async () => {
    await env?.close();
  });

  async function compare(args: string[], get: () => Promise<any>): Promise<void> {
    let last = '';
    let ours = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await describeObject(await get(), reader, { showEvents: true, now: new Date() });
      const r = await env.run(['describe', ...args]);
      expect(r.code, r.stderr).toBe(0);
      const after = await describeObject(await get(), reader, { showEvents: true, now: new Date() });
      last = r.stdout;
      ours = after;
      if (process.env.DESCRIBE_LIVE_DEBUG) console.log(`--- kubectl ${args.join(' ')}\n${r.stdout}--- ours\n${after}`);
      if (r.stdout === before || r.stdout === after) return;
      if (masked(r.stdout) === masked(before) || masked(r.stdout) === masked(after)) {
        if (process.env.DESCRIBE_LIVE_DEBUG) console.log('(matched with ages masked)');
        return;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(ours).toBe(last);
  }

  it('pod', async () => {
    const name = env.unique('dpod');
    await env.ok(['run', name, '--image=nginx', '--labels=app=d,tier=web']);
    await new Promise((r) => setTimeout(r, 1500));
    await compare(['pod', name], () => reader.get('', 'v1', 'pods', 'default', name));
  });

  it('replication controller', async () => {
    const name = env.unique('drc');
    const yaml = `apiVersion: v1
kind: ReplicationController
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: main
        image: luksa/kubia
        ports:
        - containerPort: 8080
`;
    await env.ok(['create', '-f', env.writeFile(`${name}.yaml`, yaml)]);
    await new Promise((r) => setTimeout(r, 1500));
    await compare(['rc', name], () => reader.get('', 'v1', 'replicationcontrollers', 'default', name));
  });

  it('service', async () => {
    const name = env.unique('dsvc');
    await env.ok(['create', 'deployment', name, '--image=nginx', '--port=80']);
    await env.ok(['expose', 'deployment', name, '--port=80', '--target-port=80']);
    await new Promise((r) => setTimeout(r, 1500));
    await compare(['service', name], () => reader.get('', 'v1', 'services', 'default', name));
  });

  it('node', async () => {
    const nodes = await reader.list('', 'v1', 'nodes', {});
    const name = nodes[0]?.metadata?.name as string;
    await compare(['node', name], () => reader.get('', 'v1', 'nodes', undefined, name));
  });

  it('namespace', async () => {
    const name = env.unique('dns');
    await env.ok(['create', 'namespace', name]);
    await compare(['namespace', name], () => reader.get('', 'v1', 'namespaces', undefined, name));
  });
});
