/** ConfigMap table (printers.go printConfigMap). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { count, str, translateTimestampSince } from './format.js';

export const configMapColumns = [
  nameColumn(),
  column('Data', 'string', '', 0, 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.'),
  ageColumn(),
];

export const configMapTable: KindTablePrinter = {
  columns: configMapColumns,
  cells(cm: KObject, now: Date): unknown[] {
    return [
      str(cm.metadata?.name),
      count(cm.data) + count(cm.binaryData),
      translateTimestampSince(cm.metadata?.creationTimestamp, now),
    ];
  },
};
