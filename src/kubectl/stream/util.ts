/** Small helpers shared by the streaming commands. */
import type { IncomingMessage } from 'node:http';
import type { ServerError } from '../client/errors.js';
import { toServerError } from '../client/rest.js';

/** read a non-2xx streaming answer and turn it into the server's error */
export async function toServerErrorFromStream(res: IncomingMessage): Promise<ServerError> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  return toServerError({ status: res.statusCode ?? 0, headers: res.headers, body, text: () => body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) });
}

/** wait for `ms`, or less when the signal aborts */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
