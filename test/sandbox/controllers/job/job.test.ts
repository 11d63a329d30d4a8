import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startJobController, JOB_TRACKING_FINALIZER } from '../../../../src/sandbox/controllers/job/controller.js';
import { GarbageCollector } from '../../../../src/sandbox/controllers/garbagecollector.js';
import type { KObject } from '../../../../src/sandbox/apiserver/types.js';
import { env, podTemplate, type Env } from './helpers.js';

function job(name: string, spec: Record<string, unknown> = {}, restartPolicy = 'OnFailure'): KObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { template: podTemplate({ app: name }, { restartPolicy }), ...spec } };
}

describe('job controller', () => {
  let e: Env;
  beforeEach(async () => {
    e = await env();
    e.t.sandbox.add(startJobController(e.t.sandbox.ctx));
  });
  afterEach(() => e.close());

  const podsOf = (name: string) => e.pods((p) => p.metadata.labels?.['batch.kubernetes.io/job-name'] === name);
  const activeOf = (name: string) => podsOf(name).filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase) && !p.metadata.deletionTimestamp);
  const cond = (j: KObject | undefined, type: string) => (j?.status?.conditions ?? []).find((c: { type: string }) => c.type === type);

  it('creates one pod and completes when it succeeds', async () => {
    const created = await e.create('batch', 'Job', job('batch-job'));
    await e.settle();
    const pods = podsOf('batch-job');
    expect(pods).toHaveLength(1);
    const pod = pods[0];
    expect(pod.metadata.name).toMatch(/^batch-job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    expect(pod.metadata.labels).toMatchObject({
      app: 'batch-job', 'job-name': 'batch-job', 'batch.kubernetes.io/job-name': 'batch-job',
      'controller-uid': created.metadata.uid, 'batch.kubernetes.io/controller-uid': created.metadata.uid,
    });
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'batch-job', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    let j = e.get('batch', 'Job', 'batch-job')!;
    expect(j.status).toMatchObject({ active: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(j.status.startTime).toBeDefined();
    expect(e.events('SuccessfulCreate').map((x) => x.message)).toEqual([`Created pod: ${pod.metadata.name}`]);

    await e.setPhase(pod, 'Running');
    expect(e.get('batch', 'Job', 'batch-job')!.status.ready).toBe(1);
    await e.advance(120_000);
    await e.setPhase(podsOf('batch-job')[0], 'Succeeded');
    j = e.get('batch', 'Job', 'batch-job')!;
    expect(j.status.succeeded).toBe(1);
    expect(j.status.active).toBeUndefined();
    expect(j.status.uncountedTerminatedPods).toEqual({});
    expect(cond(j, 'SuccessCriteriaMet')).toMatchObject({ status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    expect(cond(j, 'Complete')).toMatchObject({ status: 'True', reason: 'CompletionsReached' });
    expect(j.status.completionTime).toBeDefined();
    expect(podsOf('batch-job')[0].metadata.finalizers).toBeUndefined();
    expect(podsOf('batch-job')).toHaveLength(1);
    expect(e.events('Completed').map((x) => x.message)).toEqual(['Job completed']);
  });

  it('runs completions 5 with parallelism 2', async () => {
    await e.create('batch', 'Job', job('multi', { completions: 5, parallelism: 2 }));
    await e.settle();
    const seen = new Set<string>();
    for (let round = 0; round < 10 && !cond(e.get('batch', 'Job', 'multi'), 'Complete'); round++) {
      const active = activeOf('multi');
      const remaining = 5 - (e.get('batch', 'Job', 'multi')!.status.succeeded ?? 0);
      expect(active.length).toBe(Math.min(2, remaining));
      for (const p of active) seen.add(p.metadata.name!);
      await e.setPhase(active[0], 'Succeeded');
    }
    const j = e.get('batch', 'Job', 'multi')!;
    expect(j.status.succeeded).toBe(5);
    expect(cond(j, 'Complete')?.status).toBe('True');
    expect(podsOf('multi')).toHaveLength(5);
    expect(seen.size).toBe(5);
    expect(e.events('SuccessfulCreate')).toHaveLength(5);
  });

  it('fails after backoffLimit pod failures with restartPolicy Never, backing off 10 s, 20 s', async () => {
    await e.create('batch', 'Job', job('flaky', { backoffLimit: 2 }, 'Never'));
    await e.settle();
    await e.setPhase(podsOf('flaky')[0], 'Failed');
    expect(e.get('batch', 'Job', 'flaky')!.status.failed).toBe(1);
    expect(activeOf('flaky')).toHaveLength(0); // backing off
    await e.advance(9_000);
    expect(activeOf('flaky')).toHaveLength(0);
    await e.advance(1_000);
    expect(activeOf('flaky')).toHaveLength(1);
    await e.setPhase(activeOf('flaky')[0], 'Failed');
    await e.advance(19_000);
    expect(activeOf('flaky')).toHaveLength(0);
    await e.advance(1_000);
    expect(activeOf('flaky')).toHaveLength(1);
    await e.setPhase(activeOf('flaky')[0], 'Failed');
    const j = e.get('batch', 'Job', 'flaky')!;
    expect(j.status.failed).toBe(3);
    expect(cond(j, 'FailureTarget')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(cond(j, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(podsOf('flaky')).toHaveLength(3);
    expect(podsOf('flaky').every((p) => !p.metadata.finalizers)).toBe(true);
    expect(e.events('BackoffLimitExceeded')[0]).toMatchObject({ type: 'Warning', message: 'Job has reached the specified backoff limit' });
    await e.advance(60_000);
    expect(activeOf('flaky')).toHaveLength(0);
  });

  it('counts container restarts toward backoffLimit with restartPolicy OnFailure', async () => {
    await e.create('batch', 'Job', job('restarts', { backoffLimit: 3 }));
    await e.settle();
    const pod = podsOf('restarts')[0];
    await e.setPhase(pod, 'Running', { restartCount: 2 });
    expect(cond(e.get('batch', 'Job', 'restarts'), 'Failed')).toBeUndefined();
    await e.setPhase(pod, 'Running', { restartCount: 3 });
    const j = e.get('batch', 'Job', 'restarts')!;
    expect(cond(j, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded' });
    expect(podsOf('restarts')).toHaveLength(0); // the running pod was deleted (unbound: at once)
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds and stops the pods', async () => {
    await e.create('batch', 'Job', job('time-limited', { activeDeadlineSeconds: 30 }));
    await e.settle();
    const pod = podsOf('time-limited')[0];
    // the scheduler bound it and the kubelet runs it: deletion is graceful (30 s)
    await e.t.sandbox.store.bind(e.rt('', 'Pod'), 'default', pod.metadata.name!, 'kube-tutor-worker');
    await e.setPhase(podsOf('time-limited')[0], 'Running');
    await e.advance(29_000);
    expect(cond(e.get('batch', 'Job', 'time-limited'), 'FailureTarget')).toBeUndefined();
    await e.advance(1_000);
    let j = e.get('batch', 'Job', 'time-limited')!;
    expect(cond(j, 'FailureTarget')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(cond(j, 'Failed')).toBeUndefined();
    expect(j.status.terminating).toBe(1);
    expect(podsOf('time-limited')[0].metadata.deletionTimestamp).toBeDefined();
    await e.advance(30_000);
    j = e.get('batch', 'Job', 'time-limited')!;
    expect(podsOf('time-limited')).toHaveLength(0);
    expect(cond(j, 'Failed')).toMatchObject({ status: 'True', reason: 'DeadlineExceeded' });
    expect(j.status).toMatchObject({ failed: 1, terminating: 0 });
    expect(e.events('DeadlineExceeded')).toHaveLength(1);
  });

  it('deletes a finished Job ttlSecondsAfterFinished later, with its pods', async () => {
    e.t.sandbox.add(new GarbageCollector(e.t.sandbox.store, e.t.sandbox.registry));
    await e.create('batch', 'Job', job('short', { ttlSecondsAfterFinished: 100 }));
    await e.settle();
    await e.setPhase(podsOf('short')[0], 'Succeeded');
    expect(cond(e.get('batch', 'Job', 'short'), 'Complete')).toBeDefined();
    await e.advance(99_000);
    expect(e.get('batch', 'Job', 'short')).toBeDefined();
    await e.advance(1_000);
    expect(e.get('batch', 'Job', 'short')).toBeUndefined();
    expect(podsOf('short')).toHaveLength(0);
  });

  it('suspends and resumes', async () => {
    await e.create('batch', 'Job', job('sus', { suspend: true, parallelism: 2, completions: 2 }));
    await e.settle();
    expect(podsOf('sus')).toHaveLength(0);
    expect(cond(e.get('batch', 'Job', 'sus'), 'Suspended')).toMatchObject({ status: 'True', reason: 'JobSuspended' });
    expect(e.get('batch', 'Job', 'sus')!.status.startTime).toBeUndefined();
    await e.t.sandbox.store.guaranteedUpdate(e.rt('batch', 'Job'), 'default', 'sus', (j) => ({ ...j, spec: { ...j.spec, suspend: false } }));
    await e.settle();
    expect(activeOf('sus')).toHaveLength(2);
    expect(cond(e.get('batch', 'Job', 'sus'), 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed' });
    expect(e.events('Resumed')).toHaveLength(1);
    await e.t.sandbox.store.guaranteedUpdate(e.rt('batch', 'Job'), 'default', 'sus', (j) => ({ ...j, spec: { ...j.spec, suspend: true } }));
    await e.settle();
    expect(podsOf('sus')).toHaveLength(0);
    expect(e.get('batch', 'Job', 'sus')!.status.failed).toBeUndefined();
  });

  it('never creates twice when synced repeatedly', async () => {
    await e.create('batch', 'Job', job('once', { parallelism: 3, completions: 3 }));
    await e.settle();
    const ctl = startJobController(e.t.sandbox.ctx); // a second instance syncing the same jobs
    e.t.sandbox.add(ctl);
    await e.settle();
    expect(podsOf('once')).toHaveLength(3);
  });
});
