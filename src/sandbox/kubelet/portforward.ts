/**
 * Port-forwarding into a simulated pod: the bytes of one forwarded connection are parsed as
 * HTTP/1.1 by an in-memory Node HTTP server (it never listens on any address) and answered by
 * the program listening on that port inside the pod.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpHandler } from './listeners.js';

/** serve HTTP requests arriving on `conn` with `handler` until the client closes */
export function serveHttp(conn: Duplex, handler: HttpHandler, remoteAddress: string): Promise<void> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      let status = 200;
      let body = '';
      let extra: Record<string, string> = {};
      try {
        const r = handler({ method: req.method ?? 'GET', path: req.url ?? '/', headers, remoteAddress, body: Buffer.concat(chunks).toString('utf8') });
        status = r.status;
        body = r.body;
        extra = r.headers ?? {};
      } catch {
        status = 500;
        body = 'Internal Server Error\n';
      }
      res.writeHead(status, { 'Content-Type': 'text/plain', ...extra });
      res.end(body);
    });
  });
  return new Promise((resolve) => {
    const done = () => {
      server.close();
      resolve();
    };
    conn.on('close', done);
    conn.on('end', done);
    conn.on('error', done);
    server.emit('connection', conn);
  });
}
