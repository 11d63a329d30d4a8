/** kubectl rollout pause: stop a deployment from rolling out template changes (spec.paused). */
import type { Command } from '../../command.js';
import { isWorkload, PATCHER_FLAGS, runPatcher } from './patcher.js';

export const pause: Command = {
  name: 'pause',
  short: 'Pause a deployment so template changes wait',
  usage: 'kubectl rollout pause RESOURCE',
  example: 'kubectl rollout pause deployment kubia',
  flags: PATCHER_FLAGS,
  async run(inv) {
    await runPatcher(
      inv,
      (info) => {
        if (!isWorkload(info, ['Deployment'])) throw new Error('pausing is not supported');
        if (info.object.spec?.paused) throw new Error('is already paused');
        return { spec: { paused: true } };
      },
      'paused',
      'already paused',
      'paused',
    );
  },
};
