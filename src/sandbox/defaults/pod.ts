/**
 * PodSpec / Pod defaulting (pkg/apis/core/v1/defaults.go) plus the pod mutations of the admission
 * plugins a default cluster runs on create: ServiceAccount, DefaultTolerationSeconds and Priority.
 */
import type { KObject } from '../apiserver/types.js';

type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/**
 * An image reference split into repository, tag and digest as written (no registry or tag
 * implied); undefined when it is not a valid reference.
 */
export function splitImageRef(image: string): { repo: string; tag: string; digest: string } | undefined {
  if (!image || /\s/.test(image) || image !== image.trim()) return undefined;
  let ref = image;
  let digest = '';
  const at = ref.indexOf('@');
  if (at >= 0) {
    digest = ref.slice(at + 1);
    ref = ref.slice(0, at);
  }
  const lastSlash = ref.lastIndexOf('/');
  const lastColon = ref.lastIndexOf(':');
  let tag = '';
  let repo = ref;
  if (lastColon > lastSlash) {
    tag = ref.slice(lastColon + 1);
    repo = ref.slice(0, lastColon);
  }
  // the repository path (after an optional registry host) must be lower case
  const parts = repo.split('/');
  const path = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.slice(1) : parts;
  if (path.some((p) => !/^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*$/.test(p))) return undefined;
  if (tag && !/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
  return { repo, tag, digest };
}

/** The tag kubelet-style image parsing sees: `latest` when neither tag nor digest is given. */
export function imageTag(image: string): string {
  const r = splitImageRef(image);
  if (!r) return '';
  return !r.tag && !r.digest ? 'latest' : r.tag;
}

/** imagePullPolicy default for an image reference. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHandler(p);
}

function defaultHandler(h: unknown): void {
  if (!isObj(h)) return;
  if (isObj(h.httpGet)) {
    if (!h.httpGet.path) h.httpGet.path = '/';
    if (!h.httpGet.scheme) h.httpGet.scheme = 'HTTP';
  }
}

function defaultContainer(c: unknown): void {
  if (!isObj(c)) return;
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(typeof c.image === 'string' ? c.image : '');
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  if (!isObj(c.resources)) c.resources = {};
  for (const p of arr(c.ports)) if (isObj(p) && !p.protocol) p.protocol = 'TCP';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
  for (const e of arr(c.env)) {
    const vf = isObj(e) ? e.valueFrom : undefined;
    if (isObj(vf?.fieldRef) && !vf.fieldRef.apiVersion) vf.fieldRef.apiVersion = 'v1';
    if (isObj(vf?.resourceFieldRef) && vf.resourceFieldRef.divisor === undefined) vf.resourceFieldRef.divisor = '0';
  }
}

function defaultVolume(v: unknown): void {
  if (!isObj(v)) return;
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (isObj(v.secret) && v.secret.defaultMode === undefined) v.secret.defaultMode = 420;
  if (isObj(v.configMap) && v.configMap.defaultMode === undefined) v.configMap.defaultMode = 420;
  if (isObj(v.downwardAPI)) {
    if (v.downwardAPI.defaultMode === undefined) v.downwardAPI.defaultMode = 420;
    for (const it of arr(v.downwardAPI.items)) {
      if (isObj(it?.fieldRef) && !it.fieldRef.apiVersion) it.fieldRef.apiVersion = 'v1';
      if (isObj(it?.resourceFieldRef) && it.resourceFieldRef.divisor === undefined) it.resourceFieldRef.divisor = '0';
    }
  }
  if (isObj(v.projected)) {
    if (v.projected.defaultMode === undefined) v.projected.defaultMode = 420;
    for (const s of arr(v.projected.sources)) {
      if (isObj(s?.serviceAccountToken) && s.serviceAccountToken.expirationSeconds === undefined) s.serviceAccountToken.expirationSeconds = 3600;
      for (const it of arr(s?.downwardAPI?.items)) {
        if (isObj(it?.fieldRef) && !it.fieldRef.apiVersion) it.fieldRef.apiVersion = 'v1';
      }
    }
  }
  if (isObj(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = '';
  if (isObj(v.ephemeral?.volumeClaimTemplate?.spec) && !v.ephemeral.volumeClaimTemplate.spec.volumeMode) {
    v.ephemeral.volumeClaimTemplate.spec.volumeMode = 'Filesystem';
  }
}

/** SetDefaults_PodSpec and everything nested in it (also used for templates). */
export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  // v1 conversion: serviceAccount is the deprecated mirror of serviceAccountName
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const v of arr(spec.volumes)) defaultVolume(v);
  for (const c of arr(spec.containers)) defaultContainer(c);
  for (const c of arr(spec.initContainers)) defaultContainer(c);
  for (const c of arr(spec.ephemeralContainers)) defaultContainer(c);
}

/** A PodTemplateSpec (controllers' `spec.template`): pod-spec defaults, template metadata. */
export function defaultPodTemplate(template: unknown): void {
  if (!isObj(template)) return;
  if (!isObj(template.metadata)) template.metadata = {};
  // metav1.ObjectMeta in a template serializes its zero creationTimestamp as null (≤ 1.33)
  if (!('creationTimestamp' in template.metadata)) template.metadata.creationTimestamp = null;
  if (!isObj(template.spec)) template.spec = {};
  defaultPodSpec(template.spec);
}

/** SetDefaults_Pod: requests from limits, enableServiceLinks, host-network ports. */
export function defaultPod(pod: KObject): void {
  if (!isObj(pod.spec)) pod.spec = {};
  const spec = pod.spec as Obj;
  defaultPodSpec(spec);
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    if (!isObj(c) || !isObj(c.resources) || !isObj(c.resources.limits)) continue;
    if (!isObj(c.resources.requests)) c.resources.requests = {};
    for (const [k, v] of Object.entries(c.resources.limits)) if (!(k in c.resources.requests)) c.resources.requests[k] = v;
  }
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
      for (const p of arr(c?.ports)) if (isObj(p) && !p.hostPort) p.hostPort = p.containerPort;
    }
  }
}

// ---------------------------------------------------------------- admission (create only)

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export interface PodAdmissionOptions {
  /** random in [0,1) for the kube-api-access-xxxxx suffix (default Math.random) */
  random?: () => number;
  /** whether the pod's ServiceAccount allows token automount (default true) */
  serviceAccountAutomount?: boolean;
}

export function randomSuffix(n = 5, random: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < n; i++) s += suffixAlphabet[Math.floor(random() * suffixAlphabet.length) % suffixAlphabet.length];
  return s;
}

/** The projected token volume the ServiceAccount admission plugin adds. */
export function serviceAccountVolume(name: string): Obj {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  };
}

function toleratesNoExecute(tols: any[], key: string): boolean {
  return tols.some((t) => isObj(t)
    && (t.effect === 'NoExecute' || !t.effect)
    && ((t.key === key && (t.operator === 'Exists' || !t.operator || t.operator === 'Equal')) || (!t.key && t.operator === 'Exists')));
}

/**
 * ServiceAccount + DefaultTolerationSeconds + Priority admission mutations of a new Pod.
 * Idempotent: running it on an already-admitted pod changes nothing.
 */
export function admitPod(pod: KObject, opts: PodAdmissionOptions = {}): void {
  if (!isObj(pod.spec)) pod.spec = {};
  const spec = pod.spec as Obj;
  const mirror = isObj(pod.metadata?.annotations) && 'kubernetes.io/config.mirror' in pod.metadata.annotations;
  if (!mirror) {
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
    spec.serviceAccount = spec.serviceAccountName;
    const automount = spec.automountServiceAccountToken ?? opts.serviceAccountAutomount ?? true;
    const containers = [...arr(spec.initContainers), ...arr(spec.containers)].filter(isObj);
    const hasMount = containers.some((c) => arr(c.volumeMounts).some((m) => m?.mountPath === serviceAccountMountPath));
    const existing = arr(spec.volumes).find((v) => typeof v?.name === 'string' && v.name.startsWith('kube-api-access-'));
    if (automount && !hasMount && !existing) {
      const name = `kube-api-access-${randomSuffix(5, opts.random)}`;
      spec.volumes = [...arr(spec.volumes), serviceAccountVolume(name)];
      for (const c of containers) {
        c.volumeMounts = [...arr(c.volumeMounts), { mountPath: serviceAccountMountPath, name, readOnly: true }];
      }
    }
  }
  const tols = arr(spec.tolerations);
  const add: Obj[] = [];
  if (!toleratesNoExecute(tols, 'node.kubernetes.io/not-ready')) {
    add.push({ effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 });
  }
  if (!toleratesNoExecute(tols, 'node.kubernetes.io/unreachable')) {
    add.push({ effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 });
  }
  if (add.length) spec.tolerations = [...tols, ...add];
  if (spec.priority === undefined || spec.priority === null) {
    spec.priority = spec.priorityClassName === 'system-node-critical' ? 2000001000
      : spec.priorityClassName === 'system-cluster-critical' ? 2000000000 : 0;
  }
  if (!spec.preemptionPolicy) spec.preemptionPolicy = 'PreemptLowerPriority';
}
