/**
 * The DaemonSet controller (kube-controller-manager's `daemonset-controller`): one pod per
 * eligible node. Since 1.12 the controller does not bind pods itself: each pod gets a required
 * node-affinity term `matchFields metadata.name In [<node>]` and the default DaemonSet
 * tolerations, and the scheduler binds it. A node is eligible when the pod template's
 * nodeSelector and required node affinity match it and every NoSchedule/NoExecute taint is
 * tolerated (cordoned nodes are eligible: the `unschedulable` taint is tolerated).
 *
 * Every template version is kept as a ControllerRevision `<ds>-<hash>`; pods carry
 * `controller-revision-hash` and `pod-template-generation`. RollingUpdate replaces old pods
 * node by node within maxUnavailable (maxSurge 0); OnDelete leaves them alone.
 */
import { daemonPodTolerations, tolerated, type Taint, type Toleration } from '../../api/tolerations.js';
import type { ResourceType } from '../../apiserver/resource.js';
import type { KObject } from '../../apiserver/types.js';
import type { Operator } from '../../apiserver/selectors/labels.js';
import { kindOf, type Component, type ControllerContext } from '../context.js';
import { WorkQueue } from '../queue.js';
import {
  Expectations, FIELD_MANAGER, Requeuer, controllerRef, controllerRefOf, generateName, isAlreadyExists, isNotFound,
  isPodAvailable, isPodReady, splitKey,
} from '../job/util.js';
import { isDeepStrictEqual } from 'node:util';

const SOURCE = { component: 'daemonset-controller' };
export const REVISION_HASH_LABEL = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';


export class DaemonSetController implements Component {
  readonly queue: WorkQueue;
  private readonly dsType: ResourceType;
  private readonly pods: ResourceType;
  private readonly nodes: ResourceType;
  private readonly revisions: ResourceType;
  private readonly expectations: Expectations;
  private readonly requeue: Requeuer;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ControllerContext) {
    this.dsType = kindOf(ctx, 'apps', 'DaemonSet');
    this.pods = kindOf(ctx, '', 'Pod');
    this.nodes = kindOf(ctx, '', 'Node');
    this.revisions = kindOf(ctx, 'apps', 'ControllerRevision');
    this.expectations = new Expectations(() => ctx.clock.now());
    this.queue = new WorkQueue('daemonset-controller', ctx.clock, (key) => this.sync(key));
    this.requeue = new Requeuer(ctx, (key) => this.queue.add(key));
    this.unsubscribe = ctx.store.subscribe((e) => {
      const m = e.object.metadata;
      if (e.rt === this.dsType) {
        this.queue.add(`${m.namespace}/${m.name}`);
      } else if (e.rt === this.pods) {
        const ref = controllerRefOf(e.object) ?? (e.old ? controllerRefOf(e.old) : undefined);
        if (!ref || ref.kind !== 'DaemonSet') return;
        const key = `${m.namespace}/${ref.name}`;
        if (e.type === 'ADDED') this.expectations.creationObserved(key);
        else if (e.type === 'MODIFIED' && m.deletionTimestamp && !e.old?.metadata.deletionTimestamp) this.expectations.deletionObserved(key);
        else if (e.type === 'DELETED' && !e.old?.metadata.deletionTimestamp) this.expectations.deletionObserved(key);
        this.queue.add(key);
      } else if (e.rt === this.nodes) {
        // a node came, went, or changed labels / taints: every DaemonSet may care
        if (e.type === 'MODIFIED' && e.old && !nodeChangeMatters(e.old, e.object)) return;
        this.enqueueAll();
      }
    });
    this.enqueueAll();
  }

  stop(): void {
    this.unsubscribe();
    this.requeue.stop();
  }

  private enqueueAll(): void {
    for (const ds of this.ctx.store.list(this.dsType, undefined).items) this.queue.add(`${ds.metadata.namespace}/${ds.metadata.name}`);
  }

  async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const ds = this.ctx.store.tryGet(this.dsType, ns, name);
    if (!ds) {
      this.expectations.delete(key);
      this.requeue.cancel(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const uid = ds.metadata.uid!;
    const hash = templateHash(ds.spec?.template ?? {}, ds.status?.collisionCount ?? 0);
    await this.ensureRevision(ds, hash);

    const nodes = this.ctx.store.list(this.nodes, undefined).items;
    const nodeNames = new Set(nodes.map((n) => n.metadata.name!));
    const pods = this.ctx.store.list(this.pods, ns).items.filter((p) => controllerRefOf(p)?.uid === uid);
    const byNode = new Map<string, KObject[]>();
    const homeless: KObject[] = [];
    for (const p of pods) {
      const target = targetNodeName(p);
      if (!target || !nodeNames.has(target)) {
        homeless.push(p);
        continue;
      }
      const list = byNode.get(target) ?? [];
      list.push(p);
      byNode.set(target, list);
    }

    if (this.expectations.satisfied(key)) await this.manage(key, ds, nodes, byNode, homeless, hash);

    // status from what is there now
    const fresh = this.ctx.store.list(this.pods, ns).items.filter((p) => controllerRefOf(p)?.uid === uid);
    const now = this.ctx.clock.now();
    const minReady: number = ds.spec?.minReadySeconds ?? 0;
    const freshByNode = new Map<string, KObject[]>();
    for (const p of fresh) {
      const target = targetNodeName(p);
      if (!target || !nodeNames.has(target) || p.metadata.deletionTimestamp) continue;
      freshByNode.set(target, [...(freshByNode.get(target) ?? []), p]);
    }
    let desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
    let nextAvailableCheck = Infinity;
    for (const node of nodes) {
      const run = shouldRun(node, ds);
      const onNode = (freshByNode.get(node.metadata.name!) ?? []).sort(byCreation);
      if (run) {
        desired++;
        if (!onNode.length) continue;
        current++;
        const p = onNode[0];
        if (isPodReady(p)) {
          ready++;
          if (isPodAvailable(p, minReady, now)) available++;
          else nextAvailableCheck = Math.min(nextAvailableCheck, readySince(p) + minReady * 1000 - now);
        }
        if (p.metadata.labels?.[REVISION_HASH_LABEL] === hash) updated++;
      } else if (onNode.length) {
        misscheduled++;
      }
    }
    if (nextAvailableCheck !== Infinity) this.requeue.after(key, nextAvailableCheck);
    const status: Record<string, unknown> = {
      ...(ds.status ?? {}),
      currentNumberScheduled: current,
      desiredNumberScheduled: desired,
      numberMisscheduled: misscheduled,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      numberUnavailable: desired - available,
    };
    for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable']) if (!status[k]) delete status[k];
    if (isDeepStrictEqual(status, ds.status ?? {})) return;
    try {
      await this.ctx.store.guaranteedUpdate(this.dsType, ns, name, (cur) => {
        if (cur.metadata.uid !== uid) return cur;
        return { ...cur, status };
      }, { subresource: 'status', fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async manage(key: string, ds: KObject, nodes: KObject[], byNode: Map<string, KObject[]>, homeless: KObject[], hash: string): Promise<void> {
    const create: string[] = [];
    const remove: KObject[] = [];
    const live = (p: KObject) => !p.metadata.deletionTimestamp;
    // pods whose node is gone
    for (const p of homeless) if (live(p)) remove.push(p);
    const oldOnNode: { node: string; pod: KObject }[] = [];
    let unavailable = 0;
    let desired = 0;
    for (const node of nodes) {
      const nodeName = node.metadata.name!;
      const run = shouldRun(node, ds);
      const pods = (byNode.get(nodeName) ?? []).filter(live).sort(byCreation);
      if (!run) {
        remove.push(...pods);
        continue;
      }
      desired++;
      // failed daemon pods are replaced
      const failed = pods.filter((p) => p.status?.phase === 'Failed');
      remove.push(...failed);
      const running = pods.filter((p) => p.status?.phase !== 'Failed');
      if (!running.length) {
        create.push(nodeName);
        unavailable++;
        continue;
      }
      // more than one: keep the oldest
      remove.push(...running.slice(1));
      const pod = running[0];
      if (!isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, this.ctx.clock.now())) unavailable++;
      if (pod.metadata.labels?.[REVISION_HASH_LABEL] !== hash) oldOnNode.push({ node: nodeName, pod });
    }
    // RollingUpdate: replace old pods within maxUnavailable (unavailable old pods go at once)
    const strategy = ds.spec?.updateStrategy ?? {};
    if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate' && oldOnNode.length) {
      const maxUnavailable = resolveIntOrPercent(strategy.rollingUpdate?.maxUnavailable ?? 1, desired);
      let budget = Math.max(0, maxUnavailable - unavailable);
      for (const { pod } of oldOnNode) {
        if (!isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, this.ctx.clock.now())) {
          remove.push(pod);
        } else if (budget > 0) {
          budget--;
          remove.push(pod);
        }
      }
    }
    if (!create.length && !remove.length) return;
    // expectations first: the watch may report our writes before the calls return
    const exp = this.expectations;
    exp.expect(key, create.length, remove.length);
    let firstErr: unknown;
    for (const nodeName of create) {
      try {
        const pod = await this.createPod(ds, nodeName, hash);
        void this.ctx.events.record(ds, SOURCE, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}` });
      } catch (err) {
        exp.creationObserved(key);
        firstErr ??= err;
        void this.ctx.events.record(ds, SOURCE, { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${(err as Error).message}` });
      }
    }
    for (const p of remove) {
      try {
        await this.ctx.store.delete(this.pods, p.metadata.namespace, p.metadata.name!, {});
        void this.ctx.events.record(ds, SOURCE, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}` });
      } catch (err) {
        exp.deletionObserved(key);
        if (!isNotFound(err)) {
          firstErr ??= err;
          void this.ctx.events.record(ds, SOURCE, { type: 'Warning', reason: 'FailedDelete', message: `Error deleting: ${(err as Error).message}` });
        }
      }
    }
    if (firstErr) throw firstErr;
  }

  private async createPod(ds: KObject, nodeName: string, hash: string): Promise<KObject> {
    const tpl = ds.spec?.template ?? {};
    const meta = tpl.metadata ?? {};
    const spec = structuredClone(tpl.spec ?? {});
    spec.affinity = withNodeNameAffinity(spec.affinity, nodeName);
    spec.tolerations = withDaemonTolerations(spec.tolerations ?? [], spec.hostNetwork === true);
    for (let attempt = 0; ; attempt++) {
      const pod: KObject = {
        apiVersion: 'v1', kind: 'Pod',
        metadata: {
          name: generateName(ds.metadata.name!, this.ctx.random),
          namespace: ds.metadata.namespace,
          labels: { ...(meta.labels ?? {}), [REVISION_HASH_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: String(ds.metadata.generation ?? 1) },
          ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
          ownerReferences: [controllerRef(ds, 'apps/v1', 'DaemonSet')],
        },
        spec,
      };
      try {
        return await this.ctx.store.create(this.pods, ds.metadata.namespace, pod, { fieldManager: FIELD_MANAGER });
      } catch (err) {
        if (isAlreadyExists(err) && attempt < 5) continue;
        throw err;
      }
    }
  }

  /** the ControllerRevision of the current template; old ones beyond revisionHistoryLimit go */
  private async ensureRevision(ds: KObject, hash: string): Promise<void> {
    const ns = ds.metadata.namespace!;
    const uid = ds.metadata.uid!;
    const owned = this.ctx.store.list(this.revisions, ns).items.filter((r) => controllerRefOf(r)?.uid === uid);
    const maxRev = owned.reduce((m, r) => Math.max(m, Number(r.revision ?? 0)), 0);
    const name = `${ds.metadata.name}-${hash}`;
    const cur = owned.find((r) => r.metadata.name === name);
    if (!cur) {
      const tpl = structuredClone(ds.spec?.template ?? {});
      try {
        await this.ctx.store.create(this.revisions, ns, {
          apiVersion: 'apps/v1', kind: 'ControllerRevision',
          metadata: {
            name, namespace: ns,
            labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
            annotations: { ...(ds.metadata.annotations ?? {}) },
            ownerReferences: [controllerRef(ds, 'apps/v1', 'DaemonSet')],
          },
          data: { spec: { template: { ...tpl, $patch: 'replace' } } },
          revision: maxRev + 1,
        }, { fieldManager: FIELD_MANAGER });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    } else if (Number(cur.revision ?? 0) < maxRev) {
      // rolled back to an earlier template: it becomes the newest revision
      await this.ctx.store.guaranteedUpdate(this.revisions, ns, name, (r) => ({ ...r, revision: maxRev + 1 }), { fieldManager: FIELD_MANAGER })
        .catch((err) => { if (!isNotFound(err)) throw err; });
    }
    const limit: number = ds.spec?.revisionHistoryLimit ?? 10;
    const inUse = new Set(this.ctx.store.list(this.pods, ns).items
      .filter((p) => controllerRefOf(p)?.uid === uid).map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]));
    const old = owned.filter((r) => r.metadata.name !== name && !inUse.has(r.metadata.labels?.[REVISION_HASH_LABEL]))
      .sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0));
    for (const r of old.slice(0, Math.max(0, old.length - limit))) {
      await this.ctx.store.delete(this.revisions, ns, r.metadata.name!, {}).catch((err) => { if (!isNotFound(err)) throw err; });
    }
  }
}

export function startDaemonSetController(ctx: ControllerContext): Component {
  return new DaemonSetController(ctx);
}

// ---------------------------------------------------------------- scheduling predicates

/** nodeShouldRunDaemonPod: node selector, required node affinity, NoSchedule/NoExecute taints */
export function shouldRun(node: KObject, ds: KObject): boolean {
  const spec = ds.spec?.template?.spec ?? {};
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return false;
  const labels: Record<string, string> = node.metadata.labels ?? {};
  const sel: Record<string, string> | undefined = spec.nodeSelector;
  if (sel && Object.entries(sel).some(([k, v]) => labels[k] !== v)) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !matchesNodeSelector(required, node)) return false;
  const tolerations = withDaemonTolerations(spec.tolerations ?? [], spec.hostNetwork === true);
  const taints: Taint[] = node.spec?.taints ?? [];
  for (const t of taints) {
    if (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') continue;
    if (!tolerated(tolerations, t)) return false;
  }
  return true;
}

/** a NodeSelector: the terms are ORed, the requirements inside a term ANDed */
export function matchesNodeSelector(sel: { nodeSelectorTerms?: any[] }, node: KObject): boolean {
  const terms = sel.nodeSelectorTerms ?? [];
  if (!terms.length) return false;
  return terms.some((term) => {
    const exprs: any[] = term?.matchExpressions ?? [];
    const fields: any[] = term?.matchFields ?? [];
    if (!exprs.length && !fields.length) return false;
    const labels = node.metadata.labels ?? {};
    const fieldSet: Record<string, string> = { 'metadata.name': node.metadata.name! };
    return exprs.every((e) => requirementMatches(e, labels)) && fields.every((e) => requirementMatches(e, fieldSet));
  });
}

const NODE_OPS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

function requirementMatches(e: { key: string; operator: string; values?: string[] }, labels: Record<string, string>): boolean {
  const op = NODE_OPS[e.operator];
  if (!op) return false;
  return matchRequirement(op, e.key, e.values ?? [], labels);
}

function matchRequirement(op: Operator, key: string, values: string[], labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  const v = labels[key];
  switch (op) {
    case 'in': return has && values.includes(v);
    case 'notin': return !has || !values.includes(v);
    case 'exists': return has;
    case '!': return !has;
    case 'gt': return has && /^-?\d+$/.test(v) && Number(v) > Number(values[0]);
    case 'lt': return has && /^-?\d+$/.test(v) && Number(v) < Number(values[0]);
    default: return false;
  }
}

/** util.AddOrUpdateDaemonPodTolerations: the tolerations every daemon pod gets */
export function withDaemonTolerations(existing: Toleration[], hostNetwork: boolean): Toleration[] {
  const add = daemonPodTolerations(hostNetwork);
  const out = existing.map((t) => ({ ...t }));
  for (const t of add) {
    const i = out.findIndex((x) => x.key === t.key && x.effect === t.effect);
    if (i >= 0) out[i] = t; // AddOrUpdate: ours replaces a same key/effect toleration
    else out.push(t);
  }
  return out;
}

/** util.ReplaceDaemonSetPodNodeNameNodeAffinity */
export function withNodeNameAffinity(affinity: any, nodeName: string): any {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const a = structuredClone(affinity ?? {});
  a.nodeAffinity = { ...(a.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } };
  return a;
}

/** the node a daemon pod is for: spec.nodeName, else its matchFields metadata.name term */
export function targetNodeName(pod: KObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t?.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

function nodeChangeMatters(old: KObject, cur: KObject): boolean {
  return !isDeepStrictEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {})
    || !isDeepStrictEqual(old.spec?.taints ?? [], cur.spec?.taints ?? [])
    || !!old.spec?.unschedulable !== !!cur.spec?.unschedulable;
}

function byCreation(a: KObject, b: KObject): number {
  const c = String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? ''));
  return c !== 0 ? c : String(a.metadata.name).localeCompare(String(b.metadata.name));
}

function readySince(p: KObject): number {
  const c = (p.status?.conditions ?? []).find((x: { type: string }) => x.type === 'Ready');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
}

function resolveIntOrPercent(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  const n = Number(v);
  return Number.isFinite(n) ? n : 1;
}

// ---------------------------------------------------------------- template hash

/**
 * controller.ComputeHash: an FNV-32a hash of the template (and collisionCount) written with
 * rand.SafeEncodeString, so it looks like kube's (e.g. `6b9f8c7d5`). The input is the template
 * as canonical JSON rather than Go's spew dump, so the values differ from a real cluster's.
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const text = canonical(template) + (collisionCount ? String(collisionCount) : '');
  const bytes = Buffer.from(text, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(h >>> 0)].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
