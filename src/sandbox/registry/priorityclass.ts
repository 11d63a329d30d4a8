import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import type { FieldError, KObject } from '../apiserver/types.js';
import { tablePrinterFor } from '../printers/index.js';

/** scheduling.SystemPriorityClassPrefix and the two built-in classes (value, globalDefault). */
const SYSTEM_PREFIX = 'system-';
const SYSTEM_CLASSES: Record<string, { value: number; globalDefault: boolean }> = {
  'system-node-critical': { value: 2000001000, globalDefault: false },
  'system-cluster-critical': { value: 2000000000, globalDefault: false },
};
/** scheduling.HighestUserDefinablePriority */
const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;
/** in the order ValidatePreemptionPolicy lists them */
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/**
 * scheduling.k8s.io/v1 priorityclasses (cluster-scoped, short name `pc`). Top-level `value`,
 * `globalDefault`, `description`, `preemptionPolicy` (defaulted to PreemptLowerPriority);
 * `value` and `preemptionPolicy` are immutable.
 */
export const priorityclasses: ResourceType = {
  group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', singular: 'priorityclass',
  shortNames: ['pc'], namespaced: false, verbs: ALL_VERBS,
  table: tablePrinterFor('PriorityClass'),
  strategy: {
    prepareForCreate(obj) {
      defaultPreemptionPolicy(obj);
    },
    prepareForUpdate(obj) {
      defaultPreemptionPolicy(obj);
    },
    validate: validatePriorityClass,
    validateUpdate(obj, old) {
      const errs: FieldError[] = [];
      if ((obj.value ?? 0) !== (old.value ?? 0)) {
        errs.push({ type: 'FieldValueForbidden', field: 'value', detail: 'may not be changed in an update.' });
      }
      if ((obj.preemptionPolicy ?? null) !== (old.preemptionPolicy ?? null)) {
        errs.push({ type: 'FieldValueInvalid', field: 'preemptionPolicy', badValue: obj.preemptionPolicy, detail: 'field is immutable' });
      }
      return errs;
    },
  },
};

/** SetDefaults_PriorityClass */
function defaultPreemptionPolicy(obj: KObject): void {
  if (obj.preemptionPolicy == null) obj.preemptionPolicy = 'PreemptLowerPriority';
}

/** validation.ValidatePriorityClass (metadata rules come from the generic validation). */
function validatePriorityClass(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = String(obj.metadata?.name ?? '');
  const value = typeof obj.value === 'number' ? obj.value : 0;
  const globalDefault = obj.globalDefault === true;
  if (name.startsWith(SYSTEM_PREFIX)) {
    const why = knownSystemClassError(name, value, globalDefault);
    if (why) {
      errs.push({
        type: 'FieldValueForbidden', field: 'metadata.name',
        detail: `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${why}`,
      });
    }
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push({
      type: 'FieldValueForbidden', field: 'value',
      detail: `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`,
    });
  }
  if (obj.preemptionPolicy === '') {
    errs.push({ type: 'FieldValueRequired', field: 'preemptionPolicy' });
  } else if (obj.preemptionPolicy != null && !PREEMPTION_POLICIES.includes(obj.preemptionPolicy)) {
    errs.push({
      type: 'FieldValueNotSupported', field: 'preemptionPolicy', badValue: obj.preemptionPolicy,
      detail: `supported values: ${PREEMPTION_POLICIES.map((p) => `"${p}"`).join(', ')}`,
    });
  }
  return errs;
}

/** scheduling.IsKnownSystemPriorityClass: undefined when it is one, else the reason. */
function knownSystemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const known = SYSTEM_CLASSES[name];
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (known.globalDefault !== globalDefault) return `globalDefault of ${name} PriorityClass must be ${known.globalDefault}`;
  return undefined;
}
