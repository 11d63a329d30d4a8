/**
 * kubectl cluster-info: where the control plane answers and the cluster services (those labelled
 * kubernetes.io/cluster-service=true in kube-system, or -n) through the API server's proxy.
 */
import { KubectlError } from '../client/errors.js';
import type { Command } from '../command.js';

export const clusterInfo: Command = {
  name: 'cluster-info',
  short: 'Show where the control plane and the cluster services run',
  group: 'cluster',
  usage: 'kubectl cluster-info [flags] [options]',
  example: 'kubectl cluster-info',
  async run(inv) {
    if (inv.args.length) throw new KubectlError(`unknown command ${JSON.stringify(inv.args[0])} for "kubectl cluster-info"`);
    const client = await inv.client();
    const ns = inv.changed.has('namespace') ? client.namespace : 'kube-system';
    const svcRes = await client.discovery.resolve('services');
    const list = await client.list(svcRes, ns, { labelSelector: 'kubernetes.io/cluster-service=true' });
    const server = client.rest.server;
    let text = `Kubernetes control plane is running at ${server}\n`;
    for (const svc of list.items ?? []) {
      for (const port of svc.spec?.ports ?? []) {
        let link: string;
        const ingress = svc.status?.loadBalancer?.ingress ?? [];
        if (ingress.length) {
          const ip = ingress[0].ip || ingress[0].hostname;
          link = `http://${ip}:${port.port}`;
        } else {
          const name = port.name ? `${svc.metadata.name}:${port.name}` : svc.metadata.name;
          link = `${server}/api/v1/namespaces/${svc.metadata.namespace}/services/${name}/proxy`;
        }
        const shown = svc.metadata.labels?.['kubernetes.io/name'] || svc.metadata.name;
        text += `${shown} is running at ${link}\n`;
        break;
      }
    }
    text += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
    inv.out.write(text);
  },
};
