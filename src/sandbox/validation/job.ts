/** Job and CronJob (batch/v1) validation. */
import type { KObject } from '../apiserver/types.js';
import { field } from '../apiserver/errors.js';
import {
  asMap, isObj, num, selectorMatches, str, validateImmutable, validateLabelSelector, validateNonnegative,
  validateObjectMeta, validateObjectMetaUpdate, type Errs,
} from './common.js';
import { GoValue, goLabelSelector, goStringMap, goStruct } from './goformat.js';
import { validatePodTemplateSpec } from './pod.js';
import { isDNS1123Label, nameIsDNSSubdomain } from './strings.js';
import { cronParseError, defaultZoneCheck } from './cron.js';

export const LegacyControllerUidLabel = 'controller-uid';
export const LegacyJobNameLabel = 'job-name';
export const ControllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const JobNameLabel = 'batch.kubernetes.io/job-name';

function templateLabels(spec: Record<string, any>): Record<string, string> | undefined {
  const l = asMap(spec.template).metadata?.labels;
  return isObj(l) ? (l as Record<string, string>) : undefined;
}

function validateHasLabel(labels: Record<string, string> | undefined, path: string, k: string, expected: string): Errs {
  const l = labels ?? {};
  if (!(k in l)) return [field.required(`${path}.labels[${k}]`, `must be '${expected}'`)];
  if (l[k] !== expected) return [field.invalid(`${path}.labels[${k}]`, goStringMap(labels), `must be '${expected}'`)];
  return [];
}

function validateGeneratedSelector(job: KObject): Errs {
  const spec = asMap(job.spec);
  if (spec.manualSelector === true || !isObj(spec.selector)) return [];
  const errs: Errs = [];
  const uid = str(job.metadata?.uid);
  const name = str(job.metadata?.name);
  if (!uid) errs.push(field.required('metadata.uid', ''));
  const labels = templateLabels(spec);
  errs.push(...validateHasLabel(labels, 'spec.template.metadata', LegacyControllerUidLabel, uid));
  errs.push(...validateHasLabel(labels, 'spec.template.metadata', LegacyJobNameLabel, name));
  errs.push(...validateHasLabel(labels, 'spec.template.metadata', ControllerUidLabel, uid));
  errs.push(...validateHasLabel(labels, 'spec.template.metadata', JobNameLabel, name));
  const expected = { [ControllerUidLabel]: uid, [JobNameLabel]: name, [LegacyControllerUidLabel]: uid, [LegacyJobNameLabel]: name };
  if (!selectorMatches(spec.selector, expected)) errs.push(field.invalid('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  return errs;
}

/** validateJobSpec (shared by Job and CronJob.spec.jobTemplate). */
function validateJobSpecCommon(spec: Record<string, any>, path: string): Errs {
  const errs: Errs = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']) {
    errs.push(...validateNonnegative(spec[f], `${path}.${f}`));
  }
  const has = (k: string) => spec[k] !== undefined && spec[k] !== null;
  if (has('maxFailedIndexes')) {
    errs.push(...validateNonnegative(spec.maxFailedIndexes, `${path}.maxFailedIndexes`));
    if (!has('backoffLimitPerIndex')) errs.push(field.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== null) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(field.notSupported(`${path}.completionMode`, str(mode), ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (!has('completions')) errs.push(field.required(`${path}.completions`, 'when completion mode is Indexed'));
      if (has('parallelism') && num(spec.parallelism) > 100000) {
        errs.push(field.invalid(`${path}.parallelism`, num(spec.parallelism), 'must be less than or equal to 100000 when completion mode is Indexed'));
      }
    }
  }
  if (mode === undefined || mode === null || mode === 'NonIndexed') {
    if (has('backoffLimitPerIndex')) errs.push(field.invalid(`${path}.backoffLimitPerIndex`, num(spec.backoffLimitPerIndex), 'requires indexed completion mode'));
    if (has('maxFailedIndexes')) errs.push(field.invalid(`${path}.maxFailedIndexes`, num(spec.maxFailedIndexes), 'requires indexed completion mode'));
  }
  if (has('podReplacementPolicy')) {
    const p = str(spec.podReplacementPolicy);
    if (has('podFailurePolicy')) {
      if (p !== 'Failed') errs.push(field.notSupported(`${path}.podReplacementPolicy`, p, ['Failed']));
    } else if (p !== 'Failed' && p !== 'TerminatingOrFailed') {
      errs.push(field.notSupported(`${path}.podReplacementPolicy`, p, ['Failed', 'TerminatingOrFailed']));
    }
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  const rp = str(asMap(asMap(spec.template).spec).restartPolicy);
  if (rp === 'Always' || rp === '') {
    errs.push(field.required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  } else if (rp !== 'OnFailure' && rp !== 'Never') {
    errs.push(field.notSupported(`${path}.template.spec.restartPolicy`, rp, ['OnFailure', 'Never']));
  } else if (has('podFailurePolicy') && rp !== 'Never') {
    errs.push(field.invalid(`${path}.template.spec.restartPolicy`, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

function validateJobSpec(spec: Record<string, any>): Errs {
  const errs = validateJobSpecCommon(spec, 'spec');
  if (spec.selector === undefined || spec.selector === null) errs.push(field.required('spec.selector', ''));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  if (isObj(spec.selector) || spec.selector === undefined || spec.selector === null) {
    // nil selector converts to Nothing(); an empty one to Everything()
    const matches = isObj(spec.selector) && Object.keys(asMap(spec.selector.matchLabels)).length === 0 && !(spec.selector.matchExpressions?.length)
      ? true
      : selectorMatches(spec.selector, templateLabels(spec));
    if (!matches) errs.push(field.invalid('spec.template.metadata.labels', goStringMap(templateLabels(spec)), '`selector` does not match template `labels`'));
  }
  return errs;
}

export function validateJobCreate(job: KObject): Errs {
  const errs = validateObjectMeta(job.metadata, true, nameIsDNSSubdomain);
  errs.push(...validateGeneratedSelector(job));
  const spec = asMap(job.spec);
  errs.push(...validateJobSpec(spec));
  if (spec.completionMode === 'Indexed' && num(spec.completions) > 0) {
    const host = `${str(job.metadata?.name)}-${num(spec.completions) - 1}`;
    if (isDNS1123Label(host).length > 0) {
      errs.push(field.invalid('metadata.name', str(job.metadata?.name), `will not able to create pod with invalid DNS label: ${host}`));
    }
  }
  return errs;
}

export function validateJobUpdate(job: KObject, old: KObject): Errs {
  const errs = validateObjectMetaUpdate(job.metadata, old.metadata);
  const spec = asMap(job.spec);
  const oldSpec = asMap(old.spec);
  errs.push(...validateJobSpec(spec));
  errs.push(...validateImmutable(spec.completions ?? null, oldSpec.completions ?? null, 'spec.completions'));
  errs.push(...validateImmutable(spec.selector, oldSpec.selector, 'spec.selector', goLabelSelector(spec.selector)));
  // scheduling directives may change while the job is suspended and has not started
  let oldTemplate = oldSpec.template;
  const mutable = oldSpec.suspend === true && !asMap(old.status).startTime;
  if (mutable) {
    const t = asMap(spec.template);
    const ot = structuredClone(asMap(oldSpec.template)) as Record<string, any>;
    ot.metadata = { ...asMap(ot.metadata), labels: asMap(t.metadata).labels, annotations: asMap(t.metadata).annotations };
    ot.spec = { ...asMap(ot.spec) };
    for (const k of ['nodeSelector', 'tolerations', 'schedulingGates']) ot.spec[k] = asMap(t.spec)[k];
    if (isObj(asMap(t.spec).affinity) || isObj(ot.spec.affinity)) {
      ot.spec.affinity = { ...asMap(ot.spec.affinity), nodeAffinity: asMap(asMap(t.spec).affinity).nodeAffinity };
    }
    oldTemplate = ot;
  }
  errs.push(...validateImmutable(spec.template, oldTemplate, 'spec.template', goStruct('core.PodTemplateSpec', spec.template)));
  for (const k of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    const v = spec[k];
    errs.push(...validateImmutable(v ?? null, oldSpec[k] ?? null, `spec.${k}`, typeof v === 'object' && v !== null ? new GoValue(JSON.stringify(v), v) : v));
  }
  return errs;
}

// ---------------------------------------------------------------- CronJob

export interface CronJobOptions {
  /** time.LoadLocation replacement; returns the error text or undefined */
  zoneCheck?: (tz: string) => string | undefined;
}

function validateCronJobSpec(spec: Record<string, any>, oldSpec: Record<string, any> | undefined, opts: CronJobOptions): Errs {
  const errs: Errs = [];
  const zoneCheck = opts.zoneCheck ?? defaultZoneCheck;
  const schedule = str(spec.schedule);
  if (!schedule) errs.push(field.required('spec.schedule', ''));
  else {
    const perr = cronParseError(schedule, zoneCheck);
    if (perr) errs.push(field.invalid('spec.schedule', schedule, perr));
    const allowTZ = oldSpec ? str(oldSpec.schedule).includes('TZ') : false;
    const hasTZ = schedule.includes('TZ');
    if (allowTZ && hasTZ && spec.timeZone !== undefined && spec.timeZone !== null) {
      errs.push(field.invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    } else if (!allowTZ && hasTZ) {
      errs.push(field.invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  errs.push(...validateNonnegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!oldSpec || (oldSpec.timeZone ?? null) !== (spec.timeZone ?? null)) {
    const tz = spec.timeZone;
    if (tz !== undefined && tz !== null) {
      const z = str(tz);
      if (z.length === 0) errs.push(field.invalid('spec.timeZone', z, 'timeZone must be nil or non-empty string'));
      else if (z.split('/').some((part) => part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part))) {
        errs.push(field.invalid('spec.timeZone', z, `unknown time zone ${z}`));
      } else {
        if (z.toLowerCase() === 'local') errs.push(field.invalid('spec.timeZone', z, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
        const zerr = zoneCheck(z);
        if (zerr && z.toLowerCase() !== 'local') errs.push(field.invalid('spec.timeZone', z, zerr));
      }
    }
  }
  const cp = str(spec.concurrencyPolicy);
  if (!cp) errs.push(field.required('spec.concurrencyPolicy', ''));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(field.notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  const jt = asMap(spec.jobTemplate);
  const jts = asMap(jt.spec);
  errs.push(...validateJobSpecCommon(jts, 'spec.jobTemplate.spec'));
  if (jts.selector !== undefined && jts.selector !== null) {
    errs.push(field.invalid('spec.jobTemplate.spec.selector', goLabelSelector(jts.selector), '`selector` will be auto-generated'));
  }
  if (jts.manualSelector === true) errs.push(field.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...validateNonnegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}

export function validateCronJobCreate(cj: KObject, opts: CronJobOptions = {}): Errs {
  const errs = validateObjectMeta(cj.metadata, true, nameIsDNSSubdomain);
  errs.push(...validateCronJobSpec(asMap(cj.spec), undefined, opts));
  const name = str(cj.metadata?.name);
  if (name.length > 52) errs.push(field.invalid('metadata.name', name, 'must be no more than 52 characters'));
  return errs;
}

export function validateCronJobUpdate(cj: KObject, old: KObject, opts: CronJobOptions = {}): Errs {
  return [...validateObjectMetaUpdate(cj.metadata, old.metadata), ...validateCronJobSpec(asMap(cj.spec), asMap(old.spec), opts)];
}
