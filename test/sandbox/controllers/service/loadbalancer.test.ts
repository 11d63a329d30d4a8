import { afterEach, beforeEach, expect, it } from 'vitest';
import { startServiceLoadBalancerController, type ServiceLoadBalancerController } from '../../../../src/sandbox/controllers/service/index.js';
import { serviceExternalIP } from '../../../../src/sandbox/printers/service.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

let t: TestSandbox;
let lb: ServiceLoadBalancerController;
beforeEach(async () => {
  t = await startTestSandbox({ controllers: false });
  lb = t.sandbox.add(startServiceLoadBalancerController(t.sandbox.ctx)) as ServiceLoadBalancerController;
});
afterEach(async () => {
  await t.close();
});
const svcType = () => t.sandbox.ctx.registry.forKind('', 'Service')!;
const get = (name: string) => t.sandbox.ctx.store.get(svcType(), 'default', name);
const events = (name: string) => t.sandbox.ctx.store.list(t.sandbox.ctx.registry.forKind('', 'Event')!, 'default', {
  filter: (e) => e.involvedObject?.name === name,
}).items.map((e) => `${e.reason}: ${e.message} (${e.source.component})`);
async function settle(): Promise<void> {
  await t.clock.settle();
  await lb.queue.idle();
  await t.clock.settle();
}
const create = (name: string, port: number) => t.sandbox.ctx.store.create(svcType(), 'default', {
  apiVersion: 'v1', kind: 'Service', metadata: { name },
  spec: { type: 'LoadBalancer', selector: { run: 'kubia' }, ports: [{ port, targetPort: 8080 }] },
});

it('gives a LoadBalancer service the ingress hostname localhost after ~2 s', async () => {
  await create('kubia-http', 8080);
  await settle();
  expect(serviceExternalIP(get('kubia-http'))).toBe('<pending>');
  await t.clock.advance(2000);
  await settle();
  expect(get('kubia-http').status.loadBalancer).toEqual({ ingress: [{ hostname: 'localhost' }] });
  expect(serviceExternalIP(get('kubia-http'))).toBe('localhost');
  expect(events('kubia-http').sort()).toEqual([
    'EnsuredLoadBalancer: Ensured load balancer (service-controller)',
    'EnsuringLoadBalancer: Ensuring load balancer (service-controller)',
  ]);

  // a type change away from LoadBalancer clears it
  await t.sandbox.ctx.store.guaranteedUpdate(svcType(), 'default', 'kubia-http', (cur) => {
    const { allocateLoadBalancerNodePorts: _a, externalTrafficPolicy: _e, ...spec } = cur.spec;
    return { ...cur, spec: { ...spec, type: 'ClusterIP', ports: spec.ports.map(({ nodePort: _n, ...p }: { nodePort?: number }) => p) } };
  });
  await settle();
  expect(get('kubia-http').status.loadBalancer).toEqual({});
  expect(events('kubia-http')).toContain('DeletedLoadBalancer: Deleted load balancer (service-controller)');
});

it('leaves a second LoadBalancer on a taken port pending until the port is free', async () => {
  await create('first', 8080);
  await t.clock.advance(2000);
  await settle();
  await create('second', 8080);
  await t.clock.advance(5000);
  await settle();
  expect(serviceExternalIP(get('second'))).toBe('<pending>');
  await t.sandbox.ctx.store.delete(svcType(), 'default', 'first');
  await settle();
  await t.clock.advance(2000);
  await settle();
  expect(serviceExternalIP(get('second'))).toBe('localhost');
});
