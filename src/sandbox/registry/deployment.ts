import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';
import { labelSelectorScale } from './scale.js';

/** apps/v1 deployments. */
export const deployments: ResourceType = {
  group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment',
  shortNames: ['deploy'], categories: ['all'], namespaced: true, verbs: ALL_VERBS,
  hasGeneration: true, statusSubresource: true, scale: labelSelectorScale,
  table: tablePrinterFor('Deployment'),
  strategy: specStatusStrategy(),
};
