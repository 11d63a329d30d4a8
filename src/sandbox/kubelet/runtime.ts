/**
 * What the API server asks of the node agents (kube-apiserver → kubelet): container logs and the
 * streaming sessions behind `pods/exec`, `pods/attach` and `pods/portforward`. The simulated
 * kubelet implements it; the API server's streaming handlers speak the wire protocols on top.
 */
import type { Duplex, Readable, Writable } from 'node:stream';

/** `GET pods/{name}/log` query options (PodLogOptions) */
export interface LogOptions {
  container: string;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
  follow?: boolean;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** the streams of an exec/attach session; absent streams were not requested */
export interface SessionIO {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty: boolean;
  /** terminal size changes (tty sessions) */
  onResize?: (listener: (size: TerminalSize) => void) => void;
}

export interface ContainerRuntime {
  /**
   * Write the container's log to `out` (and keep following while `follow` until `signal` aborts or
   * the container stops). Throws a StatusError (400 BadRequest) in kube's wording when the
   * container or its previous instance does not exist.
   */
  logs(namespace: string, pod: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void>;
  /** run `command` in the container; resolves with its exit code */
  exec(namespace: string, pod: string, container: string, command: string[], io: SessionIO, signal: AbortSignal): Promise<number>;
  /** connect to the container's main process; resolves with its exit code when it ends */
  attach(namespace: string, pod: string, container: string, io: SessionIO, signal: AbortSignal): Promise<number>;
  /** connect `conn` to `port` inside the pod's network namespace (throws StatusError if nothing listens) */
  portForward(namespace: string, pod: string, port: number, conn: Duplex): Promise<void>;
}
