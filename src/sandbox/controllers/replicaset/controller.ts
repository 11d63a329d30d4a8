/**
 * The ReplicaSet controller, and the ReplicationController controller as the same code with the
 * kind as data (kube runs the RC manager as the RS controller behind an adapter too).
 *
 * Watch-driven: owner and pod changes enqueue the owner's key; `sync(key)` is idempotent. It claims
 * pods (adopts matching orphans, releases owned pods whose labels stopped matching), creates or
 * deletes pods to reach spec.replicas (in slow-start batches, guarded by expectations so a pod is
 * never created twice), and writes status through the status subresource.
 */
import { isDeepStrictEqual } from 'node:util';
import { StatusError } from '../../apiserver/errors.js';
import type { ResourceType } from '../../apiserver/resource.js';
import { labelSelectorFromSpec, selectorFromMap, type LabelSelector } from '../../apiserver/selectors/labels.js';
import type { StoreEvent } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import { rfc3339, type Timer } from '../../clock.js';
import { randomSuffix } from '../../defaults/pod.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';
import { Expectations } from './expectations.js';
import {
  controllerRefOf, isPodActive, isPodAvailable, isPodReady, labelsContain, newControllerRef, podReadySince, rankPodsForDeletion,
} from './pods.js';

/** what differs between the ReplicaSet and the ReplicationController controller */
export interface ReplicaKind {
  group: string;
  kind: string;
  apiVersion: string;
  /** event source component */
  component: string;
  /** the owner's selector as a label selector (throws when invalid) */
  selector(owner: KObject): LabelSelector;
}

export const REPLICA_SET_KIND: ReplicaKind = {
  group: 'apps', kind: 'ReplicaSet', apiVersion: 'apps/v1', component: 'replicaset-controller',
  selector: (o) => labelSelectorFromSpec(o.spec?.selector),
};

export const REPLICATION_CONTROLLER_KIND: ReplicaKind = {
  // `kubectl describe rc` shows events "From: replication-controller" on a real cluster
  group: '', kind: 'ReplicationController', apiVersion: 'v1', component: 'replication-controller',
  selector: (o) => selectorFromMap(o.spec?.selector ?? {}),
};

/** at most this many pods are created or deleted per sync (kube's burstReplicas) */
export const BURST_REPLICAS = 500;
const FIELD_MANAGER = 'kube-controller-manager';

export function objectKey(obj: KObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

function isNotFound(err: unknown): boolean {
  return err instanceof StatusError && err.code === 404;
}

function isAlreadyExists(err: unknown): boolean {
  return err instanceof StatusError && err.code === 409 && err.status.reason === 'AlreadyExists';
}

/**
 * Run `fn` `count` times in batches of 1, 2, 4 … (kube's slowStartBatch): a failing batch stops
 * the rest, so a quota or admission error does not produce hundreds of failed requests.
 * Returns how many calls succeeded and the first error.
 */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ ok: number; attempted: number; error?: unknown }> {
  let remaining = count;
  let ok = 0;
  let attempted = 0;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    ok += batch - failed.length;
    attempted += batch;
    if (failed.length) return { ok, attempted, error: failed[0].reason };
    remaining -= batch;
  }
  return { ok, attempted };
}

export class ReplicaSetController implements Component {
  readonly queue: WorkQueue;
  readonly rt: ResourceType;
  private readonly podRt: ResourceType;
  private readonly expectations: Expectations;
  private readonly timers = new Set<Timer>();
  private readonly stopFn: () => void;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext, readonly k: ReplicaKind) {
    this.rt = kindOf(ctx, k.group, k.kind);
    this.podRt = kindOf(ctx, '', 'Pod');
    this.expectations = new Expectations(ctx.clock);
    this.queue = new WorkQueue(`${k.component}`, ctx.clock, (key) => this.sync(key));
    this.stopFn = ctx.store.subscribe((e) => this.onEvent(e));
    // owners that exist already (a restored cluster)
    for (const o of ctx.store.list(this.rt, undefined).items) this.queue.add(objectKey(o));
  }

  stop(): void {
    this.stopped = true;
    this.stopFn();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private enqueueAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const t = this.ctx.clock.after(ms, () => {
      this.timers.delete(t);
      if (!this.stopped) this.queue.add(key);
    });
    this.timers.add(t);
  }

  // ------------------------------------------------------------------ event handlers

  private onEvent(e: StoreEvent): void {
    if (this.stopped) return;
    if (e.rt === this.rt) {
      const key = objectKey(e.object);
      if (e.type === 'DELETED') this.expectations.delete(key);
      this.queue.add(key);
      return;
    }
    if (e.rt !== this.podRt) return;
    const pod = e.object;
    if (e.type === 'DELETED') {
      this.podGone(pod);
      return;
    }
    if (e.type === 'ADDED') {
      if (pod.metadata.deletionTimestamp) {
        this.podGone(pod);
        return;
      }
      const ref = controllerRefOf(pod);
      if (ref) {
        const owner = this.resolve(pod.metadata.namespace, ref);
        if (owner) {
          const key = objectKey(owner);
          this.expectations.creationObserved(key);
          this.queue.add(key);
        }
        return;
      }
      for (const o of this.ownersMatching(pod)) this.queue.add(objectKey(o));
      return;
    }
    // MODIFIED
    const old = e.old;
    if (!old) return;
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) {
      // a graceful deletion started: the controller counts it as gone (kube does the same)
      this.podGone(pod);
      if (!isDeepStrictEqual(pod.metadata.labels, old.metadata.labels)) this.podGone(old);
      return;
    }
    const labelsChanged = !isDeepStrictEqual(pod.metadata.labels ?? {}, old.metadata.labels ?? {});
    const cur = controllerRefOf(pod);
    const prev = controllerRefOf(old);
    const refChanged = cur?.uid !== prev?.uid;
    if (refChanged && prev) {
      const o = this.resolve(old.metadata.namespace, prev);
      if (o) this.queue.add(objectKey(o));
    }
    if (cur) {
      const owner = this.resolve(pod.metadata.namespace, cur);
      if (!owner) return;
      const key = objectKey(owner);
      this.queue.add(key);
      const min = owner.spec?.minReadySeconds ?? 0;
      if (min > 0 && !isPodReady(old) && isPodReady(pod)) this.enqueueAfter(key, min * 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const o of this.ownersMatching(pod)) this.queue.add(objectKey(o));
  }

  /** a pod of ours was deleted (or started terminating) */
  private podGone(pod: KObject): void {
    const ref = controllerRefOf(pod);
    if (!ref) return;
    const owner = this.resolve(pod.metadata.namespace, ref);
    if (!owner) return;
    const key = objectKey(owner);
    this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key);
  }

  /** the owner an ownerReference points at, if it is one of ours and still the same object */
  private resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string; apiVersion: string }): KObject | undefined {
    if (ref.kind !== this.k.kind) return undefined;
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
    if (group !== this.k.group) return undefined;
    const owner = this.ctx.store.tryGet(this.rt, namespace, ref.name);
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  }

  /** owners in the pod's namespace whose selector matches it (orphan adoption candidates) */
  private ownersMatching(pod: KObject): KObject[] {
    const out: KObject[] = [];
    for (const o of this.ctx.store.list(this.rt, pod.metadata.namespace).items) {
      try {
        const sel = this.k.selector(o);
        if (!sel.empty() && sel.matches(pod.metadata.labels ?? {})) out.push(o);
      } catch {
        /* an invalid selector selects nothing */
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ sync

  async sync(key: string): Promise<void> {
    if (this.stopped) return;
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const owner = this.ctx.store.tryGet(this.rt, namespace, name);
    if (!owner) {
      this.expectations.delete(key);
      return;
    }
    let selector: LabelSelector;
    try {
      selector = this.k.selector(owner);
    } catch {
      return; // invalid selector: nothing to do until it is fixed
    }
    const needsSync = this.expectations.satisfied(key);
    const active = this.ctx.store.list(this.podRt, namespace).items.filter(isPodActive);
    const pods = await this.claimPods(owner, selector, active);

    let manageErr: { error: unknown; reason: string } | undefined;
    if (needsSync && !owner.metadata.deletionTimestamp) manageErr = await this.manageReplicas(pods, owner, key);

    const current = this.ctx.store.tryGet(this.rt, namespace, name);
    if (!current || current.metadata.uid !== owner.metadata.uid) return;
    const status = this.calculateStatus(current, pods, manageErr);
    let updated = current;
    if (!isDeepStrictEqual(normalizeStatus(current.status), status)) {
      try {
        updated = await this.ctx.store.guaranteedUpdate(this.rt, namespace, name, (cur) => {
          if (cur.metadata.uid !== owner.metadata.uid) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: 'gone' });
          return { ...cur, status };
        }, { subresource: 'status', fieldManager: FIELD_MANAGER });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return;
      }
    }
    // pods that are ready but not yet available: look again when they will be
    const min = updated.spec?.minReadySeconds ?? 0;
    if (!manageErr && min > 0) {
      const now = this.ctx.clock.now();
      let next = Infinity;
      for (const p of pods) {
        const since = podReadySince(p);
        if (since === undefined || isPodAvailable(p, min, now)) continue;
        next = Math.min(next, since + min * 1000 - now);
      }
      if (next !== Infinity) this.enqueueAfter(key, Math.max(1, next));
    }
    if (manageErr) throw manageErr.error;
  }

  /** adopt matching orphans, release owned pods that no longer match; returns the pods we own */
  private async claimPods(owner: KObject, selector: LabelSelector, pods: KObject[]): Promise<KObject[]> {
    const out: KObject[] = [];
    const uid = owner.metadata.uid!;
    const deleting = !!owner.metadata.deletionTimestamp;
    for (const pod of pods) {
      const ref = controllerRefOf(pod);
      const matches = !selector.empty() && selector.matches(pod.metadata.labels ?? {});
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches) {
          out.push(pod);
          continue;
        }
        if (deleting) continue;
        await this.release(owner, pod);
        continue;
      }
      if (!matches || deleting || pod.metadata.deletionTimestamp) continue;
      const adopted = await this.adopt(owner, pod);
      if (adopted) out.push(adopted);
    }
    return out;
  }

  private async adopt(owner: KObject, pod: KObject): Promise<KObject | undefined> {
    // canAdopt: the owner we decided on must still be the live one and not terminating
    const live = this.ctx.store.tryGet(this.rt, owner.metadata.namespace, owner.metadata.name!);
    if (!live || live.metadata.uid !== owner.metadata.uid || live.metadata.deletionTimestamp) return undefined;
    let skipped = false;
    try {
      const res = await this.ctx.store.guaranteedUpdate(this.podRt, pod.metadata.namespace, pod.metadata.name!, (cur) => {
        if (cur.metadata.uid !== pod.metadata.uid || controllerRefOf(cur) || cur.metadata.deletionTimestamp) {
          skipped = true;
          return cur;
        }
        const refs = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
        cur.metadata.ownerReferences = [...refs, newControllerRef(owner, this.k.apiVersion, this.k.kind)];
        return cur;
      }, { fieldManager: FIELD_MANAGER });
      return skipped ? undefined : res;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async release(owner: KObject, pod: KObject): Promise<void> {
    try {
      await this.ctx.store.guaranteedUpdate(this.podRt, pod.metadata.namespace, pod.metadata.name!, (cur) => {
        if (cur.metadata.uid !== pod.metadata.uid) return cur;
        const refs = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
        if (refs.length) cur.metadata.ownerReferences = refs;
        else delete cur.metadata.ownerReferences;
        return cur;
      }, { fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (!isNotFound(err) && !(err instanceof StatusError && err.code === 422)) throw err;
    }
  }

  private async manageReplicas(pods: KObject[], owner: KObject, key: string): Promise<{ error: unknown; reason: string } | undefined> {
    const want = owner.spec?.replicas ?? 1;
    const diff = pods.length - want;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, n);
      const res = await slowStartBatch(n, 1, async () => {
        try {
          await this.createPod(owner);
        } catch (err) {
          this.expectations.creationObserved(key);
          throw err;
        }
      });
      if (res.error) {
        // the batches that never ran will not be observed either
        const skipped = n - res.attempted;
        if (skipped > 0) this.expectations.creationObserved(key, skipped);
        return { error: res.error, reason: 'FailedCreate' };
      }
      return undefined;
    }
    if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = rankPodsForDeletion(pods, this.ctx.clock.now()).slice(0, n);
      this.expectations.expectDeletions(key, victims.map(objectKey));
      let firstErr: unknown;
      await Promise.all(victims.map(async (p) => {
        try {
          await this.ctx.store.delete(this.podRt, p.metadata.namespace, p.metadata.name!, { preconditions: { uid: p.metadata.uid } });
          this.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, objectKey(p));
          if (isNotFound(err)) return;
          this.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
          firstErr ??= err;
        }
      }));
      if (firstErr) return { error: firstErr, reason: 'FailedDelete' };
    }
    return undefined;
  }

  /** a pod from the owner's template: `<name>-<5 chars>`, template labels, controller ownerReference */
  private async createPod(owner: KObject): Promise<KObject> {
    const tpl = owner.spec?.template ?? {};
    const tmeta = tpl.metadata ?? {};
    const prefix = `${owner.metadata.name}-`;
    const metadata: KObject['metadata'] = {
      generateName: prefix,
      namespace: owner.metadata.namespace,
      ownerReferences: [newControllerRef(owner, this.k.apiVersion, this.k.kind)],
    };
    if (tmeta.labels && Object.keys(tmeta.labels).length) metadata.labels = { ...tmeta.labels };
    if (tmeta.annotations && Object.keys(tmeta.annotations).length) metadata.annotations = { ...tmeta.annotations };
    if (Array.isArray(tmeta.finalizers) && tmeta.finalizers.length) metadata.finalizers = [...tmeta.finalizers];
    const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(tpl.spec ?? {}) };
    for (let attempt = 0; ; attempt++) {
      pod.metadata.name = prefix + randomSuffix(5, this.ctx.random);
      try {
        const created = await this.ctx.store.create(this.podRt, owner.metadata.namespace, pod, { fieldManager: FIELD_MANAGER });
        this.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        return created;
      } catch (err) {
        if (isAlreadyExists(err) && attempt < 8) continue;
        // a namespace being torn down refuses new content; kube stays quiet about that
        if (!(err instanceof StatusError && err.code === 403 && /being terminated/.test(err.message))) {
          this.event(owner, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        }
        throw err;
      }
    }
  }

  private calculateStatus(owner: KObject, pods: KObject[], manageErr: { error: unknown; reason: string } | undefined): Record<string, unknown> {
    const now = this.ctx.clock.now();
    const min = owner.spec?.minReadySeconds ?? 0;
    const tplLabels = owner.spec?.template?.metadata?.labels ?? {};
    const status: Record<string, unknown> = { replicas: pods.length };
    const fully = pods.filter((p) => labelsContain(p.metadata.labels, tplLabels)).length;
    const ready = pods.filter(isPodReady).length;
    const available = pods.filter((p) => isPodAvailable(p, min, now)).length;
    if (fully) status.fullyLabeledReplicas = fully;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    if (owner.metadata.generation) status.observedGeneration = owner.metadata.generation;
    const conditions: Record<string, unknown>[] = Array.isArray(owner.status?.conditions) ? owner.status.conditions.filter((c: { type: string }) => c.type !== 'ReplicaFailure') : [];
    const failure = (owner.status?.conditions ?? []).find((c: { type: string }) => c.type === 'ReplicaFailure');
    if (manageErr) {
      conditions.push(failure ?? {
        type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason: manageErr.reason,
        message: (manageErr.error as Error)?.message ?? String(manageErr.error),
      });
    }
    if (conditions.length) status.conditions = conditions;
    return status;
  }

  private event(owner: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.ctx.events.record(owner, { component: this.k.component }, { type, reason, message });
  }
}

/** the status as the controller computes it (drop what it never writes) */
function normalizeStatus(s: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(s ?? {}) };
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) if (!out[k]) delete out[k];
  if (Array.isArray(out.conditions) && !out.conditions.length) delete out.conditions;
  out.replicas ??= 0;
  return out;
}
