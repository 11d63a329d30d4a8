/**
 * One exec/attach session, independent of the wire protocol: builds the SessionIO the runtime gets,
 * runs the command and turns the outcome into what the kubelet writes on the error stream.
 */
import { PassThrough, Writable } from 'node:stream';
import type { ContainerRuntime, SessionIO, TerminalSize } from '../../kubelet/runtime.js';
import { StatusError } from '../errors.js';
import { containerRunning, containerSpec, exitCodeStatus, internalErrorStatus, KubeletError, podNotFound, queryBool, requireHost, statusJSON, streamContainer, SUCCESS_STATUS, type StreamParams } from './common.js';

export interface ExecRequest {
  kind: 'exec' | 'attach';
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** the tty the client asked for (decides which streams it opens) */
  tty: boolean;
  /** the tty of the process (attach: the container's spec.tty) */
  processTty: boolean;
}

/**
 * Check an exec/attach request the way kube-apiserver then the kubelet would; throws a StatusError
 * (apiserver) or a KubeletError (node) before any upgrade happens.
 */
export function parseExecRequest(params: StreamParams): ExecRequest {
  const pod = params.object;
  if (!pod) throw podNotFound(params.pod);
  const q = params.query;
  const container = streamContainer(pod, q.get('container') ?? '');
  requireHost(pod);
  const tty = queryBool(q, 'tty');
  const stdin = queryBool(q, 'stdin');
  const stdout = queryBool(q, 'stdout');
  // the kubelet drops stderr in tty mode (it is merged into stdout by the terminal)
  const stderr = queryBool(q, 'stderr') && !tty;
  if (!stdin && !stdout && !stderr) throw new KubeletError('you must specify at least 1 of stdin, stdout, stderr', 400);
  const kind = params.subresource === 'attach' ? 'attach' : 'exec';
  if (!containerRunning(pod, container)) {
    throw new KubeletError(kind === 'exec'
      ? `container not found (${JSON.stringify(container)})`
      : `container ${container} not found in pod ${params.pod}_${params.namespace}`);
  }
  const processTty = kind === 'attach' ? !!containerSpec(pod, container)?.tty : tty;
  return {
    kind, namespace: params.namespace, pod: params.pod, container, command: q.getAll('command'),
    stdin, stdout, stderr, tty, processTty,
  };
}

/** what ends up on the error stream: the v4+ Status JSON, and the pre-v4 plain text (undefined = success) */
export interface SessionOutcome {
  status: string;
  text: string | undefined;
}

/** a Writable over a message-sending function, honouring the transport's backpressure */
export function senderWritable(send: (b: Buffer) => boolean, waitDrain: () => Promise<void>): Writable {
  const w = new Writable({
    write(chunk: Buffer | string, enc, cb) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, enc) : chunk;
      if (!buf.length) return cb();
      if (send(buf)) cb();
      else waitDrain().then(() => cb(), () => cb());
    },
  });
  // a runtime writing after the session ended must not crash the server
  w.on('error', () => {});
  return w;
}

/** end a writable the runtime may have left open, and wait until its last chunk went out */
export async function flushWritable(w: Writable | undefined): Promise<void> {
  if (!w || w.destroyed || w.writableFinished) return;
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    w.once('finish', done);
    w.once('close', done);
    w.once('error', done);
    if (!w.writableEnded) w.end();
  });
}

/** resize events: keeps the last size for a listener that registers late */
export class ResizeQueue {
  private listeners: ((s: TerminalSize) => void)[] = [];
  private last: TerminalSize | undefined;
  private pending = '';

  register = (listener: (s: TerminalSize) => void): void => {
    this.listeners.push(listener);
    if (this.last) listener(this.last);
  };

  push(size: TerminalSize): void {
    this.last = size;
    for (const l of this.listeners) {
      try {
        l(size);
      } catch {
        // a listener's problem is not the connection's
      }
    }
  }

  /** a chunk of a JSON stream of {"Width":..,"Height":..} objects (SPDY resize stream; ws: one per message) */
  feed(text: string): void {
    this.pending += text;
    for (;;) {
      const start = this.pending.indexOf('{');
      if (start < 0) {
        this.pending = '';
        return;
      }
      const end = this.pending.indexOf('}', start);
      if (end < 0) {
        this.pending = this.pending.slice(start);
        if (this.pending.length > 4096) this.pending = '';
        return;
      }
      const obj = this.pending.slice(start, end + 1);
      this.pending = this.pending.slice(end + 1);
      try {
        const v = JSON.parse(obj) as { Width?: unknown; Height?: unknown };
        const width = Number(v.Width);
        const height = Number(v.Height);
        if (Number.isFinite(width) && Number.isFinite(height)) this.push({ width, height });
      } catch {
        // malformed resize message: ignored, like the kubelet's decoder error path
      }
    }
  }
}

export interface SessionStreams {
  stdin?: PassThrough;
  stdout?: Writable;
  stderr?: Writable;
  resize: ResizeQueue;
}

/** run the command (or attach) and map its outcome like the kubelet's ServeExec / ServeAttach */
export async function runSession(runtime: ContainerRuntime, req: ExecRequest, streams: SessionStreams, signal: AbortSignal): Promise<SessionOutcome> {
  const io: SessionIO = {
    stdin: streams.stdin,
    stdout: streams.stdout,
    stderr: streams.stderr,
    tty: req.processTty,
    onResize: streams.resize.register,
  };
  try {
    if (req.kind === 'attach') {
      await runtime.attach(req.namespace, req.pod, req.container, io, signal);
      return { status: SUCCESS_STATUS, text: undefined };
    }
    const code = await runtime.exec(req.namespace, req.pod, req.container, req.command, io, signal);
    if (!code) return { status: SUCCESS_STATUS, text: undefined };
    const status = exitCodeStatus(req.command, code);
    return { status, text: JSON.parse(status).message };
  } catch (err) {
    if (err instanceof StatusError) return { status: statusJSON(err.status), text: err.message };
    const msg = String((err as Error)?.message ?? err);
    const wrapped = req.kind === 'attach' ? `error attaching to container: ${msg}` : `error executing command in container: ${msg}`;
    const st = internalErrorStatus(wrapped);
    return { status: statusJSON(st), text: wrapped };
  } finally {
    await Promise.all([flushWritable(streams.stdout), flushWritable(streams.stderr)]);
  }
}
