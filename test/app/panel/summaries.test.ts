/**
 * What the panel keeps of each object: a pod's STATUS word and colour (Running, Pending,
 * ContainerCreating, CrashLoopBackOff, Init:…, Completed, Terminating …), restarts and owner;
 * controllers' counts; services' ports and IPs; EndpointSlice addresses.
 */
import { describe, expect, it } from 'vitest';
import { podStatus, statusTone } from '../../../src/app/panel/pod-status.js';
import { summarizeController, summarizeEndpointSlice, summarizeNode, summarizePod, summarizeService } from '../../../src/app/panel/summaries.js';

/** a pod with the given container statuses */
function pod(statuses: object[], extra: { phase?: string; deleting?: boolean; init?: object[]; reason?: string; conditions?: object[] } = {}) {
  return {
    metadata: { name: 'p', uid: 'u1', ...(extra.deleting ? { deletionTimestamp: '2026-11-27T12:00:00Z' } : {}) },
    spec: { nodeName: 'w1', containers: statuses.map((_, i) => ({ name: `c${i}` })), initContainers: (extra.init ?? []).map((_, i) => ({ name: `i${i}` })) },
    status: {
      phase: extra.phase ?? 'Running',
      reason: extra.reason,
      conditions: extra.conditions,
      containerStatuses: statuses,
      initContainerStatuses: extra.init,
    },
  };
}
const running = (ready = true, restartCount = 0) => ({ ready, restartCount, state: { running: { startedAt: 'x' } } });
const waiting = (reason: string, restartCount = 0) => ({ ready: false, restartCount, state: { waiting: { reason } } });
const terminated = (reason: string | undefined, exitCode: number) => ({ ready: false, restartCount: 0, state: { terminated: { reason, exitCode } } });

describe('pod status word', () => {
  it('reads the phase, the containers and the deletion mark', () => {
    expect(podStatus(pod([running()]))).toBe('Running');
    expect(podStatus(pod([], { phase: 'Pending' }))).toBe('Pending');
    expect(podStatus(pod([waiting('ContainerCreating')], { phase: 'Pending' }))).toBe('ContainerCreating');
    expect(podStatus(pod([waiting('CrashLoopBackOff', 4)]))).toBe('CrashLoopBackOff');
    expect(podStatus(pod([waiting('ImagePullBackOff')], { phase: 'Pending' }))).toBe('ImagePullBackOff');
    expect(podStatus(pod([terminated('Completed', 0)], { phase: 'Succeeded' }))).toBe('Completed');
    expect(podStatus(pod([terminated('Error', 1)], { phase: 'Failed' }))).toBe('Error');
    expect(podStatus(pod([terminated(undefined, 137)], { phase: 'Failed' }))).toBe('ExitCode:137');
    expect(podStatus(pod([running()], { deleting: true }))).toBe('Terminating');
    expect(podStatus(pod([], { phase: 'Failed', reason: 'Evicted' }))).toBe('Evicted');
  });
  it('counts init containers first', () => {
    expect(podStatus(pod([waiting('PodInitializing')], { phase: 'Pending', init: [{ state: { running: {} } }] }))).toBe('Init:0/1');
    expect(podStatus(pod([waiting('PodInitializing')], { phase: 'Pending', init: [{ state: { terminated: { exitCode: 0 } } }, { state: { waiting: { reason: 'PodInitializing' } } }] }))).toBe('Init:1/2');
    expect(podStatus(pod([], { phase: 'Pending', init: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }] }))).toBe('Init:CrashLoopBackOff');
    expect(podStatus(pod([], { phase: 'Pending', init: [{ state: { terminated: { exitCode: 2 } } }] }))).toBe('Init:ExitCode:2');
  });
  it('a finished sidecar next to a running container is still Running when the pod is ready', () => {
    const ready = [{ type: 'Ready', status: 'True' }];
    expect(podStatus(pod([terminated('Completed', 0), running()], { conditions: ready }))).toBe('Running');
    expect(podStatus(pod([terminated('Completed', 0), running()], { conditions: [] }))).toBe('NotReady');
  });
  it('colours: healthy green, on its way yellow, broken red, finished dim', () => {
    expect(statusTone('Running', true)).toBe('ok');
    expect(statusTone('Running', false)).toBe('warn');
    for (const s of ['Pending', 'ContainerCreating', 'PodInitializing', 'Terminating', 'Init:0/1']) expect(statusTone(s, false)).toBe('warn');
    for (const s of ['CrashLoopBackOff', 'Error', 'ErrImagePull', 'ImagePullBackOff', 'Unknown', 'Init:Error', 'NotReady']) expect(statusTone(s, false)).toBe('bad');
    expect(statusTone('Completed', false)).toBe('dim');
  });
});

describe('summaries', () => {
  it('a pod: node, readiness, restarts (init containers too), owner, IP', () => {
    const p = pod([running(true, 2), running(false, 1)]);
    Object.assign(p.metadata, { ownerReferences: [{ kind: 'ReplicaSet', name: 'rs1', uid: 'rs-uid', controller: true }] });
    Object.assign(p.status, { podIP: '10.244.1.5', initContainerStatuses: [{ restartCount: 1, state: { terminated: { exitCode: 0 } } }] });
    expect(summarizePod(p)).toEqual({
      name: 'p', uid: 'u1', node: 'w1', status: 'Running', tone: 'warn', ready: 1, containers: 2, restarts: 4,
      owner: { kind: 'ReplicaSet', name: 'rs1', uid: 'rs-uid' }, ip: '10.244.1.5',
    });
  });
  it('a node: Ready condition and cordon', () => {
    const n = { metadata: { name: 'w1' }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }] } };
    expect(summarizeNode(n)).toEqual({ name: 'w1', ready: false, unschedulable: true });
  });
  it('controllers: desired and ready per kind', () => {
    const meta = { name: 'x', uid: 'x1' };
    expect(summarizeController('Deployment')({ metadata: meta, spec: { replicas: 3 }, status: { readyReplicas: 2 } })).toMatchObject({ desired: 3, ready: 2 });
    expect(summarizeController('ReplicationController')({ metadata: meta, spec: {}, status: {} })).toMatchObject({ desired: 1, ready: 0 });
    expect(summarizeController('DaemonSet')({ metadata: meta, status: { desiredNumberScheduled: 2, numberReady: 2 } })).toMatchObject({ desired: 2, ready: 2 });
    expect(summarizeController('Job')({ metadata: meta, spec: { completions: 5 }, status: { succeeded: 3 } })).toMatchObject({ desired: 5, ready: 3 });
    const cron = summarizeController('CronJob')({ metadata: meta, spec: { schedule: '*/15 * * * *' }, status: { active: [{}] } });
    expect(cron).toMatchObject({ ready: 1, schedule: '*/15 * * * *' });
    expect(cron.desired).toBeUndefined();
  });
  it('a service: type, IPs and ports; an EndpointSlice: addresses with readiness and pods', () => {
    const svc = {
      metadata: { name: 'kubia' },
      spec: { type: 'LoadBalancer', clusterIP: '10.96.0.9', ports: [{ port: 80, targetPort: 8080, nodePort: 30123, protocol: 'TCP' }, { port: 443, targetPort: 443 }] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } },
    };
    expect(summarizeService(svc)).toEqual({
      name: 'kubia', type: 'LoadBalancer', clusterIP: '10.96.0.9', externalIP: '203.0.113.7', externalName: undefined,
      ports: [{ port: 80, targetPort: '8080', nodePort: 30123, protocol: 'TCP' }, { port: 443, targetPort: undefined, nodePort: undefined, protocol: 'TCP' }],
    });
    const slice = {
      metadata: { name: 'kubia-abc', labels: { 'kubernetes.io/service-name': 'kubia' } },
      endpoints: [
        { addresses: ['10.244.1.5'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'kubia-1' } },
        { addresses: ['10.244.2.3'], conditions: { ready: false } },
      ],
      ports: [{ port: 8080 }],
    };
    expect(summarizeEndpointSlice(slice)).toEqual({
      name: 'kubia-abc', service: 'kubia', ports: [8080],
      addresses: [{ ip: '10.244.1.5', ready: true, pod: 'kubia-1' }, { ip: '10.244.2.3', ready: false, pod: undefined }],
    });
  });
});
