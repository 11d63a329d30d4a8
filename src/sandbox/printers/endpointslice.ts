/** discovery.k8s.io/v1 EndpointSlice table (printers.go printEndpointSlice). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { arr, listWithMore, str, translateTimestampSince } from './format.js';

export const endpointSliceColumns = [
  nameColumn(),
  column('AddressType', 'string', '', 0, 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.'),
  column('Ports', 'string', '', 0, 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.'),
  column('Endpoints', 'string', '', 0, 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'),
  ageColumn(),
];

/** PORTS: port number, or the port name when the number is unset, or `*`. */
export function formatDiscoveryPorts(ports: unknown): string {
  const items = arr<{ port?: unknown; name?: unknown }>(ports).map((p) => {
    if (typeof p?.port === 'number') return String(p.port);
    if (typeof p?.name === 'string') return p.name;
    return '*';
  });
  return listWithMore(items);
}

/** ENDPOINTS: every address of every endpoint (readiness ignored). */
export function formatDiscoveryEndpoints(endpoints: unknown): string {
  const items: string[] = [];
  for (const ep of arr<{ addresses?: unknown }>(endpoints)) {
    for (const a of arr<unknown>(ep?.addresses)) items.push(str(a));
  }
  return listWithMore(items);
}

export const endpointSliceTable: KindTablePrinter = {
  columns: endpointSliceColumns,
  cells(slice: KObject, now: Date): unknown[] {
    return [
      str(slice.metadata?.name),
      str(slice.addressType),
      formatDiscoveryPorts(slice.ports),
      formatDiscoveryEndpoints(slice.endpoints),
      translateTimestampSince(slice.metadata?.creationTimestamp, now),
    ];
  },
};
