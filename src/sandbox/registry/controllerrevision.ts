import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import type { FieldError, KObject } from '../apiserver/types.js';
import { tablePrinterFor } from '../printers/index.js';

/**
 * apps/v1 controllerrevisions: the immutable template snapshots DaemonSets and StatefulSets
 * keep for rollout history (`kubectl rollout history`). `data` may not change after create.
 */
export const controllerrevisions: ResourceType = {
  group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', singular: 'controllerrevision',
  namespaced: true, verbs: ALL_VERBS,
  table: tablePrinterFor('ControllerRevision'),
  strategy: {
    validate: validateControllerRevision,
    validateUpdate(obj, old) {
      const errs = validateControllerRevision(obj);
      if (!deepEqual(obj.data, old.data)) {
        errs.push({ type: 'FieldValueInvalid', field: 'data', badValue: obj.data, detail: 'field is immutable' });
      }
      return errs;
    },
  },
};

/** validation.ValidateControllerRevisionCreate (metadata rules come from the generic validation). */
function validateControllerRevision(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.data == null) errs.push({ type: 'FieldValueRequired', field: 'data', detail: 'data is mandatory' });
  if (typeof obj.revision === 'number' && obj.revision < 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'revision', badValue: obj.revision, detail: 'must be greater than or equal to 0' });
  }
  return errs;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k)
    && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
