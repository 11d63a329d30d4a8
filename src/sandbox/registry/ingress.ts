import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** networking.k8s.io/v1 ingresses. */
export const ingresses: ResourceType = {
  group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress',
  shortNames: ['ing'], namespaced: true, verbs: ALL_VERBS,
  hasGeneration: true, statusSubresource: true,
  table: tablePrinterFor('Ingress'),
  strategy: {
    ...specStatusStrategy(),
    prepareForCreate(obj) {
      obj.status = { loadBalancer: {} };
    },
  },
};
