/** Node describer (lease, conditions, capacity, non-terminated pods, allocated resources). */
import { describeEvents, printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, refFor, searchEvents, time } from './blocks.js';
import { since } from './format.js';
import { sortStrings } from './gosort.js';
import { add, cmp, milliValue, parseQuantity, quantityString, value, ZERO, type Quantity } from './quantity.js';
import type { DescribeContext } from './types.js';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './writer.js';

type ResourceList = Map<string, Quantity>;

function toList(raw: Record<string, unknown> | undefined | null): ResourceList {
  const m: ResourceList = new Map();
  for (const [k, v] of Object.entries(raw ?? {})) {
    const qq = parseQuantity(v);
    if (qq) m.set(k, qq);
  }
  return m;
}

function addResourceList(list: ResourceList, src: ResourceList): void {
  for (const [name, qq] of src) {
    const cur = list.get(name);
    list.set(name, cur ? add(cur, qq) : { ...qq });
  }
}

function maxResourceList(list: ResourceList, src: ResourceList): void {
  for (const [name, qq] of src) {
    const cur = list.get(name);
    if (!cur || cmp(qq, cur) > 0) list.set(name, { ...qq });
  }
}

function isPodResizeInfeasible(pod: any): boolean {
  return (pod?.status?.conditions ?? []).some((c: any) => c?.type === 'PodResizePending' && c?.status === 'True' && c?.reason === 'Infeasible');
}

/** resourcehelper.PodRequestsAndLimits */
export function podRequestsAndLimits(pod: any): { reqs: ResourceList; limits: ResourceList } {
  const statuses = new Map<string, any>();
  for (const s of pod?.status?.containerStatuses ?? []) statuses.set(s?.name, s);
  for (const s of pod?.status?.initContainerStatuses ?? []) statuses.set(s?.name, s);
  const containerReqs = (c: any): ResourceList => {
    const base = toList(c?.resources?.requests);
    const cs = statuses.get(c?.name);
    if (cs && cs.resources) {
      const res = isPodResizeInfeasible(pod) ? toList(cs.resources.requests) : base;
      const out: ResourceList = new Map(res);
      if (!isPodResizeInfeasible(pod)) maxResourceList(out, toList(cs.resources.requests));
      maxResourceList(out, toList(cs.allocatedResources));
      return out;
    }
    return base;
  };
  const reqs: ResourceList = new Map();
  for (const c of pod?.spec?.containers ?? []) addResourceList(reqs, containerReqs(c));
  const restartableReqs: ResourceList = new Map();
  const initReqs: ResourceList = new Map();
  for (const c of pod?.spec?.initContainers ?? []) {
    let cr: ResourceList;
    if (c?.restartPolicy === 'Always') {
      cr = containerReqs(c);
      addResourceList(reqs, cr);
      addResourceList(restartableReqs, cr);
      cr = restartableReqs;
    } else {
      const tmp: ResourceList = new Map();
      addResourceList(tmp, toList(c?.resources?.requests));
      addResourceList(tmp, restartableReqs);
      cr = tmp;
    }
    maxResourceList(initReqs, cr);
  }
  maxResourceList(reqs, initReqs);
  if (pod?.spec?.overhead) addResourceList(reqs, toList(pod.spec.overhead));

  const limits: ResourceList = new Map();
  for (const c of pod?.spec?.containers ?? []) addResourceList(limits, toList(c?.resources?.limits));
  const restartableLimits: ResourceList = new Map();
  const initLimits: ResourceList = new Map();
  for (const c of pod?.spec?.initContainers ?? []) {
    let cl = toList(c?.resources?.limits);
    if (c?.restartPolicy === 'Always') {
      addResourceList(limits, cl);
      addResourceList(restartableLimits, cl);
      cl = restartableLimits;
    } else {
      const tmp: ResourceList = new Map();
      addResourceList(tmp, cl);
      addResourceList(tmp, restartableLimits);
      cl = tmp;
    }
    maxResourceList(initLimits, cl);
  }
  maxResourceList(limits, initLimits);
  if (pod?.spec?.overhead) {
    for (const [name, qq] of toList(pod.spec.overhead)) {
      const cur = limits.get(name);
      if (cur && cur.nanos !== 0n) limits.set(name, add(cur, qq));
    }
  }
  return { reqs, limits };
}

/** int64(float64(a)/float64(b)*100) with Go/amd64 semantics for division by zero */
function percent(a: bigint, b: bigint): string {
  // float division by zero gives ±Inf/NaN, which int64() turns into math.MinInt64 on amd64
  if (b === 0n) return '-9223372036854775808';
  return String(Math.trunc((Number(a) / Number(b)) * 100));
}

const get = (m: ResourceList, k: string): Quantity => m.get(k) ?? ZERO;

/** node roles from node-role.kubernetes.io/<role> and kubernetes.io/role labels */
function findNodeRoles(node: any): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node?.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(String(v));
    }
  }
  return sortStrings([...roles]);
}

function describeNodeResource(pods: any[], node: any, w: PrefixWriter, ctx: DescribeContext): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const alloc = Object.keys(node?.status?.allocatable ?? {}).length > 0 ? toList(node.status.allocatable) : toList(node?.status?.capacity);
  const allocCpu = milliValue(get(alloc, 'cpu'));
  const allocMem = value(get(alloc, 'memory'));
  for (const pod of pods) {
    const { reqs, limits } = podRequestsAndLimits(pod);
    const cpuReq = get(reqs, 'cpu');
    const cpuLim = get(limits, 'cpu');
    const memReq = get(reqs, 'memory');
    const memLim = get(limits, 'memory');
    w.write(
      LEVEL_1,
      `${pod?.metadata?.namespace ?? ''}\t${pod?.metadata?.name ?? ''}\t\t${quantityString(cpuReq)} (${percent(milliValue(cpuReq), allocCpu)}%)\t${quantityString(cpuLim)} (${percent(milliValue(cpuLim), allocCpu)}%)\t${quantityString(memReq)} (${percent(value(memReq), allocMem)}%)\t${quantityString(memLim)} (${percent(value(memLim), allocMem)}%)\t${since(pod?.metadata?.creationTimestamp, ctx.now)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const reqs: ResourceList = new Map();
  const limits: ResourceList = new Map();
  for (const pod of pods) {
    const r = podRequestsAndLimits(pod);
    addResourceList(reqs, r.reqs);
    addResourceList(limits, r.limits);
  }
  const pct0 = (a: bigint, b: bigint): string => (b === 0n ? '0' : percent(a, b));
  const row = (name: string, r: Quantity, l: Quantity, rv: bigint, lv: bigint, av: bigint) =>
    w.write(LEVEL_1, `${name}\t${quantityString(r)} (${pct0(rv, av)}%)\t${quantityString(l)} (${pct0(lv, av)}%)\n`);
  row('cpu', get(reqs, 'cpu'), get(limits, 'cpu'), milliValue(get(reqs, 'cpu')), milliValue(get(limits, 'cpu')), allocCpu);
  row('memory', get(reqs, 'memory'), get(limits, 'memory'), value(get(reqs, 'memory')), value(get(limits, 'memory')), allocMem);
  const es = 'ephemeral-storage';
  row(es, get(reqs, es), get(limits, es), value(get(reqs, es)), value(get(limits, es)), value(get(alloc, es)));
  const huge: string[] = [];
  const ext: string[] = [];
  for (const name of alloc.keys()) {
    if (name.startsWith('hugepages-')) huge.push(name);
    else if (!['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(name)) ext.push(name);
  }
  for (const name of sortStrings(huge)) {
    row(name, get(reqs, name), get(limits, name), value(get(reqs, name)), value(get(limits, name)), value(get(alloc, name)));
  }
  for (const name of sortStrings(ext)) {
    w.write(LEVEL_1, `${name}\t${quantityString(get(reqs, name))}\t${quantityString(get(limits, name))}\n`);
  }
}

export async function describeNode(node: any, ctx: DescribeContext): Promise<string> {
  const md = node?.metadata ?? {};
  const name: string = md.name ?? '';
  let pods: any[] | undefined;
  try {
    pods = await ctx.reader.list('', 'v1', 'pods', {
      fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`,
    });
  } catch (e) {
    if (!isForbidden(e)) throw e;
    pods = undefined;
  }
  let events: any[] | undefined;
  if (ctx.settings.showEvents) {
    const ref = refFor(node, 'Node');
    events = await searchEvents(ctx, ref);
    events = events.concat(await searchEvents(ctx, { ...ref, uid: name || undefined }));
  }
  let lease: any;
  let leaseErr: string | undefined;
  try {
    lease = await ctx.reader.get('coordination.k8s.io', 'v1', 'leases', 'kube-node-lease', name);
    if (!lease) leaseErr = `leases.coordination.k8s.io "${name}" not found`;
  } catch (e) {
    leaseErr = e instanceof Error ? e.message : String(e);
  }

  const w = new PrefixWriter();
  const spec = node?.spec ?? {};
  const st = node?.status ?? {};
  w.write(LEVEL_0, `Name:\t${name}\n`);
  const roles = findNodeRoles(node);
  w.write(LEVEL_0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  w.write(LEVEL_0, `CreationTimestamp:\t${time(ctx, md.creationTimestamp)}\n`);
  printTaintsMultiline(w, 'Taints', spec.taints);
  w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable ? 'true' : 'false'}\n`);
  if (leaseErr !== undefined) w.write(LEVEL_0, `Lease:\tFailed to get lease: ${leaseErr}\n`);
  else {
    w.write(LEVEL_0, 'Lease:\n');
    const ls = lease?.spec ?? {};
    w.write(LEVEL_1, `HolderIdentity:\t${ls.holderIdentity ?? '<unset>'}\n`);
    w.write(LEVEL_1, `AcquireTime:\t${ls.acquireTime ? time(ctx, ls.acquireTime) : '<unset>'}\n`);
    w.write(LEVEL_1, `RenewTime:\t${ls.renewTime ? time(ctx, ls.renewTime) : '<unset>'}\n`);
  }
  const conditions: any[] = st.conditions ?? [];
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      w.write(
        LEVEL_1,
        `${c?.type ?? ''} \t${c?.status ?? ''} \t${time(ctx, c?.lastHeartbeatTime)} \t${time(ctx, c?.lastTransitionTime)} \t${c?.reason ?? ''} \t${c?.message ?? ''}\n`,
      );
    }
  }
  w.write(LEVEL_0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(LEVEL_1, `${a?.type ?? ''}:\t${a?.address ?? ''}\n`);
  const printResourceList = (raw: Record<string, unknown>) => {
    for (const k of sortStrings(Object.keys(raw))) {
      const qq = parseQuantity(raw[k]);
      w.write(LEVEL_0, `  ${k}:\t${qq ? quantityString(qq) : String(raw[k])}\n`);
    }
  };
  if (Object.keys(st.capacity ?? {}).length > 0) {
    w.write(LEVEL_0, 'Capacity:\n');
    printResourceList(st.capacity);
  }
  if (Object.keys(st.allocatable ?? {}).length > 0) {
    w.write(LEVEL_0, 'Allocatable:\n');
    printResourceList(st.allocatable);
  }
  const ni = st.nodeInfo ?? {};
  w.write(LEVEL_0, 'System Info:\n');
  w.write(LEVEL_0, `  Machine ID:\t${ni.machineID ?? ''}\n`);
  w.write(LEVEL_0, `  System UUID:\t${ni.systemUUID ?? ''}\n`);
  w.write(LEVEL_0, `  Boot ID:\t${ni.bootID ?? ''}\n`);
  w.write(LEVEL_0, `  Kernel Version:\t${ni.kernelVersion ?? ''}\n`);
  w.write(LEVEL_0, `  OS Image:\t${ni.osImage ?? ''}\n`);
  w.write(LEVEL_0, `  Operating System:\t${ni.operatingSystem ?? ''}\n`);
  w.write(LEVEL_0, `  Architecture:\t${ni.architecture ?? ''}\n`);
  w.write(LEVEL_0, `  Container Runtime Version:\t${ni.containerRuntimeVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Kubelet Version:\t${ni.kubeletVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Kube-Proxy Version:\t${ni.kubeProxyVersion ?? ''}\n`);
  if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`);
  if ((spec.podCIDRs ?? []).length > 0) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`);
  if (pods) describeNodeResource(pods, node, w, ctx);
  else w.write(LEVEL_0, 'Pods:\tnot authorized\n');
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}

function isForbidden(e: unknown): boolean {
  const x = e as { code?: unknown; status?: unknown; reason?: unknown } | undefined;
  return x?.code === 403 || x?.status === 403 || x?.reason === 'Forbidden';
}
