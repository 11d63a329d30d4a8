/**
 * Namespace lifecycle: a namespace marked for deletion has its content deleted, then its
 * `kubernetes` finalizer removed, and then it goes away (kube-controller-manager's namespace
 * controller).
 */
import { StatusError } from '../apiserver/errors.js';
import type { Store } from '../apiserver/store.js';
import type { Registry } from '../registry/index.js';
import { WorkQueue } from './queue.js';

export class NamespaceController {
  readonly queue: WorkQueue;
  private stopFn: () => void;

  constructor(private readonly store: Store, private readonly registry: Registry) {
    this.queue = new WorkQueue('namespace-controller', store.clock, (key) => this.sync(key));
    const nsType = registry.forKind('', 'Namespace')!;
    this.stopFn = store.subscribe((e) => {
      if (e.rt === nsType && e.type !== 'DELETED' && e.object.metadata.deletionTimestamp) this.queue.add(e.object.metadata.name!);
      else if (e.rt.namespaced && e.type === 'DELETED') {
        const ns = store.tryGet(nsType, undefined, e.object.metadata.namespace!);
        if (ns?.metadata.deletionTimestamp) this.queue.add(ns.metadata.name!);
      }
    });
    for (const ns of store.list(nsType, undefined).items) if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name!);
  }

  stop(): void {
    this.stopFn();
  }

  async sync(name: string): Promise<void> {
    const nsType = this.registry.forKind('', 'Namespace')!;
    const ns = this.store.tryGet(nsType, undefined, name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const rt of this.store.kindsWithObjectsIn(name)) {
      for (const obj of this.store.list(rt, name).items) {
        remaining++;
        if (obj.metadata.deletionTimestamp) continue;
        try {
          await this.store.delete(rt, name, obj.metadata.name!, { propagationPolicy: 'Background' });
        } catch (err) {
          if (!(err instanceof StatusError && err.code === 404)) throw err;
        }
      }
    }
    if (remaining > 0) return; // more DELETED events will bring us back
    const finalizers: string[] = ns.spec?.finalizers ?? [];
    if (finalizers.includes('kubernetes')) {
      await this.store.guaranteedUpdate(nsType, undefined, name, (cur) => ({
        ...cur, spec: { ...(cur.spec ?? {}), finalizers: finalizers.filter((f) => f !== 'kubernetes') },
      }), { subresource: 'finalize' });
    }
  }
}
