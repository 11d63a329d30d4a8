import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** networking.k8s.io/v1 ingressclasses (cluster-scoped). */
export const ingressclasses: ResourceType = {
  group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', singular: 'ingressclass',
  namespaced: false, verbs: ALL_VERBS, hasGeneration: true,
  table: tablePrinterFor('IngressClass'),
  strategy: {},
};
