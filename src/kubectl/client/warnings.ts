/**
 * API warnings (the `Warning: 299 - "…"` response header, RFC 7234): kubectl prints each one once
 * per command as `Warning: <text>` on stderr. The sink is per command invocation, carried with
 * AsyncLocalStorage so the shared REST client needs no knowledge of who is calling.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface WarningSink {
  seen: Set<string>;
  write(text: string): void;
}

export const warningContext = new AsyncLocalStorage<WarningSink>();

/** parse one or more Warning header values into their texts */
export function parseWarnings(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const values = Array.isArray(header) ? header : [header];
  const out: string[] = [];
  for (const v of values) {
    const re = /\s*(\d{3})\s+(\S+)\s+"((?:[^"\\]|\\.)*)"(?:\s+"[^"]*")?\s*,?/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(v))) {
      if (m[1] === '299') out.push(m[3]!.replace(/\\(.)/g, '$1'));
    }
  }
  return out;
}

/** hand the response's warnings to the current command's sink */
export function reportWarnings(header: string | string[] | undefined): void {
  const sink = warningContext.getStore();
  if (!sink) return;
  for (const text of parseWarnings(header)) {
    if (sink.seen.has(text)) continue;
    sink.seen.add(text);
    sink.write(`Warning: ${text}\n`);
  }
}
