/** Node objects as a kind (kubeadm) v1.33 cluster's kubelets register them. */
import type { KObject } from '../apiserver/types.js';
import {
  CONTAINER_RUNTIME_VERSION,
  COREDNS_IMAGE,
  CRI_SOCKET,
  ETCD_IMAGE,
  KERNEL_VERSION,
  KINDNET_IMAGE,
  KUBERNETES_VERSION,
  LOCAL_PATH_HELPER_IMAGE,
  LOCAL_PATH_PROVISIONER_IMAGE,
  OS_IMAGE,
  PAUSE_IMAGE,
  kubeImage,
  type Ctx,
  type NodeInfo,
} from './context.js';

/** Node names for a cluster with `workers` worker nodes: the control plane first, then kind-style workers. */
export function clusterNodeNames(clusterName: string, workers: number): string[] {
  const names = [`${clusterName}-control-plane`];
  for (let i = 1; i <= workers; i++) names.push(i === 1 ? `${clusterName}-worker` : `${clusterName}-worker${i}`);
  return names;
}

/** Capacity of every node (kind nodes report the host's resources; allocatable equals capacity). */
export const NODE_CAPACITY: Readonly<Record<string, string>> = Object.freeze({
  cpu: '4',
  'ephemeral-storage': '102625208Ki',
  'hugepages-1Gi': '0',
  'hugepages-2Mi': '0',
  memory: '8148716Ki',
  pods: '110',
});

/** The images preloaded into the kind node image (sizes are approximate). */
function nodeImages(): { names: string[]; sizeBytes: number }[] {
  return [
    { names: [kubeImage('kube-apiserver'), `registry.k8s.io/kube-apiserver-amd64:${KUBERNETES_VERSION}`], sizeBytes: 102998372 },
    { names: [kubeImage('kube-proxy'), `registry.k8s.io/kube-proxy-amd64:${KUBERNETES_VERSION}`], sizeBytes: 99066544 },
    { names: [kubeImage('kube-controller-manager'), `registry.k8s.io/kube-controller-manager-amd64:${KUBERNETES_VERSION}`], sizeBytes: 95630150 },
    { names: [kubeImage('kube-scheduler'), `registry.k8s.io/kube-scheduler-amd64:${KUBERNETES_VERSION}`], sizeBytes: 74493402 },
    { names: [ETCD_IMAGE], sizeBytes: 58938593 },
    { names: [KINDNET_IMAGE], sizeBytes: 44375501 },
    { names: [LOCAL_PATH_PROVISIONER_IMAGE], sizeBytes: 22541737 },
    { names: [COREDNS_IMAGE], sizeBytes: 20939036 },
    { names: [LOCAL_PATH_HELPER_IMAGE], sizeBytes: 3084671 },
    { names: [PAUSE_IMAGE], sizeBytes: 320368 },
  ];
}

export function buildNode(ctx: Ctx, node: NodeInfo, bootID: string): KObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
  };
  if (node.controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const condition = (type: string, status: string, reason: string, message: string) => ({
    lastHeartbeatTime: ctx.ts,
    lastTransitionTime: ctx.ts,
    message,
    reason,
    status,
    type,
  });
  const handlerFeatures = { recursiveReadOnlyMounts: true, userNamespaces: true };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      uid: node.uid,
      creationTimestamp: ctx.ts,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': CRI_SOCKET,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      labels,
    },
    spec: {
      podCIDR: node.podCIDR,
      podCIDRs: [node.podCIDR],
      providerID: `${ctx.clusterName}://${node.name}`,
      ...(node.controlPlane
        ? { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] }
        : {}),
    },
    status: {
      addresses: [
        { address: node.ip, type: 'InternalIP' },
        { address: node.name, type: 'Hostname' },
      ],
      allocatable: { ...NODE_CAPACITY },
      capacity: { ...NODE_CAPACITY },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      features: { supplementalGroupsPolicy: true },
      images: nodeImages(),
      nodeInfo: {
        architecture: 'amd64',
        // kind nodes are containers sharing the host kernel, hence one boot id for all of them
        bootID,
        containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
        kernelVersion: KERNEL_VERSION,
        // DisableNodeKubeProxyVersion is on by default since 1.33: kubelet leaves this empty
        kubeProxyVersion: '',
        kubeletVersion: KUBERNETES_VERSION,
        machineID: ctx.rng.hex(32),
        operatingSystem: 'linux',
        osImage: OS_IMAGE,
        systemUUID: ctx.rng.uuid(),
      },
      runtimeHandlers: [
        { features: handlerFeatures, name: 'runc' },
        { features: handlerFeatures, name: '' },
      ],
    },
  };
}

/** The node's heartbeat Lease in kube-node-lease (kubectl describe node prints it). */
export function buildNodeLease(ctx: Ctx, node: NodeInfo): KObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.name,
      namespace: 'kube-node-lease',
      uid: ctx.rng.uuid(),
      creationTimestamp: ctx.ts,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid }],
    },
    spec: {
      holderIdentity: node.name,
      leaseDurationSeconds: 40,
      renewTime: ctx.microTs,
    },
  };
}
