/**
 * The sandbox's one source of time. Everything that waits (grace periods, probe periods,
 * backoffs, cron ticks) schedules on a Clock, so tests drive a ManualClock and never sleep,
 * and `serve --speed X` runs simulated time X times faster than the wall clock.
 */

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** current simulated time in epoch milliseconds */
  now(): number;
  /** run `fn` once `ms` of simulated time has passed */
  after(ms: number, fn: () => void): Timer;
}

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A min-heap of pending timers ordered by due time, then by scheduling order. */
class TimerQueue {
  private heap: Pending[] = [];
  private seq = 0;

  push(at: number, fn: () => void): Pending {
    const p: Pending = { at, seq: this.seq++, fn, cancelled: false };
    const h = this.heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
    return p;
  }

  peek(): Pending | undefined {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    return this.heap[0];
  }

  pop(): Pending | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }

  get size(): number {
    return this.heap.filter((p) => !p.cancelled).length;
  }

  private less(a: Pending, b: Pending): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer due within the window
 * in time order (timers scheduled while advancing fire too if they fall inside the window);
 * `settle()` additionally lets promise callbacks run between timers so async work completes.
 */
export class ManualClock implements Clock {
  private current: number;
  private queue = new TimerQueue();

  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): Timer {
    const p = this.queue.push(this.current + Math.max(0, ms), fn);
    return { cancel: () => { p.cancelled = true; } };
  }

  /** move time forward by `ms`, firing due timers in order, letting microtasks run between them */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms);
    for (;;) {
      await flushMicrotasks();
      const next = this.queue.peek();
      if (!next || next.at > target) break;
      this.queue.pop();
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** run all timers due now and pending async work until nothing changes */
  async settle(): Promise<void> {
    await this.advance(0);
  }

  /** number of timers still pending */
  get pending(): number {
    return this.queue.size;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Wall-clock time scaled by `speed`, plus an offset that `warp(ms)` moves forward
 * (`kube-tutor sandbox warp 15m`). Timers are real timers scaled by speed; a warp fires every
 * timer that becomes due at once.
 */
export class ScaledClock implements Clock {
  private origin = Date.now();
  private offset = 0;
  private queue = new TimerQueue();
  private handle: NodeJS.Timeout | undefined;

  constructor(private speed = 1) {
    if (!(speed > 0)) throw new Error('speed must be > 0');
  }

  get currentSpeed(): number {
    return this.speed;
  }

  /** run simulated time at a new speed from now on (time does not jump; pending timers re-arm) */
  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error('speed must be a positive number');
    const now = this.now();
    this.origin = Date.now();
    this.offset = now - this.origin;
    this.speed = speed;
    this.arm();
  }

  now(): number {
    return Math.floor(this.origin + (Date.now() - this.origin) * this.speed + this.offset);
  }

  after(ms: number, fn: () => void): Timer {
    const p = this.queue.push(this.now() + Math.max(0, ms), fn);
    this.arm();
    return { cancel: () => { p.cancelled = true; } };
  }

  /**
   * Jump simulated time forward. Timers due in the window fire one by one at their own due
   * times (and the work they start settles in between), so periodic work — heartbeats, health
   * checks — sees time pass in order instead of all at once.
   */
  async warp(ms: number): Promise<void> {
    const target = this.now() + Math.max(0, ms);
    for (;;) {
      await flushMicrotasks();
      const next = this.queue.peek();
      if (!next || next.at > target) break;
      this.queue.pop();
      if (next.at > this.now()) this.offset += next.at - this.now();
      try {
        next.fn();
      } catch (err) {
        console.error('timer failed:', err);
      }
    }
    if (target > this.now()) this.offset += target - this.now();
    await flushMicrotasks();
    this.arm();
  }

  /** stop the wall timer (for shutdown) */
  stop(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
  }

  private fireDue(): void {
    // fire what is due now, then yield: at very high speeds timers re-schedule themselves
    // faster than they run, and looping until "nothing is due" would never return
    const limit = this.now();
    for (;;) {
      const next = this.queue.peek();
      if (!next || next.at > limit) break;
      this.queue.pop();
      try {
        next.fn();
      } catch (err) {
        console.error('timer failed:', err);
      }
    }
    this.arm();
  }

  private arm(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    const next = this.queue.peek();
    if (!next) return;
    const wait = Math.max(0, (next.at - this.now()) / this.speed);
    this.handle = setTimeout(() => this.fireDue(), Math.min(wait, 2 ** 31 - 1));
    this.handle.unref?.();
  }
}

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime (events' eventTime, leases) */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** parse durations like `15m`, `1h30m`, `90s`, `2d` into milliseconds */
export function parseDuration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    total += parseFloat(m[1]) * units[m[2]];
    consumed += m[0].length;
  }
  if (!s || consumed !== s.length) throw new Error(`invalid duration "${s}" (use e.g. 90s, 15m, 1h30m, 2d)`);
  return total;
}
