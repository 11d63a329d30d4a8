import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** batch/v1 cronjobs. */
export const cronjobs: ResourceType = {
  group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', singular: 'cronjob',
  shortNames: ['cj'], categories: ['all'], namespaced: true, verbs: ALL_VERBS,
  hasGeneration: true, statusSubresource: true,
  table: tablePrinterFor('CronJob'),
  strategy: specStatusStrategy(),
};
