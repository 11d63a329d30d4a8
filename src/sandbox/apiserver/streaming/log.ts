/**
 * `GET pods/{name}/log`: PodLogOptions from the query, the container picked like kube-apiserver's
 * validateContainer(), then the runtime's log streamed as chunked `text/plain`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { ContainerRuntime, LogOptions } from '../../kubelet/runtime.js';
import { errors, field, StatusError } from '../errors.js';
import { sendStatus } from '../encode.js';
import type { FieldError } from '../types.js';
import { logContainer, podNotFound, queryBool, queryInt, type LogParams } from './common.js';

/** how long to hold the response head back waiting for an early runtime error (follow mode) */
const HEAD_GRACE_MS = 25;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** PodLogOptions from the query, validated like ValidatePodLogOptions (422 PodLogOptions invalid) */
export function parseLogOptions(params: LogParams, container: string): LogOptions {
  const q = params.query;
  const opts: LogOptions = { container };
  if (queryBool(q, 'previous')) opts.previous = true;
  if (queryBool(q, 'timestamps')) opts.timestamps = true;
  if (queryBool(q, 'follow')) opts.follow = true;
  const tailLines = queryInt(q, 'tailLines');
  const sinceSeconds = queryInt(q, 'sinceSeconds');
  const limitBytes = queryInt(q, 'limitBytes');
  const sinceTime = q.get('sinceTime') || undefined;
  if (sinceTime !== undefined && !RFC3339.test(sinceTime)) {
    throw errors.badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
  }
  const errs: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0) errs.push(field.invalid('tailLines', tailLines, 'must be greater than or equal to 0'));
  if (limitBytes !== undefined && limitBytes < 1) errs.push(field.invalid('limitBytes', limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    errs.push(field.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (sinceSeconds !== undefined && sinceSeconds < 1) {
    errs.push(field.invalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
  }
  if (errs.length) throw errors.invalid('', 'PodLogOptions', params.pod, errs);
  if (tailLines !== undefined) opts.tailLines = tailLines;
  if (sinceSeconds !== undefined) opts.sinceSeconds = sinceSeconds;
  if (sinceTime !== undefined) opts.sinceTime = sinceTime;
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  return opts;
}

/**
 * Serve `GET …/pods/{name}/log`. Errors before the first byte are Status responses (the runtime's
 * StatusErrors as they are); after that the body just ends. Never rejects.
 */
export async function handleLog(req: IncomingMessage, res: ServerResponse, params: LogParams, runtime: ContainerRuntime): Promise<void> {
  req.on('error', () => {});
  res.on('error', () => {});
  let opts: LogOptions;
  try {
    if ((req.method ?? 'GET') !== 'GET') throw errors.methodNotSupported('', 'pods/log', (req.method ?? '').toLowerCase());
    const pod = params.object;
    if (!pod) throw podNotFound(params.pod);
    const container = logContainer(pod, params.query.get('container') ?? '');
    opts = parseLogOptions(params, container);
    if (!pod.spec?.nodeName) {
      // kube-apiserver: no node, no location, an empty log
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
      res.end();
      return;
    }
  } catch (err) {
    sendError(res, err);
    return;
  }

  const ac = new AbortController();
  const onGone = () => ac.abort();
  res.on('close', onGone);
  req.on('close', () => {
    if (!res.writableFinished) onGone();
  });

  let headSent = false;
  let written = 0;
  const limit = opts.limitBytes;
  const sendHead = () => {
    if (headSent || res.headersSent) return;
    headSent = true;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    (res.socket as { setNoDelay?: (b: boolean) => void } | null)?.setNoDelay?.(true);
  };
  const out = new Writable({
    write(chunk: Buffer | string, enc, cb) {
      if (ac.signal.aborted || res.writableEnded) return cb();
      let buf = typeof chunk === 'string' ? Buffer.from(chunk, enc) : chunk;
      if (limit !== undefined) {
        if (written >= limit) return cb();
        if (written + buf.length > limit) buf = buf.subarray(0, limit - written);
      }
      if (!buf.length) return cb();
      sendHead();
      written += buf.length;
      const ok = res.write(buf);
      if (limit !== undefined && written >= limit) {
        // limitBytes reached: the log ends here
        ac.abort();
        res.end();
      }
      if (ok) cb();
      else res.once('drain', () => cb());
    },
  });
  out.on('error', () => {});
  let graceTimer: NodeJS.Timeout | undefined;
  if (opts.follow) graceTimer = setTimeout(sendHead, HEAD_GRACE_MS);
  try {
    await runtime.logs(params.namespace, params.pod, opts, out, ac.signal);
    await new Promise<void>((resolve) => {
      if (out.writableFinished || out.destroyed) return resolve();
      out.once('finish', () => resolve());
      out.once('close', () => resolve());
      if (!out.writableEnded) out.end();
    });
    if (graceTimer) clearTimeout(graceTimer);
    if (!res.writableEnded) {
      if (!headSent && !res.headersSent) {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0, 'Cache-Control': 'no-cache, private' });
      }
      res.end();
    }
  } catch (err) {
    if (graceTimer) clearTimeout(graceTimer);
    if (ac.signal.aborted && res.destroyed) return;
    if (!res.headersSent) sendError(res, err);
    else res.end();
  } finally {
    res.off('close', onGone);
  }
}

function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (err instanceof StatusError) {
    sendStatus(res, err.status);
    return;
  }
  sendStatus(res, errors.internal(String((err as Error)?.message ?? err)).status);
}
