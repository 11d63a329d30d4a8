/**
 * kubectl expose: make a Service for a pod, service, replication controller, replica set or
 * deployment — selector and ports taken from the object unless given. `service/kubia-http exposed`.
 */
import { AggregateError2, KubectlError } from '../client/errors.js';
import type { Command } from '../command.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect, OUTPUT_FLAGS, saveConfig } from './create-common.js';
import { selectObjects } from './util/builder.js';
import { applyOverrides } from './util/overrides.js';
import { buildService, portsForObject, protocolsForObject, selectorForObject } from './util/service.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const EXPOSABLE = new Set(['/ReplicationController', '/Service', '/Pod', 'apps/Deployment', 'apps/ReplicaSet', 'extensions/Deployment', 'extensions/ReplicaSet']);

export const expose: Command = {
  name: 'expose',
  short: 'Make a Service for a pod, replication controller, replica set, deployment or service',
  group: 'basic',
  usage: 'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type]',
  example: [
    'kubectl expose rc kubia --type=LoadBalancer --name kubia-http',
    'kubectl expose deployment kubia --port=80 --target-port=8080',
    'kubectl expose pod kubia-manual --port=8080 --name=kubia-manual-svc',
    'kubectl expose deploy kubia --type=NodePort --dry-run=client -o yaml',
  ].join('\n'),
  flags: [
    ...OUTPUT_FLAGS,
    { name: 'cluster-ip', type: 'string', usage: 'The cluster IP to ask for ("None" makes a headless service).' },
    DRY_RUN_FLAG,
    { name: 'external-ip', type: 'string', usage: 'An extra external IP the service accepts traffic on.' },
    { name: 'field-manager', type: 'string', default: 'kubectl-expose', usage: 'Name of the manager recorded for the fields this command sets.' },
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects to expose.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory naming the objects to expose.' },
    { name: 'labels', short: 'l', type: 'string', usage: 'Labels of the new service (default: the exposed object\'s labels).' },
    { name: 'load-balancer-ip', type: 'string', usage: 'The IP to ask the load balancer for (type LoadBalancer).' },
    { name: 'name', type: 'string', usage: 'Name of the new service (default: the exposed object\'s name).' },
    { name: 'override-type', type: 'string', default: 'merge', usage: 'How --overrides is applied: json, merge or strategic.' },
    { name: 'overrides', type: 'string', usage: 'JSON merged into the generated service before it is sent.' },
    { name: 'port', type: 'string', usage: 'The port the service listens on (default: the object\'s container ports).' },
    { name: 'protocol', type: 'string', usage: 'The protocol of the service port: TCP (default), UDP or SCTP.' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
    { name: 'save-config', type: 'bool', usage: "Record the object's configuration in an annotation so a later `kubectl apply` can compare with it." },
    { name: 'selector', type: 'string', usage: 'The pod selector of the service (default: taken from the exposed object).' },
    { name: 'session-affinity', type: 'string', usage: 'None (default) or ClientIP.' },
    { name: 'target-port', type: 'string', usage: 'The container port (number or name) traffic is sent to (default: the service port).' },
    { name: 'type', type: 'string', usage: 'ClusterIP (default), NodePort, LoadBalancer or ExternalName.' },
  ],
  async run(inv) {
    const dry = dryRunMode(inv);
    if (inv.list('filename').length || inv.str('kustomize')) throw new KubectlError("-f/-k are not supported by kube-tutor's kubectl for expose yet; name the object instead");
    const client = await inv.client();
    const sel = await selectObjects(client, { args: inv.args });
    const svcResource = await client.discovery.resolve('services');
    const errors: Error[] = [];
    let selector = inv.str('selector');
    let port = inv.str('port');
    let ports = '';
    let labels = inv.str('labels');
    let protocols: Map<string, string[]> | undefined;
    for (const entry of sel.entries) {
      if (entry instanceof Error) {
        errors.push(entry);
        continue;
      }
      try {
        const obj = entry.object;
        const r = entry.resource;
        if (!EXPOSABLE.has(`${r.group}/${r.kind}`)) throw new KubectlError(`cannot expose a ${r.group ? `${r.kind}.${r.group}` : r.kind}`);
        const defaultName = entry.name.slice(0, 63);
        if (!selector) {
          try {
            selector = selectorForObject(obj);
          } catch (e) {
            throw new KubectlError(`couldn't retrieve selectors via --selector flag or introspection: ${(e as Error).message}`);
          }
        }
        const headless = inv.str('cluster-ip') === 'None';
        if (!port) {
          const found = portsForObject(obj);
          if (found.length === 0 && !headless) throw new KubectlError("couldn't find port via --port flag or introspection");
          if (found.length === 1) port = found[0]!;
          else if (found.length > 1) ports = found.join(',');
        }
        const pm = protocolsForObject(obj);
        if (pm.size) protocols = pm;
        if (!labels) {
          labels = Object.entries(obj.metadata?.labels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
        }
        let svc = buildService({
          name: inv.str('name') || defaultName,
          selector,
          labels,
          port,
          ports,
          protocol: inv.str('protocol'),
          protocols,
          targetPort: inv.str('target-port'),
          externalIP: inv.str('external-ip'),
          type: inv.str('type'),
          loadBalancerIP: inv.str('load-balancer-ip'),
          sessionAffinity: inv.str('session-affinity'),
          clusterIP: inv.str('cluster-ip'),
        });
        if (inv.str('overrides')) svc = applyOverrides(svc, inv.str('overrides'), inv.str('override-type'));
        const printer = new ActionPrinter(inv, 'exposed', true);
        if (dry === 'client') {
          if (inv.changed.has('namespace')) svc.metadata = withNamespace(svc.metadata, client.namespace);
          printer.print(svc, dry);
          objectEffect(inv, 'exposed', svcResource, svc, client.namespace, dry);
          continue;
        }
        if (inv.bool('save-config')) saveConfig(svc);
        const created = await client.create(svcResource, client.namespace, svc, { dryRun: dry === 'server', fieldManager: inv.str('field-manager') });
        created.apiVersion ??= 'v1';
        created.kind ??= 'Service';
        printer.print(created, dry);
        objectEffect(inv, 'exposed', svcResource, created, client.namespace, dry);
      } catch (e) {
        errors.push(e as Error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length) throw new AggregateError2(errors);
  },
};

/** metadata with the namespace in ObjectMeta's field order (after name) */
function withNamespace(meta: any, ns: string): any {
  const out: any = {};
  for (const [k, v] of Object.entries(meta)) {
    out[k] = v;
    if (k === 'name') out.namespace = ns;
  }
  return out;
}
