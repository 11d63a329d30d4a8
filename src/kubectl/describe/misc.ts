/** Namespace, ConfigMap, Secret, ServiceAccount, PersistentVolumeClaim, ResourceQuota, LimitRange, PriorityClass. */
import { describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline, refFor, searchEvents, time } from './blocks.js';
import { formatLabels, since } from './format.js';
import { goSort, goStringLess, sortStrings } from './gosort.js';
import { fmtQuantity, parseQuantity, quantityString } from './quantity.js';
import type { DescribeContext } from './types.js';
import { printPersistentVolumeClaim } from './volumes.js';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './writer.js';

function isNotFound(e: unknown): boolean {
  const x = e as { code?: unknown; status?: unknown; reason?: unknown } | undefined;
  return x?.code === 404 || x?.status === 404 || x?.reason === 'NotFound';
}

const QUOTA_SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

function describeResourceQuotas(quotas: any[], w: PrefixWriter): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  const sorted = goSort([...quotas], (a, b) => goStringLess(a?.metadata?.name ?? '', b?.metadata?.name ?? ''));
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const q of sorted) {
    w.write(LEVEL_1, `Name:\t${q?.metadata?.name ?? ''}\n`);
    const scopes = sortStrings([...(q?.spec?.scopes ?? [])]);
    if (scopes.length > 0) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (QUOTA_SCOPE_HELP[s]) w.write(LEVEL_1, `* ${QUOTA_SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    const hard = q?.status?.hard ?? {};
    const used = q?.status?.used ?? {};
    for (const r of sortStrings(Object.keys(hard))) {
      w.write(LEVEL_1, `${r}\t${fmtQuantity(used[r] ?? '0')}\t${fmtQuantity(hard[r])}\n`);
    }
  }
}

function describeLimitRangeSpec(spec: any, prefix: string, w: PrefixWriter): void {
  for (const item of spec?.limits ?? []) {
    const maxR = item?.max ?? {};
    const minR = item?.min ?? {};
    const defL = item?.default ?? {};
    const defR = item?.defaultRequest ?? {};
    const ratio = item?.maxLimitRequestRatio ?? {};
    const names = new Set<string>([...Object.keys(maxR), ...Object.keys(minR), ...Object.keys(defL), ...Object.keys(defR), ...Object.keys(ratio)]);
    // kubectl iterates a Go map here (random order); we print resources sorted
    for (const k of sortStrings([...names])) {
      const v = (m: Record<string, unknown>) => (k in m ? fmtQuantity(m[k]) : '-');
      w.write(LEVEL_0, `${prefix}${item?.type ?? ''}\t${k}\t${v(minR)}\t${v(maxR)}\t${v(defR)}\t${v(defL)}\t${v(ratio)}\n`);
    }
  }
}

function describeLimitRanges(items: any[], w: PrefixWriter): void {
  if (items.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of items) describeLimitRangeSpec(lr?.spec, ' ', w);
}

export async function describeNamespace(ns: any, ctx: DescribeContext): Promise<string> {
  const name: string = ns?.metadata?.name ?? '';
  let quotas: any[] | undefined;
  try {
    quotas = await ctx.reader.list('', 'v1', 'resourcequotas', { namespace: name });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  let limits: any[] | undefined;
  try {
    limits = await ctx.reader.list('', 'v1', 'limitranges', { namespace: name });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${name}\n`);
  printLabelsMultiline(w, 'Labels', ns?.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', ns?.metadata?.annotations);
  w.write(LEVEL_0, `Status:\t${ns?.status?.phase ?? ''}\n`);
  const conds: any[] = ns?.status?.conditions ?? [];
  if (conds.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n');
    w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conds) {
      w.write(LEVEL_1, `${c?.type ?? ''}\t${c?.status ?? ''}\t${time(ctx, c?.lastTransitionTime)}\t${c?.reason ?? ''}\t${c?.message ?? ''}\n`);
    }
  }
  if (quotas) {
    w.write(LEVEL_0, '\n');
    describeResourceQuotas(quotas, w);
  }
  if (limits) {
    w.write(LEVEL_0, '\n');
    describeLimitRanges(limits, w);
  }
  return w.tabbed();
}

export async function describeResourceQuota(rq: any, _ctx: DescribeContext): Promise<string> {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${rq?.metadata?.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${rq?.metadata?.namespace ?? ''}\n`);
  const scopes = sortStrings([...(rq?.spec?.scopes ?? [])]);
  if (scopes.length > 0) {
    w.write(LEVEL_0, `Scopes:\t${scopes.join(', ')}\n`);
    for (const s of scopes) if (QUOTA_SCOPE_HELP[s]) w.write(LEVEL_0, ` * ${QUOTA_SCOPE_HELP[s]}\n`);
  }
  w.write(LEVEL_0, 'Resource\tUsed\tHard\n');
  w.write(LEVEL_0, '--------\t----\t----\n');
  const hard = rq?.status?.hard ?? {};
  const used = rq?.status?.used ?? {};
  for (const r of sortStrings(Object.keys(hard))) {
    const h = parseQuantity(hard[r]);
    let u = parseQuantity(used[r] ?? '0') ?? { nanos: 0n, format: 'DecimalSI' as const };
    if (h && u.format !== h.format) {
      // NewQuantity(used.Value(), hard.Format): an integer value in the hard quantity's format
      const whole = u.nanos >= 0n ? (u.nanos + 999_999_999n) / 1_000_000_000n : u.nanos / 1_000_000_000n;
      u = { nanos: whole * 1_000_000_000n, format: h.format };
    }
    w.write(LEVEL_0, `${r}\t${quantityString(u)}\t${h ? quantityString(h) : String(hard[r])}\n`);
  }
  return w.tabbed();
}

export async function describeLimitRange(lr: any, _ctx: DescribeContext): Promise<string> {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${lr?.metadata?.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${lr?.metadata?.namespace ?? ''}\n`);
  w.write(LEVEL_0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  describeLimitRangeSpec(lr?.spec, '', w);
  return w.tabbed();
}

export async function describeConfigMap(cm: any, ctx: DescribeContext): Promise<string> {
  const md = cm?.metadata ?? {};
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, '\nData\n====\n');
  // kubectl ranges over a Go map (random order); keys are printed sorted here
  const data = cm?.data ?? {};
  for (const k of sortStrings(Object.keys(data))) {
    w.write(LEVEL_0, `${k}:\n----\n`);
    w.write(LEVEL_0, `${String(data[k] ?? '')}\n`);
    w.write(LEVEL_0, '\n');
  }
  w.write(LEVEL_0, '\nBinaryData\n====\n');
  const bin = cm?.binaryData ?? {};
  for (const k of sortStrings(Object.keys(bin))) {
    w.write(LEVEL_0, `${k}: ${Buffer.from(String(bin[k] ?? ''), 'base64').length} bytes\n`);
  }
  w.write(LEVEL_0, '\n');
  if (ctx.settings.showEvents) {
    const events = await searchEvents(ctx, refFor(cm, 'ConfigMap'), true);
    describeEvents(events, w, ctx);
  }
  return w.tabbed();
}

export async function describeSecret(secret: any, _ctx: DescribeContext): Promise<string> {
  const md = secret?.metadata ?? {};
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `\nType:\t${secret?.type ?? ''}\n`);
  w.write(LEVEL_0, '\nData\n====\n');
  // kubectl ranges over a Go map (random order); keys are printed sorted here
  const data = secret?.data ?? {};
  for (const k of sortStrings(Object.keys(data))) {
    const bytes = Buffer.from(String(data[k] ?? ''), 'base64');
    if (k === 'token' && secret?.type === 'kubernetes.io/service-account-token') w.write(LEVEL_0, `${k}:\t${bytes.toString('utf8')}\n`);
    else w.write(LEVEL_0, `${k}:\t${bytes.length} bytes\n`);
  }
  return w.tabbed();
}

export async function describeServiceAccount(sa: any, ctx: DescribeContext): Promise<string> {
  const md = sa?.metadata ?? {};
  const tokens: any[] = [];
  const missing = new Set<string>();
  try {
    const secrets = await ctx.reader.list('', 'v1', 'secrets', { namespace: md.namespace || undefined });
    const existing = new Set<string>();
    for (const s of secrets) {
      if (s?.type === 'kubernetes.io/service-account-token') {
        const ann = s?.metadata?.annotations ?? {};
        if ((ann['kubernetes.io/service-account.name'] ?? '') === (md.name ?? '') && (ann['kubernetes.io/service-account.uid'] ?? '') === (md.uid ?? '')) tokens.push(s);
      }
      existing.add(s?.metadata?.name ?? '');
    }
    for (const s of [...(sa?.secrets ?? []), ...(sa?.imagePullSecrets ?? [])]) if (!existing.has(s?.name ?? '')) missing.add(s?.name ?? '');
  } catch {
    // tolerated, like kubectl
  }
  const events = await eventsFor(ctx, sa, 'ServiceAccount');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  const emptyHeader = '                   ';
  const groups: [string, string[]][] = [
    ['Image pull secrets:', (sa?.imagePullSecrets ?? []).map((s: any) => s?.name ?? '')],
    ['Mountable secrets: ', (sa?.secrets ?? []).map((s: any) => s?.name ?? '')],
    ['Tokens:            ', tokens.map((s) => s?.metadata?.name ?? '')],
  ];
  for (const [header, names] of groups) {
    if (names.length === 0) {
      w.write(LEVEL_0, `${header}\t<none>\n`);
      continue;
    }
    let prefix = header;
    for (const n of names) {
      w.write(LEVEL_0, missing.has(n) ? `${prefix}\t${n} (not found)\n` : `${prefix}\t${n}\n`);
      prefix = emptyHeader;
    }
  }
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

export async function describePersistentVolumeClaim(pvc: any, ctx: DescribeContext): Promise<string> {
  const md = pvc?.metadata ?? {};
  const nsPods = await ctx.reader.list('', 'v1', 'pods', { namespace: md.namespace || undefined });
  const pods: any[] = [];
  for (const p of nsPods) {
    for (const v of p?.spec?.volumes ?? []) if (v?.persistentVolumeClaim && v.persistentVolumeClaim.claimName === md.name) pods.push(p);
  }
  for (const ref of md.ownerReferences ?? []) {
    if (ref?.kind !== 'Pod') continue;
    const owner = nsPods.find((p) => p?.metadata?.uid === ref.uid);
    if (!owner) continue;
    if (pods.some((p) => p?.metadata?.uid === owner?.metadata?.uid)) continue;
    pods.push(owner);
  }
  const events = await eventsFor(ctx, pvc, 'PersistentVolumeClaim');
  const w = new PrefixWriter();
  printPersistentVolumeClaim(w, pvc, true, (ts) => since(ts, ctx.now));
  w.write(LEVEL_0, 'Used By:\t');
  if (pods.length === 0) w.writeLine('<none>');
  else {
    goSort(pods, (a, b) => goStringLess(a?.metadata?.name ?? '', b?.metadata?.name ?? '')).forEach((p, i) => {
      if (i !== 0) {
        w.write(LEVEL_0, '');
        w.write(LEVEL_0, '\t');
      }
      w.write(LEVEL_0, `${p?.metadata?.name ?? ''}\n`);
    });
  }
  const conds: any[] = pvc?.status?.conditions ?? [];
  if (conds.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n');
    w.write(LEVEL_1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conds) {
      w.write(LEVEL_1, `${c?.type ?? ''} \t${c?.status ?? ''} \t${time(ctx, c?.lastProbeTime)} \t${time(ctx, c?.lastTransitionTime)} \t${c?.reason ?? ''} \t${c?.message ?? ''}\n`);
    }
  }
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

export async function describePriorityClass(pc: any, ctx: DescribeContext): Promise<string> {
  const md = pc?.metadata ?? {};
  const events = await eventsFor(ctx, pc, 'PriorityClass');
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Value:\t${pc?.value ?? 0}\n`);
  w.write(LEVEL_0, `GlobalDefault:\t${pc?.globalDefault ? 'true' : 'false'}\n`);
  w.write(LEVEL_0, `PreemptionPolicy:\t${pc?.preemptionPolicy ?? ''}\n`);
  w.write(LEVEL_0, `Description:\t${pc?.description ?? ''}\n`);
  w.write(LEVEL_0, `Annotations:\t${formatLabels(md.annotations)}\n`);
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

