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
  controllerRefOf, isPodActive, isPodAvailable, isPodReady, newControllerRef, podReadySince, rankPodsForDeletion,
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

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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

/** what a sync needs to know about one pod of its group, for the owner's selector and template */
interface PodFacts { active: boolean; matches: boolean; fully: boolean; ready: boolean }

/**
 * Counts over a group's pods for one owner selector + template labels (`key`), kept current as
 * pods come and go so that a sync need not look at every pod again.
 */
interface GroupSummary {
  key: string;
  selector: LabelSelector;
  tpl: [string, string][];
  facts: Map<string, PodFacts>;
  /** active pods the selector matches / does not match */
  matched: number;
  unmatched: number;
  /** of the matched: with every template label, Ready */
  fully: number;
  ready: number;
}

class PodGroup {
  readonly pods = new Map<string, KObject>();
  summary?: GroupSummary;

  set(name: string, pod: KObject): void {
    this.pods.set(name, pod);
    const s = this.summary;
    if (!s) return;
    this.uncount(s, name);
    const f = podFacts(pod, s.selector, s.tpl);
    s.facts.set(name, f);
    count(s, f, 1);
  }

  delete(name: string): void {
    this.pods.delete(name);
    if (this.summary) this.uncount(this.summary, name);
  }

  private uncount(s: GroupSummary, name: string): void {
    const old = s.facts.get(name);
    if (!old) return;
    count(s, old, -1);
    s.facts.delete(name);
  }

  /** the summary for `key`, built from the pods when the owner's selector or template changed */
  summarize(key: string, selector: LabelSelector, tpl: [string, string][]): GroupSummary {
    if (this.summary?.key === key) return this.summary;
    const s: GroupSummary = { key, selector, tpl, facts: new Map(), matched: 0, unmatched: 0, fully: 0, ready: 0 };
    for (const [name, pod] of this.pods) {
      const f = podFacts(pod, selector, tpl);
      s.facts.set(name, f);
      count(s, f, 1);
    }
    this.summary = s;
    return s;
  }
}

function podFacts(pod: KObject, selector: LabelSelector, tpl: [string, string][]): PodFacts {
  const active = isPodActive(pod);
  const matches = active && !selector.empty() && selector.matches(pod.metadata.labels ?? {});
  return { active, matches, fully: matches && hasLabels(pod.metadata.labels, tpl), ready: matches && isPodReady(pod) };
}

function count(s: GroupSummary, f: PodFacts, d: 1 | -1): void {
  if (!f.active) return;
  if (!f.matches) {
    s.unmatched += d;
    return;
  }
  s.matched += d;
  if (f.fully) s.fully += d;
  if (f.ready) s.ready += d;
}

function hasLabels(labels: Record<string, string> | undefined, tpl: [string, string][]): boolean {
  for (const [k, v] of tpl) if (labels?.[k] !== v) return false;
  return true;
}

/**
 * The pods of every namespace grouped by the uid of their controller ownerReference ('' for pods
 * without one), kept current from the store's events. A sync looks only at its owner's pods and the
 * namespace's orphans (what kube's pod lister + selector gives it) instead of scanning the namespace.
 */
export class PodIndex {
  /** namespace → controller uid → pods */
  private readonly byNs = new Map<string, Map<string, PodGroup>>();
  /** namespace/name → the controller uid the pod is filed under */
  private readonly groupOf = new Map<string, string>();

  /** file the current version of a pod (replacing whatever version of that name was filed) */
  add(pod: KObject): void {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name!;
    const key = `${ns}/${name}`;
    const uid = controllerRefOf(pod)?.uid ?? '';
    const prev = this.groupOf.get(key);
    if (prev !== undefined && prev !== uid) this.drop(ns, prev, name);
    let groups = this.byNs.get(ns);
    if (!groups) this.byNs.set(ns, (groups = new Map()));
    let group = groups.get(uid);
    if (!group) groups.set(uid, (group = new PodGroup()));
    group.set(name, pod);
    this.groupOf.set(key, uid);
  }

  /** a pod was deleted */
  remove(pod: KObject): void {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name!;
    const key = `${ns}/${name}`;
    const prev = this.groupOf.get(key);
    if (prev === undefined) return;
    const filed = this.byNs.get(ns)?.get(prev)?.pods.get(name);
    if (filed && filed.metadata.uid !== pod.metadata.uid) return; // a newer pod of the same name
    this.drop(ns, prev, name);
    this.groupOf.delete(key);
  }

  private drop(ns: string, uid: string, name: string): void {
    const groups = this.byNs.get(ns);
    const group = groups?.get(uid);
    if (!groups || !group) return;
    group.delete(name);
    if (!group.pods.size) groups.delete(uid);
    if (!groups.size) this.byNs.delete(ns);
  }

  /** the pods whose controller ownerReference has `uid` */
  owned(namespace: string, uid: string): Iterable<KObject> {
    return this.byNs.get(namespace)?.get(uid)?.pods.values() ?? [];
  }

  /** the group of pods whose controller ownerReference has `uid` */
  group(namespace: string, uid: string): PodGroup | undefined {
    return this.byNs.get(namespace)?.get(uid);
  }

  /** the pods without a controller ownerReference */
  orphans(namespace: string): Iterable<KObject> {
    return this.byNs.get(namespace)?.get('')?.pods.values() ?? [];
  }
}

/**
 * The pods a sync claimed: either a list, or (nothing to adopt or release) counts from the group
 * summary plus a snapshot of the group from which the list is made when it is needed.
 */
interface Claimed {
  count: number;
  pods(): KObject[];
  /** counts valid for template labels `tplKey` (fast path only) */
  counts?: { tplKey: string; fully: number; ready: number };
}

function tplKeyOf(owner: KObject): string {
  return JSON.stringify(owner.spec?.template?.metadata?.labels ?? {});
}

export class ReplicaSetController implements Component {
  readonly queue: WorkQueue;
  readonly rt: ResourceType;
  private readonly podRt: ResourceType;
  private readonly expectations: Expectations;
  private readonly timers = new Set<Timer>();
  private readonly stopFn: () => void;
  private stopped = false;
  private readonly pods = new PodIndex();

  constructor(private readonly ctx: ControllerContext, readonly k: ReplicaKind) {
    this.rt = kindOf(ctx, k.group, k.kind);
    this.podRt = kindOf(ctx, '', 'Pod');
    this.expectations = new Expectations(ctx.clock);
    this.queue = new WorkQueue(`${k.component}`, ctx.clock, (key) => this.sync(key));
    // events are delivered synchronously after each commit, so the index always equals the store's reads
    for (const p of ctx.store.list(this.podRt, undefined).items) this.pods.add(p);
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
    if (e.type === 'DELETED') this.pods.remove(pod);
    else this.pods.add(pod);
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
    const pods = await this.claimPods(owner, selector);
    // the decision below keeps using this snapshot, as kube's sync does

    let manageErr: { error: unknown; reason: string } | undefined;
    if (needsSync && !owner.metadata.deletionTimestamp) manageErr = await this.manageReplicas(pods, owner, key);

    const current = this.ctx.store.tryGet(this.rt, namespace, name);
    if (!current || current.metadata.uid !== owner.metadata.uid) return;
    const status = this.calculateStatus(current, pods, manageErr);
    let updated = current;
    if (!isDeepStrictEqual(normalizeStatus(current.status), status)) {
      try {
        // `status` is new (calculateStatus), so the store can take it without copying the owner
        updated = await this.ctx.store.updateStatus(this.rt, namespace, name, (cur) => {
          if (cur.metadata.uid !== owner.metadata.uid) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: 'gone' });
          return status;
        }, { fieldManager: FIELD_MANAGER });
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
      for (const p of pods.pods()) {
        const since = podReadySince(p);
        if (since === undefined || isPodAvailable(p, min, now)) continue;
        next = Math.min(next, since + min * 1000 - now);
      }
      if (next !== Infinity) this.enqueueAfter(key, Math.max(1, next));
    }
    if (manageErr) throw manageErr.error;
  }

  /**
   * Adopt matching orphans, release owned pods that no longer match; returns the active pods we own.
   * Only the owner's pods and the namespace's orphans can be claimed, so only those are looked at;
   * adoptions and releases run one after another in storage-key (name) order.
   */
  private async claimPods(owner: KObject, selector: LabelSelector): Promise<Claimed> {
    const namespace = owner.metadata.namespace ?? '';
    const uid = owner.metadata.uid!;
    const deleting = !!owner.metadata.deletionTimestamp;
    const empty = selector.empty();
    const adoptable: KObject[] = [];
    if (!deleting && !empty) {
      for (const pod of this.pods.orphans(namespace)) {
        // isPodActive includes "not being deleted"
        if (isPodActive(pod) && selector.matches(pod.metadata.labels ?? {})) adoptable.push(pod);
      }
    }
    const group = this.pods.group(namespace, uid);
    if (!adoptable.length && !group) return { count: 0, pods: () => [] };
    if (!adoptable.length && group) {
      const tplLabels = (owner.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
      const tplKey = JSON.stringify(tplLabels);
      const s = group.summarize(`${JSON.stringify(owner.spec?.selector ?? null)} ${tplKey}`, selector, Object.entries(tplLabels));
      if (!s.unmatched) {
        // nothing to adopt or release: every active pod of the group is ours
        const snapshot = [...group.pods.values()];
        let list: KObject[] | undefined;
        return {
          count: s.matched,
          pods: () => (list ??= snapshot.filter(isPodActive)),
          counts: { tplKey, fully: s.fully, ready: s.ready },
        };
      }
    }
    const out: KObject[] = [];
    const actions: { pod: KObject; adopt: boolean }[] = [];
    for (const pod of this.pods.owned(namespace, uid)) {
      if (!isPodActive(pod)) continue;
      if (!empty && selector.matches(pod.metadata.labels ?? {})) out.push(pod);
      else if (!deleting) actions.push({ pod, adopt: false });
    }
    for (const pod of adoptable) actions.push({ pod, adopt: true });
    if (actions.length > 1) actions.sort((x, y) => byteCompare(x.pod.metadata.name!, y.pod.metadata.name!));
    for (const { pod, adopt } of actions) {
      if (!adopt) {
        await this.release(owner, pod);
        continue;
      }
      const adopted = await this.adopt(owner, pod);
      if (adopted) out.push(adopted);
    }
    return { count: out.length, pods: () => out };
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

  private async manageReplicas(pods: Claimed, owner: KObject, key: string): Promise<{ error: unknown; reason: string } | undefined> {
    const want = owner.spec?.replicas ?? 1;
    const diff = pods.count - want;
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
      const victims = rankPodsForDeletion(pods.pods(), this.ctx.clock.now()).slice(0, n);
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
    // store.create copies its input: the template's spec can go in as it is
    const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata, spec: tpl.spec ?? {} };
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

  private calculateStatus(owner: KObject, claimed: Claimed, manageErr: { error: unknown; reason: string } | undefined): Record<string, unknown> {
    const now = this.ctx.clock.now();
    const min = owner.spec?.minReadySeconds ?? 0;
    const status: Record<string, unknown> = { replicas: claimed.count };
    let fully = 0;
    let ready = 0;
    let available = 0;
    if (claimed.counts && !min && claimed.counts.tplKey === tplKeyOf(owner)) {
      ({ fully, ready } = claimed.counts);
      available = ready;
    } else {
      // one pass: fully labeled, ready, available
      const tplLabels = Object.entries((owner.spec?.template?.metadata?.labels ?? {}) as Record<string, string>);
      for (const p of claimed.pods()) {
        if (hasLabels(p.metadata.labels, tplLabels)) fully++;
        if (!isPodReady(p)) continue;
        ready++;
        if (!min || isPodAvailable(p, min, now)) available++;
      }
    }
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
