/** Job and CronJob defaults (pkg/apis/batch/v1/defaults.go) and the Job selector generation. */
import type { KObject } from '../apiserver/types.js';
import { defaultPodTemplate } from './pod.js';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const unset = (v: unknown) => v === undefined || v === null;

export const LegacyControllerUidLabel = 'controller-uid';
export const LegacyJobNameLabel = 'job-name';
export const ControllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const JobNameLabel = 'batch.kubernetes.io/job-name';

function defaultJobSpec(s: Obj): void {
  if (!isObj(s.template)) s.template = {};
  defaultPodTemplate(s.template);
}

export function defaultJob(obj: KObject): void {
  if (!isObj(obj.spec)) obj.spec = {};
  const s = obj.spec as Obj;
  if (unset(s.completions) && unset(s.parallelism)) {
    s.completions = 1;
    s.parallelism = 1;
  }
  if (unset(s.parallelism)) s.parallelism = 1;
  if (unset(s.backoffLimit)) s.backoffLimit = unset(s.backoffLimitPerIndex) ? 6 : 2147483647;
  const labels = isObj(s.template?.metadata?.labels) ? s.template.metadata.labels : undefined;
  if (labels && (!isObj(obj.metadata.labels) || Object.keys(obj.metadata.labels).length === 0)) obj.metadata.labels = { ...labels };
  if (!s.completionMode) s.completionMode = 'NonIndexed';
  if (unset(s.suspend)) s.suspend = false;
  if (isObj(s.podFailurePolicy)) {
    for (const r of Array.isArray(s.podFailurePolicy.rules) ? s.podFailurePolicy.rules : []) {
      for (const p of Array.isArray(r?.onPodConditions) ? r.onPodConditions : []) if (isObj(p) && !p.status) p.status = 'True';
    }
  }
  if (unset(s.podReplacementPolicy)) s.podReplacementPolicy = isObj(s.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  defaultJobSpec(s);
}

/**
 * The Job strategy's selector generation (PrepareForCreate): needs metadata.uid, so call it after
 * the uid is assigned. Adds the controller-uid/job-name labels to the pod template, sets
 * spec.selector, and (like the defaulting that runs when the object is read back) copies the
 * template labels to metadata.labels when the Job has none. No-op for manualSelector: true.
 */
export function defaultJobSelector(job: KObject): void {
  if (!isObj(job.spec)) job.spec = {};
  const s = job.spec as Obj;
  if (s.manualSelector === true) return;
  const uid = String(job.metadata?.uid ?? '');
  const name = String(job.metadata?.name ?? '');
  if (!isObj(s.template)) s.template = {};
  if (!isObj(s.template.metadata)) s.template.metadata = { creationTimestamp: null };
  if (!isObj(s.template.metadata.labels)) s.template.metadata.labels = {};
  const tl = s.template.metadata.labels as Obj;
  for (const k of [LegacyJobNameLabel, JobNameLabel]) if (!(k in tl)) tl[k] = name;
  for (const k of [LegacyControllerUidLabel, ControllerUidLabel]) if (!(k in tl)) tl[k] = uid;
  if (!isObj(s.selector)) s.selector = {};
  if (!isObj(s.selector.matchLabels)) s.selector.matchLabels = {};
  if (!(ControllerUidLabel in s.selector.matchLabels)) s.selector.matchLabels[ControllerUidLabel] = uid;
  if (!isObj(job.metadata.labels) || Object.keys(job.metadata.labels).length === 0) job.metadata.labels = { ...tl };
}

export function defaultCronJob(obj: KObject): void {
  if (!isObj(obj.spec)) obj.spec = {};
  const s = obj.spec as Obj;
  if (!s.concurrencyPolicy) s.concurrencyPolicy = 'Allow';
  if (unset(s.suspend)) s.suspend = false;
  if (unset(s.successfulJobsHistoryLimit)) s.successfulJobsHistoryLimit = 3;
  if (unset(s.failedJobsHistoryLimit)) s.failedJobsHistoryLimit = 1;
  if (!isObj(s.jobTemplate)) s.jobTemplate = {};
  if (!isObj(s.jobTemplate.metadata)) s.jobTemplate.metadata = {};
  if (!('creationTimestamp' in s.jobTemplate.metadata)) s.jobTemplate.metadata.creationTimestamp = null;
  if (!isObj(s.jobTemplate.spec)) s.jobTemplate.spec = {};
  // SetDefaults_Job is not applied to jobTemplate.spec (it takes a whole Job); only nested pod defaults are
  defaultJobSpec(s.jobTemplate.spec);
}
