import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../../src/kubectl/index.js';
import { startOurs, type OursEnv } from '../../helpers/ours.js';

function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('kubectl proxy', () => {
  let env: OursEnv;
  beforeAll(async () => {
    env = await startOurs();
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  it('serves the API with the kubeconfig credentials until cancelled', async () => {
    let out = '';
    let announce: (port: number) => void = () => undefined;
    const ready = new Promise<number>((resolve) => (announce = resolve));
    const exec = start('kubectl proxy --port=0', env.session, {
      onOutput: (stream, text) => {
        if (stream !== 'stdout') return;
        out += text;
        const m = /^Starting to serve on 127\.0\.0\.1:(\d+)\n/.exec(out);
        if (m) announce(Number(m[1]));
      },
    });
    const port = await ready;
    expect(port).toBeGreaterThan(0);

    const pods = await httpGet(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods`);
    expect(pods.status).toBe(200);
    expect(JSON.parse(pods.body)).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });

    // kubectl's default filter: only local Host names, no exec/attach
    expect(await httpGet(`http://127.0.0.1:${port}/api`, { Host: 'evil.example.com' })).toEqual({ status: 403, body: 'Forbidden\n' });
    expect((await httpGet(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods/x/exec`)).status).toBe(403);

    exec.cancel();
    const result = await exec.done;
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`Starting to serve on 127.0.0.1:${port}\n`);
  }, 60_000);
});
