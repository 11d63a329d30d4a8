/**
 * The scheduler component (kube-scheduler's default profile): pending pods of `default-scheduler`
 * go through a work queue, one attempt at a time; a fitting node gets the pod through pods/binding
 * and a `Scheduled` event; otherwise a `FailedScheduling` event and PodScheduled=False
 * (Unschedulable) carry the FitError message, and the pod waits as kube's scheduling queue does:
 * a change that may help (node added, node labels/taints/unschedulable/allocatable/readiness
 * changed, an assigned pod gone, the pod's own spec changed) retries it once its backoff (1 s
 * doubling to 10 s per failed attempt) is over; without any, it is retried after 5 minutes.
 */
import { StatusError } from '../apiserver/errors.js';
import type { ResourceType } from '../apiserver/resource.js';
import type { StoreEvent } from '../apiserver/store.js';
import type { KObject } from '../apiserver/types.js';
import { rfc3339, type Timer } from '../clock.js';
import { kindOf, type Component, type ControllerContext } from '../controllers/context.js';
import { WorkQueue } from '../controllers/queue.js';
import { NodeInfoCache } from './cache.js';
import { schedulePod } from './framework.js';
import { defaultProfile, type Profile } from './plugins/index.js';
import { podInfo, podKey } from './podinfo.js';

export const SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerOptions {
  /** first backoff after a failed attempt (kube: podInitialBackoffSeconds 1) */
  initialBackoffMs?: number;
  /** backoff cap (kube: podMaxBackoffSeconds 10) */
  maxBackoffMs?: number;
  /** an unschedulable pod nothing woke up is retried after this long (kube: 5 minutes) */
  unschedulableTimeoutMs?: number;
  profile?: Profile;
}

interface PodState {
  uid: string | undefined;
  attempts: number;
  /** no retry before this time */
  backoffUntil: number;
  /** waiting for a change (true) or already due for a retry (false) */
  unschedulable: boolean;
  timer?: Timer;
}

export class Scheduler implements Component {
  readonly queue: WorkQueue;
  readonly cache: NodeInfoCache;
  private readonly pods: ResourceType;
  private readonly states = new Map<string, PodState>();
  /** bumped by every change that may help unschedulable pods */
  private moves = 0;
  private readonly stopFn: () => void;
  private readonly opts: Required<SchedulerOptions>;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext, opts: SchedulerOptions = {}) {
    this.opts = {
      initialBackoffMs: opts.initialBackoffMs ?? 1000,
      maxBackoffMs: opts.maxBackoffMs ?? 10_000,
      unschedulableTimeoutMs: opts.unschedulableTimeoutMs ?? 5 * 60_000,
      profile: opts.profile ?? defaultProfile,
    };
    this.pods = kindOf(ctx, '', 'Pod');
    this.cache = new NodeInfoCache(ctx.store, this.pods, kindOf(ctx, '', 'Node'));
    this.queue = new WorkQueue(SCHEDULER_NAME, ctx.clock, (key) => this.sync(key));
    this.stopFn = ctx.store.subscribe((e) => this.onEvent(e));
    for (const p of ctx.store.list(this.pods, undefined).items) if (this.responsibleFor(p)) this.queue.add(podKey(p));
  }

  stop(): void {
    this.stopped = true;
    this.stopFn();
    for (const st of this.states.values()) st.timer?.cancel();
    this.states.clear();
  }

  /** resolves when no attempt is running or queued (timers for later retries may remain) */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** a pod this scheduler has to place: unassigned, ours, not being deleted, not gated */
  responsibleFor(pod: KObject): boolean {
    const spec = pod.spec ?? {};
    if (spec.nodeName || pod.metadata.deletionTimestamp) return false;
    if ((spec.schedulerName || SCHEDULER_NAME) !== SCHEDULER_NAME) return false;
    if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length) return false;
    const phase = pod.status?.phase;
    return phase !== 'Succeeded' && phase !== 'Failed';
  }

  private onEvent(e: StoreEvent): void {
    if (this.stopped) return;
    const helps = this.cache.handle(e);
    if (e.rt === this.pods) {
      const key = podKey(e.object);
      if (e.type === 'DELETED' || !this.responsibleFor(e.object)) {
        this.forget(key);
      } else {
        const st = this.states.get(key);
        if (st && st.uid !== e.object.metadata.uid) this.forget(key);
        const cur = this.states.get(key);
        if (!cur) this.queue.add(key);
        else if (cur.unschedulable && e.old && specChanged(e.old, e.object)) this.activate(key, cur);
      }
    }
    if (helps) {
      this.moves++;
      for (const [key, st] of this.states) if (st.unschedulable) this.activate(key, st);
    }
  }

  /** move an unschedulable pod on: retry now, or when its backoff is over */
  private activate(key: string, st: PodState): void {
    st.unschedulable = false;
    st.timer?.cancel();
    st.timer = undefined;
    const wait = st.backoffUntil - this.ctx.clock.now();
    if (wait <= 0) this.queue.add(key);
    else st.timer = this.ctx.clock.after(wait, () => this.queue.add(key));
  }

  private forget(key: string): void {
    this.states.get(key)?.timer?.cancel();
    this.states.delete(key);
  }

  async sync(key: string): Promise<void> {
    if (this.stopped) return;
    const i = key.indexOf('/');
    const ns = key.slice(0, i);
    const name = key.slice(i + 1);
    const pod = this.ctx.store.tryGet(this.pods, ns, name);
    if (!pod || !this.responsibleFor(pod)) {
      this.forget(key);
      return;
    }
    let st = this.states.get(key);
    if (st && st.uid !== pod.metadata.uid) {
      this.forget(key);
      st = undefined;
    }
    if (!st) this.states.set(key, (st = { uid: pod.metadata.uid, attempts: 0, backoffUntil: 0, unschedulable: false }));
    if (st.unschedulable) return; // woken by a stale queue entry; waits for a change or its timer
    st.timer?.cancel();
    st.timer = undefined;

    const moves = this.moves;
    const result = schedulePod(podInfo(pod), this.cache.snapshot(), this.ctx.random, this.opts.profile);
    if (result.node !== undefined) {
      await this.bind(pod, result.node);
      return;
    }

    // unschedulable: back off, then wait for a change (or the flush timer)
    st.attempts++;
    const now = this.ctx.clock.now();
    st.backoffUntil = now + Math.min(this.opts.initialBackoffMs * 2 ** (st.attempts - 1), this.opts.maxBackoffMs);
    if (this.moves !== moves) {
      this.activate(key, st); // something changed during the attempt: retry after the backoff
    } else {
      st.unschedulable = true;
      const state = st;
      st.timer = this.ctx.clock.after(this.opts.unschedulableTimeoutMs, () => {
        if (this.states.get(key) === state && state.unschedulable) this.activate(key, state);
      });
    }
    await this.ctx.events.record(pod, { component: SCHEDULER_NAME }, {
      type: 'Warning', reason: 'FailedScheduling', message: result.message, action: 'Scheduling',
    });
    await this.markUnschedulable(ns, name, pod.metadata.uid, result.message);
  }

  private async bind(pod: KObject, nodeName: string): Promise<void> {
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    let bound: KObject;
    try {
      bound = await this.ctx.store.bind(this.pods, ns, name, nodeName, { fieldManager: SCHEDULER_NAME });
    } catch (err) {
      // gone, already assigned or being deleted: nothing left to do
      if (err instanceof StatusError && (err.code === 404 || err.code === 409)) {
        this.forget(podKey(pod));
        return;
      }
      throw err;
    }
    this.forget(podKey(pod));
    await this.ctx.events.record(bound, { component: SCHEDULER_NAME }, {
      type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${ns}/${name} to ${nodeName}`, action: 'Binding',
    });
  }

  /** PodScheduled=False, reason Unschedulable, the FitError message (written only when it changes) */
  private async markUnschedulable(ns: string, name: string, uid: string | undefined, message: string): Promise<void> {
    const cur = this.ctx.store.tryGet(this.pods, ns, name);
    if (!cur || cur.metadata.uid !== uid || cur.spec?.nodeName) return;
    const prev = (cur.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
    if (prev?.status === 'False' && prev.reason === 'Unschedulable' && prev.message === message) return;
    try {
      await this.ctx.store.guaranteedUpdate(this.pods, ns, name, (p) => {
        if (p.metadata.uid !== uid || p.spec?.nodeName) return p;
        const conditions: { type: string; status?: string; lastTransitionTime?: string }[] = p.status?.conditions ?? [];
        const old = conditions.find((c) => c.type === 'PodScheduled');
        const condition = {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(this.ctx.clock.now()),
          reason: 'Unschedulable',
          message,
        };
        const next = old ? conditions.map((c) => (c === old ? condition : c)) : [...conditions, condition];
        return { ...p, status: { ...(p.status ?? {}), conditions: next } };
      }, { subresource: 'status', fieldManager: SCHEDULER_NAME });
    } catch (err) {
      if (err instanceof StatusError && (err.code === 404 || err.code === 409)) return;
      throw err;
    }
  }
}

/** did anything but status / bookkeeping metadata change? (kube's isPodUpdated) */
function specChanged(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => {
    const { resourceVersion: _r, managedFields: _m, generation: _g, ...meta } = o.metadata;
    return JSON.stringify({ spec: o.spec, meta });
  };
  return strip(a) !== strip(b);
}
