/** Deployment table (printers.go printDeployment). */
import type { KObject } from '../apiserver/types.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  type KindTablePrinter,
} from './columns.js';
import { containersAndImages, int, labelSelectorString, str, translateTimestampSince } from './format.js';

export const deploymentColumns = [
  nameColumn(),
  column('Ready', 'string', '', 0, 'Number of the pod with ready state'),
  column('Up-to-date', 'string', '', 0, 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
  column('Available', 'string', '', 0, 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
  ageColumn(),
  containersColumn(),
  imagesColumn(),
  column('Selector', 'string', '', 1, 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
];

export const deploymentTable: KindTablePrinter = {
  columns: deploymentColumns,
  cells(d: KObject, now: Date): unknown[] {
    const [containers, images] = containersAndImages(d.spec?.template?.spec);
    // Deployment prints selector.String() directly: '' when empty, '<invalid>' when unconvertible.
    const selector = labelSelectorString(d.spec?.selector) ?? '<invalid>';
    return [
      str(d.metadata?.name),
      `${int(d.status?.readyReplicas)}/${int(d.spec?.replicas)}`,
      int(d.status?.updatedReplicas),
      int(d.status?.availableReplicas),
      translateTimestampSince(d.metadata?.creationTimestamp, now),
      containers,
      images,
      selector,
    ];
  },
};
