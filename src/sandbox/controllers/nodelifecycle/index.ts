export {
  NodeLifecycleController,
  NODE_LEASE_NAMESPACE,
  NODE_MONITOR_GRACE_PERIOD_MS,
  NODE_MONITOR_PERIOD_MS,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
  startNodeLifecycleController,
  type NodeLifecycleOptions,
} from './nodelifecycle.js';
export { TaintEvictionController, evictionDelay, noExecuteTaints, toleratesTaint, type Taint, type Toleration } from './tainteviction.js';
