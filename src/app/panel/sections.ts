/**
 * The cluster panel's three pictures as blocks of lines (the figures of Kubernetes in Action
 * ch. 1–5): nodes with the pods they run, controllers with what they own (Deployment →
 * ReplicaSet → pods, through ownerReferences), and services with their endpoints. Each builder
 * gets the column width so it can align and pack; layout.ts fits the blocks to the height.
 */
import type { Lang } from '../../tutor/schema.js';
import { podCount, restartCount, word } from './labels.js';
import { packTokens, type Block, type PanelLine, type Segment } from './layout.js';
import type { ClusterState, SectionKey } from './state.js';
import type { ControllerKind, ControllerSummary, PodSummary, ServiceSummary } from './summaries.js';
import { cellWidth, fitText } from './text.js';

export interface SectionOptions {
  /** the column's width in cells */
  width: number;
  lang: Lang;
}

/** the short names learners type: deploy/kubia, rs/…, rc/… */
const SHORT_KIND: Record<ControllerKind, string> = {
  Deployment: 'deploy',
  ReplicaSet: 'rs',
  ReplicationController: 'rc',
  DaemonSet: 'ds',
  StatefulSet: 'sts',
  Job: 'job',
  CronJob: 'cronjob',
};

/** a section heading, with a note when its resources are loading or cannot be read */
function heading(title: string, state: ClusterState, keys: readonly SectionKey[], lang: Lang): PanelLine {
  const statuses = keys.map((k) => state.status[k]);
  const line: PanelLine = [{ text: title, tone: 'head' }];
  if (statuses.includes('loading')) line.push({ text: ` ${word('loading', lang)}`, tone: 'dim' });
  else if (statuses.every((s) => s === 'forbidden' || s === 'missing')) {
    line.push({ text: ` (${word(statuses.includes('forbidden') ? 'forbidden' : 'missing', lang)})`, tone: 'warn' });
  }
  return line;
}

const dimLine = (text: string): Block => ({ head: [{ text, tone: 'dim' }] });

function podStatusText(p: PodSummary): string {
  return p.status === 'Running' && p.ready < p.containers ? `Running ${p.ready}/${p.containers}` : p.status;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), it]);
  }
  return out;
}

/** pod rows under their node: name, status, restarts, and the pod IP when the column is wide enough */
function podRows(pods: readonly PodSummary[], all: readonly PodSummary[], o: SectionOptions): Block[] {
  const indent = 2;
  const status = (p: PodSummary) => podStatusText(p) + (p.restarts ? `  ${restartCount(p.restarts, o.lang)}` : '');
  const statusW = Math.max(0, ...all.map((p) => cellWidth(status(p))));
  const longest = Math.max(0, ...all.map((p) => cellWidth(p.name)));
  const nameW = Math.min(longest, Math.max(10, o.width - indent - 2 - statusW));
  const ipW = Math.max(0, ...all.map((p) => cellWidth(p.ip ?? '')));
  const withIp = ipW > 0 && indent + nameW + 2 + statusW + 2 + ipW <= o.width;
  return pods.map((p) => {
    const name = fitText(p.name, nameW);
    const line: PanelLine = [{ text: name + ' '.repeat(nameW - cellWidth(name) + 2) }, { text: podStatusText(p), tone: p.tone }];
    if (p.restarts) line.push({ text: `  ${restartCount(p.restarts, o.lang)}`, tone: 'warn' });
    if (withIp && p.ip) line.push({ text: ' '.repeat(statusW - cellWidth(status(p)) + 2) + p.ip, tone: 'dim' });
    return { head: line };
  });
}

/** nodes (also those only known from pods' nodeName, when nodes cannot be listed) with their pods */
export function nodesSection(state: ClusterState, o: SectionOptions): Block {
  const nodes = new Map(state.nodes.map((n) => [n.name, n]));
  const podsOn = groupBy(state.pods, (p) => p.node ?? '');
  const names = [...new Set([...nodes.keys(), ...[...podsOn.keys()].filter((n) => n !== '')])].sort();
  const groups: Block[] = names.map((name) => {
    const node = nodes.get(name);
    const pods = podsOn.get(name) ?? [];
    const head: PanelLine = [{ text: '■ ', tone: node ? (node.ready ? 'ok' : 'bad') : 'dim' }, { text: name, tone: 'accent' }];
    if (node && !node.ready) head.push({ text: ` ${word('notReady', o.lang)}`, tone: 'bad' });
    if (node?.unschedulable) head.push({ text: ` ${word('cordoned', o.lang)}`, tone: 'warn' });
    head.push({ text: `  ${podCount(pods.length, o.lang)}`, tone: 'dim' });
    return { head, children: podRows(pods, state.pods, o) };
  });
  const unscheduled = podsOn.get('') ?? [];
  if (unscheduled.length) {
    groups.push({
      head: [{ text: '□ ', tone: 'warn' }, { text: word('unscheduled', o.lang), tone: 'warn' }, { text: `  ${podCount(unscheduled.length, o.lang)}`, tone: 'dim' }],
      children: podRows(unscheduled, state.pods, o),
    });
  }
  return {
    head: heading(word('nodes', o.lang), state, ['nodes', 'pods'], o.lang),
    children: groups.length ? groups : [dimLine(word('noNodes', o.lang))],
    childIndent: '',
  };
}

function controllerHead(c: ControllerSummary, lang: Lang): PanelLine {
  const line: PanelLine = [{ text: `${SHORT_KIND[c.kind]}/`, tone: 'dim' }, { text: c.name, tone: 'accent' }];
  if (c.desired !== undefined) {
    line.push({ text: `  ${c.ready}/${c.desired} ${word(c.kind === 'Job' ? 'done' : 'ready', lang)}`, tone: c.ready >= c.desired ? 'ok' : 'warn' });
  }
  if (c.schedule) line.push({ text: `  ${c.schedule}`, tone: 'dim' });
  if (c.kind === 'CronJob' && c.ready > 0) line.push({ text: `  ${c.ready} ${word('active', lang)}`, tone: 'warn' });
  return line;
}

const podToken = (p: PodSummary): PanelLine => [{ text: '● ', tone: p.tone }, { text: p.name }];

/** controllers as ownership trees: Deployment → ReplicaSets → pods, CronJob → Jobs → pods, RC → pods */
export function controllersSection(state: ClusterState, o: SectionOptions): Block {
  const known = new Set(state.controllers.map((c) => c.uid));
  const podsOf = groupBy(state.pods, (p) => p.owner?.uid);
  const ownedBy = groupBy(state.controllers, (c) => (c.owner && known.has(c.owner.uid) ? c.owner.uid : undefined));
  // an old ReplicaSet of a Deployment, scaled to zero with no pods left, is history, not picture
  const retired = (c: ControllerSummary) => c.kind === 'ReplicaSet' && !!c.owner && c.desired === 0 && !podsOf.has(c.uid);
  const tree = (c: ControllerSummary, depth: number): Block => ({
    head: controllerHead(c, o.lang),
    children: [
      ...(ownedBy.get(c.uid) ?? []).filter((k) => !retired(k)).map((k) => tree(k, depth + 1)),
      ...packTokens((podsOf.get(c.uid) ?? []).map(podToken), o.width - 2 * (depth + 1)),
    ],
  });
  const roots = state.controllers.filter((c) => !c.owner || !known.has(c.owner.uid)).map((c) => tree(c, 0));
  const keys: SectionKey[] = ['deployments', 'replicasets', 'replicationcontrollers', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs'];
  return {
    head: heading(word('controllers', o.lang), state, keys, o.lang),
    children: roots.length ? roots : [dimLine(word('none', o.lang))],
    childIndent: '',
  };
}

/** kubectl's PORT(S) cell, with where the traffic goes: 80:30123→8080/TCP */
function portText(s: ServiceSummary): string {
  return s.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}${p.targetPort ? `→${p.targetPort}` : ''}/${p.protocol}`).join(',');
}

function serviceHead(s: ServiceSummary): PanelLine {
  const line: PanelLine = [{ text: 'svc/', tone: 'dim' }, { text: s.name, tone: 'accent' }, { text: `  ${s.type}`, tone: 'dim' }];
  if (s.clusterIP) line.push({ text: ` ${s.clusterIP}` });
  if (s.externalIP) line.push({ text: ` ${s.externalIP}`, tone: 'ok' });
  if (s.externalName) line.push({ text: ` → ${s.externalName}` });
  if (s.ports.length) line.push({ text: ` ${portText(s)}`, tone: 'dim' });
  return line;
}

/** services with the addresses their EndpointSlices list (ready green, not ready yellow) */
export function servicesSection(state: ClusterState, o: SectionOptions): Block {
  const slices = groupBy(state.endpointSlices, (e) => e.service);
  const blocks = state.services.map((s): Block => {
    const seen = new Set<string>();
    const tokens: PanelLine[] = [];
    for (const slice of slices.get(s.name) ?? []) {
      for (const a of slice.addresses) {
        const text = slice.ports.length ? `${a.ip}:${slice.ports.join(',')}` : a.ip;
        if (seen.has(text)) continue;
        seen.add(text);
        const token: Segment = { text, tone: a.ready ? 'ok' : 'warn' };
        tokens.push([token]);
      }
    }
    tokens.sort((a, b) => a[0]!.text.localeCompare(b[0]!.text, 'en', { numeric: true }));
    const children = tokens.length ? packTokens(tokens, o.width - 2) : s.externalName ? [] : [dimLine(word('noEndpoints', o.lang))];
    return { head: serviceHead(s), children };
  });
  return {
    head: heading(word('services', o.lang), state, ['services', 'endpointslices'], o.lang),
    children: blocks.length ? blocks : [dimLine(word('none', o.lang))],
    childIndent: '',
  };
}
