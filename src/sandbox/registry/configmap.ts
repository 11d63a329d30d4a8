import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** core/v1 configmaps. */
export const configmaps: ResourceType = {
  group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap',
  shortNames: ['cm'], namespaced: true, verbs: ALL_VERBS,
  table: tablePrinterFor('ConfigMap'),
  strategy: {},
};
