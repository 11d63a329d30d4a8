/**
 * kube-scheduler for the sandbox: binds pending pods to nodes with kube's default filters and
 * scores. Start it with `startScheduler(ctx)` (and stop it with the returned component).
 */
import type { ControllerContext } from '../controllers/context.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

export function startScheduler(ctx: ControllerContext, opts: SchedulerOptions = {}): Scheduler {
  return new Scheduler(ctx, opts);
}

export { Scheduler, SCHEDULER_NAME, type SchedulerOptions } from './scheduler.js';
export { NodeInfoCache } from './cache.js';
export { fitErrorMessage, preemptionMessage, runFilters, schedulePod, selectHost, type Diagnosis, type ScheduleResult } from './framework.js';
export { defaultProfile, type Profile } from './plugins/index.js';
export { effectiveTaints, nodeInfo, podInfo } from './podinfo.js';
export { podRequests, resourcesOf } from './resources.js';
export type { FilterPlugin, NodeInfo, PodInfo, PreFilterPlugin, ScorePlugin, Status } from './types.js';
