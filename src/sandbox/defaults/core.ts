/** Service, Namespace, Secret, ConfigMap, PersistentVolume(Claim), Endpoints, LimitRange, Node defaults. */
import type { KObject } from '../apiserver/types.js';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const unset = (v: unknown) => v === undefined || v === null;

/**
 * SetDefaults_Service plus the REST-layer IP-family defaults (clusterIP/nodePort allocation is
 * done elsewhere). `clusterIP` is mirrored into `clusterIPs` when only the former is given.
 */
export function defaultService(obj: KObject): void {
  if (!isObj(obj.spec)) obj.spec = {};
  const s = obj.spec as Obj;
  if (!s.sessionAffinity) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP' && unset(s.sessionAffinityConfig?.clientIP?.timeoutSeconds)) {
    s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!s.type) s.type = 'ClusterIP';
  for (const p of arr(s.ports)) {
    if (!isObj(p)) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (unset(p.targetPort) || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const external = s.type === 'NodePort' || s.type === 'LoadBalancer';
  if (external && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster';
  if (unset(s.internalTrafficPolicy) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type)) s.internalTrafficPolicy = 'Cluster';
  if (s.type === 'LoadBalancer' && unset(s.allocateLoadBalancerNodePorts)) s.allocateLoadBalancerNodePorts = true;
  if (s.type !== 'ExternalName') {
    if (s.clusterIP && !arr(s.clusterIPs).length) s.clusterIPs = [s.clusterIP];
    if (!s.clusterIP && arr(s.clusterIPs).length) s.clusterIP = s.clusterIPs[0];
    const headless = s.clusterIP === 'None';
    if (!s.ipFamilyPolicy) s.ipFamilyPolicy = headless && !isObj(s.selector) ? 'RequireDualStack' : 'SingleStack';
    if (!arr(s.ipFamilies).length) s.ipFamilies = ['IPv4'];
  }
}

export function defaultNamespace(obj: KObject): void {
  if (obj.metadata?.name) {
    if (!isObj(obj.metadata.labels)) obj.metadata.labels = {};
    obj.metadata.labels['kubernetes.io/metadata.name'] = obj.metadata.name;
  }
  if (!isObj(obj.spec)) obj.spec = {};
  if (!arr(obj.spec.finalizers).length) obj.spec.finalizers = ['kubernetes'];
  if (!isObj(obj.status)) obj.status = {};
  if (!obj.status.phase) obj.status.phase = 'Active';
}

export function defaultSecret(obj: KObject): void {
  if (!obj.type) obj.type = 'Opaque';
  // stringData is write-only: merged into data (base64) by the strategy
  if (isObj(obj.stringData)) {
    if (!isObj(obj.data)) obj.data = {};
    for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    delete obj.stringData;
  }
}

export function defaultPersistentVolumeClaim(obj: KObject): void {
  if (!isObj(obj.spec)) obj.spec = {};
  if (!obj.spec.volumeMode) obj.spec.volumeMode = 'Filesystem';
  if (!isObj(obj.status)) obj.status = {};
  if (!obj.status.phase) obj.status.phase = 'Pending';
}

export function defaultPersistentVolume(obj: KObject): void {
  if (!isObj(obj.spec)) obj.spec = {};
  if (!obj.spec.persistentVolumeReclaimPolicy) obj.spec.persistentVolumeReclaimPolicy = 'Retain';
  if (!obj.spec.volumeMode) obj.spec.volumeMode = 'Filesystem';
  if (isObj(obj.spec.hostPath) && obj.spec.hostPath.type === undefined) obj.spec.hostPath.type = '';
  if (!isObj(obj.status)) obj.status = {};
  if (!obj.status.phase) obj.status.phase = 'Pending';
}

export function defaultEndpoints(obj: KObject): void {
  for (const ss of arr(obj.subsets)) for (const p of arr(ss?.ports)) if (isObj(p) && !p.protocol) p.protocol = 'TCP';
}

export function defaultLimitRange(obj: KObject): void {
  for (const item of arr(obj.spec?.limits)) {
    if (!isObj(item) || item.type !== 'Container') continue;
    if (!isObj(item.default)) item.default = {};
    if (!isObj(item.defaultRequest)) item.defaultRequest = {};
    for (const [k, v] of Object.entries(isObj(item.max) ? item.max : {})) if (!(k in item.default)) item.default[k] = v;
    for (const [k, v] of Object.entries(item.default)) if (!(k in item.defaultRequest)) item.defaultRequest[k] = v;
    for (const [k, v] of Object.entries(isObj(item.min) ? item.min : {})) if (!(k in item.defaultRequest)) item.defaultRequest[k] = v;
  }
}

export function defaultNode(obj: KObject): void {
  const st = obj.status;
  if (isObj(st) && isObj(st.capacity) && unset(st.allocatable)) st.allocatable = { ...st.capacity };
}
