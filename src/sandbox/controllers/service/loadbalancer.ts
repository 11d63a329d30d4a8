/**
 * A stand-in for a cloud's service controller, behaving like Docker Desktop's: a Service of type
 * LoadBalancer gets `status.loadBalancer.ingress: [{hostname: localhost}]` (EXTERNAL-IP
 * `localhost` in `kubectl get svc`) a moment (~2 s) after it appears, with the service
 * controller's `EnsuringLoadBalancer` / `EnsuredLoadBalancer` events. As on Docker Desktop only
 * one LoadBalancer can hold a port: a second service asking for a port that is taken stays
 * `<pending>` until the port frees up. Changing the type away from LoadBalancer clears the status.
 */
import type { ResourceType } from '../../apiserver/resource.js';
import type { StoreEvent } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import type { Timer } from '../../clock.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';

const SOURCE = { component: 'service-controller' };
const FIELD_MANAGER = 'kube-controller-manager';
/** how long "provisioning" takes */
export const LOAD_BALANCER_DELAY_MS = 2000;
export const LOAD_BALANCER_HOSTNAME = 'localhost';

export interface LoadBalancerOptions {
  delayMs?: number;
  hostname?: string;
}

function key(o: KObject): string {
  return `${o.metadata.namespace}/${o.metadata.name}`;
}

function hasIngress(svc: KObject): boolean {
  return (svc.status?.loadBalancer?.ingress ?? []).length > 0;
}

function ports(svc: KObject): string[] {
  return (svc.spec?.ports ?? []).map((p: { port: number; protocol?: string }) => `${p.port}/${p.protocol ?? 'TCP'}`);
}

export class ServiceLoadBalancerController implements Component {
  readonly queue: WorkQueue;
  private readonly svcType: ResourceType;
  private readonly unsubscribe: () => void;
  /** services being "provisioned": key → the timer and the uid it is for */
  private readonly pending = new Map<string, { timer: Timer; uid: string }>();
  private readonly delayMs: number;
  private readonly hostname: string;

  constructor(private readonly ctx: ControllerContext, opts: LoadBalancerOptions = {}) {
    this.delayMs = opts.delayMs ?? LOAD_BALANCER_DELAY_MS;
    this.hostname = opts.hostname ?? LOAD_BALANCER_HOSTNAME;
    this.svcType = kindOf(ctx, '', 'Service');
    this.queue = new WorkQueue('service-controller', ctx.clock, (k) => this.sync(k));
    this.unsubscribe = ctx.store.subscribe((e) => this.onEvent(e));
    for (const svc of ctx.store.list(this.svcType, undefined).items) this.queue.add(key(svc));
  }

  stop(): void {
    this.unsubscribe();
    for (const p of this.pending.values()) p.timer.cancel();
    this.pending.clear();
  }

  private onEvent(e: StoreEvent): void {
    if (e.rt !== this.svcType) return;
    this.queue.add(key(e.object));
    // a load balancer going away may free a port another one waits for
    const wasLB = e.old?.spec?.type === 'LoadBalancer' || (e.type === 'DELETED' && e.object.spec?.type === 'LoadBalancer');
    if (wasLB && (e.type === 'DELETED' || e.object.spec?.type !== 'LoadBalancer' || ports(e.old!).join() !== ports(e.object).join())) {
      for (const svc of this.ctx.store.list(this.svcType, undefined).items) {
        if (svc.spec?.type === 'LoadBalancer' && !hasIngress(svc)) this.queue.add(key(svc));
      }
    }
  }

  async sync(k: string): Promise<void> {
    const i = k.indexOf('/');
    const namespace = k.slice(0, i);
    const name = k.slice(i + 1);
    const svc = this.ctx.store.tryGet(this.svcType, namespace, name);
    const pend = this.pending.get(k);
    if (!svc || svc.metadata.deletionTimestamp || svc.spec?.type !== 'LoadBalancer') {
      if (pend) {
        pend.timer.cancel();
        this.pending.delete(k);
      }
      if (svc && !svc.metadata.deletionTimestamp && hasIngress(svc)) {
        await this.ctx.events.record(svc, SOURCE, { type: 'Normal', reason: 'DeletingLoadBalancer', message: 'Deleting load balancer' });
        await this.writeIngress(svc, undefined);
        await this.ctx.events.record(svc, SOURCE, { type: 'Normal', reason: 'DeletedLoadBalancer', message: 'Deleted load balancer' });
      }
      return;
    }
    if (pend && pend.uid !== svc.metadata.uid) {
      pend.timer.cancel();
      this.pending.delete(k);
    }
    if (hasIngress(svc) || this.pending.has(k)) return;
    if (this.portTaken(svc)) return; // stays <pending>, like a second LoadBalancer on Docker Desktop
    const uid = svc.metadata.uid!;
    await this.ctx.events.record(svc, SOURCE, { type: 'Normal', reason: 'EnsuringLoadBalancer', message: 'Ensuring load balancer' });
    const timer = this.ctx.clock.after(this.delayMs, () => {
      void this.provision(k, uid).catch((err) => console.error('service-controller:', (err as Error).message ?? err));
    });
    this.pending.set(k, { timer, uid });
  }

  /** another LoadBalancer service already publishes one of these ports */
  private portTaken(svc: KObject): boolean {
    const mine = new Set(ports(svc));
    for (const other of this.ctx.store.list(this.svcType, undefined).items) {
      if (other.metadata.uid === svc.metadata.uid || other.spec?.type !== 'LoadBalancer') continue;
      if (!hasIngress(other) && !this.pending.has(key(other))) continue;
      if (ports(other).some((p) => mine.has(p))) return true;
    }
    return false;
  }

  private async provision(k: string, uid: string): Promise<void> {
    const p = this.pending.get(k);
    if (!p || p.uid !== uid) return;
    this.pending.delete(k);
    const [namespace, name] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
    const svc = this.ctx.store.tryGet(this.svcType, namespace, name);
    if (!svc || svc.metadata.uid !== uid || svc.spec?.type !== 'LoadBalancer' || svc.metadata.deletionTimestamp) return;
    const updated = await this.writeIngress(svc, [{ hostname: this.hostname }]);
    if (updated) await this.ctx.events.record(updated, SOURCE, { type: 'Normal', reason: 'EnsuredLoadBalancer', message: 'Ensured load balancer' });
  }

  private async writeIngress(svc: KObject, ingress: { hostname?: string; ip?: string }[] | undefined): Promise<KObject | undefined> {
    try {
      return await this.ctx.store.guaranteedUpdate(this.svcType, svc.metadata.namespace, svc.metadata.name!, (cur) => {
        if (cur.metadata.uid !== svc.metadata.uid) return cur;
        const lb = ingress ? { ingress } : {};
        return { ...cur, status: { ...(cur.status ?? {}), loadBalancer: lb } };
      }, { subresource: 'status', fieldManager: FIELD_MANAGER });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }
}

export function startServiceLoadBalancerController(ctx: ControllerContext, opts: LoadBalancerOptions = {}): ServiceLoadBalancerController {
  return new ServiceLoadBalancerController(ctx, opts);
}
