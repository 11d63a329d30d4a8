/** Test glue: a DescribeReader over plain HTTPS requests to an in-process sandbox (CA + bearer token). */
import { request } from 'node:https';
import type { DescribeReader } from '../../../src/kubectl/describe/index.js';
import type { Sandbox } from '../../../src/sandbox/sandbox.js';

class HttpError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function call(sandbox: Sandbox, path: string): Promise<{ code: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sandbox.url}${path}`, { method: 'GET', ca: sandbox.credentials.caCert, headers: { Authorization: `Bearer ${sandbox.token}`, Accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ code: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function base(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

export class SandboxReader implements DescribeReader {
  constructor(private readonly sandbox: Sandbox) {}

  async get(group: string, version: string, resource: string, namespace: string | undefined, name: string): Promise<any | undefined> {
    const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    const r = await call(this.sandbox, `${base(group, version)}${ns}/${resource}/${encodeURIComponent(name)}`);
    if (r.code === 404) return undefined;
    if (r.code >= 400) throw new HttpError(r.json?.message ?? `HTTP ${r.code}`, r.code);
    return r.json;
  }

  async list(group: string, version: string, resource: string, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string }): Promise<any[]> {
    const ns = opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : '';
    const qs = new URLSearchParams();
    if (opts.labelSelector) qs.set('labelSelector', opts.labelSelector);
    if (opts.fieldSelector) qs.set('fieldSelector', opts.fieldSelector);
    qs.set('limit', '500');
    const items: any[] = [];
    let cont = '';
    do {
      if (cont) qs.set('continue', cont);
      const r = await call(this.sandbox, `${base(group, version)}${ns}/${resource}?${qs.toString()}`);
      if (r.code >= 400) throw new HttpError(r.json?.message ?? `HTTP ${r.code}`, r.code);
      items.push(...(r.json?.items ?? []));
      cont = r.json?.metadata?.continue ?? '';
    } while (cont);
    return items;
  }
}
