/** Service table (printers.go printService). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type GenerateOptions, type KindTablePrinter } from './columns.js';
import {
  arr,
  formatSelectorMap,
  formatServicePorts,
  loadBalancerStatusString,
  str,
  translateTimestampSince,
} from './format.js';

export const serviceColumns = [
  nameColumn(),
  column('Type', 'string', '', 0, 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types'),
  column('Cluster-IP', 'string', '', 0, 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
  column('External-IP', 'string', '', 0, 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.'),
  column('Port(s)', 'string', '', 0, 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
  ageColumn(),
  column('Selector', 'string', '', 1, 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/'),
];

/** EXTERNAL-IP of a Service, by type. */
export function serviceExternalIP(svc: KObject, wide = true): string {
  const spec = svc.spec ?? {};
  const externalIPs = arr<unknown>(spec.externalIPs).map((ip) => str(ip));
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatusString(svc.status?.loadBalancer, wide);
      if (externalIPs.length > 0) return [...(lb === '' ? [] : [lb]), ...externalIPs].join(',');
      return lb !== '' ? lb : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

export const serviceTable: KindTablePrinter = {
  columns: serviceColumns,
  cells(svc: KObject, now: Date, options?: GenerateOptions): unknown[] {
    const wide = options?.wide ?? true;
    const clusterIPs = arr<unknown>(svc.spec?.clusterIPs);
    return [
      str(svc.metadata?.name),
      str(svc.spec?.type),
      clusterIPs.length > 0 ? str(clusterIPs[0]) : '<none>',
      serviceExternalIP(svc, wide),
      formatServicePorts(svc.spec?.ports),
      translateTimestampSince(svc.metadata?.creationTimestamp, now),
      formatSelectorMap(svc.spec?.selector),
    ];
  },
};
