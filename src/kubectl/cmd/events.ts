/**
 * kubectl events: the namespace's (or every namespace's) events, oldest first, optionally only
 * those of one object (--for) or of some types (--types), and with -w the new ones as they come.
 */
import { KubectlError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { humanDuration, parseTime } from '../describe/format.js';
import { goSort } from '../describe/gosort.js';
import { printJson } from '../printers/json.js';
import { compileJsonPath, executeJsonPath } from '../printers/jsonpath.js';
import { printNames } from '../printers/name.js';
import { GET_TABWRITER } from '../printers/table.js';
import { TabWriter } from '../printers/tabwriter.js';
import { printYaml } from '../printers/yaml.js';

const FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

function eventTime(e: any): number {
  const t = e.series?.lastObservedTime ?? (e.lastTimestamp || e.eventTime);
  return parseTime(t) ?? 0;
}

function since(ts: unknown): string {
  const ms = parseTime(ts);
  if (ms === undefined || ms === 0) return '<unknown>';
  return humanDuration(Date.now() - ms);
}

function interval(e: any): string {
  const first = e.eventTime ? since(e.eventTime) : since(e.firstTimestamp);
  if (e.series) return `${since(e.series.lastObservedTime)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp)} (x${e.count} over ${first})`;
  return first;
}

function row(e: any, all: boolean): string {
  return `${all ? `${e.metadata?.namespace ?? ''}\t` : ''}${interval(e)}\t${e.type ?? ''}\t${e.reason ?? ''}\t${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}\t${String(e.message ?? '').trim()}\n`;
}

export const events: Command = {
  name: 'events',
  short: 'List events',
  group: 'troubleshoot',
  usage: 'kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]',
  example: 'kubectl events\nkubectl events --for pod/kubia\nkubectl events -A --types=Warning\nkubectl events -w',
  flags: [
    { name: 'all-namespaces', short: 'A', type: 'bool', usage: 'Events of every namespace.' },
    { name: 'allow-missing-template-keys', type: 'bool', default: true, usage: 'Ignore missing keys in templates.' },
    { name: 'chunk-size', type: 'int', default: 500, usage: 'List in chunks of this size.' },
    { name: 'for', type: 'string', usage: 'Only the events of this object (TYPE/NAME).' },
    { name: 'no-headers', type: 'bool', usage: 'Leave out the header line.' },
    { name: 'output', short: 'o', type: 'string', usage: 'Output format: json, yaml, name, jsonpath=….' },
    { name: 'show-managed-fields', type: 'bool', usage: 'Keep managedFields in json/yaml output.' },
    { name: 'template', type: 'string', usage: 'Template for -o go-template.' },
    { name: 'types', type: 'stringSlice', usage: 'Only events of these types (Normal, Warning).' },
    { name: 'watch', short: 'w', type: 'bool', usage: 'Keep printing new events.' },
  ],
  validate(inv) {
    for (const t of inv.list('types')) if (!['normal', 'warning'].includes(t.toLowerCase())) throw new KubectlError('valid --types are Normal or Warning');
    const o = inv.str('output');
    if (o) {
      const name = o.includes('=') ? o.slice(0, o.indexOf('=')) : o;
      if (!['json', 'yaml', 'name', 'jsonpath', 'jsonpath-as-json'].includes(name) || (name.startsWith('jsonpath') && !o.includes('=')))
        throw new KubectlError(`unable to match a printer suitable for the output format "${o}", allowed formats are: ${FORMATS}`);
    }
  },
  async run(inv) {
    const client = await inv.client();
    const all = inv.bool('all-namespaces');
    const ns = all ? undefined : client.namespace;
    let fieldSelector: string | undefined;
    const forArg = inv.str('for');
    if (forArg) {
      const i = forArg.indexOf('/');
      if (i <= 0 || i === forArg.length - 1) throw new KubectlError('--for must be in resource/name form');
      let r;
      try {
        r = await client.discovery.resolve(forArg.slice(0, i));
      } catch (e) {
        // kubectl events prints this one without the "error: " prefix
        if (e instanceof KubectlError) {
          inv.err.write(e.message + '\n');
          return 1;
        }
        throw e;
      }
      fieldSelector = `involvedObject.kind=${r.kind},involvedObject.name=${forArg.slice(i + 1)}`;
    }
    const types = inv.list('types').map((t) => t.toLowerCase());
    const keep = (e: any) => !types.length || types.includes(String(e.type ?? '').toLowerCase());
    const evRes = await client.discovery.resolve('events');
    const list = await client.list(evRes, ns, { fieldSelector });
    const items: any[] = (list.items ?? []).filter(keep).map((e: any) => ({ ...e, kind: 'Event', apiVersion: 'v1' }));
    goSort(items, (a, b) => eventTime(a) < eventTime(b));
    const output = inv.str('output');
    if (output) {
      printObjects(inv, items, output);
      return;
    }
    const tw = new TabWriter(GET_TABWRITER);
    const header = `${all ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`;
    if (!items.length && !inv.bool('watch')) {
      inv.err.write(all ? 'No events found.\n' : `No events found in ${ns} namespace.\n`);
      return;
    }
    if (!inv.bool('no-headers')) tw.write(header);
    for (const e of items) tw.write(row(e, all));
    inv.out.write(tw.flush());
    if (!inv.bool('watch')) return;
    inv.effect({ type: 'stream', kind: 'watch' });
    await client.watch(
      evRes,
      ns,
      { fieldSelector, resourceVersion: list.metadata?.resourceVersion },
      (ev) => {
        if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') return;
        if (!keep(ev.object)) return;
        inv.out.write(tw.write(row(ev.object, all)).flush());
      },
      inv.signal,
    );
  },
};

function printObjects(inv: Invocation, items: any[], output: string): void {
  const list = { apiVersion: 'v1', items, kind: 'EventList', metadata: {} };
  const showManaged = inv.bool('show-managed-fields');
  if (output === 'yaml') inv.out.write(printYaml(list, { showManagedFields: showManaged }));
  else if (output === 'json') inv.out.write(printJson(list, { showManagedFields: showManaged }));
  else if (output === 'name') inv.out.write(printNames(items));
  else {
    const asJson = output.startsWith('jsonpath-as-json=');
    const jp = compileJsonPath(output.slice(output.indexOf('=') + 1), { allowMissingKeys: inv.bool('allow-missing-template-keys'), asJson });
    inv.out.write(executeJsonPath(jp, list));
  }
}
