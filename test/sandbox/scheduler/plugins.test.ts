/** The scheduler's pure pieces alone: fits() functions, requests, scores and the FitError message. */
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { fitErrorMessage, schedulePod, selectHost } from '../../../src/sandbox/scheduler/framework.js';
import { fitsNodeAffinity, matchesRequirement, pinnedNodeNames } from '../../../src/sandbox/scheduler/plugins/nodeaffinity.js';
import { fitsPorts } from '../../../src/sandbox/scheduler/plugins/nodeports.js';
import { fitsRequest, leastAllocatedScore } from '../../../src/sandbox/scheduler/plugins/noderesources.js';
import { fitsUnschedulable } from '../../../src/sandbox/scheduler/plugins/nodeunschedulable.js';
import { spreadScores } from '../../../src/sandbox/scheduler/plugins/spread.js';
import { findUntoleratedTaint, toleratesTaint, untoleratedTaintReason } from '../../../src/sandbox/scheduler/plugins/tainttoleration.js';
import { effectiveTaints, nodeInfo, podInfo } from '../../../src/sandbox/scheduler/podinfo.js';
import { podRequests } from '../../../src/sandbox/scheduler/resources.js';
import { unresolvable, unschedulable } from '../../../src/sandbox/scheduler/types.js';
import { seededRandom } from '../../../src/sandbox/controllers/context.js';

const node = (name: string, extra: { labels?: Record<string, string>; taints?: unknown[]; cpu?: string; ready?: string; unschedulable?: boolean } = {}): KObject => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(extra.labels ?? {}) } },
  spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
  status: {
    allocatable: { cpu: extra.cpu ?? '4', memory: '8148716Ki', pods: '110', 'ephemeral-storage': '102625208Ki' },
    conditions: [{ type: 'Ready', status: extra.ready ?? 'True' }],
  },
});

const mkPod = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObject => ({
  metadata: { name, namespace: 'default', ...meta },
  spec: { containers: [{ name: 'main', image: 'luksa/kubia' }], ...spec },
});

const withCpu = (cpu: string) => ({ containers: [{ name: 'main', image: 'x', resources: { requests: { cpu } } }] });

describe('tolerations', () => {
  const cp = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
  it('matches by key, operator, value and effect', () => {
    expect(toleratesTaint({ key: cp.key, operator: 'Exists' }, cp)).toBe(true);
    expect(toleratesTaint({ key: cp.key, operator: 'Exists', effect: 'NoExecute' }, cp)).toBe(false);
    expect(toleratesTaint({ operator: 'Exists' }, cp)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })).toBe(false);
  });
  it('finds the first untolerated NoSchedule/NoExecute taint and words it like kube', () => {
    const taints = [{ key: 'soft', effect: 'PreferNoSchedule' }, cp, { key: 'dedicated', value: 'gpu', effect: 'NoExecute' }];
    const t = findUntoleratedTaint(taints, [])!;
    expect(untoleratedTaintReason(t)).toBe('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }');
    expect(untoleratedTaintReason(findUntoleratedTaint(taints, [{ key: cp.key, operator: 'Exists' }])!)).toBe('node(s) had untolerated taint {dedicated: gpu}');
  });
  it('gives NotReady nodes the not-ready taint and Unknown ones unreachable', () => {
    expect(effectiveTaints(node('a', { ready: 'False' }))).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    expect(effectiveTaints(node('a', { ready: 'Unknown' }))).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    expect(effectiveTaints(node('a'))).toEqual([]);
  });
  it('lets pods tolerating the unschedulable taint onto cordoned nodes', () => {
    expect(fitsUnschedulable([], true)).toBe(false);
    expect(fitsUnschedulable([{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }], true)).toBe(true);
    expect(fitsUnschedulable([], false)).toBe(true);
  });
});

describe('node affinity', () => {
  const labels = { disk: 'ssd', gen: '5' };
  it('supports In, NotIn, Exists, DoesNotExist, Gt, Lt', () => {
    expect(matchesRequirement({ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }, labels)).toBe(true);
    expect(matchesRequirement({ key: 'disk', operator: 'NotIn', values: ['ssd'] }, labels)).toBe(false);
    expect(matchesRequirement({ key: 'zone', operator: 'NotIn', values: ['a'] }, labels)).toBe(true);
    expect(matchesRequirement({ key: 'disk', operator: 'Exists' }, labels)).toBe(true);
    expect(matchesRequirement({ key: 'disk', operator: 'DoesNotExist' }, labels)).toBe(false);
    expect(matchesRequirement({ key: 'gen', operator: 'Gt', values: ['4'] }, labels)).toBe(true);
    expect(matchesRequirement({ key: 'gen', operator: 'Lt', values: ['5'] }, labels)).toBe(false);
    expect(matchesRequirement({ key: 'disk', operator: 'Gt', values: ['1'] }, labels)).toBe(false);
  });
  it('ORs terms, ANDs requirements, and checks nodeSelector too', () => {
    const n = { name: 'w1', labels };
    const terms = [
      { matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] },
      { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }, { key: 'gen', operator: 'Gt', values: ['3'] }] },
    ];
    expect(fitsNodeAffinity({}, terms, n)).toBe(true);
    expect(fitsNodeAffinity({ disk: 'hdd' }, terms, n)).toBe(false);
    expect(fitsNodeAffinity({}, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w2'] }] }], n)).toBe(false);
    expect(fitsNodeAffinity({}, [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['w2'] }] }], n)).toBe(true);
    expect(fitsNodeAffinity({}, [{}], n)).toBe(false);
  });
  it('pins to the matchFields names only when every term names nodes', () => {
    expect(pinnedNodeNames([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }])).toEqual(new Set(['a']));
    expect(pinnedNodeNames([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }, { matchExpressions: [{ key: 'x', operator: 'Exists' }] }])).toBeUndefined();
    expect(pinnedNodeNames([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }, { key: 'metadata.name', operator: 'In', values: ['b'] }] }])).toEqual(new Set());
  });
});

describe('resources', () => {
  it('sums containers, takes the larger init container, adds sidecars and overhead', () => {
    const p = mkPod('p', {
      containers: [{ name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { name: 'b', resources: { requests: { cpu: '250m' } } }],
      initContainers: [
        { name: 'init', resources: { requests: { cpu: '1', memory: '1Mi' } } },
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
      ],
      overhead: { cpu: '10m' },
    });
    expect(podRequests(p)).toMatchObject({ milliCPU: 1010, memory: 64 * 1024 * 1024 });
    expect(podRequests(mkPod('q'), true)).toMatchObject({ milliCPU: 100, memory: 200 * 1024 * 1024 });
  });
  it('reports Too many pods and each insufficient resource', () => {
    const n = nodeInfo(node('w', { cpu: '1' }), [podInfo(mkPod('x', withCpu('600m')))]);
    expect(fitsRequest(podInfo(mkPod('y', withCpu('500m'))), n).map((r) => r.reason)).toEqual(['Insufficient cpu']);
    expect(fitsRequest(podInfo(mkPod('y', withCpu('400m'))), n)).toEqual([]);
    expect(fitsRequest(podInfo(mkPod('z', { containers: [{ name: 'g', resources: { requests: { 'nvidia.com/gpu': '1' } } }] })), n).map((r) => r.reason)).toEqual(['Insufficient nvidia.com/gpu']);
    expect(fitsRequest(podInfo(mkPod('y')), { ...n, allowedPodNumber: 1 }).map((r) => r.reason)).toEqual(['Too many pods']);
  });
  it('scores emptier nodes higher', () => {
    const empty = nodeInfo(node('a'), []);
    const busy = nodeInfo(node('b'), [podInfo(mkPod('x', withCpu('2')))]);
    const p = podInfo(mkPod('p'));
    expect(leastAllocatedScore(p, empty)).toBeGreaterThan(leastAllocatedScore(p, busy));
  });
  it('detects host port conflicts', () => {
    expect(fitsPorts([{ hostIP: '0.0.0.0', protocol: 'TCP', hostPort: 80 }], [{ hostIP: '10.0.0.1', protocol: 'TCP', hostPort: 80 }])).toBe(false);
    expect(fitsPorts([{ hostIP: '0.0.0.0', protocol: 'UDP', hostPort: 80 }], [{ hostIP: '0.0.0.0', protocol: 'TCP', hostPort: 80 }])).toBe(true);
  });
});

describe('spreading and selection', () => {
  it('normalises counts like PodTopologySpread', () => {
    expect(spreadScores([0, 0, 0])).toEqual([100, 100, 100]);
    expect(spreadScores([1, 0, 0])).toEqual([0, 100, 100]);
    expect(spreadScores([2, 1, 1])).toEqual([50, 100, 100]);
  });
  it('breaks ties with the random source, repeatably', () => {
    const pick = (seed: number) => selectHost([5, 7, 7, 7, 1], seededRandom(seed));
    expect([1, 2, 3]).toContain(pick(1));
    expect(pick(7)).toBe(pick(7));
    expect(selectHost([1, 9, 3], () => 0)).toBe(1);
  });
});

describe('FitError message', () => {
  it('counts reasons per node, sorts them as strings and appends the preemption result', () => {
    const nodeToStatus = new Map([
      ['cp', unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }')],
      ['w1', unschedulable('Insufficient cpu', 'Insufficient memory')],
      ['w2', unschedulable('Insufficient cpu')],
    ]);
    expect(fitErrorMessage({ numAllNodes: 3, nodeToStatus, postFilterMsg: 'preemption: x.' })).toBe(
      '0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: x.',
    );
  });
  it('schedules with the default profile and explains failures', () => {
    const nodes = [
      nodeInfo(node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }), []),
      nodeInfo(node('w1'), []),
      nodeInfo(node('w2', { unschedulable: true }), []),
    ];
    const rnd = seededRandom(1);
    expect(schedulePod(podInfo(mkPod('a')), nodes, rnd).node).toBe('w1');
    const r = schedulePod(podInfo(mkPod('b', { preemptionPolicy: 'Never', ...withCpu('8') })), nodes, rnd);
    expect(r.node).toBeUndefined();
    expect('message' in r && r.message).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });
});
