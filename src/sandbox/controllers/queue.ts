/**
 * A work queue of keys with de-duplication, like client-go's workqueue: handlers `add(key)`, one
 * worker calls `sync(key)`; a failed sync is retried with exponential backoff on the clock.
 */
import type { Clock } from '../clock.js';

export class WorkQueue {
  private pending = new Set<string>();
  private running = false;
  private failures = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly name: string,
    private readonly clock: Clock,
    private readonly sync: (key: string) => Promise<void>,
  ) {}

  add(key: string): void {
    this.pending.add(key);
    if (!this.running) {
      this.running = true;
      queueMicrotask(() => void this.drain());
    }
  }

  /** resolves when the queue has nothing left to do right now */
  idle(): Promise<void> {
    if (!this.running && !this.pending.size) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async drain(): Promise<void> {
    while (this.pending.size) {
      const key = this.pending.values().next().value as string;
      this.pending.delete(key);
      try {
        await this.sync(key);
        this.failures.delete(key);
      } catch (err) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        const delay = Math.min(5 * 2 ** (n - 1), 1000_000);
        if (n === 1 || n % 10 === 0) console.error(`${this.name}: sync ${key} failed (retry ${n}):`, (err as Error).message ?? err);
        this.clock.after(delay, () => this.add(key));
      }
    }
    this.running = false;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }
}
