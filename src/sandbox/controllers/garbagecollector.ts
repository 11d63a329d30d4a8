/**
 * Garbage collection by ownerReferences: when an owner goes away its dependents are deleted
 * (Background), or freed from it first when the owner was deleted with the `orphan` finalizer
 * (`--cascade=orphan`); `foregroundDeletion` owners wait for their dependents.
 */
import { StatusError } from '../apiserver/errors.js';
import type { ResourceType } from '../apiserver/resource.js';
import type { Store } from '../apiserver/store.js';
import type { KObject } from '../apiserver/types.js';
import type { Registry } from '../registry/index.js';
import { WorkQueue } from './queue.js';

interface OwnerKey {
  rt: ResourceType;
  namespace?: string;
  name: string;
  uid: string;
}

export class GarbageCollector {
  readonly queue: WorkQueue;
  private stopFn: () => void;
  private owners = new Map<string, OwnerKey>();

  constructor(private readonly store: Store, private readonly registry: Registry) {
    this.queue = new WorkQueue('garbage-collector', store.clock, (key) => this.sync(key));
    this.stopFn = store.subscribe((e) => {
      const m = e.object.metadata;
      if (e.type === 'DELETED') {
        this.enqueue({ rt: e.rt, namespace: m.namespace, name: m.name!, uid: m.uid! });
      } else if (m.deletionTimestamp && (m.finalizers?.includes('orphan') || m.finalizers?.includes('foregroundDeletion'))) {
        this.enqueue({ rt: e.rt, namespace: m.namespace, name: m.name!, uid: m.uid! });
      } else if (e.type === 'ADDED' && m.ownerReferences?.length) {
        // a dependent whose owner is already gone (created late, or restored from disk)
        for (const ref of m.ownerReferences) this.queue.add(`dangling/${m.namespace ?? ''}/${ref.uid}`);
      }
    });
  }

  stop(): void {
    this.stopFn();
  }

  private enqueue(o: OwnerKey): void {
    this.owners.set(o.uid, o);
    this.queue.add(o.uid);
  }

  /** objects whose ownerReferences name `uid` (same namespace, or anywhere for cluster owners) */
  private dependents(uid: string, namespace: string | undefined): { rt: ResourceType; obj: KObject }[] {
    const out: { rt: ResourceType; obj: KObject }[] = [];
    for (const rt of this.registry.all) {
      const ns = rt.namespaced ? namespace : undefined;
      for (const obj of this.store.list(rt, ns).items) {
        if (obj.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ rt, obj });
      }
    }
    return out;
  }

  async sync(key: string): Promise<void> {
    if (key.startsWith('dangling/')) {
      const [, ns, uid] = key.split('/');
      if (this.ownerExists(uid, ns || undefined)) return;
      this.owners.set(uid, { rt: this.registry.all[0], namespace: ns || undefined, name: '', uid });
      return this.collect(uid, ns || undefined, 'Background');
    }
    const owner = this.owners.get(key);
    if (!owner) return;
    const live = this.store.tryGet(owner.rt, owner.namespace, owner.name);
    if (live && live.metadata.uid === owner.uid) {
      const f = live.metadata.finalizers ?? [];
      if (f.includes('orphan')) {
        await this.orphan(owner.uid, owner.namespace);
        await this.dropFinalizer(owner, 'orphan');
      } else if (f.includes('foregroundDeletion')) {
        const deps = this.dependents(owner.uid, owner.namespace);
        for (const d of deps) await this.deleteQuietly(d.rt, d.obj, 'Foreground');
        if (!deps.length) await this.dropFinalizer(owner, 'foregroundDeletion');
      }
      return;
    }
    this.owners.delete(key);
    await this.collect(owner.uid, owner.namespace, 'Background');
  }

  private ownerExists(uid: string, _namespace: string | undefined): boolean {
    return this.store.hasUid(uid);
  }

  /** delete dependents that have no other live owner */
  private async collect(uid: string, namespace: string | undefined, policy: 'Background' | 'Foreground'): Promise<void> {
    for (const { rt, obj } of this.dependents(uid, namespace)) {
      const others = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (others.some((r) => this.ownerExists(r.uid, namespace))) {
        await this.store.guaranteedUpdate(rt, obj.metadata.namespace, obj.metadata.name!, (cur) => ({
          ...cur, metadata: { ...cur.metadata, ownerReferences: (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid) },
        })).catch(ignoreNotFound);
        continue;
      }
      await this.deleteQuietly(rt, obj, policy);
    }
    // foreground owners waiting on this dependent
    for (const o of this.owners.values()) if (o.uid !== uid) this.queue.add(o.uid);
  }

  private async orphan(uid: string, namespace: string | undefined): Promise<void> {
    for (const { rt, obj } of this.dependents(uid, namespace)) {
      await this.store.guaranteedUpdate(rt, obj.metadata.namespace, obj.metadata.name!, (cur) => {
        const refs = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        const meta: KObject['metadata'] = { ...cur.metadata, ownerReferences: refs };
        if (!refs.length) delete meta.ownerReferences;
        return { ...cur, metadata: meta };
      }, { fieldManager: 'kube-controller-manager' }).catch(ignoreNotFound);
    }
  }

  private async dropFinalizer(owner: OwnerKey, finalizer: string): Promise<void> {
    await this.store.guaranteedUpdate(owner.rt, owner.namespace, owner.name, (cur) => {
      const f = (cur.metadata.finalizers ?? []).filter((x) => x !== finalizer);
      const meta: KObject['metadata'] = { ...cur.metadata, finalizers: f };
      if (!f.length) delete meta.finalizers;
      return { ...cur, metadata: meta };
    }).catch(ignoreNotFound);
  }

  private async deleteQuietly(rt: ResourceType, obj: KObject, policy: 'Background' | 'Foreground'): Promise<void> {
    if (obj.metadata.deletionTimestamp) return;
    await this.store.delete(rt, obj.metadata.namespace, obj.metadata.name!, { propagationPolicy: policy }).catch(ignoreNotFound);
  }
}

function ignoreNotFound(err: unknown): void {
  if (err instanceof StatusError && err.code === 404) return;
  throw err;
}
