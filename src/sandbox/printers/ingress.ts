/** networking.k8s.io/v1 Ingress table (printers.go printIngress). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type GenerateOptions, type KindTablePrinter } from './columns.js';
import { arr, loadBalancerStatusString, str, translateTimestampSince } from './format.js';

export const ingressColumns = [
  nameColumn(),
  column('Class', 'string', '', 0, 'The name of the IngressClass resource that should be used for additional configuration'),
  column('Hosts', 'string', '', 0, 'Hosts that incoming requests are matched against before the ingress rule'),
  column('Address', 'string', '', 0, 'Address is a list containing ingress points for the load-balancer'),
  column('Ports', 'string', '', 0, 'Ports of TLS configurations that open'),
  ageColumn(),
];

/** HOSTS: up to 3 rule hosts, then ` + N more...` (N counts all rules past 3); `*` when none. */
export function formatIngressHosts(rules: unknown): string {
  const max = 3;
  const list = arr<{ host?: unknown }>(rules);
  const hosts: string[] = [];
  let more = false;
  for (const rule of list) {
    if (hosts.length === max) {
      more = true;
      break;
    }
    const host = str(rule?.host);
    if (host !== '') hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  const joined = hosts.join(',');
  return more ? `${joined} + ${list.length - max} more...` : joined;
}

export const ingressTable: KindTablePrinter = {
  columns: ingressColumns,
  cells(ing: KObject, now: Date, options?: GenerateOptions): unknown[] {
    const wide = options?.wide ?? true;
    const className = str(ing.spec?.ingressClassName);
    return [
      str(ing.metadata?.name),
      className === '' ? '<none>' : className,
      formatIngressHosts(ing.spec?.rules),
      loadBalancerStatusString(ing.status?.loadBalancer, wide),
      arr(ing.spec?.tls).length > 0 ? '80, 443' : '80',
      translateTimestampSince(ing.metadata?.creationTimestamp, now),
    ];
  },
};
