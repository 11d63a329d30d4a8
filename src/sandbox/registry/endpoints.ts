import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** core/v1 endpoints: deprecated in 1.33 in favour of EndpointSlices (a Warning on every request). */
export const endpoints: ResourceType = {
  group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints',
  shortNames: ['ep'], namespaced: true, verbs: ALL_VERBS,
  table: tablePrinterFor('Endpoints'),
  deprecationWarning: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
  strategy: {},
};
