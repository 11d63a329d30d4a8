/** kubectl uncordon: let new pods be scheduled on nodes again. */
import type { Command } from '../command.js';
import { CORDON_FLAGS, runCordon } from './util/cordon.js';

export const uncordon: Command = {
  name: 'uncordon',
  short: 'Let new pods be placed on a node again',
  group: 'cluster',
  usage: 'kubectl uncordon NODE',
  example: 'kubectl uncordon worker-1',
  flags: CORDON_FLAGS,
  async run(inv) {
    await runCordon(inv, false);
  },
};
