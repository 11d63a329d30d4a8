/**
 * Core object shapes shared by every part of the sandbox API server.
 *
 * Objects are kept as plain JSON (exactly what goes over the wire); per-kind code narrows them
 * with the types from `kubernetes-models` where it needs field access.
 */

/** metadata of every stored object (a subset of meta/v1 ObjectMeta; extra keys are preserved). */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** Any Kubernetes object as JSON. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/** group/version/kind; group is '' for the core group. */
export interface GVK {
  group: string;
  version: string;
  kind: string;
}

/** One field-level validation failure, as k8s.io/apimachinery/pkg/util/validation/field.Error. */
export interface FieldError {
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueForbidden,
   *  FieldValueDuplicate, FieldValueTooLong, FieldValueTooMany, FieldValueNotFound, InternalError */
  type: FieldErrorType;
  /** dotted path with [i] / [key] indexes, e.g. `spec.containers[0].image` */
  field: string;
  badValue?: unknown;
  /** extra text after the type, e.g. `must be no more than 63 characters` */
  detail?: string;
}

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'InternalError';

/** meta/v1 Status as the API server returns it for failures. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
    retryAfterSeconds?: number;
  };
  code?: number;
}

/** meta/v1 TableColumnDefinition; every key is always present on the wire. */
export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** How one kind is printed server-side (kube-apiserver's printers.go for that kind). */
export interface TablePrinter {
  /** every column, priority 0 and 1, in order */
  columns: ColumnDefinition[];
  /** the cells of one row (same length as columns) for `obj`, ages computed against `now` */
  cells(obj: KObject, now: Date): unknown[];
  /** row conditions (only Pods have them) */
  conditions?(obj: KObject): TableRowCondition[] | undefined;
}

/**
 * Schema facts a strategic merge patch / server-side apply needs about one object node,
 * produced from the OpenAPI schemas (x-kubernetes-patch-merge-key, x-kubernetes-patch-strategy,
 * x-kubernetes-list-type, x-kubernetes-list-map-keys, x-kubernetes-map-type).
 */
export interface PatchSchemaNode {
  /** info about property `name` of this object node; undefined when unknown */
  field(name: string): PatchFieldInfo | undefined;
}

export interface PatchFieldInfo {
  /** 'object' for structs, 'list', 'map' (additionalProperties), 'scalar' */
  shape: 'object' | 'list' | 'map' | 'scalar';
  /** schema of the struct itself (shape object) or of the list items / map values when they are structs */
  node?: PatchSchemaNode;
  /** x-kubernetes-patch-merge-key */
  mergeKey?: string;
  /** x-kubernetes-patch-strategy, e.g. 'merge', 'retainKeys', 'merge,retainKeys', 'replace' */
  patchStrategy?: string;
  /** x-kubernetes-list-type: atomic | set | map */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
  /** x-kubernetes-map-type / struct type: atomic | granular */
  mapType?: 'atomic' | 'granular';
}
