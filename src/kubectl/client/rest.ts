/**
 * The REST transport of our kubectl: raw HTTP(S) requests to the API server with the kubeconfig's
 * credentials (applied by our Kubeconfig; exec plugins and auth providers through client-node), one
 * keep-alive agent per cluster, server-side Table negotiation, and streams for watch and logs.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { Kubeconfig } from './kubeconfig-model.js';
import { ConnectionError, ServerError, type Status } from './errors.js';
import { reportWarnings } from './warnings.js';

export const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestInit {
  method?: string;
  query?: Query;
  /** a JS value (sent as JSON), a string or bytes */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** extra headers */
  headers?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json<T = any>(): T;
}

export const USER_AGENT = 'kube-tutor-kubectl/v1.33.0 (linux/amd64) kubernetes/kube-tutor';

export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '' || v === false) continue;
    const values = Array.isArray(v) ? v : [String(v)];
    for (const one of values) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(one)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** requests that may be sent again when their connection failed before an answer (Go's transport: isReplayable) */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

export class RestClient {
  readonly server: string;
  private readonly url: URL;
  private agent: HttpAgent | HttpsAgent | undefined;
  private tls: Pick<RequestOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'> | undefined;

  constructor(readonly kc: Kubeconfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('no current cluster in the kubeconfig');
    this.server = cluster.server.replace(/\/+$/, '');
    this.url = new URL(this.server);
  }

  /** host:port, for kubectl's connection messages */
  get host(): string {
    return this.url.host;
  }

  private async options(init: RequestInit): Promise<RequestOptions> {
    const opts: RequestOptions & { headers: Record<string, string> } = { headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    if (!this.tls) {
      this.tls = { ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized };
      const agentOpts = { keepAlive: true, maxSockets: 16, ...this.tls };
      this.agent = this.url.protocol === 'https:' ? new HttpsAgent(agentOpts) : new HttpAgent({ keepAlive: true, maxSockets: 16 });
    }
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: init.accept ?? 'application/json' };
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    Object.assign(headers, init.headers ?? {});
    return { method: init.method ?? 'GET', headers, agent: this.agent, auth: opts.auth, ...this.tls, signal: init.signal };
  }

  private encodeBody(init: RequestInit): { bytes?: Buffer; type?: string } {
    if (init.body === undefined) return {};
    if (Buffer.isBuffer(init.body)) return { bytes: init.body, type: init.contentType ?? 'application/json' };
    if (typeof init.body === 'string') return { bytes: Buffer.from(init.body), type: init.contentType ?? 'application/json' };
    return { bytes: Buffer.from(JSON.stringify(init.body)), type: init.contentType ?? 'application/json' };
  }

  /** Start a request; resolves with the response stream (any status). */
  async open(path: string, init: RequestInit = {}): Promise<IncomingMessage> {
    const opts = await this.options(init);
    const { bytes, type } = this.encodeBody(init);
    if (bytes) {
      (opts.headers as Record<string, string>)['Content-Type'] = type!;
      (opts.headers as Record<string, string>)['Content-Length'] = String(bytes.length);
    }
    const target = `${this.server}${path}${encodeQuery(init.query)}`;
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const attempt = (retry: boolean): Promise<IncomingMessage> =>
      new Promise((resolve, reject) => {
        const req = send(target, opts, (res) => {
          reportWarnings(res.headers.warning);
          resolve(res);
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (err.name === 'AbortError') return reject(err);
          // a kept-alive connection the server closed as it was reused: like Go's transport, send an
          // idempotent request again on a fresh connection
          if (retry && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE') && IDEMPOTENT.has(opts.method ?? 'GET')) {
            resolve(attempt(false));
            return;
          }
          reject(new ConnectionError(connectionMessage(err, target, opts.method), this.url.host, err.code));
        });
        if (bytes) req.write(bytes);
        req.end();
      });
    return attempt(true);
  }

  /** A whole request and its body (any status). */
  async raw(path: string, init: RequestInit = {}): Promise<RawResponse> {
    const res = await this.open(path, init);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    return {
      status: res.statusCode ?? 0,
      headers: res.headers,
      body,
      text: () => body.toString('utf8'),
      json: () => JSON.parse(body.toString('utf8')),
    };
  }

  /** A request whose non-2xx answer throws a ServerError (with the server's Status). */
  async json<T = any>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.raw(path, init);
    if (res.status >= 200 && res.status < 300) return res.body.length ? res.json<T>() : (undefined as T);
    throw toServerError(res);
  }
}

/** client-go's url.Error wording: `Get "https://…": <cause>` (the method as Go's net/http spells it) */
function connectionMessage(err: NodeJS.ErrnoException, target: string, method = 'GET'): string {
  const u = new URL(target);
  const verbPath = `${u.origin}${u.pathname}${u.search}`;
  if (err.code === 'ECONNREFUSED') return `dial tcp ${u.host}: connect: connection refused`;
  if (err.code === 'ENOTFOUND') return `dial tcp: lookup ${u.hostname}: no such host`;
  if (err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || err.code === 'SELF_SIGNED_CERT_IN_CHAIN' || err.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    return `tls: failed to verify certificate: x509: certificate signed by unknown authority`;
  return `${method[0]}${method.slice(1).toLowerCase()} "${verbPath}": ${err.message}`;
}

/** Turn a non-2xx response into a ServerError, synthesising a Status like client-go when the body is not one. */
export function toServerError(res: RawResponse): ServerError {
  let status: Status | undefined;
  try {
    const parsed = res.json<Status>();
    if (parsed && parsed.kind === 'Status') status = parsed;
  } catch {
    status = undefined;
  }
  if (!status) {
    const text = res.text().trim();
    status = {
      kind: 'Status',
      status: 'Failure',
      code: res.status,
      reason: reasonForCode(res.status),
      message: messageForCode(res.status, text),
    };
  }
  return new ServerError(status, res.status);
}

function reasonForCode(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 406: return 'NotAcceptable';
    case 409: return 'Conflict';
    case 410: return 'Gone';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 500: return 'InternalError';
    case 503: return 'ServiceUnavailable';
    case 504: return 'Timeout';
    default: return '';
  }
}

/** client-go's messages for bodies that are not a Status (the "the server could not find…" family) */
function messageForCode(code: number, body: string): string {
  switch (code) {
    case 401: return 'the server has asked for the client to provide credentials';
    case 403: return body || 'forbidden';
    case 404: return 'the server could not find the requested resource';
    case 405: return 'the server does not allow this method on the requested resource';
    case 409: return 'the server reported a conflict';
    case 500: return body ? `an error on the server ("${body}") has prevented the request from succeeding` : 'an error on the server has prevented the request from succeeding';
    case 503: return 'the server is currently unable to handle the request';
    default: return body || `the server responded with the status code ${code} but did not return more information`;
  }
}
