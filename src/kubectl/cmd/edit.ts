/**
 * kubectl edit TYPE NAME | TYPE/NAME | -f FILE: write the live object(s) (a List for several) as
 * YAML (or -o json) to a temp file, run the editor on it, and send the difference as a patch
 * (strategic for built-in kinds, JSON merge otherwise). When the server rejects the change the file
 * is reopened with the errors as comments at the top; an unchanged reopened file ends the loop.
 *
 * The editor is the session's `editor` hook when present (the tutor's UI), else $KUBE_EDITOR /
 * $EDITOR (default vi) as a child process: a bare word runs directly, words without quotes are
 * split on spaces, anything else goes through `$SHELL -c` (default /bin/bash).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubectlError, ServerError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { goJson, printJson } from '../printers/json.js';
import { printYaml } from '../printers/yaml.js';
import { parseManifest, parseYamlDocument, resolveManifests, validationFromFlag } from '../resource/builder.js';
import { LAST_APPLIED, modifiedConfiguration } from '../apply/lastapplied.js';
import { kindSchema } from '../apply/openapi.js';
import { operationLine, outputOf, PRINT_FLAGS, printObjects } from '../apply/print.js';
import { sendPatch } from '../apply/request.js';
import { mergePatch, twoWayPatch } from '../apply/smp.js';
import { namedTargets, type Target } from './patch.js';
import { VALIDATE_FLAG } from './apply.js';

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

interface Reason {
  head: string;
  other: string[];
}

/** a line break inside a reason continues the comment */
function hashOnLineBreak(s: string): string {
  let r = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\n' && i + 1 < s.length && s[i + 1] !== '#') r += '\n# ';
    else r += ch;
  }
  return r;
}

function header(reasons: Reason[]): string {
  let out = HEADER;
  for (const r of reasons) {
    out += r.other.length ? `# ${hashOnLineBreak(r.head)}:\n` : `# ${hashOnLineBreak(r.head)}\n`;
    for (const o of r.other) out += `# * ${hashOnLineBreak(o)}\n`;
    out += '#\n';
  }
  return out;
}

/** drop comment lines (kubectl's ManualStrip) */
export function manualStrip(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith('#') && !t.startsWith('#!')) return;
    out.push(line + (i < lines.length - 1 ? '\n' : ''));
  });
  return out.join('');
}

/** what edits are compared by: the YAML as JSON (comments and layout ignored), else the text without comments */
export function stripComments(text: string): string {
  if (/^\s*[{[]/.test(text)) return text;
  const parsed = parseYamlDocument(text);
  if ('error' in parsed) return manualStrip(text);
  return goJson(parsed.value ?? null);
}

function hasLines(text: string): boolean {
  return text.split('\n').some((l) => {
    const t = l.trim();
    return t.length > 0 && t[0] !== '#';
  });
}

/** the editor command line, as kubectl builds it from the environment */
export function editorCommand(env: Record<string, string | undefined>): { args: string[]; shell: boolean } {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (!editor.includes(' ')) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(' '), shell: false };
  return { args: [env.SHELL || '/bin/bash', '-c', editor], shell: true };
}

async function launchEditor(inv: Invocation, path: string): Promise<void> {
  if (inv.session.editor) {
    await inv.session.editor(path);
    return;
  }
  const { args, shell } = editorCommand(inv.session.env);
  const argv = [...args];
  if (shell) argv[argv.length - 1] = `${argv[argv.length - 1]} ${JSON.stringify(path)}`;
  else argv.push(path);
  const shown = args.join(' ');
  const tty = !!inv.stdin?.isTTY;
  await new Promise<void>((resolve, reject) => {
    let child;
    try {
      child = spawn(argv[0]!, argv.slice(1), {
        cwd: inv.session.cwd,
        env: inv.session.env as NodeJS.ProcessEnv,
        stdio: tty ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      });
    } catch {
      reject(new KubectlError(`unable to launch the editor ${JSON.stringify(shown)}`));
      return;
    }
    child.stdout?.on('data', (c: Buffer) => inv.out.write(c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => inv.err.write(c.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(new KubectlError(`unable to launch the editor ${JSON.stringify(shown)}`));
      else reject(new KubectlError(`there was a problem with the editor ${JSON.stringify(shown)}`));
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new KubectlError(`there was a problem with the editor ${JSON.stringify(shown)}`));
    });
  });
}

let tempDir: string | undefined;
/** a fresh `kubectl-edit-<digits>.yaml` in the temp directory */
function tempFile(ext: string, content: string): string {
  tempDir ??= tmpdir();
  for (;;) {
    const name = join(tempDir, `kubectl-edit-${Math.floor(Math.random() * 4294967296)}${ext}`);
    if (existsSync(name)) continue;
    writeFileSync(name, content, { flag: 'wx' });
    return name;
  }
}

function removeFile(path: string | undefined): void {
  if (!path) return;
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** the "A copy of your changes has been stored to" notice, then the error */
function preserved(inv: Invocation, err: unknown, file: string | undefined): unknown {
  if (file && existsSync(file)) inv.err.write(`A copy of your changes has been stored to ${JSON.stringify(file)}\n`);
  return err;
}

function withoutManaged(obj: any): any {
  if (!obj?.metadata?.managedFields) return obj;
  const { managedFields: _m, ...meta } = obj.metadata;
  return { ...obj, metadata: meta };
}

function resourceString(t: { resource: { resource: string; group: string } }): string {
  return t.resource.group ? `${t.resource.resource}.${t.resource.group}` : t.resource.resource;
}

/** kubectl's RequireNamespace check of an edited object */
function checkNamespace(obj: any, namespaced: boolean, namespace: string): void {
  if (!namespaced) return;
  const ns = obj?.metadata?.namespace;
  if (!ns) {
    obj.metadata ??= {};
    obj.metadata.namespace = namespace;
    return;
  }
  if (ns !== namespace)
    throw new KubectlError(
      `the namespace from the provided object ${JSON.stringify(ns)} does not match the namespace ${JSON.stringify(namespace)}. You must pass '--namespace=${ns}' to perform this operation.`,
    );
}

async function runEdit(inv: Invocation): Promise<number | void> {
  const output = inv.str('output');
  if (output && output !== 'yaml' && output !== 'json') outputOf(inv);
  const json = output === 'json';
  const ext = json ? '.json' : '.yaml';
  const fieldValidation = validationFromFlag(inv.str('validate')).fieldValidation;
  const client = await inv.client();
  const cmdNamespace = client.namespace;
  const { targets, errors } = await namedTargets(inv);
  if (errors.length) throw errors[0];
  if (!targets.length) throw new KubectlError('edit cancelled, no objects found');

  const originals: Target[] = targets;
  const originalDoc =
    originals.length === 1
      ? withoutManaged(originals[0]!.object)
      : { apiVersion: 'v1', items: originals.map((t) => withoutManaged(t.object)), kind: 'List', metadata: {} };

  let original = '';
  let edited = '';
  let file: string | undefined;
  let resultsFile: string | undefined;
  let reasons: Reason[] = [];
  let containsError = false;
  const printed = json ? printJson(originalDoc) : printYaml(originalDoc);

  for (;;) {
    let buf = json ? '' : header(reasons);
    if (!containsError) {
      buf += printed;
      original = buf;
    } else {
      buf += manualStrip(edited);
    }
    const previous = edited;
    file = tempFile(ext, buf);
    try {
      await launchEditor(inv, file);
    } catch (e) {
      throw preserved(inv, e, resultsFile);
    }
    edited = readFileSync(file, 'utf8');
    if (containsError && stripComments(previous) === stripComments(edited)) {
      throw preserved(inv, new KubectlError('Edit cancelled, no valid changes were saved.'), file);
    }
    if (resultsFile) removeFile(resultsFile);
    if (stripComments(original) === stripComments(edited)) {
      removeFile(file);
      inv.err.write('Edit cancelled, no changes made.\n');
      return 0;
    }
    if (!hasLines(edited)) {
      removeFile(file);
      inv.err.write('Edit cancelled, saved file was empty.\n');
      return 0;
    }
    resultsFile = file;
    reasons = [];

    // parse the edited file
    const items = parseManifest(edited, 'edited-file');
    const syntax = items.find((i) => i.error);
    if (syntax?.error) {
      containsError = true;
      reasons.push({ head: `The edited file had a syntax error: ${syntax.error.message}`, other: [] });
      continue;
    }
    const resolved = await resolveManifests(client, items, { namespace: cmdNamespace, enforceNamespace: false });
    const mapErr = resolved.find((r): r is Error => r instanceof Error);
    if (mapErr) throw preserved(inv, mapErr, resultsFile);
    containsError = false;

    let retryable = 0;
    let notfound = 0;
    let toEdit = 0;
    for (const info of resolved) {
      if (info instanceof Error) continue;
      try {
        checkNamespace(info.object, info.resource.namespaced, cmdNamespace);
      } catch (e) {
        throw preserved(inv, e, resultsFile);
      }
      const uid = info.object?.metadata?.uid;
      const orig = originals.find((o) => o.object?.metadata?.uid === uid);
      if (!orig) throw preserved(inv, new KubectlError(`no original object found for ${goJson(info.object)}`), resultsFile);
      let updated = withoutManaged(info.object);
      if (inv.bool('save-config')) {
        const { value } = modifiedConfiguration(updated, false);
        updated = { ...updated, metadata: { ...updated.metadata, annotations: { ...(updated.metadata?.annotations ?? {}), [LAST_APPLIED]: value } } };
      }
      const before = withoutManaged(orig.object);
      if (goJson(before) === goJson(updated)) {
        if (output === 'yaml' || output === 'json') inv.out.write(printObjects(inv, [updated], { kind: output }));
        else inv.out.write(operationLine(updated, 'skipped', 'none', { kind: 'none' }));
        continue;
      }
      const schema = await kindSchema(client.rest, orig.object?.apiVersion ?? '', orig.object?.kind ?? '');
      let patch: any;
      try {
        patch = schema.strategic ? twoWayPatch(before, updated, schema.root) : mergePatch(before, updated);
      } catch (e) {
        throw preserved(inv, new KubectlError((e as Error).message), resultsFile);
      }
      if ('apiVersion' in patch || 'kind' in patch || 'managedFields' in patch || (patch.metadata && typeof patch.metadata === 'object' && 'name' in patch.metadata)) {
        throw preserved(inv, new KubectlError('At least one of apiVersion, kind and name was changed'), resultsFile);
      }
      const body = goJson(patch);
      if (inv.bool('output-patch')) inv.out.write(`Patch: ${body}\n`);
      try {
        const result = await sendPatch(
          client,
          {
            resource: orig.resource,
            namespace: orig.namespace,
            name: orig.name,
            body,
            type: schema.strategic ? 'strategic' : 'merge',
            options: { fieldManager: inv.str('field-manager'), fieldValidation },
            subresource: inv.str('subresource') || undefined,
          },
        );
        inv.effect({ type: 'object', action: 'edited', group: orig.resource.group, version: orig.resource.version, kind: orig.resource.kind, resource: orig.resource.resource, namespace: orig.namespace, name: orig.name });
        if (output === 'yaml' || output === 'json') inv.out.write(printObjects(inv, [result], { kind: output }));
        else inv.out.write(operationLine(result, 'edited', 'none', { kind: 'none' }, orig.object));
      } catch (e) {
        const rs = resourceString(orig);
        const name = JSON.stringify(orig.name);
        if (e instanceof ServerError && e.reason === 'Invalid') {
          toEdit++;
          reasons.push({ head: `${rs} ${name} was not valid`, other: (e.status.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`) });
          inv.err.write(`error: ${rs} ${name} is invalid\n`);
        } else if (e instanceof ServerError && e.code === 404) {
          notfound++;
          inv.err.write(`error: ${rs} ${name} could not be found on the server\n`);
        } else if (e instanceof ServerError) {
          retryable++;
          inv.err.write(`error: ${rs} ${name} could not be patched: ${e.status.message ?? e.message}\n`);
        } else throw preserved(inv, e, resultsFile);
      }
    }
    if (retryable > 0) {
      inv.err.write(`You can run \`kubectl replace -f ${resultsFile}\` to try this update again.\n`);
      return 1;
    }
    if (notfound > 0) {
      inv.err.write(`The edits you made on deleted resources have been saved to ${JSON.stringify(resultsFile)}\n`);
      return 1;
    }
    if (toEdit === 0) {
      removeFile(resultsFile);
      return 0;
    }
    if (reasons.length) containsError = true;
  }
}

export const edit: Command = {
  name: 'edit',
  short: 'Change an object on the server in your editor',
  group: 'basic',
  usage: 'kubectl edit (RESOURCE/NAME | -f FILENAME) [options]',
  example: 'kubectl edit rc kubia\nkubectl edit deployment/kubia -o json\nKUBE_EDITOR="nano" kubectl edit svc kubia',
  flags: [
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files naming the objects to edit.' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Read the directories given with -f recursively.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory naming the objects.' },
    { name: 'output', short: 'o', type: 'string', usage: 'Edit as yaml (the default) or json.' },
    ...PRINT_FLAGS,
    { name: 'output-patch', type: 'bool', usage: 'Print the patch sent for each edited object.' },
    { name: 'windows-line-endings', type: 'bool', usage: 'Write the file with CRLF line endings.' },
    { name: 'field-manager', type: 'string', default: 'kubectl-edit', usage: 'The manager name recorded for the fields this command sets.' },
    { name: 'save-config', type: 'bool', usage: "Also store the edited configuration in the object's last-applied-configuration annotation." },
    { name: 'subresource', type: 'string', usage: 'Edit this subresource (status …) of the object.' },
    VALIDATE_FLAG,
    { name: 'record', type: 'bool', hidden: true },
  ],
  run: runEdit,
};

/** kubectl apply edit-last-applied (not implemented here) */
export async function editLastApplied(_inv: Invocation): Promise<number | void> {
  throw new KubectlError("apply edit-last-applied is not supported by kube-tutor's kubectl yet; use kubectl edit");
}
