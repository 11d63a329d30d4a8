/**
 * NodeAffinity: spec.nodeSelector and requiredDuringScheduling node affinity must match the node
 * (terms are ORed, a term's requirements ANDed; matchFields supports metadata.name); preferred
 * terms add their weights to the score. PreFilter narrows the candidates to the names of
 * `matchFields metadata.name In [...]` terms (how DaemonSet pods are pinned).
 */
import type { ScorePlugin, FilterPlugin, NodeInfo, NodeSelectorRequirement, NodeSelectorTerm, PreFilterPlugin, Status } from '../types.js';
import { unresolvable } from '../types.js';
import { normalize } from './tainttoleration.js';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

/** labels.Requirement semantics of a node selector requirement; invalid requirements match nothing */
export function matchesRequirement(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(labels[r.key]);
    case 'NotIn':
      return !has || !values.includes(labels[r.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const want = parseInteger(values[0]);
      const got = parseInteger(labels[r.key]);
      if (want === undefined || got === undefined) return false;
      return r.operator === 'Gt' ? got > want : got < want;
    }
    default:
      return false;
  }
}

function parseInteger(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s.trim()) ? Number(s.trim()) : undefined;
}

/** a term matches when all its requirements do; an empty term matches nothing */
export function matchesTerm(term: NodeSelectorTerm, node: { name: string; labels: Record<string, string> }): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  for (const r of exprs) if (!matchesRequirement(r, node.labels)) return false;
  for (const r of fields) {
    if (r.key !== 'metadata.name') return false;
    if (!matchesRequirement(r, { 'metadata.name': node.name })) return false;
  }
  return true;
}

export function matchesTerms(terms: NodeSelectorTerm[], node: { name: string; labels: Record<string, string> }): boolean {
  return terms.some((t) => matchesTerm(t, node));
}

/** nodeSelector and required node affinity both */
export function fitsNodeAffinity(
  nodeSelector: Record<string, string>, requiredTerms: NodeSelectorTerm[] | undefined,
  node: { name: string; labels: Record<string, string> },
): boolean {
  for (const [k, v] of Object.entries(nodeSelector)) if (node.labels[k] !== v) return false;
  if (requiredTerms !== undefined && !matchesTerms(requiredTerms, node)) return false;
  return true;
}

/** the node names every required term pins the pod to; undefined when some term allows any node */
export function pinnedNodeNames(requiredTerms: NodeSelectorTerm[] | undefined): Set<string> | undefined {
  if (!requiredTerms?.length) return undefined;
  let names: Set<string> | undefined;
  for (const t of requiredTerms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    if (!termNames) return undefined;
    names = new Set([...(names ?? []), ...termNames]);
  }
  return names;
}

export const nodeAffinity: PreFilterPlugin & FilterPlugin & ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  preFilter(pod): Set<string> | Status | undefined {
    const names = pinnedNodeNames(pod.requiredTerms);
    if (names && names.size === 0) return unresolvable(ERR_REASON_CONFLICT);
    return names;
  },
  filter(pod, node: NodeInfo) {
    return fitsNodeAffinity(pod.nodeSelector, pod.requiredTerms, node) ? undefined : unresolvable(ERR_REASON_POD);
  },
  score(pod, nodes) {
    const raw = nodes.map((n) => pod.preferredTerms.reduce((sum, t) => (t?.weight && t.preference && matchesTerm(t.preference, n) ? sum + t.weight : sum), 0));
    return normalize(raw, false);
  },
};
