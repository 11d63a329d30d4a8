/** The programs images run, keyed by executable name. */
import type { SimResponse } from '../listeners.js';
import { kubia, kubiaVariants } from './kubia.js';
import { Killed, type Program, type SimProcess } from './process.js';
import { BUILTIN_COMMANDS, runArgv, type ShellEnv } from './shell.js';
import { runNetTool } from './net.js';
import { httpbinProgram } from './httpbin.js';

export { kubia, kubiaVariants } from './kubia.js';
export * from './process.js';
export * from './shell.js';
export * from './net.js';
export { procTable, formatPs, ProcTable, type ProcEntry } from './procs.js';
export { httpbinProgram, httpbinRespond } from './httpbin.js';

/** the commands the shell model knows (busybox / coreutils images) */
export const SHELL_COMMANDS = new Set([
  'sh', 'bash', 'ash', 'sleep', 'echo', 'printf', 'exit', 'true', 'false', 'date', 'hostname', 'env', 'printenv',
  'cat', 'touch', 'rm', 'mkdir', 'ls', 'test', '[', 'wget', 'nslookup', 'ping',
  ...[...BUILTIN_COMMANDS].filter((c) => !['cd', 'export', 'unset', ':', 'read'].includes(c)),
]);

export function shellEnvOf(proc: SimProcess, out?: { stdout(t: string): void; stderr(t: string): void }): ShellEnv {
  return {
    fs: proc.host.fs,
    env: proc.host.env,
    hostname: proc.host.hostname,
    now: () => proc.clock.now(),
    sleep: (ms) => proc.sleep(ms),
    stdout: out?.stdout ?? ((t) => proc.out(t)),
    stderr: out?.stderr ?? ((t) => proc.err(t)),
    net: proc.host.net,
  };
}

/** run argv with the shell model as the container's main process */
export const shellProgram: Program = (proc, argv) => {
  runArgv({ ...shellEnvOf(proc), main: true }, argv).then(
    (code) => proc.exit(code),
    (err) => {
      if (!(err instanceof Killed)) {
        proc.err(`${String((err as Error)?.message ?? err)}\n`);
        proc.exit(2);
      }
    },
  );
};

/** a long-running service that stops cleanly on SIGTERM (system pods, adopted unknown images) */
export const daemonProgram: Program = (proc) => {
  proc.sigterm = () => proc.after(100, () => proc.exit(0));
};

function nginxDate(ms: number): string {
  const d = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** nginx: serves the welcome page on 80, access log on stdout, quits on SIGTERM */
export const nginxProgram: Program = (proc) => {
  const ts = () => new Date(proc.clock.now()).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/');
  proc.log('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
  proc.log('/docker-entrypoint.sh: Configuration complete; ready for start up');
  proc.err(`${ts()} [notice] 1#1: using the "epoll" event method\n`);
  proc.err(`${ts()} [notice] 1#1: start worker processes\n`);
  proc.listen(80, (req) => {
    const res: SimResponse = req.path === '/' || req.path === '/index.html'
      ? { status: 200, body: NGINX_INDEX, headers: { 'content-type': 'text/html' } }
      : { status: 404, body: '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' };
    proc.log(`${req.remoteAddress} - - [${nginxDate(proc.clock.now())}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${res.body.length} "-" "${req.headers['user-agent'] ?? '-'}" "-"`);
    return res;
  });
  proc.sigterm = () => {
    proc.err(`${ts()} [notice] 1#1: signal 15 (SIGTERM) received, exiting\n`);
    proc.after(100, () => proc.exit(0));
  };
};

/** curl's image runs `curl` with no URL by default; with one it fetches it into the log */
export const curlProgram: Program = (proc, argv) => {
  const args = argv.slice(1);
  const url = args.find((a) => !a.startsWith('-'));
  if (!url) {
    proc.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
    proc.exit(2);
    return;
  }
  const net = proc.host.net;
  if (!net) {
    const host = url.replace(/^\w+:\/\//, '').split(/[/:]/)[0];
    proc.err(`curl: (6) Could not resolve host: ${host}\n`);
    proc.exit(6);
    return;
  }
  const env = shellEnvOf(proc);
  const run = runNetTool({ net: { ...net, flavor: 'curlimage' }, now: env.now, sleep: env.sleep, stdout: env.stdout, stderr: env.stderr, fs: env.fs }, 'curl', args)!;
  run.then((code) => proc.exit(code), (err) => {
    if (!(err instanceof Killed)) {
      proc.err(`${String((err as Error)?.message ?? err)}\n`);
      proc.exit(2);
    }
  });
};

export const programs = {
  kubia: kubia(kubiaVariants.kubia),
  'kubia-ximage': kubia(kubiaVariants.ximage),
  'kubia-unhealthy': kubia(kubiaVariants.unhealthy),
  'kubia-v1': kubia(kubiaVariants.v1),
  'kubia-v2': kubia(kubiaVariants.v2),
  'kubia-v3': kubia(kubiaVariants.v3),
  'kubia-v4': kubia(kubiaVariants.v4),
  nginx: nginxProgram,
  curl: curlProgram,
  httpbin: httpbinProgram,
  daemon: daemonProgram,
  shell: shellProgram,
} satisfies Record<string, Program>;

export type ProgramName = keyof typeof programs;
