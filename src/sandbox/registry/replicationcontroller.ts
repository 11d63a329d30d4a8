import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';
import { mapSelectorScale } from './scale.js';

/** core/v1 replicationcontrollers, with scale and status subresources. */
export const replicationcontrollers: ResourceType = {
  group: '', version: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', singular: 'replicationcontroller',
  shortNames: ['rc'], categories: ['all'], namespaced: true, verbs: ALL_VERBS,
  hasGeneration: true, statusSubresource: true, scale: mapSelectorScale,
  table: tablePrinterFor('ReplicationController'),
  strategy: {
    ...specStatusStrategy(),
    prepareForCreate(obj) {
      obj.status = { replicas: 0 };
    },
  },
};
