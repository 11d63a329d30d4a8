/**
 * The Deployment controller: owns ReplicaSets named `<deployment>-<pod-template-hash>`, rolls the
 * template out with the RollingUpdate (maxSurge / maxUnavailable) or Recreate strategy, keeps
 * the revision annotations that `kubectl rollout history|undo` read, scales proportionally,
 * honours spec.paused, cleans up beyond revisionHistoryLimit, and reports the Available and
 * Progressing conditions (ProgressDeadlineExceeded on the clock).
 *
 * Watch-driven like the other controllers: Deployment, ReplicaSet and pod-deletion events
 * enqueue the deployment's key; `sync(key)` is idempotent.
 */
import { isDeepStrictEqual } from 'node:util';
import { StatusError } from '../../apiserver/errors.js';
import type { ResourceType } from '../../apiserver/resource.js';
import { labelSelectorFromSpec, type LabelSelector } from '../../apiserver/selectors/labels.js';
import type { StoreEvent } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import type { Timer } from '../../clock.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';
import { controllerRefOf, newControllerRef } from '../replicaset/pods.js';
import {
  activeReplicaSets, byCreation, computeHash, deploymentComplete, deploymentProgressing, deploymentTimedOut,
  desiredReplicasAnnotation, equalIgnoreHash, findActiveOrLatest, FAILED_RS_CREATE_REASON, FOUND_NEW_RS_REASON,
  getCondition, hasProgressDeadline, isRollingUpdate, maxReplicasAnnotation, maxRevision, maxSurge, maxUnavailable,
  MIN_AVAILABLE_REASON, MIN_UNAVAILABLE_REASON, NEW_RS_AVAILABLE_REASON, NEW_RS_REASON, newCondition,
  newRSNewReplicas, normalizeDeploymentStatus, PAUSED_REASON, POD_TEMPLATE_HASH, removeCondition, replicasOf,
  RESUMED_REASON, revisionOf, RS_UPDATED_REASON, setCondition, setDeploymentRevision, setNewReplicaSetAnnotations,
  setReplicasAnnotations, sumSpec, sumStatus, TIMED_OUT_REASON, type Condition, REVISION,
} from './util.js';

export const DEPLOYMENT_COMPONENT = 'deployment-controller';
const FIELD_MANAGER = 'kube-controller-manager';

function key(obj: KObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

function isNotFound(err: unknown): boolean {
  return err instanceof StatusError && err.code === 404;
}

function isAlreadyExists(err: unknown): boolean {
  return err instanceof StatusError && err.code === 409 && err.status.reason === 'AlreadyExists';
}

export class DeploymentController implements Component {
  readonly queue: WorkQueue;
  private readonly dRt: ResourceType;
  private readonly rsRt: ResourceType;
  private readonly podRt: ResourceType;
  private readonly timers = new Map<string, { at: number; timer: Timer }>();
  private readonly stopFn: () => void;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    this.dRt = kindOf(ctx, 'apps', 'Deployment');
    this.rsRt = kindOf(ctx, 'apps', 'ReplicaSet');
    this.podRt = kindOf(ctx, '', 'Pod');
    this.queue = new WorkQueue(DEPLOYMENT_COMPONENT, ctx.clock, (k) => this.sync(k));
    this.stopFn = ctx.store.subscribe((e) => this.onEvent(e));
    for (const d of ctx.store.list(this.dRt, undefined).items) this.queue.add(key(d));
  }

  stop(): void {
    this.stopped = true;
    this.stopFn();
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
  }

  /** look at `k` again in `ms` (one timer per key: the earliest wins) */
  private enqueueAfter(k: string, ms: number): void {
    if (this.stopped) return;
    const at = this.ctx.clock.now() + ms;
    const cur = this.timers.get(k);
    if (cur && cur.at <= at) return;
    cur?.timer.cancel();
    const timer = this.ctx.clock.after(ms, () => {
      this.timers.delete(k);
      if (!this.stopped) this.queue.add(k);
    });
    this.timers.set(k, { at, timer });
  }

  // ------------------------------------------------------------------ event handlers

  private onEvent(e: StoreEvent): void {
    if (this.stopped) return;
    if (e.rt === this.dRt) {
      this.queue.add(key(e.object));
      return;
    }
    if (e.rt === this.rsRt) {
      const rs = e.object;
      const cur = controllerRefOf(rs);
      if (e.type !== 'MODIFIED') {
        if (cur) {
          const d = this.resolve(rs.metadata.namespace, cur);
          if (d) this.queue.add(key(d));
        } else if (e.type === 'ADDED') {
          for (const d of this.deploymentsMatching(rs)) this.queue.add(key(d));
        }
        return;
      }
      const old = e.old!;
      const prev = controllerRefOf(old);
      if (prev && prev.uid !== cur?.uid) {
        const d = this.resolve(old.metadata.namespace, prev);
        if (d) this.queue.add(key(d));
      }
      if (cur) {
        const d = this.resolve(rs.metadata.namespace, cur);
        if (d) this.queue.add(key(d));
        return;
      }
      if (!isDeepStrictEqual(rs.metadata.labels, old.metadata.labels) || prev) {
        for (const d of this.deploymentsMatching(rs)) this.queue.add(key(d));
      }
      return;
    }
    if (e.rt === this.podRt && e.type === 'DELETED') {
      // Recreate waits for the old pods to be gone
      const ref = controllerRefOf(e.object);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = this.ctx.store.tryGet(this.rsRt, e.object.metadata.namespace, ref.name);
      if (!rs || rs.metadata.uid !== ref.uid) return;
      const dref = controllerRefOf(rs);
      const d = dref && this.resolve(rs.metadata.namespace, dref);
      if (d) this.queue.add(key(d));
    }
  }

  private resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string }): KObject | undefined {
    if (ref.kind !== 'Deployment') return undefined;
    const d = this.ctx.store.tryGet(this.dRt, namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private deploymentsMatching(rs: KObject): KObject[] {
    return this.ctx.store.list(this.dRt, rs.metadata.namespace).items.filter((d) => {
      try {
        const sel = labelSelectorFromSpec(d.spec?.selector);
        return !sel.empty() && sel.matches(rs.metadata.labels ?? {});
      } catch {
        return false;
      }
    });
  }

  // ------------------------------------------------------------------ sync

  async sync(k: string): Promise<void> {
    if (this.stopped) return;
    const slash = k.indexOf('/');
    const stored = this.ctx.store.tryGet(this.dRt, k.slice(0, slash), k.slice(slash + 1));
    if (!stored) return;
    const d = structuredClone(stored);
    let selector: LabelSelector;
    try {
      selector = labelSelectorFromSpec(d.spec?.selector);
    } catch {
      return;
    }
    if (selector.empty()) {
      this.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
        await this.writeDeployment(d);
      }
      return;
    }
    let rsList = await this.claimReplicaSets(d, selector);
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(d, rsList);
    await this.checkPausedConditions(d);
    if (d.spec?.paused) return this.syncScale(d, rsList);
    const scaling = await this.isScalingEvent(d, rsList);
    // isScalingEvent may have synced the new RS's annotations: work on the stored RSes
    rsList = rsList.map((rs) => this.fresh(rs)!);
    if (scaling) return this.syncScale(d, rsList);
    if (isRollingUpdate(d)) return this.rolloutRolling(d, rsList);
    return this.rolloutRecreate(d, rsList);
  }

  /** adopt matching orphan RSes, release owned ones that stopped matching */
  private async claimReplicaSets(d: KObject, selector: LabelSelector): Promise<KObject[]> {
    const out: KObject[] = [];
    const deleting = !!d.metadata.deletionTimestamp;
    for (const rs of this.ctx.store.list(this.rsRt, d.metadata.namespace).items) {
      const ref = controllerRefOf(rs);
      const matches = selector.matches(rs.metadata.labels ?? {});
      if (ref) {
        if (ref.uid !== d.metadata.uid) continue;
        if (matches) out.push(rs);
        else if (!deleting) await this.patchRS(rs, (cur) => {
          const refs = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== d.metadata.uid);
          if (refs.length) cur.metadata.ownerReferences = refs;
          else delete cur.metadata.ownerReferences;
        });
        continue;
      }
      if (!matches || deleting || rs.metadata.deletionTimestamp) continue;
      let skipped = false;
      const adopted = await this.patchRS(rs, (cur) => {
        if (controllerRefOf(cur)) {
          skipped = true;
          return;
        }
        cur.metadata.ownerReferences = [...(cur.metadata.ownerReferences ?? []), newControllerRef(d, 'apps/v1', 'Deployment')];
      });
      if (adopted && !skipped) out.push(adopted);
    }
    return out;
  }

  private async patchRS(rs: KObject, mutate: (cur: KObject) => void): Promise<KObject | undefined> {
    try {
      return await this.ctx.store.guaranteedUpdate(this.rsRt, rs.metadata.namespace, rs.metadata.name!, (cur) => {
        if (cur.metadata.uid === rs.metadata.uid) mutate(cur);
        return cur;
      }, { fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** write the RS's replicas, annotations and minReadySeconds as held in `rs` */
  private async updateRS(rs: KObject): Promise<KObject> {
    return this.ctx.store.guaranteedUpdate(this.rsRt, rs.metadata.namespace, rs.metadata.name!, (cur) => {
      if (cur.metadata.uid !== rs.metadata.uid) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 409, reason: 'Conflict', message: 'replica set was replaced' });
      cur.metadata.annotations = { ...(rs.metadata.annotations ?? {}) };
      cur.spec = { ...cur.spec, replicas: rs.spec.replicas };
      if (rs.spec.minReadySeconds) cur.spec.minReadySeconds = rs.spec.minReadySeconds;
      else delete cur.spec.minReadySeconds;
      return cur;
    }, { fieldManager: FIELD_MANAGER });
  }

  /** persist the deployment's annotations (main resource) and status (status subresource) */
  private async writeDeployment(d: KObject): Promise<void> {
    const ns = d.metadata.namespace;
    const name = d.metadata.name!;
    const cur = this.ctx.store.tryGet(this.dRt, ns, name);
    if (!cur || cur.metadata.uid !== d.metadata.uid) return;
    try {
      let saved = cur;
      if (!isDeepStrictEqual(cur.metadata.annotations ?? {}, d.metadata.annotations ?? {})) {
        saved = await this.ctx.store.guaranteedUpdate(this.dRt, ns, name, (c) => {
          c.metadata.annotations = { ...(d.metadata.annotations ?? {}) };
          return c;
        }, { fieldManager: FIELD_MANAGER });
      }
      const status = normalizeDeploymentStatus(d.status);
      if (!isDeepStrictEqual(normalizeDeploymentStatus(saved.status), status)) {
        saved = await this.ctx.store.guaranteedUpdate(this.dRt, ns, name, (c) => ({ ...c, status }), { subresource: 'status', fieldManager: FIELD_MANAGER });
      }
      d.metadata = structuredClone(saved.metadata);
      d.status = structuredClone(saved.status);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private fresh(rs: KObject | undefined): KObject | undefined {
    if (!rs) return rs;
    const cur = this.ctx.store.tryGet(this.rsRt, rs.metadata.namespace, rs.metadata.name!);
    return cur && cur.metadata.uid === rs.metadata.uid ? cur : rs;
  }

  private async checkPausedConditions(d: KObject): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === TIMED_OUT_REASON) return;
    const pausedCond = cond?.reason === PAUSED_REASON;
    const now = this.ctx.clock.now();
    d.status ??= {};
    if (d.spec?.paused && !pausedCond) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', PAUSED_REASON, 'Deployment is paused', now));
    } else if (!d.spec?.paused && pausedCond) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', RESUMED_REASON, 'Deployment is resumed', now));
    } else return;
    await this.writeDeployment(d);
  }

  private findNewReplicaSet(d: KObject, rsList: KObject[]): KObject | undefined {
    // the oldest one whose template matches (there can be more than one after odd histories)
    return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
  }

  private async getAllReplicaSetsAndSyncRevision(d: KObject, rsList: KObject[], create: boolean): Promise<{ newRS?: KObject; oldRSs: KObject[] }> {
    const existing = this.findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRS = await this.getNewReplicaSet(d, existing, oldRSs, create);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(d: KObject, existing: KObject | undefined, oldRSs: KObject[], create: boolean): Promise<KObject | undefined> {
    const newRevision = String(maxRevision(oldRSs) + 1);
    const now = this.ctx.clock.now();
    d.status ??= {};
    if (existing) {
      const rs = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, rs, newRevision, true);
      const minReady = d.spec?.minReadySeconds ?? 0;
      if (annotationsUpdated || (rs.spec?.minReadySeconds ?? 0) !== minReady) {
        rs.spec.minReadySeconds = minReady;
        const updated = await this.updateRS(rs);
        // the deployment follows the revision of its new RS
        if (setDeploymentRevision(d, updated.metadata.annotations?.[REVISION])) await this.writeDeployment(d);
        return updated;
      }
      let needsUpdate = setDeploymentRevision(d, rs.metadata.annotations?.[REVISION]);
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        setCondition(d.status, newCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${rs.metadata.name}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) await this.writeDeployment(d);
      return existing;
    }
    if (!create) return undefined;

    const template = structuredClone(d.spec.template ?? {});
    const hash = computeHash(d.spec.template, d.status?.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const name = `${d.metadata.name}-${hash}`;
    const newRS: KObject = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name, namespace: d.metadata.namespace, labels: { ...template.metadata.labels },
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      },
      spec: { replicas: 0, selector, template },
    };
    if (d.spec?.minReadySeconds) newRS.spec.minReadySeconds = d.spec.minReadySeconds;
    const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec.replicas = count;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);
    let created: KObject;
    let alreadyExists = false;
    try {
      created = await this.ctx.store.create(this.rsRt, d.metadata.namespace, newRS, { fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (isAlreadyExists(err)) {
        const rs = this.ctx.store.tryGet(this.rsRt, d.metadata.namespace, name);
        const ref = rs && controllerRefOf(rs);
        if (rs && ref?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec?.template)) {
          created = rs;
          alreadyExists = true;
        } else {
          // a hash collision: bump collisionCount so the next attempt gets another name
          d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
          await this.writeDeployment(d);
          throw err;
        }
      } else {
        if (err instanceof StatusError && err.code === 403 && /being terminated/.test(err.message)) throw err;
        const msg = `Failed to create new replica set "${name}": ${(err as Error).message}`;
        if (hasProgressDeadline(d)) {
          setCondition(d.status, newCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, msg, now));
          await this.writeDeployment(d);
        }
        this.event(d, 'Warning', FAILED_RS_CREATE_REASON, msg);
        throw err;
      }
    }
    if (!alreadyExists && count > 0) this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${count}`);
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition(d.status, newCondition('Progressing', 'True', NEW_RS_REASON, `Created new replica set "${name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeDeployment(d);
    return created;
  }

  // ------------------------------------------------------------------ scaling

  /** scale `rs` to `newScale`, updating its replica annotations; records ScalingReplicaSet */
  private async scaleReplicaSet(rs: KObject, newScale: number, d: KObject): Promise<{ scaled: boolean; rs: KObject }> {
    const oldScale = replicasOf(rs);
    const sizeNeedsUpdate = oldScale !== newScale;
    const copy = structuredClone(rs);
    const annotationsNeedUpdate = setReplicasAnnotations(copy, replicasOf(d), replicasOf(d) + maxSurge(d));
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return { scaled: false, rs };
    copy.spec.replicas = newScale;
    const updated = await this.updateRS(copy);
    if (sizeNeedsUpdate) {
      const op = oldScale < newScale ? 'up' : 'down';
      this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  private async scaleAndRecord(rs: KObject, newScale: number, d: KObject): Promise<{ scaled: boolean; rs: KObject }> {
    if (replicasOf(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d);
  }

  /** a replicas change of the deployment (or of an RS) as opposed to a template change */
  private async isScalingEvent(d: KObject, rsList: KObject[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (const rs of activeReplicaSets([newRS, ...oldRSs])) {
      const desired = desiredReplicasAnnotation(rs);
      if (desired === undefined) continue;
      if (desired !== replicasOf(d)) return true;
    }
    return false;
  }

  /** scaling and paused deployments: resize proportionally, no rollout */
  private async syncScale(d: KObject, rsList: KObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec?.paused) await this.cleanupDeployment(oldRSs.map((rs) => this.fresh(rs)!), d);
    await this.syncDeploymentStatus([...oldRSs, newRS].map((rs) => this.fresh(rs)), this.fresh(newRS), d);
  }

  private async syncStatusOnly(d: KObject, rsList: KObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  private async scale(d: KObject, newRS: KObject | undefined, oldRSs: KObject[]): Promise<void> {
    const want = replicasOf(d);
    const one = findActiveOrLatest(newRS, oldRSs);
    if (one) {
      if (replicasOf(one) !== want) await this.scaleAndRecord(one, want, d);
      return;
    }
    // the new RS is saturated: the old ones go away
    if (newRS && replicasOf(newRS) === want && desiredReplicasAnnotation(newRS) === want && (newRS.status?.availableReplicas ?? 0) === want) {
      for (const old of activeReplicaSets(oldRSs)) await this.scaleAndRecord(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    // proportional scaling across the active RSes, bounded by replicas + maxSurge
    const all = activeReplicaSets([newRS, ...oldRSs]);
    const allowed = want > 0 ? want + maxSurge(d) : 0;
    const toAdd = allowed - sumSpec(all);
    if (toAdd > 0) all.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(b, a));
    else if (toAdd < 0) all.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(a, b));
    let added = 0;
    const sizes = new Map<KObject, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = this.proportion(rs, d, toAdd, added);
        sizes.set(rs, replicasOf(rs) + p);
        added += p;
      } else sizes.set(rs, replicasOf(rs));
    }
    const leftover = toAdd - added;
    if (all.length && leftover !== 0) sizes.set(all[0], Math.max(0, sizes.get(all[0])! + leftover));
    for (const rs of all) await this.scaleReplicaSet(rs, sizes.get(rs)!, d);
  }

  private proportion(rs: KObject, d: KObject, toAdd: number, added: number): number {
    if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
    let fraction: number;
    if (replicasOf(d) === 0) fraction = -replicasOf(rs);
    else {
      const deploymentReplicas = replicasOf(d) + maxSurge(d);
      const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
      fraction = annotated ? roundHalfAway((replicasOf(rs) * deploymentReplicas) / annotated) - replicasOf(rs) : 0;
    }
    const allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  // ------------------------------------------------------------------ rollouts

  private async rolloutRolling(d: KObject, rsList: KObject[]): Promise<void> {
    const got = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
    const newRS = got.newRS!;
    const oldRSs = got.oldRSs;
    const all = () => [...oldRSs.map((rs) => this.fresh(rs)!), this.fresh(newRS)!];

    // scale the new RS up within maxSurge
    if (await this.reconcileNewReplicaSet([...oldRSs, newRS], newRS, d)) return this.syncRolloutStatus(all(), this.fresh(newRS), d);
    // scale old RSes down within maxUnavailable
    if (await this.reconcileOldReplicaSets([...oldRSs, newRS], activeReplicaSets(oldRSs), newRS, d)) return this.syncRolloutStatus(all(), this.fresh(newRS), d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs.map((rs) => this.fresh(rs)!), d);
    return this.syncRolloutStatus(all(), this.fresh(newRS), d);
  }

  private async reconcileNewReplicaSet(allRSs: KObject[], newRS: KObject, d: KObject): Promise<boolean> {
    const want = replicasOf(d);
    if (replicasOf(newRS) === want) return false;
    if (replicasOf(newRS) > want) return (await this.scaleAndRecord(newRS, want, d)).scaled;
    return (await this.scaleAndRecord(newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
  }

  private async reconcileOldReplicaSets(allRSs: KObject[], oldRSs: KObject[], newRS: KObject, d: KObject): Promise<boolean> {
    if (sumSpec(oldRSs) === 0) return false;
    const allPods = sumSpec(allRSs);
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // first the old pods that are not available anyway
    const { rss: cleaned, count: cleanup } = await this.cleanupUnhealthyReplicas(oldRSs, d, maxScaledDown);
    const scaledDown = await this.scaleDownOldForRollingUpdate([...cleaned, newRS], cleaned, d);
    return cleanup + scaledDown > 0;
  }

  private async cleanupUnhealthyReplicas(oldRSs: KObject[], d: KObject, maxCleanup: number): Promise<{ rss: KObject[]; count: number }> {
    const sorted = [...oldRSs].sort(byCreation);
    let total = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (total >= maxCleanup) break;
      const rs = sorted[i];
      const spec = replicasOf(rs);
      const avail = rs.status?.availableReplicas ?? 0;
      if (spec === 0 || spec === avail) continue;
      const n = Math.min(maxCleanup - total, spec - avail);
      if (n <= 0) continue;
      sorted[i] = (await this.scaleAndRecord(rs, spec - n, d)).rs;
      total += n;
    }
    return { rss: sorted, count: total };
  }

  private async scaleDownOldForRollingUpdate(allRSs: KObject[], oldRSs: KObject[], d: KObject): Promise<number> {
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const available = sumStatus(allRSs, 'availableReplicas');
    if (available <= minAvailable) return 0;
    const target = available - minAvailable;
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= target) break;
      const spec = replicasOf(rs);
      if (spec === 0) continue;
      const n = Math.min(spec, target - total);
      await this.scaleAndRecord(rs, spec - n, d);
      total += n;
    }
    return total;
  }

  private async rolloutRecreate(d: KObject, rsList: KObject[]): Promise<void> {
    let { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    const all = () => [...oldRSs.map((rs) => this.fresh(rs)!), this.fresh(newRS)];
    // first every old pod goes
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) if ((await this.scaleAndRecord(rs, 0, d)).scaled) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus(all(), this.fresh(newRS), d);
    if (this.oldPodsRunning(newRS, oldRSs.map((rs) => this.fresh(rs)!))) return this.syncRolloutStatus(all(), this.fresh(newRS), d);
    if (!newRS) ({ newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true));
    await this.scaleAndRecord(newRS!, replicasOf(d), d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs.map((rs) => this.fresh(rs)!), d);
    return this.syncRolloutStatus(all(), this.fresh(newRS), d);
  }

  /** any pod of an old RS that is not finished (Terminating pods count) */
  private oldPodsRunning(newRS: KObject | undefined, oldRSs: KObject[]): boolean {
    if (sumStatus(oldRSs, 'replicas') > 0) return true;
    const uids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    if (newRS) uids.delete(newRS.metadata.uid);
    for (const p of this.ctx.store.list(this.podRt, oldRSs[0]?.metadata.namespace ?? newRS?.metadata.namespace).items) {
      const ref = controllerRefOf(p);
      if (!ref || !uids.has(ref.uid)) continue;
      const phase = p.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
    return false;
  }

  /** keep at most revisionHistoryLimit old RSes (only empty, settled ones are deleted) */
  private async cleanupDeployment(oldRSs: KObject[], d: KObject): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === null) return;
    const cleanable = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - limit;
    if (diff <= 0) return;
    cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i];
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
      try {
        await this.ctx.store.delete(this.rsRt, rs.metadata.namespace, rs.metadata.name!, { preconditions: { uid: rs.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  // ------------------------------------------------------------------ status

  private calculateStatus(allRSs: (KObject | undefined)[], newRS: KObject | undefined, d: KObject): Record<string, any> {
    const available = sumStatus(allRSs, 'availableReplicas');
    const total = sumSpec(allRSs);
    const status: Record<string, any> = {
      observedGeneration: d.metadata.generation,
      replicas: sumStatus(allRSs, 'replicas'),
      updatedReplicas: newRS?.status?.replicas ?? 0,
      readyReplicas: sumStatus(allRSs, 'readyReplicas'),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
      conditions: structuredClone(d.status?.conditions ?? []),
    };
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    const now = this.ctx.clock.now();
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setCondition(status, newCondition('Available', 'True', MIN_AVAILABLE_REASON, 'Deployment has minimum availability.', now));
    } else {
      setCondition(status, newCondition('Available', 'False', MIN_UNAVAILABLE_REASON, 'Deployment does not have minimum availability.', now));
    }
    return status;
  }

  private async syncDeploymentStatus(allRSs: (KObject | undefined)[], newRS: KObject | undefined, d: KObject): Promise<void> {
    const status = this.calculateStatus(allRSs, newRS, d);
    if (isDeepStrictEqual(normalizeDeploymentStatus(d.status), normalizeDeploymentStatus(status))) return;
    d.status = status;
    await this.writeDeployment(d);
  }

  private async syncRolloutStatus(allRSs: (KObject | undefined)[], newRS: KObject | undefined, d: KObject): Promise<void> {
    const now = this.ctx.clock.now();
    const status = this.calculateStatus(allRSs, newRS, d);
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
    const current = getCondition(d.status, 'Progressing');
    const complete = status.replicas === status.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
    const rsName = newRS?.metadata.name;
    if (hasProgressDeadline(d) && !complete) {
      if (deploymentComplete(d, status)) {
        const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : 'Deployment has successfully progressed.';
        setCondition(status, newCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, msg, now));
      } else if (deploymentProgressing(d, status)) {
        const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : 'Deployment is progressing.';
        const cond = newCondition('Progressing', 'True', RS_UPDATED_REASON, msg, now);
        // progress refreshes lastUpdateTime (the deadline restarts) but not the transition time
        if (current?.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
        setCondition(status, cond);
      } else if (deploymentTimedOut(d, status, now)) {
        const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : 'Deployment has timed out progressing.';
        setCondition(status, newCondition('Progressing', 'False', TIMED_OUT_REASON, msg, now));
      }
    }
    // ReplicaFailure of the RSes shows on the deployment
    const failure = [newRS, ...allRSs].map((rs) => getCondition(rs?.status, 'ReplicaFailure')).find((c): c is Condition => !!c);
    if (failure) {
      setCondition(status, { type: 'ReplicaFailure', status: failure.status, lastUpdateTime: failure.lastTransitionTime, lastTransitionTime: failure.lastTransitionTime, reason: failure.reason, message: failure.message });
    } else removeCondition(status, 'ReplicaFailure');

    if (!isDeepStrictEqual(normalizeDeploymentStatus(d.status), normalizeDeploymentStatus(status))) {
      d.status = status;
      await this.writeDeployment(d);
    }
    this.requeueStuckDeployment(d, status);
  }

  /** a rollout that is still going: look again when its progress deadline passes */
  private requeueStuckDeployment(d: KObject, status: Record<string, any>): void {
    const cond = getCondition(status, 'Progressing');
    if (!hasProgressDeadline(d) || !cond) return;
    if (deploymentComplete(d, status) || cond.reason === TIMED_OUT_REASON || cond.reason === NEW_RS_AVAILABLE_REASON) return;
    if (d.spec?.paused) return;
    const from = Date.parse(cond.lastUpdateTime ?? '');
    if (Number.isNaN(from)) return;
    const after = from + d.spec.progressDeadlineSeconds * 1000 - this.ctx.clock.now();
    this.enqueueAfter(key(d), Math.max(0, after) + 1000);
  }

  private event(d: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.ctx.events.record(d, { component: DEPLOYMENT_COMPONENT }, { type, reason, message });
  }
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
