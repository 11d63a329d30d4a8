import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { initialObjects, nodeNames, type BootstrapOptions } from '../../../src/sandbox/bootstrap/index.js';
import { ipAt, subnetAt } from '../../../src/sandbox/bootstrap/net.js';
import { computeHash, Rng, safeEncodeString } from '../../../src/sandbox/bootstrap/rand.js';

const NOW = new Date('2025-06-01T10:00:00.000Z');

function build(extra: Partial<BootstrapOptions> = {}): KObject[] {
  return initialObjects({ nodes: 3, now: NOW, ...extra });
}

const ofKind = (objs: KObject[], kind: string) => objs.filter((o) => o.kind === kind);
const find = (objs: KObject[], kind: string, name: string, namespace?: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);

describe.each([0, 1, 3])('initialObjects({ nodes: %i })', (workers) => {
  const objs = build({ nodes: workers });

  it('sets apiVersion, kind, name, uid and creationTimestamp on every object', () => {
    for (const o of objs) {
      expect(o.apiVersion, JSON.stringify(o.metadata)).toBeTruthy();
      expect(o.kind).toBeTruthy();
      expect(o.metadata.name).toBeTruthy();
      expect(o.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(o.metadata.creationTimestamp).toBe('2025-06-01T10:00:00Z');
    }
  });

  it('has unique names per kind and namespace, and unique uids', () => {
    const keys = objs.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    const uids = objs.map((o) => o.metadata.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('has one control-plane node plus N workers named like kind', () => {
    const nodes = ofKind(objs, 'Node');
    expect(nodes.map((n) => n.metadata.name)).toEqual(nodeNames(workers));
    expect(nodes).toHaveLength(workers + 1);
    const workerNodes = nodes.filter((n) => !('node-role.kubernetes.io/control-plane' in n.metadata.labels!));
    expect(workerNodes).toHaveLength(workers);
    if (workers >= 2) expect(workerNodes.map((n) => n.metadata.name).slice(0, 2)).toEqual(['kube-tutor-worker', 'kube-tutor-worker2']);
  });

  it('taints the control-plane node', () => {
    const cp = find(objs, 'Node', 'kube-tutor-control-plane')!;
    expect(cp.metadata.labels!['node-role.kubernetes.io/control-plane']).toBe('');
    expect(cp.spec.taints).toEqual([{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }]);
    for (const n of ofKind(objs, 'Node').slice(1)) expect(n.spec.taints).toBeUndefined();
  });

  it('gives nodes realistic, distinct addresses and pod CIDRs', () => {
    const nodes = ofKind(objs, 'Node');
    nodes.forEach((n, i) => {
      expect(n.spec.podCIDR).toBe(`10.244.${i}.0/24`);
      expect(n.spec.podCIDRs).toEqual([`10.244.${i}.0/24`]);
      expect(n.spec.providerID).toBe(`kube-tutor://${n.metadata.name}`);
      expect(n.status.addresses).toEqual([
        { address: `172.18.0.${2 + i}`, type: 'InternalIP' },
        { address: n.metadata.name, type: 'Hostname' },
      ]);
      expect(n.metadata.labels!['kubernetes.io/hostname']).toBe(n.metadata.name);
      expect(n.status.nodeInfo.kubeletVersion).toBe('v1.33.1');
      const ready = n.status.conditions.find((c: { type: string }) => c.type === 'Ready');
      expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
      expect(n.status.capacity.pods).toBe('110');
    });
  });

  it('points every pod at an existing node', () => {
    const nodes = new Set(ofKind(objs, 'Node').map((n) => n.metadata.name));
    for (const p of ofKind(objs, 'Pod')) expect(nodes.has(p.spec.nodeName), p.metadata.name).toBe(true);
  });

  it('resolves every ownerReference (kind, name, uid, same namespace or cluster-scoped owner)', () => {
    for (const o of objs) {
      for (const ref of o.metadata.ownerReferences ?? []) {
        const owner =
          objs.find((x) => x.kind === ref.kind && x.metadata.name === ref.name && x.metadata.namespace === o.metadata.namespace) ??
          objs.find((x) => x.kind === ref.kind && x.metadata.name === ref.name && x.metadata.namespace === undefined);
        expect(owner, `${o.kind} ${o.metadata.name} -> ${ref.kind} ${ref.name}`).toBeDefined();
        expect(ref.uid).toBe(owner!.metadata.uid);
        expect(ref.apiVersion).toBe(owner!.apiVersion);
      }
    }
  });

  it('runs every pod, Ready, with running containers', () => {
    const pods = ofKind(objs, 'Pod');
    for (const p of pods) {
      expect(p.status.phase, p.metadata.name).toBe('Running');
      const types = p.status.conditions.map((c: { type: string }) => c.type);
      expect(types).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
      for (const c of p.status.conditions) expect(c.status).toBe('True');
      expect(p.status.containerStatuses).toHaveLength(p.spec.containers.length);
      for (const cs of p.status.containerStatuses) {
        expect(cs.ready).toBe(true);
        expect(cs.started).toBe(true);
        expect(cs.restartCount).toBe(0);
        expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
        expect(cs.state.running.startedAt).toBe('2025-06-01T10:00:00Z');
      }
      const node = find(objs, 'Node', p.spec.nodeName)!;
      expect(p.status.hostIP).toBe(node.status.addresses[0].address);
      if (p.spec.hostNetwork) expect(p.status.podIP).toBe(p.status.hostIP);
      else expect(p.status.podIP.startsWith(node.spec.podCIDR.split('.').slice(0, 3).join('.') + '.')).toBe(true);
    }
  });

  it('has the kubeadm control-plane static pods as mirror pods of the control-plane node', () => {
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      const p = find(objs, 'Pod', `${c}-kube-tutor-control-plane`, 'kube-system')!;
      expect(p, c).toBeDefined();
      expect(p.metadata.labels).toEqual({ component: c, tier: 'control-plane' });
      expect(p.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Node', name: 'kube-tutor-control-plane', controller: true }),
      ]);
      expect(p.metadata.annotations!['kubernetes.io/config.source']).toBe('file');
      expect(p.metadata.annotations!['kubernetes.io/config.mirror']).toBe(p.metadata.annotations!['kubernetes.io/config.hash']);
      expect(p.spec.hostNetwork).toBe(true);
      expect(p.spec.priorityClassName).toBe('system-node-critical');
      expect(p.spec.priority).toBe(2000001000);
      expect(p.status.podIP).toBe('172.18.0.2');
    }
  });

  it('has consistent CoreDNS Deployment / ReplicaSet / pods', () => {
    const dep = find(objs, 'Deployment', 'coredns', 'kube-system')!;
    const [rs] = ofKind(objs, 'ReplicaSet');
    const hash = rs.metadata.labels!['pod-template-hash'];
    expect(rs.metadata.name).toBe(`coredns-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    const pods = ofKind(objs, 'Pod').filter((p) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicaSet');
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^coredns-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels).toEqual({ 'k8s-app': 'kube-dns', 'pod-template-hash': hash });
      expect(p.spec.nodeName).toBe('kube-tutor-control-plane');
      expect(p.spec.priorityClassName).toBe('system-cluster-critical');
      expect(p.spec.priority).toBe(2000000000);
    }
    expect(dep.spec.replicas).toBe(2);
    expect(dep.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, observedGeneration: 1 });
    expect(dep.status.conditions.map((c: { type: string }) => c.type)).toEqual(['Available', 'Progressing']);
    expect(rs.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2 });
  });

  it('runs one kube-proxy and one kindnet pod per node', () => {
    for (const ds of ['kube-proxy', 'kindnet']) {
      const d = find(objs, 'DaemonSet', ds, 'kube-system')!;
      expect(d.status).toMatchObject({
        desiredNumberScheduled: workers + 1,
        currentNumberScheduled: workers + 1,
        numberReady: workers + 1,
        numberAvailable: workers + 1,
        updatedNumberScheduled: workers + 1,
        numberMisscheduled: 0,
      });
      const pods = ofKind(objs, 'Pod').filter((p) => p.metadata.ownerReferences?.[0]?.name === ds);
      expect(pods.map((p) => p.spec.nodeName).sort()).toEqual([...nodeNames(workers)].sort());
      const rev = ofKind(objs, 'ControllerRevision').find((r) => r.metadata.ownerReferences?.[0]?.name === ds)!;
      for (const p of pods) {
        expect(p.metadata.name).toMatch(new RegExp(`^${ds}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
        expect(p.metadata.labels!['controller-revision-hash']).toBe(rev.metadata.labels!['controller-revision-hash']);
        expect(p.metadata.labels!['pod-template-generation']).toBe('1');
        expect(p.spec.hostNetwork).toBe(true);
      }
    }
  });

  it('gives every pod service account an existing ServiceAccount and configMap volumes existing ConfigMaps', () => {
    for (const p of ofKind(objs, 'Pod')) {
      if (p.spec.serviceAccountName) expect(find(objs, 'ServiceAccount', p.spec.serviceAccountName, 'kube-system')).toBeDefined();
      for (const v of p.spec.volumes ?? []) {
        if (v.configMap) expect(find(objs, 'ConfigMap', v.configMap.name, 'kube-system'), v.configMap.name).toBeDefined();
      }
    }
  });
});

describe('cluster basics', () => {
  const objs = build();

  it('has the four system namespaces, active, with default service accounts', () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const n = find(objs, 'Namespace', ns)!;
      expect(n.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': ns });
      expect(n.spec).toEqual({ finalizers: ['kubernetes'] });
      expect(n.status).toEqual({ phase: 'Active' });
      expect(find(objs, 'ServiceAccount', 'default', ns)).toBeDefined();
    }
  });

  it('has the kubernetes service with its endpoints', () => {
    const svc = find(objs, 'Service', 'kubernetes', 'default')!;
    expect(svc.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect(svc.spec.clusterIP).toBe('10.96.0.1');
    expect(svc.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
    const ep = find(objs, 'Endpoints', 'kubernetes', 'default')!;
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    const slice = find(objs, 'EndpointSlice', 'kubernetes', 'default')!;
    expect(slice.endpoints[0].addresses).toEqual(['172.18.0.2']);
  });

  it('has kube-dns labelled so kubectl cluster-info lists CoreDNS', () => {
    const svc = find(objs, 'Service', 'kube-dns', 'kube-system')!;
    expect(svc.metadata.labels).toEqual({
      'k8s-app': 'kube-dns',
      'kubernetes.io/cluster-service': 'true',
      'kubernetes.io/name': 'CoreDNS',
    });
    expect(svc.spec.clusterIP).toBe('10.96.0.10');
    expect(svc.spec.selector).toEqual({ 'k8s-app': 'kube-dns' });
    expect(svc.spec.ports.map((p: { name: string; port: number; protocol: string }) => `${p.name}:${p.port}/${p.protocol}`)).toEqual([
      'dns:53/UDP',
      'dns-tcp:53/TCP',
      'metrics:9153/TCP',
    ]);
    const ep = find(objs, 'Endpoints', 'kube-dns', 'kube-system')!;
    expect(ep.subsets[0].addresses.map((a: { ip: string }) => a.ip)).toEqual(['10.244.0.2', '10.244.0.3']);
    const slice = ofKind(objs, 'EndpointSlice').find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'kube-dns')!;
    expect(slice.endpoints).toHaveLength(2);
    for (const e of slice.endpoints) expect(find(objs, 'Pod', e.targetRef.name, 'kube-system')?.metadata.uid).toBe(e.targetRef.uid);
  });

  it('has a node Lease per node', () => {
    for (const name of nodeNames(3)) {
      const l = find(objs, 'Lease', name, 'kube-node-lease')!;
      expect(l.spec.holderIdentity).toBe(name);
      expect(l.spec.renewTime).toBe('2025-06-01T10:00:00.000000Z');
    }
  });

  it('is deterministic and depends on the node count', () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
    const a = ofKind(build({ nodes: 1 }), 'Pod').map((p) => p.metadata.name);
    const b = ofKind(build({ nodes: 2 }), 'Pod').map((p) => p.metadata.name);
    expect(a).not.toEqual(b.slice(0, a.length));
  });

  it('does not share mutable structures between objects', () => {
    const objs2 = build();
    const pods = ofKind(objs2, 'Pod');
    pods[0].spec.containers[0].name = 'mutated';
    pods[0].metadata.labels!.x = 'y';
    for (const p of pods.slice(1)) {
      expect(p.spec.containers[0].name).not.toBe('mutated');
      expect(p.metadata.labels!.x).toBeUndefined();
    }
    const nodes = ofKind(objs2, 'Node');
    nodes[0].status.capacity.cpu = '999';
    expect(nodes[1].status.capacity.cpu).toBe('4');
  });

  it('honours serviceCIDR, podCIDR, clusterName and kindnet options', () => {
    const objs2 = initialObjects({
      nodes: 2,
      now: NOW,
      serviceCIDR: '10.100.0.0/16',
      podCIDR: '192.168.0.0/16',
      clusterName: 'demo',
      kindnet: false,
    });
    expect(find(objs2, 'Service', 'kubernetes', 'default')!.spec.clusterIP).toBe('10.100.0.1');
    expect(find(objs2, 'Service', 'kube-dns', 'kube-system')!.spec.clusterIP).toBe('10.100.0.10');
    expect(ofKind(objs2, 'Node').map((n) => n.metadata.name)).toEqual(['demo-control-plane', 'demo-worker', 'demo-worker2']);
    expect(find(objs2, 'Node', 'demo-worker2')!.spec.podCIDR).toBe('192.168.2.0/24');
    expect(find(objs2, 'DaemonSet', 'kindnet', 'kube-system')).toBeUndefined();
  });

  it('adds kube-root-ca.crt to every namespace only when a CA is given', () => {
    expect(ofKind(objs, 'ConfigMap').filter((c) => c.metadata.name === 'kube-root-ca.crt')).toHaveLength(0);
    const withCA = build({ caCertPEM: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
    expect(withCA.filter((c) => c.kind === 'ConfigMap' && c.metadata.name === 'kube-root-ca.crt')).toHaveLength(4);
  });

  it('rejects bad options', () => {
    expect(() => initialObjects({ nodes: -1, now: NOW })).toThrow();
    expect(() => initialObjects({ nodes: 1.5, now: NOW })).toThrow();
    expect(() => initialObjects({ nodes: 1, now: new Date('nope') })).toThrow();
  });
});

describe('helpers', () => {
  it('computes CIDR addresses', () => {
    expect(ipAt('10.96.0.0/12', 1)).toBe('10.96.0.1');
    expect(ipAt('10.96.0.0/12', 10)).toBe('10.96.0.10');
    expect(subnetAt('10.244.0.0/16', 24, 3)).toBe('10.244.3.0/24');
  });

  it('encodes hashes like k8s.io/apimachinery rand.SafeEncodeString', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(computeHash({ a: 1 })).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('produces stable uuids', () => {
    expect(new Rng('x').uuid()).toBe(new Rng('x').uuid());
    expect(new Rng('x').uuid()).not.toBe(new Rng('y').uuid());
  });

  it('nodeNames is stable', () => {
    expect(nodeNames(3)).toEqual(['kube-tutor-control-plane', 'kube-tutor-worker', 'kube-tutor-worker2', 'kube-tutor-worker3']);
    expect(nodeNames(0)).toEqual(['kube-tutor-control-plane']);
  });
});
