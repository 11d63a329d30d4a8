/** Small fake PatchSchemaNodes for a ReplicationController / Pod, as the OpenAPI adapter would give them. */
import type { PatchFieldInfo, PatchSchemaNode } from '../../../src/sandbox/apiserver/types.js';

export function node(fields: Record<string, PatchFieldInfo>): PatchSchemaNode {
  return { field: (n: string) => (Object.prototype.hasOwnProperty.call(fields, n) ? fields[n] : undefined) };
}
const scalar: PatchFieldInfo = { shape: 'scalar' };

export const objectMeta = node({
  name: scalar, namespace: scalar, uid: scalar, resourceVersion: scalar, creationTimestamp: scalar, generation: scalar,
  labels: { shape: 'map' },
  annotations: { shape: 'map' },
  finalizers: { shape: 'list', patchStrategy: 'merge', listType: 'set' },
  ownerReferences: { shape: 'list', patchStrategy: 'merge', mergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
});
const containerPort = node({ containerPort: scalar, protocol: scalar, name: scalar, hostPort: scalar });
const envVar = node({ name: scalar, value: scalar });
const resources = node({ limits: { shape: 'map' }, requests: { shape: 'map' } });
const container = node({
  name: scalar, image: scalar, imagePullPolicy: scalar, terminationMessagePath: scalar, terminationMessagePolicy: scalar,
  ports: { shape: 'list', node: containerPort, patchStrategy: 'merge', mergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] },
  env: { shape: 'list', node: envVar, patchStrategy: 'merge', mergeKey: 'name' },
  args: { shape: 'list', listType: 'atomic' },
  command: { shape: 'list', listType: 'atomic' },
  resources: { shape: 'object', node: resources },
});
const volume = node({ name: scalar, emptyDir: { shape: 'object', node: node({ medium: scalar }) }, hostPath: { shape: 'object', node: node({ path: scalar }) } });
export const podSpec = node({
  containers: { shape: 'list', node: container, patchStrategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  volumes: { shape: 'list', node: volume, patchStrategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  restartPolicy: scalar, dnsPolicy: scalar, nodeName: scalar, terminationGracePeriodSeconds: scalar,
  nodeSelector: { shape: 'map' },
});
const podTemplate = node({ metadata: { shape: 'object', node: objectMeta }, spec: { shape: 'object', node: podSpec } });
const rcSpec = node({ replicas: scalar, minReadySeconds: scalar, selector: { shape: 'map' }, template: { shape: 'object', node: podTemplate } });
export const rcSchema = node({
  apiVersion: scalar, kind: scalar,
  metadata: { shape: 'object', node: objectMeta },
  spec: { shape: 'object', node: rcSpec },
  status: { shape: 'object', node: node({ replicas: scalar }) },
});
export const podSchema = node({
  apiVersion: scalar, kind: scalar,
  metadata: { shape: 'object', node: objectMeta },
  spec: { shape: 'object', node: podSpec },
  status: { shape: 'object', node: node({ phase: scalar }) },
});
export const deploymentSchema = node({
  apiVersion: scalar, kind: scalar,
  metadata: { shape: 'object', node: objectMeta },
  spec: { shape: 'object', node: node({ replicas: scalar, selector: { shape: 'object', mapType: 'atomic', node: node({ matchLabels: { shape: 'map' } }) }, template: { shape: 'object', node: podTemplate } }) },
});
