import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../../src/sandbox/apiserver/types.js';
import { startEndpointSliceControllers, startEndpointsController, type EndpointSliceControllers, type EndpointsController } from '../../../../src/sandbox/controllers/endpoints/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { createPod, createService, setPodReady } from './helpers.js';

let t: TestSandbox;
let eps: EndpointsController;
let slices: EndpointSliceControllers;

beforeEach(async () => {
  t = await startTestSandbox({ controllers: false, seed: 7 });
  eps = t.sandbox.add(startEndpointsController(t.sandbox.ctx)) as EndpointsController;
  slices = t.sandbox.add(startEndpointSliceControllers(t.sandbox.ctx)) as EndpointSliceControllers;
});
afterEach(async () => {
  await t.close();
});

const ctx = () => t.sandbox.ctx;
const rt = (group: string, kind: string) => ctx().registry.forKind(group, kind)!;
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await t.clock.settle();
    await eps.queue.idle();
    await slices.idle();
  }
}
const endpoints = (name: string) => ctx().store.tryGet(rt('', 'Endpoints'), 'default', name);
const slicesOf = (name: string) =>
  ctx().store.list(rt('discovery.k8s.io', 'EndpointSlice'), 'default', { filter: (s) => s.metadata.labels?.['kubernetes.io/service-name'] === name }).items;
const ips = (addrs: { ip: string }[] | undefined) => (addrs ?? []).map((a) => a.ip).sort();

describe('endpoints controller', () => {
  it('lists the ready pods of a service with a selector', async () => {
    await createService(ctx(), 'kubia', { selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] }, { app: 'kubia' });
    for (const [i, name] of ['kubia-a', 'kubia-b', 'kubia-c'].entries()) await createPod(ctx(), name, { app: 'kubia' }, { ip: `10.244.1.${i + 2}` });
    await createPod(ctx(), 'other', { app: 'other' }, { ip: '10.244.1.9' });
    await settle();
    const ep = endpoints('kubia')!;
    expect(ep.subsets).toHaveLength(1);
    expect(ips(ep.subsets[0].addresses)).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4']);
    expect(ep.subsets[0].notReadyAddresses).toBeUndefined();
    expect(ep.subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    const a = ep.subsets[0].addresses.find((x: { ip: string }) => x.ip === '10.244.1.2');
    expect(a.nodeName).toBe('kube-tutor-worker');
    expect(a.targetRef).toMatchObject({ kind: 'Pod', namespace: 'default', name: 'kubia-a' });
    expect(a.targetRef.uid).toBeTruthy();
    expect(ep.metadata.labels).toEqual({ app: 'kubia' });
    expect(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(/^2026-11-27T12:00:00/);

    // the slice controller: one slice with three ready endpoints
    const [slice, ...rest] = slicesOf('kubia');
    expect(rest).toHaveLength(0);
    expect(slice.metadata.name).toMatch(/^kubia-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice.metadata.generateName).toBe('kubia-');
    expect(slice.metadata.labels).toMatchObject({ 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': 'kubia', app: 'kubia' });
    expect(slice.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'kubia', controller: true, blockOwnerDeletion: true });
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints.map((e: { addresses: string[] }) => e.addresses[0])).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4']);
    expect(slice.endpoints[0]).toMatchObject({ conditions: { ready: true, serving: true, terminating: false }, nodeName: 'kube-tutor-worker', targetRef: { kind: 'Pod', name: 'kubia-a' } });
  });

  it('moves a pod that stops being ready to notReadyAddresses, and back', async () => {
    await createService(ctx(), 'kubia', { selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] });
    await createPod(ctx(), 'kubia-a', { app: 'kubia' }, { ip: '10.244.1.2' });
    await createPod(ctx(), 'kubia-b', { app: 'kubia' }, { ip: '10.244.1.3' });
    await settle();
    await setPodReady(ctx(), 'kubia-b', false);
    await settle();
    let ep = endpoints('kubia')!;
    expect(ep.subsets).toHaveLength(1);
    expect(ips(ep.subsets[0].addresses)).toEqual(['10.244.1.2']);
    expect(ips(ep.subsets[0].notReadyAddresses)).toEqual(['10.244.1.3']);
    const eb = slicesOf('kubia')[0].endpoints.find((e: { addresses: string[] }) => e.addresses[0] === '10.244.1.3');
    expect(eb.conditions).toEqual({ ready: false, serving: false, terminating: false });

    await setPodReady(ctx(), 'kubia-b', true);
    await settle();
    ep = endpoints('kubia')!;
    expect(ips(ep.subsets[0].addresses)).toEqual(['10.244.1.2', '10.244.1.3']);
    expect(ep.subsets[0].notReadyAddresses).toBeUndefined();
  });

  it('publishNotReadyAddresses lists unready pods as ready', async () => {
    await createService(ctx(), 'kubia', { selector: { app: 'kubia' }, publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] });
    await createPod(ctx(), 'kubia-a', { app: 'kubia' }, { ip: '10.244.1.2', ready: false });
    await settle();
    expect(ips(endpoints('kubia')!.subsets[0].addresses)).toEqual(['10.244.1.2']);
    expect(slicesOf('kubia')[0].endpoints[0].conditions).toEqual({ ready: true, serving: false, terminating: false });
  });

  it('resolves a named targetPort per pod and skips pods without that port', async () => {
    await createService(ctx(), 'kubia', { selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 'http' }] });
    await createPod(ctx(), 'kubia-a', { app: 'kubia' }, { ip: '10.244.1.2', ports: [{ name: 'http', containerPort: 8080 }] });
    await createPod(ctx(), 'kubia-b', { app: 'kubia' }, { ip: '10.244.1.3', ports: [{ name: 'http', containerPort: 9090 }] });
    await createPod(ctx(), 'kubia-c', { app: 'kubia' }, { ip: '10.244.1.4', ports: [{ name: 'web', containerPort: 8080 }] });
    await settle();
    const subsets = endpoints('kubia')!.subsets;
    expect(subsets).toHaveLength(2);
    const byPort = Object.fromEntries(subsets.map((s: { ports: { port: number }[]; addresses: { ip: string }[] }) => [s.ports[0].port, ips(s.addresses)]));
    expect(byPort).toEqual({ 8080: ['10.244.1.2'], 9090: ['10.244.1.3'] });
    // slices group by port set; the pod without the port sits in a slice without ports
    const sl = slicesOf('kubia');
    const ports = sl.map((s) => (s.ports ?? []).map((p: { port: number }) => p.port).join(',')).sort();
    expect(ports).toEqual(['', '8080', '9090']);
  });

  it('handles multi-port services', async () => {
    await createService(ctx(), 'kubia', {
      selector: { app: 'kubia' },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 'https' }],
    });
    await createPod(ctx(), 'kubia-a', { app: 'kubia' }, { ip: '10.244.1.2', ports: [{ containerPort: 8080 }, { name: 'https', containerPort: 8443 }] });
    await createPod(ctx(), 'kubia-b', { app: 'kubia' }, { ip: '10.244.1.3', ports: [{ containerPort: 8080 }, { name: 'https', containerPort: 8443 }] });
    await settle();
    const subsets = endpoints('kubia')!.subsets;
    expect(subsets).toHaveLength(1);
    expect(ips(subsets[0].addresses)).toEqual(['10.244.1.2', '10.244.1.3']);
    expect(subsets[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }]);
    const [slice] = slicesOf('kubia');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }]);
  });

  it('leaves terminating pods out of Endpoints but keeps them in slices as terminating', async () => {
    await createService(ctx(), 'kubia', { selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] });
    await createPod(ctx(), 'kubia-a', { app: 'kubia' }, { ip: '10.244.1.2' });
    await createPod(ctx(), 'kubia-b', { app: 'kubia' }, { ip: '10.244.1.3' });
    await settle();
    await ctx().store.delete(rt('', 'Pod'), 'default', 'kubia-b');
    await settle();
    expect(ips(endpoints('kubia')!.subsets[0].addresses)).toEqual(['10.244.1.2']);
    const eb = slicesOf('kubia')[0].endpoints.find((e: { addresses: string[] }) => e.addresses[0] === '10.244.1.3');
    expect(eb.conditions).toEqual({ ready: false, serving: true, terminating: true });
  });

  it('keeps an empty Endpoints and a placeholder slice for a service without pods, and cleans up on delete', async () => {
    await createService(ctx(), 'kubia', { selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] });
    await settle();
    expect(endpoints('kubia')).toBeDefined();
    expect(endpoints('kubia')!.subsets).toBeUndefined();
    const [placeholder] = slicesOf('kubia');
    expect(placeholder.endpoints).toEqual([]);
    expect(placeholder.ports).toBeUndefined();
    await ctx().store.delete(rt('', 'Service'), 'default', 'kubia');
    await settle();
    expect(endpoints('kubia')).toBeUndefined();
    expect(slicesOf('kubia')).toHaveLength(0);
  });

  it('keeps and mirrors hand-made Endpoints of a selector-less service', async () => {
    await createService(ctx(), 'external-service', { ports: [{ port: 80 }] });
    await ctx().store.create(rt('', 'Endpoints'), 'default', {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-service' },
      subsets: [{ addresses: [{ ip: '11.11.11.11' }, { ip: '22.22.22.22' }], ports: [{ port: 80 }] }],
    });
    await settle();
    await t.clock.advance(60_000);
    await settle();
    const ep = endpoints('external-service')!;
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '11.11.11.11' }, { ip: '22.22.22.22' }], ports: [{ port: 80, protocol: 'TCP' }] }].map((s) => ({ ...s, ports: ep.subsets[0].ports })));
    expect(ips(ep.subsets[0].addresses)).toEqual(['11.11.11.11', '22.22.22.22']);
    const sl = slicesOf('external-service');
    expect(sl).toHaveLength(1);
    expect(sl[0].metadata.name).toMatch(/^external-service-[a-z0-9]{5}$/);
    expect(sl[0].metadata.labels).toMatchObject({ 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io', 'kubernetes.io/service-name': 'external-service' });
    expect(sl[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Endpoints', name: 'external-service', controller: true });
    expect(sl[0].endpoints.map((e: KObject) => [e.addresses[0], e.conditions.ready])).toEqual([['11.11.11.11', true], ['22.22.22.22', true]]);
    expect(sl[0].ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);

    // editing the Endpoints updates the mirror; deleting them removes it
    await ctx().store.guaranteedUpdate(rt('', 'Endpoints'), 'default', 'external-service', (cur) => ({
      ...cur, subsets: [{ addresses: [{ ip: '33.33.33.33' }], ports: [{ port: 80 }] }],
    }));
    await settle();
    expect(slicesOf('external-service')[0].endpoints.map((e: KObject) => e.addresses[0])).toEqual(['33.33.33.33']);
    await ctx().store.delete(rt('', 'Endpoints'), 'default', 'external-service');
    await settle();
    expect(slicesOf('external-service')).toHaveLength(0);
  });

  it('does not mirror default/kubernetes and leaves the bootstrap objects as they are', async () => {
    await settle();
    const dns = ctx().store.list(rt('discovery.k8s.io', 'EndpointSlice'), 'kube-system').items;
    expect(dns).toHaveLength(1);
    expect(dns[0].metadata.resourceVersion).toBeDefined();
    const kubeSlices = slicesOf('kubernetes');
    expect(kubeSlices.map((s) => s.metadata.name)).toEqual(['kubernetes']);
    const dnsEp = ctx().store.get(rt('', 'Endpoints'), 'kube-system', 'kube-dns');
    expect(dnsEp.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBe('2026-11-27T12:00:00Z');
  });
});
