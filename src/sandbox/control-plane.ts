/**
 * The control plane of the embedded cluster: every component a running cluster has (namespace
 * lifecycle, garbage collection, the default service, service accounts, scheduler, endpoints,
 * load balancers, node lifecycle, the workload controllers, the kubelets and the network).
 * Sandbox.startControllers() loads this module on first use.
 */
import type { ResourceType } from './apiserver/resource.js';
import type { Store } from './apiserver/store.js';
import type { KObject } from './apiserver/types.js';
import type { Clock } from './clock.js';
import type { Component, ControllerContext } from './controllers/context.js';
import { startCronJobController } from './controllers/cronjob/controller.js';
import { startDaemonSetController } from './controllers/daemonset/controller.js';
import { startDeploymentController } from './controllers/deployment/index.js';
import { startEndpointsController, startEndpointSliceControllers } from './controllers/endpoints/index.js';
import { GarbageCollector } from './controllers/garbagecollector.js';
import { startJobController } from './controllers/job/controller.js';
import { NamespaceController } from './controllers/namespace.js';
import { startNodeLifecycleController } from './controllers/nodelifecycle/index.js';
import { startReplicaSetControllers } from './controllers/replicaset/index.js';
import { startServiceLoadBalancerController } from './controllers/service/index.js';
import { ServiceAccountController } from './controllers/serviceaccount.js';
import { startKubelets, type Kubelets } from './kubelet/index.js';
import { startNetwork } from './network/index.js';
import type { Registry } from './registry/index.js';
import { startScheduler } from './scheduler/index.js';

/** start every component; the caller stops them (the kubelets are among the components) */
export function startControlPlane(ctx: ControllerContext, caCert: string): { components: Component[]; kubelets: Kubelets } {
  const { store, registry, clock } = ctx;
  const components: Component[] = [
    new NamespaceController(store, registry),
    new GarbageCollector(store, registry),
    new DefaultServiceController(store, registry, clock),
    new ServiceAccountController(store, registry, caCert),
    startScheduler(ctx),
    startEndpointsController(ctx),
    startEndpointSliceControllers(ctx),
    startServiceLoadBalancerController(ctx),
    startNodeLifecycleController(ctx),
    startReplicaSetControllers(ctx),
    startDeploymentController(ctx),
    startDaemonSetController(ctx),
    startJobController(ctx),
    startCronJobController(ctx),
  ];
  const kubelets = startKubelets(ctx);
  components.push(kubelets, startNetwork(ctx));
  return { components, kubelets };
}

/** kube-apiserver keeps default/kubernetes (service and endpoints) in place: recreate it when deleted */
class DefaultServiceController {
  private stopFn: () => void;
  constructor(store: Store, registry: Registry, clock: Clock) {
    const svc = registry.forKind('', 'Service')!;
    const ep = registry.forKind('', 'Endpoints')!;
    const templates = new Map<ResourceType, KObject>();
    for (const rt of [svc, ep]) {
      const cur = store.tryGet(rt, 'default', 'kubernetes');
      if (cur) templates.set(rt, cur);
    }
    this.stopFn = store.subscribe((e) => {
      if (e.type !== 'DELETED' || e.object.metadata.namespace !== 'default' || e.object.metadata.name !== 'kubernetes') return;
      const tpl = templates.get(e.rt);
      if (!tpl) return;
      clock.after(1000, () => {
        if (store.tryGet(e.rt, 'default', 'kubernetes')) return;
        const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, ...meta } = tpl.metadata;
        const fresh: KObject = { ...structuredClone(tpl), metadata: meta };
        if (e.rt === svc) fresh.spec = { ...fresh.spec, clusterIP: tpl.spec.clusterIP, clusterIPs: tpl.spec.clusterIPs };
        store.create(e.rt, 'default', fresh, {}).then((o) => templates.set(e.rt, o)).catch(() => {});
      });
    });
  }
  stop(): void {
    this.stopFn();
  }
}

/** the persisted objects live in `<state>/store`; certificates and the token in `<state>/pki` */
