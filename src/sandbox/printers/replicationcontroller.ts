/** ReplicationController table (printers.go printReplicationController). */
import type { KObject } from '../apiserver/types.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  type KindTablePrinter,
} from './columns.js';
import { containersAndImages, formatSelectorMap, int, str, translateTimestampSince } from './format.js';

export const replicationControllerColumns = [
  nameColumn(),
  column('Desired', 'integer', '', 0, 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller'),
  column('Current', 'integer', '', 0, 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller'),
  column('Ready', 'integer', '', 0, 'The number of ready replicas for this replication controller.'),
  ageColumn(),
  containersColumn(),
  imagesColumn(),
  column('Selector', 'string', '', 1, 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
];

export const replicationControllerTable: KindTablePrinter = {
  columns: replicationControllerColumns,
  cells(rc: KObject, now: Date): unknown[] {
    const [containers, images] = containersAndImages(rc.spec?.template?.spec);
    return [
      str(rc.metadata?.name),
      int(rc.spec?.replicas),
      int(rc.status?.replicas),
      int(rc.status?.readyReplicas),
      translateTimestampSince(rc.metadata?.creationTimestamp, now),
      containers,
      images,
      formatSelectorMap(rc.spec?.selector),
    ];
  },
};
