import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import type { KObject } from '../apiserver/types.js';
import { tablePrinterFor } from '../printers/index.js';

const base = specStatusStrategy();

function needsNodePorts(svc: KObject): boolean {
  const t = svc.spec?.type;
  return t === 'NodePort' || (t === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);
}

/** core/v1 services: cluster IPs and node ports allocated on create, released on delete. */
export const services: ResourceType = {
  group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service',
  shortNames: ['svc'], categories: ['all'], namespaced: true, verbs: ALL_VERBS,
  statusSubresource: true,
  table: tablePrinterFor('Service'),
  strategy: {
    ...base,
    prepareForCreate(obj, ctx) {
      base.prepareForCreate!(obj, ctx);
      obj.status = { loadBalancer: {} };
      const spec = (obj.spec ??= {});
      if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
        spec.clusterIP = ctx.ipam.allocateClusterIP(spec.clusterIP || undefined);
        spec.clusterIPs = [spec.clusterIP];
      } else if (spec.clusterIP === 'None') {
        spec.clusterIPs = ['None'];
      }
      if (needsNodePorts(obj)) {
        for (const p of spec.ports ?? []) p.nodePort = ctx.ipam.allocateNodePort(p.nodePort || undefined);
      }
    },
    prepareForUpdate(obj, old, ctx) {
      base.prepareForUpdate!(obj, old, ctx);
      const spec = (obj.spec ??= {});
      if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
      if (!spec.clusterIPs && old.spec?.clusterIPs) spec.clusterIPs = old.spec.clusterIPs;
      if (needsNodePorts(obj)) {
        const oldPorts: { port: number; protocol?: string; nodePort?: number }[] = old.spec?.ports ?? [];
        for (const p of spec.ports ?? []) {
          if (p.nodePort) continue;
          const prev = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
          p.nodePort = prev?.nodePort ?? ctx.ipam.allocateNodePort();
        }
      } else {
        for (const p of spec.ports ?? []) delete p.nodePort;
      }
    },
    afterDelete(obj, ctx) {
      const ip = obj.spec?.clusterIP;
      if (ip && ip !== 'None') ctx.ipam.releaseClusterIP(ip);
      for (const p of obj.spec?.ports ?? []) if (p.nodePort) ctx.ipam.releaseNodePort(p.nodePort);
    },
  },
};
