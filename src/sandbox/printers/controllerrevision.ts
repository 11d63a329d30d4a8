/** apps/v1 ControllerRevision table (printers.go printControllerRevision). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { arr, int, str, translateTimestampSince } from './format.js';

/** appsv1beta1.ControllerRevision{}.SwaggerDoc()["revision"]. */
export const CONTROLLER_REVISION_REVISION_DESCRIPTION =
  'Revision indicates the revision of the state represented by Data.';

/** Revision's column type is "string" upstream even though the cell is an int64. */
export const controllerRevisionColumns = [
  nameColumn(),
  column('Controller', 'string', '', 0, 'Controller of the object'),
  column('Revision', 'string', '', 0, CONTROLLER_REVISION_REVISION_DESCRIPTION),
  ageColumn(),
];

interface OwnerRefLike {
  apiVersion?: unknown;
  kind?: unknown;
  name?: unknown;
  controller?: unknown;
}

/** apimachinery schema.ParseGroupVersion: '' / '/' → empty, 'v1' → core, 'g/v' → group g. */
function groupOf(apiVersion: string): string {
  if (apiVersion === '' || apiVersion === '/') return '';
  const parts = apiVersion.split('/');
  // more than one '/' is a parse error upstream (the whole request fails); such an
  // ownerReference cannot pass validation, so treat it as group-less
  return parts.length === 2 ? parts[0] : '';
}

/**
 * CONTROLLER: the controller ownerReference (the first with `controller: true`) as
 * `lower(Kind[.group])/name` (`daemonset.apps/kube-proxy`, `node/x` for core kinds), only the name
 * when both kind and group are empty, and `<none>` when there is no controller.
 */
export function formatControllerOf(metadata: { ownerReferences?: unknown } | null | undefined): string {
  const ref = arr<OwnerRefLike>(metadata?.ownerReferences).find((r) => r?.controller === true);
  if (!ref) return '<none>';
  const name = str(ref.name);
  const kind = str(ref.kind);
  const group = groupOf(str(ref.apiVersion));
  if (kind === '' && group === '') return name;
  const groupKind = group === '' ? kind : `${kind}.${group}`;
  return `${groupKind.toLowerCase()}/${name}`;
}

export const controllerRevisionTable: KindTablePrinter = {
  columns: controllerRevisionColumns,
  cells(cr: KObject, now: Date): unknown[] {
    return [
      str(cr.metadata?.name),
      formatControllerOf(cr.metadata),
      int(cr.revision),
      translateTimestampSince(cr.metadata?.creationTimestamp, now),
    ];
  },
};
