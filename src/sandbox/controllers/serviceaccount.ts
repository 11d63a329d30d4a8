/**
 * Every active namespace gets a `default` ServiceAccount (kube-controller-manager's
 * serviceaccounts controller) and the `kube-root-ca.crt` ConfigMap with the cluster CA
 * (the root-ca-cert-publisher), recreated if deleted.
 */
import { StatusError } from '../apiserver/errors.js';
import type { Store } from '../apiserver/store.js';
import type { Registry } from '../registry/index.js';
import { ROOT_CA_DESCRIPTION } from '../bootstrap/index.js';
import { WorkQueue } from './queue.js';

export class ServiceAccountController {
  readonly queue: WorkQueue;
  private stopFn: () => void;

  constructor(private readonly store: Store, private readonly registry: Registry, private readonly caCert: string) {
    this.queue = new WorkQueue('serviceaccount-controller', store.clock, (ns) => this.sync(ns));
    const nsType = registry.forKind('', 'Namespace')!;
    const saType = registry.forKind('', 'ServiceAccount')!;
    const cmType = registry.forKind('', 'ConfigMap')!;
    this.stopFn = store.subscribe((e) => {
      const m = e.object.metadata;
      if (e.rt === nsType && e.type === 'ADDED') this.queue.add(m.name!);
      else if (e.type === 'DELETED' && ((e.rt === saType && m.name === 'default') || (e.rt === cmType && m.name === 'kube-root-ca.crt'))) {
        this.queue.add(m.namespace!);
      }
    });
    for (const ns of store.list(nsType, undefined).items) this.queue.add(ns.metadata.name!);
  }

  stop(): void {
    this.stopFn();
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.store.tryGet(this.registry.forKind('', 'Namespace')!, undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const saType = this.registry.forKind('', 'ServiceAccount')!;
    const cmType = this.registry.forKind('', 'ConfigMap')!;
    const opts = { fieldManager: 'kube-controller-manager' };
    try {
      if (!this.store.tryGet(saType, namespace, 'default')) {
        await this.store.create(saType, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }, opts);
      }
      if (!this.store.tryGet(cmType, namespace, 'kube-root-ca.crt')) {
        await this.store.create(cmType, namespace, {
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } },
          data: { 'ca.crt': this.caCert },
        }, opts);
      }
    } catch (err) {
      // a namespace going away races with us; anything else is retried
      if (err instanceof StatusError && (err.code === 409 || err.code === 403 || err.code === 404)) return;
      throw err;
    }
  }
}
