/**
 * What the streaming subresources share: their parameters, the pod and container checks that
 * kube-apiserver (pkg/registry/core/pod/strategy.go) and the kubelet make before a stream starts,
 * query decoding like apimachinery's parameter codec, and writing an HTTP error onto a raw socket.
 */
import type { Duplex } from 'node:stream';
import { errors, StatusError } from '../errors.js';
import type { KObject, Status } from '../types.js';

export type StreamingSubresource = 'exec' | 'attach' | 'portforward';

/** what the lead's router resolved before handing a request to the streaming handlers */
export interface StreamParams {
  namespace: string;
  /** the pod's name */
  pod: string;
  subresource: StreamingSubresource;
  query: URLSearchParams;
  /** the stored pod (the router looks it up in the store); absent = 404 NotFound */
  object?: KObject;
}

export interface LogParams {
  namespace: string;
  pod: string;
  query: URLSearchParams;
  /** the stored pod; absent = 404 NotFound */
  object?: KObject;
}

interface ContainerLike {
  name: string;
  tty?: boolean;
}

function names(list: ContainerLike[] | undefined): string[] {
  return (list ?? []).map((c) => c.name);
}

export function podNotFound(name: string): StatusError {
  return errors.notFound('', 'pods', name);
}

/** every container name of a pod: init, regular and ephemeral */
function allContainers(pod: KObject): ContainerLike[] {
  const spec = pod.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

/**
 * The container of an exec/attach request: kube's streamLocation(). Empty + one container picks it;
 * empty + several is a 400 naming them (and the init containers); an unknown name is a 400.
 */
export function streamContainer(pod: KObject, requested: string): string {
  const name = pod.metadata.name ?? '';
  if (!requested) {
    const containers = names(pod.spec?.containers);
    if (containers.length === 1) return containers[0];
    if (containers.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    const init = names(pod.spec?.initContainers);
    if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
    throw errors.badRequest(msg);
  }
  if (!allContainers(pod).some((c) => c.name === requested)) {
    throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
  }
  return requested;
}

/** the container of a log request: kube's validateContainer() (init containers listed first, Go %s of a slice) */
export function logContainer(pod: KObject, requested: string): string {
  const name = pod.metadata.name ?? '';
  if (!requested) {
    const containers = names(pod.spec?.containers);
    if (containers.length === 1) return containers[0];
    if (containers.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
    const every = [...names(pod.spec?.initContainers), ...containers, ...names(pod.spec?.ephemeralContainers)];
    throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${every.join(' ')}]`);
  }
  if (!allContainers(pod).some((c) => c.name === requested)) {
    throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
  }
  return requested;
}

/** 400 when the scheduler has not placed the pod (no kubelet to talk to) */
export function requireHost(pod: KObject): void {
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
}

/** is the container currently running, according to the pod status the kubelet reports? */
export function containerRunning(pod: KObject, container: string): boolean {
  const st = pod.status ?? {};
  const all = [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? []), ...(st.ephemeralContainerStatuses ?? [])];
  const cs = all.find((c: { name?: string }) => c.name === container);
  return !!cs?.state?.running;
}

/** the container's spec (for attach's tty) */
export function containerSpec(pod: KObject, container: string): ContainerLike | undefined {
  return allContainers(pod).find((c) => c.name === container);
}

/**
 * An error of the node agent, before the stream starts: the kubelet answers with a plain-text 500
 * (streaming.WriteError), which kube-apiserver passes through; kubectl prints
 * `error: unable to upgrade connection: <text>`.
 */
export class KubeletError extends Error {
  constructor(message: string, readonly code = 500) {
    super(message);
  }
}

/** Go's `%v` of a []string: `[sh -c exit 3]` */
export function goSlice(values: string[]): string {
  return `[${values.join(' ')}]`;
}

/**
 * A Status as the kubelet writes it on the error stream (json.Marshal of metav1.Status without
 * TypeMeta): field order metadata, status, message, reason, details, code.
 */
export function statusJSON(s: Partial<Status>): string {
  const o: Record<string, unknown> = { metadata: s.metadata ?? {}, status: s.status ?? 'Failure' };
  if (s.message) o.message = s.message;
  if (s.reason) o.reason = s.reason;
  if (s.details) {
    const d: Record<string, unknown> = {};
    for (const k of ['name', 'group', 'kind', 'uid', 'causes', 'retryAfterSeconds'] as const) {
      if (s.details[k] !== undefined) d[k] = s.details[k];
    }
    o.details = d;
  }
  if (s.code) o.code = s.code;
  return JSON.stringify(o);
}

export const SUCCESS_STATUS = '{"metadata":{},"status":"Success"}';

/** the Status for a command that exited with `code` (kubelet's NonZeroExitCode) */
export function exitCodeStatus(command: string[], code: number): string {
  return statusJSON({
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command ${goSlice(command)}, exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

/** apierrors.NewInternalError(err) */
export function internalErrorStatus(message: string): Status {
  return errors.internal(message).status;
}

/** apimachinery's []string → bool conversion: absent false; "0"/"false" false; anything else true */
export function queryBool(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  if (v === null) return false;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** []string → *int64: absent or empty undefined; otherwise strconv.ParseInt (400 on junk) */
export function queryInt(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return n;
}

const HTTP_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  426: 'Upgrade Required', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** answer an upgrade request with a plain HTTP response on the raw socket, then close it */
export function writeRawResponse(socket: Duplex, code: number, contentType: string, body: string, extra: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const buf = Buffer.from(body, 'utf8');
  const head = [
    `HTTP/1.1 ${code} ${HTTP_TEXT[code] ?? 'Error'}`,
    `Content-Type: ${contentType}`,
    `Content-Length: ${buf.length}`,
    'Cache-Control: no-cache, private',
    'Connection: close',
    ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n'), buf]));
}

/** answer an upgrade request with a Status (kube-apiserver errors before the stream starts) */
export function rejectUpgrade(socket: Duplex, err: unknown): void {
  if (err instanceof StatusError) {
    writeRawResponse(socket, err.code, 'application/json', JSON.stringify(err.status));
  } else if (err instanceof KubeletError) {
    writeRawResponse(socket, err.code, 'text/plain; charset=utf-8', err.message);
  } else {
    const st = internalErrorStatus(String((err as Error)?.message ?? err));
    writeRawResponse(socket, 500, 'application/json', JSON.stringify(st));
  }
}
