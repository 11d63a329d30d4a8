/** kubectl label: add, change (--overwrite) or remove (KEY-) labels of objects. */
import type { Command } from '../command.js';
import { metadataFlags, runMetadataCommand } from './util/metadata.js';

export const label: Command = {
  name: 'label',
  short: 'Add, change or remove the labels of objects',
  group: 'advanced',
  usage: 'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  example: [
    'kubectl label po kubia-manual creation_method=manual',
    'kubectl label po kubia-manual-v2 env=debug --overwrite',
    'kubectl label node worker-1 gpu=true',
    'kubectl label po kubia-manual env-',
    'kubectl label po --all -l app=kubia tier=web',
  ].join('\n'),
  flags: metadataFlags('label'),
  async run(inv) {
    await runMetadataCommand(inv, 'label');
  },
};
