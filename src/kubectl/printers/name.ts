/**
 * `kubectl get -o name`: `<resource-kind>/<name>` per object, one a line. The prefix is the lower-cased
 * GroupKind: `pod/kubia`, `replicationcontroller/kubia`, `deployment.apps/web`, `job.batch/x`.
 */

/** lower-case `Kind[.group]` for an object's apiVersion + kind (`apps/v1`, `Deployment` → `deployment.apps`) */
export function kindPrefix(apiVersion: string | undefined, kind: string): string {
  const av = apiVersion ?? '';
  const slash = av.indexOf('/');
  const group = slash >= 0 ? av.slice(0, slash) : '';
  return (group ? `${kind}.${group}` : kind).toLowerCase();
}

/** `-o name` for a list of objects (each with apiVersion, kind, metadata.name) */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function printNames(objects: any[]): string {
  let out = '';
  for (const o of objects) {
    const name = o?.metadata?.name ?? '';
    const kind = o?.kind ?? '';
    if (!kind) out += `${name}\n`;
    else out += `${kindPrefix(o.apiVersion, kind)}/${name}\n`;
  }
  return out;
}
