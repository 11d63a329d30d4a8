/**
 * Hints for learners, computed after a command failed (never changing kubectl's own output):
 * outdated syntax from the notes explained, and "did you mean" for verbs, resource types, object
 * names, flags, kinds and API versions — all from live data (commands, flags, discovery, the
 * objects in the namespace), never from a fixed list of typos.
 */
import type { ApiClient } from '../client/api.js';
import type { Command } from '../command.js';
import { GLOBAL_FLAGS } from '../flags-global.js';
import { explainOutdated } from './outdated.js';
import { suggest } from './fuzzy.js';

export interface HintInput {
  argv: string[];
  path: string[];
  command?: Command;
  commands: readonly Command[];
  stderr: string;
  exitCode: number;
  /** the client the command used (undefined when it never got that far) */
  client?: () => Promise<ApiClient>;
  /** the namespace flags in effect */
  allNamespaces?: boolean;
}

/** a hint's text, and the corrected command line when there is one (the tutor offers it at the prompt) */
export interface Hint {
  text: string;
  suggestion?: string;
}

function replaceWord(argv: string[], from: string, to: string): string {
  let done = false;
  return `kubectl ${argv
    .map((a) => {
      if (done) return a;
      if (a === from) {
        done = true;
        return to;
      }
      return a;
    })
    .join(' ')}`;
}

export async function computeHints(h: HintInput): Promise<Hint[]> {
  if (h.exitCode === 0 && !/Warning:|warning:/.test(h.stderr)) return [];
  const out: Hint[] = [];
  const tell = (text: string, suggestion?: string) => out.push(suggestion ? { text, suggestion } : { text });
  const outdated = explainOutdated({ argv: h.argv, path: h.path, stderr: h.stderr, exitCode: h.exitCode });
  if (outdated) {
    tell(outdated.text + (outdated.suggestion ? `\nTry: ${outdated.suggestion}` : ''), outdated.suggestion);
    return out;
  }
  const unknownCmd = /unknown command "([^"]+)" for "kubectl"/.exec(h.stderr);
  if (unknownCmd) {
    const names = h.commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    const best = suggest(unknownCmd[1]!, names, 1)[0];
    if (best) {
      const line = replaceWord(h.argv, unknownCmd[1]!, best);
      tell(`Did you mean \`${best}\`? Try: ${line}`, line);
    }
    return out;
  }
  const unknownFlag = /unknown flag: --([^\s]+)/.exec(h.stderr);
  if (unknownFlag && h.command) {
    const flags = [...(h.command.flags ?? []), ...GLOBAL_FLAGS].filter((f) => !f.hidden).map((f) => f.name);
    const best = suggest(unknownFlag[1]!, flags, 1)[0];
    if (best) {
      const typed = h.argv.find((a) => a === `--${unknownFlag[1]}` || a.startsWith(`--${unknownFlag[1]}=`)) ?? `--${unknownFlag[1]}`;
      const line = replaceWord(h.argv, typed, typed.replace(`--${unknownFlag[1]}`, `--${best}`));
      tell(`Did you mean --${best}? (kubectl does not accept abbreviated flags) Try: ${line}`, line);
    }
    return out;
  }
  const unknownShort = /unknown shorthand flag: '(.)' in (-\S+)/.exec(h.stderr);
  if (unknownShort && h.command) {
    const letters = [...(h.command.flags ?? []), ...GLOBAL_FLAGS].filter((f) => f.short).map((f) => `-${f.short} (--${f.name})`);
    tell(`-${unknownShort[1]} is not a flag of \`kubectl ${h.path.join(' ')}\`. Its short flags are: ${letters.join(', ')}.`);
    return out;
  }
  if (!h.client) return out;
  let client: ApiClient;
  try {
    client = await h.client();
  } catch {
    return out;
  }
  const noType = /the server doesn't have a resource type "([^"]+)"/.exec(h.stderr);
  if (noType) {
    try {
      const all = await client.discovery.resources();
      const vocab = all.filter((r) => r.preferred).flatMap((r) => [r.resource, r.singular, ...r.shortNames]);
      const best = suggest(noType[1]!.toLowerCase(), vocab, 1)[0];
      if (best) {
        const line = replaceWord(h.argv, noType[1]!, best);
        tell(`Did you mean \`${best}\`? Try: ${line}\n(\`kubectl api-resources\` lists every type with its short names.)`, line);
      }
    } catch {
      /* no hint */
    }
    return out;
  }
  const noMatch = /no matches for kind "([^"]+)" in version "([^"]+)"/.exec(h.stderr);
  if (noMatch) {
    try {
      const all = await client.discovery.resources();
      const kind = noMatch[1]!;
      const same = all.find((r) => r.preferred && r.kind === kind);
      if (same) tell(`${kind} exists, but not in ${noMatch[2]}: use apiVersion: ${same.group ? `${same.group}/${same.version}` : same.version}.`);
      else {
        const best = suggest(kind, [...new Set(all.map((r) => r.kind))], 1)[0];
        if (best) tell(`There is no kind "${kind}". Did you mean kind: ${best}?`);
      }
    } catch {
      /* no hint */
    }
    return out;
  }
  const notFound = /Error from server \(NotFound\): (\S+?)(?:\.(\S+))? "([^"]+)" not found/.exec(h.stderr);
  if (notFound) {
    const [, resource, group = '', name] = notFound;
    try {
      const all = await client.discovery.resources();
      const r = all.find((x) => x.resource === resource && x.group === group && x.preferred);
      if (r) {
        const list = await client.list(r, r.namespaced ? client.namespace : undefined);
        const names: string[] = (list.items ?? []).map((o: any) => o.metadata?.name).filter(Boolean);
        const best = suggest(name!, names, 1)[0];
        if (best) {
          const line = replaceWord(h.argv, name!, best);
          tell(`Did you mean \`${best}\`? Try: ${line}`, line);
        }
        else if (r.namespaced) {
          const everywhere = await client.list(r, undefined, { fieldSelector: `metadata.name=${name}` });
          const ns = (everywhere.items ?? []).map((o: any) => o.metadata?.namespace).filter(Boolean);
          if (ns.length) tell(`"${name}" exists in namespace ${ns.join(', ')}; add \`-n ${ns[0]}\`.`);
          else if (!names.length) tell(`There are no ${r.resource} in namespace "${client.namespace}".`);
          else tell(`The ${r.resource} in namespace "${client.namespace}" are: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}.`);
        }
      }
    } catch {
      /* no hint */
    }
    return out;
  }
  const unknownField = /unknown field "([^"]+)"/.exec(h.stderr);
  if (unknownField) {
    const path = unknownField[1]!.split('.');
    const field = path[path.length - 1]!;
    const known = await siblingFields(client, h.stderr, path.slice(0, -1));
    const best = known.length ? suggest(field, known, 1)[0] : undefined;
    if (best) tell(`"${field}" is not a field here${path.length > 1 ? ` (${path.slice(0, -1).join('.')})` : ''}. Did you mean \`${best}\`?`);
    return out;
  }
  return out;
}

/** field names next to an unknown one, from the server's OpenAPI v3 schema of the kind in the error */
async function siblingFields(client: ApiClient, stderr: string, parent: string[]): Promise<string[]> {
  const kindMatch = /(\w+) in version "([^"]+)" cannot be handled as a/.exec(stderr);
  if (!kindMatch) return [];
  const [, kind, version] = kindMatch;
  try {
    const all = await client.discovery.resources();
    const r = all.find((x) => x.kind === kind && (x.group ? `${x.group}/${x.version}` : x.version) === version) ?? all.find((x) => x.kind === kind && x.preferred);
    if (!r) return [];
    const doc = await client.rest.json(r.group ? `/openapi/v3/apis/${r.group}/${r.version}` : `/openapi/v3/api/${r.version}`);
    const schemas = doc.components?.schemas ?? {};
    const rootName = Object.keys(schemas).find((k) => {
      const gvk = schemas[k]['x-kubernetes-group-version-kind'];
      return Array.isArray(gvk) && gvk.some((g: any) => g.kind === r.kind && g.group === r.group && g.version === r.version);
    });
    let node = rootName ? schemas[rootName] : undefined;
    const deref = (s: any): any => {
      let cur = s;
      for (let i = 0; i < 5 && cur; i++) {
        const ref = cur.$ref ?? cur.allOf?.[0]?.$ref;
        if (!ref) break;
        cur = schemas[String(ref).split('/').pop()!];
      }
      return cur;
    };
    for (const seg of parent) {
      node = deref(node);
      if (!node) return [];
      if (node.type === 'array' || node.items) node = deref(node.items);
      node = node?.properties?.[seg.replace(/\[\d+\]$/, '')];
    }
    node = deref(node);
    if (node?.items) node = deref(node.items);
    return Object.keys(node?.properties ?? {});
  } catch {
    return [];
  }
}
