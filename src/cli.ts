/**
 * `kube-tutor` command line: `serve` runs the embedded sandbox cluster; `sandbox warp` moves a
 * running sandbox's clock. (The tutor REPL becomes the default command once it lands.)
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse as parseYaml } from 'yaml';
import { defaultKubeconfigPath, defaultStateDir } from './paths.js';
import { parseDuration } from './sandbox/clock.js';
import { DOWN_ANNOTATION } from './sandbox/kubelet/annotations.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const HELP = `kube-tutor — learn kubectl against a real API, in your terminal.

Usage:
  kube-tutor serve [flags]          run the embedded sandbox cluster
  kube-tutor sandbox warp DURATION  move a running sandbox's clock forward (e.g. 15m)
  kube-tutor sandbox time           print a running sandbox's simulated time
  kube-tutor sandbox node down|up NAME
                                    stop / resume a node's kubelet (its pods go Unknown, then move)
  kube-tutor kubectl ARGS...        run one command with kube-tutor's own kubectl and exit with its code
                                    (uses --kubeconfig / $KUBECONFIG / ~/.kube/config, like kubectl)
  kube-tutor --help | --version

serve flags:
  --port N            port on 127.0.0.1 (default 0: a random free port)
  --kubeconfig PATH   where to write the kubeconfig (default ${defaultKubeconfigPath()})
  --state DIR         where the cluster's state lives (default ${defaultStateDir()})
  --ephemeral         keep nothing on disk: a fresh cluster each time
  --reset             delete the state dir's cluster first
  --nodes N           worker nodes of a fresh cluster (default 3)
  --speed X           simulated time runs X times faster than wall time (default 1)

sandbox flags:
  --kubeconfig PATH   the sandbox's kubeconfig (default: $KUBECONFIG, then ${defaultKubeconfigPath()})
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
    process.stdout.write(`kube-tutor ${VERSION}\n`);
    return 0;
  }
  if (cmd === 'serve') return serve(rest);
  if (cmd === 'sandbox') return sandboxCommand(rest);
  if (cmd === 'kubectl') return kubectlCommand(rest);
  process.stderr.write(`error: unknown command "${cmd}" for "kube-tutor"\nRun 'kube-tutor --help' for usage.\n`);
  return 1;
}

/** one command of our kubectl, streamed to this process's stdout/stderr; Ctrl-C stops streaming commands */
async function kubectlCommand(args: string[]): Promise<number> {
  const { Session, start, processStdin } = await import('./kubectl/index.js');
  const session = new Session({ confirm: undefined, confirmDestructive: false, hints: false });
  const exec = start(args, session, {
    stdin: processStdin(),
    onOutput: (stream, text) => (stream === 'stdout' ? process.stdout : process.stderr).write(text),
  });
  const stop = () => exec.cancel();
  process.on('SIGINT', stop);
  const result = await exec.done;
  process.off('SIGINT', stop);
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  return result.exitCode;
}

function flagError(err: unknown): number {
  process.stderr.write(`error: ${(err as Error).message}\nRun 'kube-tutor --help' for usage.\n`);
  return 1;
}

async function serve(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' }, kubeconfig: { type: 'string' }, state: { type: 'string' },
        ephemeral: { type: 'boolean' }, reset: { type: 'boolean' }, nodes: { type: 'string' }, speed: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return flagError(err);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return flagError(new Error(`invalid --port "${values.port}"`));
  const nodes = values.nodes === undefined ? 3 : Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 100) return flagError(new Error(`invalid --nodes "${values.nodes}" (1–100)`));
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) return flagError(new Error(`invalid --speed "${values.speed}"`));
  if (values.ephemeral && values.state) return flagError(new Error('--state and --ephemeral cannot be used together'));
  const stateDir = values.ephemeral ? undefined : ((values.state as string | undefined) ?? defaultStateDir());
  const kubeconfigPath = (values.kubeconfig as string | undefined) ?? defaultKubeconfigPath();

  const { startSandbox, resetState } = await import('./sandbox/sandbox.js');
  const { writeKubeconfig } = await import('./kubeconfig-file.js');
  let sandbox;
  try {
    if (values.reset && stateDir) resetState(stateDir);
    sandbox = await startSandbox({ port, stateDir, nodes, speed });
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
  writeKubeconfig(kubeconfigPath, sandbox.kubeconfig());
  process.stdout.write(`kube-tutor sandbox ready at ${sandbox.url} (kubeconfig: ${kubeconfigPath})\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}

interface KubeconfigTarget {
  server: string;
  ca?: string;
  token?: string;
}

/** find the current context's server, CA and token in a kubeconfig (the first file of KUBECONFIG) */
function readKubeconfig(path: string): KubeconfigTarget {
  const doc = parseYaml(readFileSync(path, 'utf8')) as {
    'current-context'?: string;
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
    users?: { name: string; user: { token?: string } }[];
  };
  const ctx = doc.contexts?.find((c) => c.name === doc['current-context']);
  const cluster = doc.clusters?.find((c) => c.name === ctx?.context.cluster);
  const user = doc.users?.find((u) => u.name === ctx?.context.user);
  if (!cluster) throw new Error(`no current cluster in ${path}`);
  const caData = cluster.cluster['certificate-authority-data'];
  return { server: cluster.cluster.server, ca: caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined, token: user?.user.token };
}

function callSandbox(t: KubeconfigTarget, method: string, path: string, body?: { type: string; data: unknown }): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body ? Buffer.from(JSON.stringify(body.data)) : undefined;
    const req = request(new URL(path, t.server), {
      method, ca: t.ca,
      headers: {
        ...(t.token ? { Authorization: `Bearer ${t.token}` } : {}),
        ...(payload ? { 'Content-Type': body!.type, 'Content-Length': payload.length } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}



async function sandboxCommand(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options: { kubeconfig: { type: 'string' } }, allowPositionals: true, strict: true }));
  } catch (err) {
    return flagError(err);
  }
  const [sub, arg] = positionals;
  const path = (values.kubeconfig as string | undefined) ?? process.env.KUBECONFIG?.split(':')[0] ?? defaultKubeconfigPath();
  let target: KubeconfigTarget;
  try {
    target = readKubeconfig(path);
  } catch (err) {
    process.stderr.write(`error: cannot read kubeconfig ${path}: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    if (sub === 'warp') {
      if (!arg) return flagError(new Error('warp needs a duration, e.g. kube-tutor sandbox warp 15m'));
      parseDuration(arg);
      const r = await callSandbox(target, 'POST', `/sandbox/v1/time?warp=${encodeURIComponent(arg)}`);
      if (r.code !== 200) throw new Error(r.code === 404 ? `${target.server} is not a kube-tutor sandbox` : JSON.parse(r.body).message ?? r.body);
      process.stdout.write(`sandbox clock moved forward ${arg}: now ${JSON.parse(r.body).now}\n`);
      return 0;
    }
    if (sub === 'time') {
      const r = await callSandbox(target, 'GET', '/sandbox/v1/time');
      if (r.code !== 200) throw new Error(r.code === 404 ? `${target.server} is not a kube-tutor sandbox` : r.body);
      process.stdout.write(`${JSON.parse(r.body).now}\n`);
      return 0;
    }
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
  if (sub === 'node') {
    const [, action, node] = positionals;
    if ((action !== 'down' && action !== 'up') || !node) return flagError(new Error('usage: kube-tutor sandbox node down|up NAME'));
    try {
      // through the API, like any client: the kubelet watches its node and honours the annotation
      const patch = { metadata: { annotations: { [DOWN_ANNOTATION]: action === 'down' ? 'true' : null } } };
      const r = await callSandbox(target, 'PATCH', `/api/v1/nodes/${encodeURIComponent(node)}?fieldManager=kube-tutor`, { type: 'application/merge-patch+json', data: patch });
      if (r.code !== 200) throw new Error(JSON.parse(r.body).message ?? r.body);
      process.stdout.write(action === 'down'
        ? `node/${node} is down: its kubelet stops reporting; in about 50s it goes NotReady\n`
        : `node/${node} is up again\n`);
      return 0;
    } catch (err) {
      process.stderr.write(`error: ${(err as Error).message}\n`);
      return 1;
    }
  }
  return flagError(new Error(`unknown sandbox command "${sub ?? ''}" (use warp, time or node)`));
}
