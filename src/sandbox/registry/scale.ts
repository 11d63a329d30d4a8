/** Scale adapters: how `…/scale` reads and writes replicas for each scalable kind. */
import type { ScaleAdapter } from '../apiserver/resource.js';
import type { KObject } from '../apiserver/types.js';
import { labelSelectorFromSpec, selectorFromMap } from '../apiserver/selectors/labels.js';

function withReplicas(obj: KObject, replicas: number): KObject {
  return { ...obj, spec: { ...(obj.spec ?? {}), replicas } };
}

/** kinds whose spec.selector is a metav1.LabelSelector (apps/v1) */
export const labelSelectorScale: ScaleAdapter = {
  replicas: (o) => o.spec?.replicas ?? 0,
  statusReplicas: (o) => o.status?.replicas ?? 0,
  selector: (o) => labelSelectorFromSpec(o.spec?.selector).toString(),
  withReplicas,
};

/** ReplicationController: spec.selector is a plain map */
export const mapSelectorScale: ScaleAdapter = {
  replicas: (o) => o.spec?.replicas ?? 0,
  statusReplicas: (o) => o.status?.replicas ?? 0,
  selector: (o) => selectorFromMap(o.spec?.selector ?? {}).toString(),
  withReplicas,
};
