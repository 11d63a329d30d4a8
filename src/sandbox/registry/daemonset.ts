import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** apps/v1 daemonsets. */
export const daemonsets: ResourceType = {
  group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset',
  shortNames: ['ds'], categories: ['all'], namespaced: true, verbs: ALL_VERBS,
  hasGeneration: true, statusSubresource: true,
  table: tablePrinterFor('DaemonSet'),
  strategy: {
    ...specStatusStrategy(),
    prepareForCreate(obj) {
      obj.status = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
    },
  },
};
