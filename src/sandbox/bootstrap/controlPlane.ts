/**
 * The kubeadm static pods of the control-plane node (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler) as their mirror pods appear in the API.
 */
import type { KObject } from '../apiserver/types.js';
import { ETCD_IMAGE, SYSTEM_NODE_CRITICAL, kubeImage, type Ctx } from './context.js';
import { defaultContainer, runningPod } from './pods.js';
import { sha256Hex } from './rand.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const PKI = '/etc/kubernetes/pki';

function hostPathVolume(name: string, path: string, type: string): Json {
  return { hostPath: { path, type }, name };
}

const CA_CERT_VOLUMES = [
  hostPathVolume('ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate'),
  hostPathVolume('etc-ca-certificates', '/etc/ca-certificates', 'DirectoryOrCreate'),
  hostPathVolume('k8s-certs', PKI, 'DirectoryOrCreate'),
  hostPathVolume('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates', 'DirectoryOrCreate'),
  hostPathVolume('usr-share-ca-certificates', '/usr/share/ca-certificates', 'DirectoryOrCreate'),
];

const CA_CERT_MOUNTS = [
  { mountPath: '/etc/ssl/certs', name: 'ca-certs', readOnly: true },
  { mountPath: '/etc/ca-certificates', name: 'etc-ca-certificates', readOnly: true },
  { mountPath: PKI, name: 'k8s-certs', readOnly: true },
  { mountPath: '/usr/local/share/ca-certificates', name: 'usr-local-share-ca-certificates', readOnly: true },
  { mountPath: '/usr/share/ca-certificates', name: 'usr-share-ca-certificates', readOnly: true },
];

function httpProbe(host: string, path: string, port: number, scheme: 'HTTP' | 'HTTPS', extra: Json): Json {
  return { httpGet: { host, path, port, scheme }, timeoutSeconds: 15, ...extra };
}

function probes(host: string, port: number, scheme: 'HTTP' | 'HTTPS', live: string, ready: string, start: string): Json {
  return {
    livenessProbe: httpProbe(host, live, port, scheme, { failureThreshold: 8, initialDelaySeconds: 10, periodSeconds: 10 }),
    readinessProbe: httpProbe(host, ready, port, scheme, { failureThreshold: 3, periodSeconds: 1 }),
    startupProbe: httpProbe(host, start, port, scheme, { failureThreshold: 24, initialDelaySeconds: 10, periodSeconds: 10 }),
  };
}

interface StaticPodDef {
  component: string;
  image: string;
  command: string[];
  requests: Record<string, string>;
  probes: Json;
  mounts: Json[];
  volumes: Json[];
  extraAnnotations?: Record<string, string>;
}

function staticPodDefs(ctx: Ctx): StaticPodDef[] {
  const ip = ctx.controlPlane.ip;
  const name = ctx.controlPlane.name;
  return [
    {
      component: 'etcd',
      image: ETCD_IMAGE,
      command: [
        'etcd',
        `--advertise-client-urls=https://${ip}:2379`,
        `--cert-file=${PKI}/etcd/server.crt`,
        '--client-cert-auth=true',
        '--data-dir=/var/lib/etcd',
        '--experimental-initial-corrupt-check=true',
        '--experimental-watch-progress-notify-interval=5s',
        `--initial-advertise-peer-urls=https://${ip}:2380`,
        `--initial-cluster=${name}=https://${ip}:2380`,
        `--key-file=${PKI}/etcd/server.key`,
        `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
        '--listen-metrics-urls=http://127.0.0.1:2381',
        `--listen-peer-urls=https://${ip}:2380`,
        `--name=${name}`,
        `--peer-cert-file=${PKI}/etcd/peer.crt`,
        '--peer-client-cert-auth=true',
        `--peer-key-file=${PKI}/etcd/peer.key`,
        `--peer-trusted-ca-file=${PKI}/etcd/ca.crt`,
        '--snapshot-count=10000',
        `--trusted-ca-file=${PKI}/etcd/ca.crt`,
      ],
      requests: { cpu: '100m', memory: '100Mi' },
      probes: probes('127.0.0.1', 2381, 'HTTP', '/livez', '/readyz', '/readyz'),
      mounts: [
        { mountPath: '/var/lib/etcd', name: 'etcd-data' },
        { mountPath: `${PKI}/etcd`, name: 'etcd-certs' },
      ],
      volumes: [
        hostPathVolume('etcd-certs', `${PKI}/etcd`, 'DirectoryOrCreate'),
        hostPathVolume('etcd-data', '/var/lib/etcd', 'DirectoryOrCreate'),
      ],
      extraAnnotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
    },
    {
      component: 'kube-apiserver',
      image: kubeImage('kube-apiserver'),
      command: [
        'kube-apiserver',
        `--advertise-address=${ip}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        `--client-ca-file=${PKI}/ca.crt`,
        '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true',
        `--etcd-cafile=${PKI}/etcd/ca.crt`,
        `--etcd-certfile=${PKI}/apiserver-etcd-client.crt`,
        `--etcd-keyfile=${PKI}/apiserver-etcd-client.key`,
        '--etcd-servers=https://127.0.0.1:2379',
        `--kubelet-client-certificate=${PKI}/apiserver-kubelet-client.crt`,
        `--kubelet-client-key=${PKI}/apiserver-kubelet-client.key`,
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
        `--proxy-client-cert-file=${PKI}/front-proxy-client.crt`,
        `--proxy-client-key-file=${PKI}/front-proxy-client.key`,
        '--requestheader-allowed-names=front-proxy-client',
        `--requestheader-client-ca-file=${PKI}/front-proxy-ca.crt`,
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-username-headers=X-Remote-User',
        '--runtime-config=',
        '--secure-port=6443',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${PKI}/sa.pub`,
        `--service-account-signing-key-file=${PKI}/sa.key`,
        `--service-cluster-ip-range=${ctx.serviceCIDR}`,
        `--tls-cert-file=${PKI}/apiserver.crt`,
        `--tls-private-key-file=${PKI}/apiserver.key`,
      ],
      requests: { cpu: '250m' },
      probes: probes(ip, 6443, 'HTTPS', '/livez', '/readyz', '/livez'),
      mounts: CA_CERT_MOUNTS,
      volumes: CA_CERT_VOLUMES,
      extraAnnotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
    },
    {
      component: 'kube-controller-manager',
      image: kubeImage('kube-controller-manager'),
      command: [
        'kube-controller-manager',
        '--allocate-node-cidrs=true',
        '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--bind-address=127.0.0.1',
        `--client-ca-file=${PKI}/ca.crt`,
        `--cluster-cidr=${ctx.podCIDR}`,
        `--cluster-name=${ctx.clusterName}`,
        `--cluster-signing-cert-file=${PKI}/ca.crt`,
        `--cluster-signing-key-file=${PKI}/ca.key`,
        '--controllers=*,bootstrapsigner,tokencleaner',
        '--enable-hostpath-provisioner=true',
        '--kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--leader-elect=true',
        `--requestheader-client-ca-file=${PKI}/front-proxy-ca.crt`,
        `--root-ca-file=${PKI}/ca.crt`,
        `--service-account-private-key-file=${PKI}/sa.key`,
        `--service-cluster-ip-range=${ctx.serviceCIDR}`,
        '--use-service-account-credentials=true',
      ],
      requests: { cpu: '200m' },
      probes: {
        livenessProbe: httpProbe('127.0.0.1', '/healthz', 10257, 'HTTPS', { failureThreshold: 8, initialDelaySeconds: 10, periodSeconds: 10 }),
        startupProbe: httpProbe('127.0.0.1', '/healthz', 10257, 'HTTPS', { failureThreshold: 24, initialDelaySeconds: 10, periodSeconds: 10 }),
      },
      mounts: [
        CA_CERT_MOUNTS[0],
        CA_CERT_MOUNTS[1],
        { mountPath: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', name: 'flexvolume-dir' },
        CA_CERT_MOUNTS[2],
        { mountPath: '/etc/kubernetes/controller-manager.conf', name: 'kubeconfig', readOnly: true },
        CA_CERT_MOUNTS[3],
        CA_CERT_MOUNTS[4],
      ],
      volumes: [
        CA_CERT_VOLUMES[0],
        CA_CERT_VOLUMES[1],
        hostPathVolume('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', 'DirectoryOrCreate'),
        CA_CERT_VOLUMES[2],
        hostPathVolume('kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate'),
        CA_CERT_VOLUMES[3],
        CA_CERT_VOLUMES[4],
      ],
    },
    {
      component: 'kube-scheduler',
      image: kubeImage('kube-scheduler'),
      command: [
        'kube-scheduler',
        '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf',
        '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
        '--bind-address=127.0.0.1',
        '--kubeconfig=/etc/kubernetes/scheduler.conf',
        '--leader-elect=true',
      ],
      requests: { cpu: '100m' },
      probes: probes('127.0.0.1', 10259, 'HTTPS', '/livez', '/readyz', '/livez'),
      mounts: [{ mountPath: '/etc/kubernetes/scheduler.conf', name: 'kubeconfig', readOnly: true }],
      volumes: [hostPathVolume('kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate')],
    },
  ];
}

/** The four mirror pods, named `<component>-<node>` and owned by the control-plane Node. */
export function controlPlanePods(ctx: Ctx, controlPlaneNode: KObject): KObject[] {
  const node = ctx.controlPlane;
  return staticPodDefs(ctx).map((d) => {
    const container = defaultContainer({
      command: d.command,
      image: d.image,
      name: d.component,
      resources: { requests: d.requests },
      volumeMounts: d.mounts,
      ...d.probes,
    });
    const spec = {
      containers: [container],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      hostNetwork: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: SYSTEM_NODE_CRITICAL,
      priorityClassName: 'system-node-critical',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      terminationGracePeriodSeconds: 30,
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
      volumes: d.volumes,
    };
    // the kubelet's config hash is an md5-sized hex digest of the manifest
    const hash = sha256Hex(JSON.stringify(spec)).slice(0, 32);
    return runningPod(ctx, {
      name: `${d.component}-${node.name}`,
      namespace: 'kube-system',
      labels: { component: d.component, tier: 'control-plane' },
      annotations: {
        ...d.extraAnnotations,
        'kubernetes.io/config.hash': hash,
        'kubernetes.io/config.mirror': hash,
        'kubernetes.io/config.seen': ctx.now.toISOString().replace('Z', '000000Z'),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [
        { apiVersion: 'v1', controller: true, kind: 'Node', name: node.name, uid: controlPlaneNode.metadata.uid! },
      ],
      spec,
      node,
      podIP: node.ip,
      user: { uid: 0, gid: 0 },
    });
  });
}
