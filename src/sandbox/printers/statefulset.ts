/** StatefulSet table (printers.go printStatefulSet). */
import type { KObject } from '../apiserver/types.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  type KindTablePrinter,
} from './columns.js';
import { containersAndImages, int, str, translateTimestampSince } from './format.js';

export const statefulSetColumns = [
  nameColumn(),
  column('Ready', 'string', '', 0, 'Number of the pod with ready state'),
  ageColumn(),
  containersColumn(),
  imagesColumn(),
];

export const statefulSetTable: KindTablePrinter = {
  columns: statefulSetColumns,
  cells(ss: KObject, now: Date): unknown[] {
    const [containers, images] = containersAndImages(ss.spec?.template?.spec);
    return [
      str(ss.metadata?.name),
      `${int(ss.status?.readyReplicas)}/${int(ss.spec?.replicas)}`,
      translateTimestampSince(ss.metadata?.creationTimestamp, now),
      containers,
      images,
    ];
  },
};
