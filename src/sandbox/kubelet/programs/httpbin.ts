/**
 * `kennethreitz/httpbin` (gunicorn on port 80): an HTTP request & response service, the usual
 * way to have a server that is slow (`/delay/N`), fails on purpose (`/status/CODE`) or echoes the
 * request (`/get`, `/headers`, `/ip`, `/user-agent`, `/anything`). Slowness is data: the response
 * carries `delayMs` and the clients (probes with timeoutSeconds, curl -m) wait on the sandbox clock.
 */
import type { SimRequest, SimResponse } from '../listeners.js';
import type { Program } from './process.js';

const json = (v: unknown, status = 200): SimResponse => ({
  status, body: `${JSON.stringify(v, null, 2)}\n`, headers: { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true', 'content-type': 'application/json', server: 'gunicorn/19.9.0' },
});

const titleCase = (k: string) => k.split('-').map((p) => (p ? p[0].toUpperCase() + p.slice(1) : p)).join('-');

function headersOf(req: SimRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) out[titleCase(k)] = v;
  return out;
}

function argsOf(path: string): Record<string, string> {
  const q = path.split('?')[1];
  const out: Record<string, string> = {};
  if (q) for (const [k, v] of new URLSearchParams(q)) out[k] = v;
  return out;
}

const NOT_FOUND = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>\n';

/** httpbin's answer to one request (exported for tests) */
export function httpbinRespond(req: SimRequest): SimResponse {
  const path = req.path.split('?')[0] || '/';
  const host = req.headers.host ?? 'localhost';
  const url = `http://${host}${req.path}`;
  const base = { args: argsOf(req.path), headers: headersOf(req), origin: req.remoteAddress, url };
  let m: RegExpExecArray | null;
  if (path === '/') {
    return { status: 200, body: '<!DOCTYPE html>\n<html lang="en">\n<head>\n    <meta charset="UTF-8">\n    <title>httpbin.org</title>\n</head>\n<body>\n<h2>httpbin.org</h2>\n<p>A simple HTTP Request &amp; Response Service.</p>\n</body>\n</html>\n', headers: { 'content-type': 'text/html; charset=utf-8', server: 'gunicorn/19.9.0' } };
  }
  if (path === '/get') return json(base);
  if (path === '/headers') return json({ headers: base.headers });
  if (path === '/ip') return json({ origin: req.remoteAddress });
  if (path === '/user-agent') return json({ 'user-agent': req.headers['user-agent'] ?? '' });
  if (path === '/anything' || path.startsWith('/anything/')) {
    return json({ ...base, data: req.body ?? '', files: {}, form: {}, json: null, method: req.method });
  }
  if ((m = /^\/delay\/(\d+(?:\.\d+)?)$/.exec(path))) {
    // httpbin caps the delay at 10 s
    const secs = Math.min(Number(m[1]), 10);
    return { ...json({ ...base, data: '', files: {}, form: {} }), delayMs: Math.round(secs * 1000) };
  }
  if ((m = /^\/status\/(\d{3})$/.exec(path))) {
    const code = Number(m[1]);
    return { status: code, body: '', headers: { 'content-type': 'text/html; charset=utf-8', server: 'gunicorn/19.9.0' } };
  }
  return { status: 404, body: NOT_FOUND, headers: { 'content-type': 'text/html', server: 'gunicorn/19.9.0' } };
}

/** `gunicorn -b 0.0.0.0:80 httpbin:app -k gevent`: gunicorn's start-up lines on stderr, then serves */
export const httpbinProgram: Program = (proc) => {
  const ts = () => `[${new Date(proc.clock.now()).toISOString().slice(0, 19).replace('T', ' ')} +0000]`;
  proc.err(`${ts()} [1] [INFO] Starting gunicorn 19.9.0\n`);
  proc.err(`${ts()} [1] [INFO] Listening at: http://0.0.0.0:80 (1)\n`);
  proc.err(`${ts()} [1] [INFO] Using worker: gevent\n`);
  proc.err(`${ts()} [8] [INFO] Booting worker with pid: 8\n`);
  proc.listen(80, httpbinRespond);
  proc.sigterm = () => {
    proc.err(`${ts()} [1] [INFO] Handling signal: term\n`);
    proc.after(100, () => {
      proc.err(`${ts()} [8] [INFO] Worker exiting (pid: 8)\n`);
      proc.err(`${ts()} [1] [INFO] Shutting down: Master\n`);
      proc.exit(0);
    });
  };
};
