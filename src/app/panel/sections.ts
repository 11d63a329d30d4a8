/**
 * The cluster panel's three pictures (the figures of Kubernetes in Action ch. 1–5): nodes with
 * the pods they run, controllers with what they own (Deployment → ReplicaSet → pods, through
 * ownerReferences), and services with their endpoints. Each section comes in two levels of
 * detail: full trees (a pod per line, every endpoint address) and the compact form of
 * compact.ts (a line per node, controller, service; nodes also packed several to a line);
 * levels.ts picks what fits the height.
 */
import type { Lang } from '../../tutor/schema.js';
import { podCount, restartCount, word } from './labels.js';
import { compactControllers, compactNodes, compactServices, denseNodes } from './compact.js';
import { packTokens, type Block, type PanelLine } from './layout.js';
import { controllerForest, endpointsByService, nodeGroups, SHORT_KIND, type ControllerTree } from './ownership.js';
import type { ClusterState, SectionKey } from './state.js';
import type { ControllerSummary, PodSummary, ServiceSummary } from './summaries.js';
import { cellWidth, fitText } from './text.js';

export interface SectionOptions {
  /** the column's width in cells */
  width: number;
  lang: Lang;
}

/** one picture at each level of detail */
export interface Section {
  /** the section's title, with a note when its resources are loading or cannot be read */
  heading: PanelLine;
  /** what the section says when there is nothing in it */
  empty: string;
  /** trees: a node and its pods, a controller and what it owns, a service and its endpoints */
  full: Block[];
  /** a line per node, top-level controller and service */
  compact: Block[];
  /** several things to a line, where that helps (nodes) */
  dense?: Block[];
}

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

function podStatusText(p: PodSummary): string {
  return p.status === 'Running' && p.ready < p.containers ? `Running ${p.ready}/${p.containers}` : p.status;
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
export function nodesSection(state: ClusterState, o: SectionOptions): Section {
  const { nodes, unscheduled } = nodeGroups(state);
  const full: Block[] = nodes.map(({ name, node, pods }) => {
    const head: PanelLine = [{ text: '■ ', tone: node ? (node.ready ? 'ok' : 'bad') : 'dim' }, { text: name, tone: 'accent' }];
    if (node && !node.ready) head.push({ text: ` ${word('notReady', o.lang)}`, tone: 'bad' });
    if (node?.unschedulable) head.push({ text: ` ${word('cordoned', o.lang)}`, tone: 'warn' });
    head.push({ text: `  ${podCount(pods.length, o.lang)}`, tone: 'dim' });
    return { head, children: podRows(pods, state.pods, o) };
  });
  if (unscheduled.length) {
    full.push({
      head: [{ text: '□ ', tone: 'warn' }, { text: word('unscheduled', o.lang), tone: 'warn' }, { text: `  ${podCount(unscheduled.length, o.lang)}`, tone: 'dim' }],
      children: podRows(unscheduled, state.pods, o),
    });
  }
  return {
    heading: heading(word('nodes', o.lang), state, ['nodes', 'pods'], o.lang),
    empty: word('noNodes', o.lang),
    full,
    compact: compactNodes(state, o),
    dense: denseNodes(state, o),
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
export function controllersSection(state: ClusterState, o: SectionOptions): Section {
  const block = (t: ControllerTree, depth: number): Block => ({
    head: controllerHead(t.controller, o.lang),
    children: [...t.children.map((k) => block(k, depth + 1)), ...packTokens(t.pods.map(podToken), o.width - 2 * (depth + 1))],
  });
  const keys: SectionKey[] = ['deployments', 'replicasets', 'replicationcontrollers', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs'];
  return {
    heading: heading(word('controllers', o.lang), state, keys, o.lang),
    empty: word('none', o.lang),
    full: controllerForest(state).map((t) => block(t, 0)),
    compact: compactControllers(state, o),
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
export function servicesSection(state: ClusterState, o: SectionOptions): Section {
  const endpoints = endpointsByService(state);
  const full = state.services.map((s): Block => {
    const tokens = (endpoints.get(s.name) ?? []).map((e): PanelLine => [{ text: e.text, tone: e.ready ? 'ok' : 'warn' }]);
    const children = tokens.length ? packTokens(tokens, o.width - 2) : s.externalName ? [] : [{ head: [{ text: word('noEndpoints', o.lang), tone: 'dim' as const }] }];
    return { head: serviceHead(s), children };
  });
  return {
    heading: heading(word('services', o.lang), state, ['services', 'endpointslices'], o.lang),
    empty: word('none', o.lang),
    full,
    compact: compactServices(state, o),
  };
}
