/** Secret table (printers.go printSecret). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { count, str, translateTimestampSince } from './format.js';

export const secretColumns = [
  nameColumn(),
  column('Type', 'string', '', 0, 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
  column('Data', 'string', '', 0, 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4'),
  ageColumn(),
];

export const secretTable: KindTablePrinter = {
  columns: secretColumns,
  cells(secret: KObject, now: Date): unknown[] {
    return [
      str(secret.metadata?.name),
      str(secret.type),
      count(secret.data),
      translateTimestampSince(secret.metadata?.creationTimestamp, now),
    ];
  },
};
