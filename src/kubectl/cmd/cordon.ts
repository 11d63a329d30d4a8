/** kubectl cordon: mark nodes unschedulable (new pods are not placed on them). */
import type { Command } from '../command.js';
import { CORDON_FLAGS, runCordon } from './util/cordon.js';

export const cordon: Command = {
  name: 'cordon',
  short: 'Keep new pods off a node',
  group: 'cluster',
  usage: 'kubectl cordon NODE',
  example: 'kubectl cordon worker-1\nkubectl cordon -l disk=hdd',
  flags: CORDON_FLAGS,
  async run(inv) {
    await runCordon(inv, true);
  },
};
