/** Reading and decoding request bodies (JSON, YAML, protobuf) with kube-apiserver's limits and errors. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors, StatusError } from './errors.js';
import { bodyMediaType } from './negotiate.js';
import type { KObject } from './types.js';

/** kube-apiserver refuses request bodies over 3 MiB */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(errors.tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(errors.tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
      failed = true;
    });
    req.on('aborted', () => {
      if (!failed) reject(new Error('request aborted'));
      failed = true;
    });
  });
}

/** parse a JSON document, mapping syntax errors to kube's BadRequest wording */
export function parseJSON(body: Buffer, what = 'couldn\'t get version/kind; json parse error'): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw errors.badRequest(`${what}: ${(err as Error).message}`);
  }
}

/** parse YAML 1.1 like sigs.k8s.io/yaml (kubectl's dialect) */
export function parseYAML(body: Buffer): unknown {
  try {
    return parseYaml(body.toString('utf8'), { version: '1.1', merge: true });
  } catch (err) {
    throw errors.badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * decode the object of a POST/PUT body in any of the media types kube-apiserver accepts (the
 * protobuf decoder, with its schema library, loads on the first protobuf body: most clients send JSON)
 */
export async function decodeObject(contentType: string | undefined, body: Buffer): Promise<KObject> {
  const media = bodyMediaType(contentType);
  let obj: unknown;
  switch (media) {
    case '':
    case 'application/json':
      obj = parseJSON(body);
      break;
    case 'application/yaml':
      obj = parseYAML(body);
      break;
    case 'application/vnd.kubernetes.protobuf':
      obj = (await import('./protobuf/decode.js')).decodeKubernetesProtobuf(body);
      break;
    default:
      throw new StatusError({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 415, reason: 'UnsupportedMediaType',
        message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/cbor`,
      });
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw errors.badRequest(`Object 'Kind' is missing in '${body.toString('utf8').slice(0, 200)}'`);
  }
  const o = obj as KObject;
  if (o.metadata !== undefined && (o.metadata === null || typeof o.metadata !== 'object' || Array.isArray(o.metadata))) {
    throw errors.badRequest(`json: cannot unmarshal ${Array.isArray(o.metadata) ? 'array' : typeof o.metadata} into Go struct field .metadata of type v1.ObjectMeta`);
  }
  o.metadata ??= {};
  return o;
}
