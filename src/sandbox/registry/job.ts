import { ALL_VERBS, specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { defaultJobSelector } from '../defaults/index.js';
import { tablePrinterFor } from '../printers/index.js';

const base = specStatusStrategy();

/** batch/v1 jobs: the selector and pod labels are generated from the job's uid. */
export const jobs: ResourceType = {
  group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', singular: 'job',
  categories: ['all'], namespaced: true, verbs: ALL_VERBS,
  hasGeneration: true, statusSubresource: true,
  table: tablePrinterFor('Job'),
  strategy: {
    ...base,
    prepareForCreate(obj, ctx) {
      base.prepareForCreate!(obj, ctx);
      defaultJobSelector(obj);
    },
  },
};
