/**
 * Small helpers the workload controllers share (the Job, DaemonSet and CronJob controllers):
 * client-go-style controller expectations, generated names from the seeded random source,
 * pod-state predicates and a per-key delayed requeue on the sandbox clock.
 */
import { StatusError } from '../../apiserver/errors.js';
import type { KObject, OwnerReference } from '../../apiserver/types.js';
import type { Timer } from '../../clock.js';
import type { ControllerContext } from '../context.js';

/** How long unobserved expectations are trusted before a sync goes ahead anyway (kube: 5 min). */
const EXPECTATIONS_TTL_MS = 5 * 60_000;

/**
 * ControllerExpectations: a controller records how many creations/deletions it issued for a key
 * and skips managing that key until the watch has shown them all, so a sync that runs before its
 * own writes are visible never creates (or deletes) twice.
 */
export class Expectations {
  private readonly byKey = new Map<string, { add: number; del: number; at: number }>();

  constructor(private readonly now: () => number) {}

  expectCreations(key: string, n: number): void {
    this.expect(key, n, 0);
  }

  expect(key: string, add: number, del: number): void {
    this.byKey.set(key, { add, del, at: this.now() });
  }

  expectDeletions(key: string, n: number): void {
    this.byKey.set(key, { add: 0, del: n, at: this.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.del--;
  }

  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    return (e.add <= 0 && e.del <= 0) || this.now() - e.at > EXPECTATIONS_TTL_MS;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}

/** Delayed re-syncs per key on the clock: keeps the earliest pending one. */
export class Requeuer {
  private readonly timers = new Map<string, { at: number; timer: Timer }>();

  constructor(private readonly ctx: ControllerContext, private readonly add: (key: string) => void) {}

  after(key: string, ms: number): void {
    const at = this.ctx.clock.now() + Math.max(0, ms);
    const cur = this.timers.get(key);
    if (cur && cur.at <= at && cur.at >= this.ctx.clock.now()) return;
    cur?.timer.cancel();
    const timer = this.ctx.clock.after(Math.max(0, ms), () => {
      if (this.timers.get(key)?.timer === timer) this.timers.delete(key);
      this.add(key);
    });
    this.timers.set(key, { at, timer });
  }

  cancel(key: string): void {
    this.timers.get(key)?.timer.cancel();
    this.timers.delete(key);
  }

  stop(): void {
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
  }
}

/** the alphabet of apimachinery's rand.String (no vowels, no confusables) */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `<base>-xxxxx` like metadata.generateName, with the suffix from the seeded random source */
export function generateName(base: string, random: () => number): string {
  const prefix = `${base}-`.slice(0, 58);
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return prefix + s;
}

export function controllerRefOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function controllerRef(owner: KObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function isTerminal(pod: KObject): boolean {
  const p = pod.status?.phase;
  return p === 'Succeeded' || p === 'Failed';
}

/** controller.IsPodActive: not finished and not being deleted */
export function isPodActive(pod: KObject): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function isPodTerminating(pod: KObject): boolean {
  return !isTerminal(pod) && !!pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds */
export function isPodAvailable(pod: KObject, minReadySeconds: number, now: number): boolean {
  const ready = (pod.status?.conditions ?? []).find((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  if (!minReadySeconds) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
  return since + minReadySeconds * 1000 <= now;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof StatusError && err.code === 404;
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof StatusError && err.code === 409 && err.status?.reason === 'AlreadyExists';
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** the manager name kube-controller-manager's controllers write with */
export const FIELD_MANAGER = 'kube-controller-manager';
