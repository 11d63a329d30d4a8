/**
 * The files a container sees in its mounted volumes, as the kubelet's volume plugins write them when
 * the container starts: ConfigMap and Secret volumes (one file per key, or the listed items), the
 * projected ServiceAccount volume (`token`, `ca.crt`, `namespace` under
 * /var/run/secrets/kubernetes.io/serviceaccount), downwardAPI items and emptyDirs (an empty
 * directory). Written when the container starts; afterwards `followVolumes` keeps ConfigMap and
 * Secret files (also inside projected volumes) in step with their objects the way the kubelet
 * does: on its next periodic sync (VOLUME_SYNC_PERIOD_MS, counted from the container's start) after
 * the object changed. subPath mounts are never updated, environment variables neither; a deleted
 * object leaves the last files in place.
 */
import { createHash } from 'node:crypto';
import type { StoreEvent } from '../../apiserver/store.js';
import type { KObject } from '../../apiserver/types.js';
import type { Timer } from '../../clock.js';
import type { ControllerContext } from '../../controllers/context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

/** marks a directory that has no files (the shell model lists what is under a path) */
export const DIR_MARKER = '.keep';

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const hash = (s: string) => createHash('sha256').update(s).digest();

/** a bound ServiceAccount token as the kubelet gets it from the TokenRequest API (signature is not real) */
export function serviceAccountToken(pod: KObject, nowMs: number, expirationSeconds = 3607): string {
  const ns = pod.metadata.namespace ?? 'default';
  const sa = (pod.spec as Obj)?.serviceAccountName ?? 'default';
  const iat = Math.floor(nowMs / 1000);
  const iss = 'https://kubernetes.default.svc.cluster.local';
  const header = { alg: 'RS256', kid: b64url(hash('kube-tutor service-account-key')).slice(0, 43) };
  const payload = {
    aud: [iss],
    exp: iat + Math.max(expirationSeconds, 3600 * 24 * 365),
    iat,
    iss,
    jti: createHash('sha256').update(`jti:${pod.metadata.uid}:${iat}`).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5'),
    'kubernetes.io': {
      namespace: ns,
      node: { name: (pod.spec as Obj)?.nodeName ?? '', uid: createHash('sha256').update(`node:${(pod.spec as Obj)?.nodeName}`).digest('hex').slice(0, 36) },
      pod: { name: pod.metadata.name, uid: pod.metadata.uid },
      serviceaccount: { name: sa, uid: createHash('sha256').update(`sa:${ns}/${sa}`).digest('hex').slice(0, 36) },
      warnafter: iat + 3607,
    },
    nbf: iat,
    sub: `system:serviceaccount:${ns}:${sa}`,
  };
  const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const sig = Buffer.concat(Array.from({ length: 8 }, (_, i) => hash(`${body}:${i}`))).subarray(0, 256);
  return `${body}.${b64url(sig)}`;
}

function fieldRef(pod: KObject, path: string): string {
  const m = pod.metadata;
  switch (path) {
    case 'metadata.namespace': return m.namespace ?? 'default';
    case 'metadata.name': return m.name ?? '';
    case 'metadata.uid': return m.uid ?? '';
    case 'metadata.labels': return Object.entries(m.labels ?? {}).map(([k, v]) => `${k}="${v}"`).join('\n');
    case 'metadata.annotations': return Object.entries(m.annotations ?? {}).map(([k, v]) => `${k}="${v}"`).join('\n');
    default: return '';
  }
}

/** files for one volume source: relative path → content (undefined: the source does not exist) */
function sourceFiles(ctx: ControllerContext, pod: KObject, src: Obj, nowMs: number): Record<string, string> | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const pick = (data: Record<string, string>, items: Obj[] | undefined) => {
    if (!items?.length) return data;
    const out: Record<string, string> = {};
    for (const it of items) if (data[it.key] !== undefined) out[it.path ?? it.key] = data[it.key];
    return out;
  };
  if (src.configMap) {
    const rt = ctx.registry.forKind('', 'ConfigMap');
    const cm = rt && ctx.store.tryGet(rt, ns, src.configMap.name) as Obj;
    if (!cm) return src.configMap.optional ? {} : undefined;
    const data: Record<string, string> = { ...(cm.data ?? {}) };
    for (const [k, v] of Object.entries(cm.binaryData ?? {})) data[k] = Buffer.from(String(v), 'base64').toString('utf8');
    return pick(data, src.configMap.items);
  }
  if (src.secret) {
    const rt = ctx.registry.forKind('', 'Secret');
    const name = src.secret.secretName ?? src.secret.name;
    const sec = rt && ctx.store.tryGet(rt, ns, name) as Obj;
    if (!sec) return src.secret.optional ? {} : undefined;
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(sec.data ?? {})) data[k] = Buffer.from(String(v), 'base64').toString('utf8');
    for (const [k, v] of Object.entries(sec.stringData ?? {})) data[k] = String(v);
    return pick(data, src.secret.items);
  }
  if (src.downwardAPI) {
    const out: Record<string, string> = {};
    for (const it of src.downwardAPI.items ?? []) if (it.fieldRef) out[it.path] = fieldRef(pod, it.fieldRef.fieldPath);
    return out;
  }
  if (src.serviceAccountToken) return { [src.serviceAccountToken.path ?? 'token']: serviceAccountToken(pod, nowMs, src.serviceAccountToken.expirationSeconds) };
  return undefined;
}

/** the files under each of `container`'s volume mounts: absolute path → content */
export function volumeFiles(ctx: ControllerContext, pod: KObject, container: Obj, nowMs: number): Map<string, string> {
  const files = new Map<string, string>();
  const volumes: Obj[] = (pod.spec as Obj)?.volumes ?? [];
  for (const m of (container?.volumeMounts ?? []) as Obj[]) {
    const v = volumes.find((x) => x?.name === m.name);
    if (!v || typeof m.mountPath !== 'string') continue;
    const dir = m.mountPath.replace(/\/+$/, '') || '/';
    let content: Record<string, string> = {};
    try {
      if (v.projected) {
        for (const s of v.projected.sources ?? []) Object.assign(content, sourceFiles(ctx, pod, s, nowMs) ?? {});
      } else content = sourceFiles(ctx, pod, v, nowMs) ?? {};
    } catch {
      content = {};
    }
    if (m.subPath) {
      if (content[m.subPath] !== undefined) files.set(dir, content[m.subPath]);
      continue;
    }
    files.set(`${dir}/${DIR_MARKER}`, '');
    for (const [rel, text] of Object.entries(content)) files.set(`${dir}/${rel}`, text);
  }
  return files;
}

// ---------------------------------------------------------------- updates of mounted files

/** the kubelet's pod sync period: a changed ConfigMap/Secret reaches mounted files on the next sync */
export const VOLUME_SYNC_PERIOD_MS = 60_000;

interface Follower {
  ctx: ControllerContext;
  pod: KObject;
  container: Obj;
  fs: Map<string, string>;
  startedAt: number;
  alive: () => boolean;
  keys: string[];
  timer?: Timer;
}

/** one store subscription per sandbox; followers indexed by `Kind/namespace/name` */
class Followers {
  readonly byKey = new Map<string, Set<Follower>>();

  constructor(ctx: ControllerContext) {
    ctx.store.subscribe((e) => this.onEvent(e));
  }

  add(f: Follower): void {
    for (const k of f.keys) {
      let set = this.byKey.get(k);
      if (!set) this.byKey.set(k, (set = new Set()));
      set.add(f);
    }
  }

  remove(f: Follower): void {
    f.timer?.cancel();
    f.timer = undefined;
    for (const k of f.keys) {
      const set = this.byKey.get(k);
      set?.delete(f);
      if (set && !set.size) this.byKey.delete(k);
    }
  }

  private onEvent(e: StoreEvent): void {
    const kind = e.rt.kind;
    if ((kind !== 'ConfigMap' && kind !== 'Secret') || e.type === 'DELETED' || !this.byKey.size) return;
    const set = this.byKey.get(`${kind}/${e.object.metadata.namespace}/${e.object.metadata.name}`);
    if (!set) return;
    for (const f of [...set]) {
      if (!f.alive()) {
        this.remove(f);
        continue;
      }
      if (f.timer) continue;
      const now = f.ctx.clock.now();
      const since = Math.max(0, now - f.startedAt) % VOLUME_SYNC_PERIOD_MS;
      f.timer = f.ctx.clock.after(VOLUME_SYNC_PERIOD_MS - since, () => {
        f.timer = undefined;
        if (!f.alive()) this.remove(f);
        else refreshVolumes(f.ctx, f.pod, f.container, f.fs);
      });
    }
  }
}

const followersByStore = new WeakMap<object, Followers>();

/** the ConfigMaps and Secrets behind `container`'s updatable (non-subPath) mounts, as `Kind/ns/name` */
function followedKeys(pod: KObject, container: Obj): string[] {
  const ns = pod.metadata.namespace ?? 'default';
  const volumes: Obj[] = (pod.spec as Obj)?.volumes ?? [];
  const keys = new Set<string>();
  const add = (src: Obj) => {
    if (src?.configMap?.name) keys.add(`ConfigMap/${ns}/${src.configMap.name}`);
    const sec = src?.secret?.secretName ?? src?.secret?.name;
    if (sec) keys.add(`Secret/${ns}/${sec}`);
  };
  for (const m of (container?.volumeMounts ?? []) as Obj[]) {
    if (m.subPath || m.subPathExpr) continue;
    const v = volumes.find((x) => x?.name === m.name);
    if (!v) continue;
    if (v.projected) for (const s of v.projected.sources ?? []) add(s);
    else add(v);
  }
  return [...keys];
}

/**
 * Keep `fs` (a running container's files) in step with the ConfigMaps/Secrets it mounts until
 * `alive()` turns false. Changes land on the container's next sync tick (every
 * VOLUME_SYNC_PERIOD_MS from `startedAt`).
 */
export function followVolumes(ctx: ControllerContext, pod: KObject, container: Obj, fs: Map<string, string>, startedAt: number, alive: () => boolean): void {
  const keys = followedKeys(pod, container);
  if (!keys.length) return;
  let followers = followersByStore.get(ctx.store);
  if (!followers) {
    followers = new Followers(ctx);
    followersByStore.set(ctx.store, followers);
  }
  followers.add({ ctx, pod, container, fs, startedAt, alive, keys });
}

/** rewrite the ConfigMap/Secret files of `container`'s non-subPath mounts from the current objects */
export function refreshVolumes(ctx: ControllerContext, pod: KObject, container: Obj, fs: Map<string, string>): void {
  const volumes: Obj[] = (pod.spec as Obj)?.volumes ?? [];
  for (const m of (container?.volumeMounts ?? []) as Obj[]) {
    if (m.subPath || m.subPathExpr || typeof m.mountPath !== 'string') continue;
    const v = volumes.find((x) => x?.name === m.name);
    if (!v || !(v.configMap || v.secret || v.projected)) continue;
    const dir = m.mountPath.replace(/\/+$/, '') || '/';
    const prefix = `${dir}/`;
    let content: Record<string, string> | undefined;
    try {
      if (v.projected) {
        content = {};
        for (const src of v.projected.sources ?? []) {
          if (src.configMap || src.secret) {
            const part = sourceFiles(ctx, pod, src, 0);
            if (!part) return; // the object is gone: the kubelet keeps what it wrote
            Object.assign(content, part);
          } else {
            // tokens and downward API files stay as they are
            const names = src.serviceAccountToken ? [src.serviceAccountToken.path ?? 'token'] : (src.downwardAPI?.items ?? []).map((i: Obj) => i.path);
            for (const n of names) {
              const cur = fs.get(`${prefix}${n}`);
              if (cur !== undefined) content[n] = cur;
            }
          }
        }
      } else content = sourceFiles(ctx, pod, v, 0);
    } catch {
      content = undefined;
    }
    if (!content) continue;
    for (const k of [...fs.keys()]) {
      if (k.startsWith(prefix) && k !== `${prefix}${DIR_MARKER}` && content[k.slice(prefix.length)] === undefined) fs.delete(k);
    }
    for (const [rel, text] of Object.entries(content)) fs.set(`${prefix}${rel}`, text);
  }
}
