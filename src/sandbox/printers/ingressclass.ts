/** networking.k8s.io/v1 IngressClass table (printers.go printIngressClass). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { str, translateTimestampSince } from './format.js';

export const ingressClassColumns = [
  nameColumn(),
  column('Controller', 'string', '', 0, 'Controller that is responsible for handling this class'),
  column('Parameters', 'string', '', 0, 'A reference to a resource with additional parameters'),
  ageColumn(),
];

/** PARAMETERS: `Kind[.apiGroup]/name`, or `<none>` when unset. */
export function formatIngressClassParameters(params: unknown): string {
  if (params == null || typeof params !== 'object') return '<none>';
  const p = params as { kind?: unknown; apiGroup?: unknown; name?: unknown };
  const group = str(p.apiGroup);
  return `${str(p.kind)}${group !== '' ? `.${group}` : ''}/${str(p.name)}`;
}

export const ingressClassTable: KindTablePrinter = {
  columns: ingressClassColumns,
  cells(ic: KObject, now: Date): unknown[] {
    return [
      str(ic.metadata?.name),
      str(ic.spec?.controller),
      formatIngressClassParameters(ic.spec?.parameters),
      translateTimestampSince(ic.metadata?.creationTimestamp, now),
    ];
  },
};
