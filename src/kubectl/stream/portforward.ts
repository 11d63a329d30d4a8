/**
 * Port forwarding: local TCP listeners, and per accepted connection one websocket to the pod's
 * `portforward` subresource (`v4.channel.k8s.io`: channel 0 carries the data, channel 1 the
 * server's errors, and the server's first message on each channel is the port, 2 bytes LE).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Kubeconfig } from '../client/kubeconfig-model.js';
import { connectWebSocket } from './websocket.js';

export const PORTFORWARD_PROTOCOLS = ['v4.channel.k8s.io'];

export interface ForwardedPort {
  local: number;
  remote: number;
}

export interface Listener {
  address: string;
  /** how kubectl shows the address (`[::1]` for IPv6) */
  shown: string;
  port: ForwardedPort;
  server: Server;
}

function showAddress(a: string): string {
  return a.includes(':') ? `[${a}]` : a;
}

/** listen on `address:local` (0 picks a free port); rejects with the listen error */
export function listen(address: string, local: number): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: address, port: local, exclusive: true }, () => {
      server.off('error', reject);
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : local });
    });
  });
}

export function closeAll(listeners: Listener[]): Promise<void> {
  return Promise.all(listeners.map((l) => new Promise<void>((r) => l.server.close(() => r())))).then(() => undefined);
}

export { showAddress };

/** forward one accepted local connection to `remote` on the pod */
export async function forwardConnection(
  kc: Kubeconfig,
  podPath: string,
  remote: number,
  socket: Socket,
  onError: (message: string) => void,
): Promise<void> {
  socket.pause();
  let ws;
  try {
    ws = await connectWebSocket(kc, `${podPath}/portforward?ports=${remote}`, PORTFORWARD_PROTOCOLS);
  } catch (e) {
    onError((e as Error).message);
    socket.destroy();
    return;
  }
  const seenPort = [false, false];
  ws.handlers = {
    onMessage(data, binary) {
      if (!binary || !data.length) return;
      const channel = data[0]!;
      let payload = data.subarray(1);
      if (channel > 1) return;
      if (!seenPort[channel]) {
        seenPort[channel] = true;
        payload = payload.subarray(2);
      }
      if (!payload.length) return;
      if (channel === 0) socket.write(payload);
      else onError(payload.toString('utf8'));
    },
    onClose() {
      socket.end();
    },
  };
  socket.on('data', (chunk: Buffer) => {
    const msg = Buffer.allocUnsafe(chunk.length + 1);
    msg[0] = 0;
    chunk.copy(msg, 1);
    ws.send(msg);
  });
  socket.on('end', () => ws.close(1000));
  socket.on('error', () => ws.close(1000));
  socket.on('close', () => ws.close(1000));
  socket.resume();
}
