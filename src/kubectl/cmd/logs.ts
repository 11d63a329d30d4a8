/**
 * kubectl logs: one container's log (POD, TYPE/NAME through its selector's best pod, or every pod
 * of -l), streamed with -f until the container ends or the command is cancelled.
 */
import type { ApiClient } from '../client/api.js';
import { KubectlError } from '../client/errors.js';
import { toServerErrorFromStream } from '../stream/util.js';
import type { Command, Invocation } from '../command.js';
import { parseGoDuration } from '../input/flags.js';
import type { Query } from '../client/rest.js';
import { allContainerNames, defaultContainer, podFor } from '../stream/pods.js';
import { groupResource } from '../resource/discovery.js';

const USAGE_ERROR =
  "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";

interface LogRequest {
  pod: any;
  container: string;
}

export const logs: Command = {
  name: 'logs',
  short: 'Print the logs of a container in a pod',
  group: 'troubleshoot',
  usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  example:
    'kubectl logs kubia\nkubectl logs kubia -c main --previous\nkubectl logs -f deploy/kubia\nkubectl logs -l app=kubia --prefix --tail 20',
  flags: [
    { name: 'all-containers', type: 'bool', usage: 'Read the logs of every container of the pod(s).' },
    { name: 'all-pods', type: 'bool', usage: 'Read the logs of every pod the resource selects.' },
    { name: 'container', short: 'c', type: 'string', usage: 'The container to read from (defaults to the only or the default one).' },
    { name: 'follow', short: 'f', type: 'bool', usage: 'Keep streaming new log lines.' },
    { name: 'ignore-errors', type: 'bool', usage: 'When following, keep going when one stream fails.' },
    { name: 'insecure-skip-tls-verify-backend', type: 'bool', usage: "Skip checking the kubelet's serving certificate." },
    { name: 'limit-bytes', type: 'int', default: 0, usage: 'Stop after this many bytes (0: no limit).' },
    { name: 'max-log-requests', type: 'int', default: 5, usage: 'How many streams may be followed at once with a selector.' },
    { name: 'pod-running-timeout', type: 'duration', default: '20s', usage: 'How long to wait for a pod to exist.' },
    { name: 'prefix', type: 'bool', usage: 'Start each line with the pod and container it came from.' },
    { name: 'previous', short: 'p', type: 'bool', usage: "Read the previous (terminated) instance of the container's log." },
    { name: 'selector', short: 'l', type: 'string', usage: 'Read the logs of the pods matching this label selector.' },
    { name: 'since', type: 'duration', default: '0s', usage: 'Only lines newer than this duration (e.g. 5s, 2m, 3h).' },
    { name: 'since-time', type: 'string', usage: 'Only lines after this RFC3339 time.' },
    { name: 'tail', type: 'int', default: -1, usage: 'How many recent lines to show (-1: all; 10 with a selector).' },
    { name: 'timestamps', type: 'bool', usage: 'Start each line with its timestamp.' },
  ],
  validate(inv) {
    const selector = inv.str('selector');
    if (!inv.args.length && !selector) throw new KubectlError(USAGE_ERROR);
    if (selector && inv.args.length) throw new KubectlError('only a selector (-l) or a POD name is allowed');
    if (inv.args.length > 2) throw new KubectlError(USAGE_ERROR);
    const since = parseGoDuration(inv.str('since')) ?? 0;
    if (inv.changed.has('since') && inv.changed.has('since-time')) throw new KubectlError('at most one of `sinceTime` or `sinceSeconds` may be specified');
    if (inv.changed.has('since') && since <= 0) throw new KubectlError('--since must be greater than 0');
    const sinceTime = inv.str('since-time');
    if (sinceTime && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceTime))
      throw new KubectlError(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
    if (inv.int('limit-bytes') < 0) throw new KubectlError('--limit-bytes must be greater than 0');
    if (inv.int('tail') < -1) throw new KubectlError('--tail must be greater than or equal to -1');
  },
  async run(inv) {
    const client = await inv.client();
    const ns = client.namespace;
    const selector = inv.str('selector');
    const containerFlag = inv.str('container') || inv.args[1] || '';
    const requests: LogRequest[] = [];
    let tail = inv.int('tail');
    if (selector) {
      if (tail === -1) tail = 10;
      const podsRes = await client.discovery.resolve('pods');
      const list = await client.list(podsRes, ns, { labelSelector: selector });
      const pods: any[] = list.items ?? [];
      if (!pods.length) {
        inv.err.write(`No resources found in ${ns} namespace.\n`);
        return;
      }
      for (const p of pods) requests.push(...containersFor(inv, p, containerFlag));
    } else {
      const target = await podFor(client, ns, inv.args[0]!, {
        ordering: 'logging',
        verb: 'get the logs from',
        notFound: (_e, r, name) => new KubectlError(`error from server (NotFound): ${groupResource(r)} "${name}" not found in namespace "${ns}"`),
        signal: inv.signal,
      });
      if (target.matched > 1 && !inv.bool('all-pods')) inv.err.write(`Found ${target.matched} pods, using pod/${target.pod.metadata.name}\n`);
      requests.push(...containersFor(inv, target.pod, containerFlag));
    }
    inv.effect({ type: 'stream', kind: 'logs' });
    const query: Query = {
      follow: inv.bool('follow') ? 'true' : undefined,
      previous: inv.bool('previous') ? 'true' : undefined,
      timestamps: inv.bool('timestamps') ? 'true' : undefined,
      tailLines: tail >= 0 ? tail : undefined,
      limitBytes: inv.int('limit-bytes') > 0 ? inv.int('limit-bytes') : undefined,
      sinceSeconds: inv.changed.has('since') ? Math.ceil((parseGoDuration(inv.str('since')) ?? 0) / 1000) : undefined,
      sinceTime: inv.str('since-time') || undefined,
      insecureSkipTLSVerifyBackend: inv.bool('insecure-skip-tls-verify-backend') ? 'true' : undefined,
    };
    if (query.tailLines === 0) query.tailLines = '0';
    const prefix = inv.bool('prefix');
    if (inv.bool('follow') && requests.length > 1) {
      const max = inv.int('max-log-requests');
      if (requests.length > max)
        throw new KubectlError(`you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
      const results = await Promise.allSettled(requests.map((r) => streamLog(client, inv, r, query, prefix)));
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
      if (failed && !inv.bool('ignore-errors')) throw failed.reason;
      return;
    }
    for (const r of requests) await streamLog(client, inv, r, query, prefix);
  },
};

function containersFor(inv: Invocation, pod: any, containerFlag: string): LogRequest[] {
  const name = pod.metadata.name;
  if (inv.bool('all-containers')) {
    return allContainerNames(pod)
      .filter((c) => !(pod.spec?.ephemeralContainers ?? []).some((e: any) => e.name === c))
      .map((c) => ({ pod, container: c }))
      .sort((a, b) => initFirst(pod, a.container, b.container));
  }
  if (containerFlag) {
    if (!allContainerNames(pod).includes(containerFlag)) throw new KubectlError(`container ${containerFlag} is not valid for pod ${name}`);
    return [{ pod, container: containerFlag }];
  }
  const choice = defaultContainer(pod);
  if (choice.note) inv.err.write(choice.note + '\n');
  return [{ pod, container: choice.name }];
}

/** --all-containers reads init containers first, then the regular ones */
function initFirst(pod: any, a: string, b: string): number {
  const isInit = (c: string) => (pod.spec?.initContainers ?? []).some((x: any) => x.name === c);
  return Number(isInit(b)) - Number(isInit(a));
}

async function streamLog(client: ApiClient, inv: Invocation, r: LogRequest, query: Query, prefix: boolean): Promise<void> {
  const podsPath = `/api/v1/namespaces/${encodeURIComponent(r.pod.metadata.namespace)}/pods/${encodeURIComponent(r.pod.metadata.name)}/log`;
  let res;
  try {
    res = await client.rest.open(podsPath, { query: { container: r.container, ...query }, signal: inv.signal, accept: '*/*' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    throw e;
  }
  if ((res.statusCode ?? 0) >= 300) throw await toServerErrorFromStream(res);
  const tag = `[pod/${r.pod.metadata.name}/${r.container}] `;
  let pending = '';
  try {
    for await (const chunk of res) {
      const text = (chunk as Buffer).toString('utf8');
      if (!prefix) {
        inv.out.write(text);
        continue;
      }
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        inv.out.write(tag + pending.slice(0, nl + 1));
        pending = pending.slice(nl + 1);
      }
    }
  } catch (e) {
    if ((e as Error).name === 'AbortError' || inv.signal.aborted) return;
    throw e;
  }
  if (prefix && pending) inv.out.write(tag + pending);
}

