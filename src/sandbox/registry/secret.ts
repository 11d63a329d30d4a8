import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import { tablePrinterFor } from '../printers/index.js';
import type { KObject } from '../apiserver/types.js';

/** core/v1 secrets: stringData is folded into data (base64) on write, as kube-apiserver does. */
export const secrets: ResourceType = {
  group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret',
  namespaced: true, verbs: ALL_VERBS,
  table: tablePrinterFor('Secret'),
  strategy: {
    prepareForCreate(obj) {
      foldStringData(obj);
    },
    prepareForUpdate(obj) {
      foldStringData(obj);
    },
  },
};

function foldStringData(obj: KObject): void {
  if (!obj.stringData) return;
  obj.data = { ...(obj.data ?? {}) };
  for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  delete obj.stringData;
}
