/**
 * kubectl run: create a Pod from an image (`pod/kubia created`), the way kubectl's run/v1 pod
 * generator builds it (labels run=NAME, dnsPolicy ClusterFirst, restartPolicy …), optionally with a
 * Service (--expose) and attached to the container (-i/-t/--attach, --rm).
 */
import { AggregateError2, KubectlError } from '../client/errors.js';
import type { ApiClient } from '../client/api.js';
import type { Command, Invocation } from '../command.js';
import { parseGoDuration } from '../input/flags.js';
import { runRemoteCommand, exitCodeOf } from '../stream/remotecommand.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect, OUTPUT_FLAGS, requireFlags, saveConfig, type DryRun } from './create-common.js';
import { parsePairs } from './util/builder.js';
import { applyOverrides } from './util/overrides.js';
import { atoi, buildService, parseLabelSpec, sortKeys } from './util/service.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const usageError = (msg: string) => new KubectlError(`${msg}\nSee 'kubectl run -h' for help and examples`);

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** a loose check of an image reference (distribution's reference grammar, simplified) */
const IMAGE_REF =
  /^((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

export const run: Command = {
  name: 'run',
  short: 'Start a pod from an image',
  group: 'basic',
  usage: 'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  example: [
    'kubectl run kubia --image=luksa/kubia --port=8080',
    'kubectl run kubia --image=luksa/kubia --dry-run=client -o yaml',
    'kubectl run busybox --image=busybox --restart=Never -- sleep 3600',
    'kubectl run client --image=busybox --rm -it --restart=Never -- sh',
    'kubectl run web --image=nginx --port=80 --expose',
  ].join('\n'),
  flags: [
    ...OUTPUT_FLAGS,
    { name: 'annotations', type: 'stringArray', usage: 'Annotations for the pod (KEY=VALUE, repeatable).' },
    { name: 'attach', type: 'bool', usage: 'Wait for the pod to start and attach to it (the default with -i).' },
    { name: 'cascade', type: 'string', default: 'background', noOptDefault: 'background', usage: 'Deletion policy for --rm: background, orphan or foreground.' },
    { name: 'command', type: 'bool', usage: 'The words after -- are the command (instead of the arguments of the image\'s command).' },
    DRY_RUN_FLAG,
    { name: 'env', type: 'stringArray', usage: 'Environment variables of the container (KEY=VALUE, repeatable).' },
    { name: 'expose', type: 'bool', usage: 'Also create a ClusterIP service for the pod (needs --port).' },
    { name: 'field-manager', type: 'string', default: 'kubectl-run', usage: 'Name of the manager recorded for the fields this command sets.' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Used with --force to replace a pod from a file.' },
    { name: 'force', type: 'bool', usage: 'Delete the pod at once with --rm (no grace period).' },
    { name: 'grace-period', type: 'int', default: -1, usage: 'Seconds the pod gets to stop when deleted by --rm (-1: its own setting).' },
    { name: 'image', type: 'string', usage: 'The container image to run.' },
    { name: 'image-pull-policy', type: 'string', usage: 'Always, IfNotPresent or Never (the server picks one when empty).' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'Used with --force to replace a pod from a kustomization.' },
    { name: 'labels', short: 'l', type: 'string', usage: 'Labels of the pod, comma separated (default: run=NAME).' },
    { name: 'leave-stdin-open', type: 'bool', usage: 'Keep the container\'s stdin open after the first attach ends.' },
    { name: 'override-type', type: 'string', default: 'merge', usage: 'How --overrides is applied: json, merge or strategic.' },
    { name: 'overrides', type: 'string', usage: 'JSON merged into the generated pod before it is sent.' },
    { name: 'pod-running-timeout', type: 'duration', default: '1m0s', usage: 'How long to wait for the pod to run before attaching.' },
    { name: 'port', type: 'string', usage: 'The port the container exposes.' },
    { name: 'privileged', type: 'bool', usage: 'Run the container privileged.' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Print nothing but what the container prints.' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
    { name: 'restart', type: 'string', default: 'Always', usage: 'The pod\'s restart policy: Always, OnFailure or Never.' },
    { name: 'rm', type: 'bool', usage: 'Delete the pod when the attached session ends.' },
    { name: 'save-config', type: 'bool', usage: "Record the object's configuration in an annotation so a later `kubectl apply` can compare with it." },
    { name: 'stdin', short: 'i', type: 'bool', usage: 'Keep stdin open and send ours to the container.' },
    { name: 'timeout', type: 'duration', default: '0s', usage: 'How long to wait for the deletion with --rm.' },
    { name: 'tty', short: 't', type: 'bool', usage: 'Give the container a terminal.' },
    { name: 'wait', type: 'bool', usage: 'With --rm, wait until the pod is gone.' },
  ],
  async run(inv) {
    requireFlags(inv, 'image');
    if (!inv.args.length) throw usageError('NAME is required for run');
    const dry = dryRunMode(inv);
    const timeout = parseGoDuration(inv.str('pod-running-timeout')) ?? 60_000;
    if (timeout <= 0) throw usageError('--pod-running-timeout must be higher than zero');
    const image = inv.str('image');
    if (!image) throw new KubectlError('--image is required');
    if (!IMAGE_REF.test(image)) throw new KubectlError(`Invalid image name "${image}": invalid reference format`);
    const interactive = inv.bool('stdin');
    const tty = inv.bool('tty');
    const attach = inv.changed.has('attach') ? inv.bool('attach') : interactive;
    if (tty && !interactive) throw usageError('-i/--stdin is required for containers with -t/--tty=true');
    if (dry !== 'none' && attach) throw usageError("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
    verifyPullPolicy(inv.str('image-pull-policy'));
    const restart = restartPolicy(inv.str('restart'), interactive);
    const remove = inv.bool('rm');
    if (!attach && remove) throw usageError('--rm should only be used for attached containers');
    if (inv.bool('expose') && !inv.str('port')) throw usageError('--port must be set when exposing a service');

    const name = inv.args[0]!;
    const args = [...inv.args.slice(1), ...inv.dashArgs];
    let pod = buildPod(inv, name, image, restart, args);
    if (inv.str('overrides')) pod = applyOverrides(pod, inv.str('overrides'), inv.str('override-type'));
    const client = await inv.client();
    const errors: Error[] = [];
    const podResource = await client.discovery.resolve('pods');
    const created = await createObject(inv, client, podResource, pod, dry);

    if (inv.bool('expose')) {
      try {
        const svc = buildService({
          name,
          selector: inv.str('labels') || `run=${name}`,
          labels: inv.str('labels'),
          port: inv.str('port'),
        });
        const svcResource = await client.discovery.resolve('services');
        const createdSvc = await createObject(inv, client, svcResource, svc, dry);
        new ActionPrinter(inv, 'created', dry === 'client').print(createdSvc, dry);
        objectEffect(inv, 'created', svcResource, createdSvc, client.namespace, dry);
      } catch (e) {
        errors.push(e as Error);
      }
    }

    if (attach) {
      const code = await attachToPod(inv, client, created, { interactive, tty, remove, timeout, restart });
      if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError2(errors);
      return code;
    }
    new ActionPrinter(inv, 'created', dry === 'client').print(created, dry);
    objectEffect(inv, 'created', podResource, created, client.namespace, dry);
    if (errors.length === 1) throw errors[0];
    if (errors.length) throw new AggregateError2(errors);
  },
};

function verifyPullPolicy(p: string): void {
  if (p === '' || p === 'Always' || p === 'IfNotPresent' || p === 'Never') return;
  throw usageError(`invalid image pull policy: ${p}`);
}

function restartPolicy(r: string, interactive: boolean): string {
  if (r === '') return interactive ? 'OnFailure' : 'Always';
  if (r === 'Always' || r === 'OnFailure' || r === 'Never') return r;
  throw usageError(`invalid restart policy: ${r}`);
}

/** the typed Pod (Go struct field order) */
export function buildPod(inv: Invocation, name: string, image: string, restart: string, args: string[]): any {
  const portText = inv.str('port');
  const port = portText ? atoi(portText) : -1;
  const labels = inv.str('labels') ? parseLabelSpec(inv.str('labels')) : { run: name };
  const { set: annSet } = parsePairs(inv.list('annotations'), 'annotations', false);
  const envs = inv.list('env').map((e) => {
    const i = e.indexOf('=');
    if (i <= 0 || !ENV_NAME.test(e.slice(0, i))) throw new KubectlError(`invalid env: ${e}`);
    return { name: e.slice(0, i), value: e.slice(i + 1) };
  });
  const stdin = inv.bool('stdin');
  const container: any = { name, image };
  if (args.length) {
    if (inv.bool('command')) container.command = args;
    else container.args = args;
  }
  if (port > 0) container.ports = [{ containerPort: port }];
  if (envs.length) container.env = envs;
  container.resources = {};
  if (inv.str('image-pull-policy')) container.imagePullPolicy = inv.str('image-pull-policy');
  if (inv.bool('privileged')) container.securityContext = { privileged: true };
  if (stdin) container.stdin = true;
  if (stdin && !inv.bool('leave-stdin-open')) container.stdinOnce = true;
  if (inv.bool('tty')) container.tty = true;
  const metadata: any = { name, creationTimestamp: null };
  if (Object.keys(labels).length) metadata.labels = sortKeys(labels);
  if (annSet.size) metadata.annotations = sortKeys(Object.fromEntries(annSet));
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata,
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
}

async function createObject(inv: Invocation, client: ApiClient, r: any, obj: any, dry: DryRun): Promise<any> {
  if (dry === 'client') {
    if (inv.changed.has('namespace')) {
      const meta: any = {};
      for (const [k, v] of Object.entries(obj.metadata)) {
        meta[k] = v;
        if (k === 'name') meta.namespace = client.namespace;
      }
      obj.metadata = meta;
    }
    return obj;
  }
  if (inv.bool('save-config')) saveConfig(obj);
  const created = await client.create(r, client.namespace, obj, { dryRun: dry === 'server', fieldManager: inv.str('field-manager') });
  created.apiVersion ??= obj.apiVersion;
  created.kind ??= obj.kind;
  return created;
}

/** -i / -t / --attach: wait for the pod to run, attach to its container, then --rm */
async function attachToPod(
  inv: Invocation,
  client: ApiClient,
  pod: any,
  o: { interactive: boolean; tty: boolean; remove: boolean; timeout: number; restart: string },
): Promise<number> {
  const ns = client.namespace;
  const name = pod.metadata.name;
  const podResource = await client.discovery.resolve('pods');
  const quiet = inv.bool('quiet');
  let running: any;
  const deadline = Date.now() + o.timeout;
  // wait until the pod runs (or already finished)
  for (;;) {
    running = await client.get(podResource, ns, name);
    const phase = running?.status?.phase;
    if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') break;
    if (Date.now() > deadline) throw new KubectlError('timed out waiting for the condition');
    if (inv.signal.aborted) return 0;
    await new Promise((r) => setTimeout(r, 200));
  }
  let code = 0;
  const phase = running.status?.phase;
  if (phase === 'Running') {
    let tty = o.tty;
    if (tty && !inv.stdin?.isTTY) {
      if (!quiet) inv.err.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
      tty = false;
    }
    if (!quiet && (o.interactive || tty)) inv.err.write("If you don't see a command prompt, try pressing enter.\n");
    inv.effect({ type: 'stream', kind: 'attach' });
    const status = await runRemoteCommand(client.config.kc, {
      path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/attach`,
      container: name,
      stdin: inv.stdin,
      wantStdin: o.interactive,
      tty,
      stdout: (b) => inv.out.write(b.toString('utf8')),
      stderr: (b) => inv.err.write(b.toString('utf8')),
      signal: inv.signal,
    });
    const c = exitCodeOf(status);
    if (c !== undefined) code = c;
  } else {
    // already finished: show its logs like kubectl does
    const logs = await client.rest.raw(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/log`, { query: { container: name } });
    if (logs.status === 200) inv.out.write(logs.text());
  }
  if (o.remove) {
    await client.delete(podResource, ns, name, { propagationPolicy: inv.str('cascade') === 'orphan' ? 'Orphan' : inv.str('cascade') === 'foreground' ? 'Foreground' : 'Background' });
    inv.out.write(`pod "${name}" deleted\n`);
  }
  if (code !== 0) {
    inv.err.write(`pod ${ns}/${name} terminated (Error)\n`);
  }
  return code;
}
