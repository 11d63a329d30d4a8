/**
 * The objects of a freshly created sandbox cluster: what `kind create cluster` (kubeadm,
 * Kubernetes v1.33) leaves in the API, scaled to the requested number of worker nodes.
 *
 * Pure and deterministic: the same options always give the same objects (uids, container ids
 * and name suffixes come from a PRNG seeded with the cluster name and node count).
 */
import type { KObject } from '../apiserver/types.js';
import { coreDNS, COREFILE, kindnet, kubeProxy } from './addons.js';
import { formatMicroTime, formatTime, meta, ownerRef, type Ctx, type NodeInfo } from './context.js';
import { controlPlanePods } from './controlPlane.js';
import { ipAt, nodeMaskSize, subnetAt } from './net.js';
import { buildNode, buildNodeLease, clusterNodeNames } from './nodes.js';
import { Rng } from './rand.js';

export interface BootstrapOptions {
  /** number of worker nodes (the control-plane node comes on top; 0 gives a single-node cluster) */
  nodes: number;
  /** creationTimestamp / startTime / heartbeat of everything */
  now: Date;
  /** default 10.96.0.0/12 */
  serviceCIDR?: string;
  /** default 10.244.0.0/16 */
  podCIDR?: string;
  /** default 'kube-tutor'; node names are `<clusterName>-control-plane`, `<clusterName>-worker`, … */
  clusterName?: string;
  /** kind's CNI DaemonSet; default true */
  kindnet?: boolean;
  /** PEM of the cluster CA; when given, every namespace gets the kube-root-ca.crt ConfigMap */
  caCertPEM?: string;
}

/** the annotation kube-controller-manager's root-ca-cert-publisher puts on kube-root-ca.crt */
export const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_POD_CIDR = '10.244.0.0/16';
export const DEFAULT_CLUSTER_NAME = 'kube-tutor';
/** kind's docker network; nodes get .2, .3, … */
export const NODE_NETWORK_CIDR = '172.18.0.0/16';

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

/**
 * Names of all nodes of a cluster with `n` worker nodes: `kube-tutor-control-plane`, then
 * `kube-tutor-worker`, `kube-tutor-worker2`, … (kind's naming).
 */
export const nodeNames = (n: number, clusterName: string = DEFAULT_CLUSTER_NAME): string[] =>
  clusterNodeNames(clusterName, n);

/** The service accounts kube-controller-manager (--use-service-account-credentials) creates. */
const CONTROLLER_SERVICE_ACCOUNTS = [
  'attachdetach-controller',
  'bootstrap-signer',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'endpointslicemirroring-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'legacy-service-account-token-cleaner',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'service-account-controller',
  'service-cidrs-controller',
  'statefulset-controller',
  'token-cleaner',
  'ttl-after-finished-controller',
  'ttl-controller',
  'validatingadmissionpolicy-status-controller',
];

function validateOptions(opts: BootstrapOptions): void {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 0 || opts.nodes > 250) {
    throw new RangeError(`nodes must be an integer between 0 and 250, got ${opts.nodes}`);
  }
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) throw new TypeError('now must be a valid Date');
}

export function initialObjects(opts: BootstrapOptions): KObject[] {
  validateOptions(opts);
  const clusterName = opts.clusterName ?? DEFAULT_CLUSTER_NAME;
  const serviceCIDR = opts.serviceCIDR ?? DEFAULT_SERVICE_CIDR;
  const podCIDR = opts.podCIDR ?? DEFAULT_POD_CIDR;
  const rng = new Rng(`${clusterName}/${opts.nodes}`);
  const names = clusterNodeNames(clusterName, opts.nodes);
  const mask = nodeMaskSize(podCIDR, names.length);
  const nodes: NodeInfo[] = names.map((name, i) => ({
    name,
    uid: rng.uuid(),
    ip: ipAt(NODE_NETWORK_CIDR, 2 + i),
    podCIDR: subnetAt(podCIDR, mask, i),
    controlPlane: i === 0,
  }));
  const ctx: Ctx = {
    now: opts.now,
    ts: formatTime(opts.now),
    microTs: formatMicroTime(opts.now),
    rng,
    clusterName,
    serviceCIDR,
    podCIDR,
    nodes,
    controlPlane: nodes[0],
    controlPlaneEndpoint: `${nodes[0].name}:6443`,
  };

  const out: KObject[] = [];

  // --- cluster-scoped basics
  for (const ns of SYSTEM_NAMESPACES) {
    out.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(ctx, ns, undefined, { labels: { 'kubernetes.io/metadata.name': ns } }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  out.push(
    priorityClass(ctx, 'system-cluster-critical', 2000000000,
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'),
    priorityClass(ctx, 'system-node-critical', 2000001000,
      'Used for system critical pods that must not be moved from their current node.'),
  );

  // --- nodes and their leases
  const bootID = rng.uuid();
  const nodeObjects = nodes.map((n) => buildNode(ctx, n, bootID));
  out.push(...nodeObjects);
  for (const n of nodes) out.push(buildNodeLease(ctx, n));

  // --- service accounts and config maps
  for (const ns of SYSTEM_NAMESPACES) out.push(serviceAccount(ctx, 'default', ns));
  const systemAccounts = ['coredns', 'kube-proxy', ...(opts.kindnet === false ? [] : ['kindnet']), ...CONTROLLER_SERVICE_ACCOUNTS];
  for (const sa of systemAccounts.sort()) out.push(serviceAccount(ctx, sa, 'kube-system'));
  if (opts.caCertPEM) {
    for (const ns of SYSTEM_NAMESPACES) {
      out.push(configMap(ctx, 'kube-root-ca.crt', ns, { 'ca.crt': opts.caCertPEM }, {
        annotations: {
          'kubernetes.io/description': ROOT_CA_DESCRIPTION,
        },
      }));
    }
  }
  out.push(configMap(ctx, 'coredns', 'kube-system', { Corefile: COREFILE }));
  out.push(configMap(ctx, 'kube-proxy', 'kube-system', kubeProxyConfig(ctx), { labels: { app: 'kube-proxy' } }));
  out.push(configMap(ctx, 'kubeadm-config', 'kube-system', { ClusterConfiguration: kubeadmClusterConfiguration(ctx) }));

  // --- control plane
  out.push(...controlPlanePods(ctx, nodeObjects[0]));
  out.push(controlPlaneLease(ctx, 'kube-controller-manager'), controlPlaneLease(ctx, 'kube-scheduler'));

  // --- add-ons
  const dns = coreDNS(ctx, 2);
  out.push(dns.deployment, dns.replicaSet, ...dns.pods);
  const proxy = kubeProxy(ctx);
  out.push(proxy.daemonSet, proxy.controllerRevision, ...proxy.pods);
  if (opts.kindnet !== false) {
    const cni = kindnet(ctx);
    out.push(cni.daemonSet, cni.controllerRevision, ...cni.pods);
  }

  // --- services and endpoints
  out.push(...kubernetesService(ctx));
  out.push(...kubeDNSService(ctx, dns.pods));

  // some builders share constant sub-objects (mount lists, images); hand out independent copies
  return structuredClone(out);
}

// ---------------------------------------------------------------------------------------------

function priorityClass(ctx: Ctx, name: string, value: number, description: string): KObject {
  return {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: meta(ctx, name),
    description,
    preemptionPolicy: 'PreemptLowerPriority',
    value,
  };
}

function serviceAccount(ctx: Ctx, name: string, namespace: string): KObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(ctx, name, namespace) };
}

function configMap(
  ctx: Ctx,
  name: string,
  namespace: string,
  data: Record<string, string>,
  extra: Partial<KObject['metadata']> = {},
): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(ctx, name, namespace, extra), data };
}

function controlPlaneLease(ctx: Ctx, name: string): KObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: meta(ctx, name, 'kube-system'),
    spec: {
      acquireTime: ctx.microTs,
      holderIdentity: `${ctx.controlPlane.name}_${ctx.rng.uuid()}`,
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
      renewTime: ctx.microTs,
    },
  };
}

function kubernetesService(ctx: Ctx): KObject[] {
  const ip = ctx.controlPlane.ip;
  const clusterIP = ipAt(ctx.serviceCIDR, 1);
  const svc: KObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ctx, 'kubernetes', 'default', { labels: { component: 'apiserver', provider: 'kubernetes' } }),
    spec: {
      clusterIP,
      clusterIPs: [clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
  const endpoints: KObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta(ctx, 'kubernetes', 'default', { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }),
    subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  };
  const slice: KObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta(ctx, 'kubernetes', 'default', { generation: 1, labels: { 'kubernetes.io/service-name': 'kubernetes' } }),
    addressType: 'IPv4',
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  };
  return [svc, endpoints, slice];
}

function kubeDNSService(ctx: Ctx, pods: KObject[]): KObject[] {
  const clusterIP = ipAt(ctx.serviceCIDR, 10);
  const labels = {
    'k8s-app': 'kube-dns',
    'kubernetes.io/cluster-service': 'true',
    'kubernetes.io/name': 'CoreDNS',
  };
  const svc: KObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ctx, 'kube-dns', 'kube-system', {
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      labels: { ...labels },
    }),
    spec: {
      clusterIP,
      clusterIPs: [clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
  const ports = [
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'metrics', port: 9153, protocol: 'TCP' },
  ];
  const sorted = [...pods].sort((a, b) => (a.status.podIP < b.status.podIP ? -1 : 1));
  const targetRef = (p: KObject) => ({ kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid });
  const endpoints: KObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta(ctx, 'kube-dns', 'kube-system', {
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': ctx.ts },
      labels: { ...labels },
    }),
    subsets: [
      {
        addresses: sorted.map((p) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, targetRef: targetRef(p) })),
        ports,
      },
    ],
  };
  const slice: KObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta(ctx, `kube-dns-${ctx.rng.suffix(5)}`, 'kube-system', {
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': ctx.ts },
      generateName: 'kube-dns-',
      generation: 1,
      labels: {
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        ...labels,
        'kubernetes.io/service-name': 'kube-dns',
      },
      ownerReferences: [ownerRef(svc)],
    }),
    addressType: 'IPv4',
    endpoints: sorted.map((p) => ({
      addresses: [p.status.podIP],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: p.spec.nodeName,
      targetRef: targetRef(p),
    })),
    ports,
  };
  return [svc, endpoints, slice];
}

function kubeProxyConfig(ctx: Ctx): Record<string, string> {
  const config = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: ${ctx.podCIDR}
configSyncPeriod: 0s
conntrack:
  maxPerCore: 0
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 1s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: iptables
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""
`;
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://${ctx.controlPlaneEndpoint}
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
`;
  return { 'config.conf': config, 'kubeconfig.conf': kubeconfig };
}

function kubeadmClusterConfiguration(ctx: Ctx): string {
  return `apiServer:
  certSANs:
  - localhost
  - 127.0.0.1
  extraArgs:
  - name: runtime-config
    value: ""
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: ${ctx.clusterName}
controlPlaneEndpoint: ${ctx.controlPlaneEndpoint}
controllerManager:
  extraArgs:
  - name: enable-hostpath-provisioner
    value: "true"
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: v1.33.1
networking:
  dnsDomain: cluster.local
  podSubnet: ${ctx.podCIDR}
  serviceSubnet: ${ctx.serviceCIDR}
proxy: {}
scheduler: {}
`;
}

