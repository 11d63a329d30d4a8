/**
 * The network tools of container images: `curl`, `wget`, `nslookup`, `ping`, `getent hosts`.
 * They talk to the sandbox's virtual network through a `ContainerNet` (src/sandbox/network/),
 * never to the host. Which tools an image has, and the wording of their messages, follow the
 * image's base: Debian jessie (luksa/kubia, node:7: curl 7.38, GNU wget, inetutils ping),
 * Debian bookworm (nginx: curl 7.88), busybox (busybox, luksa/batch-job), Alpine, curlimages/curl
 * (curl 8 on Alpine). Time passes on the sandbox clock (timeouts, ping intervals).
 */

/** a base image family: decides which tools exist and how they word things */
export type NetFlavor = 'jessie' | 'bookworm' | 'busybox' | 'alpine' | 'curlimage';

export interface HttpReply {
  status: number;
  statusText: string;
  /** response headers in wire order and case */
  headers: [string, string][];
  body: string;
  /** the address connected to */
  ip: string;
  port: number;
  /** the program took this long to answer (ms of sandbox time; Infinity: it never does) */
  delayMs?: number;
}

/** how long "forever" is for a client without a timeout (the sleep still ends with ^C or a kill) */
const FOREVER_MS = Number.MAX_SAFE_INTEGER / 4;

export type NetErrorCode = 'ENOTFOUND' | 'ECONNREFUSED' | 'ETIMEDOUT' | 'ECONNRESET' | 'EPROTO';

/** a failed connection, like Node's errno errors */
export class NetError extends Error {
  constructor(readonly code: NetErrorCode, readonly host: string, readonly ip?: string, readonly port?: number) {
    super(`${code} ${host}${ip ? ` ${ip}:${port}` : ''}`);
  }
}

export interface DnsAnswer {
  /** the fully qualified name that answered (`kubia.default.svc.cluster.local`) */
  name: string;
  /** ExternalName services answer with a CNAME */
  cname?: string;
  addresses: string[];
  /** answered by /etc/hosts rather than the cluster DNS */
  fromHosts?: boolean;
}

export interface NetRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
  /** `--resolve host:port:addr` overrides */
  resolve?: Record<string, string>;
}

/** what a container sees of the network */
export interface ContainerNet {
  ip: string;
  namespace: string;
  flavor: NetFlavor;
  /** the first nameserver of /etc/resolv.conf */
  nameserver: string;
  /** resolve like the C library: /etc/hosts, then DNS with the search path (undefined: NXDOMAIN) */
  lookup(name: string): DnsAnswer | undefined;
  /** one HTTP exchange; throws NetError */
  request(req: NetRequest): Promise<HttpReply>;
  /** does `ip` answer ICMP echo? */
  ping(ip: string): boolean;
}

/** the network tools each image family ships */
export const NET_TOOLS: Record<NetFlavor, string[]> = {
  jessie: ['curl', 'wget', 'ping', 'getent'],
  bookworm: ['curl', 'getent'],
  busybox: ['wget', 'nslookup', 'ping'],
  alpine: ['wget', 'nslookup', 'ping', 'getent'],
  curlimage: ['curl', 'wget', 'nslookup', 'ping'],
};

/** the image family of a canonical repository (`docker.io/luksa/kubia`) */
export function flavorOf(repo: string): NetFlavor {
  if (/\/(luksa|ximage)\/kubia/.test(repo)) return 'jessie';
  if (repo.endsWith('/nginx')) return 'bookworm';
  if (repo.endsWith('/alpine')) return 'alpine';
  if (repo.endsWith('curlimages/curl')) return 'curlimage';
  return 'busybox';
}

export interface ToolIO {
  net: ContainerNet;
  now(): number;
  sleep(ms: number): Promise<void>;
  stdout(t: string): void;
  stderr(t: string): void;
  /** the container's files (curl -o, wget -O) */
  fs: Map<string, string>;
  /** stdout is a terminal (curl shows no progress meter then) */
  tty?: boolean;
  /** aborted on ^C / end of the exec session */
  signal?: AbortSignal;
}

/** run a network tool; undefined when this image does not have it */
export function runNetTool(io: ToolIO, cmd: string, args: string[]): Promise<number> | undefined {
  if (!NET_TOOLS[io.net.flavor].includes(cmd)) return undefined;
  switch (cmd) {
    case 'curl': return curl(io, args);
    case 'wget': return wget(io, args);
    case 'nslookup': return nslookup(io, args);
    case 'ping': return ping(io, args);
    case 'getent': return getent(io, args);
  }
  return undefined;
}

// ---------------------------------------------------------------- helpers

/** how long an unanswered TCP connect takes to fail (Linux SYN retries) */
export const CONNECT_TIMEOUT_MS = 130_000;

const isIPv4 = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s);

interface ParsedUrl {
  scheme: string;
  host: string;
  port: number;
  path: string;
  /** as curl shows it: `http://kubia/` */
  href: string;
}

function parseUrl(raw: string): ParsedUrl | undefined {
  let u = raw;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) u = `http://${u}`;
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]*)(?::(\d*))?([^#]*)/i.exec(u);
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  const host = m[2];
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  let path = m[4] || '/';
  if (path.startsWith('?')) path = `/${path}`;
  return { scheme, host, port, path, href: `${scheme}://${host}${m[3] ? `:${m[3]}` : ''}${path}` };
}

async function waitTimeout(io: ToolIO, limitMs: number | undefined): Promise<number> {
  const ms = Math.min(limitMs ?? CONNECT_TIMEOUT_MS, CONNECT_TIMEOUT_MS);
  await io.sleep(ms);
  return ms;
}

// ---------------------------------------------------------------- curl

const CURL_VERSION: Record<NetFlavor, string> = {
  jessie: '7.38.0', bookworm: '7.88.1', curlimage: '8.11.1', busybox: '8.11.1', alpine: '8.11.1',
};

interface CurlOpts {
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  fail: boolean;
  method?: string;
  headers: [string, string][];
  data?: string;
  output?: string;
  writeOut?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  userAgent?: string;
  resolve: Record<string, string>;
  urls: string[];
}

const CURL_VALUE_SHORT = new Set(['H', 'X', 'd', 'o', 'w', 'm', 'A', 'u', 'e']);
const CURL_VALUE_LONG = new Set(['--header', '--request', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--output', '--write-out', '--max-time', '--connect-timeout', '--user-agent', '--resolve', '--user', '--referer', '--retry', '--cacert', '--cert', '--key']);

function parseCurl(args: string[]): CurlOpts | string {
  const o: CurlOpts = { silent: false, showError: false, verbose: false, include: false, head: false, fail: false, headers: [], resolve: {}, urls: [] };
  const set = (flag: string, v: string) => {
    switch (flag) {
      case 'H': case '--header': {
        const i = v.indexOf(':');
        if (i > 0) o.headers.push([v.slice(0, i).trim(), v.slice(i + 1).trim()]);
        break;
      }
      case 'X': case '--request': o.method = v; break;
      case 'd': case '--data': case '--data-raw': case '--data-binary': case '--data-urlencode':
        o.data = o.data === undefined ? v : `${o.data}&${v}`;
        break;
      case 'o': case '--output': o.output = v; break;
      case 'w': case '--write-out': o.writeOut = v; break;
      case 'm': case '--max-time': o.maxTimeMs = Number(v) * 1000; break;
      case '--connect-timeout': o.connectTimeoutMs = Number(v) * 1000; break;
      case 'A': case '--user-agent': o.userAgent = v; break;
      case '--resolve': {
        const [h, p, a] = v.split(':');
        if (h && p && a) o.resolve[`${h}:${p}`] = a;
        break;
      }
    }
  };
  const bool = (flag: string): boolean => {
    switch (flag) {
      case 's': case '--silent': o.silent = true; return true;
      case 'S': case '--show-error': o.showError = true; return true;
      case 'v': case '--verbose': o.verbose = true; return true;
      case 'i': case '--include': o.include = true; return true;
      case 'I': case '--head': o.head = true; return true;
      case 'f': case '--fail': o.fail = true; return true;
      case 'k': case '--insecure': case 'L': case '--location': case '-4': case '--ipv4': case '4': case 'N': case '--no-buffer': case '--compressed': case '--http1.1':
        return true;
    }
    return false;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (CURL_VALUE_LONG.has(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return `option ${name}: requires parameter`;
        set(name, v);
      } else if (name === '--url') o.urls.push(args[++i] ?? '');
      else if (!bool(name)) return `option ${a}: is unknown`;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        if (CURL_VALUE_SHORT.has(c)) {
          const rest = a.slice(k + 1);
          const v = rest || args[++i];
          if (v === undefined) return `option -${c}: requires parameter`;
          set(c, v);
          break;
        }
        if (!bool(c)) return `option -${c}: is unknown`;
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function progressLine(total: number, done: boolean): string {
  const n = (v: number) => String(v).padStart(5);
  const pct = done ? '100' : '  0';
  const speed = done ? Math.max(total * 50, total) : 0;
  return `${pct} ${n(total)}  ${done ? '100' : '  0'} ${n(total)}    0     0 ${n(speed).padStart(6)}      0 --:--:-- --:--:-- --:--:-- ${n(speed)}`;
}

const PROGRESS_HEAD = '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n'
  + '                                 Dload  Upload   Total   Spent    Left  Speed\n';

async function curl(io: ToolIO, args: string[]): Promise<number> {
  const flavor = io.net.flavor;
  const modern = flavor !== 'jessie';
  const parsed = parseCurl(args);
  if (typeof parsed === 'string') {
    io.stderr(`curl: ${parsed}\ncurl: try 'curl --help' ${modern ? 'or \'curl --manual\' ' : 'or \'curl --manual\' '}for more information\n`);
    return 2;
  }
  const o = parsed;
  if (!o.urls.length) {
    io.stderr(modern ? "curl: try 'curl --help' or 'curl --manual' for more information\n" : "curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const meter = !o.silent && !io.tty;
  let code = 0;
  for (const raw of o.urls) {
    code = await curlOne(io, o, raw, meter);
  }
  return code;
}

async function curlOne(io: ToolIO, o: CurlOpts, raw: string, meter: boolean): Promise<number> {
  const flavor = io.net.flavor;
  const modern = flavor !== 'jessie';
  const started = io.now();
  const showErr = !o.silent || o.showError;
  const verbose = (t: string) => { if (o.verbose) io.stderr(t); };
  let meterOpen = false;
  const fail = (code: number, msg: string): number => {
    if (meterOpen) {
      io.stderr(progressLine(0, false));
      meterOpen = false;
    }
    if (showErr) io.stderr(`curl: (${code}) ${msg}\n`);
    return code;
  };
  const url = parseUrl(raw);
  if (!url || !['http', 'https'].includes(url.scheme)) {
    return fail(url ? 1 : 3, url ? `Protocol "${url.scheme}" not supported${modern ? '' : ' or disabled in libcurl'}` : `URL using bad/illegal format or missing URL`);
  }
  if (meter) {
    io.stderr(PROGRESS_HEAD);
    meterOpen = true;
  }
  if (!modern && o.verbose && !/^[a-z]+:\/\//i.test(raw)) verbose(`* Rebuilt URL to: ${url.href}\n`);
  // resolve the name
  let ip = url.host;
  const override = o.resolve[`${url.host}:${url.port}`];
  if (override) ip = override;
  else if (!isIPv4(url.host)) {
    if (!modern) verbose('* Hostname was NOT found in DNS cache\n');
    const ans = io.net.lookup(url.host);
    if (!ans || !ans.addresses.length) return fail(6, `Could not resolve host: ${url.host}`);
    ip = ans.addresses[0];
  }
  verbose(modern ? `*   Trying ${ip}:${url.port}...\n` : `*   Trying ${ip}...\n`);
  const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
  const hostHeader = url.port === (url.scheme === 'https' ? 443 : 80) ? url.host : `${url.host}:${url.port}`;
  const reqHeaders: [string, string][] = [['Host', hostHeader], ['User-Agent', o.userAgent ?? `curl/${CURL_VERSION[flavor]}`], ['Accept', '*/*']];
  for (const [k, v] of o.headers) {
    const i = reqHeaders.findIndex(([n]) => n.toLowerCase() === k.toLowerCase());
    if (i >= 0) {
      if (v === '') reqHeaders.splice(i, 1);
      else reqHeaders[i] = [k, v];
    } else if (v !== '') reqHeaders.push([k, v]);
  }
  if (o.data !== undefined) {
    if (!reqHeaders.some(([n]) => n.toLowerCase() === 'content-type')) reqHeaders.push(['Content-Type', 'application/x-www-form-urlencoded']);
    reqHeaders.push(['Content-Length', String(Buffer.byteLength(o.data))]);
  }
  let reply: HttpReply;
  try {
    reply = await io.net.request({
      method, url: `${url.scheme}://${ip}:${url.port}${url.path}`, headers: reqHeaders, body: o.data,
      resolve: { [url.host]: ip },
    });
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    const elapsed = () => io.now() - started;
    switch (err.code) {
      case 'ENOTFOUND':
        return fail(6, `Could not resolve host: ${url.host}`);
      case 'ECONNREFUSED':
        verbose(modern ? `* connect to ${ip} port ${url.port} from ${io.net.ip} port ${40000 + (url.port % 20000)} failed: Connection refused\n` : `* connect to ${ip} port ${url.port} failed: Connection refused\n`);
        verbose(modern ? `* Failed to connect to ${url.host} port ${url.port} after ${elapsed()} ms: Couldn't connect to server\n* closing connection #0\n` : `* Failed to connect to ${url.host} port ${url.port}: Connection refused\n* Closing connection 0\n`);
        return fail(7, modern ? `Failed to connect to ${url.host} port ${url.port} after ${elapsed()} ms: Couldn't connect to server` : `Failed to connect to ${url.host} port ${url.port}: Connection refused`);
      case 'ETIMEDOUT': {
        const limit = [o.connectTimeoutMs, o.maxTimeMs].filter((x): x is number => x !== undefined && x > 0);
        const lim = limit.length ? Math.min(...limit) : undefined;
        const waited = await waitTimeout(io, lim);
        if (lim !== undefined && lim <= waited) {
          return fail(28, modern ? `Failed to connect to ${url.host} port ${url.port} after ${waited} ms: Timeout was reached` : `Connection timed out after ${waited} milliseconds`);
        }
        return fail(modern ? 28 : 7, modern ? `Failed to connect to ${url.host} port ${url.port} after ${waited} ms: Couldn't connect to server` : `Failed to connect to ${url.host} port ${url.port}: Connection timed out`);
      }
      case 'EPROTO':
        verbose(modern ? `* Connected to ${url.host} (${ip}) port ${url.port}\n` : `* Connected to ${url.host} (${ip}) port ${url.port} (#0)\n`);
        return fail(35, modern ? 'error:0A00010B:SSL routines::wrong version number' : 'error:140770FC:SSL routines:SSL23_GET_SERVER_HELLO:unknown protocol');
      case 'ECONNRESET':
      default:
        return fail(56, 'Recv failure: Connection reset by peer');
    }
  }
  verbose(modern ? `* Connected to ${url.host} (${ip}) port ${url.port}\n` : `* Connected to ${url.host} (${ip}) port ${url.port} (#0)\n`);
  if (reply.delayMs && reply.delayMs > 0) {
    // a slow program: wait for it on the sandbox clock, or give up at --max-time
    const left = o.maxTimeMs && o.maxTimeMs > 0 ? Math.max(0, o.maxTimeMs - (io.now() - started)) : undefined;
    if (left !== undefined && reply.delayMs >= left) {
      await io.sleep(left);
      return fail(28, `Operation timed out after ${io.now() - started} milliseconds with 0 bytes received`);
    }
    await io.sleep(Number.isFinite(reply.delayMs) ? reply.delayMs : FOREVER_MS);
  }
  if (url.scheme === 'https') {
    verbose('* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384\n');
  }
  verbose(`> ${method} ${url.path} HTTP/1.1\n`);
  for (const [k, v] of reqHeaders) verbose(`> ${k}: ${v}\n`);
  verbose('> \n');
  const statusLine = `HTTP/1.1 ${reply.status} ${reply.statusText}`;
  verbose(`< ${statusLine}\n`);
  for (const [k, v] of reply.headers) verbose(`< ${k}: ${v}\n`);
  verbose('< \n');
  const headBlock = `${statusLine}\r\n${reply.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  if (o.fail && reply.status >= 400) {
    return fail(22, modern ? `The requested URL returned error: ${reply.status}` : `The requested URL returned error: ${reply.status} ${reply.statusText}`);
  }
  const body = method === 'HEAD' ? '' : reply.body;
  let out = '';
  if (o.include || o.head) out += headBlock;
  out += body;
  if (meterOpen) {
    io.stderr(`${progressLine(Buffer.byteLength(body), true)}\n`);
    meterOpen = false;
  }
  if (o.output && o.output !== '-') {
    if (o.output !== '/dev/null') io.fs.set(o.output, out);
  } else io.stdout(out);
  verbose(modern ? `* Connection #0 to host ${url.host} left intact\n` : `* Connection #0 to host ${url.host} left intact\n`);
  if (o.writeOut !== undefined) io.stdout(writeOut(o.writeOut, reply, url, Buffer.byteLength(body), (io.now() - started) / 1000));
  return 0;
}

function writeOut(fmt: string, r: HttpReply, url: ParsedUrl, size: number, secs: number): string {
  const vars: Record<string, string> = {
    http_code: String(r.status).padStart(3, '0'), response_code: String(r.status), remote_ip: r.ip, remote_port: String(r.port),
    url_effective: url.href, size_download: String(size), time_total: (secs + 0.001234).toFixed(6),
    time_connect: '0.000512', content_type: r.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '',
    http_version: '1.1', scheme: url.scheme.toUpperCase(), method: 'GET',
  };
  return fmt.replace(/%\{(\w+)\}/g, (_m, k: string) => vars[k] ?? '').replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
}

// ---------------------------------------------------------------- wget

async function wget(io: ToolIO, args: string[]): Promise<number> {
  const gnu = io.net.flavor === 'jessie';
  let quiet = false;
  let output: string | undefined;
  let timeoutMs: number | undefined;
  const headers: [string, string][] = [];
  const urls: string[] = [];
  let ua: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--header') {
      const v = args[++i] ?? '';
      const k = v.indexOf(':');
      if (k > 0) headers.push([v.slice(0, k).trim(), v.slice(k + 1).trim()]);
      continue;
    }
    if (a.startsWith('--header=')) {
      const v = a.slice(9);
      const k = v.indexOf(':');
      if (k > 0) headers.push([v.slice(0, k).trim(), v.slice(k + 1).trim()]);
      continue;
    }
    if (a === '--quiet') { quiet = true; continue; }
    if (a.startsWith('--output-document=')) { output = a.slice(18); continue; }
    if (a.startsWith('--timeout=')) { timeoutMs = Number(a.slice(10)) * 1000; continue; }
    if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        if (c === 'q') quiet = true;
        else if (c === 'O' || c === 'T' || c === 'U') {
          const v = a.slice(k + 1) || args[++i] || '';
          if (c === 'O') output = v;
          else if (c === 'T') timeoutMs = Number(v) * 1000;
          else ua = v;
          break;
        }
      }
      continue;
    }
    urls.push(a);
  }
  if (!urls.length) {
    io.stderr(gnu ? "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n" : 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n');
    return gnu ? 1 : 1;
  }
  let code = 0;
  for (const raw of urls) {
    const url = parseUrl(raw);
    if (!url) {
      io.stderr(`wget: bad address '${raw}'\n`);
      code = 1;
      continue;
    }
    const fail = (msg: string, c: number) => {
      if (!gnu || !quiet) io.stderr(`${msg}\n`);
      code = c;
    };
    let ip = url.host;
    if (!isIPv4(url.host)) {
      const ans = io.net.lookup(url.host);
      if (!ans || !ans.addresses.length) {
        fail(gnu ? `wget: unable to resolve host address '${url.host}'` : `wget: bad address '${url.host}'`, gnu ? 4 : 1);
        continue;
      }
      ip = ans.addresses[0];
    }
    if (!quiet) io.stderr(gnu ? `--${new Date(io.now()).toISOString().slice(0, 19).replace('T', ' ')}--  ${url.href}\nConnecting to ${url.host} (${url.host})|${ip}|:${url.port}... ` : `Connecting to ${url.host} (${ip}:${url.port})\n`);
    const hostHeader = url.port === 80 ? url.host : `${url.host}:${url.port}`;
    const reqHeaders: [string, string][] = [['Host', hostHeader], ['User-Agent', ua ?? (gnu ? 'Wget/1.16 (linux-gnu)' : 'Wget')], ...headers];
    let reply: HttpReply;
    try {
      reply = await io.net.request({ method: 'GET', url: `${url.scheme}://${ip}:${url.port}${url.path}`, headers: reqHeaders, resolve: { [url.host]: ip } });
    } catch (err) {
      if (!(err instanceof NetError)) throw err;
      if (err.code === 'ETIMEDOUT') {
        await waitTimeout(io, timeoutMs ?? (gnu ? undefined : 900_000));
        fail(gnu ? 'failed: Connection timed out.' : 'wget: download timed out', gnu ? 4 : 1);
      } else if (err.code === 'ECONNREFUSED') {
        fail(gnu ? 'failed: Connection refused.' : `wget: can't connect to remote host (${ip}): Connection refused`, gnu ? 4 : 1);
      } else fail(gnu ? 'Read error (Connection reset by peer) in headers.' : 'wget: error getting response: Connection reset by peer', gnu ? 4 : 1);
      continue;
    }
    if (reply.delayMs && reply.delayMs > 0) {
      const limit = timeoutMs ?? 900_000;
      if (limit !== undefined && reply.delayMs >= limit) {
        await io.sleep(limit);
        if (!quiet && gnu) io.stderr('connected.\nHTTP request sent, awaiting response... Read error (Connection timed out) in headers.\n');
        fail(gnu ? 'Giving up.' : 'wget: download timed out', gnu ? 4 : 1);
        continue;
      }
      await io.sleep(Number.isFinite(reply.delayMs) ? reply.delayMs : FOREVER_MS);
    }
    if (!quiet && gnu) io.stderr(`connected.\nHTTP request sent, awaiting response... ${reply.status} ${reply.statusText}\n`);
    if (reply.status >= 400) {
      fail(gnu ? `${new Date(io.now()).toISOString().slice(0, 19).replace('T', ' ')} ERROR ${reply.status}: ${reply.statusText}.` : `wget: server returned error: HTTP/1.1 ${reply.status} ${reply.statusText}`, gnu ? 8 : 1);
      continue;
    }
    const file = output ?? (url.path.split('?')[0].split('/').pop() || 'index.html');
    const size = Buffer.byteLength(reply.body);
    if (file === '-') {
      if (!quiet) io.stderr(gnu ? `Length: unspecified [text/plain]\nSaving to: 'STDOUT'\n\n` : 'writing to stdout\n');
      io.stdout(reply.body);
      if (!quiet) io.stderr(gnu ? `\n'-' saved [${size}]\n\n` : `-                    100% |********************************|    ${size}  0:00:00 ETA\nwritten to stdout\n`);
    } else {
      if (!quiet) io.stderr(gnu ? `Length: unspecified [text/plain]\nSaving to: '${file}'\n\n` : `saving to '${file}'\n`);
      io.fs.set(file, reply.body);
      if (!quiet) io.stderr(gnu ? `'${file}' saved [${size}]\n\n` : `${file.padEnd(20)} 100% |********************************|    ${size}  0:00:00 ETA\n'${file}' saved\n`);
    }
  }
  return code;
}

// ---------------------------------------------------------------- nslookup (busybox)

async function nslookup(io: ToolIO, args: string[]): Promise<number> {
  const names = args.filter((a) => !a.startsWith('-'));
  const name = names[0];
  if (!name) {
    io.stderr('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n');
    return 1;
  }
  const server = io.net.nameserver;
  let out = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  if (isIPv4(name)) {
    // reverse lookups: the cluster DNS answers for pod and service IPs
    const ans = io.net.lookup(`${name.split('.').reverse().join('.')}.in-addr.arpa.`);
    if (ans?.cname) {
      out += `${name.split('.').reverse().join('.')}.in-addr.arpa\tname = ${ans.cname}\n\n`;
      io.stdout(out);
      return 0;
    }
    io.stdout(out);
    io.stderr(`** server can't find ${name.split('.').reverse().join('.')}.in-addr.arpa: NXDOMAIN\n\n`);
    return 1;
  }
  const ans = io.net.lookup(name);
  if (!ans || ans.fromHosts && !ans.addresses.length) {
    io.stdout(out);
    io.stdout(`** server can't find ${name.replace(/\.$/, '')}: NXDOMAIN\n\n`);
    return 1;
  }
  if (ans.cname) out += `${ans.name}\tcanonical name = ${ans.cname}\n`;
  for (const a of ans.addresses) out += `Name:\t${ans.cname ?? ans.name}\nAddress: ${a}\n`;
  io.stdout(`${out}\n`);
  return 0;
}

// ---------------------------------------------------------------- ping

async function ping(io: ToolIO, args: string[]): Promise<number> {
  const inet = io.net.flavor === 'jessie';
  let count: number | undefined;
  let waitS: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c') count = Number(args[++i]);
    else if (a.startsWith('-c')) count = Number(a.slice(2));
    else if (a === '-W' || a === '-w') waitS = Number(args[++i]);
    else if (!a.startsWith('-')) rest.push(a);
  }
  const target = rest[0];
  if (!target) {
    io.stderr(inet ? 'ping: missing host operand\nTry \'ping --help\' or \'ping --usage\' for more information.\n' : 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n');
    return inet ? 64 : 1;
  }
  let ip = target;
  let shown = target;
  if (!isIPv4(target)) {
    const ans = io.net.lookup(target);
    if (!ans || !ans.addresses.length) {
      io.stderr(inet ? `ping: unknown host ${target}\n` : `ping: bad address '${target}'\n`);
      return inet ? 1 : 1;
    }
    ip = ans.addresses[0];
    shown = ans.fromHosts ? target : ans.name;
  }
  io.stdout(`PING ${shown} (${ip}): 56 data bytes\n`);
  const answers = io.net.ping(ip);
  const max = count ?? (waitS ? waitS : 600);
  let sent = 0;
  const times: number[] = [];
  for (let seq = 0; seq < max; seq++) {
    if (io.signal?.aborted) break;
    sent++;
    if (answers) {
      const t = 0.05 + ((seq * 37) % 50) / 1000;
      times.push(t);
      io.stdout(`64 bytes from ${ip}: ${inet ? 'icmp_seq' : 'seq'}=${seq} ttl=64 time=${t.toFixed(3)} ms\n`);
    }
    if (seq === max - 1) break;
    try {
      await io.sleep(1000);
    } catch {
      break;
    }
  }
  io.stdout(`${inet ? '' : '\n'}--- ${shown} ping statistics ---\n`);
  const recv = times.length;
  const loss = sent ? Math.round(((sent - recv) / sent) * 100) : 0;
  io.stdout(`${sent} packets transmitted, ${recv} packets received, ${loss}% packet loss\n`);
  if (recv) {
    const min = Math.min(...times);
    const maxT = Math.max(...times);
    const avg = times.reduce((a, b) => a + b, 0) / recv;
    io.stdout(inet
      ? `round-trip min/avg/max/stddev = ${min.toFixed(3)}/${avg.toFixed(3)}/${maxT.toFixed(3)}/0.010 ms\n`
      : `round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${maxT.toFixed(3)} ms\n`);
  }
  return recv ? 0 : 1;
}

// ---------------------------------------------------------------- getent

async function getent(io: ToolIO, args: string[]): Promise<number> {
  const [db, ...keys] = args;
  if (db !== 'hosts' && db !== 'ahosts' && db !== 'ahostsv4') {
    if (!db) {
      io.stderr('Usage: getent [OPTION...] database [key ...]\n');
      return 1;
    }
    io.stderr(`Unknown database: ${db}\nTry \`getent --help' or \`getent --usage' for more information.\n`);
    return 1;
  }
  let code = 0;
  for (const k of keys) {
    const ans = io.net.lookup(k);
    if (!ans || !ans.addresses.length) {
      code = 2;
      continue;
    }
    const name = ans.fromHosts ? k : ans.cname ?? ans.name;
    if (db === 'hosts') io.stdout(`${ans.addresses[0].padEnd(15)} ${name}${ans.fromHosts || name === k ? '' : ''}\n`);
    else for (const a of ans.addresses) io.stdout(`${a.padEnd(15)} STREAM ${name}\n${a.padEnd(15)} DGRAM  \n${a.padEnd(15)} RAW    \n`);
  }
  return code;
}
