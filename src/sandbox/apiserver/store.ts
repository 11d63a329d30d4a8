/**
 * The one generic store behind every resource: create / update / delete pipelines, optimistic
 * concurrency, graceful deletion and finalizers, list with selectors and paging, and watch
 * fan-out from a bounded event history. Per-kind behaviour comes from the ResourceType's strategy;
 * validation and defaulting come from the shared libraries keyed by GVK.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../clock.js';
import { rfc3339 } from '../clock.js';
import { defaultObject } from '../defaults/index.js';
import { validateCreate, validateUpdate } from '../validation/index.js';
import { errors, StatusError } from './errors.js';
import type { ResourceType, StrategyContext } from './resource.js';
import { apiVersionOf } from './resource.js';
import type { FieldError, KObject } from './types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rt: ResourceType;
  object: KObject;
  rv: number;
  /** the previous state for MODIFIED / DELETED */
  old?: KObject;
}

export interface PersistRecord {
  rv: number;
  key: string;
  object: KObject | null;
}

export interface Persistence {
  append(records: PersistRecord[]): Promise<void>;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** who makes the change (managedFields) */
  fieldManager?: string;
  /** write through a subresource: `status` keeps spec, the main resource keeps status */
  subresource?: 'status' | 'scale' | 'finalize';
}

export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListOptions {
  /** returns false for objects to leave out */
  filter?: (obj: KObject) => boolean;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Watcher {
  stop(): void;
}

/** Hooks that let field managers be tracked without the store knowing the algorithm. */
export interface ManagedFieldsTracker {
  track(old: KObject | undefined, updated: KObject, manager: string, subresource?: string): KObject;
}

export interface StoreConfig {
  clock: Clock;
  ctx: StrategyContext;
  persistence?: Persistence;
  managedFields?: ManagedFieldsTracker;
  /** how many past events a watch can resume from */
  historySize?: number;
  /**
   * True when someone else finishes this object's graceful deletion (a running kubelet stops the
   * pod's containers and then removes it); otherwise the store removes it when the grace period ends.
   */
  deferGracefulRemoval?: (rt: ResourceType, obj: KObject) => boolean;
}

/** 5 chars from the alphabet kube uses for generated names (no vowels, no confusables). */
const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += nameAlphabet[Math.floor(Math.random() * nameAlphabet.length)];
  return s;
}

export function storageKey(rt: ResourceType, namespace: string | undefined, name: string): string {
  return `${rt.group || 'core'}/${rt.plural}/${rt.namespaced ? namespace ?? '' : ''}/${name}`;
}

/** kinds (group/kind) whose update validation reads metadata and spec, never status */
const STATUS_FREE_VALIDATION = new Set(['/Pod', '/ReplicationController', 'apps/ReplicaSet', 'apps/Deployment', 'apps/DaemonSet', 'apps/StatefulSet']);

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Compare two objects ignoring the fields every write changes. */
function sameContent(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => {
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return isDeepStrictEqual(strip(a), strip(b));
}

export class Store {
  private readonly tables = new Map<ResourceType, Map<string, KObject>>();
  private readonly sortedKeyCache = new Map<ResourceType, string[]>();
  /** uids of every stored object */
  private readonly uids = new Set<string>();
  /** the last resourceVersion handed out (a write may still be on its way to disk) */
  private rv = 0;
  /** the last resourceVersion that is durable and visible to reads */
  private committedRv = 0;
  /**
   * Writes on their way to disk: seen by later writes (existence and conflict checks) but not by
   * reads, so no client ever sees an object a crash could take back.
   */
  private readonly pending = new Map<ResourceType, Map<string, KObject | null>>();
  private readonly history: StoreEvent[] = [];
  private historyStart = 0;
  private readonly historySize: number;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  /** serialises writes so the persisted order equals the rv order */
  private writeChain: Promise<unknown> = Promise.resolve();
  private readonly timers = new Map<string, { cancel(): void }>();

  constructor(private readonly cfg: StoreConfig) {
    this.historySize = cfg.historySize ?? 20_000;
  }

  get clock(): Clock {
    return this.cfg.clock;
  }

  /** the current (latest) resourceVersion */
  get resourceVersion(): number {
    return this.committedRv;
  }

  /** load persisted objects at startup (no events, no persistence) */
  load(rt: ResourceType, obj: KObject): void {
    this.setObject(rt, this.itemKey(rt, obj.metadata.namespace, obj.metadata.name!), obj);
    const rv = Number(obj.metadata.resourceVersion ?? 0);
    if (rv > this.rv) this.rv = this.committedRv = rv;
  }

  setResourceVersion(rv: number): void {
    if (rv > this.rv) this.rv = this.committedRv = rv;
    this.historyStart = this.rv;
  }

  /** re-arm timers for objects that were terminating when the state was saved */
  resumeTerminating(): void {
    for (const [rt, table] of this.tables) {
      for (const obj of table.values()) if (obj.metadata.deletionTimestamp) this.scheduleGracefulRemoval(rt, obj);
    }
  }

  /**
   * Write an object as given (status included): the bootstrap of a fresh cluster. Fills uid,
   * creationTimestamp, apiVersion/kind when missing; no strategy, no validation.
   */
  async seed(rt: ResourceType, input: KObject): Promise<KObject> {
    const obj = clone(input);
    obj.apiVersion = apiVersionOf(rt);
    obj.kind = rt.kind;
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= rfc3339(this.clock.now());
    if (rt.hasGeneration) obj.metadata.generation ??= 1;
    if (this.latest(rt, obj.metadata.namespace, obj.metadata.name!)) throw errors.alreadyExists(rt.group, rt.plural, obj.metadata.name!);
    return this.commit(rt, 'ADDED', obj, undefined);
  }

  // ---------------------------------------------------------------- reads

  get(rt: ResourceType, namespace: string | undefined, name: string): KObject {
    const obj = this.table(rt).get(this.itemKey(rt, namespace, name));
    if (!obj) throw errors.notFound(rt.group, rt.plural, name);
    return obj;
  }

  tryGet(rt: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    return this.table(rt).get(this.itemKey(rt, namespace, name));
  }

  /** objects of a kind, in storage-key order (namespace, then name), optionally in one namespace */
  list(rt: ResourceType, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    const table = this.table(rt);
    let keys = this.sortedKeys(rt);
    if (rt.namespaced && namespace) {
      // keys are `namespace/name` and names never contain '/': one contiguous, sorted range
      keys = keys.slice(lowerBound(keys, `${namespace}/`), lowerBound(keys, `${namespace}0`));
    }
    let start = 0;
    let listRv = this.committedRv;
    if (opts.continue) {
      const token = decodeContinue(opts.continue);
      listRv = token.rv;
      start = lowerBound(keys, token.start);
    }
    const items: KObject[] = [];
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    let i = start;
    for (; i < keys.length && items.length < limit; i++) {
      const obj = table.get(keys[i])!;
      if (opts.filter && !opts.filter(obj)) continue;
      items.push(obj);
    }
    const result: ListResult = { items, resourceVersion: String(this.committedRv) };
    if (i < keys.length) {
      // are there matches left? (kube reports a continue token whenever it stopped early)
      let remaining = 0;
      for (let j = i; j < keys.length; j++) if (!opts.filter || opts.filter(table.get(keys[j])!)) remaining++;
      if (remaining > 0) {
        result.continue = encodeContinue({ rv: listRv, start: keys[i] });
        if (!opts.filter) result.remainingItemCount = remaining;
      }
    }
    return result;
  }

  /** every object of every kind in a namespace (namespace deletion) */
  kindsWithObjectsIn(namespace: string): ResourceType[] {
    const out: ResourceType[] = [];
    for (const [rt, table] of this.tables) {
      if (!rt.namespaced) continue;
      for (const k of table.keys()) {
        if (k.startsWith(`${namespace}/`)) {
          out.push(rt);
          break;
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- writes

  async create(rt: ResourceType, namespace: string | undefined, input: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const obj = clone(input);
    const now = this.clock.now();
    obj.apiVersion = apiVersionOf(rt);
    obj.kind = rt.kind;
    const meta = (obj.metadata ??= {});
    if (rt.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace ?? meta.namespace;
      if (!meta.namespace) throw errors.badRequest('an empty namespace may not be set during creation');
      this.admitNamespace(meta.namespace);
    } else {
      delete meta.namespace;
    }
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(now);
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (rt.hasGeneration) meta.generation = 1;
    else delete meta.generation;

    defaultObject(rt, obj);
    const existing = meta.name ? this.latest(rt, meta.namespace, meta.name) : undefined;
    if (existing) throw errors.alreadyExists(rt.group, rt.plural, meta.name!);
    rt.strategy.prepareForCreate?.(obj, this.cfg.ctx);
    let failed = true;
    try {
      const errs: FieldError[] = [...validateCreate(rt, obj), ...(rt.strategy.validate?.(obj) ?? [])];
      if (errs.length) throw errors.invalid(rt.group, rt.kind, meta.name ?? '', dedupe(errs));
      if (opts.fieldManager && this.cfg.managedFields) {
        Object.assign(obj, this.cfg.managedFields.track(undefined, obj, opts.fieldManager));
      }
      if (opts.dryRun) {
        meta.resourceVersion = undefined;
        return obj;
      }
      failed = false;
    } finally {
      if (failed || opts.dryRun) rt.strategy.afterDelete?.(obj, this.cfg.ctx);
    }
    return this.commit(rt, 'ADDED', obj, undefined);
  }

  /**
   * Replace an object (PUT). `input` carries the client's resourceVersion for optimistic
   * concurrency; an empty resourceVersion means an unconditional update.
   */
  async update(rt: ResourceType, namespace: string | undefined, name: string, input: KObject, opts: WriteOptions = {}): Promise<KObject> {
    return this.updateOwned(rt, namespace, name, clone(input), opts, false);
  }

  /**
   * update() of an object the store may keep as it is: `obj` is not the caller's to use or modify
   * afterwards (guaranteedUpdate's private copy, updateStatus's fresh object). With `sharesStored`
   * the object's spec and metadata (below the top level) are those of the stored object, which
   * nothing may modify: only a status write passes them (it keeps both), and its defaulting runs
   * on a shell that carries the status alone.
   */
  private async updateOwned(rt: ResourceType, namespace: string | undefined, name: string, obj: KObject, opts: WriteOptions, sharesStored: boolean): Promise<KObject> {
    const old = this.mustLatest(rt, namespace, name);
    obj.apiVersion = apiVersionOf(rt);
    obj.kind = rt.kind;
    const meta = (obj.metadata ??= {});
    if (meta.name && meta.name !== name) {
      throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (rt.namespaced && meta.namespace && meta.namespace !== old.metadata.namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.name = name;
    if (rt.namespaced) meta.namespace = old.metadata.namespace;
    if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(rt.group, rt.plural, name);
    }
    if (meta.uid && meta.uid !== old.metadata.uid) {
      throw errors.conflict(rt.group, rt.plural, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    // system fields are the server's
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    meta.deletionTimestamp = old.metadata.deletionTimestamp;
    meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
    if (meta.managedFields === undefined && old.metadata.managedFields) meta.managedFields = old.metadata.managedFields;
    if (rt.hasGeneration) meta.generation = old.metadata.generation ?? 1;

    const requestedFinalizers = obj.spec?.finalizers;
    if (sharesStored) {
      // a status write keeps the stored spec and metadata: only what defaulting does to status counts
      const shell: KObject = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: {}, status: obj.status };
      defaultObject(rt, shell, { admission: false });
      obj.status = shell.status;
    } else {
      // admission plugins (service account token volume, default tolerations) act on create only
      defaultObject(rt, obj, { admission: false });
    }
    if (opts.subresource === 'finalize') {
      // namespaces/finalize changes spec.finalizers and nothing else
      const finalizers = requestedFinalizers;
      obj.metadata = { ...old.metadata, resourceVersion: old.metadata.resourceVersion };
      obj.spec = { ...(old.spec ?? {}), finalizers: Array.isArray(finalizers) ? finalizers : [] };
      obj.status = old.status;
    } else if (opts.subresource === 'status') {
      // a status write changes status (and may change metadata labels/annotations? no: kube keeps them)
      obj.metadata = { ...old.metadata, resourceVersion: old.metadata.resourceVersion };
      if (rt.strategy.prepareForStatusUpdate) rt.strategy.prepareForStatusUpdate(obj, old, this.cfg.ctx);
      else obj.spec = old.spec;
    } else {
      rt.strategy.prepareForUpdate?.(obj, old, this.cfg.ctx);
      if (rt.hasGeneration && !isDeepStrictEqual(obj.spec, old.spec)) meta.generation = (old.metadata.generation ?? 1) + 1;
    }
    if (meta.deletionTimestamp && old.metadata.finalizers?.length) {
      // while terminating, finalizers may only be removed
      const added = (meta.finalizers ?? []).filter((f) => !old.metadata.finalizers!.includes(f));
      if (added.length) {
        throw errors.invalid(rt.group, rt.kind, name, [{
          type: 'FieldValueForbidden', field: 'metadata.finalizers',
          detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        }]);
      }
    }
    // the update validation of these kinds looks at metadata and spec only, and a status write
    // carries the stored ones unchanged (kube's status strategies do not validate the spec either)
    const statusOnly = opts.subresource === 'status' && obj.spec === old.spec && STATUS_FREE_VALIDATION.has(`${rt.group}/${rt.kind}`);
    const errs = [...(statusOnly ? [] : validateUpdate(rt, obj, old)), ...(rt.strategy.validateUpdate?.(obj, old) ?? [])];
    if (errs.length) throw errors.invalid(rt.group, rt.kind, name, dedupe(errs));
    if (opts.fieldManager && this.cfg.managedFields) {
      Object.assign(obj, this.cfg.managedFields.track(old, obj, opts.fieldManager, opts.subresource));
    }
    meta.resourceVersion = old.metadata.resourceVersion;
    if (sameContent(obj, old)) return old; // a no-op write keeps the resourceVersion
    if (opts.dryRun) return obj;
    if (meta.deletionTimestamp && !(meta.finalizers?.length) && this.readyToRemove(rt, obj)) {
      return this.remove(rt, obj);
    }
    return this.commit(rt, 'MODIFIED', obj, old);
  }

  /**
   * Read-modify-write with the current object (patches, scale, controllers). `mutate` gets a
   * private copy and returns the object to write.
   */
  async guaranteedUpdate(
    rt: ResourceType, namespace: string | undefined, name: string,
    mutate: (current: KObject) => KObject, opts: WriteOptions = {},
  ): Promise<KObject> {
    const current = this.mustLatest(rt, namespace, name);
    const next = mutate(clone(current));
    next.metadata = { ...(next.metadata ?? {}) };
    if (!next.metadata.resourceVersion) next.metadata.resourceVersion = current.metadata.resourceVersion;
    // `next` is built from the private copy: no second copy
    return this.updateOwned(rt, namespace, name, next, opts, false);
  }

  /**
   * A status write computed from the stored object without copying it (the simulated kubelet's
   * pod status): `build` gets the current object, which it must not modify, and returns the new
   * status, a new object that may share unchanged parts of the current status (nothing may modify
   * them later); undefined means no write. Otherwise as guaranteedUpdate with
   * `subresource: 'status'`: the spec and metadata stay the stored ones.
   */
  async updateStatus(
    rt: ResourceType, namespace: string | undefined, name: string,
    build: (current: KObject) => KObject['status'] | undefined, opts: Omit<WriteOptions, 'subresource'> = {},
  ): Promise<KObject> {
    const current = this.mustLatest(rt, namespace, name);
    const status = build(current);
    if (status === undefined) return current;
    const next: KObject = { ...current, metadata: { ...current.metadata }, status };
    return this.updateOwned(rt, namespace, name, next, { ...opts, subresource: 'status' }, true);
  }

  /**
   * pods/binding: assign a pending pod to a node (what the scheduler does). Sets spec.nodeName and
   * the PodScheduled condition; a pod that already has a node is a Conflict.
   */
  async bind(rt: ResourceType, namespace: string, name: string, nodeName: string, opts: WriteOptions = {}): Promise<KObject> {
    const cur = this.mustLatest(rt, namespace, name);
    if (cur.metadata.deletionTimestamp) {
      throw errors.conflict(rt.group, rt.plural, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    if (cur.spec?.nodeName) {
      throw errors.conflict(rt.group, rt.plural, name, `pod ${name} is already assigned to node "${cur.spec.nodeName}"`);
    }
    // a new object sharing what does not change with the stored one (which nothing modifies)
    const now = rfc3339(this.clock.now());
    const conditions: { type: string }[] = (cur.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
    const obj: KObject = {
      ...cur,
      metadata: { ...cur.metadata },
      spec: { ...cur.spec, nodeName },
      status: { ...(cur.status ?? {}), conditions: [...conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] },
    };
    if (opts.fieldManager && this.cfg.managedFields) Object.assign(obj, this.cfg.managedFields.track(cur, obj, opts.fieldManager, 'binding'));
    if (opts.dryRun) return obj;
    return this.commit(rt, 'MODIFIED', obj, cur);
  }

  /**
   * DELETE: graceful deletion and finalizers leave the object in place with a deletionTimestamp;
   * otherwise it is removed. Returns the object and whether it is gone.
   */
  async delete(rt: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<{ object: KObject; removed: boolean }> {
    const current = this.mustLatest(rt, namespace, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw errors.conflict(rt.group, rt.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflict(rt.group, rt.plural, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    rt.strategy.checkDelete?.(current);
    const now = this.clock.now();
    const obj = clone(current);
    const meta = obj.metadata;
    const policy = opts.propagationPolicy ?? rt.defaultPropagation ?? 'Background';
    const finalizers = new Set(meta.finalizers ?? []);
    if (policy === 'Orphan') finalizers.add('orphan');
    if (policy === 'Foreground') finalizers.add('foregroundDeletion');
    const grace = meta.deletionTimestamp && meta.deletionGracePeriodSeconds === 0
      ? 0
      : rt.strategy.gracePeriod?.(obj, opts.gracePeriodSeconds);
    const namespaceFinalizing = rt.kind === 'Namespace' && (obj.spec?.finalizers?.length ?? 0) > 0;

    if (!finalizers.size && !namespaceFinalizing && !(grace && grace > 0)) {
      if (opts.dryRun) return { object: obj, removed: true };
      return { object: await this.remove(rt, obj), removed: true };
    }
    // stays while something still has to happen
    if (finalizers.size) meta.finalizers = [...finalizers];
    if (grace && grace > 0) {
      const at = now + grace * 1000;
      const prevAt = meta.deletionTimestamp ? Date.parse(meta.deletionTimestamp) : Infinity;
      if (at < prevAt || meta.deletionGracePeriodSeconds === undefined || grace < meta.deletionGracePeriodSeconds) {
        meta.deletionTimestamp = rfc3339(at);
        meta.deletionGracePeriodSeconds = grace;
      }
    } else {
      meta.deletionTimestamp ??= rfc3339(now);
      meta.deletionGracePeriodSeconds = 0;
    }
    if (rt.kind === 'Namespace') obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    if (opts.dryRun) return { object: obj, removed: false };
    if (sameContent(obj, current)) return { object: current, removed: false };
    const saved = await this.commit(rt, 'MODIFIED', obj, current);
    this.scheduleGracefulRemoval(rt, saved);
    return { object: saved, removed: false };
  }

  /** DELETE on a collection: every object matching the filter, like one DELETE each. */
  async deleteCollection(rt: ResourceType, namespace: string | undefined, filter: ((o: KObject) => boolean) | undefined, opts: DeleteOptions = {}): Promise<KObject[]> {
    const out: KObject[] = [];
    for (const obj of this.list(rt, namespace, { filter }).items) {
      try {
        out.push((await this.delete(rt, obj.metadata.namespace, obj.metadata.name!, opts)).object);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- watch

  /** every committed change, in order (controllers, garbage collector) */
  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Changes after `sinceRv` for `rt`: replays history then follows live events. With no
   * `sinceRv` the current objects come first as ADDED. A resourceVersion older than the history
   * window gets 410 Gone.
   */
  watch(rt: ResourceType, namespace: string | undefined, sinceRv: number | undefined, send: (e: StoreEvent) => void): Watcher {
    const relevant = (e: StoreEvent) => e.rt === rt && (!namespace || !rt.namespaced || e.object.metadata.namespace === namespace);
    if (sinceRv === undefined) {
      for (const obj of this.list(rt, namespace).items) send({ type: 'ADDED', rt, object: obj, rv: Number(obj.metadata.resourceVersion) });
    } else {
      if (sinceRv < this.historyStart) {
        throw errors.gone(`too old resource version: ${sinceRv} (${this.historyStart + 1})`);
      }
      for (const e of this.history) if (e.rv > sinceRv && relevant(e)) send(e);
    }
    const listener = (e: StoreEvent) => {
      if (relevant(e)) send(e);
    };
    this.listeners.add(listener);
    return { stop: () => this.listeners.delete(listener) };
  }

  // ---------------------------------------------------------------- internals

  /** the keys of a kind in byte order, cached until an object of that kind is added or removed */
  private sortedKeys(rt: ResourceType): string[] {
    let keys = this.sortedKeyCache.get(rt);
    if (!keys) {
      keys = [...this.table(rt).keys()].sort(byteCompare);
      this.sortedKeyCache.set(rt, keys);
    }
    return keys;
  }

  /** does any stored object have this uid? (garbage collection of dangling owner references) */
  hasUid(uid: string): boolean {
    return this.uids.has(uid);
  }

  private setObject(rt: ResourceType, key: string, obj: KObject): void {
    const table = this.table(rt);
    const prev = table.get(key);
    if (!prev) this.sortedKeyCache.delete(rt);
    else if (prev.metadata.uid !== obj.metadata.uid) this.uids.delete(prev.metadata.uid!);
    table.set(key, obj);
    if (obj.metadata.uid) this.uids.add(obj.metadata.uid);
  }

  private deleteObject(rt: ResourceType, key: string): void {
    const table = this.table(rt);
    const prev = table.get(key);
    if (!prev) return;
    table.delete(key);
    this.sortedKeyCache.delete(rt);
    if (prev.metadata.uid) this.uids.delete(prev.metadata.uid);
  }

  private table(rt: ResourceType): Map<string, KObject> {
    let t = this.tables.get(rt);
    if (!t) this.tables.set(rt, (t = new Map()));
    return t;
  }

  private itemKey(rt: ResourceType, namespace: string | undefined, name: string): string {
    return rt.namespaced ? `${namespace ?? ''}/${name}` : name;
  }

  /** NamespaceLifecycle admission: content only goes into namespaces that exist and are active */
  private admitNamespace(ns: string): void {
    const nsType = [...this.tables.keys()].find((r) => r.kind === 'Namespace' && r.group === '');
    if (!nsType) return;
    const n = this.tryGet(nsType, undefined, ns);
    if (!n) throw errors.notFound('', 'namespaces', ns);
    if (n.metadata.deletionTimestamp || n.status?.phase === 'Terminating') {
      throw new StatusError({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden',
        message: `unable to create new content in namespace ${ns} because it is being terminated`,
        details: { causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] },
      });
    }
  }

  private readyToRemove(rt: ResourceType, obj: KObject): boolean {
    if (rt.kind === 'Namespace' && (obj.spec?.finalizers?.length ?? 0) > 0) return false;
    const ts = obj.metadata.deletionTimestamp;
    if (!ts) return false;
    // a graceful deletion still running: the kubelet (or the grace timer) removes it
    return (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0 || Date.parse(ts) <= this.clock.now();
  }

  /** after the grace period a terminating object without finalizers is removed */
  private scheduleGracefulRemoval(rt: ResourceType, obj: KObject): void {
    const key = storageKey(rt, obj.metadata.namespace, obj.metadata.name!);
    this.timers.get(key)?.cancel();
    const grace = obj.metadata.deletionGracePeriodSeconds ?? 0;
    if (!grace) return;
    if (this.cfg.deferGracefulRemoval?.(rt, obj)) return;
    const due = Math.max(0, Date.parse(obj.metadata.deletionTimestamp!) - this.clock.now());
    const uid = obj.metadata.uid;
    this.timers.set(key, this.clock.after(due, () => {
      this.timers.delete(key);
      const cur = this.latest(rt, obj.metadata.namespace, obj.metadata.name!);
      if (!cur || cur.metadata.uid !== uid || cur.metadata.finalizers?.length) return;
      this.remove(rt, cur).catch(() => {});
    }));
  }

  /** remove an object for good (after finalizers and grace) */
  async remove(rt: ResourceType, obj: KObject): Promise<KObject> {
    const final = clone(obj);
    const saved = await this.commit(rt, 'DELETED', final, obj);
    rt.strategy.afterDelete?.(saved, this.cfg.ctx);
    return saved;
  }

  /**
   * Assign the next resourceVersion, persist, then make the change visible and fan it out.
   * Writes are serialised, so durable order = resourceVersion order = watch order. Until the
   * write is durable it lives in `pending`, where only other writes see it.
   */
  private commit(rt: ResourceType, type: StoreEvent['type'], obj: KObject, old: KObject | undefined): Promise<KObject> {
    const rv = ++this.rv;
    obj.metadata.resourceVersion = String(rv);
    const key = this.itemKey(rt, obj.metadata.namespace, obj.metadata.name!);
    const value = type === 'DELETED' ? null : obj;
    let pend = this.pending.get(rt);
    if (!pend) this.pending.set(rt, (pend = new Map()));
    pend.set(key, value);
    const event: StoreEvent = { type, rt, object: obj, rv, old };
    const persisted = this.cfg.persistence
      ? this.cfg.persistence.append([{ rv, key: storageKey(rt, obj.metadata.namespace, obj.metadata.name!), object: value }])
      : Promise.resolve();
    // a failed append (e.g. the log closed at shutdown) is reported through `done` below; until the
    // write chain reaches it, mark it handled so it is not an unhandled rejection that kills the process
    persisted.catch(() => undefined);
    const settle = () => {
      if (pend!.get(key) === value) pend!.delete(key);
    };
    const done = this.writeChain.then(() => persisted).then(
      () => {
        if (value === null) this.deleteObject(rt, key);
        else this.setObject(rt, key, value);
        settle();
        this.committedRv = rv;
        this.record(event);
        return obj;
      },
      (err) => {
        settle();
        throw errors.internal(`storage write failed: ${(err as Error)?.message ?? err}`);
      },
    );
    this.writeChain = done.catch(() => {});
    return done;
  }

  /** the newest state of an object, counting writes not yet durable (for write-path checks) */
  private latest(rt: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    const key = this.itemKey(rt, namespace, name);
    const pend = this.pending.get(rt);
    if (pend?.has(key)) return pend.get(key) ?? undefined;
    return this.table(rt).get(key);
  }

  private mustLatest(rt: ResourceType, namespace: string | undefined, name: string): KObject {
    const obj = this.latest(rt, namespace, name);
    if (!obj) throw errors.notFound(rt.group, rt.plural, name);
    return obj;
  }

  private record(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.historyStart = dropped[dropped.length - 1].rv;
    }
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        console.error('watch listener failed:', err);
      }
    }
  }

  /** all objects of all kinds (persistence compaction) */
  *entries(): Iterable<[string, KObject]> {
    for (const [rt, table] of this.tables) {
      for (const obj of table.values()) yield [storageKey(rt, obj.metadata.namespace, obj.metadata.name!), obj];
    }
  }
}

function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.type}|${e.field}|${e.detail ?? ''}|${JSON.stringify(e.badValue)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function encodeContinue(t: { rv: number; start: string }): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(s: string): { rv: number; start: string } {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof t.rv === 'number' && typeof t.start === 'string') return t;
  } catch {
    /* fall through */
  }
  throw errors.badRequest(`invalid continue token: ${s}`);
}
