/** DaemonSet table (printers.go printDaemonSet). */
import type { KObject } from '../apiserver/types.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  type KindTablePrinter,
} from './columns.js';
import {
  containersAndImages,
  formatLabelSelector,
  formatLabels,
  int,
  str,
  translateTimestampSince,
} from './format.js';

export const daemonSetColumns = [
  nameColumn(),
  column('Desired', 'integer', '', 0, 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
  column('Current', 'integer', '', 0, 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
  column('Ready', 'integer', '', 0, 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
  column('Up-to-date', 'integer', '', 0, 'The total number of nodes that are running updated daemon pod'),
  column('Available', 'integer', '', 0, 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
  column('Node Selector', 'string', '', 0, 'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/'),
  ageColumn(),
  containersColumn(),
  imagesColumn(),
  column('Selector', 'string', '', 1, 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
];

export const daemonSetTable: KindTablePrinter = {
  columns: daemonSetColumns,
  cells(ds: KObject, now: Date): unknown[] {
    const podSpec = ds.spec?.template?.spec;
    const [containers, images] = containersAndImages(podSpec);
    return [
      str(ds.metadata?.name),
      int(ds.status?.desiredNumberScheduled),
      int(ds.status?.currentNumberScheduled),
      int(ds.status?.numberReady),
      int(ds.status?.updatedNumberScheduled),
      int(ds.status?.numberAvailable),
      formatLabels(podSpec?.nodeSelector),
      translateTimestampSince(ds.metadata?.creationTimestamp, now),
      containers,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};
