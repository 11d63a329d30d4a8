import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';
import { labelSelectorScale } from './scale.js';

/** apps/v1 statefulsets. */
export const statefulsets: ResourceType = {
  group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset',
  shortNames: ['sts'], categories: ['all'], namespaced: true, verbs: ALL_VERBS,
  hasGeneration: true, statusSubresource: true, scale: labelSelectorScale,
  table: tablePrinterFor('StatefulSet'),
  strategy: {
    ...specStatusStrategy(),
    prepareForCreate(obj) {
      obj.status = { replicas: 0, availableReplicas: 0 };
    },
  },
};
