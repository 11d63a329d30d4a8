/**
 * Evaluating a step's check through the Kubernetes API (our kubectl's ApiClient), on the sandbox
 * or on a real cluster alike. Every result carries a reason in both languages, so a failing check
 * can say why ("2 of 3 pods are Running; kubia-x7k2p is ContainerCreating").
 */
import type { ApiClient } from '../kubectl/client/api.js';
import { ServerError } from '../kubectl/client/errors.js';
import { compileJsonPath, executeJsonPath } from '../kubectl/printers/jsonpath.js';
import type { ApiResource } from '../kubectl/resource/discovery.js';
import { matchesRan, type RanCommand } from './commands.js';
import type { Check, ObjectRef, Text } from './schema.js';

export interface CheckContext {
  client: ApiClient;
  /** the lesson's namespace (the default for every reference) */
  namespace: string;
  /** what the learner ran during the current step, oldest first */
  ran: RanCommand[];
  /** fetch a URL for an `http` check (host side or from a pod); resolves with the body, rejects when unreachable */
  http(url: string, from: 'host' | 'pod', namespace: string): Promise<string>;
}

export interface CheckResult {
  ok: boolean;
  reason: Text;
}

const T = (en: string, zh: string): Text => ({ en, zh });
const pass = (en = 'done', zh = '完成'): CheckResult => ({ ok: true, reason: T(en, zh) });
const fail = (en: string, zh: string): CheckResult => ({ ok: false, reason: T(en, zh) });

async function resolve(ctx: CheckContext, resource: string): Promise<ApiResource> {
  return ctx.client.discovery.resolve(resource);
}

async function getObject(ctx: CheckContext, ref: ObjectRef): Promise<{ r: ApiResource; obj: any | undefined }> {
  const r = await resolve(ctx, ref.resource);
  try {
    const obj = await ctx.client.get(r, r.namespaced ? (ref.namespace ?? ctx.namespace) : undefined, ref.name);
    return { r, obj };
  } catch (e) {
    if (e instanceof ServerError && e.code === 404) return { r, obj: undefined };
    throw e;
  }
}

function podReady(p: any): boolean {
  return (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** what kubectl's STATUS column would roughly say for a pod (for reasons) */
function podStatus(p: any): string {
  if (p.metadata?.deletionTimestamp) return 'Terminating';
  for (const cs of p.status?.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) return cs.state.waiting.reason;
    if (cs.state?.terminated?.reason) return cs.state.terminated.reason;
  }
  return p.status?.phase ?? 'Pending';
}

function controllerOf(o: any): string | undefined {
  const ref = (o.metadata?.ownerReferences ?? []).find((x: any) => x.controller);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

function jsonpathValue(obj: any, path: string): string {
  const template = path.includes('{') ? path : `{${path.startsWith('.') ? path : '.' + path}}`;
  return executeJsonPath(compileJsonPath(template, { allowMissingKeys: true }), obj);
}

function mapCheck(kind: 'labels' | 'annotations', actual: Record<string, string>, c: { has?: Record<string, string>; keys?: string[]; absent?: string[] }): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(c.has ?? {})) if (actual[k] !== String(v)) problems.push(actual[k] === undefined ? `${k}=${v} missing` : `${k} is ${actual[k]}, not ${v}`);
  for (const k of c.keys ?? []) if (!(k in actual)) problems.push(`${k} missing`);
  for (const k of c.absent ?? []) if (k in actual) problems.push(`${k} still set`);
  void kind;
  return problems;
}

export async function evaluate(check: Check, ctx: CheckContext): Promise<CheckResult> {
  try {
    return await evaluateInner(check, ctx);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return fail(`could not check: ${msg}`, `无法检查：${msg}`);
  }
}

async function evaluateInner(check: Check, ctx: CheckContext): Promise<CheckResult> {
  if ('all' in check) {
    for (const c of check.all) {
      const r = await evaluateInner(c, ctx);
      if (!r.ok) return r;
    }
    return pass();
  }
  if ('any' in check) {
    let first: CheckResult | undefined;
    for (const c of check.any) {
      const r = await evaluateInner(c, ctx);
      if (r.ok) return r;
      first ??= r;
    }
    return first!;
  }
  if ('not' in check) {
    const r = await evaluateInner(check.not, ctx);
    return r.ok ? fail(`not yet: ${r.reason.en}`, `还没有：${r.reason.zh}`) : pass();
  }
  if ('exists' in check) {
    const { r, obj } = await getObject(ctx, check.exists);
    const what = `${r.kind} "${check.exists.name}"`;
    if (!obj) return fail(`${what} does not exist yet`, `${what} 还不存在`);
    if (obj.metadata?.deletionTimestamp) return fail(`${what} is being deleted`, `${what} 正在被删除`);
    return pass(`${what} exists`, `${what} 已存在`);
  }
  if ('absent' in check) {
    const { r, obj } = await getObject(ctx, check.absent);
    const what = `${r.kind} "${check.absent.name}"`;
    if (obj && !obj.metadata?.deletionTimestamp) return fail(`${what} still exists`, `${what} 仍然存在`);
    return pass(`${what} is gone`, `${what} 已删除`);
  }
  if ('count' in check) {
    const c = check.count;
    const r = await resolve(ctx, c.resource);
    const list = await ctx.client.list(r, r.namespaced ? (c.namespace ?? ctx.namespace) : undefined, { labelSelector: c.selector, fieldSelector: c.fieldSelector });
    let items: any[] = (list.items ?? []).filter((o: any) => !o.metadata?.deletionTimestamp || c.phase === undefined);
    if (c.owner) items = items.filter((o) => controllerOf(o) === c.owner);
    const candidates = items;
    if (c.phase) items = items.filter((o) => o.status?.phase === c.phase && !o.metadata?.deletionTimestamp);
    if (c.ready !== undefined) items = items.filter((o) => podReady(o) === c.ready);
    const n = items.length;
    const okCount = (c.equals === undefined || n === c.equals) && (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
    const want = c.equals !== undefined ? `${c.equals}` : c.min !== undefined ? `at least ${c.min}` : `at most ${c.max}`;
    const wantZh = c.equals !== undefined ? `${c.equals}` : c.min !== undefined ? `至少 ${c.min}` : `至多 ${c.max}`;
    const state = c.phase ? (c.ready ? `${c.phase} and ready` : c.phase) : c.ready ? 'ready' : '';
    const stateZh = c.phase ? (c.ready ? `${c.phase} 且就绪` : c.phase) : c.ready ? '就绪' : '';
    const noun = r.resource;
    const sel = c.selector ? ` (${c.selector})` : '';
    if (okCount) return pass(`${n} ${noun}${sel}${state ? ` ${state}` : ''}`, `${n} 个 ${noun}${sel}${stateZh ? ` ${stateZh}` : ''}`);
    let detail = '';
    if (r.resource === 'pods' && (c.phase || c.ready !== undefined)) {
      const laggards = candidates.filter((o) => !items.includes(o)).slice(0, 3).map((o) => `${o.metadata.name} is ${podStatus(o)}${c.ready && o.status?.phase === 'Running' && !podReady(o) ? ' (not ready)' : ''}`);
      if (laggards.length) detail = `; ${laggards.join(', ')}`;
    }
    return fail(
      `${n} of ${want} ${noun}${sel} ${state ? `are ${state}` : 'exist'}${detail}`,
      `${noun}${sel}：${n} 个${stateZh ? stateZh : '存在'}，需要 ${wantZh} 个${detail ? `；${detail.slice(2)}` : ''}`,
    );
  }
  if ('field' in check) {
    const f = check.field;
    const { r, obj } = await getObject(ctx, f);
    const what = `${r.kind} "${f.name}"`;
    if (!obj) return fail(`${what} does not exist yet`, `${what} 还不存在`);
    const value = jsonpathValue(obj, f.path);
    const shown = value === '' ? '(empty)' : value;
    let ok = true;
    if (f.equals !== undefined && value !== String(f.equals)) ok = false;
    if (f.matches !== undefined && !new RegExp(f.matches).test(value)) ok = false;
    if (f.oneOf !== undefined && !f.oneOf.map(String).includes(value)) ok = false;
    if (f.min !== undefined && !(Number(value) >= f.min)) ok = false;
    const want = f.equals !== undefined ? String(f.equals) : f.matches !== undefined ? `/${f.matches}/` : f.oneOf !== undefined ? f.oneOf.join(' | ') : `>= ${f.min}`;
    if (ok) return pass(`${what} ${f.path} is ${shown}`, `${what} 的 ${f.path} 是 ${shown}`);
    return fail(`${what} ${f.path} is ${shown}, expected ${want}`, `${what} 的 ${f.path} 是 ${shown}，应为 ${want}`);
  }
  if ('labels' in check || 'annotations' in check) {
    const kind = 'labels' in check ? 'labels' : 'annotations';
    const c = 'labels' in check ? check.labels : check.annotations;
    const { r, obj } = await getObject(ctx, c);
    const what = `${r.kind} "${c.name}"`;
    if (!obj) return fail(`${what} does not exist yet`, `${what} 还不存在`);
    const problems = mapCheck(kind, obj.metadata?.[kind] ?? {}, c);
    const zhKind = kind === 'labels' ? '标签' : '注解';
    if (!problems.length) return pass(`${what} has the ${kind}`, `${what} 的${zhKind}已正确`);
    return fail(`${what} ${kind}: ${problems.join(', ')}`, `${what} 的${zhKind}：${problems.join('，')}`);
  }
  if ('event' in check) {
    const e = check.event;
    const r = await resolve(ctx, 'events');
    const fs = [`reason=${e.reason}`, e.name ? `involvedObject.name=${e.name}` : ''].filter(Boolean).join(',');
    const list = await ctx.client.list(r, e.namespace ?? ctx.namespace, { fieldSelector: fs });
    const hits = (list.items ?? []).filter((ev: any) => {
      if (e.namePrefix && !String(ev.involvedObject?.name ?? '').startsWith(e.namePrefix)) return false;
      if (e.resource && String(ev.involvedObject?.kind ?? '').toLowerCase() !== e.resource.toLowerCase().replace(/s$/, '') && ev.involvedObject?.kind !== e.resource) return false;
      if (e.message && !new RegExp(e.message).test(ev.message ?? '')) return false;
      return true;
    });
    if (hits.length) return pass(`event ${e.reason} seen`, `已出现 ${e.reason} 事件`);
    return fail(`no ${e.reason} event yet`, `还没有 ${e.reason} 事件`);
  }
  if ('http' in check) {
    const h = check.http;
    try {
      const body = await ctx.http(h.url, h.from ?? 'host', ctx.namespace);
      if (new RegExp(h.matches).test(body)) return pass(`${h.url} answered`, `${h.url} 已响应`);
      const short = body.trim().slice(0, 80);
      return fail(`${h.url} answered "${short}"`, `${h.url} 的响应是 "${short}"`);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return fail(`${h.url} does not answer yet (${msg})`, `${h.url} 还没有响应（${msg}）`);
    }
  }
  if ('ran' in check) {
    const p = check.ran;
    if (ctx.ran.some((c) => matchesRan(c, p))) return pass(`you ran kubectl ${p.command}`, `你已运行 kubectl ${p.command}`);
    const shape = `kubectl ${p.command}${p.resource ? ` ${p.resource}` : ''}${p.name ? ` ${p.name}` : ''}${Object.entries(p.flags ?? {}).map(([k, v]) => (v === true ? ` --${k}` : v === '*' ? ` --${k}=…` : ` --${k}=${v}`)).join('')}`;
    return fail(`waiting for you to run \`${shape}\``, `等待你运行 \`${shape}\``);
  }
  return fail('unknown check', '未知的检查');
}
