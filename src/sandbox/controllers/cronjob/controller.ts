/**
 * The CronJob controller (kube-controller-manager's `cronjob-controller`, the v2 controller).
 * Each sync works out the most recent unmet schedule time, starts a Job for it (named
 * `<cronjob>-<minutes since the epoch>` so a repeated sync can never start it twice), applies
 * the concurrency policy, keeps `status.active` / `lastScheduleTime` / `lastSuccessfulTime`,
 * prunes finished Jobs beyond the history limits and then sleeps on the clock until the next
 * schedule time, so advancing a ManualClock (or `kube-tutor sandbox warp 15m`) fires it.
 *
 * Schedules: 5 fields or @hourly/@daily/@weekly/@monthly/@yearly/@annually/@midnight (the API
 * validation rejects everything else), evaluated in `spec.timeZone` (default UTC, the zone of a
 * kind / Docker Desktop controller manager). Next times come from croner with robfig's
 * day-of-month OR day-of-week rule.
 */
import { isDeepStrictEqual } from 'node:util';
import { Cron } from 'croner';
import type { ResourceType } from '../../apiserver/resource.js';
import type { KObject } from '../../apiserver/types.js';
import { rfc3339 } from '../../clock.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';
import { FIELD_MANAGER, Requeuer, controllerRef, controllerRefOf, isAlreadyExists, isNotFound, splitKey } from '../job/util.js';

const SOURCE = { component: 'cronjob-controller' };
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

interface JobRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  resourceVersion?: string;
  uid: string;
}

export class CronJobController implements Component {
  readonly queue: WorkQueue;
  private readonly cronjobs: ResourceType;
  private readonly jobs: ResourceType;
  private readonly requeue: Requeuer;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ControllerContext) {
    this.cronjobs = kindOf(ctx, 'batch', 'CronJob');
    this.jobs = kindOf(ctx, 'batch', 'Job');
    this.queue = new WorkQueue('cronjob-controller', ctx.clock, (key) => this.sync(key));
    this.requeue = new Requeuer(ctx, (key) => this.queue.add(key));
    this.unsubscribe = ctx.store.subscribe((e) => {
      const m = e.object.metadata;
      if (e.rt === this.cronjobs) {
        this.queue.add(`${m.namespace}/${m.name}`);
      } else if (e.rt === this.jobs) {
        const ref = controllerRefOf(e.object);
        if (ref?.kind === 'CronJob') this.queue.add(`${m.namespace}/${ref.name}`);
      }
    });
    for (const cj of ctx.store.list(this.cronjobs, undefined).items) this.queue.add(`${cj.metadata.namespace}/${cj.metadata.name}`);
  }

  stop(): void {
    this.unsubscribe();
    this.requeue.stop();
  }

  async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const cj = this.ctx.store.tryGet(this.cronjobs, ns, name);
    if (!cj) {
      this.requeue.cancel(key);
      return;
    }
    const uid = cj.metadata.uid!;
    const jobs = this.ctx.store.list(this.jobs, ns).items.filter((j) => controllerRefOf(j)?.uid === uid);
    const status: Record<string, any> = structuredClone(cj.status ?? {});
    const before = structuredClone(status);
    let active: JobRef[] = status.active ?? [];
    const event = (type: 'Normal' | 'Warning', reason: string, message: string) => {
      void this.ctx.events.record(cj, SOURCE, { type, reason, message });
    };

    for (const j of jobs) {
      const found = active.some((r) => r.uid === j.metadata.uid);
      const finished = finishedStatus(j);
      if (!found && !finished) {
        event('Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (found && finished) {
        active = active.filter((r) => r.uid !== j.metadata.uid);
        event('Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, status: ${finished}`);
      }
      if (finished === 'Complete' && j.status?.completionTime) {
        if (!status.lastSuccessfulTime || Date.parse(j.status.completionTime) > Date.parse(status.lastSuccessfulTime)) {
          status.lastSuccessfulTime = j.status.completionTime;
        }
      }
    }
    for (const r of [...active]) {
      if (jobs.some((j) => j.metadata.uid === r.uid)) continue;
      event('Normal', 'MissingJob', `Active job went missing: ${r.name}`);
      active = active.filter((x) => x.uid !== r.uid);
    }

    const schedule = this.scheduleOf(cj, event);
    if (!cj.metadata.deletionTimestamp && cj.spec?.suspend !== true && schedule) {
      const now = this.ctx.clock.now();
      const { time: scheduled, missed } = mostRecentScheduleTime(cj, now, schedule, true);
      if (scheduled !== undefined && missed > 100) {
        event('Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
      }
      if (scheduled !== undefined) {
        const sds = cj.spec?.startingDeadlineSeconds;
        const jobName = `${name}-${Math.floor(scheduled / 60_000)}`;
        if (sds != null && scheduled + sds * 1000 < now) {
          event('Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
        } else if (active.some((r) => r.name === jobName) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled)) {
          // already handled
        } else if (cj.spec?.concurrencyPolicy === 'Forbid' && active.length > 0) {
          event('Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
        } else {
          if (cj.spec?.concurrencyPolicy === 'Replace') {
            for (const r of [...active]) {
              const j = this.ctx.store.tryGet(this.jobs, ns, r.name);
              if (j) await this.deleteJob(j);
              active = active.filter((x) => x.uid !== r.uid);
              event('Normal', 'SuccessfulDelete', `Deleted job ${r.name}`);
            }
          }
          const created = await this.createJob(cj, jobName, scheduled, schedule.timeZone);
          if (created.job && !active.some((r) => r.uid === created.job!.metadata.uid)) {
            if (created.fresh) event('Normal', 'SuccessfulCreate', `Created job ${jobName}`);
            active.push(refOf(created.job));
            status.lastScheduleTime = rfc3339(scheduled);
          }
        }
      }
      // sleep until the next schedule time
      const next = nextScheduleTime(cj, now, schedule, status.lastScheduleTime);
      if (next !== undefined) this.requeue.after(key, next - now);
    }

    // history limits
    const remaining = this.ctx.store.list(this.jobs, ns).items.filter((j) => controllerRefOf(j)?.uid === uid);
    for (const [kind, limit] of [['Complete', cj.spec?.successfulJobsHistoryLimit], ['Failed', cj.spec?.failedJobsHistoryLimit]] as const) {
      if (limit == null) continue;
      const done = remaining.filter((j) => finishedStatus(j) === kind && !j.metadata.deletionTimestamp).sort(byStartTime);
      for (const j of done.slice(0, Math.max(0, done.length - limit))) {
        await this.deleteJob(j);
        active = active.filter((r) => r.uid !== j.metadata.uid);
        event('Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
      }
    }

    status.active = active;
    if (!active.length) delete status.active;
    if (isDeepStrictEqual(status, before)) return;
    try {
      await this.ctx.store.guaranteedUpdate(this.cronjobs, ns, name, (cur) => {
        if (cur.metadata.uid !== uid) return cur;
        return { ...cur, status };
      }, { subresource: 'status', fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** the parsed schedule, or undefined (with kube's warning event) when it cannot be used */
  private scheduleOf(cj: KObject, event: (t: 'Normal' | 'Warning', r: string, m: string) => void): Schedule | undefined {
    let spec: string = cj.spec?.schedule ?? '';
    let timeZone: string | undefined = cj.spec?.timeZone ?? undefined;
    if (timeZone !== undefined && !validZone(timeZone)) {
      event('Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(timeZone)}: unknown time zone ${timeZone}`);
      return undefined;
    }
    if (spec.includes('TZ')) {
      event('Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(spec)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
      const m = /^(?:CRON_)?TZ=(\S+)\s*(.*)$/.exec(spec.trim());
      if (m) {
        timeZone = m[1];
        spec = m[2];
      }
    }
    try {
      return new Schedule(spec, timeZone);
    } catch (err) {
      event('Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${(err as Error).message}`);
      return undefined;
    }
  }

  private async createJob(cj: KObject, name: string, scheduled: number, timeZone: string | undefined): Promise<{ job?: KObject; fresh: boolean }> {
    const tpl = cj.spec?.jobTemplate ?? {};
    const job: KObject = {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name, namespace: cj.metadata.namespace,
        ...(tpl.metadata?.labels ? { labels: { ...tpl.metadata.labels } } : {}),
        annotations: { ...(tpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339InZone(scheduled, timeZone) },
        ownerReferences: [controllerRef(cj, 'batch/v1', 'CronJob')],
      },
      spec: structuredClone(tpl.spec ?? {}),
    };
    try {
      return { job: await this.ctx.store.create(this.jobs, cj.metadata.namespace, job, { fieldManager: FIELD_MANAGER }), fresh: true };
    } catch (err) {
      if (!isAlreadyExists(err)) {
        void this.ctx.events.record(cj, SOURCE, { type: 'Warning', reason: 'FailedCreate', message: `Error creating job: ${(err as Error).message}` });
        throw err;
      }
      const existing = this.ctx.store.tryGet(this.jobs, cj.metadata.namespace, name);
      if (!existing || controllerRefOf(existing)?.uid !== cj.metadata.uid) return { fresh: false };
      return { job: existing, fresh: false };
    }
  }

  /** jobControl.DeleteJob: background propagation */
  private async deleteJob(job: KObject): Promise<void> {
    try {
      await this.ctx.store.delete(this.jobs, job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Background' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export function startCronJobController(ctx: ControllerContext): Component {
  return new CronJobController(ctx);
}

// ---------------------------------------------------------------- schedules

/** a parsed cron schedule in a time zone (undefined = UTC) */
export class Schedule {
  private readonly cron: Cron;

  constructor(spec: string, readonly timeZone: string | undefined) {
    const s = spec.trim();
    if (!s.startsWith('@') && s.split(/\s+/).length !== 5) {
      throw new Error(`expected exactly 5 fields, found ${s.split(/\s+/).filter(Boolean).length}: [${s.split(/\s+/).filter(Boolean).join(' ')}]`);
    }
    if (s.startsWith('@every')) throw new Error(`@every schedules are not supported by the sandbox: ${s}`);
    // domAndDow false: robfig's rule (a restricted day-of-month OR a restricted day-of-week)
    this.cron = new Cron(s, { timezone: timeZone ?? 'UTC', mode: '5-part', paused: true, domAndDow: false });
  }

  /** the first schedule time strictly after `ms` */
  next(ms: number): number | undefined {
    const d = this.cron.nextRun(new Date(ms));
    return d ? d.getTime() : undefined;
  }

  /** the latest schedule time at or before `ms` */
  latest(ms: number): number | undefined {
    const d = this.cron.previousRuns(1, new Date(ms + 1))[0];
    return d ? d.getTime() : undefined;
  }
}

/**
 * mostRecentScheduleTime: the latest schedule time in (earliest, now] and how many there were,
 * where earliest is lastScheduleTime, else the creation time, moved up to now -
 * startingDeadlineSeconds when that is later.
 */
export function mostRecentScheduleTime(cj: KObject, now: number, schedule: Schedule, includeDeadline: boolean): { time?: number; missed: number } {
  let earliest = Date.parse(cj.metadata.creationTimestamp!);
  if (cj.status?.lastScheduleTime) earliest = Date.parse(cj.status.lastScheduleTime);
  const sds = cj.spec?.startingDeadlineSeconds;
  if (includeDeadline && sds != null) earliest = Math.max(earliest, now - sds * 1000);
  const t1 = schedule.next(earliest);
  if (t1 === undefined || t1 > now) return { missed: 0 };
  let missed = 1;
  for (let t = schedule.next(t1); t !== undefined && t <= now && missed < 10_000; t = schedule.next(t)) missed++;
  return { time: schedule.latest(now) ?? t1, missed };
}

/** when the next sync is due: the schedule time after the most recent one (or after now) */
function nextScheduleTime(cj: KObject, now: number, schedule: Schedule, lastScheduleTime: string | undefined): number | undefined {
  const view = lastScheduleTime ? { ...cj, status: { ...(cj.status ?? {}), lastScheduleTime } } : cj;
  const { time } = mostRecentScheduleTime(view, now, schedule, false);
  return schedule.next(time ?? now);
}

function finishedStatus(j: KObject): 'Complete' | 'Failed' | undefined {
  for (const c of j.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

function refOf(j: KObject): JobRef {
  return {
    apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name!, namespace: j.metadata.namespace!,
    resourceVersion: j.metadata.resourceVersion, uid: j.metadata.uid!,
  };
}

/** byJobStartTime: oldest start first, jobs without a start last, names break ties */
function byStartTime(a: KObject, b: KObject): number {
  const sa = a.status?.startTime ? Date.parse(a.status.startTime) : Infinity;
  const sb = b.status?.startTime ? Date.parse(b.status.startTime) : Infinity;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return String(a.metadata.name).localeCompare(String(b.metadata.name));
}

function validZone(tz: string): boolean {
  if (tz === '' || tz === 'UTC' || tz === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** the UTC offset of `tz` at `ms`, in minutes */
function offsetMinutes(ms: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** time.RFC3339 in a location: `2026-11-27T20:15:00+08:00`, or `...Z` in UTC */
export function rfc3339InZone(ms: number, tz: string | undefined): string {
  if (!tz || tz === 'UTC' || tz === 'Local') return rfc3339(ms);
  const off = offsetMinutes(ms, tz);
  if (off === 0) return rfc3339(ms);
  const local = new Date(Math.floor(ms / 1000) * 1000 + off * 60_000).toISOString().replace('.000Z', '');
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** time.RFC1123Z in UTC: `Fri, 27 Nov 2026 12:15:00 +0000` */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
