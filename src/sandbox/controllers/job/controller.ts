/**
 * The Job controller (kube-controller-manager's `job-controller`) with the TTL-after-finished
 * controller folded in. Watch-driven: Job and Pod changes enqueue the Job; `sync(key)` is
 * idempotent and guarded by expectations.
 *
 * Behaviour follows kube 1.33:
 * - active pods = min(parallelism, completions - succeeded); `completions: null` jobs stop
 *   creating pods once one has succeeded;
 * - pods carry the `batch.kubernetes.io/job-tracking` finalizer; finished pods are first listed in
 *   `status.uncountedTerminatedPods`, then their finalizer is removed, then they are counted;
 * - pod failures (restartPolicy Never: a Failed pod; a deleted unfinished pod) count toward
 *   backoffLimit; for OnFailure the containers' restartCount of running pods does; new pods after
 *   failures wait 10 s × 2^(failures-1) (max 6 min);
 * - finishing writes the interim SuccessCriteriaMet / FailureTarget condition first and the
 *   terminal Complete / Failed condition once no pod is terminating (JobManagedBy and
 *   JobPodReplacementPolicy are on by default in 1.33);
 * - activeDeadlineSeconds (DeadlineExceeded), suspend / resume, ttlSecondsAfterFinished.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ResourceType } from '../../apiserver/resource.js';
import type { KObject } from '../../apiserver/types.js';
import { rfc3339 } from '../../clock.js';
import type { EventRecord } from '../../events.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';
import {
  Expectations, FIELD_MANAGER, Requeuer, controllerRef, controllerRefOf, generateName, isAlreadyExists, isNotFound,
  isPodActive, isPodReady, isPodTerminating, isTerminal, splitKey,
} from './util.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
const SOURCE = { component: 'job-controller' };
/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 6 * 60_000;

interface Condition {
  type: string;
  status: string;
  lastProbeTime: string;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

interface Finish {
  type: 'SuccessCriteriaMet' | 'FailureTarget';
  reason: string;
  message: string;
}

interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime: number;
}

export class JobController implements Component {
  readonly queue: WorkQueue;
  private readonly jobs: ResourceType;
  private readonly pods: ResourceType;
  private readonly expectations: Expectations;
  private readonly requeue: Requeuer;
  private readonly backoff = new Map<string, BackoffRecord>();
  /** pod uids whose tracking finalizer this controller is removing (finalizerExpectations) */
  private readonly removing = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ControllerContext) {
    this.jobs = kindOf(ctx, 'batch', 'Job');
    this.pods = kindOf(ctx, '', 'Pod');
    this.expectations = new Expectations(() => ctx.clock.now());
    this.queue = new WorkQueue('job-controller', ctx.clock, (key) => this.sync(key));
    this.requeue = new Requeuer(ctx, (key) => this.queue.add(key));
    this.unsubscribe = ctx.store.subscribe((e) => {
      const m = e.object.metadata;
      if (e.rt === this.jobs) {
        this.queue.add(`${m.namespace}/${m.name}`);
      } else if (e.rt === this.pods) {
        const ref = controllerRefOf(e.object) ?? (e.old ? controllerRefOf(e.old) : undefined);
        if (!ref || ref.kind !== 'Job') return;
        const key = `${m.namespace}/${ref.name}`;
        if (e.type === 'ADDED') this.expectations.creationObserved(key);
        else if (e.type === 'MODIFIED' && m.deletionTimestamp && !e.old?.metadata.deletionTimestamp) this.expectations.deletionObserved(key);
        else if (e.type === 'DELETED' && !e.old?.metadata.deletionTimestamp) this.expectations.deletionObserved(key);
        this.queue.add(key);
      }
    });
    for (const job of ctx.store.list(this.jobs, undefined).items) this.queue.add(`${job.metadata.namespace}/${job.metadata.name}`);
  }

  stop(): void {
    this.unsubscribe();
    this.requeue.stop();
  }

  async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const job = this.ctx.store.tryGet(this.jobs, ns, name);
    if (!job) {
      this.expectations.delete(key);
      this.backoff.delete(key);
      this.requeue.cancel(key);
      await this.releaseOrphans(ns, name);
      return;
    }
    const uid = job.metadata.uid!;
    const allPods = this.ctx.store.list(this.pods, ns).items.filter((p) => {
      const ref = controllerRefOf(p);
      return ref?.kind === 'Job' && ref.uid === uid;
    });
    // pods of an earlier Job with the same name lose their finalizer too
    await this.releaseOrphans(ns, name, uid);

    if (isFinished(job)) {
      this.backoff.delete(key);
      await this.removeFinalizers(allPods.filter(hasTrackingFinalizer));
      await this.handleTTL(key, job);
      return;
    }
    if (job.metadata.deletionTimestamp) {
      await this.removeFinalizers(allPods.filter(hasTrackingFinalizer));
      return;
    }

    const spec = job.spec ?? {};
    const now = this.ctx.clock.now();
    const status: Record<string, any> = structuredClone(job.status ?? {});
    const conditions: Condition[] = status.conditions ?? [];
    const uncountedSucceeded = new Set<string>(status.uncountedTerminatedPods?.succeeded ?? []);
    const uncountedFailed = new Set<string>(status.uncountedTerminatedPods?.failed ?? []);
    const suspended = spec.suspend === true;

    // uids whose finalizer is gone are counted now
    const withFinalizer = new Set(allPods.filter((p) => hasTrackingFinalizer(p) && !this.removing.has(p.metadata.uid!)).map((p) => p.metadata.uid!));
    this.countUncounted(status, uncountedSucceeded, uncountedFailed, withFinalizer);

    const tracked = allPods.filter((p) => withFinalizer.has(p.metadata.uid!));
    const newSucceeded = tracked.filter((p) => p.status?.phase === 'Succeeded' && !uncountedSucceeded.has(p.metadata.uid!) && !uncountedFailed.has(p.metadata.uid!));
    const newFailed = tracked.filter((p) => isPodFailed(p) && !uncountedFailed.has(p.metadata.uid!) && !uncountedSucceeded.has(p.metadata.uid!));
    const succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncountedSucceeded.size;
    const failed = (status.failed ?? 0) + newFailed.length + uncountedFailed.size;
    this.recordBackoff(key, newSucceeded, newFailed);

    if (!status.startTime && !suspended) status.startTime = rfc3339(now);

    let active = allPods.filter(isPodActive);
    let terminating = allPods.filter(isPodTerminating).length;
    let activeCount = active.length;
    let ready = active.filter(isPodReady).length;
    let finish: Finish | undefined;
    const successMet = conditions.find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    const failureTarget = conditions.find((c) => c.type === 'FailureTarget' && c.status === 'True');
    if (successMet) finish = { type: 'SuccessCriteriaMet', reason: successMet.reason ?? '', message: successMet.message ?? '' };
    else if (failureTarget) finish = { type: 'FailureTarget', reason: failureTarget.reason ?? '', message: failureTarget.message ?? '' };
    if (!finish) {
      const backoffLimit = spec.backoffLimit ?? 6;
      if (failed > backoffLimit || pastBackoffLimitOnFailure(job, allPods)) {
        finish = { type: 'FailureTarget', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
      } else if (spec.activeDeadlineSeconds != null && !suspended && status.startTime) {
        const deadline = Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000;
        if (now >= deadline) finish = { type: 'FailureTarget', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
        else this.requeue.after(key, deadline - now);
      }
    }

    let suspendEvent: EventRecord | undefined;
    if (finish?.type === 'FailureTarget') {
      // a failing Job stops its running pods (their finalizers are removed below)
      for (const p of active) {
        try {
          await this.ctx.store.delete(this.pods, ns, p.metadata.name!, {});
          if (isPodReady(p)) ready--;
          terminating++;
          activeCount--;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          activeCount--;
        }
      }
      active = [];
    } else if (!finish) {
      if (this.expectations.satisfied(key)) {
        const res = await this.manageJob(key, job, active, succeeded);
        activeCount = res.active;
        terminating += res.deleted;
        ready = Math.max(0, ready - res.deletedReady);
      }
      const completions = spec.completions;
      const complete = completions == null ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
      if (complete) {
        finish = { type: 'SuccessCriteriaMet', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
      } else if (suspended) {
        if (setCondition(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
          suspendEvent = { type: 'Normal', reason: 'Suspended', message: 'Job suspended' };
        }
      } else if (conditions.some((c) => c.type === 'Suspended' && c.status === 'True')) {
        setCondition(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
        suspendEvent = { type: 'Normal', reason: 'Resumed', message: 'Job resumed' };
        status.startTime = rfc3339(now);
      }
    }

    // ---- tracking: uncounted → finalizers removed → counters
    const toRelease: KObject[] = [];
    for (const p of tracked) {
      const pUid = p.metadata.uid!;
      const podFailed = isPodFailed(p) || (finish?.type === 'FailureTarget' && p.status?.phase !== 'Succeeded');
      if (!(finish || p.status?.phase === 'Succeeded' || podFailed)) continue;
      toRelease.push(p);
      if (p.status?.phase === 'Succeeded' && !uncountedFailed.has(pUid)) uncountedSucceeded.add(pUid);
      else if (podFailed && !uncountedSucceeded.has(pUid)) uncountedFailed.add(pUid);
    }
    if (finish && !conditions.some((c) => c.type === finish!.type && c.status === 'True')) {
      conditions.push(newCondition(finish.type, 'True', finish.reason, finish.message, now));
    }
    status.active = activeCount;
    status.ready = Math.max(0, ready);
    status.terminating = terminating;
    if (conditions.length) status.conditions = conditions;
    status.uncountedTerminatedPods = uncountedOf(uncountedSucceeded, uncountedFailed);
    tidyCounters(status);
    await this.writeStatus(ns, name, uid, status);

    if (toRelease.length) {
      const released = await this.removeFinalizers(toRelease);
      const gone = new Set(withFinalizer);
      for (const u of released) gone.delete(u);
      this.countUncounted(status, uncountedSucceeded, uncountedFailed, gone);
      status.uncountedTerminatedPods = uncountedOf(uncountedSucceeded, uncountedFailed);
    }

    let finishedEvent: EventRecord | undefined;
    if (finish && uncountedSucceeded.size + uncountedFailed.size === 0 && terminating === 0) {
      const type = finish.type === 'SuccessCriteriaMet' ? 'Complete' : 'Failed';
      conditions.push(newCondition(type, 'True', finish.reason, finish.message, now));
      status.conditions = conditions;
      if (type === 'Complete') {
        status.completionTime = rfc3339(now);
        finishedEvent = { type: 'Normal', reason: 'Completed', message: 'Job completed' };
      } else {
        finishedEvent = { type: 'Warning', reason: finish.reason, message: finish.message };
      }
    }
    tidyCounters(status);
    const written = await this.writeStatus(ns, name, uid, status);
    if (suspendEvent) void this.ctx.events.record(written ?? job, SOURCE, suspendEvent);
    if (finishedEvent) {
      void this.ctx.events.record(written ?? job, SOURCE, finishedEvent);
      if (written) await this.handleTTL(key, written);
    }
  }

  /** create or delete pods so that the right number are active; returns the new active count */
  private async manageJob(key: string, job: KObject, active: KObject[], succeeded: number): Promise<{ active: number; deleted: number; deletedReady: number }> {
    const spec = job.spec ?? {};
    const parallelism: number = spec.parallelism ?? 1;
    if (spec.suspend === true) {
      const r = await this.deletePods(key, job, active);
      return { active: active.length - r.deleted, ...r };
    }
    let wantActive: number;
    if (spec.completions == null) wantActive = succeeded > 0 ? Math.min(active.length, parallelism) : parallelism;
    else wantActive = Math.max(0, Math.min(spec.completions - succeeded, parallelism));
    const excess = active.length - wantActive;
    if (excess > 0) {
      const victims = [...active].sort(deletionOrder).slice(0, excess);
      const r = await this.deletePods(key, job, victims);
      return { active: active.length - r.deleted, ...r };
    }
    const diff = wantActive - active.length;
    if (diff <= 0) return { active: active.length, deleted: 0, deletedReady: 0 };
    const wait = this.remainingBackoff(key);
    if (wait > 0) {
      this.requeue.after(key, wait);
      return { active: active.length, deleted: 0, deletedReady: 0 };
    }
    this.expectations.expectCreations(key, diff);
    let created = 0;
    let firstErr: unknown;
    for (let i = 0; i < diff; i++) {
      try {
        const pod = await this.createPod(job);
        created++;
        void this.ctx.events.record(job, SOURCE, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}` });
      } catch (err) {
        this.expectations.creationObserved(key);
        firstErr ??= err;
        void this.ctx.events.record(job, SOURCE, { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${(err as Error).message}` });
        // skip the rest, like kube's slow start on the first error
        for (let j = i + 1; j < diff; j++) this.expectations.creationObserved(key);
        break;
      }
    }
    if (firstErr) throw firstErr;
    return { active: active.length + created, deleted: 0, deletedReady: 0 };
  }

  private async createPod(job: KObject): Promise<KObject> {
    const tpl = job.spec?.template ?? {};
    const meta = tpl.metadata ?? {};
    for (let attempt = 0; ; attempt++) {
      const pod: KObject = {
        apiVersion: 'v1', kind: 'Pod',
        metadata: {
          name: generateName(job.metadata.name!, this.ctx.random),
          namespace: job.metadata.namespace,
          labels: { ...(meta.labels ?? {}) },
          ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
          ownerReferences: [controllerRef(job, 'batch/v1', 'Job')],
          finalizers: [JOB_TRACKING_FINALIZER],
        },
        spec: structuredClone(tpl.spec ?? {}),
      };
      try {
        return await this.ctx.store.create(this.pods, job.metadata.namespace, pod, { fieldManager: FIELD_MANAGER });
      } catch (err) {
        if (isAlreadyExists(err) && attempt < 5) continue;
        throw err;
      }
    }
  }

  private async deletePods(key: string, job: KObject, pods: KObject[]): Promise<{ deleted: number; deletedReady: number }> {
    if (!pods.length) return { deleted: 0, deletedReady: 0 };
    this.expectations.expectDeletions(key, pods.length);
    let deleted = 0;
    let deletedReady = 0;
    for (const p of pods) {
      try {
        // the finalizer goes first: a pod deleted by the controller is not counted as failed
        await this.removeFinalizers([p]);
        await this.ctx.store.delete(this.pods, p.metadata.namespace, p.metadata.name!, {});
        deleted++;
        if (isPodReady(p)) deletedReady++;
        void this.ctx.events.record(job, SOURCE, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}` });
      } catch (err) {
        this.expectations.deletionObserved(key);
        if (!isNotFound(err)) throw err;
      }
    }
    return { deleted, deletedReady };
  }

  /** remove the tracking finalizer; returns the uids that no longer carry it */
  private async removeFinalizers(pods: KObject[]): Promise<string[]> {
    const done: string[] = [];
    for (const p of pods) {
      const uid = p.metadata.uid!;
      this.removing.add(uid);
      try {
        await this.ctx.store.guaranteedUpdate(this.pods, p.metadata.namespace, p.metadata.name!, (cur) => {
          if (cur.metadata.uid !== uid) return cur;
          const f = (cur.metadata.finalizers ?? []).filter((x) => x !== JOB_TRACKING_FINALIZER);
          const meta = { ...cur.metadata, finalizers: f };
          if (!f.length) delete (meta as { finalizers?: string[] }).finalizers;
          return { ...cur, metadata: meta };
        }, { fieldManager: FIELD_MANAGER });
        done.push(uid);
      } catch (err) {
        if (!isNotFound(err)) {
          this.removing.delete(uid);
          throw err;
        }
        done.push(uid);
      }
      this.removing.delete(uid);
    }
    return done;
  }

  /** pods of a Job that is gone (or replaced by a new one of the same name) lose their finalizer */
  private async releaseOrphans(ns: string, name: string, keepUid?: string): Promise<void> {
    const orphans = this.ctx.store.list(this.pods, ns).items.filter((p) => {
      const ref = controllerRefOf(p);
      return hasTrackingFinalizer(p) && ref?.kind === 'Job' && ref.name === name && ref.uid !== keepUid;
    });
    if (orphans.length) await this.removeFinalizers(orphans);
  }

  private countUncounted(status: Record<string, any>, us: Set<string>, uf: Set<string>, withFinalizer: Set<string>): void {
    for (const u of [...us]) {
      if (withFinalizer.has(u)) continue;
      us.delete(u);
      status.succeeded = (status.succeeded ?? 0) + 1;
    }
    for (const u of [...uf]) {
      if (withFinalizer.has(u)) continue;
      uf.delete(u);
      status.failed = (status.failed ?? 0) + 1;
    }
  }

  private recordBackoff(key: string, newSucceeded: KObject[], newFailed: KObject[]): void {
    const rec = this.backoff.get(key) ?? { failuresAfterLastSuccess: 0, lastFailureTime: 0 };
    if (newSucceeded.length) rec.failuresAfterLastSuccess = 0;
    for (const p of newFailed) {
      rec.failuresAfterLastSuccess++;
      rec.lastFailureTime = Math.max(rec.lastFailureTime, finishedTime(p, this.ctx.clock.now()));
    }
    this.backoff.set(key, rec);
  }

  private remainingBackoff(key: string): number {
    const rec = this.backoff.get(key);
    if (!rec || rec.failuresAfterLastSuccess === 0) return 0;
    const delay = Math.min(BACKOFF_BASE_MS * 2 ** (rec.failuresAfterLastSuccess - 1), BACKOFF_MAX_MS);
    return rec.lastFailureTime + delay - this.ctx.clock.now();
  }

  /** the TTL-after-finished controller: delete a finished Job `ttlSecondsAfterFinished` later */
  private async handleTTL(key: string, job: KObject): Promise<void> {
    const ttl = job.spec?.ttlSecondsAfterFinished;
    if (ttl == null || job.metadata.deletionTimestamp) return;
    const cond = (job.status?.conditions ?? []).find((c: Condition) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    if (!cond?.lastTransitionTime) return;
    const left = Date.parse(cond.lastTransitionTime) + ttl * 1000 - this.ctx.clock.now();
    if (left > 0) {
      this.requeue.after(key, left);
      return;
    }
    try {
      // kube's ttlafterfinished controller cascades in the foreground, with a uid precondition
      await this.ctx.store.delete(this.jobs, job.metadata.namespace, job.metadata.name!, {
        propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async writeStatus(ns: string, name: string, uid: string, next: Record<string, any>): Promise<KObject | undefined> {
    const cur = this.ctx.store.tryGet(this.jobs, ns, name);
    if (!cur || cur.metadata.uid !== uid) return undefined;
    if (isDeepStrictEqual(cur.status ?? {}, next)) return cur;
    try {
      return await this.ctx.store.guaranteedUpdate(this.jobs, ns, name, (c) => ({ ...c, status: structuredClone(next) }), {
        subresource: 'status', fieldManager: FIELD_MANAGER,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

export function startJobController(ctx: ControllerContext): Component {
  return new JobController(ctx);
}

// ---------------------------------------------------------------- helpers

export function isFinished(job: KObject): boolean {
  return (job.status?.conditions ?? []).some((c: Condition) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

function hasTrackingFinalizer(p: KObject): boolean {
  return (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

/** with podReplacementPolicy TerminatingOrFailed a pod being deleted counts as failed at once */
function isPodFailed(p: KObject): boolean {
  if (p.status?.phase === 'Failed') return true;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

/** restartPolicy OnFailure: the kubelet restarts containers in place; their restarts count */
function pastBackoffLimitOnFailure(job: KObject, pods: KObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** the latest container finish time, else the deletion time, else now */
function finishedTime(p: KObject, now: number): number {
  let t = 0;
  for (const s of p.status?.containerStatuses ?? []) {
    const f = s.state?.terminated?.finishedAt;
    if (f) t = Math.max(t, Date.parse(f));
  }
  if (t) return t;
  if (p.metadata.deletionTimestamp) return Date.parse(p.metadata.deletionTimestamp);
  return now;
}

/** pods to delete first: unscheduled, then not ready, then the newest */
function deletionOrder(a: KObject, b: KObject): number {
  const sa = a.spec?.nodeName ? 1 : 0;
  const sb = b.spec?.nodeName ? 1 : 0;
  if (sa !== sb) return sa - sb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  return String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? ''));
}

function newCondition(type: string, status: string, reason: string, message: string, now: number): Condition {
  const ts = rfc3339(now);
  const c: Condition = { type, status, lastProbeTime: ts, lastTransitionTime: ts };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** ensureJobConditionStatus: returns true when the condition changed */
function setCondition(conds: Condition[], type: string, status: string, reason: string, message: string, now: number): boolean {
  const c = conds.find((x) => x.type === type);
  if (!c) {
    if (status === 'False') return false;
    conds.push(newCondition(type, status, reason, message, now));
    return true;
  }
  if (c.status === status && c.reason === reason && c.message === message) return false;
  const ts = rfc3339(now);
  if (c.status !== status) c.lastTransitionTime = ts;
  c.status = status;
  c.reason = reason;
  c.message = message;
  c.lastProbeTime = ts;
  return true;
}

function uncountedOf(us: Set<string>, uf: Set<string>): Record<string, string[]> {
  const u: Record<string, string[]> = {};
  if (us.size) u.succeeded = [...us];
  if (uf.size) u.failed = [...uf];
  return u;
}

/** int32 counters with omitempty disappear at 0, like the Go types serialise them */
function tidyCounters(status: Record<string, any>): void {
  for (const k of ['active', 'succeeded', 'failed']) if (!status[k]) delete status[k];
}
