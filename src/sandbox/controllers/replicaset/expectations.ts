/**
 * Controller expectations (client-go's UIDTrackingControllerExpectations, simplified): before a
 * controller creates or deletes pods it records how many adds and which deletions it expects to
 * see; `sync` only acts again once every expected change has been observed through the watch (or
 * the expectations have expired), so nothing is created or deleted twice.
 */
import type { Clock } from '../../clock.js';

/** expectations older than this are ignored (kube: 5 minutes) */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Entry {
  adds: number;
  deletes: Set<string>;
  at: number;
}

export class Expectations {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** true when the controller may act on `key` */
  satisfied(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.entries.set(key, { adds: n, deletes: new Set(), at: this.clock.now() });
  }

  /** `podKeys` are namespace/name of the pods about to be deleted */
  expectDeletions(key: string, podKeys: string[]): void {
    this.entries.set(key, { adds: 0, deletes: new Set(podKeys), at: this.clock.now() });
  }

  creationObserved(key: string, n = 1): void {
    const e = this.entries.get(key);
    if (e) e.adds -= n;
  }

  deletionObserved(key: string, podKey: string): void {
    this.entries.get(key)?.deletes.delete(podKey);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
