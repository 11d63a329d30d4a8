/**
 * kubectl top: CPU and memory use of pods and nodes from the metrics API (metrics.k8s.io), which a
 * cluster only has with a metrics server; without one, kubectl's "Metrics API not available".
 */
import { KubectlError } from '../client/errors.js';
import type { ApiClient } from '../client/api.js';
import type { Command, Invocation } from '../command.js';
import { parseQuantity, milliValue, value } from '../describe/quantity.js';
import { tabwrite } from '../printers/tabwriter.js';
import { GET_TABWRITER } from '../printers/table.js';

async function metricsVersion(client: ApiClient): Promise<string> {
  client.discovery.invalidate();
  const g = (await client.discovery.groups()).find((x) => x.name === 'metrics.k8s.io');
  if (!g || !g.versions.includes('v1beta1')) throw new KubectlError('Metrics API not available');
  return 'v1beta1';
}

function cpu(q: unknown): string {
  const x = parseQuantity(q);
  return x ? `${milliValue(x)}m` : '0m';
}

function mem(q: unknown): string {
  const x = parseQuantity(q);
  return x ? `${value(x) / 1048576n}Mi` : '0Mi';
}

function sumUsage(containers: any[]): { cpu: bigint; mem: bigint } {
  let c = 0n;
  let m = 0n;
  for (const ct of containers) {
    const qc = parseQuantity(ct.usage?.cpu);
    const qm = parseQuantity(ct.usage?.memory);
    if (qc) c += milliValue(qc);
    if (qm) m += value(qm);
  }
  return { cpu: c, mem: m };
}

const topPod: Command = {
  name: 'pod',
  aliases: ['pods', 'po'],
  short: 'Show CPU and memory use of pods',
  usage: 'kubectl top pod [NAME | -l label] [options]',
  flags: [
    { name: 'all-namespaces', short: 'A', type: 'bool', usage: 'Pods of every namespace.' },
    { name: 'containers', type: 'bool', usage: 'One line per container.' },
    { name: 'no-headers', type: 'bool', usage: 'Leave out the header line.' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Label selector.' },
    { name: 'field-selector', type: 'string', usage: 'Field selector.' },
    { name: 'sort-by', type: 'string', usage: 'cpu or memory.' },
    { name: 'sum', type: 'bool', usage: 'Add a total line.' },
    { name: 'use-protocol-buffers', type: 'bool', default: true, usage: 'Ask for protocol buffers.' },
  ],
  async run(inv) {
    const client = await inv.client();
    const v = await metricsVersion(client);
    const all = inv.bool('all-namespaces');
    const ns = all ? undefined : client.namespace;
    const base = `/apis/metrics.k8s.io/${v}${ns ? `/namespaces/${ns}` : ''}/pods`;
    const items: any[] = inv.args[0]
      ? [await client.rest.json(`${base}/${encodeURIComponent(inv.args[0])}`)]
      : ((await client.rest.json(base, { query: { labelSelector: inv.str('selector') || undefined, fieldSelector: inv.str('field-selector') || undefined } })).items ?? []);
    if (!items.length) {
      inv.err.write(all ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`);
      return;
    }
    writeTable(inv, items, all);
  },
};

function writeTable(inv: Invocation, items: any[], all: boolean): void {
  const containers = inv.bool('containers');
  let text = '';
  if (!inv.bool('no-headers')) text += `${all ? 'NAMESPACE\t' : ''}${containers ? 'POD\tNAME' : 'NAME'}\tCPU(cores)\tMEMORY(bytes)\t\n`;
  for (const p of items) {
    const pre = all ? `${p.metadata.namespace}\t` : '';
    if (containers) {
      for (const c of p.containers ?? []) text += `${pre}${p.metadata.name}\t${c.name}\t${cpu(c.usage?.cpu)}\t${mem(c.usage?.memory)}\t\n`;
    } else {
      const u = sumUsage(p.containers ?? []);
      text += `${pre}${p.metadata.name}\t${u.cpu}m\t${u.mem / 1048576n}Mi\t\n`;
    }
  }
  inv.out.write(tabwrite(text, GET_TABWRITER));
}

const topNode: Command = {
  name: 'node',
  aliases: ['nodes', 'no'],
  short: 'Show CPU and memory use of nodes',
  usage: 'kubectl top node [NAME | -l label] [options]',
  flags: [
    { name: 'no-headers', type: 'bool', usage: 'Leave out the header line.' },
    { name: 'selector', short: 'l', type: 'string', usage: 'Label selector.' },
    { name: 'show-capacity', type: 'bool', usage: 'Percentages of capacity instead of allocatable.' },
    { name: 'sort-by', type: 'string', usage: 'cpu or memory.' },
    { name: 'use-protocol-buffers', type: 'bool', default: true, usage: 'Ask for protocol buffers.' },
  ],
  async run(inv) {
    const client = await inv.client();
    const v = await metricsVersion(client);
    const base = `/apis/metrics.k8s.io/${v}/nodes`;
    const items: any[] = inv.args[0]
      ? [await client.rest.json(`${base}/${encodeURIComponent(inv.args[0])}`)]
      : ((await client.rest.json(base, { query: { labelSelector: inv.str('selector') || undefined } })).items ?? []);
    const nodesRes = await client.discovery.resolve('nodes');
    let text = inv.bool('no-headers') ? '' : 'NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n';
    for (const m of items) {
      const node = await client.get(nodesRes, undefined, m.metadata.name).catch(() => undefined);
      const alloc = inv.bool('show-capacity') ? node?.status?.capacity : node?.status?.allocatable;
      const c = parseQuantity(m.usage?.cpu);
      const mm = parseQuantity(m.usage?.memory);
      const cm = c ? milliValue(c) : 0n;
      const mb = mm ? value(mm) : 0n;
      const ac = parseQuantity(alloc?.cpu);
      const am = parseQuantity(alloc?.memory);
      const pc = ac && milliValue(ac) > 0n ? `${(cm * 100n) / milliValue(ac)}%` : '<unknown>';
      const pm = am && value(am) > 0n ? `${(mb * 100n) / value(am)}%` : '<unknown>';
      text += `${m.metadata.name}\t${cm}m\t${pc}\t${mb / 1048576n}Mi\t${pm}\t\n`;
    }
    inv.out.write(tabwrite(text, GET_TABWRITER));
  },
};

export const top: Command = {
  name: 'top',
  short: 'Show CPU and memory use',
  group: 'cluster',
  usage: 'kubectl top [flags] [options]',
  subcommands: [topNode, topPod],
};
