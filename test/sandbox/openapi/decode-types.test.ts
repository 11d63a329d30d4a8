import { describe, expect, it } from 'vitest';
import { decodeTypeError } from '../../../src/sandbox/apiserver/openapi/index.js';

const POD = { group: '', version: 'v1', kind: 'Pod' };
const SERVICE = { group: '', version: 'v1', kind: 'Service' };
const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const SECRET = { group: '', version: 'v1', kind: 'Secret' };
const P = 'Pod in version "v1" cannot be handled as a Pod: ';

const pod = (spec: unknown, metadata: unknown = { name: 'web' }) => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
const container = (extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'nginx', ...extra });

describe('decodeTypeError: valid objects', () => {
  it('accepts a full Deployment', () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'default',
        labels: { app: 'web' },
        annotations: { 'a/b': 'c' },
        creationTimestamp: null,
        uid: 'abc',
        generation: 3,
        ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', controller: true }],
      },
      spec: {
        replicas: 3,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
            securityContext: { runAsUser: 1000, runAsNonRoot: true, fsGroup: 2000 },
            nodeSelector: { disk: 'ssd' },
            tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }],
            volumes: [{ name: 'v', emptyDir: { sizeLimit: '1Gi' } }, { name: 'cm', configMap: { name: 'c', defaultMode: 420 } }],
            containers: [
              container({
                ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
                env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.25, memory: 64e6 } },
                readinessProbe: { httpGet: { path: '/', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
                livenessProbe: { tcpSocket: { port: 80 }, failureThreshold: 3 },
                volumeMounts: [{ name: 'v', mountPath: '/data', readOnly: false }],
                command: ['sh', '-c', 'sleep 1'],
                stdin: true,
                tty: false,
              }),
            ],
          },
        },
      },
      status: { replicas: 3, conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2024-01-01T00:00:00Z' }] },
    };
    expect(decodeTypeError(DEPLOYMENT, d)).toBeUndefined();
  });

  it('accepts a Service with string and int targetPorts', () => {
    const s = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: {
        type: 'NodePort',
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 },
          { name: 'alt', port: 8080, targetPort: 8080 },
        ],
      },
    };
    expect(decodeTypeError(SERVICE, s)).toBeUndefined();
  });

  it('accepts numeric and string quantities, nulls and unknown fields', () => {
    const p = pod({
      containers: [container({ resources: { limits: { cpu: 1, memory: '64Mi' }, requests: { cpu: null } } })],
      nodeName: null,
      hostNetwork: null,
      bogus: 12,
    });
    expect(decodeTypeError(POD, p)).toBeUndefined();
  });

  it('ignores unknown kinds and non-object bodies', () => {
    expect(decodeTypeError({ group: 'x.io', version: 'v1', kind: 'Nope' }, { spec: 1 })).toBeUndefined();
    expect(decodeTypeError(POD, [1, 2])).toBeUndefined();
    expect(decodeTypeError(POD, 'x')).toBeUndefined();
  });
});

describe('decodeTypeError: type mismatches', () => {
  it('object where a list is expected', () => {
    expect(decodeTypeError(POD, pod({ containers: { name: 'c', image: 'nginx' } }))).toBe(
      P + 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container',
    );
  });

  it('string containerPort', () => {
    expect(decodeTypeError(POD, pod({ containers: [container({ ports: [{ containerPort: '80' }] })] }))).toBe(
      P + 'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
  });

  it('number where a string is expected', () => {
    expect(decodeTypeError(POD, pod({ containers: [container()] }, { name: 5 }))).toBe(
      P + 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string',
    );
  });

  it('non-string label value', () => {
    expect(decodeTypeError(POD, pod({ containers: [container()] }, { name: 'a', labels: { tier: 1 } }))).toBe(
      P + 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    );
  });

  it('non-integers and out-of-range integers', () => {
    expect(decodeTypeError(POD, pod({ containers: [container({ ports: [{ containerPort: 1.5 }] })] }))).toBe(
      P + 'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    expect(decodeTypeError(POD, pod({ containers: [container({ ports: [{ containerPort: 3000000000 }] })] }))).toBe(
      P +
        'json: cannot unmarshal number 3000000000 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    // int64 fields take it
    expect(decodeTypeError(POD, pod({ containers: [container()], activeDeadlineSeconds: 3000000000 }))).toBeUndefined();
    expect(decodeTypeError(POD, pod({ containers: [container()], activeDeadlineSeconds: 2.5 }))).toBe(
      P + 'json: cannot unmarshal number 2.5 into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64',
    );
  });

  it('booleans', () => {
    expect(decodeTypeError(POD, pod({ containers: [container({ stdin: 'yes' })] }))).toBe(
      P + 'json: cannot unmarshal string into Go struct field Container.spec.containers.stdin of type bool',
    );
    expect(decodeTypeError(POD, pod({ containers: [container({ image: true })] }))).toBe(
      P + 'json: cannot unmarshal bool into Go struct field Container.spec.containers.image of type string',
    );
  });

  it('struct, map and named types', () => {
    expect(decodeTypeError(POD, pod([]))).toBe(
      P + 'json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec',
    );
    expect(decodeTypeError(POD, pod({ containers: [container()] }, { name: 'a', labels: ['x'] }))).toBe(
      P + 'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string',
    );
    expect(decodeTypeError(POD, pod({ containers: [container({ resources: { limits: ['1'] } })] }))).toBe(
      P +
        'json: cannot unmarshal array into Go struct field ResourceRequirements.spec.containers.resources.limits of type v1.ResourceList',
    );
    expect(decodeTypeError(POD, pod({ containers: [container()], restartPolicy: 1 }))).toBe(
      P + 'json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy',
    );
    expect(decodeTypeError(POD, pod({ containers: [container({ command: 'sleep 1' })] }))).toBe(
      P + 'json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string',
    );
    expect(decodeTypeError(POD, pod({ containers: [container({ args: [1] })] }))).toBe(
      P + 'json: cannot unmarshal number into Go struct field Container.spec.containers.args of type string',
    );
    expect(decodeTypeError(SECRET, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 1 } })).toBe(
      'Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal number into Go struct field Secret.data of type []uint8',
    );
  });

  it('deployment paths go through the template', () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: '3',
        template: { spec: { containers: [container({ ports: [{ containerPort: '80' }] })] } },
      },
    };
    expect(decodeTypeError(DEPLOYMENT, d)).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    delete (d.spec as Record<string, unknown>).replicas;
    expect(decodeTypeError(DEPLOYMENT, d)).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    );
  });

  it('IntOrString takes strings and int32 only', () => {
    const svc = (targetPort: unknown) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort }] } });
    const S = 'Service in version "v1" cannot be handled as a Service: ';
    expect(decodeTypeError(SERVICE, svc(null))).toBeUndefined();
    expect(decodeTypeError(SERVICE, svc(true))).toBe(
      S + 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
    );
    expect(decodeTypeError(SERVICE, svc({}))).toBe(
      S + 'json: cannot unmarshal object into Go struct field ServicePort.spec.ports.targetPort of type int32',
    );
    expect(decodeTypeError(SERVICE, svc(80.5))).toBe(
      S + 'json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.targetPort of type int32',
    );
  });

  it('Quantity and Time use their UnmarshalJSON errors', () => {
    expect(decodeTypeError(POD, pod({ containers: [container({ resources: { limits: { memory: '64MB' } } })] }))).toBe(
      P + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(decodeTypeError(POD, pod({ containers: [container({ resources: { limits: { cpu: true } } })] }))).toBe(
      P + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(decodeTypeError(POD, pod({ containers: [container()] }, { name: 'a', creationTimestamp: 5 }))).toBe(
      P + 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
    );
  });

  it('reports the first saved error, unless an UnmarshalJSON error aborts later', () => {
    const p = pod({ containers: [container({ ports: [{ containerPort: '80' }], stdin: 'x' })], hostname: 1 }, { name: 1 });
    expect(decodeTypeError(POD, p)).toBe(
      P + 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string',
    );
    const q = pod({ containers: [container({ resources: { limits: { cpu: 'lots' } } })] }, { name: 1 });
    expect(decodeTypeError(POD, q)).toBe(
      P + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    // a mismatched value is skipped whole: nothing inside it is looked at
    expect(decodeTypeError(POD, pod({ containers: { resources: { limits: { cpu: 'lots' } } } }))).toBe(
      P + 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container',
    );
  });

  it('is repeatable (no state leaks between calls)', () => {
    const bad = pod({ containers: [container({ ports: [{ containerPort: '80' }] })] });
    const good = pod({ containers: [container()] });
    for (let i = 0; i < 3; i++) {
      expect(decodeTypeError(POD, bad)).toMatch(/ContainerPort\.spec\.containers\.ports\.containerPort/);
      expect(decodeTypeError(POD, good)).toBeUndefined();
    }
  });
});
