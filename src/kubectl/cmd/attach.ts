/** kubectl attach: connect to the main process of a running container (its output; stdin with -i). */
import { KubectlError } from '../client/errors.js';
import type { Command } from '../command.js';
import { remoteSession } from './exec.js';

export const attach: Command = {
  name: 'attach',
  short: 'Attach to a running container',
  group: 'troubleshoot',
  usage: 'kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]',
  example: 'kubectl attach kubia\nkubectl attach -it busybox -c shell\nkubectl attach rs/kubia',
  flags: [
    { name: 'container', short: 'c', type: 'string', usage: 'The container to attach to (defaults to the only or the default one).' },
    { name: 'pod-running-timeout', type: 'duration', default: '1m0s', usage: 'How long to wait for a running pod.' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Print only what the container prints.' },
    { name: 'stdin', short: 'i', type: 'bool', usage: "Send our standard input to the container's process." },
    { name: 'tty', short: 't', type: 'bool', usage: 'The container has a terminal: use it.' },
  ],
  validate(inv) {
    if (!inv.args.length) throw new KubectlError('at least 1 argument is required for attach');
    if (inv.args.length > 2) throw new KubectlError(`expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${inv.args.length}: [${inv.args.join(' ')}]`);
  },
  async run(inv) {
    return remoteSession(inv, 'attach');
  },
};
