/**
 * The embedded cluster: API server + store + persistence + controllers, wired together.
 * `startSandbox()` is what `kube-tutor serve`, the tutor and the tests call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ApiServer } from './apiserver/server.js';
import { Store, type Persistence } from './apiserver/store.js';
import type { ResourceType, StrategyContext } from './apiserver/resource.js';
import type { KObject } from './apiserver/types.js';
import { errors } from './apiserver/errors.js';
import { trackUpdate } from './apiserver/patch/index.js';
import { patchSchemaFor } from './apiserver/openapi/index.js';
import { initialObjects } from './bootstrap/index.js';
import { ManualClock, ScaledClock, parseDuration, rfc3339, type Clock } from './clock.js';
import { seededRandom, type Component, type ControllerContext } from './controllers/context.js';
import { EventRecorder } from './events.js';
import type { Kubelets } from './kubelet/index.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { Ipam } from './network/ipam.js';
import { StateLog } from './persist/index.js';
import { Registry } from './registry/index.js';
import { loadOrCreateCredentials, type Credentials } from './tls.js';
import { apiVersionOf } from './apiserver/resource.js';

export interface SandboxOptions {
  /** 0 or undefined: a random free port */
  port?: number;
  /** where state, certificates and the token live; undefined = ephemeral (memory only) */
  stateDir?: string;
  /** worker nodes (plus one control-plane node) for a fresh cluster */
  nodes?: number;
  /** simulated time runs this many times faster than the wall clock */
  speed?: number;
  /** inject a clock (tests use ManualClock) */
  clock?: Clock;
  /**
   * start the control-plane components (default true; scenario tests start the ones they test).
   * `'soon'`: the API answers first and the components start on the next turn of the event loop,
   * so a program that draws a screen gets there before the kubelets catch up with their pods.
   */
  controllers?: boolean | 'soon';
  /** seed for the components' random choices (jitter, generated names) */
  seed?: number;
}

export class Sandbox {
  private controllers: Component[] = [];
  /** the simulated kubelets (one per node), once the control plane runs */
  kubelets?: Kubelets;
  /** what control-plane components are started with */
  readonly ctx: ControllerContext;

  constructor(
    readonly server: ApiServer,
    readonly store: Store,
    readonly registry: Registry,
    readonly clock: Clock,
    readonly credentials: Credentials,
    private readonly log: StateLog | undefined,
    readonly ipam: Ipam,
    seed: number,
  ) {
    this.ctx = { store, registry, clock, events: new EventRecorder(store, registry), random: seededRandom(seed) };
  }

  /** start a component and stop it with the sandbox */
  add(component: Component): Component {
    this.controllers.push(component);
    return component;
  }

  get port(): number {
    return this.server.port;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get token(): string {
    return this.credentials.token;
  }

  /** a kubeconfig (YAML) that points at this sandbox */
  kubeconfig(): string {
    return kubeconfigYaml(this.url, this.credentials.caCert, this.credentials.token);
  }

  /**
   * the control plane: every component of a running cluster (loaded here, on first use: a boot that
   * answers before its controllers run compiles their code after the first frame)
   */
  async startControllers(): Promise<void> {
    const { startControlPlane } = await import('./control-plane.js');
    if (this.closed) return;
    const { components, kubelets } = startControlPlane(this.ctx, this.credentials.caCert);
    for (const c of components) this.add(c);
    this.kubelets = kubelets;
  }

  /** jump simulated time forward (only with a scaled clock; tests advance a ManualClock) */
  async warp(ms: number): Promise<void> {
    if (this.clock instanceof ScaledClock) await this.clock.warp(ms);
    else if (this.clock instanceof ManualClock) await this.clock.advance(ms);
  }

  private pendingStart: NodeJS.Immediate | undefined;
  private closed = false;

  /** startControllers() on the next turn of the event loop (unless closed first) */
  startControllersSoon(): void {
    this.pendingStart = setImmediate(() => {
      this.pendingStart = undefined;
      void this.startControllers();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pendingStart) clearImmediate(this.pendingStart);
    for (const c of this.controllers) c.stop();
    await this.server.close();
    if (this.clock instanceof ScaledClock) this.clock.stop();
    if (this.log) await this.log.close();
  }
}

export function storeDir(stateDir: string): string {
  return join(stateDir, 'store');
}

/** forget the cluster in a state dir (keeps its certificates and token, so kubeconfigs stay valid) */
export function resetState(stateDir: string): void {
  StateLog.reset(storeDir(stateDir));
}

/** parse a storage key `group/plural/namespace/name` back to its resource */
function resourceOfKey(registry: Registry, key: string): ResourceType | undefined {
  const [group, plural] = key.split('/');
  const g = group === 'core' ? '' : group;
  return registry.all.find((r) => r.group === g && r.plural === plural);
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const clock = opts.clock ?? new ScaledClock(opts.speed ?? 1);
  const registry = new Registry();
  const seedValue = opts.seed ?? Date.now();
  const ipam = new Ipam();
  ipam.random = seededRandom(seedValue + 1);
  const ctx: StrategyContext = { clock, ipam };
  const credentialsP = loadOrCreateCredentials(opts.stateDir);

  let log: StateLog | undefined;
  let loaded: { objects: Map<string, KObject>; lastRv: number } | undefined;
  if (opts.stateDir) {
    const opened = StateLog.open(storeDir(opts.stateDir));
    log = opened.log;
    loaded = opened.loaded;
  }
  const persistence: Persistence | undefined = log;
  let sandbox: Sandbox | undefined;
  const store = new Store({
    clock, ctx, persistence,
    // a pod on a node with a running kubelet is removed by that kubelet once its containers stop
    deferGracefulRemoval: (rt, o) => rt.kind === 'Pod' && !!o.spec?.nodeName && !!sandbox?.kubelets?.node(o.spec.nodeName),
    managedFields: {
      track: (old, updated, manager, subresource) =>
        trackUpdate(old, updated, {
          manager, operation: 'Update', apiVersion: updated.apiVersion ?? apiVersionOf(registry.forKind('', updated.kind ?? '') ?? { group: '', version: 'v1', kind: '' }),
          now: rfc3339(clock.now()), subresource, schema: patchSchemaFor(gvkOf(updated)),
        }),
    },
  });

  if (loaded && loaded.objects.size) {
    for (const [key, obj] of loaded.objects) {
      const rt = resourceOfKey(registry, key);
      if (!rt) continue;
      store.load(rt, obj);
      if (rt.kind === 'Service') ipam.reserve(obj.spec?.clusterIP, (obj.spec?.ports ?? []).map((p: { nodePort?: number }) => p.nodePort));
    }
    store.setResourceVersion(loaded.lastRv);
    store.resumeTerminating();
  } else {
    await seed(store, registry, ipam, clock, opts.nodes ?? 3, (await credentialsP).caCert);
  }

  const credentials = await credentialsP;
  const server = new ApiServer({
    store, registry, token: credentials.token, cert: credentials.serverCert, key: credentials.serverKey,
    extraRoutes: (req, res, url) => sandboxRoutes(req, res, url, () => sandbox!),
    runtime: () => sandbox?.kubelets?.runtime,
  });
  await server.listen(opts.port ?? 0);
  sandbox = new Sandbox(server, store, registry, clock, credentials, log, ipam, seedValue);
  if (opts.controllers === 'soon') sandbox.startControllersSoon();
  else if (opts.controllers !== false) await sandbox.startControllers();
  return sandbox;
}

function gvkOf(obj: KObject) {
  const av = obj.apiVersion ?? 'v1';
  const i = av.indexOf('/');
  return { group: i < 0 ? '' : av.slice(0, i), version: i < 0 ? av : av.slice(i + 1), kind: obj.kind ?? '' };
}

/** the objects of a fresh cluster, written through the store so they get resourceVersions */
async function seed(store: Store, registry: Registry, ipam: Ipam, clock: Clock, nodes: number, caCertPEM: string): Promise<void> {
  const objs = initialObjects({ nodes, now: new Date(clock.now()), caCertPEM });
  const writes: Promise<unknown>[] = [];
  for (const obj of objs) {
    const gvk = gvkOf(obj);
    const rt = registry.forKind(gvk.group, gvk.kind);
    if (!rt) continue;
    if (rt.kind === 'Service') ipam.reserve(obj.spec?.clusterIP, (obj.spec?.ports ?? []).map((p: { nodePort?: number }) => p.nodePort));
    writes.push(store.seed(rt, obj));
  }
  await Promise.all(writes);
}

/** `/sandbox/v1/...`: controls of the simulated cluster that no real cluster has (time warp) */
async function sandboxRoutes(req: IncomingMessage, res: ServerResponse, url: URL, sandbox: () => Sandbox): Promise<boolean> {
  if (!url.pathname.startsWith('/sandbox/v1/')) return false;
  const send = (code: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (url.pathname === '/sandbox/v1/time') {
    const clock = sandbox().clock;
    const speedOf = () => (clock instanceof ScaledClock ? clock.currentSpeed : null);
    if (req.method === 'GET') {
      send(200, { now: new Date(clock.now()).toISOString(), speed: speedOf() });
      return true;
    }
    if (req.method === 'POST' && url.searchParams.has('speed')) {
      const speed = Number(url.searchParams.get('speed'));
      if (!(speed > 0) || !Number.isFinite(speed) || speed > 10_000) {
        send(400, errors.badRequest(`invalid speed "${url.searchParams.get('speed')}": a number between 0 and 10000`).status);
        return true;
      }
      if (clock instanceof ScaledClock) clock.setSpeed(speed);
      send(200, { now: new Date(clock.now()).toISOString(), speed: speedOf() });
      return true;
    }
    if (req.method === 'POST') {
      const by = url.searchParams.get('warp') ?? '';
      let ms: number;
      try {
        ms = parseDuration(by);
      } catch (err) {
        send(400, errors.badRequest((err as Error).message).status);
        return true;
      }
      await sandbox().warp(ms);
      send(200, { now: new Date(sandbox().clock.now()).toISOString(), warped: by });
      return true;
    }
  }
  send(404, errors.pathNotFound().status);
  return true;
}
