import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** core/v1 nodes: cluster-scoped, status written by the (simulated) kubelet. */
export const nodes: ResourceType = {
  group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node',
  shortNames: ['no'], namespaced: false, verbs: ALL_VERBS,
  statusSubresource: true,
  table: tablePrinterFor('Node'),
  strategy: {
    ...specStatusStrategy(),
    // nodes register themselves with a status
    prepareForCreate() {},
  },
};
