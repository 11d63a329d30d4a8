import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';
import { labelSelectorScale } from './scale.js';

/** apps/v1 replicasets. */
export const replicasets: ResourceType = {
  group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset',
  shortNames: ['rs'], categories: ['all'], namespaced: true, verbs: ALL_VERBS,
  hasGeneration: true, statusSubresource: true, scale: labelSelectorScale,
  table: tablePrinterFor('ReplicaSet'),
  strategy: {
    ...specStatusStrategy(),
    prepareForCreate(obj) {
      obj.status = { replicas: 0 };
    },
  },
};
