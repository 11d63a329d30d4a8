import { describe, expect, it } from 'vitest';
import {
  openapiSchemas,
  openapiV3Document,
  openapiV3DocumentJSON,
  openapiV3Index,
  patchSchemaFor,
  schemaNameFor,
  unknownFields,
  type OpenAPIResource,
  type Schema,
} from '../../../src/sandbox/apiserver/openapi/index.js';

const res = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced = true,
  subresources: string[] = [],
): OpenAPIResource => ({ group, version, kind, plural, namespaced, subresources });

const CORE: OpenAPIResource[] = [
  res('', 'v1', 'Namespace', 'namespaces', false, ['status']),
  res('', 'v1', 'Node', 'nodes', false, ['status', 'proxy']),
  res('', 'v1', 'Pod', 'pods', true, ['status', 'log', 'exec', 'attach', 'portforward', 'binding', 'eviction', 'ephemeralcontainers']),
  res('', 'v1', 'Service', 'services', true, ['status', 'proxy']),
  res('', 'v1', 'Endpoints', 'endpoints'),
  res('', 'v1', 'ReplicationController', 'replicationcontrollers', true, ['status', 'scale']),
  res('', 'v1', 'Event', 'events'),
  res('', 'v1', 'ConfigMap', 'configmaps'),
  res('', 'v1', 'Secret', 'secrets'),
  res('', 'v1', 'ServiceAccount', 'serviceaccounts', true, ['token']),
  res('', 'v1', 'Binding', 'bindings'),
  res('', 'v1', 'PodTemplate', 'podtemplates'),
];
const APPS: OpenAPIResource[] = [
  res('apps', 'v1', 'Deployment', 'deployments', true, ['status', 'scale']),
  res('apps', 'v1', 'ReplicaSet', 'replicasets', true, ['status', 'scale']),
  res('apps', 'v1', 'DaemonSet', 'daemonsets', true, ['status']),
  res('apps', 'v1', 'StatefulSet', 'statefulsets', true, ['status', 'scale']),
  res('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
];
const OTHERS: Record<string, OpenAPIResource[]> = {
  'batch/v1': [res('batch', 'v1', 'Job', 'jobs', true, ['status']), res('batch', 'v1', 'CronJob', 'cronjobs', true, ['status'])],
  'networking.k8s.io/v1': [
    res('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, ['status']),
    res('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  ],
  'discovery.k8s.io/v1': [res('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices')],
  'autoscaling/v1': [res('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, ['status'])],
};
const ALL: Record<string, OpenAPIResource[]> = { v1: CORE, 'apps/v1': APPS, ...OTHERS };

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, Schema> };
};

function refsOf(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) x.forEach((v) => refsOf(v, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

describe('generated schema data', () => {
  it('every $ref in schemas.json resolves', () => {
    const schemas = openapiSchemas();
    expect(Object.keys(schemas).length).toBeGreaterThan(300);
    for (const ref of refsOf(schemas)) {
      expect(ref.startsWith('#/components/schemas/')).toBe(true);
      expect(schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
  });

  it('covers the required kinds with x-kubernetes-group-version-kind', () => {
    const kinds: [string, string, string][] = [
      ['', 'v1', 'Namespace'], ['', 'v1', 'Node'], ['', 'v1', 'Pod'], ['', 'v1', 'Service'], ['', 'v1', 'Endpoints'],
      ['', 'v1', 'ReplicationController'], ['', 'v1', 'Event'], ['', 'v1', 'ConfigMap'], ['', 'v1', 'Secret'],
      ['', 'v1', 'ServiceAccount'], ['', 'v1', 'Binding'], ['', 'v1', 'PodTemplate'],
      ['apps', 'v1', 'Deployment'], ['apps', 'v1', 'ReplicaSet'], ['apps', 'v1', 'DaemonSet'], ['apps', 'v1', 'StatefulSet'],
      ['apps', 'v1', 'ControllerRevision'], ['batch', 'v1', 'Job'], ['batch', 'v1', 'CronJob'],
      ['networking.k8s.io', 'v1', 'Ingress'], ['networking.k8s.io', 'v1', 'IngressClass'],
      ['discovery.k8s.io', 'v1', 'EndpointSlice'], ['autoscaling', 'v1', 'Scale'],
      ['autoscaling', 'v1', 'HorizontalPodAutoscaler'],
    ];
    for (const [group, version, kind] of kinds) {
      expect(schemaNameFor({ group, version, kind }), `${group}/${version} ${kind}`).toBeDefined();
    }
    expect(schemaNameFor({ group: 'apps', version: 'v1', kind: 'Deployment' })).toBe('io.k8s.api.apps.v1.Deployment');
  });

  it('Pod schema documents spec and spec.containers', () => {
    const s = openapiSchemas();
    const pod = s['io.k8s.api.core.v1.Pod'];
    expect(pod.description).toMatch(/collection of containers/);
    expect(pod['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    const spec = pod.properties!.spec;
    expect(spec.description).toMatch(/desired behavior of the pod/);
    expect(spec.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }]);
    const podSpec = s['io.k8s.api.core.v1.PodSpec'];
    expect(podSpec.description).toBe('PodSpec is a description of a pod.');
    expect(podSpec.required).toContain('containers');
    expect(podSpec.properties!.containers.description).toMatch(/List of containers belonging to the pod/);
    expect(podSpec.properties!.containers.items).toEqual({ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
    expect(podSpec.properties!.restartPolicy.enum).toEqual(['Always', 'Never', 'OnFailure']);
    expect(podSpec.properties!.nodeSelector.additionalProperties).toEqual({ type: 'string' });
    expect(podSpec.properties!.activeDeadlineSeconds).toMatchObject({ type: 'integer', format: 'int64' });
    expect(s['io.k8s.api.core.v1.ContainerPort'].properties!.containerPort).toMatchObject({ type: 'integer', format: 'int32' });
    expect(s['io.k8s.api.core.v1.Secret'].properties!.data.additionalProperties).toEqual({ type: 'string', format: 'byte' });
    expect(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
    });
    expect(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time']).toMatchObject({ type: 'string', format: 'date-time' });
    expect(s['io.k8s.apimachinery.pkg.api.resource.Quantity']).toMatchObject({ oneOf: [{ type: 'string' }, { type: 'number' }] });
  });

  it('every documented type and field of the core kinds has a description', () => {
    const s = openapiSchemas();
    const missing: string[] = [];
    for (const n of ['io.k8s.api.core.v1.PodSpec', 'io.k8s.api.core.v1.Container', 'io.k8s.api.apps.v1.DeploymentSpec']) {
      if (!s[n].description) missing.push(n);
      for (const [k, p] of Object.entries(s[n].properties!)) if (!p.description) missing.push(`${n}.${k}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('openapiV3Document', () => {
  it('every $ref of every group-version document resolves inside the document', () => {
    for (const [gv, rs] of Object.entries(ALL)) {
      const doc = openapiV3Document(gv, rs) as Doc;
      for (const ref of refsOf(doc)) {
        expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], `${gv}: ${ref}`).toBeDefined();
      }
    }
  });

  it('api/v1 has the Pod PATCH path declaring fieldValidation', () => {
    const doc = openapiV3Document('v1', CORE) as Doc;
    expect(doc.openapi).toBe('3.0.0');
    expect(doc.info).toEqual({ title: 'Kubernetes', version: 'v1.33.1' });
    const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    expect(patch['x-kubernetes-action']).toBe('patch');
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    const names = patch.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation', 'force']));
    // every kind has one
    for (const r of CORE) {
      const item = r.namespaced ? `/api/v1/namespaces/{namespace}/${r.plural}/{name}` : `/api/v1/${r.plural}/{name}`;
      expect(doc.paths[item]?.patch?.parameters.some((p: { name: string }) => p.name === 'fieldValidation'), item).toBe(true);
    }
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods'].get['x-kubernetes-action']).toBe('list');
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods'].post['x-kubernetes-action']).toBe('post');
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods'].delete['x-kubernetes-action']).toBe('deletecollection');
    expect(doc.paths['/api/v1/pods'].get.operationId).toBe('listCoreV1PodForAllNamespaces');
    const schemas = doc.components.schemas;
    for (const n of ['ObjectMeta', 'ListMeta', 'Status', 'DeleteOptions', 'Patch', 'WatchEvent']) {
      expect(schemas[`io.k8s.apimachinery.pkg.apis.meta.v1.${n}`], n).toBeDefined();
    }
    expect(schemas['io.k8s.api.core.v1.PodList']).toBeDefined();
    // scale subresource of ReplicationController pulls in autoscaling/v1 Scale
    expect(schemas['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
    expect(
      doc.paths['/api/v1/namespaces/{namespace}/replicationcontrollers/{name}/scale'].patch['x-kubernetes-group-version-kind'],
    ).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    // only schemas of this group version's kinds (plus their closure)
    expect(schemas['io.k8s.api.apps.v1.Deployment']).toBeUndefined();
  });

  it('apps/v1 document', () => {
    const doc = openapiV3Document('apis/apps/v1', APPS) as Doc;
    const p = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(p.patch.operationId).toBe('patchAppsV1NamespacedDeployment');
    expect(doc.components.schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    expect(doc.components.schemas['io.k8s.api.core.v1.PodTemplateSpec']).toBeDefined();
  });

  it('is cached and serialized with a stable hash that the index reports', () => {
    const a = openapiV3DocumentJSON('v1', CORE);
    const b = openapiV3DocumentJSON('api/v1', [...CORE].reverse());
    expect(b.body).toBe(a.body);
    expect(a.hash).toMatch(/^[0-9A-F]{128}$/);
    expect(a.etag).toBe(`"${a.hash}"`);
    expect(JSON.parse(a.body.toString()).openapi).toBe('3.0.0');
    const idx = openapiV3Index(['v1', 'apps/v1', 'batch/v1'], (gv) => ALL[gv]);
    expect(idx.paths['api/v1'].serverRelativeURL).toBe(`/openapi/v3/api/v1?hash=${a.hash}`);
    expect(Object.keys(idx.paths)).toEqual(['api/v1', 'apis/apps/v1', 'apis/batch/v1']);
    const idx2 = openapiV3Index(['v1', 'apps/v1', 'batch/v1']);
    expect(idx2).toEqual(idx);
    expect(openapiV3Index(['storage.k8s.io/v1']).paths['apis/storage.k8s.io/v1'].serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/storage\.k8s\.io\/v1\?hash=[0-9A-F]{128}$/,
    );
  });
});

describe('unknownFields', () => {
  it('finds spec.replica on a ReplicationController', () => {
    expect(
      unknownFields(
        { group: '', version: 'v1', kind: 'ReplicationController' },
        { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { replica: 3, selector: { app: 'x' } } },
      ),
    ).toEqual(['spec.replica']);
  });

  it('finds spec.containers[0].imagee and metadata.lables on a Pod', () => {
    expect(
      unknownFields(
        { group: '', version: 'v1', kind: 'Pod' },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', lables: { a: 'b' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }, { name: 'd', imagee: 'nginx', ports: [{ containerPort: 80, hostport: 1 }] }] },
          bogus: true,
        },
      ),
    ).toEqual(['metadata.lables', 'spec.containers[1].imagee', 'spec.containers[1].ports[0].hostport', 'bogus']);
  });

  it('accepts a full valid Deployment', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'default',
        labels: { app: 'web', 'app.kubernetes.io/name': 'web' },
        annotations: { 'deployment.kubernetes.io/revision': '1' },
        uid: 'abc',
        resourceVersion: '12',
        generation: 1,
        creationTimestamp: '2024-01-01T00:00:00Z',
        managedFields: [
          { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
        ],
      },
      spec: {
        replicas: 3,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
            volumes: [{ name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a' }] } }, { name: 'tmp', emptyDir: {} }],
            containers: [
              {
                name: 'web',
                image: 'nginx:1.25',
                imagePullPolicy: 'IfNotPresent',
                args: ['--port', '80'],
                ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ],
                resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
                readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
                livenessProbe: { tcpSocket: { port: 80 } },
                volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
                securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
      status: {
        observedGeneration: 1,
        replicas: 3,
        readyReplicas: 3,
        conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2024-01-01T00:00:00Z', reason: 'MinimumReplicasAvailable' }],
      },
    };
    expect(unknownFields({ group: 'apps', version: 'v1', kind: 'Deployment' }, deployment)).toEqual([]);
  });

  it('returns [] for unknown kinds and non-objects', () => {
    expect(unknownFields({ group: 'example.com', version: 'v1', kind: 'Widget' }, { spec: { x: 1 } })).toEqual([]);
    expect(unknownFields({ group: '', version: 'v1', kind: 'Pod' }, null)).toEqual([]);
  });
});

describe('patchSchemaFor', () => {
  it('gives containers -> mergeKey name', () => {
    const pod = patchSchemaFor({ group: '', version: 'v1', kind: 'Pod' })!;
    expect(pod).toBeDefined();
    const spec = pod.field('spec')!;
    expect(spec.shape).toBe('object');
    const containers = spec.node!.field('containers')!;
    expect(containers).toMatchObject({ shape: 'list', mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] });
    const c = containers.node!;
    expect(c.field('ports')).toMatchObject({ shape: 'list', mergeKey: 'containerPort' });
    expect(c.field('env')).toMatchObject({ shape: 'list', mergeKey: 'name' });
    expect(c.field('volumeMounts')).toMatchObject({ shape: 'list', mergeKey: 'mountPath' });
    expect(c.field('image')).toEqual({ shape: 'scalar' });
    expect(c.field('resources')!.node!.field('limits')).toMatchObject({ shape: 'map' });
    expect(c.field('nope')).toBeUndefined();
    expect(spec.node!.field('tolerations')).toMatchObject({ shape: 'list', listType: 'atomic' });
    expect(spec.node!.field('tolerations')!.mergeKey).toBeUndefined();
    expect(spec.node!.field('volumes')).toMatchObject({ mergeKey: 'name', patchStrategy: 'merge,retainKeys' });
    const meta = pod.field('metadata')!;
    expect(meta.node!.field('labels')).toMatchObject({ shape: 'map' });
    expect(meta.node!.field('finalizers')).toMatchObject({ shape: 'list', patchStrategy: 'merge', listType: 'set' });
    expect(meta.node!.field('ownerReferences')).toMatchObject({ mergeKey: 'uid' });
    expect(pod.field('status')!.node!.field('conditions')).toMatchObject({ mergeKey: 'type', patchStrategy: 'merge' });
  });

  it('deployment strategy retainKeys and atomic selector', () => {
    const d = patchSchemaFor({ group: 'apps', version: 'v1', kind: 'Deployment' })!;
    const spec = d.field('spec')!.node!;
    expect(spec.field('strategy')).toMatchObject({ shape: 'object', patchStrategy: 'retainKeys' });
    expect(spec.field('selector')).toMatchObject({ shape: 'object', mapType: 'atomic' });
    expect(spec.field('replicas')).toEqual({ shape: 'scalar' });
    expect(patchSchemaFor({ group: 'x', version: 'v1', kind: 'Nope' })).toBeUndefined();
  });
});
