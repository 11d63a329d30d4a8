/**
 * Create/update validation for the sandbox API server, mirroring kube-apiserver 1.33 (REST strategy
 * Validate/ValidateUpdate). Pure functions over wire-form (v1 JSON) objects that have already been
 * defaulted (see ../defaults). Turn the result into a 422 with `errors.invalid(group, kind, name, errs)`.
 */
import type { FieldError, GVK, KObject } from '../apiserver/types.js';
import { validatePodCreate, validatePodUpdate } from './pod.js';
import {
  validateDaemonSetCreate, validateDaemonSetUpdate, validateDeploymentCreate, validateDeploymentUpdate,
  validateReplicaSetCreate, validateReplicaSetUpdate, validateReplicationControllerCreate,
  validateReplicationControllerUpdate, validateStatefulSetCreate, validateStatefulSetUpdate,
} from './controllers.js';
import { validateCronJobCreate, validateCronJobUpdate, validateJobCreate, validateJobUpdate, type CronJobOptions } from './job.js';
import { validateServiceCreate, validateServiceUpdate, type ServiceOptions } from './service.js';
import {
  validateConfigMapCreate, validateConfigMapUpdate, validateGenericCreate, validateGenericUpdate, validateIngressCreate,
  validateIngressUpdate, validateNamespaceCreate, validateNamespaceUpdate, validatePVCCreate, validateScale,
  validateSecretCreate, validateSecretUpdate, validatePVCreate, validateRoleCreate, validateRoleBindingCreate,
  validateRoleBindingUpdate,
} from './misc.js';
import { validateObjectMetaUpdate } from './common.js';
import { nameIsPathSegment, type NameFn } from './strings.js';
import { asArray, asMap, isObj } from './common.js';
import { parseQuantity } from './quantity.js';

export interface ValidationOptions extends ServiceOptions, CronJobOptions {}

/** Kinds without a namespace (everything else is namespaced). */
const clusterScoped = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'CSIDriver', 'CSINode',
  'VolumeAttachment', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CustomResourceDefinition', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
  'ComponentStatus', 'SelfSubjectReview', 'TokenReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview',
  'SubjectAccessReview', 'IPAddress', 'ServiceCIDR',
]);

export function isNamespacedKind(kind: string): boolean {
  return !clusterScoped.has(kind);
}

/** Name rule per kind for kinds only validated generically. */
const pathSegmentNamed = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

function genericNameFn(kind: string): NameFn | undefined {
  return pathSegmentNamed.has(kind) ? nameIsPathSegment : undefined;
}

/** Validate an object being created. Returns [] when valid. */
export function validateCreate(gvk: GVK, obj: KObject, opts: ValidationOptions = {}): FieldError[] {
  switch (gvk.kind) {
    case 'Pod': return validatePodCreate(obj);
    case 'ReplicationController': return validateReplicationControllerCreate(obj);
    case 'ReplicaSet': return validateReplicaSetCreate(obj);
    case 'Deployment': return validateDeploymentCreate(obj);
    case 'DaemonSet': return validateDaemonSetCreate(obj);
    case 'StatefulSet': return validateStatefulSetCreate(obj);
    case 'Job': return validateJobCreate(obj);
    case 'CronJob': return validateCronJobCreate(obj, opts);
    case 'Service': return validateServiceCreate(obj, opts);
    case 'Namespace': return validateNamespaceCreate(obj);
    case 'Secret': return validateSecretCreate(obj);
    case 'ConfigMap': return validateConfigMapCreate(obj);
    case 'Ingress': return validateIngressCreate(obj);
    case 'Scale': return validateScale(obj);
    case 'PersistentVolumeClaim': return validatePVCCreate(obj);
    case 'PersistentVolume': return validatePVCreate(obj);
    case 'Role': return validateRoleCreate(obj, true);
    case 'ClusterRole': return validateRoleCreate(obj, false);
    case 'RoleBinding': return validateRoleBindingCreate(obj, true);
    case 'ClusterRoleBinding': return validateRoleBindingCreate(obj, false);
    default: return validateGenericCreate(obj, isNamespacedKind(gvk.kind), genericNameFn(gvk.kind));
  }
}

/** Validate an update of `old` (the stored object) into `obj`. Returns [] when valid. */
export function validateUpdate(gvk: GVK, obj: KObject, old: KObject, opts: ValidationOptions = {}): FieldError[] {
  switch (gvk.kind) {
    case 'Pod': return validatePodUpdate(obj, old);
    case 'ReplicationController': return validateReplicationControllerUpdate(obj, old);
    case 'ReplicaSet': return validateReplicaSetUpdate(obj, old, gvk.group);
    case 'Deployment': return validateDeploymentUpdate(obj, old, gvk.group);
    case 'DaemonSet': return validateDaemonSetUpdate(obj, old, gvk.group);
    case 'StatefulSet': return validateStatefulSetUpdate(obj, old);
    case 'Job': return validateJobUpdate(obj, old);
    case 'CronJob': return validateCronJobUpdate(obj, old, opts);
    case 'Service': return validateServiceUpdate(obj, old, opts);
    case 'Namespace': return validateNamespaceUpdate(obj, old);
    case 'Secret': return validateSecretUpdate(obj, old);
    case 'ConfigMap': return validateConfigMapUpdate(obj, old);
    case 'Ingress': return validateIngressUpdate(obj, old);
    case 'Scale': return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateScale(obj)];
    case 'PersistentVolumeClaim': return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validatePVCCreate(obj)];
    case 'PersistentVolume': return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validatePVCreate(obj)];
    case 'Role': return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateRoleCreate(obj, true)];
    case 'ClusterRole': return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateRoleCreate(obj, false)];
    case 'RoleBinding': return validateRoleBindingUpdate(obj, old, true);
    case 'ClusterRoleBinding': return validateRoleBindingUpdate(obj, old, false);
    default: return validateGenericUpdate(obj, old, isNamespacedKind(gvk.kind), genericNameFn(gvk.kind));
  }
}

function podSpecOf(gvk: GVK, obj: KObject): Record<string, any> | undefined {
  const spec = asMap(obj.spec);
  switch (gvk.kind) {
    case 'Pod': return spec;
    case 'PodTemplate': return asMap(asMap(obj.template).spec);
    case 'CronJob': return asMap(asMap(asMap(asMap(spec.jobTemplate).spec).template).spec);
    default: return isObj(spec.template) ? asMap(asMap(spec.template).spec) : undefined;
  }
}

/**
 * Errors the real server reports while decoding the body (400 BadRequest, before validation),
 * e.g. a malformed resource quantity. Returns the Status message or undefined.
 */
export function decodeError(gvk: GVK, obj: KObject): string | undefined {
  const prefix = `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: `;
  const b64 = gvk.kind === 'Secret' ? obj.data : gvk.kind === 'ConfigMap' ? obj.binaryData : undefined;
  for (const v of Object.values(asMap(b64))) {
    const at = base64ErrorOffset(v);
    if (at !== undefined) return `${prefix}illegal base64 data at input byte ${at}`;
  }
  const ps = podSpecOf(gvk, obj);
  if (!ps) return undefined;
  for (const c of [...asArray(ps.containers), ...asArray(ps.initContainers)]) {
    const res = asMap(c?.resources);
    for (const list of [res.limits, res.requests]) {
      for (const q of Object.values(asMap(list))) {
        const r = parseQuantity(q);
        if ('error' in r) return `${prefix}${r.error}`;
      }
    }
  }
  return undefined;
}

/** Offset Go's base64.StdEncoding reports for malformed data (CorruptInputError), or undefined. */
export function base64ErrorOffset(v: unknown): number | undefined {
  if (typeof v !== 'string') return typeof v === 'undefined' || v === null ? undefined : 0;
  let n = 0;
  let padAt = -1;
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    if (ch === '\n' || ch === '\r') continue;
    if (ch === '=') {
      if (padAt < 0) padAt = i;
      n++;
      continue;
    }
    if (!/[A-Za-z0-9+/]/.test(ch) || padAt >= 0) return i;
    n++;
  }
  if (n % 4 !== 0) return Math.floor(n / 4) * 4;
  return undefined;
}

export { formatGoBadValue, GoValue, isGoValue, goFieldErrorBody, goFieldErrorString, goInvalidMessage } from './goformat.js';
export { cronParseError } from './cron.js';
export * as strings from './strings.js';
