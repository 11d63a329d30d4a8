/** Fallback for kinds without a dedicated printer (apiserver registry/rest default table convertor). */
import type { KObject } from '../apiserver/types.js';
import {
  column,
  CREATION_TIMESTAMP_DESCRIPTION,
  nameColumn,
  type KindTablePrinter,
} from './columns.js';
import { formatRFC3339UTC, str } from './format.js';

export const genericColumns = [
  nameColumn(),
  column('Created At', 'date', '', 0, CREATION_TIMESTAMP_DESCRIPTION),
];

/** Cells: `[name, creationTimestamp as UTC RFC3339]` (Go zero time when unset). */
export const genericTable: KindTablePrinter = {
  columns: genericColumns,
  cells(obj: KObject): unknown[] {
    return [str(obj.metadata?.name), formatRFC3339UTC(obj.metadata?.creationTimestamp)];
  },
};
