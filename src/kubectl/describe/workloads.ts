/** Workload describers: ReplicationController, ReplicaSet, Deployment, DaemonSet, StatefulSet, Job, CronJob. */
import { describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline, time } from './blocks.js';
import { controllerOf, formatLabels, formatLabelSelector, humanDuration, intOrString, labelSelectorString, parseTime, printController } from './format.js';
import { goSort, goStringLess } from './gosort.js';
import { describePodTemplate } from './podtemplate.js';
import { fmtQuantity } from './quantity.js';
import type { DescribeContext } from './types.js';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './writer.js';

interface PodCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

/** getPodStatusForController: pods matching the selector whose controller ownerRef has the owner's UID */
async function podStatusForController(ctx: DescribeContext, namespace: string, selector: string, uid: string | undefined): Promise<PodCounts> {
  const pods = await ctx.reader.list('', 'v1', 'pods', { namespace: namespace || undefined, labelSelector: selector || undefined });
  const c: PodCounts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    const ref = controllerOf(p);
    if (!ref || (ref.uid ?? '') !== (uid ?? '')) continue;
    switch (p?.status?.phase) {
      case 'Running':
        c.running++;
        break;
      case 'Pending':
        c.waiting++;
        break;
      case 'Succeeded':
        c.succeeded++;
        break;
      case 'Failed':
        c.failed++;
        break;
    }
  }
  return c;
}

const podsStatus = (c: PodCounts): string => `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;

/** selector for a map selector (labels.SelectorFromSet(...).String()) */
function setSelectorString(m: Record<string, string> | undefined): string {
  return labelSelectorString({ matchLabels: m ?? {} });
}

function describeConditionsTable(w: PrefixWriter, conditions: any[] | undefined): void {
  if (!conditions || conditions.length === 0) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${c?.type ?? ''} \t${c?.status ?? ''}\t${c?.reason ?? ''}\n`);
}

export async function describeReplicationController(rc: any, ctx: DescribeContext): Promise<string> {
  const md = rc?.metadata ?? {};
  const spec = rc?.spec ?? {};
  const counts = await podStatusForController(ctx, md.namespace ?? '', setSelectorString(spec.selector), md.uid);
  const events = await eventsFor(ctx, rc, 'ReplicationController');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `Replicas:\t${rc?.status?.replicas ?? 0} current / ${spec.replicas ?? 0} desired\n`);
  w.write(LEVEL_0, `Pods Status:\t${podsStatus(counts)}\n`);
  describePodTemplate(spec.template, w, ctx.tz);
  describeConditionsTable(w, rc?.status?.conditions);
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

export async function describeReplicaSet(rs: any, ctx: DescribeContext): Promise<string> {
  const md = rs?.metadata ?? {};
  const spec = rs?.spec ?? {};
  const selector = labelSelectorString(spec.selector);
  let counts: PodCounts | undefined;
  let podErr: string | undefined;
  try {
    counts = await podStatusForController(ctx, md.namespace ?? '', selector, md.uid);
  } catch (e) {
    podErr = e instanceof Error ? e.message : String(e);
  }
  const events = await eventsFor(ctx, rs, 'ReplicaSet');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  const cb = printController(rs);
  if (cb) w.write(LEVEL_0, `Controlled By:\t${cb}\n`);
  w.write(LEVEL_0, `Replicas:\t${rs?.status?.replicas ?? 0} current / ${spec.replicas ?? 0} desired\n`);
  w.write(LEVEL_0, 'Pods Status:\t');
  if (podErr !== undefined) w.write(LEVEL_0, `error in fetching pods: ${podErr}\n`);
  else w.write(LEVEL_0, `${podsStatus(counts!)}\n`);
  describePodTemplate(spec.template ?? {}, w, ctx.tz);
  describeConditionsTable(w, rs?.status?.conditions);
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

/** JSON semantic equality in the spirit of apiequality.Semantic.DeepEqual on decoded structs */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const a = v.map(normalize);
    return a.length === 0 ? undefined : a;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (v === null || v === '') return undefined;
  return v;
}

function templatesEqualIgnoreHash(a: any, b: any): boolean {
  const strip = (t: any) => {
    const c = JSON.parse(JSON.stringify(t ?? {}));
    if (c?.metadata?.labels) delete c.metadata.labels['pod-template-hash'];
    return JSON.stringify(normalize(c)) ?? '';
  };
  return strip(a) === strip(b);
}

export async function describeDeployment(d: any, ctx: DescribeContext): Promise<string> {
  const md = d?.metadata ?? {};
  const spec = d?.spec ?? {};
  const selector = labelSelectorString(spec.selector);
  const events = await eventsFor(ctx, d, 'Deployment');
  let oldRSs: any[] = [];
  let newRSs: any[] = [];
  try {
    const all = await ctx.reader.list('apps', 'v1', 'replicasets', { namespace: md.namespace || undefined, labelSelector: selector || undefined });
    const owned = all.filter((rs) => {
      const ref = controllerOf(rs);
      return ref && ref.uid === md.uid;
    });
    goSort(owned, (x, y) => {
      const tx = parseTime(x?.metadata?.creationTimestamp) ?? -Infinity;
      const ty = parseTime(y?.metadata?.creationTimestamp) ?? -Infinity;
      if (tx === ty) return goStringLess(x?.metadata?.name ?? '', y?.metadata?.name ?? '');
      return tx < ty;
    });
    const newRS = owned.find((rs) => templatesEqualIgnoreHash(rs?.spec?.template, spec.template));
    if (newRS) newRSs = [newRS];
    oldRSs = owned.filter((rs) => !newRS || rs?.metadata?.uid !== newRS?.metadata?.uid);
  } catch {
    oldRSs = [];
    newRSs = [];
  }
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${time(ctx, md.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `Selector:\t${selector}\n`);
  const st = d?.status ?? {};
  w.write(
    LEVEL_0,
    `Replicas:\t${spec.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(LEVEL_0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
  w.write(LEVEL_0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrStringPtr(ru.maxUnavailable)} max unavailable, ${intOrStringPtr(ru.maxSurge)} max surge\n`);
  describePodTemplate(spec.template ?? {}, w, ctx.tz);
  describeConditionsTable(w, st.conditions);
  if (oldRSs.length > 0 || newRSs.length > 0) {
    w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetList(oldRSs)}\n`);
    w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetList(newRSs)}\n`);
  }
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

/** (*IntOrString).String() — a nil pointer prints "<nil>" */
function intOrStringPtr(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : intOrString(v);
}

function replicaSetList(rss: any[]): string {
  const s = rss.map((rs) => `${rs?.metadata?.name ?? ''} (${rs?.status?.replicas ?? 0}/${rs?.spec?.replicas ?? 0} replicas created)`).join(', ');
  return s === '' ? '<none>' : s;
}

export async function describeDaemonSet(ds: any, ctx: DescribeContext): Promise<string> {
  const md = ds?.metadata ?? {};
  const spec = ds?.spec ?? {};
  const selector = labelSelectorString(spec.selector);
  const counts = await podStatusForController(ctx, md.namespace ?? '', selector, md.uid);
  const events = await eventsFor(ctx, ds, 'DaemonSet');
  const st = ds?.status ?? {};
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Selector:\t${selector}\n`);
  w.write(LEVEL_0, `Node-Selector:\t${formatLabels(spec.template?.spec?.nodeSelector)}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  w.write(LEVEL_0, `Pods Status:\t${podsStatus(counts)}\n`);
  describePodTemplate(spec.template ?? {}, w, ctx.tz);
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

export async function describeStatefulSet(ss: any, ctx: DescribeContext): Promise<string> {
  const md = ss?.metadata ?? {};
  const spec = ss?.spec ?? {};
  const selector = labelSelectorString(spec.selector);
  const counts = await podStatusForController(ctx, md.namespace ?? '', selector, md.uid);
  const events = await eventsFor(ctx, ss, 'StatefulSet');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${time(ctx, md.creationTimestamp)}\n`);
  w.write(LEVEL_0, `Selector:\t${selector}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `Replicas:\t${spec.replicas ?? 0} desired | ${ss?.status?.replicas ?? 0} total\n`);
  w.write(LEVEL_0, `Update Strategy:\t${spec.updateStrategy?.type ?? ''}\n`);
  const ru = spec.updateStrategy?.rollingUpdate;
  if (ru && ru.partition !== undefined && ru.partition !== null) {
    w.write(LEVEL_1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.write(LEVEL_1, `MaxUnavailable:\t${intOrString(ru.maxUnavailable)}\n`);
  }
  w.write(LEVEL_0, `Pods Status:\t${podsStatus(counts)}\n`);
  describePodTemplate(spec.template ?? {}, w, ctx.tz);
  const templates: any[] = spec.volumeClaimTemplates ?? [];
  if (templates.length === 0) w.write(LEVEL_0, 'Volume Claims:\t<none>\n');
  else {
    w.write(LEVEL_0, 'Volume Claims:\n');
    for (const pvc of templates) {
      w.write(LEVEL_1, `Name:\t${pvc?.metadata?.name ?? ''}\n`);
      const ann = pvc?.metadata?.annotations ?? {};
      const cls = 'volume.beta.kubernetes.io/storage-class' in ann ? String(ann['volume.beta.kubernetes.io/storage-class']) : (pvc?.spec?.storageClassName ?? '');
      w.write(LEVEL_1, `StorageClass:\t${cls}\n`);
      printLabelsMultiline(w, 'Labels', pvc?.metadata?.labels, '  ');
      printLabelsMultiline(w, 'Annotations', pvc?.metadata?.annotations, '  ');
      const cap = pvc?.spec?.resources?.requests?.storage;
      w.write(LEVEL_1, `Capacity:\t${cap !== undefined ? fmtQuantity(cap) : '<default>'}\n`);
      w.write(LEVEL_1, `Access Modes:\t[${(pvc?.spec?.accessModes ?? []).join(' ')}]\n`);
    }
  }
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

function capIndexesListOrNone(indexes: string, softLimit: number): string {
  if (indexes.length === 0) return '<none>';
  let ix = softLimit;
  for (; ix < indexes.length; ix++) if (indexes[ix] === ',') break;
  if (ix >= indexes.length) return indexes;
  return indexes.slice(0, ix + 1) + '...';
}

function selectorLine(sel: any): string {
  try {
    return labelSelectorString(sel);
  } catch (e) {
    return `Failed to get selector: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export async function describeJob(job: any, ctx: DescribeContext): Promise<string> {
  const md = job?.metadata ?? {};
  const spec = job?.spec ?? {};
  const st = job?.status ?? {};
  const events = await eventsFor(ctx, job, 'Job');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Selector:\t${selectorLine(spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  const cb = printController(job);
  if (cb) w.write(LEVEL_0, `Controlled By:\t${cb}\n`);
  const has = (v: unknown) => v !== undefined && v !== null;
  if (has(spec.parallelism)) w.write(LEVEL_0, `Parallelism:\t${spec.parallelism}\n`);
  if (has(spec.completions)) w.write(LEVEL_0, `Completions:\t${spec.completions}\n`);
  else w.write(LEVEL_0, 'Completions:\t<unset>\n');
  if (has(spec.completionMode)) w.write(LEVEL_0, `Completion Mode:\t${spec.completionMode}\n`);
  if (has(spec.suspend)) w.write(LEVEL_0, `Suspend:\t${spec.suspend ? 'true' : 'false'}\n`);
  if (has(spec.backoffLimit)) w.write(LEVEL_0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (has(spec.ttlSecondsAfterFinished)) w.write(LEVEL_0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(LEVEL_0, `Start Time:\t${time(ctx, st.startTime)}\n`);
  if (st.completionTime) w.write(LEVEL_0, `Completed At:\t${time(ctx, st.completionTime)}\n`);
  if (st.startTime && st.completionTime) {
    const start = parseTime(st.startTime) ?? 0;
    const end = parseTime(st.completionTime) ?? 0;
    w.write(LEVEL_0, `Duration:\t${humanDuration(end - start)}\n`);
  }
  if (has(spec.activeDeadlineSeconds)) w.write(LEVEL_0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  if (!has(st.ready)) w.write(LEVEL_0, `Pods Statuses:\t${st.active ?? 0} Active / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  else w.write(LEVEL_0, `Pods Statuses:\t${st.active ?? 0} Active (${st.ready} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec.completionMode === 'Indexed') w.write(LEVEL_0, `Completed Indexes:\t${capIndexesListOrNone(st.completedIndexes ?? '', 50)}\n`);
  describePodTemplate(spec.template ?? {}, w, ctx.tz);
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

export async function describeCronJob(cj: any, ctx: DescribeContext): Promise<string> {
  const md = cj?.metadata ?? {};
  const spec = cj?.spec ?? {};
  const st = cj?.status ?? {};
  const events = await eventsFor(ctx, cj, 'CronJob');
  const has = (v: unknown) => v !== undefined && v !== null;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `Schedule:\t${spec.schedule ?? ''}\n`);
  w.write(LEVEL_0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
  w.write(LEVEL_0, `Suspend:\t${has(spec.suspend) ? (spec.suspend ? 'True' : 'False') : '<unset>'}\n`);
  w.write(LEVEL_0, `Successful Job History Limit:\t${has(spec.successfulJobsHistoryLimit) ? spec.successfulJobsHistoryLimit : '<unset>'}\n`);
  w.write(LEVEL_0, `Failed Job History Limit:\t${has(spec.failedJobsHistoryLimit) ? spec.failedJobsHistoryLimit : '<unset>'}\n`);
  w.write(LEVEL_0, `Starting Deadline Seconds:\t${has(spec.startingDeadlineSeconds) ? `${spec.startingDeadlineSeconds}s` : '<unset>'}\n`);
  const jt = spec.jobTemplate?.spec ?? {};
  w.write(LEVEL_0, `Selector:\t${has(jt.selector) ? selectorLine(jt.selector) : '<unset>'}\n`);
  w.write(LEVEL_0, `Parallelism:\t${has(jt.parallelism) ? jt.parallelism : '<unset>'}\n`);
  w.write(LEVEL_0, `Completions:\t${has(jt.completions) ? jt.completions : '<unset>'}\n`);
  if (has(jt.activeDeadlineSeconds)) w.write(LEVEL_0, `Active Deadline Seconds:\t${jt.activeDeadlineSeconds}s\n`);
  describePodTemplate(jt.template ?? {}, w, ctx.tz);
  w.write(LEVEL_0, `Last Schedule Time:\t${st.lastScheduleTime ? time(ctx, st.lastScheduleTime) : '<unset>'}\n`);
  w.write(LEVEL_0, 'Active Jobs:\t');
  const active: any[] = st.active ?? [];
  if (active.length === 0) w.writeLine('<none>');
  else {
    active.forEach((j, i) => {
      if (i !== 0) w.write(LEVEL_0, ', ');
      w.write(LEVEL_0, j?.name ?? '');
    });
    w.writeLine('');
  }
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}
