/**
 * ReplicationController (core/v1) and ReplicaSet / Deployment / DaemonSet / StatefulSet (apps/v1).
 */
import type { KObject } from '../apiserver/types.js';
import { field } from '../apiserver/errors.js';
import {
  asMap, isObj, mapSelectorMatches, num, selectorIsEmpty, selectorMatches, semanticEqual, str,
  validateImmutable, validateLabelSelector, validateNonnegative, validateObjectMeta,
  validateObjectMetaUpdate, validateTemplateMeta, type Errs,
} from './common.js';
import { GoValue, goLabelSelector, goStringMap } from './goformat.js';
import { validatePodTemplateSpec } from './pod.js';
import { isValidPercent, nameIsDNSLabel, nameIsDNSSubdomain } from './strings.js';

const selectorMismatch = '`selector` does not match template `labels`';

function templateLabels(template: unknown): Record<string, string> | undefined {
  const l = asMap(template).metadata?.labels;
  return isObj(l) ? (l as Record<string, string>) : undefined;
}

// ---------------------------------------------------------------- ReplicationController

function validateRCSpec(spec: unknown): Errs {
  const s = asMap(spec);
  const errs: Errs = [];
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  const selector = asMap(s.selector) as Record<string, string>;
  if (Object.keys(selector).length === 0) errs.push(field.required('spec.selector', ''));
  errs.push(...validateNonnegative(s.replicas, 'spec.replicas'));
  if (!isObj(s.template)) {
    errs.push(field.required('spec.template', ''));
    return errs;
  }
  const labels = templateLabels(s.template);
  if (Object.keys(selector).length > 0 && !mapSelectorMatches(selector, labels)) {
    errs.push(field.invalid('spec.template.metadata.labels', goStringMap(labels), selectorMismatch));
  }
  errs.push(...validatePodTemplateSpec(s.template, 'spec.template'));
  const rp = str(asMap(s.template.spec).restartPolicy);
  if (rp !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (asMap(s.template.spec).activeDeadlineSeconds !== undefined && asMap(s.template.spec).activeDeadlineSeconds !== null) {
    errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

export function validateReplicationControllerCreate(obj: KObject): Errs {
  return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain), ...validateRCSpec(obj.spec)];
}

export function validateReplicationControllerUpdate(obj: KObject, old: KObject): Errs {
  return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateRCSpec(obj.spec)];
}

// ---------------------------------------------------------------- apps/v1 helpers

/** intstr.IntOrString as %#v prints it. */
function goIntOrString(v: unknown): GoValue {
  if (typeof v === 'string') return new GoValue(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`, v);
  return new GoValue(`intstr.IntOrString{Type:0, IntVal:${num(v)}, StrVal:""}`, v);
}

function validatePositiveIntOrPercent(v: unknown, path: string): Errs {
  if (typeof v === 'string') return isValidPercent(v).map((m) => field.invalid(path, goIntOrString(v), m));
  return validateNonnegative(num(v), path);
}

function percentValue(v: unknown): number | undefined {
  if (typeof v === 'string' && isValidPercent(v).length === 0) return Number(v.slice(0, -1));
  return undefined;
}

function intOrPercentValue(v: unknown): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  if (typeof v === 'string') {
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) ? 0 : n;
  }
  return num(v);
}

function notMoreThan100Percent(v: unknown, path: string): Errs {
  const p = percentValue(v);
  if (p === undefined || p <= 100) return [];
  return [field.invalid(path, goIntOrString(v), 'must not be greater than 100%')];
}

/** ValidatePodTemplateSpecForReplicaSet (also used by Deployment). */
function validateTemplateForReplicaSet(spec: Record<string, any>, kindText: string): Errs {
  const errs: Errs = [];
  const sel = spec.selector;
  // a nil selector converts to labels.Nothing(), which is not Empty() and matches nothing
  const empty = isObj(sel) && selectorIsEmpty(sel);
  if (!empty && !selectorMatches(sel, templateLabels(spec.template))) {
    errs.push(field.invalid('spec.template.metadata.labels', goStringMap(templateLabels(spec.template)), selectorMismatch));
  }
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  const ps = asMap(asMap(spec.template).spec);
  if (str(ps.restartPolicy) !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', str(ps.restartPolicy), ['Always']));
  if (ps.activeDeadlineSeconds !== undefined && ps.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kindText} is not Supported`));
  }
  return errs;
}

function validateSelectorRequired(sel: unknown, emptyText: string): Errs {
  if (sel === undefined || sel === null) return [field.required('spec.selector', '')];
  const errs = validateLabelSelector(sel, 'spec.selector');
  if (selectorIsEmpty(sel)) errs.push(field.invalid('spec.selector', goLabelSelector(sel), emptyText));
  return errs;
}

// ---------------------------------------------------------------- ReplicaSet

function validateRSSpec(spec: unknown): Errs {
  const s = asMap(spec);
  const errs: Errs = [];
  errs.push(...validateNonnegative(s.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorRequired(s.selector, 'empty selector is invalid for deployment'));
  errs.push(...validateTemplateForReplicaSet(s, 'ReplicaSet'));
  return errs;
}

function selectorImmutable(obj: KObject, old: KObject): Errs {
  const n = asMap(obj.spec).selector;
  const o = asMap(old.spec).selector;
  return validateImmutable(n, o, 'spec.selector', goLabelSelector(n));
}

export function validateReplicaSetCreate(obj: KObject): Errs {
  return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain), ...validateRSSpec(obj.spec)];
}

export function validateReplicaSetUpdate(obj: KObject, old: KObject, group = 'apps'): Errs {
  const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateRSSpec(obj.spec)];
  if (group !== 'extensions') errs.push(...selectorImmutable(obj, old));
  return errs;
}

// ---------------------------------------------------------------- Deployment

function goDeploymentStrategy(s: any): GoValue {
  const ru = isObj(s?.rollingUpdate)
    ? `&apps.RollingUpdateDeployment{MaxUnavailable:${goIntOrString(s.rollingUpdate.maxUnavailable).goString}, MaxSurge:${goIntOrString(s.rollingUpdate.maxSurge).goString}}`
    : '(*apps.RollingUpdateDeployment)(nil)';
  return new GoValue(`apps.DeploymentStrategy{Type:${JSON.stringify(str(s?.type))}, RollingUpdate:${ru}}`, s);
}

function validateDeploymentStrategy(strategy: unknown): Errs {
  const s = asMap(strategy);
  const errs: Errs = [];
  switch (s.type) {
    case 'Recreate':
      if (s.rollingUpdate !== undefined && s.rollingUpdate !== null) {
        errs.push(field.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
      }
      break;
    case 'RollingUpdate': {
      if (!isObj(s.rollingUpdate)) {
        errs.push(field.required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
        break;
      }
      const ru = s.rollingUpdate;
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(field.invalid('spec.strategy.rollingUpdate.maxUnavailable', goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      break;
    }
    default:
      errs.push(field.notSupported('spec.strategy', goDeploymentStrategy(s), ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

function validateDeploymentSpec(spec: unknown): Errs {
  const s = asMap(spec);
  const errs: Errs = [];
  errs.push(...validateNonnegative(s.replicas, 'spec.replicas'));
  errs.push(...validateSelectorRequired(s.selector, 'empty selector is invalid for deployment'));
  errs.push(...validateTemplateForReplicaSet(s, 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(s.strategy));
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (isObj(s.rollbackTo)) errs.push(...validateNonnegative(s.rollbackTo.revision, 'spec.rollback.version'));
  if (s.progressDeadlineSeconds !== undefined && s.progressDeadlineSeconds !== null) {
    errs.push(...validateNonnegative(s.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (num(s.progressDeadlineSeconds) <= num(s.minReadySeconds)) {
      errs.push(field.invalid('spec.progressDeadlineSeconds', num(s.progressDeadlineSeconds), 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export function validateDeploymentCreate(obj: KObject): Errs {
  return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain), ...validateDeploymentSpec(obj.spec)];
}

export function validateDeploymentUpdate(obj: KObject, old: KObject, group = 'apps'): Errs {
  const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateDeploymentSpec(obj.spec)];
  if (group !== 'extensions') errs.push(...selectorImmutable(obj, old));
  return errs;
}

// ---------------------------------------------------------------- DaemonSet

function goDaemonSetStrategy(s: any): GoValue {
  const ru = isObj(s?.rollingUpdate)
    ? `&apps.RollingUpdateDaemonSet{MaxUnavailable:${goIntOrString(s.rollingUpdate.maxUnavailable).goString}, MaxSurge:${goIntOrString(s.rollingUpdate.maxSurge).goString}}`
    : '(*apps.RollingUpdateDaemonSet)(nil)';
  return new GoValue(`&apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(str(s?.type))}, RollingUpdate:${ru}}`, s);
}

function validateDaemonSetSpec(spec: unknown): Errs {
  const s = asMap(spec);
  const errs: Errs = [];
  errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  const sel = s.selector;
  const everything = isObj(sel) && selectorIsEmpty(sel);
  if (!everything && !selectorMatches(sel, templateLabels(s.template))) {
    errs.push(field.invalid('spec.template.metadata.labels', goStringMap(templateLabels(s.template)), selectorMismatch));
  }
  if (isObj(sel) && selectorIsEmpty(sel)) errs.push(field.invalid('spec.selector', goLabelSelector(sel), 'empty selector is invalid for daemonset'));
  errs.push(...validatePodTemplateSpec(s.template, 'spec.template'));
  const ps = asMap(asMap(s.template).spec);
  if (str(ps.restartPolicy) !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', str(ps.restartPolicy), ['Always']));
  if (ps.activeDeadlineSeconds !== undefined && ps.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  const us = asMap(s.updateStrategy);
  switch (us.type) {
    case 'OnDelete':
      break;
    case 'RollingUpdate': {
      if (!isObj(us.rollingUpdate)) { errs.push(field.required('spec.updateStrategy.rollingUpdate', '')); break; }
      const ru = us.rollingUpdate;
      const p = 'spec.updateStrategy.rollingUpdate';
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...notMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`));
      const hasU = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasS = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasU && hasS) errs.push(field.invalid(`${p}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
      else if (!hasU && !hasS) errs.push(field.required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      break;
    }
    default:
      errs.push(field.notSupported('spec.updateStrategy', goDaemonSetStrategy(us), ['RollingUpdate', 'OnDelete']));
  }
  errs.push(...validateNonnegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

export function validateDaemonSetCreate(obj: KObject): Errs {
  return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain), ...validateDaemonSetSpec(obj.spec)];
}

export function validateDaemonSetUpdate(obj: KObject, old: KObject, group = 'apps'): Errs {
  const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateDaemonSetSpec(obj.spec)];
  if (group !== 'extensions') errs.push(...selectorImmutable(obj, old));
  return errs;
}

// ---------------------------------------------------------------- StatefulSet

function validateStatefulSetSpec(spec: unknown): Errs {
  const s = asMap(spec);
  const errs: Errs = [];
  const pmp = str(s.podManagementPolicy);
  if (!pmp) errs.push(field.required('spec.podManagementPolicy', ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(field.invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = asMap(s.updateStrategy);
  switch (str(us.type)) {
    case '':
      errs.push(field.required('spec.updateStrategy', ''));
      break;
    case 'OnDelete':
      if (us.rollingUpdate !== undefined && us.rollingUpdate !== null) {
        errs.push(field.invalid('spec.updateStrategy.rollingUpdate', us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      }
      break;
    case 'RollingUpdate':
      if (isObj(us.rollingUpdate)) {
        errs.push(...validateNonnegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
        const mu = us.rollingUpdate.maxUnavailable;
        if (mu !== undefined && mu !== null) {
          const p = 'spec.updateStrategy.rollingUpdate.maxUnavailable';
          errs.push(...validatePositiveIntOrPercent(mu, p));
          if (intOrPercentValue(mu) === 0) errs.push(field.invalid(p, goIntOrString(mu), 'cannot be 0'));
          errs.push(...notMoreThan100Percent(mu, p));
        }
      }
      break;
    default:
      errs.push(field.invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const pvc = s.persistentVolumeClaimRetentionPolicy;
  if (isObj(pvc)) {
    for (const k of ['whenDeleted', 'whenScaled']) {
      const v = str(pvc[k]);
      if (v !== 'Retain' && v !== 'Delete') errs.push(field.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v, ['Retain', 'Delete']));
    }
  }
  errs.push(...validateNonnegative(s.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  if (isObj(s.ordinals)) errs.push(...validateNonnegative(s.ordinals.start, 'spec.ordinals.start'));
  if (s.selector === undefined || s.selector === null) errs.push(field.required('spec.selector', ''));
  else {
    errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
    if (selectorIsEmpty(s.selector)) errs.push(field.invalid('spec.selector', goLabelSelector(s.selector), 'empty selector is invalid for statefulset'));
  }
  const sel = s.selector;
  const everything = isObj(sel) && selectorIsEmpty(sel);
  if (!everything && !selectorMatches(sel, templateLabels(s.template))) {
    errs.push(field.invalid('spec.template.metadata.labels', goStringMap(templateLabels(s.template)), selectorMismatch));
  }
  errs.push(...validateTemplateMeta(asMap(s.template).metadata, 'spec.template'));
  const ps = asMap(asMap(s.template).spec);
  if (str(ps.restartPolicy) !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', str(ps.restartPolicy), ['Always']));
  if (ps.activeDeadlineSeconds !== undefined && ps.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

export function validateStatefulSetCreate(obj: KObject): Errs {
  return [...validateObjectMeta(obj.metadata, true, nameIsDNSLabel), ...validateStatefulSetSpec(obj.spec)];
}

export function validateStatefulSetUpdate(obj: KObject, old: KObject): Errs {
  const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateStatefulSetSpec(obj.spec)];
  const n = { ...asMap(obj.spec) };
  const o = asMap(old.spec);
  for (const k of ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy']) n[k] = o[k];
  if (!semanticEqual(n, o)) {
    errs.push(field.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  return errs;
}

