import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** core/v1 serviceaccounts. */
export const serviceaccounts: ResourceType = {
  group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount',
  shortNames: ['sa'], namespaced: true, verbs: ALL_VERBS,
  table: tablePrinterFor('ServiceAccount'),
  strategy: {},
};
