/**
 * `kubectl describe` rendering (kubectl 1.33 describers), client-side.
 *
 * describeObject(obj, reader, settings) returns the exact stdout text kubectl prints for one object.
 * The object must be the full API object (as returned by GET, with `kind` set or implied by the
 * describer); the describer then reads whatever else it needs through `reader`:
 *
 *  - events (when settings.showEvents): list core/v1 events in the object's namespace (all namespaces
 *    for cluster-scoped objects) with fieldSelector
 *    `involvedObject.kind=K,involvedObject.name=N,involvedObject.namespace=NS,involvedObject.uid=U`
 *    (keys sorted; kind omitted for Pods; namespace always present, possibly empty; uid omitted when
 *    the object has none). Node: queried twice (uid = node UID, then uid = node name) and concatenated.
 *  - Pod: events only.
 *  - ReplicationController / ReplicaSet / DaemonSet / StatefulSet: list pods in the namespace with
 *    the controller's labelSelector (owner filtering is done here).
 *  - Deployment: list apps/v1 replicasets in the namespace with the deployment's labelSelector.
 *  - Service: list discovery.k8s.io/v1 endpointslices with labelSelector kubernetes.io/service-name=<svc>.
 *  - Ingress: per service backend, list endpointslices (as above) and get the core/v1 service.
 *  - Node: list pods in all namespaces with fieldSelector
 *    `spec.nodeName=<node>,status.phase!=Succeeded,status.phase!=Failed`; get
 *    coordination.k8s.io/v1 leases kube-node-lease/<node>.
 *  - Namespace: list resourcequotas and limitranges in it (a thrown error with code/status 404 hides
 *    the section; other errors propagate). No events.
 *  - ServiceAccount: list secrets in its namespace. PersistentVolumeClaim: list pods in its namespace.
 *  - ConfigMap: an events list error propagates (kubectl returns it); everywhere else it is ignored.
 * reader.get returns undefined for NotFound; other failures should throw (an Error whose message is
 * kubectl's error text, plus `code`/`status` 403/404 where relevant).
 *
 * Joining several objects (kubectl describe TYPE a b, -l, …): see joinDescriptions.
 */
import { describeGeneric } from './generic.js';
import { describeNode } from './node.js';
import { describeIngress, describeIngressClass, describeEndpoints, describeEndpointSlice, describeService } from './network.js';
import {
  describeConfigMap,
  describeLimitRange,
  describeNamespace,
  describePersistentVolumeClaim,
  describePriorityClass,
  describeResourceQuota,
  describeSecret,
  describeServiceAccount,
} from './misc.js';
import { describePod } from './pod.js';
import type { DescribeContext, DescribeReader, DescribeSettings, Describer } from './types.js';
import {
  describeCronJob,
  describeDaemonSet,
  describeDeployment,
  describeJob,
  describeReplicaSet,
  describeReplicationController,
  describeStatefulSet,
} from './workloads.js';

export type { DescribeReader, DescribeSettings } from './types.js';
export { describeContainers } from './containers.js';
export { printAnnotationsMultiline, printLabelsMultiline, eventFieldSelector } from './blocks.js';
export { PrefixWriter } from './writer.js';
export { formatRFC1123Z, humanDuration } from './format.js';
export { describeGeneric } from './generic.js';

/** "group/Kind" → describer we implement */
const DESCRIBERS: Record<string, Describer> = {
  '/Pod': describePod,
  '/ReplicationController': describeReplicationController,
  '/Secret': describeSecret,
  '/Service': describeService,
  '/ServiceAccount': describeServiceAccount,
  '/Node': describeNode,
  '/LimitRange': describeLimitRange,
  '/ResourceQuota': describeResourceQuota,
  '/PersistentVolumeClaim': describePersistentVolumeClaim,
  '/Namespace': describeNamespace,
  '/Endpoints': describeEndpoints,
  '/ConfigMap': describeConfigMap,
  'discovery.k8s.io/EndpointSlice': describeEndpointSlice,
  'extensions/Ingress': describeIngress,
  'networking.k8s.io/Ingress': describeIngress,
  'networking.k8s.io/IngressClass': describeIngressClass,
  'batch/Job': describeJob,
  'batch/CronJob': describeCronJob,
  'apps/StatefulSet': describeStatefulSet,
  'apps/Deployment': describeDeployment,
  'apps/DaemonSet': describeDaemonSet,
  'apps/ReplicaSet': describeReplicaSet,
  'scheduling.k8s.io/PriorityClass': describePriorityClass,
};

/**
 * Kinds for which kubectl 1.33 has a dedicated describer (describerMap). Those not in DESCRIBERS
 * above are rendered by the generic describer here, which differs from kubectl's output.
 */
const KUBECTL_DESCRIBERS = new Set([
  ...Object.keys(DESCRIBERS),
  '/PersistentVolume',
  'autoscaling/HorizontalPodAutoscaler',
  'networking.k8s.io/ServiceCIDR',
  'networking.k8s.io/IPAddress',
  'certificates.k8s.io/CertificateSigningRequest',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttributesClass',
  'policy/PodDisruptionBudget',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'networking.k8s.io/NetworkPolicy',
]);

function groupOf(apiVersion: unknown): string {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  const i = s.indexOf('/');
  return i < 0 ? '' : s.slice(0, i);
}

/** whether describeObject renders this kind with a dedicated (kubectl-identical) describer */
export function hasDescriber(group: string, kind: string): boolean {
  return `${group}/${kind}` in DESCRIBERS;
}

/** whether kubectl itself has a dedicated describer for this kind (if so but !hasDescriber, our output is the generic one) */
export function kubectlHasDescriber(group: string, kind: string): boolean {
  return KUBECTL_DESCRIBERS.has(`${group}/${kind}`);
}

/**
 * exact stdout text for one object. `obj.kind`/`obj.apiVersion` select the describer; kinds without
 * one get kubectl's generic describer.
 */
export async function describeObject(obj: any, reader: DescribeReader, settings: DescribeSettings): Promise<string> {
  const ctx: DescribeContext = { reader, settings, now: settings.now, tz: settings.tz };
  const d = DESCRIBERS[`${groupOf(obj?.apiVersion)}/${obj?.kind ?? ''}`];
  return d ? d(obj, ctx) : describeGeneric(obj, ctx);
}

/**
 * kubectl describe's framing for several objects: the first description as is, every following one
 * preceded by "\n\n" (each description ends with "\n", so two blank lines separate them).
 * (The name-prefix fallback — `describe TYPE NAME` with NAME not found — instead writes each match's
 * description followed by "\n"; use joinPrefixMatches for that.)
 */
export function joinDescriptions(descriptions: string[]): string {
  return descriptions.map((d, i) => (i === 0 ? d : '\n\n' + d)).join('');
}

/** output of the name-prefix fallback: every description followed by "\n" */
export function joinPrefixMatches(descriptions: string[]): string {
  return descriptions.map((d) => d + '\n').join('');
}
