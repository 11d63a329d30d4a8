/** core/v1 Endpoints table (printers.go printEndpoints). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { formatEndpoints, str, translateTimestampSince } from './format.js';

export const endpointsColumns = [
  nameColumn(),
  column('Endpoints', 'string', '', 0, 'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.'),
  ageColumn(),
];

export const endpointsTable: KindTablePrinter = {
  columns: endpointsColumns,
  cells(ep: KObject, now: Date): unknown[] {
    return [
      str(ep.metadata?.name),
      formatEndpoints(ep.subsets),
      translateTimestampSince(ep.metadata?.creationTimestamp, now),
    ];
  },
};
