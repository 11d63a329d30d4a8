/**
 * The cluster panel's compact form, for when the full trees do not fit the height: a line per
 * node with its pods as status glyphs (■ kube-tutor-worker  ●●◐), a line per top-level
 * controller with the pods of what it owns (deploy/kubia  3/3  ●●●), a line per service with
 * where it listens and how many endpoints it has (svc/kubia  10.96.0.16:80 → 3 endpoints).
 * Glyphs differ in shape as well as colour, so they read without colour too.
 */
import type { Lang } from '../../tutor/schema.js';
import { endpointCount, notReadyCount, podCount, word } from './labels.js';
import { clipLine, lineWidth, packTokens, padLine, type Block, type PanelLine, type Segment } from './layout.js';
import { controllerForest, endpointsByService, nodeGroups, SHORT_KIND, type ControllerTree } from './ownership.js';
import type { ClusterState } from './state.js';
import type { PodSummary, ServiceSummary } from './summaries.js';
import { cellWidth } from './text.js';

interface CompactOptions {
  /** the column's width in cells */
  width: number;
  lang: Lang;
}

/** a pod as one cell: running and ready ●, starting or not ready ◐, failing ✕, completed ○, terminating ◌ */
function podGlyph(p: PodSummary): Segment {
  if (p.status === 'Terminating') return { text: '◌', tone: 'dim' };
  switch (p.tone) {
    case 'ok':
      return { text: '●', tone: 'ok' };
    case 'warn':
      return { text: '◐', tone: 'warn' };
    case 'bad':
      return { text: '✕', tone: 'bad' };
    default:
      return { text: '○', tone: 'dim' };
  }
}

const GLYPH_ORDER = ['●', '◐', '✕', '○', '◌'];

/** adjacent segments of the same tone joined, so a run of glyphs is one segment per colour */
function merged(line: PanelLine): PanelLine {
  const out: PanelLine = [];
  for (const s of line) {
    const last = out.at(-1);
    if (last && last.tone === s.tone) out[out.length - 1] = { ...last, text: last.text + s.text };
    else out.push({ ...s });
  }
  return out;
}

const byGlyph = (a: Segment, b: Segment) => GLYPH_ORDER.indexOf(a.text) - GLYPH_ORDER.indexOf(b.text);

/**
 * Groups of pods as glyphs (healthy first within a group, groups a space apart) in `room`
 * cells; when there are more pods than cells, a count per glyph instead: ●97 ✕3.
 */
function glyphs(groups: readonly (readonly PodSummary[])[], room: number): PanelLine {
  const cells: Segment[] = [];
  groups.filter((g) => g.length).forEach((g, i) => {
    if (i > 0) cells.push({ text: ' ' });
    cells.push(...g.map(podGlyph).sort(byGlyph));
  });
  if (cells.length <= room) return merged(cells);
  const counts = new Map<string, Segment & { n: number }>();
  for (const g of groups.flat().map(podGlyph)) counts.set(g.text, { ...g, n: (counts.get(g.text)?.n ?? 0) + 1 });
  return [...counts.values()].sort(byGlyph).flatMap((g, i) => [...(i ? [{ text: ' ' }] : []), { text: `${g.text}${g.n}`, tone: g.tone }]);
}

const restarts = (pods: readonly PodSummary[]) => pods.reduce((n, p) => n + p.restarts, 0);

/** the ↻N marker for pods that restarted, else nothing */
function restartMark(pods: readonly PodSummary[]): PanelLine {
  const n = restarts(pods);
  return n ? [{ text: ` ↻${n}`, tone: 'warn' }] : [];
}

/** how wide the name column may be: the longest label, but leaving `rest` cells for what follows */
function nameWidth(labels: readonly PanelLine[], width: number, rest: number): number {
  return Math.min(Math.max(0, ...labels.map(lineWidth)), Math.max(8, width - rest));
}

/** a compact line: the name column, then `body` in the cells left after `tail` */
function compactLine(label: PanelLine, nameW: number, body: (room: number) => PanelLine, tail: PanelLine, width: number): Block {
  const head = [...padLine(label, nameW), { text: '  ' }];
  const room = width - lineWidth(head) - lineWidth(tail);
  return { head: [...head, ...body(room), ...tail] };
}

interface NodeRow {
  label: PanelLine;
  pods: PodSummary[];
  /** NotReady, SchedulingDisabled, restarts */
  tail: PanelLine;
}

/** each node's (and the unscheduled pods') parts of a compact line */
function nodeRows(state: ClusterState, lang: Lang): NodeRow[] {
  const { nodes, unscheduled } = nodeGroups(state);
  const rows = nodes.map(({ name, node, pods }) => {
    const label: PanelLine = [{ text: '■ ', tone: node ? (node.ready ? 'ok' : 'bad') : 'dim' }, { text: name, tone: 'accent' }];
    const tail: PanelLine = [];
    if (node && !node.ready) tail.push({ text: ` ${word('notReady', lang)}`, tone: 'bad' });
    if (node?.unschedulable) tail.push({ text: ` ${word('cordoned', lang)}`, tone: 'warn' });
    return { label, pods, tail: [...tail, ...restartMark(pods)] };
  });
  if (unscheduled.length) {
    rows.push({ label: [{ text: '□ ', tone: 'warn' }, { text: word('unscheduled', lang), tone: 'warn' }], pods: unscheduled, tail: restartMark(unscheduled) });
  }
  return rows;
}

/** a line per node: ■ name  glyphs  NotReady SchedulingDisabled ↻N; then the pods not scheduled yet */
export function compactNodes(state: ClusterState, o: CompactOptions): Block[] {
  const rows = nodeRows(state, o.lang);
  const nameW = nameWidth(rows.map((r) => r.label), o.width, 14);
  // the same room on every line, so that either all nodes show glyphs or all show counts
  const room = o.width - nameW - 2 - Math.max(0, ...rows.map((r) => lineWidth(r.tail)));
  const body = (pods: PodSummary[]) => (): PanelLine => (pods.length ? glyphs([pods], room) : [{ text: podCount(0, o.lang), tone: 'dim' }]);
  return rows.map((r) => compactLine(r.label, nameW, body(r.pods), r.tail, o.width));
}

/** the nodes packed side by side, as many to a line as fit: ■ worker ●●  ■ worker2 ● */
export function denseNodes(state: ClusterState, o: CompactOptions): Block[] {
  const tokens = nodeRows(state, o.lang).map((r): PanelLine => {
    const room = o.width - lineWidth(r.label) - lineWidth(r.tail) - 1;
    return [...r.label, ...(r.pods.length ? [{ text: ' ' }, ...glyphs([r.pods], room)] : []), ...r.tail];
  });
  return packTokens(tokens, o.width);
}

/** every pod under a controller tree, a group per owned controller (a ReplicaSet's pods together) */
function podGroups(t: ControllerTree): PodSummary[][] {
  const below = (k: ControllerTree): PodSummary[] => [...k.pods, ...k.children.flatMap(below)];
  return [t.pods, ...t.children.map(below)];
}

/** a line per top-level controller: deploy/kubia  3/3  ●●● ◐  (2 rs) ↻N */
export function compactControllers(state: ClusterState, o: CompactOptions): Block[] {
  const forest = controllerForest(state);
  const label = (t: ControllerTree): PanelLine => [{ text: `${SHORT_KIND[t.controller.kind]}/`, tone: 'dim' }, { text: t.controller.name, tone: 'accent' }];
  const nameW = nameWidth(forest.map(label), o.width, 28);
  return forest.map((t) => {
    const c = t.controller;
    const counts: PanelLine = [];
    if (c.desired !== undefined) counts.push({ text: `${c.ready}/${c.desired}`, tone: c.ready >= c.desired ? 'ok' : 'warn' });
    if (c.schedule) counts.push({ text: c.schedule, tone: 'dim' });
    const groups = podGroups(t);
    const tail: PanelLine = [];
    if (t.children.length > 1) tail.push({ text: `  (${t.children.length} ${SHORT_KIND[t.children[0]!.controller.kind]})`, tone: 'dim' });
    tail.push(...restartMark(groups.flat()));
    const body = (room: number): PanelLine => {
      const countsW = lineWidth(counts);
      const pods = groups.some((g) => g.length) ? glyphs(groups, room - countsW - (countsW ? 2 : 0)) : [];
      return pods.length && countsW ? [...counts, { text: '  ' }, ...pods] : [...counts, ...pods];
    };
    return compactLine(label(t), nameW, body, tail, o.width);
  });
}

/** where a service listens: 10.96.0.16:80, or kubectl's 80:30123 when it has node ports */
function address(s: ServiceSummary): string {
  const ip = s.externalIP ?? s.clusterIP ?? '';
  if (!s.ports.length) return ip;
  if (s.ports.some((p) => p.nodePort)) return `${ip} ${s.ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}` : `${p.port}`)).join(',')}`;
  return `${ip}:${s.ports.map((p) => p.port).join(',')}`;
}

/** a line per service: svc/kubia  10.96.0.16:80 → 3 endpoints, 1 not ready */
export function compactServices(state: ClusterState, o: CompactOptions): Block[] {
  const endpoints = endpointsByService(state);
  const label = (s: ServiceSummary): PanelLine => [{ text: 'svc/', tone: 'dim' }, { text: s.name, tone: 'accent' }];
  const nameW = nameWidth(state.services.map(label), o.width, 24);
  return state.services.map((s) => {
    const where: PanelLine = [];
    if (s.type !== 'ClusterIP') where.push({ text: `${s.type} `, tone: 'dim' });
    if (s.externalName) return compactLine(label(s), nameW, () => [...where, { text: `→ ${s.externalName}` }], [], o.width);
    where.push({ text: address(s) });
    const eps = endpoints.get(s.name) ?? [];
    const ready = eps.filter((e) => e.ready).length;
    const to: PanelLine = [{ text: ' → ', tone: 'dim' }];
    if (!eps.length) to.push({ text: word('noEndpoints', o.lang), tone: 'dim' });
    else to.push({ text: endpointCount(ready, o.lang), tone: ready ? 'ok' : 'warn' });
    if (eps.length > ready) to.push({ text: `, ${notReadyCount(eps.length - ready, o.lang)}`, tone: 'warn' });
    return compactLine(label(s), nameW, (room) => clipLine(where, room), to, o.width);
  });
}
