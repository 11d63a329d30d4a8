/**
 * What every simulated control-plane component gets: the store (its API: writes go through the
 * same pipeline and produce the same watch events a client sees), the registry, the clock and an
 * event recorder. Components are started with `start(ctx)` and return something to stop.
 */
import type { ResourceType } from '../apiserver/resource.js';
import type { Store } from '../apiserver/store.js';
import type { Clock } from '../clock.js';
import type { EventRecorder } from '../events.js';
import type { Registry } from '../registry/index.js';

export interface ControllerContext {
  store: Store;
  registry: Registry;
  clock: Clock;
  events: EventRecorder;
  /** a seeded random source (jitter, name suffixes) so runs under a ManualClock are repeatable */
  random: () => number;
}

export interface Component {
  stop(): void;
}

/** the resource type of a core/apps/batch… kind; throws when the registry lacks it */
export function kindOf(ctx: ControllerContext, group: string, kind: string): ResourceType {
  const rt = ctx.registry.forKind(group, kind);
  if (!rt) throw new Error(`the registry has no ${group ? `${group}/` : ''}${kind}`);
  return rt;
}

/** a small deterministic PRNG (mulberry32) */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
