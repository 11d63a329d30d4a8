/**
 * Test harness for the streaming handlers: a fake ContainerRuntime and a tiny HTTPS server that
 * routes `pods/{name}/log` and upgrades to src/sandbox/apiserver/streaming.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex, Readable, Writable } from 'node:stream';
import { errors } from '../../../src/sandbox/apiserver/errors.js';
import { handleLog, handleUpgrade, isStreamingUpgrade, parseStreamingPath, rejectUpgrade } from '../../../src/sandbox/apiserver/streaming/index.js';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import type { ContainerRuntime, LogOptions, SessionIO, TerminalSize } from '../../../src/sandbox/kubelet/runtime.js';
import { generateCredentials, type Credentials } from '../../../src/sandbox/tls.js';

export const ENV_TEXT = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=kubia\nKUBERNETES_SERVICE_HOST=10.96.0.1\n';

function write(w: Writable | undefined, s: string | Buffer): void {
  if (w && !w.destroyed && !w.writableEnded) w.write(s);
}

function readAll(r: Readable | undefined): Promise<Buffer> {
  return new Promise((resolve) => {
    if (!r) return resolve(Buffer.alloc(0));
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    r.on('end', () => resolve(Buffer.concat(chunks)));
    r.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

export interface FakeRuntime extends ContainerRuntime {
  /** every call, for assertions */
  calls: { op: string; args: unknown[] }[];
  /** resize events seen by sessions */
  resizes: TerminalSize[];
  /** the HTTP server that port 8080 of every pod reaches */
  httpPort: number;
  close(): Promise<void>;
}

export const LOG_LINES = ['line 1', 'line 2', 'line 3', 'line 4', 'line 5'];

/**
 * Commands: `env`, `echo …`, `cat` (stdin → stdout), `false` (stderr "failing", exit 1),
 * `sh -c "exit N"` / `exit N`, `boom` (throws), `tty` (prints "tty=<bool>"), `sleep` (until aborted),
 * `big N` (N bytes of 'x'), `resize` (waits for a resize, prints it).
 * Port 8080: an HTTP server answering `hello from <path>`; 7777: raw echo; anything else: refused.
 */
export async function fakeRuntime(): Promise<FakeRuntime> {
  const http: HttpServer = createHttpServer((req, res) => {
    const body = `hello from ${req.url}\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const httpPort = (http.address() as AddressInfo).port;
  const calls: FakeRuntime['calls'] = [];
  const resizes: TerminalSize[] = [];
  const rt: FakeRuntime = {
    calls,
    resizes,
    httpPort,
    close: () => new Promise((r) => {
      http.closeAllConnections?.();
      http.close(() => r());
    }),
    async logs(namespace: string, pod: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
      calls.push({ op: 'logs', args: [namespace, pod, opts] });
      if (opts.previous) throw errors.badRequest(`previous terminated container "${opts.container}" in pod "${pod}" not found`);
      let lines = LOG_LINES.map((l) => (opts.timestamps ? `2026-01-01T00:00:00.000000000Z ${l}` : l));
      if (opts.tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - opts.tailLines));
      for (const l of lines) out.write(`${l}\n`);
      if (!opts.follow) return;
      let n = LOG_LINES.length;
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          n += 1;
          out.write(`line ${n}\n`);
          if (n >= 8) {
            clearInterval(t);
            resolve();
          }
        }, 30);
        signal.addEventListener('abort', () => {
          clearInterval(t);
          resolve();
        });
      });
    },
    async exec(namespace: string, pod: string, container: string, command: string[], io: SessionIO, signal: AbortSignal): Promise<number> {
      calls.push({ op: 'exec', args: [namespace, pod, container, command, io.tty] });
      const [cmd, ...args] = command;
      io.onResize?.((s) => resizes.push(s));
      switch (cmd) {
        case 'env':
          write(io.stdout, ENV_TEXT);
          return 0;
        case 'echo':
          write(io.stdout, `${args.join(' ')}\n`);
          return 0;
        case 'cat': {
          const data = await readAll(io.stdin);
          write(io.stdout, data);
          return 0;
        }
        case 'false':
          write(io.stderr ?? io.stdout, 'failing\n');
          return 1;
        case 'exit':
          return Number(args[0]);
        case 'sh': {
          const m = /exit (\d+)/.exec(args.join(' '));
          if (m) return Number(m[1]);
          write(io.stdout, `sh ${args.join(' ')}\n`);
          return 0;
        }
        case 'tty':
          write(io.stdout, `tty=${io.tty}\n`);
          return 0;
        case 'boom':
          throw new Error('the runtime exploded');
        case 'big': {
          const n = Number(args[0] ?? 1_000_000);
          const chunk = Buffer.alloc(64 * 1024, 'x');
          for (let sent = 0; sent < n; sent += chunk.length) {
            const piece = chunk.subarray(0, Math.min(chunk.length, n - sent));
            if (!io.stdout!.write(piece)) await new Promise((r) => io.stdout!.once('drain', r));
          }
          return 0;
        }
        case 'resize':
          return new Promise((resolve) => {
            io.onResize?.((s) => {
              write(io.stdout, `size ${s.width}x${s.height}\n`);
              resolve(0);
            });
          });
        case 'sleep':
          return new Promise((resolve) => {
            if (signal.aborted) return resolve(137);
            signal.addEventListener('abort', () => resolve(137));
          });
        default:
          write(io.stderr ?? io.stdout, `exec: "${cmd}": executable file not found in $PATH\n`);
          return 127;
      }
    },
    async attach(namespace: string, pod: string, container: string, io: SessionIO): Promise<number> {
      calls.push({ op: 'attach', args: [namespace, pod, container, io.tty] });
      write(io.stdout, 'attached\n');
      const data = await readAll(io.stdin);
      write(io.stdout, data);
      return 0;
    },
    async portForward(namespace: string, pod: string, port: number, conn: Duplex): Promise<void> {
      calls.push({ op: 'portForward', args: [namespace, pod, port] });
      if (port === 7777) {
        conn.pipe(conn);
        await new Promise<void>((r) => conn.on('end', () => r()));
        return;
      }
      if (port !== 8080) {
        throw errors.internal(`failed to connect to localhost:${port} inside namespace "${namespace}": connection refused`);
      }
      const sock: Socket = connect(httpPort, '127.0.0.1');
      sock.on('error', () => conn.destroy());
      conn.on('error', () => sock.destroy());
      conn.pipe(sock);
      sock.pipe(conn);
      await new Promise<void>((r) => sock.on('close', () => r()));
    },
  };
  return rt;
}

export function pod(name: string, opts: { containers?: string[]; init?: string[]; node?: string | null; running?: boolean; tty?: boolean; namespace?: string } = {}): KObject {
  const containers = opts.containers ?? ['kubia'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.namespace ?? 'default', uid: `uid-${name}` },
    spec: {
      nodeName: opts.node === null ? undefined : opts.node ?? 'node1',
      containers: containers.map((c) => ({ name: c, image: 'luksa/kubia', ...(opts.tty ? { tty: true, stdin: true } : {}) })),
      ...(opts.init ? { initContainers: opts.init.map((c) => ({ name: c, image: 'busybox' })) } : {}),
    },
    status: {
      phase: opts.running === false ? 'Pending' : 'Running',
      containerStatuses: containers.map((c) => ({
        name: c,
        ready: opts.running !== false,
        state: opts.running === false ? { waiting: { reason: 'ContainerCreating' } } : { running: { startedAt: '2026-01-01T00:00:00Z' } },
      })),
    },
  };
}

export interface TestServer {
  url: string;
  port: number;
  credentials: Credentials;
  runtime: FakeRuntime;
  pods: Map<string, KObject>;
  server: Server;
  close(): Promise<void>;
}

/** an HTTPS server with only the streaming endpoints, over the fake runtime */
export async function startTestServer(): Promise<TestServer> {
  const credentials = await generateCredentials();
  const runtime = await fakeRuntime();
  const pods = new Map<string, KObject>();
  const auth = `Bearer ${credentials.token}`;
  const server = createServer({ cert: credentials.serverCert, key: credentials.serverKey, ALPNProtocols: ['http/1.1'] }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (req.headers.authorization !== auth) {
      res.writeHead(401).end();
      return;
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (m) {
      void handleLog(req, res, { namespace: m[1], pod: m[2], query: url.searchParams, object: pods.get(`${m[1]}/${m[2]}`) }, runtime);
      return;
    }
    const s = parseStreamingPath(url.pathname);
    if (s) {
      // a streaming subresource without an upgrade
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(errors.badRequest('Upgrade request required').status));
      return;
    }
    res.writeHead(404).end();
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    if (req.headers.authorization !== auth) return rejectUpgrade(socket, errors.unauthorized());
    const target = isStreamingUpgrade(req);
    if (!target) return rejectUpgrade(socket, errors.pathNotFound());
    const query = new URL(req.url ?? '/', 'https://127.0.0.1').searchParams;
    handleUpgrade(req, socket, head, { ...target, query, object: pods.get(`${target.namespace}/${target.pod}`) }, runtime);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    credentials,
    runtime,
    pods,
    server,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await runtime.close();
    },
  };
}
