/** coordination.k8s.io/v1 Lease table (printers.go printLease). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { str, translateTimestampSince } from './format.js';

/** coordinationv1.LeaseSpec{}.SwaggerDoc()["holderIdentity"] (1.33). */
export const LEASE_HOLDER_DESCRIPTION =
  'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.';

export const leaseColumns = [
  nameColumn(),
  column('Holder', 'string', '', 0, LEASE_HOLDER_DESCRIPTION),
  ageColumn(),
];

export const leaseTable: KindTablePrinter = {
  columns: leaseColumns,
  cells(lease: KObject, now: Date): unknown[] {
    return [
      str(lease.metadata?.name),
      // HOLDER: spec.holderIdentity, '' when unset
      str(lease.spec?.holderIdentity),
      translateTimestampSince(lease.metadata?.creationTimestamp, now),
    ];
  },
};
