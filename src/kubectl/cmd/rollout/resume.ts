/** kubectl rollout resume: let a paused deployment roll out again. */
import type { Command } from '../../command.js';
import { isWorkload, PATCHER_FLAGS, runPatcher } from './patcher.js';

export const resume: Command = {
  name: 'resume',
  short: 'Resume a paused deployment',
  usage: 'kubectl rollout resume RESOURCE',
  example: 'kubectl rollout resume deployment kubia',
  flags: PATCHER_FLAGS,
  async run(inv) {
    await runPatcher(
      inv,
      (info) => {
        if (!isWorkload(info, ['Deployment'])) throw new Error('resuming is not supported');
        if (!info.object.spec?.paused) throw new Error('is not paused');
        return { spec: { paused: null } };
      },
      'resumed',
      'already resumed',
      'resumed',
    );
  },
};
