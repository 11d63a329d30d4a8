/**
 * Recording core/v1 Events the way kube components do (client-go's event recorder): one Event
 * per (object, reason, message, source), repeated occurrences bump `count` and `lastTimestamp`
 * instead of creating new objects. Names are `<object name>.<hex unix nanoseconds>`, as client-go names them.
 */
import { StatusError } from './apiserver/errors.js';
import type { ResourceType } from './apiserver/resource.js';
import { apiVersionOf } from './apiserver/resource.js';
import type { Store } from './apiserver/store.js';
import type { KObject } from './apiserver/types.js';
import { rfc3339 } from './clock.js';
import type { Registry } from './registry/index.js';

export interface EventSource {
  /** e.g. `default-scheduler`, `kubelet`, `replicationcontroller-controller` */
  component: string;
  /** the node for kubelet events */
  host?: string;
}

export interface EventRecord {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** `spec.containers{kubia}` for container events */
  fieldPath?: string;
  /** the action, for events.k8s.io consumers (`Scheduling`, `Binding` …); optional */
  action?: string;
}

export class EventRecorder {
  private readonly eventsType: ResourceType;
  /** aggregation key → event name, so repeats update one object */
  private readonly seen = new Map<string, { namespace: string; name: string }>();
  /** writes are serialised per key so concurrent repeats don't race */
  private chain = Promise.resolve();
  /** the last event name's timestamp, in nanoseconds */
  private lastNanos = 0n;

  constructor(private readonly store: Store, registry: Registry) {
    this.eventsType = registry.forKind('', 'Event')!;
  }

  /** record an event about `obj`; never throws (events are best effort, as in kube) */
  record(obj: KObject, source: EventSource, e: EventRecord): Promise<void> {
    const p = this.chain.then(() => this.write(obj, source, e)).catch((err) => {
      if (!(err instanceof StatusError)) console.error('event recorder:', err);
    });
    this.chain = p;
    return p;
  }

  private async write(obj: KObject, source: EventSource, e: EventRecord): Promise<void> {
    const m = obj.metadata;
    const namespace = m.namespace || 'default';
    const involvedObject: Record<string, unknown> = {
      kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion,
      resourceVersion: m.resourceVersion,
    };
    if (!m.namespace) delete involvedObject.namespace;
    if (e.fieldPath) involvedObject.fieldPath = e.fieldPath;
    const key = [m.uid, e.fieldPath ?? '', e.type, e.reason, e.message, source.component, source.host ?? ''].join('\u0000');
    const now = this.store.clock.now();
    const ts = rfc3339(now);
    const prev = this.seen.get(key);
    if (prev) {
      const cur = this.store.tryGet(this.eventsType, prev.namespace, prev.name);
      if (cur) {
        await this.store.guaranteedUpdate(this.eventsType, prev.namespace, prev.name, (ev) => ({
          ...ev, count: (ev.count ?? 1) + 1, lastTimestamp: ts,
        }), { fieldManager: source.component });
        return;
      }
    }
    // like client-go's recorder: `<name>.<unix nanoseconds in hex>` (unique: nanoseconds only grow here)
    const nanos = BigInt(now) * 1_000_000n;
    this.lastNanos = nanos > this.lastNanos ? nanos : this.lastNanos + 1n;
    const name = `${m.name}.${this.lastNanos.toString(16)}`;
    this.seen.set(key, { namespace, name });
    await this.store.create(this.eventsType, namespace, {
      apiVersion: apiVersionOf(this.eventsType), kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason: e.reason,
      message: e.message,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type: e.type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
      ...(e.action ? { action: e.action } : {}),
    }, { fieldManager: source.component });
  }
}
