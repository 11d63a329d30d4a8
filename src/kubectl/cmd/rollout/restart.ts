/** kubectl rollout restart: roll every pod again by stamping the template with kubectl.kubernetes.io/restartedAt. */
import type { Command } from '../../command.js';
import { goRFC3339 } from './common.js';
import { isWorkload, PATCHER_FLAGS, runPatcher } from './patcher.js';

export const restart: Command = {
  name: 'restart',
  short: 'Replace every pod of a workload with a new one',
  usage: 'kubectl rollout restart RESOURCE',
  example: 'kubectl rollout restart deployment kubia\nkubectl rollout restart deploy -l app=kubia',
  flags: PATCHER_FLAGS,
  async run(inv) {
    const now = goRFC3339();
    await runPatcher(
      inv,
      (info) => {
        if (!isWorkload(info, ['Deployment', 'DaemonSet', 'StatefulSet'])) throw new Error('restarting is not supported');
        if (info.resource.kind === 'Deployment' && info.object.spec?.paused) throw new Error("can't restart paused deployment (run rollout resume first)");
        const current = info.object.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
        if (current === now) {
          throw new Error(`failed to create patch for ${info.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
        }
        return { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now } } } } };
      },
      'restarted',
      undefined,
      'restarted',
    );
  },
};
