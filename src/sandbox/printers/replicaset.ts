/** ReplicaSet table (printers.go printReplicaSet). */
import type { KObject } from '../apiserver/types.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  type KindTablePrinter,
} from './columns.js';
import { containersAndImages, formatLabelSelector, int, str, translateTimestampSince } from './format.js';

export const replicaSetColumns = [
  nameColumn(),
  column('Desired', 'integer', '', 0, 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset'),
  column('Current', 'integer', '', 0, 'Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset'),
  column('Ready', 'integer', '', 0, 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
  ageColumn(),
  containersColumn(),
  imagesColumn(),
  column('Selector', 'string', '', 1, 'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
];

export const replicaSetTable: KindTablePrinter = {
  columns: replicaSetColumns,
  cells(rs: KObject, now: Date): unknown[] {
    const [containers, images] = containersAndImages(rs.spec?.template?.spec);
    return [
      str(rs.metadata?.name),
      int(rs.spec?.replicas),
      int(rs.status?.replicas),
      int(rs.status?.readyReplicas),
      translateTimestampSince(rs.metadata?.creationTimestamp, now),
      containers,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};
