/**
 * The container lifecycle as data, in the spirit of kwok's Stages: each stage says when it
 * applies (requirements on the container's facts), how long it takes, and what follows (the
 * next step, the waiting reason shown in status, the events the kubelet records). The kubelet
 * computes facts, picks the first matching stage, waits its delay and applies `next`.
 * Matching and planning are pure.
 */

export type Step =
  | 'new' // nothing done yet (or a retry after back-off)
  | 'pulling'
  | 'pulled'
  | 'pull-failed'
  | 'pull-backoff'
  | 'created'
  | 'running'
  | 'blocked' // needs a spec change (InvalidImageName, ErrImageNeverPull)
  | 'start-failed';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** what the kubelet knows about one container when it picks a stage */
export interface ContainerFacts {
  step: Step;
  pullPolicy: PullPolicy;
  /** the image is in the node's image store */
  imagePresent: boolean;
  /** the registry has it */
  imageResolvable: boolean;
  /** the reference does not parse */
  imageInvalid: boolean;
  /** the container's process can be started (entrypoint/command exist in the image) */
  startable: boolean;
}

export interface StageWhen {
  step: Step[];
  pullPolicy?: PullPolicy[];
  imagePresent?: boolean;
  imageResolvable?: boolean;
  imageInvalid?: boolean;
  startable?: boolean;
}

export interface Delay {
  ms: number;
  jitterMs: number;
  /** extra ms per MiB of image (pulls) */
  perMiB?: number;
}

export interface EventTemplate {
  type: 'Normal' | 'Warning';
  reason: string;
  /** `{image}` `{container}` `{duration}` `{size}` `{error}` are filled in */
  message: string;
}

export type StageAction = 'start' | 'pull-failed' | 'start-failed';

export interface Stage {
  name: string;
  when: StageWhen;
  /** key into the profile's delays */
  delay: string;
  next: {
    step: Step;
    events?: EventTemplate[];
    /** container state.waiting while in the next step (null: not waiting) */
    waiting?: { reason: string; message?: string } | null;
    action?: StageAction;
  };
}

export const CONTAINER_STAGES: Stage[] = [
  {
    name: 'image-invalid',
    when: { step: ['new'], imageInvalid: true },
    delay: 'none',
    next: {
      step: 'blocked',
      events: [
        { type: 'Warning', reason: 'InspectFailed', message: '{error}' },
        { type: 'Warning', reason: 'Failed', message: 'Error: InvalidImageName' },
      ],
      waiting: { reason: 'InvalidImageName', message: '{error}' },
    },
  },
  {
    name: 'image-present',
    when: { step: ['new'], pullPolicy: ['IfNotPresent', 'Never'], imagePresent: true },
    delay: 'none',
    next: {
      step: 'pulled',
      events: [{ type: 'Normal', reason: 'Pulled', message: 'Container image "{image}" already present on machine' }],
    },
  },
  {
    name: 'image-never-pull',
    when: { step: ['new'], pullPolicy: ['Never'], imagePresent: false },
    delay: 'none',
    next: {
      step: 'blocked',
      events: [
        { type: 'Warning', reason: 'ErrImageNeverPull', message: 'Container image "{image}" is not present with pull policy of Never' },
        { type: 'Warning', reason: 'Failed', message: 'Error: ErrImageNeverPull' },
      ],
      waiting: { reason: 'ErrImageNeverPull', message: 'Container image "{image}" is not present with pull policy of Never' },
    },
  },
  {
    name: 'pull-start',
    when: { step: ['new'] },
    delay: 'none',
    next: { step: 'pulling', events: [{ type: 'Normal', reason: 'Pulling', message: 'Pulling image "{image}"' }] },
  },
  {
    name: 'pull-cached',
    when: { step: ['pulling'], imageResolvable: true, imagePresent: true },
    delay: 'pullCached',
    next: {
      step: 'pulled',
      events: [{ type: 'Normal', reason: 'Pulled', message: 'Successfully pulled image "{image}" in {duration} ({duration} including waiting). Image size: {size} bytes.' }],
    },
  },
  {
    name: 'pull-done',
    when: { step: ['pulling'], imageResolvable: true },
    delay: 'pull',
    next: {
      step: 'pulled',
      events: [{ type: 'Normal', reason: 'Pulled', message: 'Successfully pulled image "{image}" in {duration} ({duration} including waiting). Image size: {size} bytes.' }],
    },
  },
  {
    name: 'pull-failed',
    when: { step: ['pulling'], imageResolvable: false },
    delay: 'pullFailed',
    next: {
      step: 'pull-failed',
      events: [
        { type: 'Warning', reason: 'Failed', message: 'Failed to pull image "{image}": {error}' },
        { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' },
      ],
      waiting: { reason: 'ErrImagePull', message: '{error}' },
      action: 'pull-failed',
    },
  },
  {
    name: 'pull-backoff',
    when: { step: ['pull-failed'] },
    delay: 'backoffSync',
    next: {
      step: 'pull-backoff',
      events: [
        { type: 'Normal', reason: 'BackOff', message: 'Back-off pulling image "{image}"' },
        { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff' },
      ],
      waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "{image}": ErrImagePull: {error}' },
    },
  },
  {
    name: 'create',
    when: { step: ['pulled'] },
    delay: 'create',
    next: { step: 'created', events: [{ type: 'Normal', reason: 'Created', message: 'Created container: {container}' }] },
  },
  {
    name: 'start-failed',
    when: { step: ['created'], startable: false },
    delay: 'start',
    next: {
      step: 'start-failed',
      events: [{ type: 'Warning', reason: 'Failed', message: 'Error: {error}' }],
      action: 'start-failed',
    },
  },
  {
    name: 'start',
    when: { step: ['created'] },
    delay: 'start',
    next: { step: 'running', events: [{ type: 'Normal', reason: 'Started', message: 'Started container {container}' }], waiting: null, action: 'start' },
  },
];

export type ProfileName = 'fast' | 'realistic';

export interface Profile {
  name: ProfileName;
  delays: Record<string, Delay>;
  /** pod sandbox (network namespace, IP) before containers are set up */
  sandbox: Delay;
  /** a program that handles SIGTERM (nginx) needs this long to exit */
  probeJitterMs: number;
}

export const PROFILES: Record<ProfileName, Profile> = {
  fast: {
    name: 'fast',
    sandbox: { ms: 100, jitterMs: 0 },
    delays: {
      none: { ms: 0, jitterMs: 0 },
      pull: { ms: 1200, jitterMs: 0 },
      pullCached: { ms: 300, jitterMs: 0 },
      pullFailed: { ms: 500, jitterMs: 0 },
      backoffSync: { ms: 500, jitterMs: 0 },
      create: { ms: 100, jitterMs: 0 },
      start: { ms: 100, jitterMs: 0 },
    },
    probeJitterMs: 0,
  },
  realistic: {
    name: 'realistic',
    sandbox: { ms: 800, jitterMs: 700 },
    delays: {
      none: { ms: 0, jitterMs: 0 },
      pull: { ms: 1500, jitterMs: 1500, perMiB: 15 },
      pullCached: { ms: 400, jitterMs: 600 },
      pullFailed: { ms: 1200, jitterMs: 1500 },
      backoffSync: { ms: 1000, jitterMs: 1000 },
      create: { ms: 150, jitterMs: 200 },
      start: { ms: 250, jitterMs: 400 },
    },
    probeJitterMs: 1000,
  },
};

/** the first stage whose requirements the facts meet */
export function matchStage(stages: Stage[], facts: ContainerFacts): Stage | undefined {
  return stages.find((s) => {
    const w = s.when;
    if (!w.step.includes(facts.step)) return false;
    if (w.pullPolicy && !w.pullPolicy.includes(facts.pullPolicy)) return false;
    for (const k of ['imagePresent', 'imageResolvable', 'imageInvalid', 'startable'] as const) {
      if (w[k] !== undefined && w[k] !== facts[k]) return false;
    }
    return true;
  });
}

export interface StageVars {
  image: string;
  container: string;
  sizeBytes?: number;
  error?: string;
}

export interface RenderedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface StagePlan {
  stage: string;
  delayMs: number;
  step: Step;
  events: RenderedEvent[];
  waiting?: { reason: string; message?: string } | null;
  action?: StageAction;
}

export function delayMs(d: Delay, random: () => number, sizeBytes = 0): number {
  return Math.round(d.ms + (d.perMiB ?? 0) * (sizeBytes / 1048576) + (d.jitterMs ? random() * d.jitterMs : 0));
}

/** Go's time.Duration String() for whole milliseconds: `830ms`, `1.2s`, `1m5.5s` */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number(s.toFixed(3))}s`;
  if (h) return `${h}h${m}m${sec}`;
  if (m) return `${m}m${sec}`;
  return sec;
}

/** what happens next for a container: the stage, its delay and its rendered output */
export function planStage(stage: Stage, profile: Profile, vars: StageVars, random: () => number): StagePlan {
  const d = profile.delays[stage.delay] ?? { ms: 0, jitterMs: 0 };
  const ms = delayMs(d, random, vars.sizeBytes);
  const fill = (t: string) => t
    .replaceAll('{image}', vars.image)
    .replaceAll('{container}', vars.container)
    .replaceAll('{duration}', goDuration(ms))
    .replaceAll('{size}', String(vars.sizeBytes ?? 0))
    .replaceAll('{error}', vars.error ?? '');
  const plan: StagePlan = {
    stage: stage.name,
    delayMs: ms,
    step: stage.next.step,
    events: (stage.next.events ?? []).map((e) => ({ type: e.type, reason: e.reason, message: fill(e.message) })),
  };
  if (stage.next.waiting !== undefined) {
    plan.waiting = stage.next.waiting && {
      reason: stage.next.waiting.reason,
      ...(stage.next.waiting.message ? { message: fill(stage.next.waiting.message) } : {}),
    };
  }
  if (stage.next.action) plan.action = stage.next.action;
  return plan;
}

/** kube's container restart back-off: 10 s doubling to 5 min, forgotten after 10 min */
export const BACKOFF = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

export interface BackoffEntry {
  durationMs: number;
  lastUpdate: number;
}

/** is a restart (or pull) at `now` still held back? returns the wait, or 0 */
export function backoffWait(entry: BackoffEntry | undefined, eventTime: number, now: number): number {
  if (!entry) return 0;
  if (eventTime - entry.lastUpdate > BACKOFF.resetAfterMs) return 0;
  const until = eventTime + entry.durationMs;
  return Math.max(0, until - now);
}

/** the entry after a (re)try at `now`: doubled, or fresh when expired */
export function backoffNext(entry: BackoffEntry | undefined, now: number): BackoffEntry {
  if (!entry || now - entry.lastUpdate > BACKOFF.resetAfterMs) return { durationMs: BACKOFF.initialMs, lastUpdate: now };
  return { durationMs: Math.min(entry.durationMs * 2, BACKOFF.maxMs), lastUpdate: now };
}
