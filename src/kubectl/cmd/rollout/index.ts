/** kubectl rollout: status, history, undo, pause, resume and restart of deployments, daemon sets and stateful sets. */
import type { Command } from '../../command.js';
import { history } from './history.js';
import { pause } from './pause.js';
import { restart } from './restart.js';
import { resume } from './resume.js';
import { status } from './status.js';
import { undo } from './undo.js';

export const rollout: Command = {
  name: 'rollout',
  groupHelpTo: 'stdout',
  short: 'Follow, pause, resume, restart or undo the rollout of a workload',
  group: 'deploy',
  usage: 'kubectl rollout SUBCOMMAND [options]',
  example: 'kubectl rollout status deployment kubia\nkubectl rollout history deploy/kubia\nkubectl rollout undo deploy/kubia --to-revision=1',
  subcommands: [history, pause, restart, resume, status, undo],
};
