/** Column-definition helpers shared by the per-kind printers. */
import type { ColumnDefinition, KObject, TablePrinter } from '../apiserver/types.js';

/** Options of one row generation (printers.go GenerateOptions). */
export interface GenerateOptions {
  /**
   * kube-apiserver always generates with wide = true (the default here). Only a non-wide
   * generation elides long load-balancer address lists (Service EXTERNAL-IP, Ingress ADDRESS).
   */
  wide?: boolean;
}

/** A TablePrinter whose `cells` also accepts GenerateOptions (still assignable to TablePrinter). */
export interface KindTablePrinter extends TablePrinter {
  cells(obj: KObject, now: Date, options?: GenerateOptions): unknown[];
}

/** One meta/v1 TableColumnDefinition, keys in wire order (name, type, format, description, priority). */
export function column(
  name: string,
  type: string,
  format: string,
  priority: number,
  description: string,
): ColumnDefinition {
  return { name, type, format, description, priority };
}

/** meta/v1 ObjectMeta swagger doc for `name`. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** meta/v1 ObjectMeta swagger doc for `creationTimestamp`. */
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';

/** `Name` column (format name, priority 0) used by almost every kind. */
export function nameColumn(priority = 0): ColumnDefinition {
  return column('Name', 'string', 'name', priority, NAME_DESCRIPTION);
}

/** `Age` column (creationTimestamp). */
export function ageColumn(): ColumnDefinition {
  return column('Age', 'string', '', 0, CREATION_TIMESTAMP_DESCRIPTION);
}

/** Wide `Containers` column of workload kinds. */
export function containersColumn(): ColumnDefinition {
  return column('Containers', 'string', '', 1, CONTAINERS_DESCRIPTION);
}

/** Wide `Images` column of workload kinds. */
export function imagesColumn(): ColumnDefinition {
  return column('Images', 'string', '', 1, IMAGES_DESCRIPTION);
}
