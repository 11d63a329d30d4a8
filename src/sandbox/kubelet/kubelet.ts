/**
 * The simulated kubelets, one per Node: they watch pods bound to their node, walk containers
 * through the lifecycle stages (stages.ts), run simulated programs (programs/), probe them,
 * restart them with back-off, stop them gracefully on deletion and report everything through
 * the pods' status subresource and Events. They also renew node Leases and heartbeats.
 * No process is ever started on the host.
 */
import type { Duplex } from 'node:stream';
import { serveHttp } from './portforward.js';
import type { Writable } from 'node:stream';
import { errors, StatusError } from '../apiserver/errors.js';
import type { ResourceType } from '../apiserver/resource.js';
import type { StoreEvent } from '../apiserver/store.js';
import type { KObject } from '../apiserver/types.js';
import { rfc3339, rfc3339Micro, type Timer } from '../clock.js';
import type { Component, ControllerContext } from '../controllers/context.js';
import { WorkQueue } from '../controllers/queue.js';
import { formatIPv4, parseCidr, parseIPv4 } from '../bootstrap/net.js';
import { KERNEL_VERSION } from '../bootstrap/context.js';
import { followVolumes, volumeFiles } from './programs/volumes.js';
import { DEFAULT_PATH, imageEnv, imageHome, planStart, resolveImage, type Resolution } from './images.js';
import { ListenerTable, registerListenerTable, type HttpHandler } from './listeners.js';
import { formatLine, LogBuffer, selectLines } from './logs.js';
import { runProbe, type ProbeTarget } from './probes.js';
import { attachSession, ContainerStdio, ExecStartError, execSession, Interrupter, resolveEntrypoint, shellFlavor, startMainProcess } from './interactive.js';
import { Killed, programs, runArgv, SHELL_COMMANDS, SimProcess, type ProgramName, type ShellEnv } from './programs/index.js';
import type { ContainerRuntime, LogOptions, SessionIO } from './runtime.js';
import { flavorOf, type ContainerNet } from './programs/net.js';
import { etcFiles, networkFor, serviceEnv } from '../network/index.js';
import {
  backoffNext, backoffWait, CONTAINER_STAGES, goDuration, matchStage, planStage, PROFILES, delayMs,
  type BackoffEntry, type ContainerFacts, type Profile, type ProfileName, type PullPolicy, type StagePlan, type Step,
} from './stages.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

import { DOWN_ANNOTATION } from './annotations.js';
export { DOWN_ANNOTATION };
export const LEASE_RENEW_MS = 10_000;
export const NODE_STATUS_MS = 60_000;

export interface KubeletOptions {
  profile?: ProfileName;
}

export interface Kubelets extends Component {
  runtime: ContainerRuntime;
  listeners: ListenerTable;
  /** the kubelet of a node (tests, diagnostics) */
  node(name: string): NodeKubelet | undefined;
  /** resolves when no status write is pending */
  idle(): Promise<void>;
}

export function startKubelets(ctx: ControllerContext, opts: KubeletOptions = {}): Kubelets {
  return new KubeletSet(ctx, PROFILES[opts.profile ?? 'realistic']);
}

const hex = (random: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(random() * 16).toString(16);
  return s;
};

class KubeletSet implements Kubelets {
  readonly listeners = new ListenerTable();
  readonly podRT: ResourceType;
  readonly nodeRT: ResourceType;
  readonly leaseRT: ResourceType | undefined;
  private readonly nodes = new Map<string, NodeKubelet>();
  private readonly unsubscribe: () => void;
  private readonly unregister: () => void;
  readonly runtime: ContainerRuntime;

  constructor(readonly ctx: ControllerContext, readonly profile: Profile) {
    this.podRT = ctx.registry.forKind('', 'Pod')!;
    this.nodeRT = ctx.registry.forKind('', 'Node')!;
    this.leaseRT = ctx.registry.forKind('coordination.k8s.io', 'Lease');
    this.unregister = registerListenerTable(this.listeners);
    for (const n of ctx.store.list(this.nodeRT, undefined).items) this.onNode('ADDED', n);
    for (const p of ctx.store.list(this.podRT, undefined).items) this.onPod('ADDED', p);
    this.unsubscribe = ctx.store.subscribe((e) => this.onEvent(e));
    this.runtime = new Runtime(this);
  }

  node(name: string): NodeKubelet | undefined {
    return this.nodes.get(name);
  }

  async idle(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((n) => n.queue.idle()));
  }

  stop(): void {
    this.unsubscribe();
    for (const n of this.nodes.values()) n.stop();
    this.nodes.clear();
    this.unregister();
  }

  private onEvent(e: StoreEvent): void {
    if (e.rt === this.nodeRT) this.onNode(e.type, e.object);
    else if (e.rt === this.podRT) this.onPod(e.type, e.object);
  }

  private onNode(type: StoreEvent['type'], node: KObject): void {
    const name = node.metadata.name!;
    let k = this.nodes.get(name);
    if (type === 'DELETED') {
      k?.stop();
      this.nodes.delete(name);
      return;
    }
    if (!k) {
      k = new NodeKubelet(this, node);
      this.nodes.set(name, k);
    }
    k.onNodeChange(node);
  }

  private onPod(type: StoreEvent['type'], pod: KObject): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    this.nodes.get(nodeName)?.onPod(type, pod);
  }
}

// ------------------------------------------------------------------ node

export class NodeKubelet {
  readonly name: string;
  ip = '';
  podCIDR = '';
  down = false;
  readonly images = new Map<string, number>();
  readonly workers = new Map<string, PodWorker>();
  readonly queue: WorkQueue;
  private readonly dirty = new Set<string>();
  private readonly usedIPs = new Set<string>();
  private nextIP = 2;
  private leaseTimer: Timer | undefined;
  private statusTimer: Timer | undefined;
  private stopped = false;

  constructor(readonly set: KubeletSet, node: KObject) {
    this.name = node.metadata.name!;
    this.queue = new WorkQueue(`kubelet ${this.name}`, set.ctx.clock, (uid) => this.syncStatus(uid));
    this.readNode(node);
    this.down = node.metadata.annotations?.[DOWN_ANNOTATION] === 'true';
    this.scheduleHeartbeats();
  }

  get ctx(): ControllerContext {
    return this.set.ctx;
  }

  private readNode(node: KObject): void {
    this.ip = (node.status?.addresses ?? []).find((a: Json) => a.type === 'InternalIP')?.address ?? this.ip;
    this.podCIDR = node.spec?.podCIDR ?? this.podCIDR;
    for (const img of node.status?.images ?? []) for (const n of img.names ?? []) if (!this.images.has(n)) this.images.set(n, img.sizeBytes ?? 0);
  }

  onNodeChange(node: KObject): void {
    this.readNode(node);
    const down = node.metadata.annotations?.[DOWN_ANNOTATION] === 'true';
    if (down === this.down) return;
    this.down = down;
    if (!down) {
      // back: report at once, then catch up with everything that happened meanwhile
      void this.renewLease();
      void this.updateNodeStatus();
      for (const w of [...this.workers.values()]) w.resume();
      for (const uid of this.dirty) this.queue.add(uid);
    }
  }

  /** the gateway address of the pod network on this node (where probes come from) */
  get gatewayIP(): string {
    return this.podCIDR ? formatIPv4((parseCidr(this.podCIDR).base + 1) >>> 0) : this.ip;
  }

  reserveIP(ip: string): void {
    this.usedIPs.add(ip);
  }

  allocateIP(): string {
    const c = parseCidr(this.podCIDR || '10.244.0.0/24');
    const size = 2 ** (32 - c.prefix);
    for (let n = 0; n < size - 3; n++) {
      const off = ((this.nextIP - 2 + n) % (size - 3)) + 2;
      const ip = formatIPv4((c.base + off) >>> 0);
      if (this.usedIPs.has(ip)) continue;
      this.usedIPs.add(ip);
      this.nextIP = off + 1;
      return ip;
    }
    throw new Error(`no free pod IP on ${this.name}`);
  }

  releaseIP(ip: string | undefined): void {
    if (ip && ip !== this.ip) this.usedIPs.delete(ip);
  }

  onPod(type: StoreEvent['type'], pod: KObject): void {
    const uid = pod.metadata.uid!;
    let w = this.workers.get(uid);
    if (type === 'DELETED') {
      w?.destroy();
      this.workers.delete(uid);
      this.dirty.delete(uid);
      return;
    }
    if (!w) {
      w = new PodWorker(this, pod);
      this.workers.set(uid, w);
    }
    w.update(pod);
  }

  markDirty(uid: string): void {
    this.dirty.add(uid);
    if (!this.down) this.queue.add(uid);
  }

  private async syncStatus(uid: string): Promise<void> {
    if (this.down || this.stopped) return;
    this.dirty.delete(uid);
    const w = this.workers.get(uid);
    if (!w || w.removed) return;
    await w.writeStatus();
  }

  event(pod: KObject, container: string | undefined, e: { type: 'Normal' | 'Warning'; reason: string; message: string }): void {
    if (this.down || this.stopped) return;
    void this.ctx.events.record(pod, { component: 'kubelet', host: this.name }, {
      ...e, ...(container ? { fieldPath: `spec.containers{${container}}` } : {}),
    });
  }

  // ---------------------------------------------------------------- heartbeats

  private scheduleHeartbeats(): void {
    const lease = () => {
      this.leaseTimer = this.ctx.clock.after(LEASE_RENEW_MS, () => {
        if (!this.down) void this.renewLease();
        lease();
      });
    };
    const status = () => {
      this.statusTimer = this.ctx.clock.after(NODE_STATUS_MS, () => {
        if (!this.down) void this.updateNodeStatus();
        status();
      });
    };
    lease();
    status();
  }

  async renewLease(): Promise<void> {
    const rt = this.set.leaseRT;
    if (!rt || this.stopped) return;
    const renewTime = rfc3339Micro(this.ctx.clock.now());
    try {
      if (this.ctx.store.tryGet(rt, 'kube-node-lease', this.name)) {
        await this.ctx.store.guaranteedUpdate(rt, 'kube-node-lease', this.name, (l) => ({
          ...l, spec: { ...l.spec, holderIdentity: this.name, leaseDurationSeconds: l.spec?.leaseDurationSeconds ?? 40, renewTime },
        }), { fieldManager: 'kubelet' });
      } else {
        const node = this.ctx.store.tryGet(this.set.nodeRT, undefined, this.name);
        await this.ctx.store.create(rt, 'kube-node-lease', {
          metadata: {
            name: this.name, namespace: 'kube-node-lease',
            ...(node ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: node.metadata.uid! }] } : {}),
          },
          spec: { holderIdentity: this.name, leaseDurationSeconds: 40, renewTime },
        }, { fieldManager: 'kubelet' });
      }
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
    }
  }

  async updateNodeStatus(): Promise<void> {
    if (this.stopped) return;
    const now = rfc3339(this.ctx.clock.now());
    const want: Record<string, [string, string, string]> = {
      MemoryPressure: ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      DiskPressure: ['False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      PIDPressure: ['False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      Ready: ['True', 'KubeletReady', 'kubelet is posting ready status'],
    };
    try {
      await this.ctx.store.guaranteedUpdate(this.set.nodeRT, undefined, this.name, (n) => {
        const conds: Json[] = [...(n.status?.conditions ?? [])];
        for (const [type, [status, reason, message]] of Object.entries(want)) {
          const i = conds.findIndex((c) => c.type === type);
          const old = i >= 0 ? conds[i] : undefined;
          const c = {
            lastHeartbeatTime: now,
            lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
            message, reason, status, type,
          };
          if (i >= 0) conds[i] = c;
          else conds.push(c);
        }
        return { ...n, status: { ...n.status, conditions: conds } };
      }, { subresource: 'status', fieldManager: 'kubelet' });
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
    }
  }

  stop(): void {
    this.stopped = true;
    this.leaseTimer?.cancel();
    this.statusTimer?.cancel();
    for (const w of this.workers.values()) w.destroy();
    this.workers.clear();
  }
}

// ------------------------------------------------------------------ containers

interface Instance {
  id: string;
  startedAt: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  message?: string;
  proc?: SimProcess;
  program?: ProgramName;
  /** the main process's argv (PID 1) */
  argv?: string[];
  /** stdin/stdout as attach sessions see them (interactive.ts) */
  stdio?: ContainerStdio;
  logs: LogBuffer;
  fs: Map<string, string>;
}

interface ProbeState {
  kind: 'liveness' | 'readiness' | 'startup';
  spec: Json;
  successes: number;
  failures: number;
  timer?: Timer;
}

interface CState {
  name: string;
  spec: Json;
  step: Step;
  waiting: { reason: string; message?: string } | null;
  instances: Instance[];
  /** containers started so far (restartCount = started - 1) */
  starts: number;
  ready: boolean;
  started: boolean;
  backoff?: BackoffEntry;
  pullBackoff?: BackoffEntry;
  timer?: Timer;
  killTimer?: Timer;
  probes: ProbeState[];
  /** set when a probe failure made the kubelet kill it (restart even with OnFailure and exit 0) */
  killedByProbe: boolean;
  /** terminated for good (restart policy says no) */
  final: boolean;
  /** restart pending while the node was down */
  needsRestartDecision: boolean;
  resolution: Resolution;
  /** stage plan in flight (so a resume does not schedule twice) */
  inFlight: boolean;
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

export class PodWorker {
  pod: KObject;
  readonly uid: string;
  private begun = false;
  private sandboxReady = false;
  podIP: string | undefined;
  private startTime: string | undefined;
  readonly containers: CState[];
  private terminating = false;
  removed = false;
  private generation = 0;
  private readonly transitions = new Map<string, { status: string; at: string }>();
  private sandboxTimer: Timer | undefined;
  private terminal = false;

  constructor(readonly node: NodeKubelet, pod: KObject) {
    this.pod = pod;
    this.uid = pod.metadata.uid!;
    const preloaded = node.images;
    this.containers = (pod.spec?.containers ?? []).map((spec: Json) => ({
      name: spec.name, spec, step: 'new' as Step, waiting: { reason: 'ContainerCreating' }, instances: [], starts: 0,
      ready: false, started: false, probes: [], killedByProbe: false, final: false, needsRestartDecision: false,
      resolution: resolveImage(spec.image, preloaded), inFlight: false,
    }));
    for (const c of pod.status?.conditions ?? []) this.transitions.set(c.type, { status: c.status, at: c.lastTransitionTime });
    this.adopt(pod);
  }

  private get clock() {
    return this.node.ctx.clock;
  }

  private get profile(): Profile {
    return this.node.set.profile;
  }

  get hostNetwork(): boolean {
    return this.pod.spec?.hostNetwork === true;
  }

  /** pods already running when the kubelet starts keep running: rebuild their state from status */
  private adopt(pod: KObject): void {
    const st = pod.status ?? {};
    if (st.phase === 'Succeeded' || st.phase === 'Failed') {
      this.begun = true;
      this.terminal = true;
      for (const c of this.containers) {
        c.final = true;
        c.step = 'running';
      }
      return;
    }
    const statuses: Json[] = st.containerStatuses ?? [];
    if (st.phase !== 'Running' || !statuses.some((s) => s.state?.running)) return;
    this.begun = true;
    this.sandboxReady = true;
    this.startTime = st.startTime;
    this.podIP = st.podIP;
    if (this.podIP) this.node.reserveIP(this.podIP);
    for (const c of this.containers) {
      const s = statuses.find((x) => x.name === c.name);
      if (!s?.state?.running) continue;
      c.step = 'running';
      c.waiting = null;
      c.starts = (s.restartCount ?? 0) + 1;
      c.ready = s.ready === true;
      c.started = s.started !== false;
      const startedAt = Date.parse(s.state.running.startedAt) || this.clock.now();
      const prevT = s.lastState?.terminated;
      if (prevT) {
        const logs = new LogBuffer(() => this.clock.now());
        logs.close();
        c.instances.push({
          id: String(prevT.containerID ?? '').replace(/^containerd:\/\//, '') || hex(this.node.ctx.random, 64),
          startedAt: Date.parse(prevT.startedAt) || startedAt, finishedAt: Date.parse(prevT.finishedAt) || startedAt,
          exitCode: prevT.exitCode, reason: prevT.reason, logs, fs: new Map(),
        });
      }
      const id = String(s.containerID ?? '').replace(/^containerd:\/\//, '') || hex(this.node.ctx.random, 64);
      this.runInstance(c, id, startedAt, { adopted: true, ready: c.ready, started: c.started });
    }
  }

  update(pod: KObject): void {
    this.pod = pod;
    if (this.removed || this.node.down) return;
    if (pod.metadata.deletionTimestamp) {
      if (!this.terminating) this.terminate();
      return;
    }
    if (!this.begun) this.begin();
  }

  /** the node came back: pick up where things stopped */
  resume(): void {
    if (this.removed) return;
    if (this.pod.metadata.deletionTimestamp) {
      if (!this.terminating) this.terminate();
      else this.maybeFinishTermination();
      return;
    }
    if (!this.begun) return this.begin();
    if (!this.sandboxReady) {
      this.sandboxTimer?.cancel();
      this.setupSandbox();
      return;
    }
    for (const c of this.containers) {
      if (c.needsRestartDecision) this.decideRestart(c);
      else if (!c.inFlight && c.step !== 'running' && c.step !== 'blocked' && c.step !== 'start-failed' && !c.timer) this.advance(c);
    }
    this.flush();
  }

  private begin(): void {
    this.begun = true;
    this.startTime = rfc3339(this.clock.now());
    this.flush();
    const ms = delayMs(this.profile.sandbox, this.node.ctx.random);
    this.sandboxTimer = this.clock.after(ms, () => this.setupSandbox());
  }

  private setupSandbox(): void {
    if (this.removed || this.terminating) return;
    if (this.node.down) return; // resume() retries
    this.podIP = this.hostNetwork ? this.node.ip : this.node.allocateIP();
    this.sandboxReady = true;
    this.flush();
    for (const c of this.containers) this.advance(c);
  }

  // ---------------------------------------------------------------- stages

  private facts(c: CState): ContainerFacts {
    const r = c.resolution;
    const policy: PullPolicy = c.spec.imagePullPolicy ?? 'IfNotPresent';
    const present = r.ok && (this.node.images.has(c.spec.image) || this.node.images.has(r.image.ref.canonical));
    const startable = r.ok && planStart(r.image, c.spec.command, c.spec.args).ok;
    return {
      step: c.step, pullPolicy: policy, imagePresent: present, imageResolvable: r.ok,
      imageInvalid: !r.ok && r.reason === 'InvalidImageName', startable,
    };
  }

  private advance(c: CState): void {
    if (this.removed || this.terminating || this.node.down) return;
    const stage = matchStage(CONTAINER_STAGES, this.facts(c));
    if (!stage) return;
    const r = c.resolution;
    const start = r.ok ? planStart(r.image, c.spec.command, c.spec.args) : undefined;
    const plan = planStage(stage, this.profile, {
      image: c.spec.image, container: c.name,
      sizeBytes: r.ok ? r.image.sizeBytes : undefined,
      error: !r.ok ? r.message : start && !start.ok ? start.message : undefined,
    }, this.node.ctx.random);
    const gen = this.generation;
    c.inFlight = true;
    const run = () => {
      c.timer = undefined;
      c.inFlight = false;
      if (gen !== this.generation || this.removed) return;
      if (this.node.down) return; // resume() re-plans this step
      this.apply(c, plan);
    };
    if (plan.delayMs <= 0) run();
    else c.timer = this.clock.after(plan.delayMs, run);
  }

  private apply(c: CState, plan: StagePlan): void {
    c.step = plan.step;
    for (const e of plan.events) this.node.event(this.pod, c.name, e);
    if (plan.waiting !== undefined) c.waiting = plan.waiting;
    if (plan.step === 'pulled' && c.resolution.ok) this.node.images.set(c.resolution.image.ref.canonical, c.resolution.image.sizeBytes);
    switch (plan.action) {
      case 'start':
        this.runInstance(c, hex(this.node.ctx.random, 64), this.clock.now(), {});
        break;
      case 'pull-failed': {
        c.pullBackoff = backoffNext(c.pullBackoff, this.clock.now());
        const gen = this.generation;
        c.timer = this.clock.after(c.pullBackoff.durationMs, () => {
          c.timer = undefined;
          if (gen !== this.generation || this.removed) return;
          c.step = 'new';
          this.advance(c);
        });
        break;
      }
      case 'start-failed': {
        const now = this.clock.now();
        const logs = new LogBuffer(() => this.clock.now());
        logs.close();
        const r = c.resolution;
        const sp = r.ok ? planStart(r.image, c.spec.command, c.spec.args) : undefined;
        c.instances.push({
          id: hex(this.node.ctx.random, 64), startedAt: now, finishedAt: now, exitCode: 128, reason: 'StartError',
          message: sp && !sp.ok ? sp.message : 'StartError', logs, fs: new Map(),
        });
        c.starts++;
        c.waiting = null;
        this.flush();
        this.decideRestart(c);
        return;
      }
    }
    this.flush();
    if (plan.step !== 'running') {
      if (plan.action !== 'pull-failed' || plan.step !== 'pull-failed') this.advance(c);
      else this.advance(c); // pull-failed → pull-backoff (the retry timer resets the step)
    }
  }

  // ---------------------------------------------------------------- processes

  private runInstance(c: CState, id: string, startedAt: number, o: { adopted?: boolean; ready?: boolean; started?: boolean }): void {
    const r = c.resolution;
    const stdio = new ContainerStdio(c.spec);
    const inst: Instance = { id, startedAt, logs: new LogBuffer(() => this.clock.now()), fs: new Map(), stdio };
    c.instances.push(inst);
    while (c.instances.length > 2) c.instances.shift();
    c.starts = Math.max(c.starts + (o.adopted ? 0 : 1), 1);
    c.step = 'running';
    c.waiting = null;
    c.killedByProbe = false;
    c.final = false;
    c.started = o.started ?? !c.spec.startupProbe;
    c.ready = o.ready ?? (c.started && !c.spec.readinessProbe);
    // as `env` shows it on a containerd node: PATH, HOSTNAME, the rest of the image's Env, the
    // container's env, the Service links (and KUBERNETES_*) for the services that exist now, and
    // HOME last (runc adds it from the user's passwd entry unless something set it)
    const def = r.ok ? r.image.def : undefined;
    const { PATH = DEFAULT_PATH, ...imgEnv } = imageEnv(def);
    const env: Record<string, string> = { PATH, HOSTNAME: this.hostname, ...imgEnv };
    for (const e of c.spec.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
    for (const [k, v] of Object.entries(serviceEnv(this.node.ctx, this.pod))) if (!(c.spec.env ?? []).some((e: Json) => e.name === k)) env[k] = v;
    if (env.HOME === undefined) env.HOME = imageHome(def);
    for (const [path, text] of Object.entries(etcFiles(this.pod, this.podIP ?? this.node.ip, this.hostname, networkFor(this.node.ctx).clusterDNS))) inst.fs.set(path, text);
    for (const [path, text] of volumeFiles(this.node.ctx, this.pod, c.spec, this.clock.now())) inst.fs.set(path, text);
    // ConfigMap/Secret files follow their objects on the next sync while the container runs
    followVolumes(this.node.ctx, this.pod, c.spec, inst.fs, startedAt, () => inst.proc !== undefined && !this.removed);
    const proc = new SimProcess({
      clock: this.clock,
      hostname: this.hostname,
      podIP: this.podIP ?? '',
      env,
      fs: inst.fs,
      write: (stream, text) => {
        inst.logs.write(stream, text);
        stdio.output(stream, text);
      },
      exited: (code) => {
        this.onExit(c, inst, code);
        stdio.exited(code);
      },
      listen: (port, handler) => this.node.set.listeners.add({
        ip: this.podIP ?? this.node.ip, port, protocol: 'TCP', handler,
        namespace: this.pod.metadata.namespace!, pod: this.pod.metadata.name!, container: c.name,
      }),
      unlisten: (port, handler) => this.node.set.listeners.remove(this.podIP ?? this.node.ip, port, handler),
      net: this.containerNet(c, inst),
    });
    inst.proc = proc;
    let program: ProgramName = 'daemon';
    let argv: string[] = [];
    if (r.ok) {
      const sp = planStart(r.image, c.spec.command, c.spec.args);
      if (sp.ok) {
        ({ program, argv } = resolveEntrypoint(sp.program, sp.argv, SHELL_COMMANDS) as { program: ProgramName; argv: string[] });
      }
    }
    inst.program = program;
    inst.argv = argv;
    this.startProbes(c, inst);
    const run = () => {
      try {
        programs[program](proc, argv);
      } catch (err) {
        if (!(err instanceof Killed)) {
          proc.err(`${(err as Error).message}\n`);
          proc.exit(1);
        }
      }
    };
    startMainProcess({ proc, program, argv, stdio, image: r.ok ? r.image : undefined, clock: this.clock, adopted: !!o.adopted, run });
    if (!o.adopted) this.flush();
  }

  /** the network as a container of this pod sees it (network/) */
  containerNet(c: CState | undefined, inst: Instance): ContainerNet {
    const r = (c ?? this.containers.find((x) => x.instances.includes(inst)))?.resolution;
    return networkFor(this.node.ctx).containerNet(this.pod, this.podIP ?? this.node.ip, this.hostname, flavorOf(r?.ok ? r.image.ref.repo : ''), inst.fs);
  }

  get hostname(): string {
    return this.hostNetwork ? this.node.name : this.pod.metadata.name!;
  }

  private onExit(c: CState, inst: Instance, code: number): void {
    inst.finishedAt = this.clock.now();
    inst.exitCode = code;
    inst.reason = code === 0 ? 'Completed' : 'Error';
    inst.logs.close();
    inst.proc = undefined;
    c.killTimer?.cancel();
    c.killTimer = undefined;
    this.stopProbes(c);
    c.ready = false;
    c.started = false;
    if (this.removed) return;
    if (this.terminating) {
      c.final = true;
      this.flush();
      this.maybeFinishTermination();
      return;
    }
    this.flush();
    this.decideRestart(c);
  }

  private decideRestart(c: CState): void {
    if (this.removed || this.terminating) return;
    if (this.node.down) {
      c.needsRestartDecision = true;
      return;
    }
    c.needsRestartDecision = false;
    const last = c.instances[c.instances.length - 1];
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && (last.exitCode !== 0 || c.killedByProbe));
    if (!restart) {
      c.final = true;
      this.flush();
      return;
    }
    const now = this.clock.now();
    const wait = backoffWait(c.backoff, last.finishedAt ?? now, now);
    const gen = this.generation;
    const go = () => {
      c.timer = undefined;
      if (gen !== this.generation || this.removed || this.terminating) return;
      if (this.node.down) {
        c.needsRestartDecision = true;
        return;
      }
      c.backoff = backoffNext(c.backoff, this.clock.now());
      c.step = 'new';
      c.waiting = null;
      this.advance(c);
    };
    if (wait > 0) {
      const pod = `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`;
      c.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(c.backoff!.durationMs)} restarting failed container=${c.name} pod=${pod}` };
      this.node.event(this.pod, c.name, { type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${pod}` });
      this.flush();
      c.timer = this.clock.after(wait, go);
    } else go();
  }

  /** stop a container: SIGTERM, then SIGKILL after the grace period */
  private kill(c: CState, graceSeconds: number): void {
    const inst = c.instances[c.instances.length - 1];
    const proc = inst?.proc;
    if (!proc) return;
    proc.signal('SIGTERM');
    if (!inst.proc) return;
    c.killTimer?.cancel();
    c.killTimer = this.clock.after(Math.max(0, graceSeconds) * 1000, () => {
      c.killTimer = undefined;
      inst.proc?.signal('SIGKILL');
    });
  }

  // ---------------------------------------------------------------- probes

  private startProbes(c: CState, inst: Instance): void {
    this.stopProbes(c);
    const kinds: ProbeState['kind'][] = ['startup', 'liveness', 'readiness'];
    for (const kind of kinds) {
      const spec = c.spec[`${kind}Probe`];
      if (!spec) continue;
      const p: ProbeState = { kind, spec, successes: 0, failures: 0 };
      c.probes.push(p);
      const first = (spec.initialDelaySeconds ?? 0) * 1000 + (this.profile.probeJitterMs ? Math.round(this.node.ctx.random() * this.profile.probeJitterMs) : 0);
      p.timer = this.clock.after(first, () => void this.probeTick(c, inst, p));
    }
  }

  private stopProbes(c: CState): void {
    for (const p of c.probes) p.timer?.cancel();
    c.probes = [];
  }

  private async probeTick(c: CState, inst: Instance, p: ProbeState): Promise<void> {
    p.timer = undefined;
    if (!inst.proc || this.removed || this.terminating || !c.probes.includes(p)) return;
    const period = (p.spec.periodSeconds ?? 10) * 1000;
    const again = () => {
      if (c.probes.includes(p) && inst.proc) p.timer = this.clock.after(period, () => void this.probeTick(c, inst, p));
    };
    if (this.node.down || (p.kind !== 'startup' && c.spec.startupProbe && !c.started)) return again();
    const result = await runProbe(p.spec, this.probeTarget(c, inst));
    if (!inst.proc || !c.probes.includes(p) || this.terminating) return;
    if (result.ok) {
      p.failures = 0;
      p.successes++;
      if (p.successes >= (p.spec.successThreshold ?? 1)) {
        if (p.kind === 'readiness' && !c.ready) {
          c.ready = true;
          this.flush();
        }
        if (p.kind === 'startup' && !c.started) {
          c.started = true;
          c.ready = !c.spec.readinessProbe;
          this.flush();
          // the startup probe is done once it succeeded
          c.probes = c.probes.filter((x) => x !== p);
          return;
        }
      }
      return again();
    }
    p.successes = 0;
    p.failures++;
    this.node.event(this.pod, c.name, { type: 'Warning', reason: 'Unhealthy', message: `${cap(p.kind)} probe failed: ${result.message}` });
    if (p.failures >= (p.spec.failureThreshold ?? 3)) {
      if (p.kind === 'readiness') {
        if (c.ready) {
          c.ready = false;
          this.flush();
        }
        return again();
      }
      this.node.event(this.pod, c.name, { type: 'Normal', reason: 'Killing', message: `Container ${c.name} failed ${p.kind} probe, will be restarted` });
      this.stopProbes(c);
      c.killedByProbe = true;
      c.ready = false;
      this.flush();
      const grace = p.spec.terminationGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30;
      this.kill(c, grace);
      return;
    }
    again();
  }

  probeTarget(c: CState, inst: Instance): ProbeTarget {
    const namedPorts: Record<string, number> = {};
    for (const p of c.spec.ports ?? []) if (p.name) namedPorts[p.name] = p.containerPort;
    return {
      podIP: this.podIP ?? '',
      sourceIP: this.hostNetwork ? this.node.ip : this.node.gatewayIP,
      namedPorts,
      opaque: inst.program === 'daemon',
      findHandler: (ip, port) => this.node.set.listeners.find(ip, port)?.handler as HttpHandler | undefined,
      exec: async (argv, signal) => {
        let output = '';
        const code = await this.execIn(c, inst, argv, { stdout: (t) => { output += t; }, stderr: (t) => { output += t; } }, signal);
        return { code, output: output.replace(/\n$/, '') };
      },
      clock: this.clock,
      reachable: (ip) => ip === this.podIP || networkFor(this.node.ctx).answersPing(this.podIP ?? this.node.ip, ip),
    };
  }

  /** run a command inside a running container with the shell model */
  async execIn(c: CState, inst: Instance, argv: string[], out: { stdout(t: string): void; stderr(t: string): void }, signal?: AbortSignal): Promise<number> {
    const r = c.resolution;
    if (!r.ok || !r.image.def.shell) {
      out.stderr(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown`);
      return 126;
    }
    // a probe that timed out aborts `signal`: the command's sleeps fail and it stops
    const intr = new Interrupter();
    signal?.addEventListener('abort', () => intr.kill(), { once: true });
    const env = intr.wrap(this.shellEnv(inst, out));
    try {
      return await runArgv(env, argv);
    } catch {
      return 1;
    }
  }

  /** the shell model's view of a running container (exec sessions, probes) */
  shellEnv(inst: Instance, out: { stdout(t: string): void; stderr(t: string): void }): ShellEnv {
    const r = this.containers.find((x) => x.instances.includes(inst))?.resolution;
    const flavor = shellFlavor(r?.ok ? r.image : undefined);
    return {
      fs: inst.fs, env: inst.proc?.host.env ?? {}, hostname: this.hostname,
      cwd: flavor.cwd, user: flavor.user, mainArgv: inst.argv,
      kernel: KERNEL_VERSION,
      now: () => this.clock.now(),
      sleep: (ms) => new Promise((res) => { this.clock.after(ms, res); }),
      stdout: out.stdout, stderr: out.stderr,
      net: this.containerNet(undefined, inst),
    };
  }

  // ---------------------------------------------------------------- termination

  private terminate(): void {
    this.terminating = true;
    this.generation++;
    this.sandboxTimer?.cancel();
    const grace = this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30;
    for (const c of this.containers) {
      c.timer?.cancel();
      c.timer = undefined;
      c.inFlight = false;
      this.stopProbes(c);
      const inst = c.instances[c.instances.length - 1];
      if (inst?.proc) {
        this.node.event(this.pod, c.name, { type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}` });
        this.kill(c, grace);
      }
    }
    this.maybeFinishTermination();
  }

  private maybeFinishTermination(): void {
    if (this.removed || this.node.down) return;
    if (this.containers.some((c) => c.instances[c.instances.length - 1]?.proc)) return;
    for (const c of this.containers) c.final = true;
    void this.finishTermination();
  }

  private async finishTermination(): Promise<void> {
    const { store } = this.node.ctx;
    const rt = this.node.set.podRT;
    const ns = this.pod.metadata.namespace!;
    const name = this.pod.metadata.name!;
    try {
      await this.writeStatus();
    } catch {
      /* gone already */
    }
    if (this.removed) return;
    try {
      await store.delete(rt, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
    }
  }

  destroy(): void {
    if (this.removed) return;
    this.removed = true;
    this.generation++;
    this.sandboxTimer?.cancel();
    for (const c of this.containers) {
      c.timer?.cancel();
      c.killTimer?.cancel();
      this.stopProbes(c);
      for (const inst of c.instances) {
        const p = inst.proc;
        if (p) p.exit(137);
        inst.logs.close();
      }
    }
    if (!this.hostNetwork) this.node.releaseIP(this.podIP);
  }

  // ---------------------------------------------------------------- status

  flush(): void {
    if (!this.removed) this.node.markDirty(this.uid);
  }

  async writeStatus(): Promise<void> {
    const { store } = this.node.ctx;
    const rt = this.node.set.podRT;
    const cur = store.tryGet(rt, this.pod.metadata.namespace, this.pod.metadata.name!);
    if (!cur || cur.metadata.uid !== this.uid) return;
    try {
      // buildStatus reads the stored pod and makes a new status (no copy of the pod needed)
      await store.updateStatus(rt, cur.metadata.namespace, cur.metadata.name!, (p) => (p.metadata.uid === this.uid ? this.buildStatus(p) : undefined), {
        fieldManager: 'kubelet',
      });
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
    }
  }

  phase(): string {
    if (this.terminal) return this.pod.status?.phase ?? 'Succeeded';
    if (!this.sandboxReady) return 'Pending';
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    let running = 0;
    let waiting = 0;
    let succeeded = 0;
    let failed = 0;
    for (const c of this.containers) {
      const last = c.instances[c.instances.length - 1];
      if (last?.proc) running++;
      else if (!last) waiting++;
      else if (last.exitCode === 0) succeeded++;
      else failed++;
    }
    if (this.terminating && running === 0 && waiting < this.containers.length) return failed ? 'Failed' : 'Succeeded';
    if (waiting > 0) return 'Pending';
    if (running > 0) return 'Running';
    const allFinal = this.containers.every((c) => c.final);
    if (!allFinal || policy === 'Always') return 'Running';
    if (failed > 0) return policy === 'OnFailure' ? 'Running' : 'Failed';
    return 'Succeeded';
  }

  private cond(type: string, status: string, extra: Record<string, string> = {}): Json {
    const prev = this.transitions.get(type);
    const now = rfc3339(this.clock.now());
    const at = prev && prev.status === status ? prev.at : now;
    this.transitions.set(type, { status, at });
    return { lastProbeTime: null, lastTransitionTime: at, ...extra, status, type };
  }

  private containerStatus(c: CState): Json {
    const r = c.resolution;
    const insts = c.instances;
    const last = insts[insts.length - 1];
    const term = (i: Instance) => ({
      containerID: `containerd://${i.id}`, exitCode: i.exitCode, finishedAt: rfc3339(i.finishedAt!),
      ...(i.message ? { message: i.message } : {}),
      reason: i.reason, startedAt: rfc3339(i.startedAt),
    });
    let state: Json;
    let lastState: Json = {};
    if (last?.proc) {
      state = { running: { startedAt: rfc3339(last.startedAt) } };
      if (insts.length > 1) lastState = { terminated: term(insts[insts.length - 2]) };
    } else if (c.waiting || !last) {
      state = { waiting: c.waiting ? { ...c.waiting } : { reason: 'ContainerCreating' } };
      if (last) lastState = { terminated: term(last) };
    } else {
      state = { terminated: term(last) };
      if (insts.length > 1) lastState = { terminated: term(insts[insts.length - 2]) };
    }
    const s: Json = {};
    if (last) s.containerID = `containerd://${last.id}`;
    s.image = r.ok ? r.image.ref.canonical : c.spec.image;
    s.imageID = r.ok && last ? r.image.imageID : '';
    s.lastState = lastState;
    s.name = c.name;
    s.ready = !!last?.proc && c.ready;
    s.restartCount = Math.max(0, c.starts - 1);
    s.started = !!last?.proc && c.started;
    s.state = state;
    if (last) s.user = { linux: { gid: 0, supplementalGroups: [0, 10], uid: 0 } };
    if (c.spec.volumeMounts?.length) {
      s.volumeMounts = c.spec.volumeMounts.map((m: Json) => ({
        mountPath: m.mountPath, name: m.name, ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
      }));
    }
    return s;
  }

  buildStatus(cur: KObject): Json {
    const old = cur.status ?? {};
    const phase = this.phase();
    const statuses = this.containers.map((c) => this.containerStatus(c));
    const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
    const done = phase === 'Succeeded' || phase === 'Failed';
    const readyCond = (type: string) => (done
      ? this.cond(type, 'False', { reason: 'PodCompleted' })
      : unready.length
        ? this.cond(type, 'False', { message: `containers with unready status: [${unready.join(' ')}]`, reason: 'ContainersNotReady' })
        : this.cond(type, 'True'));
    const scheduled = (old.conditions ?? []).find((c: Json) => c.type === 'PodScheduled');
    const mine = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
    const conditions = [
      this.cond('PodReadyToStartContainers', this.sandboxReady && !(done && this.terminating) ? 'True' : 'False'),
      this.cond('Initialized', 'True'),
      readyCond('Ready'),
      readyCond('ContainersReady'),
      scheduled ?? this.cond('PodScheduled', 'True'),
      ...(old.conditions ?? []).filter((c: Json) => !mine.includes(c.type)),
    ];
    const status: Json = { ...old, conditions, containerStatuses: statuses };
    status.hostIP = this.node.ip;
    status.hostIPs = [{ ip: this.node.ip }];
    status.phase = phase;
    if (this.podIP && this.sandboxReady) {
      status.podIP = this.podIP;
      status.podIPs = [{ ip: this.podIP }];
    }
    if (this.startTime) status.startTime = this.startTime;
    return status;
  }

  // ---------------------------------------------------------------- runtime API support

  container(name: string): CState | undefined {
    return this.containers.find((c) => c.name === name);
  }
}

// ------------------------------------------------------------------ the API server's view

class Runtime implements ContainerRuntime {
  constructor(private readonly set: KubeletSet) {}

  private locate(namespace: string, podName: string): { pod: KObject; worker: PodWorker | undefined } {
    const pod = this.set.ctx.store.tryGet(this.set.podRT, namespace, podName);
    if (!pod) throw errors.notFound('', 'pods', podName);
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) throw errors.badRequest(`pod ${podName} does not have a host assigned`);
    const worker = this.set.node(nodeName)?.workers.get(pod.metadata.uid!);
    return { pod, worker };
  }

  private containerName(pod: KObject, requested: string): string {
    const names: string[] = (pod.spec?.containers ?? []).map((c: Json) => c.name);
    if (!requested) {
      if (names.length === 1) return names[0];
      const init: string[] = (pod.spec?.initContainers ?? []).map((c: Json) => c.name);
      throw errors.badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]${init.length ? ` or one of the init containers: [${init.join(' ')}]` : ''}`);
    }
    if (!names.includes(requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }

  async logs(namespace: string, podName: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
    const { pod, worker } = this.locate(namespace, podName);
    const name = this.containerName(pod, opts.container);
    const c = worker?.container(name);
    const insts = c?.instances ?? [];
    const last = insts[insts.length - 1];
    let inst: Instance | undefined;
    if (opts.previous) {
      // lastState.terminated: the one before a running/terminated container, or the dead one while waiting
      inst = last?.proc || (c && !c.waiting) ? insts[insts.length - 2] : last;
      if (!inst) throw errors.badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    } else if (last) {
      inst = last;
    } else {
      const reason = c?.waiting?.reason ?? 'ContainerCreating';
      const why = reason === 'ErrImagePull' ? 'image can\'t be pulled' : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
      throw errors.badRequest(`container "${name}" in pod "${podName}" is waiting to start: ${why}`);
    }
    const now = this.set.ctx.clock.now();
    let budget = opts.limitBytes && opts.limitBytes > 0 ? opts.limitBytes : Infinity;
    const write = (text: string): boolean => {
      if (budget <= 0) return false;
      const buf = Buffer.from(text);
      if (buf.length > budget) {
        out.write(buf.subarray(0, budget));
        budget = 0;
        return false;
      }
      budget -= buf.length;
      out.write(text);
      return true;
    };
    for (const l of selectLines(inst.logs.lines, { ...opts, now })) if (!write(formatLine(l, opts.timestamps))) return;
    if (!opts.follow || inst.logs.closed || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const stop = inst!.logs.follow((l) => {
        if (!l || !write(formatLine(l, opts.timestamps))) finish();
      });
      const finish = () => {
        stop();
        signal.removeEventListener('abort', finish);
        resolve();
      };
      signal.addEventListener('abort', finish);
    });
  }

  async exec(namespace: string, podName: string, container: string, command: string[], io: SessionIO, signal: AbortSignal): Promise<number> {
    const { pod, worker } = this.locate(namespace, podName);
    const name = this.containerName(pod, container);
    const c = worker?.container(name);
    const inst = c?.instances[c.instances.length - 1];
    if (!worker || !c || !inst?.proc) throw errors.badRequest(`container ${name} is not running`);
    const r = c.resolution;
    if (!r.ok || !r.image.def.shell) {
      // no shell model in this image: nothing starts (what runc reports for a missing executable)
      if (!r.ok || !Object.prototype.hasOwnProperty.call(r.image.binaries, (command[0] ?? '').split('/').pop()!)) {
        throw new ExecStartError(command[0] ?? '', worker.hostname);
      }
      return worker.execIn(c, inst, command, {
        stdout: (t) => io.stdout?.write(t),
        stderr: (t) => (io.tty ? io.stdout : io.stderr)?.write(t),
      });
    }
    return execSession({
      argv: command, io, signal, image: r.image, hostname: worker.hostname, stdio: inst.stdio,
      env: (out) => worker.shellEnv(inst, out),
    });
  }

  async attach(namespace: string, podName: string, container: string, io: SessionIO, signal: AbortSignal): Promise<number> {
    const { pod, worker } = this.locate(namespace, podName);
    const name = this.containerName(pod, container);
    const c = worker?.container(name);
    const inst = c?.instances[c.instances.length - 1];
    if (!inst?.proc || !inst.stdio) throw errors.badRequest(`container ${name} is not running`);
    return attachSession(inst.stdio, io, signal);
  }

  async portForward(namespace: string, podName: string, port: number, conn: Duplex): Promise<void> {
    const { pod } = this.locate(namespace, podName);
    const ip = pod.spec?.hostNetwork ? pod.status?.hostIP : pod.status?.podIP;
    const listener = ip ? this.set.listeners.find(ip, port) : undefined;
    if (!listener) {
      throw errors.badRequest(`error forwarding port ${port} to pod ${pod.metadata.uid}, uid : failed to execute portforward in network namespace: failed to connect to localhost:${port} inside namespace, IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused`);
    }
    // the forwarded connection arrives from inside the pod's network namespace
    await serveHttp(conn, listener.handler, '127.0.0.1');
  }
}

export { parseIPv4 };
