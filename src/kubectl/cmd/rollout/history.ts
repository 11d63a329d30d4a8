/**
 * kubectl rollout history: the revisions of a deployment (its ReplicaSets) or daemon set /
 * stateful set (its ControllerRevisions) with their change-cause, or one revision's pod template.
 */
import { AggregateError2, KubectlError } from '../../client/errors.js';
import type { ApiClient } from '../../client/api.js';
import type { Command, Invocation } from '../../command.js';
import { tabwrite } from '../../printers/tabwriter.js';
import { ActionPrinter, OUTPUT_FLAGS } from '../create-common.js';
import { typed, type Info } from '../util/builder.js';
import { CHANGE_CAUSE_ANNOTATION, controllerRevisions, deploymentReplicaSets, FILE_FLAGS, printTemplate, revisionOf, revisionTemplate, rolloutTargets, SELECTOR_FLAG } from './common.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface HistoryEntry {
  revision: number;
  template: any;
  changeCause: string;
  /** the ReplicaSet / ControllerRevision */
  object: any;
}

/** the revisions of a workload, by revision number (kubectl's HistoryViewer.GetHistory) */
export async function historyOf(client: ApiClient, info: Info): Promise<Map<number, HistoryEntry>> {
  const r = info.resource;
  const out = new Map<number, HistoryEntry>();
  if ((r.group === 'apps' || r.group === 'extensions') && r.kind === 'Deployment') {
    const rsRes = await client.discovery.resolve('replicasets.apps');
    for (const rs of await deploymentReplicaSets(client, info.object)) {
      const v = revisionOf(rs);
      if (v === undefined) continue;
      const template = JSON.parse(JSON.stringify(rs.spec?.template ?? {}));
      const cause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '';
      template.metadata ??= {};
      template.metadata.annotations ??= {};
      if (cause) template.metadata.annotations[CHANGE_CAUSE_ANNOTATION] = cause;
      out.set(v, { revision: v, template, changeCause: cause, object: typed(rs, rsRes) });
    }
    return out;
  }
  if (r.group === 'apps' && (r.kind === 'DaemonSet' || r.kind === 'StatefulSet')) {
    const crRes = await client.discovery.resolve('controllerrevisions.apps');
    for (const cr of await controllerRevisions(client, info.object)) {
      const v = Number(cr.revision ?? 0);
      out.set(v, { revision: v, template: revisionTemplate(cr), changeCause: cr.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '', object: typed(cr, crRes) });
    }
    return out;
  }
  throw new KubectlError(`no history viewer has been implemented for "${r.kind}"`);
}

/** ViewHistory's text: the REVISION/CHANGE-CAUSE table, one revision's template, or "No rollout history found." */
export function historyText(history: Map<number, HistoryEntry>, revision: number): string {
  if (history.size === 0) return 'No rollout history found.';
  if (revision > 0) {
    const e = history.get(revision);
    if (!e) throw new KubectlError('unable to find the specified revision');
    return printTemplate(e.template);
  }
  const revs = [...history.keys()].sort((a, b) => a - b);
  let text = 'REVISION\tCHANGE-CAUSE\n';
  for (const r of revs) text += `${r}\t${history.get(r)!.changeCause || '<none>'}\n`;
  return tabwrite(text, { minwidth: 0, padding: 2, padchar: ' ' });
}

export const history: Command = {
  name: 'history',
  short: 'List the revisions of a rollout',
  usage: 'kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]',
  example: 'kubectl rollout history deployment kubia\nkubectl rollout history deploy/kubia --revision=2',
  flags: [...OUTPUT_FLAGS, ...FILE_FLAGS, { name: 'revision', type: 'int', default: 0, usage: 'Show the pod template of this revision.' }, SELECTOR_FLAG],
  async run(inv: Invocation) {
    const client = await inv.client();
    const revision = inv.int('revision');
    if (revision < 0) throw new KubectlError(`revision must be a positive integer: ${revision}`);
    const sel = await rolloutTargets(inv, client);
    const errors: Error[] = [];
    const output = inv.str('output');
    for (const entry of sel.entries) {
      if (entry instanceof Error) {
        errors.push(entry);
        continue;
      }
      try {
        const h = await historyOf(client, entry);
        if (output) {
          const printer = new ActionPrinter(inv, '');
          if (revision > 0) {
            const e = h.get(revision);
            if (!e) throw new KubectlError('unable to find the specified revision');
            printer.print(e.object, 'none');
          } else {
            for (const r of [...h.keys()].sort((a, b) => a - b)) printer.print(h.get(r)!.object, 'none');
          }
          continue;
        }
        const text = historyText(h, revision);
        const withRevision = revision > 0 ? `with revision #${revision}` : '';
        new ActionPrinter(inv, `${withRevision}\n${text}`).print(entry.object, 'none');
      } catch (e) {
        errors.push(e as Error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length) throw new AggregateError2(errors);
  },
};
