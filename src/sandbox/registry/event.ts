import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';

/** core/v1 events. */
export const events: ResourceType = {
  group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event',
  shortNames: ['ev'], namespaced: true, verbs: ALL_VERBS,
  table: tablePrinterFor('Event'),
  strategy: {},
};
