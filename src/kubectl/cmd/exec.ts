/**
 * kubectl exec: run a command in a container over the websocket remotecommand protocol (v5),
 * stdout/stderr forwarded, stdin with -i, a terminal with -t (resizes forwarded), and the remote
 * exit code as ours (`command terminated with exit code N`).
 */
import { KubectlError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { defaultContainer, podFor } from '../stream/pods.js';
import { exitCodeOf, runRemoteCommand } from '../stream/remotecommand.js';

export const exec: Command = {
  name: 'exec',
  short: 'Run a command in a container',
  group: 'troubleshoot',
  usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]',
  example: 'kubectl exec kubia -- env\nkubectl exec -it kubia -- sh\nkubectl exec deploy/kubia -c main -- curl -s localhost:8080',
  flags: [
    { name: 'container', short: 'c', type: 'string', usage: 'The container to run the command in (defaults to the only or the default one).' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'A file naming the resource to exec into.' },
    { name: 'pod-running-timeout', type: 'duration', default: '1m0s', usage: 'How long to wait for a running pod.' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Print only what the remote command prints.' },
    { name: 'stdin', short: 'i', type: 'bool', usage: 'Send our standard input to the command.' },
    { name: 'tty', short: 't', type: 'bool', usage: 'Give the command a terminal.' },
  ],
  validate(inv) {
    if (!inv.args.length && !inv.list('filename').length) throw new KubectlError('pod, type/name or --filename must be specified');
    if (inv.args.length > 1)
      throw new KubectlError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
    if (!inv.dashArgs.length) throw new KubectlError('you must specify at least one command for the container');
  },
  async run(inv) {
    return remoteSession(inv, 'exec');
  },
};

/** exec and attach share everything but the endpoint and a few messages */
export async function remoteSession(inv: Invocation, kind: 'exec' | 'attach'): Promise<number> {
  const client = await inv.client();
  const ns = client.namespace;
  const arg = kind === 'attach' && inv.args.length === 2 ? `${inv.args[0]}/${inv.args[1]}` : inv.args[0]!;
  const target = await podFor(client, ns, arg, { ordering: 'active', verb: 'attach to', signal: inv.signal, timeoutMs: 60_000 });
  const pod = target.pod;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw new KubectlError(
      kind === 'exec'
        ? `cannot exec into a container in a completed pod; current phase is ${phase}`
        : `cannot attach a container in a completed pod; current phase is ${phase}`,
    );
  let container = inv.str('container');
  const quiet = inv.bool('quiet');
  if (!container) {
    const choice = defaultContainer(pod);
    container = choice.name;
    if (choice.note && !quiet) inv.err.write(choice.note + '\n');
  }
  const wantStdin = inv.bool('stdin');
  let tty = inv.bool('tty') && wantStdin;
  if (tty && !inv.stdin?.isTTY) {
    if (!quiet) inv.err.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    tty = false;
  }
  if (kind === 'attach') {
    const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].find((c: any) => c.name === container);
    if (!spec) throw new KubectlError(`container not found (${container})`);
    if (tty && !spec.tty) {
      tty = false;
      if (!quiet) inv.err.write(`error: Unable to use a TTY - container ${container} did not allocate one\n`);
    } else if (!tty && spec.tty) tty = true;
    if (!quiet) inv.err.write("If you don't see a command prompt, try pressing enter.\n");
  }
  inv.effect({ type: 'stream', kind });
  const base = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod.metadata.name)}/${kind}`;
  const status = await runRemoteCommand(client.config.kc, {
    path: base,
    command: kind === 'exec' ? inv.dashArgs : undefined,
    container,
    stdin: inv.stdin,
    wantStdin,
    tty,
    stdout: (b) => inv.out.write(b.toString('utf8')),
    stderr: (b) => inv.err.write(b.toString('utf8')),
    signal: inv.signal,
  });
  if (inv.signal.aborted) return 0;
  const code = exitCodeOf(status);
  if (code === 0) return 0;
  if (code !== undefined) {
    inv.err.write(`command terminated with exit code ${code}\n`);
    return code;
  }
  throw new KubectlError(status.message ?? 'error executing remote command');
}
