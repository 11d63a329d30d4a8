/**
 * kubectl proxy: a local HTTP server that passes requests on to the API server with the kubeconfig's
 * credentials, until cancelled. Like kubectl it only answers for local Host names, refuses exec/attach
 * paths by default, and maps `--api-prefix` onto the server's root.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { KubectlError } from '../client/errors.js';
import type { Command } from '../command.js';

const DEFAULT_ACCEPT_HOSTS = '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$';
const DEFAULT_REJECT_PATHS = '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization']);

function regexps(list: string, flag: string): RegExp[] {
  return list
    .split(',')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return new RegExp(s);
      } catch (e) {
        throw new KubectlError(`invalid --${flag} pattern ${JSON.stringify(s)}: ${(e as Error).message}`);
      }
    });
}

const matches = (res: RegExp[], s: string) => res.some((r) => r.test(s));

/** the host part of a Host header ("[::1]:8001" → "[::1]", "localhost:8001" → "localhost") */
function hostOnly(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end >= 0 ? host.slice(0, end + 1) : host;
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

function forbidden(res: ServerResponse): void {
  res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end('Forbidden\n');
}

export const proxy: Command = {
  name: 'proxy',
  short: 'Serve the API server on a local port, authenticated with your kubeconfig',
  group: 'advanced',
  usage: 'kubectl proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix] [options]',
  example: [
    '# Serve the API on localhost:8001',
    'kubectl proxy',
    '',
    '# Any free port, printed on start',
    'kubectl proxy --port=0',
    '',
    '# The API under /k8s-api/ on port 8011',
    'kubectl proxy --port=8011 --api-prefix=/k8s-api',
  ].join('\n'),
  flags: [
    { name: 'port', short: 'p', type: 'int', default: 8001, usage: 'Local port to listen on; 0 picks a free one.' },
    { name: 'address', type: 'string', default: '127.0.0.1', usage: 'Local address to listen on.' },
    { name: 'api-prefix', type: 'string', default: '/', usage: 'Path under which the API is served.' },
    { name: 'accept-hosts', type: 'string', default: DEFAULT_ACCEPT_HOSTS, usage: 'Host names (regular expressions, comma separated) to answer for.' },
    { name: 'accept-paths', type: 'string', default: '^.*', usage: 'Paths (regular expressions) to pass on.' },
    { name: 'reject-paths', type: 'string', default: DEFAULT_REJECT_PATHS, usage: 'Paths (regular expressions) to refuse.' },
    { name: 'reject-methods', type: 'string', default: '^$', usage: 'HTTP methods (regular expressions) to refuse.' },
    { name: 'disable-filter', type: 'bool', usage: 'Pass every request on, from any host (unsafe).' },
    { name: 'keepalive', type: 'duration', default: '0s', usage: 'Keep-alive period of the connections to the API server.' },
    { name: 'append-server-path', type: 'bool', usage: "Prefix requests with the kubeconfig server URL's path." },
  ],
  async run(inv) {
    const client = await inv.client();
    const kc = client.config.kc;
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubectlError('no current cluster in the kubeconfig');
    const target = new URL(cluster.server);
    const serverPath = inv.bool('append-server-path') ? target.pathname.replace(/\/+$/, '') : '';
    let prefix = inv.str('api-prefix') || '/';
    if (!prefix.startsWith('/')) prefix = '/' + prefix;
    if (!prefix.endsWith('/')) prefix += '/';
    const filter = !inv.bool('disable-filter');
    const acceptHosts = regexps(inv.str('accept-hosts'), 'accept-hosts');
    const acceptPaths = regexps(inv.str('accept-paths'), 'accept-paths');
    const rejectPaths = regexps(inv.str('reject-paths'), 'reject-paths');
    const rejectMethods = regexps(inv.str('reject-methods'), 'reject-methods');
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;

    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://proxy.invalid');
      if (!(url.pathname + '/').startsWith(prefix) && url.pathname !== prefix.slice(0, -1)) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        res.end('404 page not found\n');
        return;
      }
      const path = '/' + url.pathname.slice(prefix.length);
      if (filter) {
        const hostOk = matches(acceptHosts, hostOnly(req.headers.host ?? ''));
        const pathOk = matches(acceptPaths, path) && !matches(rejectPaths, path);
        const methodOk = !matches(rejectMethods, req.method ?? 'GET');
        if (!hostOk || !pathOk || !methodOk) return forbidden(res);
      }
      const opts: RequestOptions & { headers: Record<string, string | string[]> } = { headers: {} };
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())) opts.headers[k] = v;
      await kc.applyToHTTPSOptions(opts);
      opts.method = req.method;
      const upstream = send(`${target.origin}${serverPath}${path}${url.search}`, opts, (up) => {
        const headers: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      });
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`${err.message}\n`);
      });
      req.on('aborted', () => upstream.destroy());
      req.pipe(upstream);
    };

    const server = createServer((req, res) => {
      handle(req, res).catch((err) => {
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`${(err as Error).message}\n`);
      });
    });
    const address = inv.str('address');
    const port = inv.int('port');
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const host = address.includes(':') ? `[${address}]` : address;
        if (err.code === 'EADDRINUSE') reject(new KubectlError(`listen tcp ${host}:${port}: bind: address already in use`));
        else if (err.code === 'EADDRNOTAVAIL') reject(new KubectlError(`listen tcp ${host}:${port}: bind: cannot assign requested address`));
        else reject(new KubectlError(`listen tcp ${host}:${port}: ${err.message}`));
      });
      server.listen(port, address, () => resolve());
    });
    const bound = server.address();
    const boundPort = typeof bound === 'object' && bound ? bound.port : port;
    const shown = address.includes(':') ? `[${address}]` : address;
    inv.out.write(`Starting to serve on ${shown}:${boundPort}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      };
      if (inv.signal.aborted) stop();
      else inv.signal.addEventListener('abort', stop, { once: true });
    });
  },
};
