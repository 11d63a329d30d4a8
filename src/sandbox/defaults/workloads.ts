/** ReplicationController, ReplicaSet, Deployment, DaemonSet, StatefulSet, PodTemplate defaults. */
import type { KObject } from '../apiserver/types.js';
import { defaultPodTemplate } from './pod.js';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

function spec(obj: KObject): Obj {
  if (!isObj(obj.spec)) obj.spec = {};
  return obj.spec;
}

function unset(v: unknown): boolean {
  return v === undefined || v === null;
}

export function defaultReplicationController(obj: KObject): void {
  const s = spec(obj);
  const labels = isObj(s.template) && isObj(s.template.metadata?.labels) ? s.template.metadata.labels : undefined;
  if (labels) {
    if (!isObj(s.selector) || Object.keys(s.selector).length === 0) s.selector = { ...labels };
    if (!isObj(obj.metadata.labels) || Object.keys(obj.metadata.labels).length === 0) obj.metadata.labels = { ...labels };
  }
  if (unset(s.replicas)) s.replicas = 1;
  if (isObj(s.template)) defaultPodTemplate(s.template);
}

export function defaultReplicaSet(obj: KObject): void {
  const s = spec(obj);
  if (unset(s.replicas)) s.replicas = 1;
  defaultTemplate(s);
}

function defaultTemplate(s: Obj): void {
  if (!isObj(s.template)) s.template = {};
  defaultPodTemplate(s.template);
}

export function defaultDeployment(obj: KObject): void {
  const s = spec(obj);
  if (unset(s.replicas)) s.replicas = 1;
  if (!isObj(s.strategy)) s.strategy = {};
  if (!s.strategy.type) s.strategy.type = 'RollingUpdate';
  if (s.strategy.type === 'RollingUpdate') {
    if (!isObj(s.strategy.rollingUpdate)) s.strategy.rollingUpdate = {};
    if (unset(s.strategy.rollingUpdate.maxUnavailable)) s.strategy.rollingUpdate.maxUnavailable = '25%';
    if (unset(s.strategy.rollingUpdate.maxSurge)) s.strategy.rollingUpdate.maxSurge = '25%';
  }
  if (unset(s.revisionHistoryLimit)) s.revisionHistoryLimit = 10;
  if (unset(s.progressDeadlineSeconds)) s.progressDeadlineSeconds = 600;
  defaultTemplate(s);
}

export function defaultDaemonSet(obj: KObject): void {
  const s = spec(obj);
  if (!isObj(s.updateStrategy)) s.updateStrategy = {};
  if (!s.updateStrategy.type) s.updateStrategy.type = 'RollingUpdate';
  if (s.updateStrategy.type === 'RollingUpdate') {
    if (!isObj(s.updateStrategy.rollingUpdate)) s.updateStrategy.rollingUpdate = {};
    if (unset(s.updateStrategy.rollingUpdate.maxUnavailable)) s.updateStrategy.rollingUpdate.maxUnavailable = 1;
    if (unset(s.updateStrategy.rollingUpdate.maxSurge)) s.updateStrategy.rollingUpdate.maxSurge = 0;
  }
  if (unset(s.revisionHistoryLimit)) s.revisionHistoryLimit = 10;
  defaultTemplate(s);
}

export function defaultStatefulSet(obj: KObject): void {
  const s = spec(obj);
  if (!s.podManagementPolicy) s.podManagementPolicy = 'OrderedReady';
  if (!isObj(s.updateStrategy)) s.updateStrategy = {};
  if (!s.updateStrategy.type) {
    s.updateStrategy.type = 'RollingUpdate';
    if (!isObj(s.updateStrategy.rollingUpdate)) s.updateStrategy.rollingUpdate = {};
  }
  if (s.updateStrategy.type === 'RollingUpdate' && isObj(s.updateStrategy.rollingUpdate) && unset(s.updateStrategy.rollingUpdate.partition)) {
    s.updateStrategy.rollingUpdate.partition = 0;
  }
  if (!isObj(s.persistentVolumeClaimRetentionPolicy)) s.persistentVolumeClaimRetentionPolicy = {};
  if (!s.persistentVolumeClaimRetentionPolicy.whenDeleted) s.persistentVolumeClaimRetentionPolicy.whenDeleted = 'Retain';
  if (!s.persistentVolumeClaimRetentionPolicy.whenScaled) s.persistentVolumeClaimRetentionPolicy.whenScaled = 'Retain';
  if (unset(s.replicas)) s.replicas = 1;
  if (unset(s.revisionHistoryLimit)) s.revisionHistoryLimit = 10;
  for (const pvc of arr(s.volumeClaimTemplates)) {
    if (!isObj(pvc)) continue;
    // embedded PVCs carry apiVersion/kind and the Pending phase once round-tripped
    if (!pvc.apiVersion) pvc.apiVersion = 'v1';
    if (!pvc.kind) pvc.kind = 'PersistentVolumeClaim';
    if (!isObj(pvc.metadata)) pvc.metadata = {};
    if (!('creationTimestamp' in pvc.metadata)) pvc.metadata.creationTimestamp = null;
    if (!isObj(pvc.spec)) pvc.spec = {};
    if (!pvc.spec.volumeMode) pvc.spec.volumeMode = 'Filesystem';
    if (!isObj(pvc.status)) pvc.status = {};
    if (!pvc.status.phase) pvc.status.phase = 'Pending';
  }
  defaultTemplate(s);
}

export function defaultPodTemplateObject(obj: KObject): void {
  if (!isObj(obj.template)) obj.template = {};
  defaultPodTemplate(obj.template);
}
