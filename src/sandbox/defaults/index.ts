/**
 * Defaulting for the sandbox API server, mirroring kube-apiserver 1.33: the scheme defaulters of
 * the served version (v1 wire form) plus, for Pods, the create-time mutations of the default
 * admission chain (ServiceAccount, DefaultTolerationSeconds, Priority). Mutates in place.
 */
import type { GVK, KObject } from '../apiserver/types.js';
import { admitPod, defaultPod, type PodAdmissionOptions } from './pod.js';
import {
  defaultDaemonSet, defaultDeployment, defaultPodTemplateObject, defaultReplicaSet, defaultReplicationController,
  defaultStatefulSet,
} from './workloads.js';
import { defaultCronJob, defaultJob, defaultJobSelector } from './batch.js';
import {
  defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultPersistentVolume,
  defaultPersistentVolumeClaim, defaultSecret, defaultService,
} from './core.js';

export interface DefaultOptions extends PodAdmissionOptions {
  /** apply the Pod admission mutations (service account volume, tolerations, priority); default true */
  admission?: boolean;
}

/** Default `obj` (of kind gvk.kind) in place. */
export function defaultObject(gvk: GVK, obj: KObject, opts: DefaultOptions = {}): void {
  if (!obj.metadata) obj.metadata = {};
  switch (gvk.kind) {
    case 'Pod':
      defaultPod(obj);
      if (opts.admission !== false) admitPod(obj, opts);
      break;
    case 'PodTemplate': defaultPodTemplateObject(obj); break;
    case 'ReplicationController': defaultReplicationController(obj); break;
    case 'ReplicaSet': defaultReplicaSet(obj); break;
    case 'Deployment': defaultDeployment(obj); break;
    case 'DaemonSet': defaultDaemonSet(obj); break;
    case 'StatefulSet': defaultStatefulSet(obj); break;
    case 'Job': defaultJob(obj); break;
    case 'CronJob': defaultCronJob(obj); break;
    case 'Service': defaultService(obj); break;
    case 'Namespace': defaultNamespace(obj); break;
    case 'Secret': defaultSecret(obj); break;
    case 'PersistentVolumeClaim': defaultPersistentVolumeClaim(obj); break;
    case 'PersistentVolume': defaultPersistentVolume(obj); break;
    case 'Endpoints': defaultEndpoints(obj); break;
    case 'LimitRange': defaultLimitRange(obj); break;
    case 'Node': defaultNode(obj); break;
    default: break;
  }
}

export { defaultJobSelector, admitPod, defaultPod };
export { defaultPodSpec, defaultPodTemplate, defaultPullPolicy, imageTag, randomSuffix, serviceAccountMountPath, serviceAccountVolume } from './pod.js';
export type { PodAdmissionOptions };
