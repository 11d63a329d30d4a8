/** Test glue: a DescribeReader over a plain array of objects, filtering like the API server would. */
import type { DescribeReader } from '../../../src/kubectl/describe/index.js';

const KINDS: Record<string, string> = {
  pods: 'Pod',
  events: 'Event',
  endpointslices: 'EndpointSlice',
  endpoints: 'Endpoints',
  replicasets: 'ReplicaSet',
  services: 'Service',
  leases: 'Lease',
  resourcequotas: 'ResourceQuota',
  limitranges: 'LimitRange',
  secrets: 'Secret',
  configmaps: 'ConfigMap',
  nodes: 'Node',
  namespaces: 'Namespace',
};

function kindOf(resource: string): string {
  return KINDS[resource] ?? resource;
}

function get(obj: any, path: string): string {
  let cur: any = obj;
  for (const p of path.split('.')) cur = cur?.[p];
  return cur === undefined || cur === null ? '' : String(cur);
}

/** split on unescaped commas (fields.ParseSelector) */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === ',') {
      out.push(cur);
      cur = '';
    } else cur += s[i];
  }
  if (cur) out.push(cur);
  return out;
}

const unescape = (v: string) => v.replace(/\\(.)/g, '$1');

export function matchesFieldSelector(obj: any, sel: string | undefined): boolean {
  if (!sel) return true;
  for (const term of splitTerms(sel)) {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(term);
    if (!m) throw new Error(`bad field selector term ${term}`);
    const actual = get(obj, m[1]);
    const want = unescape(m[3]);
    if (m[2] === '!=' ? actual === want : actual !== want) return false;
  }
  return true;
}

/** label selector: k=v, k==v, k!=v, k in (a,b), k notin (a,b), k, !k */
export function matchesLabelSelector(obj: any, sel: string | undefined): boolean {
  if (!sel) return true;
  const labels: Record<string, string> = obj?.metadata?.labels ?? {};
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) terms.push(cur.trim());
  for (const t of terms) {
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(t))) {
      const vals = m[3].split(',').map((x) => x.trim());
      const has = m[1] in labels && vals.includes(labels[m[1]]);
      if (m[2] === 'in' ? !has : has) return false;
    } else if ((m = /^([^!=]+)(!=|==|=)(.*)$/.exec(t))) {
      const v = labels[m[1]];
      if (m[2] === '!=' ? v === m[3] : v !== m[3]) return false;
    } else if (t.startsWith('!')) {
      if (t.slice(1) in labels) return false;
    } else if (!(t in labels)) return false;
  }
  return true;
}

export interface ReaderOptions {
  /** emulate client-go's fake clientset (used by upstream unit tests): field selectors are ignored */
  ignoreFieldSelectors?: boolean;
}

export class ArrayReader implements DescribeReader {
  readonly calls: string[] = [];
  constructor(
    private readonly objects: any[],
    private readonly opts: ReaderOptions = {},
  ) {}

  async get(group: string, version: string, resource: string, namespace: string | undefined, name: string): Promise<any | undefined> {
    this.calls.push(`get ${group}/${version}/${resource} ${namespace ?? ''}/${name}`);
    const kind = kindOf(resource);
    return this.objects.find((o) => o?.kind === kind && o?.metadata?.name === name && (o?.metadata?.namespace ?? '') === (namespace ?? ''));
  }

  async list(group: string, version: string, resource: string, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string }): Promise<any[]> {
    this.calls.push(`list ${group}/${version}/${resource} ns=${opts.namespace ?? ''} l=${opts.labelSelector ?? ''} f=${opts.fieldSelector ?? ''}`);
    const kind = kindOf(resource);
    return this.objects.filter(
      (o) =>
        o?.kind === kind &&
        (!opts.namespace || (o?.metadata?.namespace ?? '') === opts.namespace) &&
        matchesLabelSelector(o, opts.labelSelector) &&
        (this.opts.ignoreFieldSelectors || matchesFieldSelector(o, opts.fieldSelector)),
    );
  }
}
