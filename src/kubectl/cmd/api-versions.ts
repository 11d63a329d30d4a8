/** kubectl api-versions: every group/version the server serves, sorted. */
import type { Command } from '../command.js';
import { sortStrings } from '../describe/gosort.js';

export const apiVersions: Command = {
  name: 'api-versions',
  short: 'List the API group/versions the server serves',
  group: 'other',
  usage: 'kubectl api-versions [options]',
  example: 'kubectl api-versions',
  async run(inv) {
    const client = await inv.client();
    client.discovery.invalidate();
    const groups = await client.discovery.groups();
    const gvs = groups.flatMap((g) => g.versions.map((v) => (g.name ? `${g.name}/${v}` : v)));
    for (const gv of sortStrings([...new Set(gvs)])) inv.out.write(gv + '\n');
  },
};
