import { ALL_VERBS, type ResourceType } from '../apiserver/resource.js';
import type { FieldError, KObject } from '../apiserver/types.js';
import { tablePrinterFor } from '../printers/index.js';

/**
 * coordination.k8s.io/v1 leases: node heartbeats (kube-node-lease) and leader election
 * (kube-system). No generation, no status; `kubectl describe node` reads the node's Lease.
 */
export const leases: ResourceType = {
  group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease',
  namespaced: true, verbs: ALL_VERBS,
  table: tablePrinterFor('Lease'),
  strategy: {
    validate: validateLeaseSpec,
    validateUpdate: (obj) => validateLeaseSpec(obj),
  },
};

/** The parts of validation.ValidateLeaseSpec (1.33) that apply without feature gates. */
function validateLeaseSpec(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj.spec ?? {};
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === 'number' && duration <= 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.leaseDurationSeconds', badValue: duration, detail: 'must be greater than 0' });
  }
  const transitions = spec.leaseTransitions;
  if (typeof transitions === 'number' && transitions < 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.leaseTransitions', badValue: transitions, detail: 'must be greater than or equal to 0' });
  }
  if (spec.preferredHolder != null && spec.preferredHolder !== '' && (spec.strategy == null || spec.strategy === '')) {
    errs.push({ type: 'FieldValueForbidden', field: 'spec.preferredHolder', detail: 'may only be specified if `strategy` is defined' });
  }
  return errs;
}
