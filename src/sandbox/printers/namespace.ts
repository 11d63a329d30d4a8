/** Namespace table (printers.go printNamespace). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { str, translateTimestampSince } from './format.js';

export const namespaceColumns = [
  nameColumn(),
  column('Status', 'string', '', 0, 'The status of the namespace'),
  ageColumn(),
];

export const namespaceTable: KindTablePrinter = {
  columns: namespaceColumns,
  cells(ns: KObject, now: Date): unknown[] {
    return [
      str(ns.metadata?.name),
      str(ns.status?.phase),
      translateTimestampSince(ns.metadata?.creationTimestamp, now),
    ];
  },
};
