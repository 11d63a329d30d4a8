/** Shared state and small builders used while generating the bootstrap objects. */
import type { KObject, OwnerReference } from '../apiserver/types.js';
import { Rng, sha256Hex } from './rand.js';

export const KUBERNETES_VERSION = 'v1.33.1';
export const ETCD_IMAGE = 'registry.k8s.io/etcd:3.5.21-0';
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.0';
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
export const KINDNET_IMAGE = 'docker.io/kindest/kindnetd:v20250512-df8de77b';
export const LOCAL_PATH_PROVISIONER_IMAGE = 'docker.io/kindest/local-path-provisioner:v20250214-acbabc1a';
export const LOCAL_PATH_HELPER_IMAGE = 'docker.io/kindest/local-path-helper:v20241212-8ac705d0';
export const CONTAINER_RUNTIME_VERSION = 'containerd://2.1.1';
export const CRI_SOCKET = 'unix:///run/containerd/containerd.sock';
export const KERNEL_VERSION = '6.8.0-60-generic';
export const OS_IMAGE = 'Debian GNU/Linux 12 (bookworm)';

export const SYSTEM_CLUSTER_CRITICAL = 2000000000;
export const SYSTEM_NODE_CRITICAL = 2000001000;

export function kubeImage(component: string): string {
  return `registry.k8s.io/${component}:${KUBERNETES_VERSION}`;
}

/**
 * imageID as containerd reports it for images preloaded into a kind node image
 * (`sha256:<image config digest>`); stable per image reference.
 */
export function imageID(image: string): string {
  return `sha256:${sha256Hex(`image-config:${image}`)}`;
}

export interface NodeInfo {
  name: string;
  uid: string;
  ip: string;
  podCIDR: string;
  controlPlane: boolean;
}

export interface Ctx {
  now: Date;
  /** RFC 3339, second precision (metav1.Time) */
  ts: string;
  /** RFC 3339, microsecond precision (metav1.MicroTime) */
  microTs: string;
  rng: Rng;
  clusterName: string;
  serviceCIDR: string;
  podCIDR: string;
  nodes: NodeInfo[];
  controlPlane: NodeInfo;
  /** `<control-plane>:6443`, as kind writes it into kubeconfigs inside the cluster */
  controlPlaneEndpoint: string;
}

export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatMicroTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The metadata every bootstrap object gets: name, namespace, a deterministic uid, now. */
export function meta(
  ctx: Ctx,
  name: string,
  namespace?: string,
  extra: Partial<KObject['metadata']> = {},
): KObject['metadata'] {
  const m: KObject['metadata'] = { name };
  if (namespace !== undefined) m.namespace = namespace;
  m.uid = ctx.rng.uuid();
  m.creationTimestamp = ctx.ts;
  return { ...m, ...extra };
}

export function ownerRef(owner: KObject, blockOwnerDeletion = true): OwnerReference {
  const ref: OwnerReference = {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
  };
  if (blockOwnerDeletion) ref.blockOwnerDeletion = true;
  return ref;
}
