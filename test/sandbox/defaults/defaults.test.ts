import { describe, expect, it } from 'vitest';
import type { GVK, KObject } from '../../../src/sandbox/apiserver/types.js';
import { defaultJobSelector, defaultObject, defaultPullPolicy } from '../../../src/sandbox/defaults/index.js';

const gvk = (group: string, version: string, kind: string): GVK => ({ group, version, kind });
const POD = gvk('', 'v1', 'Pod');
const fixedRandom = () => 0; // suffix "bbbbb"

function kubiaManual(): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'kubia-manual', namespace: 'default' },
    spec: { containers: [{ image: 'luksa/kubia', name: 'kubia', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] },
  };
}

describe('Pod defaulting', () => {
  it('gives the kubia manifest the shape kubectl get -o yaml shows', () => {
    const pod = kubiaManual();
    defaultObject(POD, pod, { random: fixedRandom });
    expect(pod.spec).toEqual({
      containers: [{
        image: 'luksa/kubia',
        imagePullPolicy: 'Always',
        name: 'kubia',
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: 'kube-api-access-bbbbb', readOnly: true }],
      }],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
      volumes: [{
        name: 'kube-api-access-bbbbb',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
            { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
          ],
        },
      }],
    });
    expect(pod.status).toBeUndefined();
  });

  it('uses a random 5-character suffix from the kube alphabet', () => {
    const pod = kubiaManual();
    defaultObject(POD, pod);
    expect(pod.spec.volumes[0].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('is idempotent (a second pass adds nothing)', () => {
    const pod = kubiaManual();
    defaultObject(POD, pod, { random: fixedRandom });
    const once = structuredClone(pod);
    defaultObject(POD, pod, { random: () => 0.5 });
    expect(pod).toEqual(once);
  });

  it('skips the token volume when automount is off and keeps user tolerations', () => {
    const pod = kubiaManual();
    pod.spec.automountServiceAccountToken = false;
    pod.spec.tolerations = [{ operator: 'Exists' }];
    defaultObject(POD, pod);
    expect(pod.spec.volumes).toBeUndefined();
    expect(pod.spec.containers[0].volumeMounts).toBeUndefined();
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['docker.io/library/nginx', 'Always'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
    ['Nginx', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ])('imagePullPolicy for %j is %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('defaults probes, env fieldRef, volumes and requests from limits', () => {
    const pod: KObject = {
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        hostNetwork: true,
        volumes: [{ name: 'a' }, { name: 's', secret: { secretName: 'x' } }, { name: 'h', hostPath: { path: '/tmp' } }],
        containers: [{
          name: 'c', image: 'busybox:1.36',
          ports: [{ containerPort: 80 }],
          livenessProbe: { httpGet: { port: 8080 } },
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          resources: { limits: { cpu: '500m', memory: '128Mi' } },
        }],
      },
    };
    defaultObject(POD, pod, { admission: false });
    const c = pod.spec.containers[0];
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.readinessProbe.periodSeconds).toBe(5);
    expect(c.env[0].valueFrom.fieldRef.apiVersion).toBe('v1');
    expect(c.resources.requests).toEqual({ cpu: '500m', memory: '128Mi' });
    expect(c.ports[0]).toEqual({ containerPort: 80, hostPort: 80, protocol: 'TCP' });
    expect(pod.spec.volumes).toEqual([
      { name: 'a', emptyDir: {} },
      { name: 's', secret: { secretName: 'x', defaultMode: 420 } },
      { name: 'h', hostPath: { path: '/tmp', type: '' } },
    ]);
    expect(pod.spec.serviceAccountName).toBeUndefined();
  });
});

const template = (labels: Record<string, string> | undefined) => ({
  metadata: labels ? { labels } : {},
  spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] },
});

const templateDefaults = {
  dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {},
  terminationGracePeriodSeconds: 30,
};

describe('controller defaulting', () => {
  it('ReplicationController copies template labels into selector and labels', () => {
    const rc: KObject = { metadata: { name: 'kubia' }, spec: { template: template({ app: 'kubia' }) } };
    defaultObject(gvk('', 'v1', 'ReplicationController'), rc);
    expect(rc.metadata.labels).toEqual({ app: 'kubia' });
    expect(rc.spec.selector).toEqual({ app: 'kubia' });
    expect(rc.spec.replicas).toBe(1);
    expect(rc.spec.template.metadata).toEqual({ creationTimestamp: null, labels: { app: 'kubia' } });
    expect(rc.spec.template.spec).toMatchObject(templateDefaults);
    // admission-only pod mutations never apply to templates
    expect(rc.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(rc.spec.template.spec.tolerations).toBeUndefined();
    expect(rc.spec.template.spec.volumes).toBeUndefined();
    expect(rc.spec.template.spec.enableServiceLinks).toBeUndefined();
    expect(rc.spec.template.spec.containers[0]).toEqual({
      name: 'kubia', image: 'luksa/kubia', imagePullPolicy: 'Always', resources: {},
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
    });
  });

  it('ReplicationController keeps an explicit selector', () => {
    const rc: KObject = { metadata: { name: 'kubia', labels: { x: 'y' } }, spec: { selector: { app: 'a' }, template: template({ app: 'b' }) } };
    defaultObject(gvk('', 'v1', 'ReplicationController'), rc);
    expect(rc.spec.selector).toEqual({ app: 'a' });
    expect(rc.metadata.labels).toEqual({ x: 'y' });
  });

  it.each<[string, GVK, Record<string, unknown>]>([
    ['Deployment', gvk('apps', 'v1', 'Deployment'), {
      replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    }],
    ['ReplicaSet', gvk('apps', 'v1', 'ReplicaSet'), { replicas: 1 }],
    ['DaemonSet', gvk('apps', 'v1', 'DaemonSet'), {
      revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    }],
    ['StatefulSet', gvk('apps', 'v1', 'StatefulSet'), {
      replicas: 1, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    }],
  ])('%s spec defaults', (_kind, g, expected) => {
    const obj: KObject = { metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'x' } }, template: template({ app: 'x' }) } };
    defaultObject(g, obj);
    expect(obj.spec).toMatchObject(expected);
    expect(obj.spec.template.spec).toMatchObject(templateDefaults);
    expect(obj.metadata.labels).toBeUndefined();
  });

  it('Job defaults and generated selector', () => {
    const job: KObject = {
      metadata: { name: 'batch-job', namespace: 'default' },
      spec: { template: { metadata: { labels: { app: 'batch-job' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'luksa/batch-job' }] } } },
    };
    defaultObject(gvk('batch', 'v1', 'Job'), job);
    expect(job.spec).toMatchObject({
      parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    expect(job.spec.manualSelector).toBeUndefined();
    expect(job.metadata.labels).toEqual({ app: 'batch-job' });
    job.metadata.uid = '1b2c';
    defaultJobSelector(job);
    expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': '1b2c' } });
    expect(job.spec.template.metadata.labels).toEqual({
      app: 'batch-job',
      'batch.kubernetes.io/controller-uid': '1b2c',
      'batch.kubernetes.io/job-name': 'batch-job',
      'controller-uid': '1b2c',
      'job-name': 'batch-job',
    });
  });

  it('Job without template labels gets the generated labels as its own', () => {
    const job: KObject = { metadata: { name: 'pi', uid: 'u1' }, spec: { parallelism: 2, template: { spec: { containers: [] } } } };
    defaultObject(gvk('batch', 'v1', 'Job'), job);
    expect(job.spec.completions).toBeUndefined();
    expect(job.spec.parallelism).toBe(2);
    defaultJobSelector(job);
    expect(job.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'u1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u1', 'job-name': 'pi',
    });
  });

  it('manualSelector jobs keep their selector', () => {
    const job: KObject = { metadata: { name: 'm', uid: 'u' }, spec: { manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } } } } };
    defaultJobSelector(job);
    expect(job.spec.selector).toEqual({ matchLabels: { a: 'b' } });
    expect(job.spec.template.metadata.labels).toEqual({ a: 'b' });
  });

  it('CronJob defaults', () => {
    const cj: KObject = {
      metadata: { name: 'batch-job-every-fifteen-minutes' },
      spec: { schedule: '0,15,30,45 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'luksa/batch-job' }] } } } } },
    };
    defaultObject(gvk('batch', 'v1', 'CronJob'), cj);
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec.jobTemplate.metadata).toEqual({ creationTimestamp: null });
    expect(cj.spec.jobTemplate.spec.template.spec).toMatchObject({ ...templateDefaults, restartPolicy: 'OnFailure' });
    expect(cj.spec.jobTemplate.spec.backoffLimit).toBeUndefined();
  });
});

describe('core defaulting', () => {
  it.each<[string, Record<string, any>, Record<string, any>]>([
    ['ClusterIP', { selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] }, {
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
    }],
    ['targetPort = port', { ports: [{ port: 80 }] }, { ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] }],
    ['NodePort', { type: 'NodePort', ports: [{ port: 80 }] }, { externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' }],
    ['LoadBalancer', { type: 'LoadBalancer', ports: [{ port: 80 }] }, { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true }],
    ['headless', { clusterIP: 'None', selector: { app: 'x' } }, { clusterIPs: ['None'], ipFamilyPolicy: 'SingleStack' }],
  ])('Service %s', (_name, spec, expected) => {
    const svc: KObject = { metadata: { name: 's' }, spec };
    defaultObject(gvk('', 'v1', 'Service'), svc);
    expect(svc.spec).toMatchObject(expected);
  });

  it('ExternalName services get no IP families', () => {
    const svc: KObject = { metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'example.com' } };
    defaultObject(gvk('', 'v1', 'Service'), svc);
    expect(svc.spec).toEqual({ type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' });
  });

  it('Namespace finalizer and name label', () => {
    const ns: KObject = { metadata: { name: 'custom-namespace' } };
    defaultObject(gvk('', 'v1', 'Namespace'), ns);
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'custom-namespace' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
  });

  it('Secret type Opaque and stringData folded into data', () => {
    const s: KObject = { metadata: { name: 's' }, stringData: { foo: 'bar' } };
    defaultObject(gvk('', 'v1', 'Secret'), s);
    expect(s).toEqual({ metadata: { name: 's' }, type: 'Opaque', data: { foo: 'YmFy' } });
  });

  it('Ingress pathType is left as given', () => {
    const ing: KObject = { metadata: { name: 'i' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } };
    const before = structuredClone(ing);
    defaultObject(gvk('networking.k8s.io', 'v1', 'Ingress'), ing);
    expect(ing).toEqual(before);
  });
});
