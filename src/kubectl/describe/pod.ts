/** Pod describer (and QoS class computation). */
import { describeEvents, printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline, refFor, searchEvents, time } from './blocks.js';
import { describeContainers, describeResources, envValueRetriever } from './containers.js';
import { printController, since } from './format.js';
import { describeTopologySpreadConstraints } from './podtemplate.js';
import { add, cmp, parseQuantity, type Quantity } from './quantity.js';
import type { DescribeContext } from './types.js';
import { describeVolumes } from './volumes.js';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './writer.js';

const QOS_RESOURCES = new Set(['cpu', 'memory']);

function processResourceList(list: Map<string, Quantity>, src: Record<string, unknown> | undefined): void {
  for (const [name, raw] of Object.entries(src ?? {})) {
    if (!QOS_RESOURCES.has(name)) continue;
    const qty = parseQuantity(raw);
    if (!qty || qty.nanos <= 0n) continue;
    const cur = list.get(name);
    list.set(name, cur ? add(qty, cur) : qty);
  }
}

function qosLimitResources(src: Record<string, unknown> | undefined): Set<string> {
  const out = new Set<string>();
  for (const [name, raw] of Object.entries(src ?? {})) {
    if (!QOS_RESOURCES.has(name)) continue;
    const qty = parseQuantity(raw);
    if (qty && qty.nanos > 0n) out.add(name);
  }
  return out;
}

/** qos.GetPodQOS */
export function podQOS(pod: any): string {
  if (pod?.status?.qosClass) return pod.status.qosClass;
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const podRes = pod?.spec?.resources;
  if (podRes) {
    if (podRes.requests) processResourceList(requests, podRes.requests);
    if (podRes.limits) {
      processResourceList(limits, podRes.limits);
      const l = qosLimitResources(podRes.limits);
      if (!(l.has('memory') && l.has('cpu'))) guaranteed = false;
    }
  } else {
    for (const c of [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])]) {
      processResourceList(requests, c?.resources?.requests);
      processResourceList(limits, c?.resources?.limits);
      const l = qosLimitResources(c?.resources?.limits);
      if (!(l.has('memory') && l.has('cpu'))) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || cmp(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  if (guaranteed && requests.size === limits.size) return 'Guaranteed';
  return 'Burstable';
}

export async function describePod(pod: any, ctx: DescribeContext): Promise<string> {
  let events: any[] | undefined;
  if (ctx.settings.showEvents) {
    const ref = refFor(pod, undefined);
    const mirror = pod?.metadata?.annotations?.['kubernetes.io/config.mirror'];
    if (mirror !== undefined) ref.uid = String(mirror) || undefined;
    events = await searchEvents(ctx, ref);
  }
  return renderPod(pod, events, ctx);
}

export function renderPod(pod: any, events: any[] | undefined, ctx: DescribeContext): string {
  const w = new PrefixWriter();
  const md = pod?.metadata ?? {};
  const spec = pod?.spec ?? {};
  const status = pod?.status ?? {};
  w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  if (spec.priority !== undefined && spec.priority !== null) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
  if (!spec.nodeName) w.write(LEVEL_0, 'Node:\t<none>\n');
  else w.write(LEVEL_0, `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n`);
  if (status.startTime) w.write(LEVEL_0, `Start Time:\t${time(ctx, status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  if (md.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(md.deletionTimestamp, ctx.now)})\n`);
    w.write(LEVEL_0, `Termination Grace Period:\t${md.deletionGracePeriodSeconds ?? 0}s\n`);
  } else {
    w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
  }
  if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
  const sp = spec.securityContext?.seccompProfile;
  if (sp) {
    w.write(LEVEL_0, `SeccompProfile:\t${sp.type ?? ''}\n`);
    if (sp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${sp.localhostProfile ?? ''}\n`);
  }
  w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
  const podIPs: any[] = status.podIPs ?? [];
  if (podIPs.length === 0) w.write(LEVEL_0, 'IPs:\t<none>\n');
  else {
    w.write(LEVEL_0, 'IPs:\n');
    for (const ip of podIPs) w.write(LEVEL_1, `IP:\t${ip?.ip ?? ''}\n`);
  }
  const controlledBy = printController(pod);
  if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.resources) {
    w.write(LEVEL_0, 'Resources:\n');
    describeResources(spec.resources, w, LEVEL_1);
  }
  const resolver = envValueRetriever(pod);
  if ((spec.initContainers ?? []).length > 0) describeContainers('Init Containers', spec.initContainers, status.initContainerStatuses, resolver, w, '', ctx.tz);
  describeContainers('Containers', spec.containers, status.containerStatuses, resolver, w, '', ctx.tz);
  if ((spec.ephemeralContainers ?? []).length > 0) {
    describeContainers('Ephemeral Containers', spec.ephemeralContainers, status.ephemeralContainerStatuses, resolver, w, '', ctx.tz);
  }
  const conditions: any[] = status.conditions ?? [];
  if ((spec.readinessGates ?? []).length > 0) {
    w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = conditions.find((x) => x?.type === g?.conditionType);
      const st = c ? String(c.status ?? '') : '<none>';
      w.write(LEVEL_1, `${g?.conditionType ?? ''} \t${st} \n`);
    }
  }
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(LEVEL_1, `${c?.type ?? ''} \t${c?.status ?? ''} \n`);
  }
  describeVolumes(spec.volumes, w, '');
  w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '');
  if (events) describeEvents(events, w, ctx);
  return w.tabbed();
}
