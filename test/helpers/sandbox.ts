/** Start an in-process sandbox on a random port and talk to it over HTTPS with its CA and token. */
import { request } from 'node:https';
import { ManualClock } from '../../src/sandbox/clock.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';

export interface Reply {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface TestSandbox {
  sandbox: Sandbox;
  clock: ManualClock;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>, opts?: { token?: string | null }): Promise<Reply>;
  close(): Promise<void>;
}

export async function startTestSandbox(opts: SandboxOptions = {}): Promise<TestSandbox> {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  const sandbox = await startSandbox({ nodes: 2, clock, ...opts });
  const call: TestSandbox['call'] = (method, path, body, headers = {}, o = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const token = o.token === undefined ? sandbox.token : o.token;
      const req = request(`${sandbox.url}${path}`, {
        method,
        ca: sandbox.credentials.caCert,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
          ...headers,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ code: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  return { sandbox, clock, call, close: () => sandbox.close() };
}

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export function pod(name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'main', image: 'luksa/kubia', ports: [{ containerPort: 8080 }] }], ...extra },
  };
}
