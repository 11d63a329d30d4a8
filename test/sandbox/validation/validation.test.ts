import { describe, expect, it } from 'vitest';
import type { GVK, KObject } from '../../../src/sandbox/apiserver/types.js';
import { errors, fieldErrorString } from '../../../src/sandbox/apiserver/errors.js';
import { defaultJobSelector, defaultObject } from '../../../src/sandbox/defaults/index.js';
import {
  cronParseError, decodeError, goFieldErrorString, goInvalidMessage, isNamespacedKind, validateCreate, validateUpdate,
} from '../../../src/sandbox/validation/index.js';

const gvk = (group: string, version: string, kind: string): GVK => ({ group, version, kind });
const POD = gvk('', 'v1', 'Pod');
const RC = gvk('', 'v1', 'ReplicationController');
const DEPLOY = gvk('apps', 'v1', 'Deployment');
const JOB = gvk('batch', 'v1', 'Job');
const CRONJOB = gvk('batch', 'v1', 'CronJob');
const SVC = gvk('', 'v1', 'Service');
const NS = gvk('', 'v1', 'Namespace');

const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** defaulted as the API server would, with uid/creationTimestamp set like on create */
function admitted(g: GVK, obj: KObject): KObject {
  const o = structuredClone(obj);
  if (isNamespacedKind(g.kind)) o.metadata.namespace ??= 'default';
  o.metadata.uid ??= '11111111-2222-3333-4444-555555555555';
  o.metadata.creationTimestamp ??= '2024-01-01T00:00:00Z';
  defaultObject(g, o, { random: () => 0 });
  if (g.kind === 'Job') defaultJobSelector(o);
  return o;
}

function createMessage(g: GVK, obj: KObject): string | undefined {
  const o = admitted(g, obj);
  const errs = validateCreate(g, o);
  return errs.length ? goInvalidMessage(g.group, g.kind, o.metadata.name ?? '', errs) : undefined;
}

function pod(spec: Record<string, any>, name = 'kubia-manual'): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec };
}
const kubia = () => pod({ containers: [{ image: 'luksa/kubia', name: 'kubia', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] });

describe('Pod create', () => {
  it('accepts the kubia manifest', () => {
    expect(createMessage(POD, kubia())).toBeUndefined();
  });

  it.each<[string, KObject, string]>([
    ['missing image', pod({ containers: [{ name: 'kubia' }] }),
      'Pod "kubia-manual" is invalid: spec.containers[0].image: Required value'],
    ['no containers', pod({}), 'Pod "kubia-manual" is invalid: spec.containers: Required value'],
    ['restartPolicy typo', pod({ restartPolicy: 'Sometimes', containers: [{ name: 'kubia', image: 'luksa/kubia' }] }),
      'Pod "kubia-manual" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ['upper-case pod name', pod({ containers: [{ name: 'kubia', image: 'luksa/kubia' }] }, 'Kubia'),
      `Pod "Kubia" is invalid: metadata.name: Invalid value: "Kubia": ${SUBDOMAIN}`],
    ['upper-case container name', pod({ containers: [{ name: 'Kubia', image: 'luksa/kubia' }] }),
      `Pod "kubia-manual" is invalid: spec.containers[0].name: Invalid value: "Kubia": ${LABEL}`],
    ['duplicate container name', pod({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }),
      'Pod "kubia-manual" is invalid: spec.containers[1].name: Duplicate value: "a"'],
    ['port out of range', pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] }),
      'Pod "kubia-manual" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ['bad protocol', pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'tcp' }] }] }),
      'Pod "kubia-manual" is invalid: spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'],
    ['probe without handler', pod({ containers: [{ name: 'a', image: 'x', livenessProbe: { periodSeconds: 5 } }] }),
      'Pod "kubia-manual" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type'],
    ['probe with two handlers', pod({ containers: [{ name: 'a', image: 'x', readinessProbe: { exec: { command: ['ls'] }, httpGet: { port: 80 } } }] }),
      'Pod "kubia-manual" is invalid: spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type'],
    ['requests above limits', pod({ containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }),
      'Pod "kubia-manual" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ['bad label value', { ...kubia(), metadata: { name: 'kubia-manual', labels: { app: 'a b' } } },
      "Pod \"kubia-manual\" is invalid: metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
    ['unknown volume mount', pod({ containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] }),
      'Pod "kubia-manual" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "data"'],
  ])('%s', (_name, obj, message) => {
    expect(createMessage(POD, obj)).toBe(message);
  });

  it('requires a name unless generateName', () => {
    const p = kubia();
    delete p.metadata.name;
    const o = admitted(POD, p);
    const errs = validateCreate(POD, o);
    expect(errs.map(fieldErrorString)).toEqual(['metadata.name: Required value: name or generateName is required']);
  });

  it('produces the Status kubectl prints', () => {
    const o = admitted(POD, pod({ containers: [{ name: 'kubia' }] }));
    const st = errors.invalid('', 'Pod', 'kubia-manual', validateCreate(POD, o)).status;
    expect(st.code).toBe(422);
    expect(st.message).toBe('Pod "kubia-manual" is invalid: spec.containers[0].image: Required value');
    expect(st.details?.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }]);
  });

  it('label keys: prefix and name parts', () => {
    const p = kubia();
    p.metadata.labels = { 'Example.com/app': 'x', ['a'.repeat(64)]: 'y' };
    const errs = validateCreate(POD, admitted(POD, p)).map(goFieldErrorString);
    expect(errs[0]).toBe(`metadata.labels: Invalid value: "Example.com/app": prefix part ${SUBDOMAIN}`);
    expect(errs[1]).toBe(`metadata.labels: Invalid value: "${'a'.repeat(64)}": name part must be no more than 63 characters`);
  });

  it('annotation size limit', () => {
    const p = kubia();
    p.metadata.annotations = { big: 'x'.repeat(256 * 1024) };
    expect(validateCreate(POD, admitted(POD, p)).map(fieldErrorString)).toEqual(['metadata.annotations: Too long: may not be more than 262144 bytes']);
  });

  it('decodeError reports bad quantities like the decoder', () => {
    const p = admitted(POD, pod({ containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: 'lots' } } }] }));
    expect(decodeError(POD, p)).toBe("Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });
});

describe('decode errors', () => {
  it.each<[string, number | undefined]>([['YmFy', undefined], ['YmFyCg==', undefined], ['YWJj$A==', 4], ['abc', 0], ['YWJjZA', 4]])('base64 %j', (v, at) => {
    const msg = decodeError(gvk('', 'v1', 'Secret'), { metadata: { name: 's' }, data: { k: v } });
    expect(msg).toBe(at === undefined ? undefined : `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`);
  });
});

describe('Pod update', () => {
  const stored = (): KObject => {
    const o = admitted(POD, kubia());
    o.metadata.resourceVersion = '5';
    return o;
  };

  it('allows image changes', () => {
    const old = stored();
    const n = structuredClone(old);
    n.spec.containers[0].image = 'luksa/kubia:v2';
    expect(validateUpdate(POD, n, old)).toEqual([]);
  });

  it('forbids other spec changes with the kube wording', () => {
    const old = stored();
    const n = structuredClone(old);
    n.spec.restartPolicy = 'Never';
    const errs = validateUpdate(POD, n, old);
    expect(errs).toHaveLength(1);
    expect(errs[0].type).toBe('FieldValueForbidden');
    expect(errs[0].field).toBe('spec');
    expect(errs[0].detail!.startsWith(
      'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n',
    )).toBe(true);
    expect(errs[0].detail).toContain('- \tRestartPolicy: "Always",\n+ \tRestartPolicy: "Never",');
  });

  it('forbids adding containers and renaming', () => {
    const old = stored();
    const n = structuredClone(old);
    n.spec.containers.push({ ...n.spec.containers[0], name: 'two' });
    expect(validateUpdate(POD, n, old).map(fieldErrorString)).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
    const r = structuredClone(old);
    r.metadata.name = 'other';
    expect(validateUpdate(POD, r, old).map(fieldErrorString)).toContain('metadata.name: Invalid value: "other": field is immutable');
  });

  it('allows adding tolerations and lowering activeDeadlineSeconds', () => {
    const old = stored();
    old.spec.activeDeadlineSeconds = 100;
    const n = structuredClone(old);
    n.spec.tolerations.push({ key: 'k', operator: 'Exists', effect: 'NoSchedule' });
    n.spec.activeDeadlineSeconds = 50;
    expect(validateUpdate(POD, n, old)).toEqual([]);
    n.spec.activeDeadlineSeconds = 200;
    expect(validateUpdate(POD, n, old).map(fieldErrorString)).toEqual(['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value']);
  });
});

describe('controllers', () => {
  const rc = (selector: Record<string, string> | undefined, labels: Record<string, string>, restartPolicy?: string): KObject => ({
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'kubia' },
    spec: { replicas: 3, selector, template: { metadata: { labels }, spec: { restartPolicy, containers: [{ name: 'kubia', image: 'luksa/kubia' }] } } },
  });

  it.each<[string, GVK, KObject, string | undefined]>([
    ['RC ok', RC, rc({ app: 'kubia' }, { app: 'kubia' }), undefined],
    ['RC selector from labels', RC, rc(undefined, { app: 'kubia' }), undefined],
    ['RC mismatched selector', RC, rc({ app: 'kubia' }, { app: 'kubia-v2' }),
      'ReplicationController "kubia" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"kubia-v2"}: `selector` does not match template `labels`'],
    ['RC restartPolicy', RC, rc({ app: 'kubia' }, { app: 'kubia' }, 'Never'),
      'ReplicationController "kubia" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ['RC negative replicas', RC, { ...rc({ app: 'k' }, { app: 'k' }), spec: { ...rc({ app: 'k' }, { app: 'k' }).spec, replicas: -1 } },
      'ReplicationController "kubia" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ['Deployment without selector', DEPLOY, {
      metadata: { name: 'kubia' }, spec: { template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia:v1' }] } } },
    }, 'Deployment.apps "kubia" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"kubia"}: `selector` does not match template `labels`]'],
    ['Deployment mismatch', DEPLOY, {
      metadata: { name: 'kubia' },
      spec: { selector: { matchLabels: { app: 'kubia', tier: 'web' } }, template: { metadata: { labels: { tier: 'web', app: 'x' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia:v1' }] } } },
    }, 'Deployment.apps "kubia" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x", "tier":"web"}: `selector` does not match template `labels`'],
    ['Deployment empty selector', DEPLOY, {
      metadata: { name: 'kubia' }, spec: { selector: {}, template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'k' }] } } },
    }, 'Deployment.apps "kubia" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
  ])('%s', (_name, g, obj, message) => {
    expect(createMessage(g, obj)).toBe(message);
  });

  it('apps/v1 selector is immutable', () => {
    const base: KObject = {
      metadata: { name: 'kubia' },
      spec: { selector: { matchLabels: { app: 'kubia' } }, template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'k' }] } } },
    };
    const old = admitted(DEPLOY, base);
    old.metadata.resourceVersion = '7';
    const n = structuredClone(old);
    n.spec.selector.matchLabels.app = 'kubia2';
    n.spec.template.metadata.labels.app = 'kubia2';
    const errs = validateUpdate(DEPLOY, n, old);
    expect(goInvalidMessage('apps', 'Deployment', 'kubia', errs)).toBe(
      'Deployment.apps "kubia" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"kubia2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
    const rs = gvk('apps', 'v1', 'ReplicaSet');
    expect(validateUpdate(rs, n, old).map((e) => e.field)).toEqual(['spec.selector']);
  });

  it('RC selector stays mutable', () => {
    const old = admitted(RC, rc({ app: 'kubia' }, { app: 'kubia' }));
    old.metadata.resourceVersion = '1';
    const n = structuredClone(old);
    n.spec.selector = { app: 'kubia', v: '2' };
    n.spec.template.metadata.labels = { app: 'kubia', v: '2' };
    expect(validateUpdate(RC, n, old)).toEqual([]);
  });
});

describe('Job and CronJob', () => {
  const job = (restartPolicy?: string, name = 'batch-job'): KObject => ({
    metadata: { name },
    spec: { template: { metadata: { labels: { app: 'batch-job' } }, spec: { restartPolicy, containers: [{ name: 'main', image: 'luksa/batch-job' }] } } },
  });

  it('accepts a defaulted job with generated selector', () => {
    expect(createMessage(JOB, job('OnFailure'))).toBeUndefined();
  });

  it('rejects the default restartPolicy Always', () => {
    expect(createMessage(JOB, job())).toBe('Job.batch "batch-job" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
  });

  it('long job names break the job-name label', () => {
    const name = 'j'.repeat(64);
    expect(createMessage(JOB, job('Never', name))).toContain(`spec.template.labels: Invalid value: "${name}": must be no more than 63 characters`);
  });

  it('template is immutable', () => {
    const old = admitted(JOB, job('Never'));
    old.metadata.resourceVersion = '3';
    const n = structuredClone(old);
    n.spec.template.spec.containers[0].image = 'busybox';
    const errs = validateUpdate(JOB, n, old);
    expect(errs.map((e) => `${e.field}: ${e.detail}`)).toEqual(['spec.template: field is immutable']);
    expect(goFieldErrorString(errs[0]).startsWith('spec.template: Invalid value: core.PodTemplateSpec{')).toBe(true);
  });

  const cron = (schedule: string, name = 'batch-job-every-fifteen-minutes'): KObject => ({
    metadata: { name },
    spec: { schedule, jobTemplate: { spec: { template: { metadata: { labels: { app: 'periodic-batch-job' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'luksa/batch-job' }] } } } } },
  });

  it.each<[string, string | undefined]>([
    ['0,15,30,45 * * * *', undefined],
    ['*/5 * * * *', undefined],
    ['@hourly', undefined],
    ['0 0 * * mon-fri', undefined],
    ['61 * * * *', 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    ['* * * *', 'spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]'],
    ['* * * * * *', 'spec.schedule: Invalid value: "* * * * * *": expected exactly 5 fields, found 6: [* * * * * *]'],
    ['every minute', 'spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]'],
    ['x * * * *', 'spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@sometimes', 'spec.schedule: Invalid value: "@sometimes": unrecognized descriptor: @sometimes'],
    ['5-1 * * * *', 'spec.schedule: Invalid value: "5-1 * * * *": beginning of range (5) beyond end of range (1): 5-1'],
    ['CRON_TZ=UTC 0 * * * *', 'spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
  ])('schedule %j', (schedule, message) => {
    const o = admitted(CRONJOB, cron(schedule));
    const errs = validateCreate(CRONJOB, o).map(goFieldErrorString);
    expect(errs).toEqual(message ? [message] : []);
  });

  it('cronjob names are limited to 52 characters', () => {
    const name = 'c'.repeat(53);
    expect(createMessage(CRONJOB, cron('* * * * *', name))).toBe(`CronJob.batch "${name}" is invalid: metadata.name: Invalid value: "${name}": must be no more than 52 characters`);
  });

  it('cronParseError matches robfig/cron wording', () => {
    expect(cronParseError('')).toBe('empty spec string');
    expect(cronParseError('*/0 * * * *')).toBe('step of range should be a positive number: */0');
    expect(cronParseError('0 24 * * *')).toBe('end of range (24) above maximum (23): 24');
    expect(cronParseError('0 0 0 * *')).toBe('beginning of range (0) below minimum (1): 0');
  });
});

describe('Service and Namespace', () => {
  const svc = (spec: Record<string, any>, name = 'kubia'): KObject => ({ metadata: { name }, spec });

  it.each<[string, KObject, string | undefined]>([
    ['ok', svc({ selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] }), undefined],
    ['no ports', svc({ selector: { app: 'kubia' } }), 'Service "kubia" is invalid: spec.ports: Required value'],
    ['headless without ports', svc({ clusterIP: 'None', selector: { app: 'kubia' } }), undefined],
    ['unnamed ports', svc({ ports: [{ port: 80 }, { port: 443 }] }),
      'Service "kubia" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]'],
    ['bad type', svc({ type: 'Public', ports: [{ port: 80 }] }),
      'Service "kubia" is invalid: spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ['nodePort range', svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }),
      'Service "kubia" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ['dotted name', svc({ ports: [{ port: 80 }] }, 'kubia.svc'),
      `Service "kubia.svc" is invalid: metadata.name: Invalid value: "kubia.svc": ${DNS1035}`],
    ['port range', svc({ ports: [{ port: 0 }] }),
      'Service "kubia" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]'],
  ])('%s', (_name, obj, message) => {
    expect(createMessage(SVC, obj)).toBe(message);
  });

  it('clusterIP is immutable', () => {
    const old = admitted(SVC, svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] }));
    old.metadata.resourceVersion = '1';
    const n = structuredClone(old);
    n.spec.clusterIP = '10.96.0.11';
    const errs = validateUpdate(SVC, n, old);
    expect(errs.map(goFieldErrorString)).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
    const same = structuredClone(old);
    same.spec.ports[0].port = 81;
    same.spec.ports[0].targetPort = 81;
    expect(validateUpdate(SVC, same, old)).toEqual([]);
  });

  it('namespace names are DNS labels and cluster scoped', () => {
    expect(createMessage(NS, { metadata: { name: 'custom-namespace' } })).toBeUndefined();
    expect(createMessage(NS, { metadata: { name: 'Custom' } })).toBe(`Namespace "Custom" is invalid: metadata.name: Invalid value: "Custom": ${LABEL}`);
    expect(createMessage(NS, { metadata: { name: 'a.b' } })).toBe('Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots');
  });
});

describe('other kinds', () => {
  it('Ingress needs a backend and absolute Prefix paths', () => {
    const ING = gvk('networking.k8s.io', 'v1', 'Ingress');
    expect(createMessage(ING, { metadata: { name: 'kubia' }, spec: {} })).toBe(
      'Ingress.networking.k8s.io "kubia" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
    );
    const ing: KObject = {
      metadata: { name: 'kubia' },
      spec: { rules: [{ host: 'kubia.example.com', http: { paths: [{ path: 'foo', pathType: 'Prefix', backend: { service: { name: 'kubia', port: { number: 80 } } } }] } }] },
    };
    expect(createMessage(ING, ing)).toBe('Ingress.networking.k8s.io "kubia" is invalid: spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path');
  });

  it('ConfigMap and Secret keys', () => {
    expect(createMessage(gvk('', 'v1', 'ConfigMap'), { metadata: { name: 'c' }, data: { 'bad key': 'v' } })).toBe(
      "ConfigMap \"c\" is invalid: data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
    expect(createMessage(gvk('', 'v1', 'Secret'), { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} })).toBe(
      'Secret "s" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]',
    );
  });

  it('Scale replicas must be non-negative', () => {
    const scale: KObject = { metadata: { name: 'kubia', namespace: 'default' }, spec: { replicas: -1 } };
    expect(validateCreate(gvk('autoscaling', 'v1', 'Scale'), scale).map(fieldErrorString)).toEqual(['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('generic kinds get object-meta validation and immutable metadata', () => {
    const SA = gvk('', 'v1', 'ServiceAccount');
    expect(validateCreate(SA, { metadata: { name: 'x' } }).map(fieldErrorString)).toEqual(['metadata.namespace: Required value']);
    const old: KObject = { metadata: { name: 'x', namespace: 'default', uid: 'a', creationTimestamp: '2024-01-01T00:00:00Z', resourceVersion: '1' } };
    const n = structuredClone(old);
    n.metadata.uid = 'b';
    expect(validateUpdate(SA, n, old).map(fieldErrorString)).toEqual(['metadata.uid: Invalid value: "b": field is immutable']);
    expect(validateCreate(gvk('', 'v1', 'Node'), { metadata: { name: 'n', namespace: 'x' } }).map(fieldErrorString)).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });
});

describe('DaemonSet and StatefulSet', () => {
  const DS = gvk('apps', 'v1', 'DaemonSet');
  const STS = gvk('apps', 'v1', 'StatefulSet');
  const tpl = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'main', image: 'luksa/ssd-monitor' }] } });

  it.each<[string, GVK, KObject, string | undefined]>([
    ['DaemonSet ok', DS, { metadata: { name: 'ssd-monitor' }, spec: { selector: { matchLabels: { app: 'ssd-monitor' } }, template: tpl({ app: 'ssd-monitor' }) } }, undefined],
    ['DaemonSet mismatch', DS, { metadata: { name: 'ssd-monitor' }, spec: { selector: { matchLabels: { app: 'x' } }, template: tpl({ app: 'ssd-monitor' }) } },
      'DaemonSet.apps "ssd-monitor" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"ssd-monitor"}: `selector` does not match template `labels`'],
    ['StatefulSet ok', STS, { metadata: { name: 'kubia' }, spec: { serviceName: 'kubia', selector: { matchLabels: { app: 'kubia' } }, template: tpl({ app: 'kubia' }) } }, undefined],
    ['StatefulSet dotted name', STS, { metadata: { name: 'kubia.v1' }, spec: { selector: { matchLabels: { app: 'kubia' } }, template: tpl({ app: 'kubia' }) } },
      'StatefulSet.apps "kubia.v1" is invalid: metadata.name: Invalid value: "kubia.v1": must not contain dots'],
  ])('%s', (_name, g, obj, message) => {
    expect(createMessage(g, obj)).toBe(message);
  });

  it('StatefulSet spec updates other than replicas/template/... are forbidden', () => {
    const old = admitted(STS, { metadata: { name: 'kubia' }, spec: { serviceName: 'kubia', selector: { matchLabels: { app: 'kubia' } }, template: tpl({ app: 'kubia' }) } });
    old.metadata.resourceVersion = '2';
    const n = structuredClone(old);
    n.spec.replicas = 5;
    expect(validateUpdate(STS, n, old)).toEqual([]);
    n.spec.serviceName = 'other';
    expect(validateUpdate(STS, n, old).map(fieldErrorString)).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});

describe('generateName', () => {
  it('accepts a trailing dash in generateName', () => {
    const p = kubia();
    p.metadata = { generateName: 'kubia-', name: 'kubia-x7k2p' };
    expect(validateCreate(POD, admitted(POD, p))).toEqual([]);
    p.metadata = { generateName: 'Kubia-', name: 'Kubia-x7k2p' };
    expect(validateCreate(POD, admitted(POD, p)).map((e) => e.field)).toEqual(['metadata.generateName', 'metadata.name']);
  });
});

describe('PersistentVolume and RBAC', () => {
  it('PersistentVolume basics', () => {
    const PV = gvk('', 'v1', 'PersistentVolume');
    const pv: KObject = { metadata: { name: 'mongodb-pv' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/tmp/mongodb' } } };
    expect(createMessage(PV, pv)).toBeUndefined();
    expect(createMessage(PV, { metadata: { name: 'x' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }))
      .toBe('PersistentVolume "x" is invalid: spec: Required value: must specify a volume type');
  });

  it('RoleBinding roleRef cannot change', () => {
    const RB = gvk('rbac.authorization.k8s.io', 'v1', 'RoleBinding');
    const old: KObject = {
      metadata: { name: 'test', namespace: 'foo', uid: 'u', resourceVersion: '1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'service-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'foo' }],
    };
    expect(validateCreate(RB, old)).toEqual([]);
    const n = structuredClone(old);
    n.roleRef.name = 'other';
    expect(validateUpdate(RB, n, old).map(goFieldErrorString)).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef',
    ]);
  });
});
