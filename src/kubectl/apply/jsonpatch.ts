/**
 * RFC 6902 JSON patches applied locally (`kubectl patch --type json --dry-run=client|--local`).
 */
type Json = any;

export class JsonPatchError extends Error {}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function split(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`invalid path: ${path}`);
  return path.slice(1).split('/').map(unescape);
}

function parentOf(doc: Json, tokens: string[], op: string, path: string): { parent: Json; key: string } {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (cur && typeof cur === 'object') cur = cur[t];
    else cur = undefined;
    if (cur === undefined || cur === null) throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function get(doc: Json, path: string, op: string): Json {
  let cur = doc;
  for (const t of split(path)) {
    cur = Array.isArray(cur) ? cur[Number(t)] : cur && typeof cur === 'object' ? cur[t] : undefined;
    if (cur === undefined) throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function add(doc: Json, path: string, value: Json, op = 'add'): Json {
  const tokens = split(path);
  if (!tokens.length) return value;
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 0, value);
  } else parent[key] = value;
  return doc;
}

function remove(doc: Json, path: string, op = 'remove'): Json {
  const tokens = split(path);
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 1);
  } else {
    if (!parent || typeof parent !== 'object' || !(key in parent)) throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    delete parent[key];
  }
  return doc;
}

export function applyJsonPatch(doc: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw new JsonPatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = structuredClone(doc);
  for (const o of ops) {
    const op = o?.op;
    const path = String(o?.path ?? '');
    switch (op) {
      case 'add':
        out = add(out, path, structuredClone(o.value));
        break;
      case 'remove':
        out = remove(out, path);
        break;
      case 'replace':
        get(out, path, 'replace');
        out = remove(out, path, 'replace');
        out = add(out, path, structuredClone(o.value), 'replace');
        break;
      case 'move': {
        const v = get(out, String(o.from), 'move');
        out = remove(out, String(o.from), 'move');
        out = add(out, path, v, 'move');
        break;
      }
      case 'copy':
        out = add(out, path, structuredClone(get(out, String(o.from), 'copy')), 'copy');
        break;
      case 'test':
        if (JSON.stringify(get(out, path, 'test')) !== JSON.stringify(o.value)) throw new JsonPatchError(`testing value ${path} failed: test failed`);
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${op}`);
    }
  }
  return out;
}
