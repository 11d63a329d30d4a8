/**
 * Server-side Table printers (kube-apiserver 1.33 pkg/printers/internalversion), one per kind.
 *
 * `tablePrinterFor(kind)` is what the registry uses; kube-apiserver always generates every column
 * and every cell (wide). `generateCells` is the GenerateOptions-aware variant (non-wide generation
 * keeps only priority-0 cells and elides long load-balancer address lists), mainly for tests and
 * client-side rendering.
 */
import type { KObject, TablePrinter, TableRowCondition } from '../apiserver/types.js';
import type { GenerateOptions, KindTablePrinter } from './columns.js';
import { configMapTable } from './configmap.js';
import { controllerRevisionTable } from './controllerrevision.js';
import { cronJobTable } from './cronjob.js';
import { daemonSetTable } from './daemonset.js';
import { deploymentTable } from './deployment.js';
import { endpointsTable } from './endpoints.js';
import { endpointSliceTable } from './endpointslice.js';
import { eventTable } from './event.js';
import { genericTable } from './generic.js';
import { ingressTable } from './ingress.js';
import { ingressClassTable } from './ingressclass.js';
import { jobTable } from './job.js';
import { leaseTable } from './lease.js';
import { namespaceTable } from './namespace.js';
import { nodeTable } from './node.js';
import { podTable } from './pod.js';
import { priorityClassTable } from './priorityclass.js';
import { replicaSetTable } from './replicaset.js';
import { replicationControllerTable } from './replicationcontroller.js';
import { secretTable } from './secret.js';
import { serviceTable } from './service.js';
import { serviceAccountTable } from './serviceaccount.js';
import { statefulSetTable } from './statefulset.js';

export type { GenerateOptions, KindTablePrinter } from './columns.js';
export {
  configMapTable,
  controllerRevisionTable,
  cronJobTable,
  daemonSetTable,
  deploymentTable,
  endpointsTable,
  endpointSliceTable,
  eventTable,
  genericTable,
  ingressTable,
  ingressClassTable,
  jobTable,
  leaseTable,
  namespaceTable,
  nodeTable,
  podTable,
  priorityClassTable,
  replicaSetTable,
  replicationControllerTable,
  secretTable,
  serviceTable,
  serviceAccountTable,
  statefulSetTable,
};
export {
  formatLabels,
  formatLabelSelector,
  formatSelectorMap,
  humanDuration,
  labelSelectorString,
  translateTimestampSince,
} from './format.js';

/** Kinds with a dedicated printer, keyed by Kind. */
const PRINTERS: ReadonlyMap<string, KindTablePrinter> = new Map<string, KindTablePrinter>([
  ['Pod', podTable],
  ['ReplicationController', replicationControllerTable],
  ['ReplicaSet', replicaSetTable],
  ['Deployment', deploymentTable],
  ['DaemonSet', daemonSetTable],
  ['StatefulSet', statefulSetTable],
  ['Job', jobTable],
  ['CronJob', cronJobTable],
  ['Service', serviceTable],
  ['Endpoints', endpointsTable],
  ['EndpointSlice', endpointSliceTable],
  ['Ingress', ingressTable],
  ['IngressClass', ingressClassTable],
  ['Namespace', namespaceTable],
  ['Node', nodeTable],
  ['Event', eventTable],
  ['ConfigMap', configMapTable],
  ['Secret', secretTable],
  ['ServiceAccount', serviceAccountTable],
  ['ControllerRevision', controllerRevisionTable],
  ['PriorityClass', priorityClassTable],
  ['Lease', leaseTable],
]);

/** Kinds that have a dedicated printer (everything else uses the Name / Created At fallback). */
export const printedKinds: readonly string[] = [...PRINTERS.keys()];

function printerFor(kind: string): KindTablePrinter {
  return PRINTERS.get(kind) ?? genericTable;
}

/** The Table printer for `kind` (the generic Name / Created At printer for unknown kinds). */
export function tablePrinterFor(kind: string): TablePrinter {
  return printerFor(kind);
}

/**
 * Cells of one row. Default (wide = true) is what kube-apiserver sends: all cells in column order.
 * With `wide: false` only the priority-0 cells are returned, in column order.
 */
export function generateCells(
  kind: string,
  obj: KObject,
  now: Date,
  options: GenerateOptions = {},
): unknown[] {
  const printer = printerFor(kind);
  const wide = options.wide ?? true;
  const cells = printer.cells(obj, now, { wide });
  if (wide) return cells;
  return cells.filter((_, i) => (printer.columns[i]?.priority ?? 0) === 0);
}

/** One meta/v1 TableRow without its `object` (conditions omitted when there are none). */
export function tableRow(
  kind: string,
  obj: KObject,
  now: Date,
): { cells: unknown[]; conditions?: TableRowCondition[] } {
  const printer = printerFor(kind);
  const cells = printer.cells(obj, now);
  const conditions = printer.conditions?.(obj);
  return conditions && conditions.length > 0 ? { cells, conditions } : { cells };
}
