/**
 * Namespace, Secret, ConfigMap, ServiceAccount, Node, Ingress, Scale, PersistentVolumeClaim and a
 * generic object-meta-only validator for everything else.
 */
import type { KObject } from '../apiserver/types.js';
import { field } from '../apiserver/errors.js';
import {
  asArray, asMap, child, index, isObj, key, num, semanticEqual, str, validateImmutable,
  validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate, type Errs,
} from './common.js';
import {
  byteLen, isConfigMapKey, isDNS1123Subdomain, isQualifiedName, isIP, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain,
  nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment, type NameFn,
} from './strings.js';
import { parseQuantity, quantityString } from './quantity.js';
import { GoValue } from './goformat.js';

// ---------------------------------------------------------------- Namespace

export function validateNamespaceCreate(ns: KObject): Errs {
  const errs = validateObjectMeta(ns.metadata, false, nameIsDNSLabel);
  for (const f of asArray(asMap(ns.spec).finalizers).map(str)) {
    for (const m of isQualifiedName(f)) errs.push(field.invalid('spec.finalizers', f, m));
    if (!f.includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(f)) {
      errs.push(field.invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export function validateNamespaceUpdate(ns: KObject, old: KObject): Errs {
  return validateObjectMetaUpdate(ns.metadata, old.metadata);
}

// ---------------------------------------------------------------- Secret / ConfigMap

export const maxSecretSize = 1024 * 1024;

function decodedLen(v: unknown): number {
  const s = str(v);
  return Buffer.from(s, 'base64').length;
}

export function validateSecretCreate(secret: KObject): Errs {
  const errs = validateObjectMeta(secret.metadata, true, nameIsDNSSubdomain);
  const data = asMap(secret.data);
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(key('data', k), k, m));
    total += decodedLen(v);
  }
  if (total > maxSecretSize) errs.push(field.tooLong('data', maxSecretSize));
  const ann = asMap(secret.metadata?.annotations);
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  switch (str(secret.type)) {
    case 'kubernetes.io/service-account-token':
      if (!str(ann['kubernetes.io/service-account.name'])) errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]', ''));
      break;
    case 'kubernetes.io/dockercfg':
      if (!has('.dockercfg')) errs.push(field.required('data[.dockercfg]', ''));
      break;
    case 'kubernetes.io/dockerconfigjson':
      if (!has('.dockerconfigjson')) errs.push(field.required('data[.dockerconfigjson]', ''));
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) {
        errs.push(field.required('data[username]', ''));
        errs.push(field.required('data[password]', ''));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (decodedLen(data['ssh-privatekey']) === 0) errs.push(field.required('data[ssh-privatekey]', ''));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(field.required('data[tls.crt]', ''));
      if (!has('tls.key')) errs.push(field.required('data[tls.key]', ''));
      break;
    default:
      break;
  }
  return errs;
}

function immutableData(obj: KObject, old: KObject, keys: string[]): Errs {
  const errs: Errs = [];
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
    for (const k of keys) if (!semanticEqual(obj[k], old[k])) errs.push(field.forbidden(k, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export function validateSecretUpdate(secret: KObject, old: KObject): Errs {
  const errs = validateObjectMetaUpdate(secret.metadata, old.metadata);
  errs.push(...validateImmutable(str(secret.type), str(old.type), 'type'));
  errs.push(...immutableData(secret, old, ['data']));
  errs.push(...validateSecretCreate(secret));
  return errs;
}

export function validateConfigMapCreate(cm: KObject): Errs {
  const errs = validateObjectMeta(cm.metadata, true, nameIsDNSSubdomain);
  let total = 0;
  const binary = asMap(cm.binaryData);
  for (const [k, v] of Object.entries(asMap(cm.data))) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(key('data', k), k, m));
    if (Object.prototype.hasOwnProperty.call(binary, k)) errs.push(field.invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += byteLen(str(v));
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(key('binaryData', k), k, m));
    total += decodedLen(v);
  }
  if (total > maxSecretSize) errs.push(field.tooLong('', maxSecretSize));
  return errs;
}

export function validateConfigMapUpdate(cm: KObject, old: KObject): Errs {
  return [...validateObjectMetaUpdate(cm.metadata, old.metadata), ...immutableData(cm, old, ['data', 'binaryData']), ...validateConfigMapCreate(cm)];
}

// ---------------------------------------------------------------- Ingress (networking.k8s.io/v1)

const invalidPathSequences = ['//', '/./', '/../', '%2f', '%2F'];
const invalidPathSuffixes = ['/..', '/.'];

function validateTypedLocalObjectReference(r: any, path: string): Errs {
  const errs: Errs = [];
  if (r?.apiGroup !== undefined && r?.apiGroup !== null) {
    for (const m of isDNS1123Subdomain(str(r.apiGroup))) errs.push(field.invalid(child(path, 'apiGroup'), str(r.apiGroup), m));
  }
  for (const f of ['kind', 'name']) {
    const v = str(r?.[f]);
    if (!v) errs.push(field.required(child(path, f), `${f} is required`));
    else for (const m of nameIsPathSegment(v, false)) errs.push(field.invalid(child(path, f), v, m));
  }
  return errs;
}

function validateIngressBackend(b: unknown, path: string): Errs {
  const be = asMap(b);
  const errs: Errs = [];
  const hasResource = isObj(be.resource);
  const hasService = isObj(be.service);
  if (hasResource && hasService) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateTypedLocalObjectReference(be.resource, child(path, 'resource'));
  if (!hasService) return [field.invalid(path, '', 'resource or service backend is required')];
  const svc = be.service;
  const name = str(svc.name);
  if (!name) errs.push(field.required(child(path, 'service', 'name'), ''));
  else for (const m of nameIsDNS1035Label(name, false)) errs.push(field.invalid(child(path, 'service', 'name'), name, m));
  const port = asMap(svc.port);
  const hasName = str(port.name).length > 0;
  const hasNumber = num(port.number) !== 0;
  if (hasName && hasNumber) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
  else if (hasName) for (const m of isValidPortName(str(port.name))) errs.push(field.invalid(child(path, 'service', 'port', 'name'), str(port.name), m));
  else if (hasNumber) for (const m of isValidPortNum(num(port.number))) errs.push(field.invalid(child(path, 'service', 'port', 'number'), num(port.number), m));
  else errs.push(field.required(path, 'port name or number is required'));
  return errs;
}

function validateHTTPIngressPath(p: any, path: string): Errs {
  const errs: Errs = [];
  const pt = p?.pathType;
  const value = str(p?.path);
  if (pt === undefined || pt === null || pt === '') {
    errs.push(field.required(child(path, 'pathType'), 'pathType must be specified'));
    return errs;
  }
  switch (pt) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(field.invalid(child(path, 'path'), value, 'must be an absolute path'));
      if (value.length > 0) {
        for (const seq of invalidPathSequences) if (value.includes(seq)) errs.push(field.invalid(child(path, 'path'), value, `must not contain '${seq}'`));
        for (const suf of invalidPathSuffixes) if (value.endsWith(suf)) errs.push(field.invalid(child(path, 'path'), value, `cannot end with '${suf}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (value.length > 0 && !value.startsWith('/')) errs.push(field.invalid(child(path, 'path'), value, 'must be an absolute path'));
      break;
    default:
      errs.push(field.notSupported(child(path, 'pathType'), str(pt), ['Exact', 'ImplementationSpecific', 'Prefix']));
  }
  errs.push(...validateIngressBackend(p?.backend, child(path, 'backend')));
  return errs;
}

function validateIngressSpec(spec: unknown): Errs {
  const s = asMap(spec);
  const errs: Errs = [];
  const rules = asArray(s.rules);
  if (rules.length === 0 && !isObj(s.defaultBackend)) {
    const bad = new GoValue(Array.isArray(s.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)', rules);
    errs.push(field.invalid('spec', bad, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (isObj(s.defaultBackend)) errs.push(...validateIngressBackend(s.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const p = index('spec.rules', i);
    const host = str(r?.host);
    if (host) {
      if (isIP(host)) errs.push(field.invalid(child(p, 'host'), host, 'must be a DNS name, not an IP address'));
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(field.invalid(child(p, 'host'), host, m));
    }
    if (isObj(r?.http)) {
      const paths = asArray(r.http.paths);
      if (paths.length === 0) errs.push(field.required(child(p, 'http', 'paths'), ''));
      paths.forEach((hp, j) => errs.push(...validateHTTPIngressPath(hp, index(child(p, 'http', 'paths'), j))));
    }
  });
  asArray(s.tls).forEach((t, i) => {
    asArray(t?.hosts).forEach((h, j) => {
      const host = str(h);
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(field.invalid(index(child(index('spec.tls', i), 'hosts'), j), host, m));
    });
    const secret = str(t?.secretName);
    if (secret) for (const m of nameIsDNSSubdomain(secret, false)) errs.push(field.invalid(child(index('spec.tls', i), 'secretName'), secret, m));
  });
  if (s.ingressClassName !== undefined && s.ingressClassName !== null) {
    for (const m of nameIsDNSSubdomain(str(s.ingressClassName), false)) errs.push(field.invalid('spec.ingressClassName', str(s.ingressClassName), m));
  }
  return errs;
}

export function validateIngressCreate(ing: KObject): Errs {
  const errs = [...validateObjectMeta(ing.metadata, true, nameIsDNSSubdomain), ...validateIngressSpec(ing.spec)];
  const cls = asMap(ing.metadata?.annotations)['kubernetes.io/ingress.class'];
  if (cls !== undefined && asMap(ing.spec).ingressClassName !== undefined && asMap(ing.spec).ingressClassName !== null) {
    errs.push(field.invalid('annotations.kubernetes.io/ingress.class', cls, 'can not be set when the class field is also set'));
  }
  return errs;
}

export function validateIngressUpdate(ing: KObject, old: KObject): Errs {
  return [...validateObjectMetaUpdate(ing.metadata, old.metadata), ...validateIngressSpec(ing.spec)];
}

// ---------------------------------------------------------------- Scale (autoscaling/v1)

export function validateScale(scale: KObject): Errs {
  const errs = validateObjectMeta(scale.metadata, true, nameIsDNSSubdomain);
  const r = asMap(scale.spec).replicas;
  if (typeof r === 'number' && r < 0) errs.push(field.invalid('spec.replicas', r, 'must be greater than or equal to 0'));
  return errs;
}

// ---------------------------------------------------------------- PersistentVolumeClaim

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validatePVCSpec(spec: unknown): Errs {
  const s = asMap(spec);
  const errs: Errs = [];
  const modes = asArray<string>(s.accessModes);
  if (modes.length === 0) errs.push(field.required('spec.accessModes', 'at least 1 access mode is required'));
  if (isObj(s.selector)) errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  for (const m of modes) if (!accessModes.includes(m)) errs.push(field.notSupported('spec.accessModes', m, accessModes));
  if (modes.includes('ReadWriteOncePod') && modes.some((m) => m !== 'ReadWriteOncePod' && accessModes.includes(m))) {
    errs.push(field.forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  }
  const storage = asMap(asMap(s.resources).requests).storage;
  if (storage === undefined) errs.push(field.required('spec.resources[storage]', ''));
  else {
    const q = parseQuantity(storage);
    if ('value' in q && q.value <= 0) errs.push(field.invalid('spec.resources[storage]', quantityString(storage), 'must be greater than zero'));
  }
  if (s.storageClassName) for (const m of nameIsDNSSubdomain(str(s.storageClassName), false)) errs.push(field.invalid('spec.storageClassName', str(s.storageClassName), m));
  if (s.volumeMode !== undefined && s.volumeMode !== null && s.volumeMode !== 'Block' && s.volumeMode !== 'Filesystem') {
    errs.push(field.notSupported('spec.volumeMode', str(s.volumeMode), ['Block', 'Filesystem']));
  }
  return errs;
}

export function validatePVCCreate(pvc: KObject): Errs {
  return [...validateObjectMeta(pvc.metadata, true, nameIsDNSSubdomain), ...validatePVCSpec(pvc.spec)];
}

// ---------------------------------------------------------------- generic

export function validateGenericCreate(obj: KObject, namespaced: boolean, nameFn: NameFn = nameIsDNSSubdomain): Errs {
  return validateObjectMeta(obj.metadata, namespaced, nameFn);
}

export function validateGenericUpdate(obj: KObject, old: KObject, namespaced: boolean, nameFn: NameFn = nameIsDNSSubdomain): Errs {
  return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateGenericCreate(obj, namespaced, nameFn)];
}

export { nameIsPathSegment };

// ---------------------------------------------------------------- PersistentVolume

const reclaimPolicies = ['Delete', 'Recycle', 'Retain'];
const pvSources = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cinder',
  'cephfs', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk', 'portworxVolume',
  'scaleIO', 'local', 'storageos', 'csi', 'iscsi',
];

function validatePVSpec(spec: unknown): Errs {
  const s = asMap(spec);
  const errs: Errs = [];
  const modes = asArray<string>(s.accessModes);
  if (modes.length === 0) errs.push(field.required('spec.accessModes', ''));
  for (const m of modes) if (!accessModes.includes(m)) errs.push(field.notSupported('spec.accessModes', m, accessModes));
  if (modes.includes('ReadWriteOncePod') && modes.some((m) => m !== 'ReadWriteOncePod' && accessModes.includes(m))) {
    errs.push(field.forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  }
  const cap = asMap(s.capacity);
  if (Object.keys(cap).length === 0) errs.push(field.required('spec.capacity', ''));
  if (!('storage' in cap) || Object.keys(cap).length > 1) {
    const text = `core.ResourceList{${Object.keys(cap).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(quantityString(cap[k]))}`).join(', ')}}`;
    errs.push(field.notSupported('spec.capacity', new GoValue(Object.keys(cap).length ? text : 'core.ResourceList(nil)', cap), ['storage']));
  }
  for (const [k, q] of Object.entries(cap)) {
    const v = parseQuantity(q);
    if ('value' in v && v.value <= 0) errs.push(field.invalid(`spec.capacity[${k}]`, quantityString(q), 'must be greater than zero'));
  }
  const rp = s.persistentVolumeReclaimPolicy;
  if (rp && !reclaimPolicies.includes(str(rp))) errs.push(field.notSupported('spec.persistentVolumeReclaimPolicy', str(rp), reclaimPolicies));
  let n = 0;
  for (const k of pvSources) {
    if (!isObj(s[k])) continue;
    if (n > 0) { errs.push(field.forbidden(`spec.${k}`, 'may not specify more than 1 volume type')); continue; }
    n++;
    if (k === 'hostPath' && !str(s[k].path)) errs.push(field.required('spec.hostPath.path', ''));
    if (k === 'nfs') {
      if (!str(s[k].server)) errs.push(field.required('spec.nfs.server', ''));
      if (!str(s[k].path)) errs.push(field.required('spec.nfs.path', ''));
    }
    if (k === 'local' && !str(s[k].path)) errs.push(field.required('spec.local.path', ''));
  }
  if (n === 0) errs.push(field.required('spec', 'must specify a volume type'));
  if (s.volumeMode !== undefined && s.volumeMode !== null && s.volumeMode !== 'Block' && s.volumeMode !== 'Filesystem') {
    errs.push(field.notSupported('spec.volumeMode', str(s.volumeMode), ['Block', 'Filesystem']));
  }
  return errs;
}

export function validatePVCreate(pv: KObject): Errs {
  return [...validateObjectMeta(pv.metadata, false, nameIsDNSSubdomain), ...validatePVSpec(pv.spec)];
}

// ---------------------------------------------------------------- RBAC

function validatePolicyRules(rules: unknown, path: string, namespaced: boolean): Errs {
  const errs: Errs = [];
  asArray(rules).forEach((r, i) => {
    const p = index(path, i);
    if (asArray(r?.verbs).length === 0) errs.push(field.required(child(p, 'verbs'), 'verbs must contain at least one value'));
    const urls = asArray(r?.nonResourceURLs);
    if (urls.length > 0) {
      if (namespaced) errs.push(field.invalid(child(p, 'nonResourceURLs'), new GoValue(`[]string{${urls.map((u) => JSON.stringify(str(u))).join(', ')}}`, urls), 'namespaced rules cannot apply to non-resource URLs'));
      if (asArray(r?.apiGroups).length > 0 || asArray(r?.resources).length > 0 || asArray(r?.resourceNames).length > 0) {
        errs.push(field.invalid(child(p, 'nonResourceURLs'), new GoValue(`[]string{${urls.map((u) => JSON.stringify(str(u))).join(', ')}}`, urls), 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (asArray(r?.apiGroups).length === 0) errs.push(field.required(child(p, 'apiGroups'), 'resource rules must supply at least one api group'));
    if (asArray(r?.resources).length === 0) errs.push(field.required(child(p, 'resources'), 'resource rules must supply at least one resource'));
  });
  return errs;
}

export function validateRoleCreate(role: KObject, namespaced: boolean): Errs {
  return [...validateObjectMeta(role.metadata, namespaced, nameIsPathSegment), ...validatePolicyRules(role.rules, 'rules', namespaced)];
}

function goRoleRef(r: any): GoValue {
  return new GoValue(`rbac.RoleRef{APIGroup:${JSON.stringify(str(r?.apiGroup))}, Kind:${JSON.stringify(str(r?.kind))}, Name:${JSON.stringify(str(r?.name))}}`, r);
}

export function validateRoleBindingCreate(rb: KObject, namespaced: boolean): Errs {
  const errs = validateObjectMeta(rb.metadata, namespaced, nameIsPathSegment);
  const ref = asMap(rb.roleRef);
  if (ref.apiGroup !== 'rbac.authorization.k8s.io') errs.push(field.notSupported('roleRef.apiGroup', str(ref.apiGroup), ['rbac.authorization.k8s.io']));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(str(ref.kind))) errs.push(field.notSupported('roleRef.kind', str(ref.kind), kinds));
  if (!str(ref.name)) errs.push(field.required('roleRef.name', ''));
  else for (const m of nameIsPathSegment(str(ref.name), false)) errs.push(field.invalid('roleRef.name', str(ref.name), m));
  asArray(rb.subjects).forEach((s, i) => {
    const p = index('subjects', i);
    if (!str(s?.name)) errs.push(field.required(child(p, 'name'), ''));
    switch (s?.kind) {
      case 'ServiceAccount':
        if (str(s.name)) for (const m of nameIsDNSSubdomain(str(s.name), false)) errs.push(field.invalid(child(p, 'name'), str(s.name), m));
        if (s.apiGroup) errs.push(field.notSupported(child(p, 'apiGroup'), str(s.apiGroup), ['']));
        if (!namespaced && !str(s.namespace)) errs.push(field.required(child(p, 'namespace'), ''));
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== 'rbac.authorization.k8s.io') errs.push(field.notSupported(child(p, 'apiGroup'), str(s.apiGroup), ['rbac.authorization.k8s.io']));
        break;
      default:
        errs.push(field.notSupported(child(p, 'kind'), str(s?.kind), ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

export function validateRoleBindingUpdate(rb: KObject, old: KObject, namespaced: boolean): Errs {
  const errs = [...validateObjectMetaUpdate(rb.metadata, old.metadata), ...validateRoleBindingCreate(rb, namespaced)];
  if (!semanticEqual(rb.roleRef, old.roleRef)) errs.push(field.invalid('roleRef', goRoleRef(rb.roleRef), 'cannot change roleRef'));
  return errs;
}
