/** kubectl api-resources: the resource types the server serves (preferred versions), from discovery. */
import { KubectlError } from '../client/errors.js';
import type { Command } from '../command.js';
import { sortStrings } from '../describe/gosort.js';
import { tabwrite } from '../printers/tabwriter.js';
import { GET_TABWRITER } from '../printers/table.js';
import { groupVersion, type ApiResource } from '../resource/discovery.js';

export const apiResources: Command = {
  name: 'api-resources',
  short: 'List the resource types the server supports',
  group: 'other',
  usage: 'kubectl api-resources [flags] [options]',
  example: 'kubectl api-resources\nkubectl api-resources -o wide --namespaced=true\nkubectl api-resources --api-group=apps --verbs=list,get',
  flags: [
    { name: 'api-group', type: 'string', usage: 'Only resources of this API group ("" for the core group).' },
    { name: 'cached', type: 'bool', usage: 'Use the cached list of resources when there is one.' },
    { name: 'categories', type: 'stringSlice', usage: 'Only resources in all of these categories (e.g. all).' },
    { name: 'namespaced', type: 'bool', default: true, usage: 'true: only namespaced resources; false: only cluster-scoped ones.' },
    { name: 'no-headers', type: 'bool', usage: 'Leave out the header line (default and wide output).' },
    { name: 'output', short: 'o', type: 'string', usage: 'Output format: wide or name.' },
    { name: 'sort-by', type: 'string', usage: 'Sort by name or kind.' },
    { name: 'verbs', type: 'stringSlice', usage: 'Only resources supporting all of these verbs.' },
  ],
  validate(inv) {
    const o = inv.str('output');
    if (o && o !== 'wide' && o !== 'name') throw new KubectlError(`--output ${o} is not available`);
    const s = inv.str('sort-by');
    if (s && s !== 'name' && s !== 'kind') throw new KubectlError('--sort-by accepts only name or kind');
  },
  async run(inv) {
    const client = await inv.client();
    if (!inv.bool('cached')) client.discovery.invalidate();
    const all = (await client.discovery.resources()).filter((r) => r.preferred);
    const verbs = inv.list('verbs');
    const categories = inv.list('categories');
    let list = all.filter((r) => {
      if (inv.changed.has('namespaced') && r.namespaced !== inv.bool('namespaced')) return false;
      if (inv.changed.has('api-group') && r.group !== inv.str('api-group')) return false;
      if (verbs.length && !verbs.every((v) => r.verbs.includes(v))) return false;
      if (categories.length && !categories.every((c) => r.categories.includes(c))) return false;
      return true;
    });
    const sortBy = inv.str('sort-by');
    const key = (r: ApiResource) => (sortBy === 'name' ? r.resource : sortBy === 'kind' ? r.kind : r.group);
    list = list.map((r, i) => ({ r, i })).sort((a, b) => (key(a.r) < key(b.r) ? -1 : key(a.r) > key(b.r) ? 1 : a.i - b.i)).map((x) => x.r);
    const output = inv.str('output');
    if (output === 'name') {
      for (const r of list) inv.out.write(r.group ? `${r.resource}.${r.group}\n` : `${r.resource}\n`);
      return;
    }
    const wide = output === 'wide';
    let text = '';
    if (!inv.bool('no-headers')) text += wide ? 'NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\tVERBS\tCATEGORIES\n' : 'NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n';
    for (const r of list) {
      const cells = [r.resource, r.shortNames.join(','), groupVersion(r), String(r.namespaced), r.kind];
      if (wide) cells.push(sortStrings([...new Set(r.verbs)]).join(','), r.categories.join(','));
      text += cells.join('\t') + '\n';
    }
    inv.out.write(tabwrite(text, GET_TABWRITER));
  },
};
