import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';
import type { KObject } from '../apiserver/types.js';

const base = specStatusStrategy();

/** core/v1 pods: graceful deletion for scheduled, non-terminal pods; status starts Pending. */
export const pods: ResourceType = {
  group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod',
  shortNames: ['po'], categories: ['all'], namespaced: true, verbs: ALL_VERBS,
  statusSubresource: true,
  table: tablePrinterFor('Pod'),
  strategy: {
    ...base,
    prepareForCreate(obj, ctx) {
      base.prepareForCreate!(obj, ctx);
      obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
    },
    gracePeriod(obj, requested) {
      // an unscheduled or finished pod has nothing to stop: it goes at once
      if (!obj.spec?.nodeName) return 0;
      const phase = obj.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return 0;
      return requested ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
    },
  },
};

/** Guaranteed / Burstable / BestEffort from container requests and limits. */
export function qosClass(pod: KObject): string {
  const raw = pod.spec?.containers;
  const containers: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[] = Array.isArray(raw) ? raw : [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
