/**
 * ClusterWatch: the live cluster panel's model. It lists and watches, on whatever cluster the
 * kubectl Session points at, the nodes and — in the session's current namespace — pods, services,
 * EndpointSlices and the controllers (Deployments, ReplicaSets, ReplicationControllers,
 * DaemonSets, StatefulSets, Jobs, CronJobs), keeping a small summary of each object.
 *
 * Each resource runs its own list → watch loop: a watch that ends is followed by a fresh list, a
 * failure waits with a growing backoff (no tight loop when the cluster is unreachable), and a
 * 401/403/404 just leaves that resource empty (RBAC on a real cluster) and is retried rarely.
 * When the namespace or the kubeconfig changes the loops are restarted; close() aborts them.
 *
 * For React it is an external store: subscribe(fn) and getSnapshot(), whose result is immutable
 * and changes identity only when a summary changed; bursts of events are coalesced into one
 * snapshot per `coalesceMs`.
 */
import { ApiClient, type WatchEvent } from '../kubectl/client/api.js';
import { ServerError } from '../kubectl/client/errors.js';
import { warningContext } from '../kubectl/client/warnings.js';
import type { ApiResource } from '../kubectl/resource/discovery.js';
import type { Session } from '../kubectl/session.js';
import { ALL_SECTIONS, CONTROLLER_SECTIONS, emptyState, type ClusterState, type SectionKey, type SectionStatus } from './panel/state.js';
import {
  summarizeController,
  summarizeEndpointSlice,
  summarizeNode,
  summarizePod,
  summarizeService,
  type ControllerSummary,
  type EndpointSliceSummary,
  type NodeSummary,
  type PodSummary,
  type ServiceSummary,
} from './panel/summaries.js';

export type { ClusterState, SectionKey, SectionStatus } from './panel/state.js';

export interface ClusterWatchOptions {
  session: Session;
  /** the namespace to show (default: the session's — the lesson's namespace, else the context's) */
  namespace?: () => string;
  /** at most one snapshot per this many ms (default 100) */
  coalesceMs?: number;
  /** backoff after a failure, doubling from min to max ms (default 1 s … 30 s); max is also the retry period for forbidden resources */
  retryMs?: { min: number; max: number };
  /** how often to look for a namespace or kubeconfig change (default 1000 ms; sync() looks at once) */
  pollMs?: number;
}

type Summary = NodeSummary | PodSummary | ControllerSummary | ServiceSummary | EndpointSliceSummary;

interface Watched {
  key: SectionKey;
  group: string;
  resource: string;
  summarize(obj: any): Summary;
}

const CONTROLLER_KINDS = {
  deployments: { group: 'apps', kind: 'Deployment' },
  replicasets: { group: 'apps', kind: 'ReplicaSet' },
  replicationcontrollers: { group: '', kind: 'ReplicationController' },
  daemonsets: { group: 'apps', kind: 'DaemonSet' },
  statefulsets: { group: 'apps', kind: 'StatefulSet' },
  jobs: { group: 'batch', kind: 'Job' },
  cronjobs: { group: 'batch', kind: 'CronJob' },
} as const;

const WATCHED: readonly Watched[] = [
  { key: 'nodes', group: '', resource: 'nodes', summarize: summarizeNode },
  { key: 'pods', group: '', resource: 'pods', summarize: summarizePod },
  { key: 'services', group: '', resource: 'services', summarize: summarizeService },
  { key: 'endpointslices', group: 'discovery.k8s.io', resource: 'endpointslices', summarize: summarizeEndpointSlice },
  ...CONTROLLER_SECTIONS.map((key) => ({ key, group: CONTROLLER_KINDS[key].group, resource: key, summarize: summarizeController(CONTROLLER_KINDS[key].kind) })),
];

/** a watch stream said ERROR (e.g. 410 Gone): list again */
class RelistNeeded extends Error {}

/** summaries of one resource by name, each with its serialized form to tell real changes apart */
type Entries = Map<string, { summary: Summary; json: string }>;

/** wait `ms` (wall clock) unless `signal` aborts first; never keeps the process alive */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class ClusterWatch {
  private readonly coalesceMs: number;
  private readonly retry: { min: number; max: number };
  private readonly entries = new Map<SectionKey, Entries>(ALL_SECTIONS.map((k) => [k, new Map()]));
  private status: Record<SectionKey, SectionStatus>;
  private error: string | undefined;
  private namespace: string;
  private snap!: ClusterState;
  private listeners = new Set<() => void>();
  private emitTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout;
  /** the session's client the loops follow (its identity tells a kubeconfig change) */
  private sessionClient: ApiClient | undefined;
  /** our own client on the same config: its own connection pool, so watches never starve commands */
  private client: ApiClient | undefined;
  private clusterScope = new AbortController();
  private namespaceScope = new AbortController();
  private closed = false;

  constructor(private readonly o: ClusterWatchOptions) {
    this.coalesceMs = o.coalesceMs ?? 100;
    this.retry = o.retryMs ?? { min: 1000, max: 30_000 };
    this.namespace = '';
    this.status = { ...emptyState('').status };
    this.pollTimer = setInterval(() => this.sync(), o.pollMs ?? 1000);
    this.pollTimer.unref();
    this.sync();
    this.snap = this.build();
  }

  // ---- store protocol (useSyncExternalStore) ----
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): ClusterState => this.snap;

  /** follow the session now: restart the loops if its kubeconfig or namespace changed */
  sync(): void {
    if (this.closed) return;
    let sessionClient: ApiClient;
    let namespace: string;
    try {
      sessionClient = this.o.session.client({});
      namespace = this.o.namespace?.() ?? (this.o.session.defaultNamespace || sessionClient.namespace);
    } catch (e) {
      const message = (e as Error).message;
      if (this.sessionClient === undefined && this.error === message) return;
      this.stopAll();
      this.sessionClient = undefined;
      this.error = message;
      this.resetSections(ALL_SECTIONS, 'error');
      return;
    }
    if (sessionClient !== this.sessionClient) {
      this.stopAll();
      this.sessionClient = sessionClient;
      this.client = new ApiClient(sessionClient.config);
      this.namespace = namespace;
      this.error = undefined;
      this.resetSections(ALL_SECTIONS, 'loading');
      this.clusterScope = new AbortController();
      this.namespaceScope = new AbortController();
      for (const w of WATCHED) this.start(w);
    } else if (namespace !== this.namespace) {
      this.namespaceScope.abort();
      this.namespace = namespace;
      this.resetSections(ALL_SECTIONS.filter((k) => k !== 'nodes'), 'loading');
      this.namespaceScope = new AbortController();
      for (const w of WATCHED) if (w.key !== 'nodes') this.start(w);
    }
  }

  /** stop every watch and timer; the last snapshot stays */
  close(): void {
    this.closed = true;
    this.stopAll();
    clearInterval(this.pollTimer);
    clearTimeout(this.emitTimer);
    this.emitTimer = undefined;
  }

  private stopAll(): void {
    this.clusterScope.abort();
    this.namespaceScope.abort();
  }

  private start(w: Watched): void {
    const client = this.client!;
    const clusterWide = w.key === 'nodes';
    const namespace = clusterWide ? undefined : this.namespace;
    const signal = clusterWide ? this.clusterScope.signal : this.namespaceScope.signal;
    // warnings from the panel's requests must not land in the output of a command running now
    warningContext.exit(() => {
      void this.follow(w, client, namespace, signal);
    });
  }

  private async resolve(client: ApiClient, w: Watched): Promise<ApiResource | undefined> {
    let all: ApiResource[];
    try {
      all = await client.discovery.resources();
    } catch (e) {
      // the client keeps a failed discovery; the next attempt must ask the server again
      client.discovery.invalidate();
      throw e;
    }
    return all.find((r) => r.preferred && r.group === w.group && r.resource === w.resource);
  }

  /** list, then watch from the list's resourceVersion, again and again until aborted */
  private async follow(w: Watched, client: ApiClient, namespace: string | undefined, signal: AbortSignal): Promise<void> {
    let failures = 0;
    const backoff = () => Math.min(this.retry.max, this.retry.min * 2 ** failures++);
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const r = await this.resolve(client, w);
        if (signal.aborted) return;
        if (!r) {
          this.settle(w.key, 'missing', []);
          await pause(this.retry.max, signal);
          continue;
        }
        const list = await client.rest.json(client.path(r, namespace), { signal });
        if (signal.aborted) return;
        this.settle(w.key, 'ok', (list?.items ?? []).map((o: any) => w.summarize(o)));
        failures = 0;
        await client.watch(r, namespace, { resourceVersion: list?.metadata?.resourceVersion, allowWatchBookmarks: true }, (ev) => this.apply(w, ev, signal), signal);
        // a server that ends watches at once must not make us list in a tight loop
        if (Date.now() - started < this.retry.min) await pause(backoff(), signal);
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof RelistNeeded) {
          await pause(Date.now() - started < this.retry.min ? backoff() : 0, signal);
          continue;
        }
        const code = e instanceof ServerError ? e.code : 0;
        if (code === 401 || code === 403 || code === 404) {
          this.settle(w.key, code === 404 ? 'missing' : 'forbidden', []);
          await pause(this.retry.max, signal);
        } else {
          this.error = (e as Error).message;
          this.setStatus(w.key, 'error');
          await pause(backoff(), signal);
        }
      }
    }
  }

  private apply(w: Watched, ev: WatchEvent, signal: AbortSignal): void {
    if (signal.aborted) return;
    if (ev.type === 'ERROR') throw new RelistNeeded(ev.object?.message ?? 'watch error');
    if (ev.type === 'BOOKMARK' || !ev.object?.metadata?.name) return;
    const entries = this.entries.get(w.key)!;
    const name: string = ev.object.metadata.name;
    if (ev.type === 'DELETED') {
      if (entries.delete(name)) this.changed();
      return;
    }
    const summary = w.summarize(ev.object);
    const json = JSON.stringify(summary);
    if (entries.get(name)?.json === json) return;
    entries.set(name, { summary, json });
    this.changed();
  }

  /** a fresh list: replace the resource's summaries and set its status */
  private settle(key: SectionKey, status: SectionStatus, summaries: Summary[]): void {
    const old = this.entries.get(key)!;
    const next: Entries = new Map(summaries.map((s) => [s.name, { summary: s, json: JSON.stringify(s) }]));
    const same = old.size === next.size && [...next].every(([name, e]) => old.get(name)?.json === e.json);
    if (!same) {
      this.entries.set(key, next);
      this.changed();
    }
    this.setStatus(key, status);
  }

  private setStatus(key: SectionKey, status: SectionStatus): void {
    if (this.status[key] === status) return;
    this.status[key] = status;
    if (!ALL_SECTIONS.some((k) => this.status[k] === 'error')) this.error = undefined;
    this.changed();
  }

  private resetSections(keys: readonly SectionKey[], status: SectionStatus): void {
    for (const k of keys) {
      this.entries.set(k, new Map());
      this.status[k] = status;
    }
    this.changed();
  }

  /** something changed: publish a new snapshot soon (one per coalescing window) */
  private changed(): void {
    if (this.emitTimer || this.closed) return;
    this.emitTimer = setTimeout(() => {
      this.emitTimer = undefined;
      this.snap = this.build();
      for (const fn of [...this.listeners]) fn();
    }, this.coalesceMs);
    this.emitTimer.unref();
  }

  private list<T extends Summary>(key: SectionKey): T[] {
    return [...this.entries.get(key)!.values()].map((e) => e.summary as T).sort(byName);
  }

  private build(): ClusterState {
    return {
      namespace: this.namespace,
      status: { ...this.status },
      nodes: this.list<NodeSummary>('nodes'),
      pods: this.list<PodSummary>('pods'),
      controllers: CONTROLLER_SECTIONS.flatMap((k) => this.list<ControllerSummary>(k)),
      services: this.list<ServiceSummary>('services'),
      endpointSlices: this.list<EndpointSliceSummary>('endpointslices'),
      error: this.error,
    };
  }
}
