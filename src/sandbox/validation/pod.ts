/**
 * Pod and PodSpec validation (pkg/apis/core/validation: ValidatePodCreate, ValidatePodSpec,
 * ValidatePodTemplateSpec, ValidatePodUpdate).
 */
import type { FieldError, KObject } from '../apiserver/types.js';
import { field } from '../apiserver/errors.js';
import {
  asArray, asMap, child, index, isObj, key, num, semanticEqual, str, validateDNS1123Label,
  validateLabels, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate, validateQualifiedName,
  validateTemplateMeta, type Errs,
} from './common.js';
import {
  inclusiveRangeError, isConfigMapKey, isDNS1123Subdomain, isHTTPHeaderName, isQualifiedName, isRelaxedEnvVarName,
  isValidLabelValue, isValidPortName, isValidPortNum, nameIsDNSSubdomain,
} from './strings.js';
import { parseQuantity, quantityString } from './quantity.js';
import { GoValue } from './goformat.js';

export interface PodSpecOptions {
  /** the PodSpec is a real Pod (not a template) */
  isPod?: boolean;
}

/** field.NotFound (`Not found: "x"`). */
export function notFound(path: string, value: unknown): FieldError {
  return { type: 'FieldValueNotFound' as FieldError['type'], field: path, badValue: value };
}

const sorted = (a: string[]) => [...a].sort();

// ---------------------------------------------------------------- volumes

const volumeSourceKeys = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume',
  'configMap', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos',
  'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
];
// field names as the Go code spells the "more than 1" paths
const volumeSourcePathName: Record<string, string> = { downwardAPI: 'downwarAPI', cephfs: 'cephFS' };
const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateKeyToPath(kp: any, path: string): Errs {
  const errs: Errs = [];
  if (!str(kp?.key)) errs.push(field.required(child(path, 'key'), ''));
  if (!str(kp?.path)) errs.push(field.required(child(path, 'path'), ''));
  errs.push(...validateLocalNonReservedPath(str(kp?.path), child(path, 'path')));
  if (typeof kp?.mode === 'number' && (kp.mode > 0o777 || kp.mode < 0)) errs.push(field.invalid(child(path, 'mode'), kp.mode, fileModeErrorMsg));
  return errs;
}

function validateLocalDescendingPath(p: string, path: string): Errs {
  const errs: Errs = [];
  if (p.startsWith('/')) errs.push(field.invalid(path, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(field.invalid(path, p, "must not contain '..'"));
  return errs;
}

function validateLocalNonReservedPath(p: string, path: string): Errs {
  const errs = validateLocalDescendingPath(p, path);
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(field.invalid(path, p, "must not start with '..'"));
  return errs;
}

function validateVolumeSource(vol: any, path: string): Errs {
  const errs: Errs = [];
  let n = 0;
  for (const k of volumeSourceKeys) {
    if (vol[k] === undefined || vol[k] === null) continue;
    if (n > 0) {
      errs.push(field.forbidden(child(path, volumeSourcePathName[k] ?? k), 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    const src = asMap(vol[k]);
    const p = child(path, k);
    switch (k) {
      case 'hostPath':
        if (!str(src.path)) errs.push(field.required(child(p, 'path'), ''));
        else {
          if (str(src.path).split('/').includes('..')) errs.push(field.invalid(child(p, 'path'), str(src.path), "must not contain '..'"));
          const types = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
          if (src.type !== undefined && src.type !== null && !types.includes(str(src.type))) errs.push(field.notSupported(child(p, 'type'), str(src.type), types));
        }
        break;
      case 'secret':
        if (!str(src.secretName)) errs.push(field.required(child(p, 'secretName'), ''));
        if (typeof src.defaultMode === 'number' && (src.defaultMode > 0o777 || src.defaultMode < 0)) errs.push(field.invalid(child(p, 'defaultMode'), src.defaultMode, fileModeErrorMsg));
        asArray(src.items).forEach((it, i) => errs.push(...validateKeyToPath(it, index(child(p, 'items'), i))));
        break;
      case 'configMap':
        if (!str(src.name)) errs.push(field.required(child(p, 'name'), ''));
        if (typeof src.defaultMode === 'number' && (src.defaultMode > 0o777 || src.defaultMode < 0)) errs.push(field.invalid(child(p, 'defaultMode'), src.defaultMode, fileModeErrorMsg));
        asArray(src.items).forEach((it, i) => errs.push(...validateKeyToPath(it, index(child(p, 'items'), i))));
        break;
      case 'persistentVolumeClaim':
        if (!str(src.claimName)) errs.push(field.required(child(p, 'claimName'), ''));
        break;
      case 'nfs':
        if (!str(src.server)) errs.push(field.required(child(p, 'server'), ''));
        if (!str(src.path)) errs.push(field.required(child(p, 'path'), ''));
        if (!str(src.path).startsWith('/')) errs.push(field.invalid(child(p, 'path'), str(src.path), 'must be an absolute path'));
        break;
      case 'gitRepo':
        if (!str(src.repository)) errs.push(field.required(child(p, 'repository'), ''));
        errs.push(...validateLocalDescendingPath(str(src.directory), child(p, 'directory')));
        break;
      case 'emptyDir':
        if (src.sizeLimit !== undefined) {
          const q = parseQuantity(src.sizeLimit);
          if ('value' in q && q.value < 0) errs.push(field.forbidden(child(p, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
        }
        break;
      default:
        break;
    }
  }
  if (n === 0) errs.push(field.required(path, 'must specify a volume type'));
  return errs;
}

function validateVolumes(volumes: unknown, path: string): { names: Set<string>; errs: Errs } {
  const errs: Errs = [];
  const names = new Set<string>();
  asArray(volumes).forEach((vol, i) => {
    const p = index(path, i);
    const el = validateVolumeSource(asMap(vol), p);
    const name = str(vol?.name);
    if (!name) el.push(field.required(child(p, 'name'), ''));
    else el.push(...validateDNS1123Label(name, child(p, 'name')));
    if (names.has(name)) el.push(field.duplicate(child(p, 'name'), name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { names, errs };
}

// ---------------------------------------------------------------- containers

export function validatePortNumOrName(port: unknown, path: string): Errs {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => field.invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => field.invalid(path, port, m));
  return isValidPortNum(0).map((m) => field.invalid(path, 0, m));
}

const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];

function validateContainerPorts(ports: unknown, path: string): Errs {
  const errs: Errs = [];
  const names = new Set<string>();
  asArray(ports).forEach((port, i) => {
    const p = index(path, i);
    const name = str(port?.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) msgs.forEach((m) => errs.push(field.invalid(child(p, 'name'), name, m)));
      else if (names.has(name)) errs.push(field.duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    const cp = num(port?.containerPort);
    if (cp === 0) errs.push(field.required(child(p, 'containerPort'), ''));
    else isValidPortNum(cp).forEach((m) => errs.push(field.invalid(child(p, 'containerPort'), cp, m)));
    const hp = num(port?.hostPort);
    if (hp !== 0) isValidPortNum(hp).forEach((m) => errs.push(field.invalid(child(p, 'hostPort'), hp, m)));
    const proto = str(port?.protocol);
    if (!proto) errs.push(field.required(child(p, 'protocol'), ''));
    else if (!supportedPortProtocols.includes(proto)) errs.push(field.notSupported(child(p, 'protocol'), proto, supportedPortProtocols));
  });
  return errs;
}

const validEnvFieldPaths = sorted([
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
]);
const validResourceFieldPaths = sorted([
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
]);

function validateObjectFieldSelector(fs: any, path: string): Errs {
  const apiVersion = str(fs?.apiVersion);
  const fieldPath = str(fs?.fieldPath);
  if (!apiVersion) return [field.required(child(path, 'apiVersion'), '')];
  if (!fieldPath) return [field.required(child(path, 'fieldPath'), '')];
  if (apiVersion !== 'v1') {
    return [field.invalid(child(path, 'fieldPath'), fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`)];
  }
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (sub) {
    return sub[1] === 'metadata.annotations' ? validateQualifiedName(sub[2].toLowerCase(), path) : validateQualifiedName(sub[2], path);
  }
  const known = [...validEnvFieldPaths, 'metadata.labels', 'metadata.annotations'];
  if (!known.includes(fieldPath)) return [field.invalid(child(path, 'fieldPath'), fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`)];
  if (!validEnvFieldPaths.includes(fieldPath)) return [field.notSupported(child(path, 'fieldPath'), fieldPath, validEnvFieldPaths)];
  return [];
}

function validateKeySelector(s: any, path: string): Errs {
  const errs: Errs = [];
  for (const m of nameIsDNSSubdomain(str(s?.name), false)) errs.push(field.invalid(child(path, 'name'), str(s?.name), m));
  const k = str(s?.key);
  if (!k) errs.push(field.required(child(path, 'key'), ''));
  else for (const m of isConfigMapKey(k)) errs.push(field.invalid(child(path, 'key'), k, m));
  return errs;
}

function validateEnv(env: unknown, path: string): Errs {
  const errs: Errs = [];
  asArray(env).forEach((ev, i) => {
    const p = index(path, i);
    const name = str(ev?.name);
    if (!name) errs.push(field.required(child(p, 'name'), ''));
    else for (const m of isRelaxedEnvVarName(name)) errs.push(field.invalid(child(p, 'name'), name, m));
    const vf = ev?.valueFrom;
    if (!isObj(vf)) return;
    const vp = child(p, 'valueFrom');
    let n = 0;
    if (vf.fieldRef) { n++; errs.push(...validateObjectFieldSelector(vf.fieldRef, child(vp, 'fieldRef'))); }
    if (vf.resourceFieldRef) {
      n++;
      const r = str(vf.resourceFieldRef.resource);
      if (!r) errs.push(field.required(child(vp, 'resourceFieldRef', 'resource'), ''));
      else if (!validResourceFieldPaths.includes(r) && !/^(requests|limits)\.hugepages-/.test(r)) {
        errs.push(field.notSupported(child(vp, 'resourceFieldRef', 'resource'), r, validResourceFieldPaths));
      }
    }
    if (vf.configMapKeyRef) { n++; errs.push(...validateKeySelector(vf.configMapKeyRef, child(vp, 'configMapKeyRef'))); }
    if (vf.secretKeyRef) { n++; errs.push(...validateKeySelector(vf.secretKeyRef, child(vp, 'secretKeyRef'))); }
    if (n === 0) errs.push(field.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev?.value)) errs.push(field.invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(field.invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): Errs {
  const errs: Errs = [];
  asArray(envFrom).forEach((ev, i) => {
    const p = index(path, i);
    const prefix = str(ev?.prefix);
    if (prefix) for (const m of isRelaxedEnvVarName(prefix)) errs.push(field.invalid(child(p, 'prefix'), prefix, m));
    let n = 0;
    for (const k of ['configMapRef', 'secretRef']) {
      if (!isObj(ev?.[k])) continue;
      n++;
      const name = str(ev[k].name);
      if (!name) errs.push(field.required(child(p, k, 'name'), ''));
      else for (const m of nameIsDNSSubdomain(name, true)) errs.push(field.invalid(child(p, k, 'name'), name, m));
    }
    if (n === 0) errs.push(field.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): Errs {
  const errs: Errs = [];
  const paths = new Set<string>();
  asArray(mounts).forEach((mnt, i) => {
    const p = index(path, i);
    const name = str(mnt?.name);
    const mountPath = str(mnt?.mountPath);
    if (!name) errs.push(field.required(child(p, 'name'), ''));
    if (!volumes.has(name)) errs.push(notFound(child(p, 'name'), name));
    if (!mountPath) errs.push(field.required(child(p, 'mountPath'), ''));
    if (paths.has(mountPath)) errs.push(field.invalid(child(p, 'mountPath'), mountPath, 'must be unique'));
    paths.add(mountPath);
    if (str(mnt?.subPath)) errs.push(...validateLocalDescendingPath(str(mnt.subPath), child(path, 'subPath')));
    if (str(mnt?.subPathExpr)) {
      if (str(mnt?.subPath)) errs.push(field.invalid(child(p, 'subPathExpr'), str(mnt.subPathExpr), 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(str(mnt.subPathExpr), child(path, 'subPathExpr')));
    }
    const mp = mnt?.mountPropagation;
    if (mp !== undefined && mp !== null) {
      const ok = ['Bidirectional', 'HostToContainer', 'None'];
      if (!ok.includes(str(mp))) errs.push(field.notSupported(child(path, 'mountPropagation'), str(mp), ok));
    }
  });
  return errs;
}

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);
const standardResources = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets',
  'persistentvolumeclaims', 'configmaps', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);

function validateContainerResourceName(name: string, path: string): Errs {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    const hugepages = name.startsWith('hugepages-');
    if (!standardResources.has(name) && !hugepages) errs.push(field.invalid(path, name, 'must be a standard resource type or fully qualified'));
    if (!standardContainerResources.has(name) && !hugepages) errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
  }
  return errs;
}

function validateResources(res: unknown, path: string): Errs {
  const errs: Errs = [];
  const r = asMap(res);
  const limits = asMap(r.limits);
  const requests = asMap(r.requests);
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  for (const [name, q] of Object.entries(limits)) {
    const p = key(limPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const v = parseQuantity(q);
    if ('error' in v) errs.push(field.invalid(p, quantityString(q), v.error));
    else if (v.value < 0) errs.push(field.invalid(p, quantityString(q), 'must be greater than or equal to 0'));
  }
  for (const [name, q] of Object.entries(requests)) {
    const p = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const v = parseQuantity(q);
    if ('error' in v) { errs.push(field.invalid(p, quantityString(q), v.error)); continue; }
    if (v.value < 0) errs.push(field.invalid(p, quantityString(q), 'must be greater than or equal to 0'));
    if (name in limits) {
      const l = parseQuantity(limits[name]);
      if ('value' in l) {
        const overcommit = !name.startsWith('hugepages-') && (standardContainerResources.has(name) || !name.includes('/') || name.includes('kubernetes.io/'));
        if (!overcommit && v.value !== l.value) {
          errs.push(field.invalid(reqPath, quantityString(q), `must be equal to ${name} limit of ${quantityString(limits[name])}`));
        } else if (v.value > l.value) {
          errs.push(field.invalid(reqPath, quantityString(q), `must be less than or equal to ${name} limit of ${quantityString(limits[name])}`));
        }
      }
    }
  }
  return errs;
}

function validateHandler(h: any, path: string, allowSleep: boolean): Errs {
  const errs: Errs = [];
  let n = 0;
  const kinds = allowSleep ? ['exec', 'httpGet', 'tcpSocket', 'sleep'] : ['exec', 'httpGet', 'tcpSocket', 'grpc'];
  for (const k of kinds) {
    if (!isObj(h?.[k])) continue;
    if (n > 0) { errs.push(field.forbidden(child(path, k), 'may not specify more than 1 handler type')); continue; }
    n++;
    const p = child(path, k);
    const a = h[k];
    switch (k) {
      case 'exec':
        if (asArray(a.command).length === 0) errs.push(field.required(child(p, 'command'), ''));
        break;
      case 'httpGet': {
        if (!str(a.path)) errs.push(field.required(child(p, 'path'), ''));
        errs.push(...validatePortNumOrName(a.port, child(p, 'port')));
        const scheme = str(a.scheme);
        if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(field.notSupported(child(p, 'scheme'), scheme, ['HTTP', 'HTTPS']));
        for (const hd of asArray(a.httpHeaders)) for (const m of isHTTPHeaderName(str(hd?.name))) errs.push(field.invalid(child(p, 'httpHeaders'), str(hd?.name), m));
        break;
      }
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(a.port, child(p, 'port')));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(num(a.port), child(p, 'port')));
        break;
      default:
        break;
    }
  }
  if (n === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: unknown, path: string, kind: 'liveness' | 'readiness' | 'startup'): Errs {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, path, false);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegative(probe[f], child(path, f)));
  }
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(field.invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind !== 'readiness' && num(probe.successThreshold) !== 1) {
    errs.push(field.invalid(child(path, 'successThreshold'), num(probe.successThreshold), 'must be 1'));
  }
  if (kind === 'readiness' && probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null) {
    errs.push(field.invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateSecurityContext(sc: unknown, path: string): Errs {
  if (!isObj(sc)) return [];
  const errs: Errs = [];
  for (const f of ['runAsUser', 'runAsGroup']) {
    const v = sc[f];
    if (typeof v === 'number' && (v < 0 || v > 0xffffffff)) errs.push(field.invalid(child(path, f), v, inclusiveRangeError(0, 0xffffffff)));
  }
  if (sc.allowPrivilegeEscalation === false && sc.privileged === true) {
    errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  }
  if (sc.procMount !== undefined && sc.procMount !== null && !['Default', 'Unmasked'].includes(str(sc.procMount))) {
    errs.push(field.notSupported(child(path, 'procMount'), str(sc.procMount), ['Default', 'Unmasked']));
  }
  return errs;
}

function validateContainerCommon(c: any, volumes: Set<string>, path: string): Errs {
  const errs: Errs = [];
  const name = str(c?.name);
  if (!name) errs.push(field.required(child(path, 'name'), ''));
  else errs.push(...validateDNS1123Label(name, child(path, 'name')));
  if (!str(c?.image)) errs.push(field.required(child(path, 'image'), ''));
  const tmp = str(c?.terminationMessagePolicy);
  if (!tmp) errs.push(field.required(child(path, 'terminationMessagePolicy'), ''));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(field.notSupported(child(path, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c?.ports, child(path, 'ports')));
  errs.push(...validateEnv(c?.env, child(path, 'env')));
  errs.push(...validateEnvFrom(c?.envFrom, child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(c?.volumeMounts, volumes, child(path, 'volumeMounts')));
  const pp = str(c?.imagePullPolicy);
  if (!pp) errs.push(field.required(child(path, 'imagePullPolicy'), ''));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pp)) errs.push(field.notSupported(child(path, 'imagePullPolicy'), pp, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateResources(c?.resources, child(path, 'resources')));
  errs.push(...validateSecurityContext(c?.securityContext, child(path, 'securityContext')));
  return errs;
}

function hostPortConflicts(containers: any[], path: string): Errs {
  const errs: Errs = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    asArray(c?.ports).forEach((p, pi) => {
      const hp = num(p?.hostPort);
      if (hp === 0) return;
      const k = `${str(p?.protocol)}/${str(p?.hostIP)}/${hp}`;
      if (seen.has(k)) errs.push(field.duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), k));
      else seen.add(k);
    });
  });
  return errs;
}

function validateLifecycle(lc: unknown, path: string): Errs {
  if (!isObj(lc)) return [];
  const errs: Errs = [];
  if (isObj(lc.postStart)) errs.push(...validateHandler(lc.postStart, child(path, 'postStart'), true));
  if (isObj(lc.preStop)) errs.push(...validateHandler(lc.preStop, child(path, 'preStop'), true));
  return errs;
}

function validateContainers(containers: unknown, volumes: Set<string>, path: string): Errs {
  const list = asArray(containers);
  if (list.length === 0) return [field.required(path, '')];
  const errs: Errs = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, volumes, p));
    const name = str(c?.name);
    if (names.has(name)) errs.push(field.duplicate(child(p, 'name'), name));
    else names.add(name);
    errs.push(...validateLifecycle(c?.lifecycle, child(p, 'lifecycle')));
    errs.push(...validateProbe(c?.livenessProbe, child(p, 'livenessProbe'), 'liveness'));
    errs.push(...validateProbe(c?.readinessProbe, child(p, 'readinessProbe'), 'readiness'));
    errs.push(...validateProbe(c?.startupProbe, child(p, 'startupProbe'), 'startup'));
    if (c?.restartPolicy !== undefined && c?.restartPolicy !== null) errs.push(field.forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(list, path));
  return errs;
}

function validateInitContainers(inits: unknown, regular: unknown, volumes: Set<string>, path: string): Errs {
  const errs: Errs = [];
  const names = new Set(asArray(regular).map((c) => str(c?.name)));
  asArray(inits).forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, volumes, p));
    let restartAlways = false;
    if (c?.restartPolicy !== undefined && c?.restartPolicy !== null) {
      if (c.restartPolicy !== 'Always') errs.push(field.notSupported(child(p, 'restartPolicy'), str(c.restartPolicy), ['Always']));
      restartAlways = c.restartPolicy === 'Always';
    }
    const name = str(c?.name);
    if (names.has(name)) errs.push(field.duplicate(child(p, 'name'), name));
    else if (name) names.add(name);
    errs.push(...hostPortConflicts([c], path));
    if (restartAlways) {
      errs.push(...validateLifecycle(c?.lifecycle, child(p, 'lifecycle')));
      errs.push(...validateProbe(c?.livenessProbe, child(p, 'livenessProbe'), 'liveness'));
      errs.push(...validateProbe(c?.readinessProbe, child(p, 'readinessProbe'), 'readiness'));
      errs.push(...validateProbe(c?.startupProbe, child(p, 'startupProbe'), 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c?.[f] !== undefined && c?.[f] !== null) errs.push(field.forbidden(child(p, f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

export function validateTolerations(tols: unknown, path: string): Errs {
  const errs: Errs = [];
  asArray(tols).forEach((t, i) => {
    const p = index(path, i);
    const k = str(t?.key);
    const op = str(t?.operator);
    const effect = str(t?.effect);
    if (k) for (const m of isQualifiedName(k)) errs.push(field.invalid(child(p, 'key'), k, m));
    if (!k && op !== 'Exists') errs.push(field.invalid(child(p, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t?.tolerationSeconds !== undefined && t?.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(field.invalid(child(p, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (op) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(str(t?.value));
        if (msgs.length) errs.push(field.invalid(child(p, 'operator'), str(t?.value), msgs.join(';')));
        break;
      }
      case 'Exists':
        if (str(t?.value)) errs.push(field.invalid(child(p, 'operator'), str(t?.value), "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(field.notSupported(child(p, 'operator'), op, ['Equal', 'Exists']));
    }
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
      errs.push(field.notSupported(child(p, 'effect'), effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

/** ValidatePodSpec. */
export function validatePodSpec(spec: unknown, path: string, opts: PodSpecOptions = {}): Errs {
  const s = asMap(spec);
  const errs: Errs = [];
  if (s.terminationGracePeriodSeconds === undefined || s.terminationGracePeriodSeconds === null) {
    errs.push(field.required(child(path, 'terminationGracePeriodSeconds'), ''));
  }
  const { names: vols, errs: vErrs } = validateVolumes(s.volumes, child(path, 'volumes'));
  errs.push(...vErrs);
  errs.push(...validateContainers(s.containers, vols, child(path, 'containers')));
  errs.push(...validateInitContainers(s.initContainers, s.containers, vols, child(path, 'initContainers')));
  if (s.hostNetwork === true) {
    asArray(s.containers).forEach((c, ci) => asArray(c?.ports).forEach((p, pi) => {
      const hp = num(p?.hostPort);
      if ((opts.isPod || hp !== 0) && hp !== num(p?.containerPort)) {
        errs.push(field.invalid(child(index(child(index(child(path, 'containers'), ci), 'ports'), pi), 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
      }
    }));
  }
  const rp = str(s.restartPolicy);
  if (!rp) errs.push(field.required(child(path, 'restartPolicy'), ''));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(field.notSupported(child(path, 'restartPolicy'), rp, ['Always', 'OnFailure', 'Never']));
  const dns = str(s.dnsPolicy);
  const dnsValid = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!dns) errs.push(field.required(child(path, 'dnsPolicy'), ''));
  else if (!dnsValid.includes(dns)) errs.push(field.notSupported(child(path, 'dnsPolicy'), dns, dnsValid));
  errs.push(...validateLabels(s.nodeSelector, child(path, 'nodeSelector')));
  const psc = asMap(s.securityContext);
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    const v = psc[f];
    if (typeof v === 'number' && (v < 0 || v > 0xffffffff)) errs.push(field.invalid(child(path, 'securityContext', f), v, inclusiveRangeError(0, 0xffffffff)));
  }
  asArray(s.imagePullSecrets).forEach((ref, i) => {
    if (isObj(ref) && Object.keys(ref).some((k) => k !== 'name')) errs.push(field.invalid(index(child(path, 'imagePullSecrets'), i), ref, 'only name may be set'));
  });
  if (s.dnsPolicy === 'None' && !isObj(s.dnsConfig)) {
    errs.push(field.required(child(path, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  const sa = str(s.serviceAccountName);
  if (sa) for (const m of nameIsDNSSubdomain(sa, false)) errs.push(field.invalid(child(path, 'serviceAccountName'), sa, m));
  const node = str(s.nodeName);
  if (node) for (const m of nameIsDNSSubdomain(node, false)) errs.push(field.invalid(child(path, 'nodeName'), node, m));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = num(s.activeDeadlineSeconds);
    if (v < 1 || v > 2147483647) errs.push(field.invalid(child(path, 'activeDeadlineSeconds'), v, inclusiveRangeError(1, 2147483647)));
  }
  if (str(s.hostname)) errs.push(...validateDNS1123Label(str(s.hostname), child(path, 'hostname')));
  if (str(s.subdomain)) errs.push(...validateDNS1123Label(str(s.subdomain), child(path, 'subdomain')));
  errs.push(...validateTolerations(s.tolerations, child(path, 'tolerations')));
  const pcn = str(s.priorityClassName);
  if (pcn) for (const m of isDNS1123Subdomain(pcn)) errs.push(field.invalid(child(path, 'priorityClassName'), pcn, m));
  if (s.preemptionPolicy !== undefined && s.preemptionPolicy !== null) {
    const pp = str(s.preemptionPolicy);
    if (!pp) errs.push(field.required(child(path, 'preemptionPolicy'), ''));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') errs.push(field.notSupported(child(path, 'preemptionPolicy'), pp, ['PreemptLowerPriority', 'Never']));
  }
  if (isObj(s.os)) {
    const os = str(s.os.name);
    if (!os) errs.push(field.required(child(path, 'os', 'name'), 'cannot be empty'));
    else if (os !== 'linux' && os !== 'windows') errs.push(field.notSupported(child(path, 'os'), os, ['linux', 'windows']));
  }
  return errs;
}

/** ValidatePodTemplateSpec (labels/annotations at `<path>.labels`, spec at `<path>.spec`). */
export function validatePodTemplateSpec(template: unknown, path: string): Errs {
  const t = asMap(template);
  const errs = validateTemplateMeta(t.metadata, path);
  errs.push(...validatePodSpec(t.spec, child(path, 'spec')));
  if (asArray(asMap(t.spec).ephemeralContainers).length > 0) {
    errs.push(field.forbidden(child(path, 'spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

function validateContainersOnlyForPod(containers: unknown, path: string): Errs {
  const errs: Errs = [];
  asArray(containers).forEach((c, i) => {
    const img = str(c?.image);
    if (img.length !== img.trim().length) errs.push(field.invalid(child(index(path, i), 'image'), img, 'must not have leading or trailing whitespace'));
  });
  return errs;
}

function validatePodMetadataAndSpec(pod: KObject): Errs {
  const errs = validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain);
  const spec = asMap(pod.spec);
  const mirror = asMap(pod.metadata?.annotations)['kubernetes.io/config.mirror'];
  if (mirror !== undefined && !str(spec.nodeName)) {
    errs.push(field.invalid('metadata.annotations[kubernetes.io/config.mirror]', mirror, 'must set spec.nodeName if mirror pod annotation is set'));
  }
  errs.push(...validatePodSpec(spec, 'spec', { isPod: true }));
  if (!str(spec.serviceAccountName)) {
    asArray(spec.volumes).forEach((v, vi) => {
      asArray(v?.projected?.sources).forEach((src, si) => {
        if (isObj(src?.serviceAccountToken)) {
          errs.push(field.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  errs.push(...validateContainersOnlyForPod(spec.containers, 'spec.containers'));
  errs.push(...validateContainersOnlyForPod(spec.initContainers, 'spec.initContainers'));
  return errs;
}

export function validatePodCreate(pod: KObject): Errs {
  const errs = validatePodMetadataAndSpec(pod);
  const spec = asMap(pod.spec);
  if (asArray(spec.ephemeralContainers).length > 0) errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && asArray(spec.schedulingGates).length > 0) {
    errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

export const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function containerUpdates(newC: unknown, oldC: unknown, path: string): { errs: Errs; stop: boolean } {
  const n = asArray(newC);
  const o = asArray(oldC);
  if (n.length !== o.length) return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: Errs = [];
  n.forEach((c, i) => {
    const img = str(c?.image);
    if (!img) errs.push(field.required(child(index(path, i), 'image'), ''));
    if (img.trim().length !== img.length) errs.push(field.invalid(child(index(path, i), 'image'), img, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function onlyAddedTolerations(newT: unknown, oldT: unknown, path: string): Errs {
  const n = asArray(newT);
  for (const old of asArray(oldT)) {
    const found = n.some((t) => semanticEqual({ ...asMap(old), tolerationSeconds: null }, { ...asMap(t), tolerationSeconds: null }));
    if (!found) return [field.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(n, path);
}

/** Go field names of core.PodSpec in declaration order (for the update diff). */
const podSpecGoFields: [string, string][] = [
  ['volumes', 'Volumes'], ['initContainers', 'InitContainers'], ['containers', 'Containers'],
  ['ephemeralContainers', 'EphemeralContainers'], ['restartPolicy', 'RestartPolicy'],
  ['terminationGracePeriodSeconds', 'TerminationGracePeriodSeconds'], ['activeDeadlineSeconds', 'ActiveDeadlineSeconds'],
  ['dnsPolicy', 'DNSPolicy'], ['nodeSelector', 'NodeSelector'], ['serviceAccountName', 'ServiceAccountName'],
  ['automountServiceAccountToken', 'AutomountServiceAccountToken'], ['nodeName', 'NodeName'],
  ['securityContext', 'SecurityContext'], ['imagePullSecrets', 'ImagePullSecrets'], ['hostname', 'Hostname'],
  ['subdomain', 'Subdomain'], ['setHostnameAsFQDN', 'SetHostnameAsFQDN'], ['affinity', 'Affinity'],
  ['schedulerName', 'SchedulerName'], ['tolerations', 'Tolerations'], ['hostAliases', 'HostAliases'],
  ['priorityClassName', 'PriorityClassName'], ['priority', 'Priority'], ['preemptionPolicy', 'PreemptionPolicy'],
  ['dnsConfig', 'DNSConfig'], ['readinessGates', 'ReadinessGates'], ['runtimeClassName', 'RuntimeClassName'],
  ['overhead', 'Overhead'], ['enableServiceLinks', 'EnableServiceLinks'],
  ['topologySpreadConstraints', 'TopologySpreadConstraints'], ['os', 'OS'], ['schedulingGates', 'SchedulingGates'],
  ['resourceClaims', 'ResourceClaims'], ['resources', 'Resources'], ['hostUsers', 'HostUsers'],
];

function goish(v: unknown): string {
  if (v === undefined || v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A go-cmp-flavoured diff of two pod specs (top-level fields only; approximate). */
export function podSpecDiff(oldSpec: Record<string, any>, newSpec: Record<string, any>): string {
  const lines = ['  core.PodSpec{'];
  const keys = [...podSpecGoFields];
  for (const k of new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])) {
    if (!keys.some(([j]) => j === k) && k !== 'serviceAccount' && k !== 'hostNetwork' && k !== 'hostPID' && k !== 'hostIPC') {
      keys.push([k, k[0].toUpperCase() + k.slice(1)]);
    }
  }
  let same = 0;
  const flush = () => {
    if (same > 0) lines.push(`  \t... // ${same} identical field${same === 1 ? '' : 's'}`);
    same = 0;
  };
  for (const [k, goName] of keys) {
    if (semanticEqual(oldSpec[k], newSpec[k])) { same++; continue; }
    flush();
    lines.push(`- \t${goName}: ${goish(oldSpec[k])},`);
    lines.push(`+ \t${goName}: ${goish(newSpec[k])},`);
  }
  flush();
  lines.push('  }');
  return lines.join('\n') + '\n';
}

export function validatePodUpdate(pod: KObject, old: KObject): Errs {
  const errs = validateObjectMetaUpdate(pod.metadata, old.metadata);
  errs.push(...validatePodMetadataAndSpec(pod));
  const oldAnn = asMap(old.metadata?.annotations);
  const newAnn = asMap(pod.metadata?.annotations);
  const mk = 'kubernetes.io/config.mirror';
  if (mk in oldAnn && newAnn[mk] !== oldAnn[mk]) errs.push(field.forbidden(`metadata.annotations[${mk}]`, 'may not remove or update mirror pod annotation'));
  if (!(mk in oldAnn) && mk in newAnn) errs.push(field.forbidden(`metadata.annotations[${mk}]`, 'may not add mirror pod annotation'));
  const ns = asMap(pod.spec);
  const os = asMap(old.spec);
  let r = containerUpdates(ns.containers, os.containers, 'spec.containers');
  errs.push(...r.errs);
  if (r.stop) return errs;
  r = containerUpdates(ns.initContainers, os.initContainers, 'spec.initContainers');
  errs.push(...r.errs);
  if (r.stop) return errs;
  if (ns.activeDeadlineSeconds !== undefined && ns.activeDeadlineSeconds !== null) {
    const v = num(ns.activeDeadlineSeconds);
    if (v < 0 || v > 2147483647) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', v, inclusiveRangeError(0, 2147483647)));
      return errs;
    }
    if (os.activeDeadlineSeconds !== undefined && os.activeDeadlineSeconds !== null && num(os.activeDeadlineSeconds) < v) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', v, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (os.activeDeadlineSeconds !== undefined && os.activeDeadlineSeconds !== null) {
    errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...onlyAddedTolerations(ns.tolerations, os.tolerations, 'spec.tolerations'));
  if (semanticEqual(ns, os)) return errs;
  const munged: Record<string, any> = structuredClone(ns);
  munged.containers = asArray(munged.containers).map((c, i) => ({ ...c, image: asArray(os.containers)[i]?.image }));
  if (Array.isArray(munged.initContainers)) {
    munged.initContainers = munged.initContainers.map((c: any, i: number) => ({ ...c, image: asArray(os.initContainers)[i]?.image }));
  }
  munged.activeDeadlineSeconds = os.activeDeadlineSeconds;
  munged.schedulingGates = os.schedulingGates;
  munged.tolerations = os.tolerations;
  if (typeof os.terminationGracePeriodSeconds === 'number' && os.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  }
  if (asArray(os.schedulingGates).length > 0) {
    // gated pods may gain nodeSelector entries
    const oldSel = asMap(os.nodeSelector);
    const newSel = asMap(munged.nodeSelector);
    if (!Object.entries(oldSel).every(([k, v]) => newSel[k] === v)) {
      errs.push(field.invalid('spec.nodeSelector', new GoValue(goMapText(newSel), newSel), 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
    }
    munged.nodeSelector = os.nodeSelector;
  }
  // the deprecated serviceAccount mirror is not part of the internal spec
  const cmpOld = { ...os };
  delete cmpOld.serviceAccount;
  delete munged.serviceAccount;
  if (!semanticEqual(munged, cmpOld)) {
    errs.push(field.forbidden('spec', `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${podSpecDiff(cmpOld, munged)}`));
  }
  return errs;
}

function goMapText(m: Record<string, any>): string {
  return `map[string]string{${Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(str(m[k]))}`).join(', ')}}`;
}
