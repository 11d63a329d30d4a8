/**
 * Every command of our kubectl. One file per command; add new ones here (kubectl's order is kept
 * separately in ../suggest.ts for "Did you mean").
 */
import type { Command } from '../command.js';
import { describe } from './describe.js';
import { get } from './get.js';
import { create } from './create.js';
import { del } from './delete.js';
import { replace } from './replace.js';
import { label } from './label.js';
import { annotate } from './annotate.js';
import { scale } from './scale.js';
import { expose } from './expose.js';
import { run } from './run.js';
import { rollout } from './rollout/index.js';
import { set } from './set.js';
import { cordon } from './cordon.js';
import { uncordon } from './uncordon.js';
import { drain } from './drain.js';
import { taint } from './taint.js';
import { logs } from './logs.js';
import { exec } from './exec.js';
import { attach } from './attach.js';
import { portForward } from './port-forward.js';
import { top } from './top.js';
import { apiResources } from './api-resources.js';
import { apiVersions } from './api-versions.js';
import { explain } from './explain.js';
import { proxy } from './proxy.js';
import { clusterInfo } from './cluster-info.js';
import { version } from './version.js';
import { config } from './config/index.js';
import { wait } from './wait.js';
import { cp } from './cp.js';
import { events } from './events.js';
import { apply } from './apply.js';
import { patch } from './patch.js';
import { edit } from './edit.js';

export const COMMANDS: Command[] = [
  get,
  create,
  del,
  replace,
  describe,
  label,
  annotate,
  scale,
  expose,
  run,
  rollout,
  set,
  cordon,
  uncordon,
  drain,
  taint,
  logs,
  exec,
  attach,
  portForward,
  top,
  apiResources,
  apiVersions,
  explain,
  proxy,
  clusterInfo,
  version,
  config,
  wait,
  cp,
  events,
  apply,
  patch,
  edit,
];
