/**
 * The streaming handlers (pods/log, exec, attach, portforward) behind a tiny HTTPS server over a fake
 * ContainerRuntime: client-node's Log/Exec/Attach/PortForward, a raw SPDY/3.1 client (kubectl
 * 1.27 style) and a raw websocket client (SPDY tunnelled in websocket, malformed frames).
 */
import * as k8s from '@kubernetes/client-node';
import { request } from 'node:https';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeaderDeflater, HeaderInflater, encodeHeaderBlock, decodeHeaderBlock } from '../../../src/sandbox/apiserver/streaming/spdy.js';
import { SPDY3_DICTIONARY } from '../../../src/sandbox/apiserver/streaming/spdy3-dictionary.js';
import * as zlib from 'node:zlib';
import { ENV_TEXT, LOG_LINES, pod, startTestServer, type TestServer } from './harness.js';
import { DICTIONARY, rawUpgrade, SpdyClient, spdyConnect } from './spdy-client.js';
import { wsConnect } from './ws-client.js';

let t: TestServer;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  t = await startTestServer();
  for (const p of [
    pod('kubia'),
    pod('two', { containers: ['a', 'b'] }),
    pod('withinit', { containers: ['a', 'b'], init: ['setup'] }),
    pod('pending', { running: false }),
    pod('unscheduled', { node: null, running: false }),
    pod('tmp', { tty: true }),
  ]) t.pods.set(`default/${p.metadata.name}`, p);
  kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: t.url, caData: Buffer.from(t.credentials.caCert).toString('base64') }],
    users: [{ name: 'student', token: t.credentials.token }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'student', namespace: 'default' }],
    currentContext: 'sim',
  });
});

afterAll(async () => {
  await t?.close();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ code: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${t.url}${path}`, { ca: t.credentials.caCert, headers: { Authorization: `Bearer ${t.credentials.token}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

function collector(): { w: Writable; text: () => string; done: Promise<void> } {
  const chunks: Buffer[] = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const w = new Writable({
    write(c: Buffer, _e, cb) {
      chunks.push(Buffer.from(c));
      cb();
    },
    final(cb) {
      resolveDone();
      cb();
    },
  });
  return { w, text: () => Buffer.concat(chunks).toString(), done };
}

const base = '/api/v1/namespaces/default/pods';

/** the whole answer (head and body) to a raw upgrade request that is refused */
async function upgradeResponse(path: string, kind: 'ws' | 'spdy'): Promise<string> {
  const head = kind === 'ws'
    ? ['GET', 'Upgrade: websocket', `Sec-WebSocket-Key: ${Buffer.alloc(16, 7).toString('base64')}`, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Protocol: v5.channel.k8s.io']
    : ['POST', 'Upgrade: SPDY/3.1', 'X-Stream-Protocol-Version: v4.channel.k8s.io', 'Content-Length: 0'];
  const req = [`${head[0]} ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${t.credentials.token}`, 'Connection: Upgrade', ...head.slice(1), '', ''].join('\r\n');
  const { socket, head: resp, rest } = await rawUpgrade(t.port, t.credentials.caCert, req);
  const chunks: Buffer[] = [rest];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {});
  await new Promise<void>((r) => {
    socket.on('close', () => r());
    socket.resume();
    setTimeout(() => { socket.destroy(); r(); }, 2000);
  });
  return `${resp}\r\n\r\n${Buffer.concat(chunks).toString()}`;
}

// ---------------------------------------------------------------------------------------------------
describe('pods/log', () => {
  it('streams the log as text/plain', async () => {
    const r = await get(`${base}/kubia/log?container=kubia`);
    expect(r.code).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.text).toBe(LOG_LINES.map((l) => `${l}\n`).join(''));
  });

  it('picks the only container when none is named, and passes the options through', async () => {
    const r = await get(`${base}/kubia/log?tailLines=2&timestamps=true`);
    expect(r.code).toBe(200);
    expect(r.text).toBe('2026-01-01T00:00:00.000000000Z line 4\n2026-01-01T00:00:00.000000000Z line 5\n');
    const call = t.runtime.calls.filter((c) => c.op === 'logs').at(-1)!;
    expect(call.args[2]).toEqual({ container: 'kubia', timestamps: true, tailLines: 2 });
  });

  it('400 when a multi-container pod names no container', async () => {
    const r = await get(`${base}/two/log`);
    expect(r.code).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400, message: 'a container name must be specified for pod two, choose one of: [a b]' });
    const r2 = await get(`${base}/withinit/log`);
    expect(JSON.parse(r2.text).message).toBe('a container name must be specified for pod withinit, choose one of: [setup a b]');
  });

  it('400 for an unknown container, 404 for an unknown pod', async () => {
    const r = await get(`${base}/kubia/log?container=nope`);
    expect(r.code).toBe(400);
    expect(JSON.parse(r.text).message).toBe('container nope is not valid for pod kubia');
    const r2 = await get(`${base}/nosuch/log`);
    expect(r2.code).toBe(404);
    expect(JSON.parse(r2.text)).toMatchObject({ reason: 'NotFound', message: 'pods "nosuch" not found', details: { name: 'nosuch', kind: 'pods' } });
  });

  it("passes the runtime's StatusError through (previous)", async () => {
    const r = await get(`${base}/kubia/log?container=kubia&previous=true`);
    expect(r.code).toBe(400);
    expect(JSON.parse(r.text)).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'previous terminated container "kubia" in pod "kubia" not found', reason: 'BadRequest', code: 400,
    });
  });

  it('validates the options like kube (422 / 400)', async () => {
    const r = await get(`${base}/kubia/log?tailLines=-1`);
    expect(r.code).toBe(422);
    expect(JSON.parse(r.text)).toMatchObject({ reason: 'Invalid', details: { kind: 'PodLogOptions', name: 'kubia' } });
    expect(JSON.parse(r.text).message).toContain('tailLines: Invalid value: -1: must be greater than or equal to 0');
    const r2 = await get(`${base}/kubia/log?tailLines=abc`);
    expect(r2.code).toBe(400);
    expect(JSON.parse(r2.text).message).toBe('strconv.ParseInt: parsing "abc": invalid syntax');
    const r3 = await get(`${base}/kubia/log?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z`);
    expect(r3.code).toBe(422);
    expect(JSON.parse(r3.text).message).toContain('at most one of `sinceTime` or `sinceSeconds` may be specified');
  });

  it('limitBytes cuts the log', async () => {
    const r = await get(`${base}/kubia/log?limitBytes=10`);
    expect(r.text).toBe('line 1\nlin');
  });

  it('an unscheduled pod has an empty log', async () => {
    const r = await get(`${base}/unscheduled/log`);
    expect(r.code).toBe(200);
    expect(r.text).toBe('');
  });

  it('follow streams chunks as they come (client-node Log)', async () => {
    const c = collector();
    await new k8s.Log(kc).log('default', 'kubia', 'kubia', c.w, { follow: true });
    await c.done;
    expect(c.text()).toBe([...LOG_LINES, 'line 6', 'line 7', 'line 8'].map((l) => `${l}\n`).join(''));
  });

  it('follow sends the head before the first line and aborts the runtime when the client leaves', async () => {
    const ac = await new Promise<{ lines: string[]; stop: () => void }>((resolve, reject) => {
      const lines: string[] = [];
      const req = request(`${t.url}${base}/kubia/log?follow=true&tailLines=0`, { ca: t.credentials.caCert, headers: { Authorization: `Bearer ${t.credentials.token}` } }, (res) => {
        expect(res.headers['transfer-encoding']).toBe('chunked');
        res.on('data', (d: Buffer) => {
          lines.push(d.toString());
          if (lines.length === 1) resolve({ lines, stop: () => req.destroy() });
        });
        res.on('error', () => {});
      });
      req.on('error', reject);
      req.end();
    });
    expect(ac.lines[0]).toBe('line 6\n');
    ac.stop();
  });
});

// ---------------------------------------------------------------------------------------------------
describe('exec/attach over websocket (client-node)', () => {
  async function run(cmd: string[], opts: { stdin?: string; tty?: boolean; container?: string; podName?: string } = {}) {
    const out = collector();
    const err = collector();
    let stdin: PassThrough | null = null;
    if (opts.stdin !== undefined) {
      stdin = new PassThrough();
    }
    let status: k8s.V1Status | undefined;
    let closed!: () => void;
    const closedP = new Promise<void>((r) => (closed = r));
    const ws = await new k8s.Exec(kc).exec('default', opts.podName ?? 'kubia', opts.container ?? 'kubia', cmd, out.w, err.w, stdin, opts.tty ?? false, (s) => {
      status = s;
    });
    ws.on('close', () => closed());
    if (stdin && opts.stdin !== undefined) {
      stdin.write(opts.stdin);
      stdin.end();
    }
    await closedP;
    return { stdout: out.text(), stderr: err.text(), status, protocol: ws.protocol };
  }

  it('exec env: stdout, Success, v5', async () => {
    const r = await run(['env']);
    expect(r.protocol).toBe('v5.channel.k8s.io');
    expect(r.stdout).toBe(ENV_TEXT);
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('non-zero exit codes come back as NonZeroExitCode', async () => {
    const r = await run(['sh', '-c', 'exit 3']);
    expect(r.status).toEqual({
      metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    const f = await run(['false']);
    expect(f.stderr).toBe('failing\n');
  });

  it('stdin reaches the command and v5 close ends it (cat)', async () => {
    const r = await run(['cat'], { stdin: 'hello\nworld\n' });
    expect(r.stdout).toBe('hello\nworld\n');
    expect(r.status?.status).toBe('Success');
  });

  it('a runtime failure is an InternalError status', async () => {
    const r = await run(['boom']);
    expect(r.status).toMatchObject({ status: 'Failure', reason: 'InternalError', code: 500, message: 'Internal error occurred: error executing command in container: the runtime exploded' });
  });

  it('attach (client-node Attach)', async () => {
    const out = collector();
    const stdin = new PassThrough();
    const ws = await new k8s.Attach(kc).attach('default', 'kubia', 'kubia', out.w, null, stdin, false);
    const closed = new Promise<void>((r) => ws.on('close', () => r()));
    stdin.end('typed\n');
    await closed;
    expect(out.text()).toBe('attached\ntyped\n');
    expect(t.runtime.calls.some((c) => c.op === 'attach')).toBe(true);
  });

  it('the exact wire: status bytes on channel 3, then close 1000', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=false&container=kubia&stderr=true&stdout=true`, ['v5.channel.k8s.io']);
    expect(c.response).toMatch(/^HTTP\/1\.1 101/);
    expect(c.response).toMatch(/Sec-WebSocket-Protocol: v5\.channel\.k8s\.io/);
    await c.waitFor((m) => m.some((x) => x.opcode === 8));
    const bin = c.messages.filter((m) => m.opcode === 2);
    expect(bin.map((m) => [m.data[0], m.data.subarray(1).toString()])).toEqual([
      [2, 'failing\n'],
      [3, '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [false], exit code 1","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"1"}]}}'],
    ]);
    const close = c.messages.find((m) => m.opcode === 8)!;
    expect(close.data.readUInt16BE(0)).toBe(1000);
    c.send(8, close.data.subarray(0, 2));
    await c.waitClosed();
  });

  it('success status bytes exactly', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=env&stderr=true&stdout=true`, ['v5.channel.k8s.io']);
    await c.waitFor((m) => m.some((x) => x.opcode === 8));
    const status = c.messages.find((m) => m.opcode === 2 && m.data[0] === 3)!;
    expect(status.data.subarray(1).toString()).toBe('{"metadata":{},"status":"Success"}');
    c.socket.destroy();
  });

  it('tty: resize messages reach the session', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=resize&stdin=true&stdout=true&tty=true`, ['v5.channel.k8s.io']);
    c.sendBinary(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":80,"Height":24}\n')]));
    await c.waitFor((m) => m.some((x) => x.opcode === 8));
    const out = c.messages.filter((m) => m.opcode === 2 && m.data[0] === 1).map((m) => m.data.subarray(1).toString()).join('');
    expect(out).toBe('size 80x24\n');
    c.socket.destroy();
  });

  it('v4 protocol when v5 is not offered; the base64 protocol uses text frames', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=echo&command=hi&stdout=true`, ['v4.channel.k8s.io']);
    expect(c.response).toMatch(/Sec-WebSocket-Protocol: v4\.channel\.k8s\.io/);
    await c.waitFor((m) => m.some((x) => x.opcode === 8));
    expect(c.messages.filter((m) => m.opcode === 2).map((m) => [m.data[0], m.data.subarray(1).toString()])).toEqual([[1, 'hi\n'], [3, '{"metadata":{},"status":"Success"}']]);
    c.socket.destroy();
    const b = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=echo&command=hi&stdout=true`, ['base64.channel.k8s.io']);
    await b.waitFor((m) => m.some((x) => x.opcode === 8));
    const text = b.messages.filter((m) => m.opcode === 1).map((m) => m.data.toString());
    expect(text).toEqual(['1' + Buffer.from('hi\n').toString('base64')]); // pre-v4: nothing on success
    b.socket.destroy();
  });

  it('an unknown subprotocol is a 400 (kubectl then falls back to SPDY)', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=env&stdout=true`, ['v9.channel.k8s.io']);
    expect(c.response).toMatch(/^HTTP\/1\.1 400/);
    c.socket.destroy();
  });

  it('pod and container errors before the upgrade', async () => {
    const cases: [string, RegExp, string][] = [
      ['nosuch/exec?command=env&stdout=true', /^HTTP\/1\.1 404/, '"message":"pods \\"nosuch\\" not found"'],
      ['kubia/exec?command=env&stdout=true&container=nope', /^HTTP\/1\.1 400/, '"message":"container nope is not valid for pod kubia"'],
      ['two/exec?command=env&stdout=true', /^HTTP\/1\.1 400/, '"message":"a container name must be specified for pod two, choose one of: [a b]"'],
      ['withinit/exec?command=env&stdout=true', /^HTTP\/1\.1 400/, 'choose one of: [a b] or one of the init containers: [setup]'],
      ['unscheduled/exec?command=env&stdout=true', /^HTTP\/1\.1 400/, '"message":"pod unscheduled does not have a host assigned"'],
      ['pending/exec?command=env&stdout=true', /^HTTP\/1\.1 500/, 'container not found ("kubia")'],
      ['pending/attach?stdout=true', /^HTTP\/1\.1 500/, 'container kubia not found in pod pending_default'],
      ['kubia/exec?command=env', /^HTTP\/1\.1 400/, 'you must specify at least 1 of stdin, stdout, stderr'],
    ];
    for (const [path, status, body] of cases) {
      for (const kind of ['ws', 'spdy'] as const) {
        const text = await upgradeResponse(`${base}/${path}`, kind);
        expect(text, `${kind} ${path}`).toMatch(status);
        expect(text, `${kind} ${path}`).toContain(body);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
describe('port-forward over websocket channels (client-node)', () => {
  it('bridges a connection to the pod port (HTTP through the tunnel)', async () => {
    const out = collector();
    const err = collector();
    const input = new PassThrough();
    const ws = await new k8s.PortForward(kc).portForward('default', 'kubia', [8080], out.w, err.w, input);
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    input.write('GET /via-client-node HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise<void>((r) => ws.on('close', () => r()));
    expect(out.text()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(out.text()).toMatch(/hello from \/via-client-node\n$/);
    expect(err.text()).toBe('');
  });

  it('errors go on the error channel', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/portforward?ports=9999`, ['v4.channel.k8s.io']);
    await c.waitFor((m) => m.some((x) => x.opcode === 8));
    const bin = c.messages.filter((m) => m.opcode === 2);
    expect(bin[0].data).toEqual(Buffer.from([0, 0x0f, 0x27]));
    expect(bin[1].data).toEqual(Buffer.from([1, 0x0f, 0x27]));
    expect(bin[2].data[0]).toBe(1);
    expect(bin[2].data.subarray(1).toString()).toMatch(/^error forwarding port 9999 to pod [0-9a-f]{64}, uid : Internal error occurred: failed to connect to localhost:9999/);
    c.socket.destroy();
  });

  it('ports is required', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/portforward`, ['v4.channel.k8s.io']);
    expect(c.response).toMatch(/^HTTP\/1\.1 400/);
    c.socket.destroy();
  });
});

// ---------------------------------------------------------------------------------------------------
describe('SPDY/3.1 (kubectl 1.27–1.29 exec, 1.27–1.30 port-forward)', () => {
  const ca = () => t.credentials.caCert;
  const tok = () => t.credentials.token;

  it('header compression: stored-block output inflates with real zlib; real zlib output inflates here', async () => {
    expect(SPDY3_DICTIONARY.equals(DICTIONARY)).toBe(true);
    const d = new HeaderDeflater();
    const inflate = zlib.createInflate({ dictionary: DICTIONARY });
    const got: Buffer[] = [];
    inflate.on('data', (c: Buffer) => got.push(c));
    for (const h of [{ streamtype: 'error' }, {}, { port: '8080', requestid: '0' }] as Record<string, string>[]) {
      got.length = 0;
      const compressed = d.compress(encodeHeaderBlock(h));
      // each block ends with the sync-flush marker Go's flate reader needs to hand out the bytes
      expect(compressed.subarray(-5)).toEqual(Buffer.from([0, 0, 0, 0xff, 0xff]));
      inflate.write(compressed);
      await new Promise<void>((r) => inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => setImmediate(r)));
      expect(decodeHeaderBlock(Buffer.concat(got))).toEqual(h);
    }
    const deflate = zlib.createDeflate({ dictionary: DICTIONARY });
    const inf = new HeaderInflater();
    for (const h of [{ streamtype: 'stdout' }, { streamtype: 'data', port: '80', requestid: '12' }] as Record<string, string>[]) {
      const out: Buffer[] = [];
      const onData = (c: Buffer) => out.push(c);
      deflate.on('data', onData);
      deflate.write(encodeHeaderBlock(h));
      await new Promise<void>((r) => deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => setImmediate(r)));
      deflate.off('data', onData);
      expect(decodeHeaderBlock(await inf.decompress(Buffer.concat(out)))).toEqual(h);
    }
  });

  async function execSpdy(query: string, opts: { stdin?: string; protocols?: string[]; tty?: boolean } = {}) {
    const c = await spdyConnect(t.port, ca(), tok(), `${base}/kubia/exec?${query}`, opts.protocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']);
    const ids: Record<string, number> = {};
    ids.error = await c.synStream({ streamtype: 'error' });
    if (opts.stdin !== undefined) ids.stdin = await c.synStream({ streamtype: 'stdin' });
    ids.stdout = await c.synStream({ streamtype: 'stdout' });
    if (!opts.tty) ids.stderr = await c.synStream({ streamtype: 'stderr' });
    if (opts.tty) ids.resize = await c.synStream({ streamtype: 'resize' });
    if (opts.stdin !== undefined) {
      c.data(ids.stdin, opts.stdin);
      c.data(ids.stdin, '', true);
    }
    await c.waitFor(() => c.stream(ids.error).fin && c.stream(ids.stdout).fin);
    return { c, ids };
  }

  it('exec env: v4 negotiated, SYN_REPLY per stream, stdout then FINs, empty error FIN', async () => {
    const { c, ids } = await execSpdy('command=env&container=kubia&stderr=true&stdout=true');
    expect(c.response).toMatch(/^HTTP\/1\.1 101 Switching Protocols/);
    expect(c.response).toMatch(/\r\nUpgrade: SPDY\/3\.1/);
    expect(c.response).toMatch(/\r\nX-Stream-Protocol-Version: v4\.channel\.k8s\.io/);
    for (const id of Object.values(ids)) expect(c.stream(id).replied).toBe(true);
    expect(c.stream(ids.stdout).data.toString()).toBe(ENV_TEXT);
    expect(c.stream(ids.stderr).fin).toBe(true);
    expect(c.stream(ids.error).data.length).toBe(0);
    // the client tears down: RST every stream, GOAWAY; the server closes the connection
    for (const id of Object.values(ids)) c.rst(id);
    c.goaway();
    await new Promise<void>((r) => (c.closed ? r() : c.socket.on('close', () => r())));
  });

  it('exec exit code: the Status JSON on the error stream', async () => {
    const { c, ids } = await execSpdy('command=sh&command=-c&command=exit+3&container=kubia&stderr=true&stdout=true');
    expect(c.stream(ids.error).data.toString()).toBe('{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}');
    c.close();
  });

  it('exec -i cat: stdin data then FIN', async () => {
    const { c, ids } = await execSpdy('command=cat&container=kubia&stdin=true&stderr=true&stdout=true', { stdin: 'piped\n' });
    expect(c.stream(ids.stdout).data.toString()).toBe('piped\n');
    c.close();
  });

  it('tty: resize stream (JSON objects), no stderr stream', async () => {
    const c = await spdyConnect(t.port, ca(), tok(), `${base}/kubia/exec?command=resize&container=kubia&stdin=true&stdout=true&tty=true`, ['v4.channel.k8s.io']);
    const err = await c.synStream({ streamtype: 'error' });
    await c.synStream({ streamtype: 'stdin' });
    const out = await c.synStream({ streamtype: 'stdout' });
    const resize = await c.synStream({ streamtype: 'resize' });
    c.data(resize, '{"Width":120,"Height":40}');
    await c.waitFor(() => c.stream(err).fin);
    expect(c.stream(out).data.toString()).toBe('size 120x40\n');
    c.close();
  });

  it('pre-v4 protocols get the error as text', async () => {
    const { c, ids } = await execSpdy('command=false&container=kubia&stderr=true&stdout=true', { protocols: ['v3.channel.k8s.io', 'v2.channel.k8s.io'] });
    expect(c.response).toMatch(/X-Stream-Protocol-Version: v3\.channel\.k8s\.io/);
    expect(c.stream(ids.error).data.toString()).toBe('command terminated with non-zero exit code: error executing command [false], exit code 1');
    expect(c.stream(ids.stderr).data.toString()).toBe('failing\n');
    c.close();
  });

  it('big output arrives whole', async () => {
    const { c, ids } = await execSpdy('command=big&command=1000000&container=kubia&stdout=true&stderr=true');
    expect(c.stream(ids.stdout).data.length).toBe(1_000_000);
    c.close();
  });

  it('PING is echoed; unknown stream types are reset; data on unknown streams is ignored', async () => {
    const c = await spdyConnect(t.port, ca(), tok(), `${base}/kubia/exec?command=env&container=kubia&stdout=true`, ['v4.channel.k8s.io']);
    c.ping(1);
    await c.waitFor((fs) => fs.some((f) => f.control && f.type === 6));
    const bogus = await c.synStream({ streamtype: 'bogus' });
    await c.waitFor(() => c.stream(bogus).reset);
    c.data(99, 'nobody listens');
    const err = await c.synStream({ streamtype: 'error' });
    const out = await c.synStream({ streamtype: 'stdout' });
    await c.waitFor(() => c.stream(err).fin);
    expect(c.stream(out).data.toString()).toBe(ENV_TEXT);
    c.close();
  });

  it('no common protocol: 403 listing what the server supports', async () => {
    const c = await spdyConnect(t.port, ca(), tok(), `${base}/kubia/exec?command=env&stdout=true`, ['v9.channel.k8s.io']);
    expect(c.response).toMatch(/^HTTP\/1\.1 403/);
    c.close();
  });

  it('a killed client aborts the session; the server keeps serving', async () => {
    const before = t.runtime.calls.length;
    const c = await spdyConnect(t.port, ca(), tok(), `${base}/kubia/exec?command=sleep&container=kubia&stdout=true`, ['v4.channel.k8s.io']);
    await c.synStream({ streamtype: 'error' });
    await c.synStream({ streamtype: 'stdout' });
    await new Promise((r) => setTimeout(r, 50));
    expect(t.runtime.calls.length).toBeGreaterThan(before);
    c.socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const { c: c2, ids } = await execSpdy('command=echo&command=still&command=alive&container=kubia&stdout=true&stderr=true');
    expect(c2.stream(ids.stdout).data.toString()).toBe('still alive\n');
    c2.close();
  });

  it('malformed frames end the session with GOAWAY, not the server', async () => {
    const c = await spdyConnect(t.port, ca(), tok(), `${base}/kubia/exec?command=env&stdout=true`, ['v4.channel.k8s.io']);
    // a control frame of SPDY version 2
    c.socket.write(Buffer.from([0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]));
    await c.waitFor((fs) => fs.some((f) => f.control && f.type === 7)).catch(() => {});
    await new Promise<void>((r) => (c.closed ? r() : c.socket.on('close', () => r())));
    // a SYN_STREAM whose header block is not zlib
    const c2 = await spdyConnect(t.port, ca(), tok(), `${base}/kubia/exec?command=env&stdout=true`, ['v4.channel.k8s.io']);
    const junk = Buffer.alloc(10 + 8, 0xff);
    junk.writeUInt32BE(1, 0);
    c2.control(1, 0, junk);
    await new Promise<void>((r) => (c2.closed ? r() : c2.socket.on('close', () => r())));
    const r = await get(`${base}/kubia/log`);
    expect(r.code).toBe(200);
  });

  async function portForwardOver(c: SpdyClient, requestId: string, port: string, payload: string) {
    const err = await c.synStream({ streamtype: 'error', port, requestid: requestId });
    c.data(err, '', true);
    const data = await c.synStream({ streamtype: 'data', port, requestid: requestId });
    if (payload) c.data(data, payload);
    return { err, data };
  }

  it('port-forward: error + data stream per request, HTTP through the tunnel', async () => {
    const c = await spdyConnect(t.port, ca(), tok(), `${base}/kubia/portforward`, ['portforward.k8s.io']);
    expect(c.response).toMatch(/X-Stream-Protocol-Version: portforward\.k8s\.io/);
    const a = await portForwardOver(c, '0', '8080', 'GET /first HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const b = await portForwardOver(c, '1', '8080', 'GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await c.waitFor(() => c.stream(a.data).fin && c.stream(b.data).fin && c.stream(a.err).fin);
    expect(c.stream(a.data).data.toString()).toMatch(/hello from \/first\n$/);
    expect(c.stream(b.data).data.toString()).toMatch(/hello from \/second\n$/);
    expect(c.stream(a.err).data.toString()).toBe('');
    // a refused port: message on the error stream
    const bad = await portForwardOver(c, '2', '9999', '');
    await c.waitFor(() => c.stream(bad.err).fin);
    expect(c.stream(bad.err).data.toString()).toMatch(/^error forwarding port 9999 to pod [0-9a-f]{64}, uid : /);
    // raw echo, half-close from the client ends the pod side too
    const e = await portForwardOver(c, '3', '7777', 'ping-pong');
    c.data(e.data, '', true);
    await c.waitFor(() => c.stream(e.data).fin);
    expect(c.stream(e.data).data.toString()).toBe('ping-pong');
    c.goaway();
    await new Promise<void>((r) => (c.closed ? r() : c.socket.on('close', () => r())));
  });

  it('port-forward: SPDY tunnelled in websocket (kubectl 1.31+)', async () => {
    const ws = await wsConnect(t.port, ca(), tok(), `${base}/kubia/portforward`, ['SPDY/3.1+portforward.k8s.io']);
    expect(ws.response).toMatch(/^HTTP\/1\.1 101/);
    expect(ws.response).toMatch(/Sec-WebSocket-Protocol: SPDY\/3\.1\+portforward\.k8s\.io/);
    const c = new SpdyClient(ws.socket, ws.response, Buffer.alloc(0), (b) => {
      // split each frame over two ws messages: the server must treat them as one byte stream
      const cut = Math.max(1, b.length >> 1);
      ws.sendBinary(b.subarray(0, cut));
      if (b.length > cut) ws.sendBinary(b.subarray(cut));
    });
    ws.onBinary = (d) => c.onBytes(Buffer.from(d));
    for (const m of ws.messages) if (m.opcode === 2) c.onBytes(m.data);
    const a = await portForwardOver(c, '0', '8080', 'GET /tunnelled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await c.waitFor(() => c.stream(a.data).fin);
    expect(c.stream(a.data).data.toString()).toMatch(/hello from \/tunnelled\n$/);
    ws.socket.destroy();
  });
});

// ---------------------------------------------------------------------------------------------------
describe('robustness', () => {
  it('an unmasked client frame closes with 1002', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=sleep&stdout=true`, ['v5.channel.k8s.io']);
    c.socket.write(Buffer.from([0x82, 0x02, 0x00, 0x41]));
    await c.waitFor((m) => m.some((x) => x.opcode === 8));
    expect(c.messages.find((m) => m.opcode === 8)!.data.readUInt16BE(0)).toBe(1002);
    await c.waitClosed();
  });

  it('fragmented messages and pings are handled', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=cat&stdin=true&stdout=true`, ['v5.channel.k8s.io']);
    c.send(9, Buffer.from('hb'));
    c.send(2, Buffer.from([0, 0x61]), false);
    c.send(9, Buffer.from('mid')); // control frames may interleave
    c.send(0, Buffer.from('bc'), true);
    c.sendBinary(Buffer.from([255, 0]));
    await c.waitFor((m) => m.some((x) => x.opcode === 8));
    expect(c.messages.filter((m) => m.opcode === 10).map((m) => m.data.toString())).toEqual(['hb', 'mid']);
    expect(c.messages.filter((m) => m.opcode === 2 && m.data[0] === 1).map((m) => m.data.subarray(1).toString()).join('')).toBe('abc');
    c.socket.destroy();
  });

  it('a client that vanishes mid-exec aborts the runtime call', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=sleep&stdout=true`, ['v5.channel.k8s.io']);
    await new Promise((r) => setTimeout(r, 30));
    c.socket.destroy();
    await new Promise((r) => setTimeout(r, 30));
    const r = await get(`${base}/kubia/log`);
    expect(r.code).toBe(200);
  });

  it('garbage after the handshake, unknown channels and a bad Sec-WebSocket-Key do not crash anything', async () => {
    const c = await wsConnect(t.port, t.credentials.caCert, t.credentials.token, `${base}/kubia/exec?command=env&stdout=true`, ['v5.channel.k8s.io']);
    c.sendBinary(Buffer.from([42, 1, 2, 3]));
    c.sendBinary(Buffer.alloc(0));
    await c.waitFor((m) => m.some((x) => x.opcode === 8));
    c.socket.destroy();
    const bad = await new Promise<string>((resolve, reject) => {
      const req = request(`${t.url}${base}/kubia/exec?command=env&stdout=true`, {
        ca: t.credentials.caCert,
        headers: { Authorization: `Bearer ${t.credentials.token}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'short' },
      });
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(bad).toBe('400');
  });
});
