import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** discovery.k8s.io/v1 endpointslices. */
export const endpointslices: ResourceType = {
  group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice',
  namespaced: true, verbs: ALL_VERBS, hasGeneration: true,
  table: tablePrinterFor('EndpointSlice'),
  strategy: {},
};
