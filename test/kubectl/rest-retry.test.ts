/**
 * A kept-alive connection that the server closes just as it is reused: a GET is sent again on a
 * fresh connection (as Go's transport does for replayable requests); a POST is not, and reports
 * the error in client-go's words (`Post "…": …`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Kubeconfig } from '../../src/kubectl/client/kubeconfig-model.js';
import { RestClient } from '../../src/kubectl/client/rest.js';

describe('RestClient on a reset kept-alive connection', () => {
  let server: Server;
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  /** a server that answers, except that the second request it sees drops its (reused) connection */
  async function start(): Promise<{ rest: RestClient; seen: string[] }> {
    const seen: string[] = [];
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (seen.length === 2) {
        req.socket.destroy();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end('{"ok":true}');
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const kc = Kubeconfig.fromYaml(`clusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${port}"}\ncontexts:\n- name: x\n  context: {cluster: c, user: ""}\ncurrent-context: x\n`, '/');
    return { rest: new RestClient(kc), seen };
  }

  it('sends a GET again on a fresh connection', async () => {
    const { rest, seen } = await start();
    expect(await rest.json('/api')).toEqual({ ok: true });
    expect(await rest.json('/api/v1')).toEqual({ ok: true });
    expect(seen).toEqual(['GET /api', 'GET /api/v1', 'GET /api/v1']);
  });

  it('does not send a POST twice', async () => {
    const { rest, seen } = await start();
    expect(await rest.json('/api')).toEqual({ ok: true });
    await expect(rest.json('/api/v1/namespaces', { method: 'POST', body: { kind: 'Namespace' } })).rejects.toThrow(/^Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces": /);
    expect(seen).toEqual(['GET /api', 'POST /api/v1/namespaces']);
  });
});
