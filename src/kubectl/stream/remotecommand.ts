/**
 * exec / attach over the websocket channel protocols (kubectl >= 1.30 speaks `v5.channel.k8s.io`):
 * each message starts with its channel — 0 stdin, 1 stdout, 2 stderr, 3 error (a Status as JSON in
 * v4/v5), 4 resize (`{"Width":w,"Height":h}`), 255 close (v5: the client closed its stdin).
 */
import type { Kubeconfig } from '../client/kubeconfig-model.js';
import type { Stdin } from '../command.js';
import type { Status } from '../client/errors.js';
import { encodeQuery, type Query } from '../client/rest.js';
import { connectWebSocket } from './websocket.js';

export const REMOTECOMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface RemoteCommandOptions {
  /** exec or attach path (no query) */
  path: string;
  /** command words (exec) */
  command?: string[];
  container?: string;
  stdin?: Stdin;
  /** ask for stdin even without an Stdin to read (its end is sent at once) */
  wantStdin: boolean;
  tty: boolean;
  stdout(b: Buffer): void;
  stderr(b: Buffer): void;
  signal?: AbortSignal;
  /** called once the stream is up */
  onOpen?(): void;
}

/**
 * Run the session; resolves with the Status of the error channel (v4+), or a Success status when
 * the server closed without one. Rejects with the server's Status when the upgrade is refused.
 */
export async function runRemoteCommand(kc: Kubeconfig, opts: RemoteCommandOptions): Promise<Status> {
  const query: Query = {
    command: opts.command,
    container: opts.container,
    stdin: opts.wantStdin ? 'true' : undefined,
    stdout: 'true',
    stderr: opts.tty ? undefined : 'true',
    tty: opts.tty ? 'true' : undefined,
  };
  // kubectl always states stdout/stderr explicitly
  let q = encodeQuery(query);
  if (opts.tty) q += (q ? '&' : '?') + 'stderr=false';
  const ws = await connectWebSocket(kc, opts.path + q, REMOTECOMMAND_PROTOCOLS, opts.signal);
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  opts.onOpen?.();
  return new Promise<Status>((resolve) => {
    let status: Status | undefined;
    const onAbort = () => ws.close(1000);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    ws.handlers = {
      onMessage(data, binary) {
        if (!binary || !data.length) return;
        const channel = data[0]!;
        const payload = data.subarray(1);
        if (channel === 1) opts.stdout(payload);
        else if (channel === 2) opts.stderr(payload);
        else if (channel === 3) {
          if (!payload.length) return;
          try {
            status = JSON.parse(payload.toString('utf8')) as Status;
          } catch {
            status = { status: 'Failure', message: payload.toString('utf8') };
          }
        }
      },
      onClose() {
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(status ?? { status: 'Success' });
      },
    };
    const closeStdin = () => {
      if (!ws.isOpen) return;
      if (v5) ws.send(Buffer.from([255, 0]));
    };
    if (opts.wantStdin) {
      if (opts.stdin) {
        opts.stdin.on('data', (chunk) => {
          if (!ws.isOpen) return;
          const msg = Buffer.allocUnsafe(chunk.length + 1);
          msg[0] = 0;
          chunk.copy(msg, 1);
          ws.send(msg);
        });
        opts.stdin.on('end', closeStdin);
      } else {
        closeStdin();
      }
    }
    if (opts.tty && opts.stdin?.onResize) {
      opts.stdin.onResize((cols, rows) => {
        if (!ws.isOpen) return;
        ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: cols, Height: rows }))]));
      });
    }
  });
}

/** exit code carried by a NonZeroExitCode Status, if any */
export function exitCodeOf(status: Status): number | undefined {
  if (status.status === 'Success') return 0;
  if (status.reason !== 'NonZeroExitCode') return undefined;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const n = Number(cause?.message);
  return Number.isInteger(n) ? n : undefined;
}
