/** kubectl annotate: add, change (--overwrite) or remove (KEY-) annotations of objects. */
import type { Command } from '../command.js';
import { metadataFlags, runMetadataCommand } from './util/metadata.js';

export const annotate: Command = {
  name: 'annotate',
  short: 'Add, change or remove the annotations of objects',
  group: 'advanced',
  usage: 'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  example: [
    'kubectl annotate pod kubia-manual mycompany.com/someannotation="foo bar"',
    'kubectl annotate deploy kubia kubernetes.io/change-cause="new image" --overwrite',
    'kubectl annotate pod kubia-manual mycompany.com/someannotation-',
  ].join('\n'),
  flags: metadataFlags('annotation'),
  async run(inv) {
    await runMetadataCommand(inv, 'annotation');
  },
};
