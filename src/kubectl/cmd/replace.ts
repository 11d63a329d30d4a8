/**
 * kubectl replace -f: PUT each object read from the files (taking the live resourceVersion when the
 * file has none, as kubectl does), printing `pod/x replaced`. `--force` deletes the objects, waits
 * until they are gone, and creates them again.
 */
import { AggregateError2, KubectlError, ServerError } from '../client/errors.js';
import type { Command } from '../command.js';
import { groupVersion, kindPrefix } from '../resource/discovery.js';
import { isInfo, objectsFromFlags, sortErrors, validationFromFlag, type ObjectInfo } from '../resource/builder.js';
import { addSourceToErr, ActionPrinter, dryRunMode, GENERATOR_FLAGS, objectEffect, saveConfig } from './create-common.js';
import { parseCascade, waitGone } from './delete.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const replace: Command = {
  name: 'replace',
  short: 'Replace objects with the versions in a file or standard input',
  group: 'advanced',
  usage: 'kubectl replace -f FILENAME [options]',
  example: 'kubectl replace -f kubia-manual.yaml\nkubectl get po kubia -o yaml | kubectl replace -f -\nkubectl replace --force -f kubia-rc.yaml',
  flags: [
    ...GENERATOR_FLAGS.map((f) => (f.name === 'field-manager' ? { ...f, default: 'kubectl-replace' } : f)),
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'Files, directories or URLs with the new versions ("-" reads standard input).' },
    { name: 'recursive', short: 'R', type: 'bool', usage: 'Also read the sub-directories of directories given with -f.' },
    { name: 'kustomize', short: 'k', type: 'string', usage: 'A kustomization directory (not supported here).' },
    { name: 'force', type: 'bool', usage: 'Delete the objects and create them again instead of updating them.' },
    { name: 'cascade', type: 'string', default: 'background', noOptDefault: 'background', usage: 'With --force: what happens to dependents ("background", "foreground", "orphan").' },
    { name: 'grace-period', type: 'int', default: -1, usage: 'With --force: seconds the old objects get to stop.' },
    { name: 'timeout', type: 'duration', default: '0s', usage: 'With --force: how long to wait for the old objects to go.' },
    { name: 'wait', type: 'bool', usage: 'With --force: wait until the old objects are gone (always done before creating).' },
    { name: 'raw', type: 'string', usage: 'Send the file to this raw URI with PUT.' },
    { name: 'subresource', type: 'string', usage: 'Replace this subresource (status, scale) instead of the object.' },
    { name: 'edit-last-applied', type: 'bool', hidden: true },
  ],
  validate(inv) {
    if (!inv.list('filename').length && !inv.str('kustomize')) throw new KubectlError('must specify one of -f and -k');
    if (inv.str('kustomize')) throw new KubectlError("kustomize (-k) is not supported by kube-tutor's kubectl");
    validationFromFlag(inv.str('validate'));
    dryRunMode(inv);
  },
  async run(inv) {
    const dry = dryRunMode(inv);
    const force = inv.bool('force');
    const cascade = force ? parseCascade(inv.str('cascade'), (t) => inv.err.write(t)) : 'Background';
    const printer = new ActionPrinter(inv, 'replaced');
    const client = await inv.client();
    const fv = validationFromFlag(inv.str('validate')).fieldValidation;
    const results = await objectsFromFlags(inv, client);
    const errors: Error[] = results.filter((r): r is Error => !isInfo(r));
    const infos = results.filter(isInfo);
    const write = { dryRun: dry === 'server', fieldManager: inv.str('field-manager') || 'kubectl-replace', fieldValidation: fv };
    const sub = inv.str('subresource') || undefined;

    const done = (r: ObjectInfo, obj: any) => {
      obj.apiVersion ??= groupVersion(r.resource);
      obj.kind ??= r.resource.kind;
      printer.print(obj, dry);
      objectEffect(inv, 'replaced', r.resource, obj, r.namespace, dry);
    };

    if (force && dry === 'none') {
      // delete everything first, wait until gone, then create
      const grace = inv.int('grace-period');
      const deleted: Array<{ info: ObjectInfo; uid?: string }> = [];
      for (const r of infos) {
        try {
          const res = await client.delete(r.resource, r.namespace, r.name, { propagationPolicy: cascade, gracePeriodSeconds: grace >= 0 ? grace : undefined });
          inv.out.write(`${kindPrefix(r.resource)} "${r.name}" deleted\n`);
          deleted.push({ info: r, uid: res?.kind === 'Status' ? res?.details?.uid : res?.metadata?.uid });
        } catch (e) {
          if (e instanceof ServerError && e.code === 404) continue;
          if (e instanceof ServerError) errors.push(addSourceToErr(e, 'deleting', r.source));
          else throw e;
        }
      }
      for (const d of deleted) await waitGone(inv, client, d.info.resource, d.info.namespace, d.info.name, d.uid);
      for (const r of infos) {
        const obj = r.object;
        if (obj.metadata) delete obj.metadata.resourceVersion;
        if (inv.bool('save-config')) saveConfig(obj);
        try {
          done(r, await client.create(r.resource, r.namespace, obj, write));
        } catch (e) {
          if (e instanceof ServerError) errors.push(addSourceToErr(e, 'creating', r.source));
          else throw e;
        }
      }
      if (errors.length) throw new AggregateError2(sortErrors(errors));
      return;
    }

    for (const r of infos) {
      const obj = r.object;
      if (inv.bool('save-config')) saveConfig(obj);
      if (dry === 'client') {
        printer.print(obj, dry);
        objectEffect(inv, 'replaced', r.resource, obj, r.namespace, dry);
        continue;
      }
      try {
        if (!obj.metadata?.resourceVersion) {
          try {
            const live = await client.get(r.resource, r.namespace, r.name);
            if (live?.metadata?.resourceVersion) obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: live.metadata.resourceVersion };
          } catch (e) {
            if (!(e instanceof ServerError)) throw e;
          }
        }
        done(r, await client.replace(r.resource, r.namespace, r.name, obj, write, sub));
      } catch (e) {
        if (e instanceof ServerError) errors.push(addSourceToErr(e, 'replacing', r.source));
        else throw e;
      }
    }
    if (!infos.length && !errors.length) throw new KubectlError('no objects passed to replace');
    if (errors.length) throw new AggregateError2(sortErrors(errors));
  },
};
