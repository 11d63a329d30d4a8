/** The book's Node.js apps (Chapter02 kubia, Chapter04 kubia-unhealthy, Chapter09 v1–v4). */
import type { SimResponse } from '../listeners.js';
import type { Program } from './process.js';

export interface KubiaVariant {
  /** first log line */
  startLine: string;
  /** text before the client address in the request log line */
  requestPrefix: string;
  /** the response to the n-th request (1-based) */
  respond(n: number, hostname: string): SimResponse;
}

const ok = (body: string): SimResponse => ({ status: 200, body });

export const kubiaVariants: Record<string, KubiaVariant> = {
  kubia: {
    startLine: 'Kubia server starting...',
    requestPrefix: 'Received request from ',
    respond: (_n, host) => ok(`You've hit ${host}\n`),
  },
  // the notes' own build (ch. 3 output): six dots, no space before the address
  ximage: {
    startLine: 'Kubia server starting ......',
    requestPrefix: 'Received request from',
    respond: (_n, host) => ok(`You've hit ${host}\n`),
  },
  unhealthy: {
    startLine: 'Kubia server starting...',
    requestPrefix: 'Received request from ',
    respond: (n, host) => (n > 5 ? { status: 500, body: "I'm not well. Please restart me!" } : ok(`You've hit ${host}\n`)),
  },
  v1: version('v1'),
  v2: version('v2'),
  v3: {
    ...version('v3'),
    respond: (n, host) => (n >= 5
      ? { status: 500, body: `Some internal error has occurred! This is pod ${host}\n` }
      : ok(`This is v3 running in pod ${host}\n`)),
  },
  v4: version('v4'),
};

function version(v: string): KubiaVariant {
  return {
    startLine: 'Kubia server starting...',
    requestPrefix: 'Received request from ',
    respond: (_n, host) => ok(`This is ${v} running in pod ${host}\n`),
  };
}

/** `node app.js`: listens on 8080, logs every request, never exits, ignores SIGTERM (PID 1) */
export function kubia(variant: KubiaVariant): Program {
  return (proc) => {
    let served = 0;
    proc.log(variant.startLine);
    proc.listen(8080, (req) => {
      served++;
      const addr = req.remoteAddress.includes(':') ? req.remoteAddress : `::ffff:${req.remoteAddress}`;
      proc.log(`${variant.requestPrefix}${addr}`);
      return variant.respond(served, proc.host.hostname);
    });
  };
}
