/** kubeadm's CoreDNS Deployment and kube-proxy DaemonSet, plus kind's kindnet DaemonSet. */
import { daemonPodTolerations } from '../api/tolerations.js';
import type { KObject } from '../apiserver/types.js';
import {
  COREDNS_IMAGE,
  KINDNET_IMAGE,
  SYSTEM_CLUSTER_CRITICAL,
  SYSTEM_NODE_CRITICAL,
  kubeImage,
  meta,
  ownerRef,
  type Ctx,
  type NodeInfo,
} from './context.js';
import { ipAt } from './net.js';
import { SA_TOKEN_MOUNT_PATH, defaultContainer, runningPod, serviceAccountTokenVolume, type ContainerUser } from './pods.js';
import { computeHash } from './rand.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Pod template spec defaults the API server fills in for workload templates. */
function templateSpec(spec: Json): Json {
  return {
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    ...spec,
    containers: (spec.containers as Json[]).map(defaultContainer),
  };
}

/**
 * What admission adds when a pod is created from a template: service account token volume and
 * mounts, priority, enableServiceLinks, preemptionPolicy, default NoExecute tolerations.
 */
function admitPodSpec(ctx: Ctx, template: Json, priority: number, extraTolerations: Json[]): Json {
  const spec: Json = structuredClone(template.spec);
  const tokenVolume = `kube-api-access-${ctx.rng.suffix(5)}`;
  spec.containers = (spec.containers as Json[]).map((c) => ({
    ...c,
    volumeMounts: [...(c.volumeMounts ?? []), { mountPath: SA_TOKEN_MOUNT_PATH, name: tokenVolume, readOnly: true }],
  }));
  spec.volumes = [...(spec.volumes ?? []), serviceAccountTokenVolume(tokenVolume)];
  spec.enableServiceLinks = true;
  spec.preemptionPolicy = 'PreemptLowerPriority';
  spec.priority = priority;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  spec.tolerations = [...(spec.tolerations ?? []), ...extraTolerations];
  return sortObject(spec);
}

function sortObject(o: Json): Json {
  const out: Json = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

const DEFAULT_NOEXECUTE_TOLERATIONS = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
];

/** The tolerations the DaemonSet controller adds to every daemon pod. */
function daemonSetTolerations(hostNetwork: boolean): Json[] {
  return daemonPodTolerations(hostNetwork) as Json[];
}

// ---------------------------------------------------------------------------------------------
// CoreDNS

export const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

export interface CoreDNSObjects {
  deployment: KObject;
  replicaSet: KObject;
  pods: KObject[];
}

export function coreDNS(ctx: Ctx, replicas = 2): CoreDNSObjects {
  const selector = { 'k8s-app': 'kube-dns' };
  const template: Json = {
    metadata: { creationTimestamp: null, labels: { ...selector } },
    spec: templateSpec({
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              podAffinityTerm: {
                labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] },
                topologyKey: 'kubernetes.io/hostname',
              },
              weight: 100,
            },
          ],
        },
      },
      containers: [
        {
          args: ['-conf', '/etc/coredns/Corefile'],
          image: COREDNS_IMAGE,
          livenessProbe: {
            failureThreshold: 5,
            httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
            initialDelaySeconds: 60,
            timeoutSeconds: 5,
          },
          name: 'coredns',
          ports: [
            { containerPort: 53, name: 'dns', protocol: 'UDP' },
            { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
            { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
          ],
          readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
          resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
            readOnlyRootFilesystem: true,
          },
          volumeMounts: [{ mountPath: '/etc/coredns', name: 'config-volume', readOnly: true }],
        },
      ],
      dnsPolicy: 'Default',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-cluster-critical',
      serviceAccount: 'coredns',
      serviceAccountName: 'coredns',
      tolerations: [
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
        { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' },
      ],
      volumes: [
        {
          configMap: { defaultMode: 420, items: [{ key: 'Corefile', path: 'Corefile' }], name: 'coredns' },
          name: 'config-volume',
        },
      ],
    }),
  };
  template.spec = sortObject(template.spec);

  const deployment: KObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(ctx, 'coredns', 'kube-system', {
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      generation: 1,
      labels: { ...selector },
    }),
    spec: {
      progressDeadlineSeconds: 600,
      replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { ...selector } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 }, type: 'RollingUpdate' },
      template,
    },
  };

  const hash = computeHash(template);
  const rsName = `coredns-${hash}`;
  const rsLabels = { ...selector, 'pod-template-hash': hash };
  const rsTemplate = structuredClone(template);
  rsTemplate.metadata.labels = { ...rsLabels };
  const replicaSet: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta(ctx, rsName, 'kube-system', {
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas * 0.25)),
        'deployment.kubernetes.io/revision': '1',
      },
      generation: 1,
      labels: { ...rsLabels },
      ownerReferences: [ownerRef(deployment)],
    }),
    spec: {
      replicas,
      selector: { matchLabels: { ...rsLabels } },
      template: rsTemplate,
    },
    status: {
      availableReplicas: replicas,
      fullyLabeledReplicas: replicas,
      observedGeneration: 1,
      readyReplicas: replicas,
      replicas,
    },
  };

  const pods: KObject[] = [];
  // kubeadm's CoreDNS replicas land on the control-plane node: it is the only Ready node when
  // they are scheduled, and they tolerate its taint. They get the first pod IPs of its range.
  const node = ctx.controlPlane;
  const used = new Set<string>();
  for (let i = 0; i < replicas; i++) {
    let name: string;
    do name = `${rsName}-${ctx.rng.suffix(5)}`;
    while (used.has(name));
    used.add(name);
    pods.push(
      runningPod(ctx, {
        name,
        namespace: 'kube-system',
        labels: { ...rsLabels },
        ownerReferences: [ownerRef(replicaSet)],
        spec: admitPodSpec(ctx, rsTemplate, SYSTEM_CLUSTER_CRITICAL, DEFAULT_NOEXECUTE_TOLERATIONS),
        node,
        podIP: ipAt(node.podCIDR, 2 + i),
        user: { uid: 65532, gid: 65532 },
      }),
    );
  }

  deployment.status = {
    availableReplicas: replicas,
    conditions: [
      {
        lastTransitionTime: ctx.ts,
        lastUpdateTime: ctx.ts,
        message: 'Deployment has minimum availability.',
        reason: 'MinimumReplicasAvailable',
        status: 'True',
        type: 'Available',
      },
      {
        lastTransitionTime: ctx.ts,
        lastUpdateTime: ctx.ts,
        message: `ReplicaSet "${rsName}" has successfully progressed.`,
        reason: 'NewReplicaSetAvailable',
        status: 'True',
        type: 'Progressing',
      },
    ],
    observedGeneration: 1,
    readyReplicas: replicas,
    replicas,
    updatedReplicas: replicas,
  };
  return { deployment, replicaSet, pods };
}

// ---------------------------------------------------------------------------------------------
// DaemonSets (kube-proxy, kindnet)

export interface DaemonSetObjects {
  daemonSet: KObject;
  controllerRevision: KObject;
  pods: KObject[];
}

interface DaemonSetDef {
  name: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  templateSpec: Json;
  priority?: number;
  user: ContainerUser;
}

function daemonSet(ctx: Ctx, d: DaemonSetDef): DaemonSetObjects {
  const template: Json = {
    metadata: { creationTimestamp: null, labels: { ...d.labels } },
    spec: sortObject(templateSpec(d.templateSpec)),
  };
  const n = ctx.nodes.length;
  const ds: KObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(ctx, d.name, 'kube-system', {
      annotations: { 'deprecated.daemonset.template.generation': '1' },
      generation: 1,
      labels: { ...d.labels },
    }),
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: { ...d.selector } },
      template,
      updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
    },
    status: {
      currentNumberScheduled: n,
      desiredNumberScheduled: n,
      numberAvailable: n,
      numberMisscheduled: 0,
      numberReady: n,
      observedGeneration: 1,
      updatedNumberScheduled: n,
    },
  };
  const hash = computeHash(template);
  const controllerRevision: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: meta(ctx, `${d.name}-${hash}`, 'kube-system', {
      annotations: { 'deprecated.daemonset.template.generation': '1' },
      labels: { ...d.selector, 'controller-revision-hash': hash },
      ownerReferences: [ownerRef(ds)],
    }),
    data: { spec: { template: { $patch: 'replace', ...template } } },
    revision: 1,
  };
  const podLabels = { ...d.labels, 'controller-revision-hash': hash, 'pod-template-generation': '1' };
  const hostNetwork = template.spec.hostNetwork === true;
  const used = new Set<string>();
  const pods = ctx.nodes.map((node: NodeInfo) => {
    let name: string;
    do name = `${d.name}-${ctx.rng.suffix(5)}`;
    while (used.has(name));
    used.add(name);
    const podTemplate = structuredClone(template);
    podTemplate.spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node.name] }] }],
        },
      },
    };
    const spec = admitPodSpec(ctx, podTemplate, d.priority ?? 0, daemonSetTolerations(hostNetwork));
    return runningPod(ctx, {
      name,
      namespace: 'kube-system',
      labels: { ...podLabels },
      ownerReferences: [ownerRef(ds)],
      spec,
      node,
      podIP: node.ip,
      user: d.user,
    });
  });
  return { daemonSet: ds, controllerRevision, pods };
}

export function kubeProxy(ctx: Ctx): DaemonSetObjects {
  return daemonSet(ctx, {
    name: 'kube-proxy',
    labels: { 'k8s-app': 'kube-proxy' },
    selector: { 'k8s-app': 'kube-proxy' },
    priority: SYSTEM_NODE_CRITICAL,
    user: { uid: 0, gid: 0 },
    templateSpec: {
      containers: [
        {
          command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
          env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
          image: kubeImage('kube-proxy'),
          name: 'kube-proxy',
          securityContext: { privileged: true },
          volumeMounts: [
            { mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' },
            { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
            { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
          ],
        },
      ],
      hostNetwork: true,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-node-critical',
      serviceAccount: 'kube-proxy',
      serviceAccountName: 'kube-proxy',
      tolerations: [{ operator: 'Exists' }],
      volumes: [
        { configMap: { defaultMode: 420, name: 'kube-proxy' }, name: 'kube-proxy' },
        { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
        { hostPath: { path: '/lib/modules', type: '' }, name: 'lib-modules' },
      ],
    },
  });
}

export function kindnet(ctx: Ctx): DaemonSetObjects {
  const labels = { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' };
  return daemonSet(ctx, {
    name: 'kindnet',
    labels,
    selector: { app: 'kindnet' },
    user: { uid: 0, gid: 0 },
    templateSpec: {
      containers: [
        {
          env: [
            { name: 'HOST_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.hostIP' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
            { name: 'POD_SUBNET', value: ctx.podCIDR },
            { name: 'CONTROL_PLANE_ENDPOINT', value: ctx.controlPlaneEndpoint },
          ],
          image: KINDNET_IMAGE,
          name: 'kindnet-cni',
          resources: { limits: { cpu: '100m', memory: '50Mi' }, requests: { cpu: '100m', memory: '50Mi' } },
          securityContext: { capabilities: { add: ['NET_RAW', 'NET_ADMIN'] }, privileged: false },
          volumeMounts: [
            { mountPath: '/etc/cni/net.d', name: 'cni-cfg' },
            { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
            { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
            { mountPath: '/var/run/nri', name: 'nri-plugin' },
          ],
        },
      ],
      hostNetwork: true,
      serviceAccount: 'kindnet',
      serviceAccountName: 'kindnet',
      tolerations: [{ operator: 'Exists' }],
      volumes: [
        { hostPath: { path: '/etc/cni/net.d', type: '' }, name: 'cni-cfg' },
        { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
        { hostPath: { path: '/lib/modules', type: '' }, name: 'lib-modules' },
        { hostPath: { path: '/var/run/nri', type: '' }, name: 'nri-plugin' },
      ],
    },
  });
}
