import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCronJobController, rfc3339InZone } from '../../../../src/sandbox/controllers/cronjob/controller.js';
import type { KObject } from '../../../../src/sandbox/apiserver/types.js';
import { rfc3339 } from '../../../../src/sandbox/clock.js';
import { env, podTemplate, type Env } from '../job/helpers.js';

const MIN = 60_000;

function cronjob(name: string, spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name },
    spec: {
      schedule: '0,15,30,45 * * * *',
      jobTemplate: { spec: { template: podTemplate({ app: 'periodic-batch-job' }, { restartPolicy: 'OnFailure' }) } },
      ...spec,
    },
  };
}

describe('cronjob controller', () => {
  let e: Env;
  beforeEach(async () => {
    e = await env(); // the clock starts at 2026-11-27T12:00:00Z
    e.t.sandbox.add(startCronJobController(e.t.sandbox.ctx));
  });
  afterEach(() => e.close());

  const jobs = () => e.list('batch', 'Job').filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name!).sort();
  const finish = async (name: string, type: 'Complete' | 'Failed') => {
    const now = rfc3339(e.t.clock.now());
    await e.t.sandbox.store.guaranteedUpdate(e.rt('batch', 'Job'), 'default', name, (j) => ({
      ...j,
      status: {
        ...(j.status ?? {}), startTime: j.status?.startTime ?? rfc3339(Date.parse(j.metadata.creationTimestamp!)),
        ...(type === 'Complete' ? { succeeded: 1, completionTime: now } : { failed: 1 }),
        conditions: [{ type, status: 'True', lastProbeTime: now, lastTransitionTime: now }],
      },
    }), { subresource: 'status' });
    await e.settle();
  };

  it('fires at the next quarter hour when the clock advances, and prunes history', async () => {
    const cj = await e.create('batch', 'CronJob', cronjob('batch-job-every-fifteen-minutes'));
    await e.settle();
    expect(jobs()).toEqual([]);
    await e.advance(14 * MIN);
    expect(jobs()).toEqual([]);
    await e.advance(1 * MIN);
    const at = Date.UTC(2026, 10, 27, 12, 15);
    const name = `batch-job-every-fifteen-minutes-${at / MIN}`;
    expect(jobs()).toEqual([name]);
    const job = e.get('batch', 'Job', name)!;
    expect(job.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-11-27T12:15:00Z');
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'batch-job-every-fifteen-minutes', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(job.metadata.labels).toMatchObject({ app: 'periodic-batch-job' });
    let c = e.get('batch', 'CronJob', 'batch-job-every-fifteen-minutes')!;
    expect(c.status.lastScheduleTime).toBe('2026-11-27T12:15:00Z');
    expect(c.status.active).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name, namespace: 'default', resourceVersion: job.metadata.resourceVersion, uid: job.metadata.uid }]);
    expect(e.events('SuccessfulCreate').map((x) => x.message)).toEqual([`Created job ${name}`]);

    await finish(name, 'Complete');
    c = e.get('batch', 'CronJob', 'batch-job-every-fifteen-minutes')!;
    expect(c.status.active).toBeUndefined();
    expect(c.status.lastSuccessfulTime).toBeDefined();
    expect(e.events('SawCompletedJob').map((x) => x.message)).toEqual([`Saw completed job: ${name}, status: Complete`]);

    // four more runs: only the 3 newest successful jobs stay (successfulJobsHistoryLimit 3)
    for (let i = 0; i < 4; i++) {
      await e.advance(15 * MIN);
      const newest = jobs().at(-1)!;
      await finish(newest, 'Complete');
    }
    const kept = jobs();
    expect(kept).toHaveLength(3);
    expect(kept).toEqual([at + 45 * MIN, at + 60 * MIN, at + 30 * MIN].map((t) => `batch-job-every-fifteen-minutes-${t / MIN}`).sort());
    expect(e.events('SuccessfulDelete').map((x) => x.message).sort()).toEqual(
      [at, at + 15 * MIN].map((t) => `Deleted job batch-job-every-fifteen-minutes-${t / MIN}`).sort());
  });

  it('Forbid skips a run while the previous job is active', async () => {
    await e.create('batch', 'CronJob', cronjob('forbid', { concurrencyPolicy: 'Forbid' }));
    await e.advance(15 * MIN);
    expect(jobs()).toHaveLength(1);
    await e.advance(15 * MIN);
    expect(jobs()).toHaveLength(1);
    expect(e.events('JobAlreadyActive')[0].message).toBe('Not starting job because prior execution is running and concurrency policy is Forbid');
    await finish(jobs()[0], 'Complete');
    await e.advance(15 * MIN);
    expect(jobs()).toHaveLength(2);
  });

  it('Replace deletes the running job and starts a new one', async () => {
    await e.create('batch', 'CronJob', cronjob('replace', { concurrencyPolicy: 'Replace' }));
    await e.advance(15 * MIN);
    const first = jobs();
    expect(first).toHaveLength(1);
    await e.advance(15 * MIN);
    const second = jobs();
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    expect(e.events('SuccessfulDelete').map((x) => x.message)).toEqual([`Deleted job ${first[0]}`]);
    expect(e.get('batch', 'CronJob', 'replace')!.status.active.map((r: { name: string }) => r.name)).toEqual(second);
  });

  it('Allow runs jobs concurrently; suspend stops new runs', async () => {
    await e.create('batch', 'CronJob', cronjob('allow'));
    await e.advance(30 * MIN);
    expect(jobs()).toHaveLength(2);
    await e.t.sandbox.store.guaranteedUpdate(e.rt('batch', 'CronJob'), 'default', 'allow', (c) => ({ ...c, spec: { ...c.spec, suspend: true } }));
    await e.advance(30 * MIN);
    expect(jobs()).toHaveLength(2);
  });

  it('startingDeadlineSeconds skips runs missed by more than the deadline; a late start within it runs', async () => {
    // missed while "down": only the most recent slot is considered, and it is too late
    await e.create('batch', 'CronJob', cronjob('late', { startingDeadlineSeconds: 15, suspend: true }));
    await e.advance(16 * MIN);
    await e.t.sandbox.store.guaranteedUpdate(e.rt('batch', 'CronJob'), 'default', 'late', (c) => ({ ...c, spec: { ...c.spec, suspend: false } }));
    await e.settle();
    expect(jobs()).toEqual([]);
    await e.advance(14 * MIN);
    expect(jobs()).toHaveLength(1);
  });

  it('evaluates the schedule in spec.timeZone and macros', async () => {
    await e.create('batch', 'CronJob', cronjob('tz', { schedule: '0 21 * * *', timeZone: 'Asia/Shanghai' }));
    await e.create('batch', 'CronJob', cronjob('hourly', { schedule: '@hourly' }));
    await e.advance(60 * MIN);
    // 21:00 in Shanghai is 13:00 UTC
    const names = jobs();
    expect(names).toContain(`tz-${Date.UTC(2026, 10, 27, 13) / MIN}`);
    expect(names).toContain(`hourly-${Date.UTC(2026, 10, 27, 13) / MIN}`);
    expect(e.get('batch', 'Job', `tz-${Date.UTC(2026, 10, 27, 13) / MIN}`)!.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'])
      .toBe('2026-11-27T21:00:00+08:00');
    expect(rfc3339InZone(Date.UTC(2026, 6, 1, 12), 'America/New_York')).toBe('2026-07-01T08:00:00-04:00');
  });
});
