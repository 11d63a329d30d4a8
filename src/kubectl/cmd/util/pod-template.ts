/**
 * What set env and set resources share: the objects' pod specs, container selection with `*`
 * wildcards, and the change sent as the strategic merge patch between the object before and after
 * (so a Deployment rolls out once), printed as `deployment.apps/x <action>`.
 */
import type { ApiClient } from '../../client/api.js';
import { KubectlError, ServerError } from '../../client/errors.js';
import type { Invocation } from '../../command.js';
import { kindSchema } from '../../apply/openapi.js';
import { twoWayPatch } from '../../apply/smp.js';
import type { FlagSpec } from '../../input/flags.js';
import { ActionPrinter, DRY_RUN_FLAG, dryRunMode, objectEffect, OUTPUT_FLAGS } from '../create-common.js';
import type { Info } from './builder.js';
import { clone } from './patch.js';
import { podSpecOf } from './service.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const CONTAINERS_FLAG: FlagSpec = { name: 'containers', short: 'c', type: 'string', default: '*', usage: 'Only the containers whose names match (`*` matches anything).' };

/** the flags both commands have: which objects, printing, dry run, field manager */
export const TEMPLATE_CHANGE_FLAGS: FlagSpec[] = [
  { name: 'all', type: 'bool', usage: 'Change every object of the given types in the namespace.' },
  { name: 'local', type: 'bool', usage: 'Change objects read from files without contacting the server.' },
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  { name: 'field-manager', type: 'string', default: 'kubectl-set', usage: 'Name of the manager recorded for the fields this command sets.' },
  { name: 'selector', short: 'l', type: 'string', usage: 'Only objects whose labels match this selector.' },
];

/** a container-name pattern where `*` matches any run of characters */
export function containerMatches(name: string, pattern: string): boolean {
  if (pattern === '*') return true;
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name);
}

/** the containers, then the init containers, whose names match */
export function selectContainers(spec: any, pattern: string): any[] {
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])].filter((c: any) => containerMatches(c.name, pattern));
}

export interface TemplateChange {
  /** `env updated`, `resource requirements updated` */
  action: string;
  /** the start of the error when the PATCH fails (kubectl's own punctuation) */
  patchFailure: string;
  /** change the copy of the object (its pod spec given); throw to report the object as failed */
  mutate(info: Info, obj: any, spec: any): Promise<void>;
  /** only mutate (set env --list): kubectl then reports no object's error, not even its own exit code */
  readOnly?: boolean;
  /** checked after a PATCH went through, before its line is printed */
  afterPatch?(): void;
}

/** apply `change` to every object; returns the errors to report together (kubectl's aggregate) */
export async function changePodTemplates(inv: Invocation, client: ApiClient, infos: Info[], change: TemplateChange): Promise<Error[]> {
  const dry = dryRunMode(inv);
  const errors: Error[] = [];
  for (const info of infos) {
    const after = clone(info.object);
    const spec = podSpecOf(after);
    try {
      // kubectl names the Go type of an object without a pod template (its package is the API version)
      if (!spec) throw new Error(`the object is not a pod or does not have a pod template: *${info.resource.version}.${info.resource.kind}`);
      await change.mutate(info, after, spec);
    } catch (e) {
      if (!change.readOnly) errors.push(new KubectlError(`error: ${info.resource.resource}/${info.name} ${(e as Error).message}\n`, 1, undefined, true));
      continue;
    }
    if (change.readOnly) continue;
    const schema = await kindSchema(client.rest, info.object.apiVersion ?? '', info.object.kind ?? '');
    const patch = twoWayPatch(info.object, after, schema.root);
    if (!Object.keys(patch).length) continue;
    if (dry === 'client') {
      new ActionPrinter(inv, change.action).print(after, dry);
      continue;
    }
    let actual: any;
    try {
      actual = await client.patch(info.resource, info.namespace, info.name, patch, 'strategic', { dryRun: dry === 'server', fieldManager: inv.str('field-manager') });
    } catch (e) {
      errors.push(new KubectlError(`${change.patchFailure}${e instanceof ServerError ? (e.status.message ?? e.message) : (e as Error).message}`));
      continue;
    }
    change.afterPatch?.();
    actual.apiVersion ??= info.object.apiVersion;
    actual.kind ??= info.object.kind;
    new ActionPrinter(inv, change.action).print(actual, dry);
    objectEffect(inv, 'patched', info.resource, actual, info.namespace, dry);
  }
  return errors;
}
