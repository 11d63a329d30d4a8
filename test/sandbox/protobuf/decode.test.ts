import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../src/sandbox/apiserver/errors.js';
import { decodeKubernetesProtobuf, formatGoDuration, messages } from '../../../src/sandbox/apiserver/protobuf/decode.js';
import { encodeKubernetesProtobuf } from './encode-helper.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');

function hexBody(s: string): Buffer {
  return Buffer.from(s.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');
}

function expectBadRequest(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    const se = e as StatusError;
    expect(se.code).toBe(400);
    expect(se.status.reason).toBe('BadRequest');
    return se;
  }
  throw new Error('expected a BadRequest StatusError');
}

describe('decodeKubernetesProtobuf: kubectl-wire.md §6 dump', () => {
  it('decodes `kubectl create namespace custom-namespace` (1.33)', () => {
    const body = hexBody(`6b387300 0a0f 0a027631 12094e616d657370616365 1228 0a20 0a10 637573746f6d2d6e616d657370616365
      12001a0022002a003200380042 00 12001a020a001a002200`);
    expect(decodeKubernetesProtobuf(body)).toEqual({
      kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'custom-namespace' }, spec: {}, status: {},
    });
  });
});

describe('decodeKubernetesProtobuf: bodies captured from real kubectl 1.33', () => {
  // Each `<name>.pb.hex` is a POST body kubectl v1.33.1 sent; `<name>.json` is the JSON body kubectl v1.31.9
  // sent for the same command (with `creationTimestamp: null` removed). Both must mean the same object.
  const names = fs.readdirSync(fixtures).filter((f) => f.endsWith('.pb.hex')).map((f) => f.slice(0, -7)).sort();
  it('has fixtures', () => expect(names.length).toBeGreaterThanOrEqual(15));
  for (const name of names) {
    it(name, () => {
      const body = hexBody(fs.readFileSync(path.join(fixtures, `${name}.pb.hex`), 'utf8'));
      const want = JSON.parse(fs.readFileSync(path.join(fixtures, `${name}.json`), 'utf8'));
      expect(decodeKubernetesProtobuf(body)).toEqual(want);
    });
  }
  it('keeps pointer zero values (replicas: 0) and base64s Secret data', () => {
    const dep = decodeKubernetesProtobuf(hexBody(fs.readFileSync(path.join(fixtures, 'create-deployment-replicas0.pb.hex'), 'utf8')));
    expect(dep.spec.replicas).toBe(0);
    const sec = decodeKubernetesProtobuf(hexBody(fs.readFileSync(path.join(fixtures, 'create-secret-generic.pb.hex'), 'utf8')));
    expect(Buffer.from(sec.data.pw, 'base64').toString()).toBe('s3cr3t!');
  });
});

describe('decodeKubernetesProtobuf: round trips through a protobufjs encoder', () => {
  const cases: Record<string, any> = {
    deployment: {
      kind: 'Deployment', apiVersion: 'apps/v1',
      metadata: {
        name: 'web', namespace: 'prod', labels: { app: 'web', tier: 'fe' }, annotations: { 'a.io/x': 'y' },
        creationTimestamp: '2024-05-06T07:08:09Z', generation: 3, finalizers: ['x.io/keep'],
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1', controller: true, blockOwnerDeletion: false }],
      },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] },
        template: {
          metadata: { labels: { app: 'web', tier: 'fe' } },
          spec: {
            containers: [{
              name: 'nginx', image: 'nginx:1.27', command: ['nginx'], args: ['-g', 'daemon off;'],
              ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'A', value: '1' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
              volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
              livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 10 },
              readinessProbe: { tcpSocket: { port: 'http' } },
              imagePullPolicy: 'IfNotPresent',
            }],
            volumes: [
              { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
              { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
              { name: 'pvc', persistentVolumeClaim: { claimName: 'claim' } },
            ],
            restartPolicy: 'Always', terminationGracePeriodSeconds: 0, nodeSelector: { disk: 'ssd' },
            serviceAccountName: 'sa',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
        minReadySeconds: 2, revisionHistoryLimit: 0,
      },
      status: {},
    },
    service: {
      kind: 'Service', apiVersion: 'v1',
      metadata: { name: 'svc', labels: { app: 'svc' } },
      spec: {
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }, { name: 'https', protocol: 'TCP', port: 443, targetPort: 'https' }],
        selector: { app: 'svc' }, clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.5'], type: 'NodePort', sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    },
    secret: {
      kind: 'Secret', apiVersion: 'v1', metadata: { name: 's' }, type: 'Opaque', immutable: false,
      data: { bin: Buffer.from([0, 1, 2, 255]).toString('base64'), empty: '', pw: Buffer.from('hunter2').toString('base64') },
    },
    configmap: {
      kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' },
      data: { 'app.properties': 'a=1\nb=2\n', empty: '' }, binaryData: { blob: Buffer.from('xyz').toString('base64') },
    },
    job: {
      kind: 'Job', apiVersion: 'batch/v1', metadata: { name: 'pi' },
      spec: {
        parallelism: 2, completions: 4, backoffLimit: 0, activeDeadlineSeconds: 100, ttlSecondsAfterFinished: 60,
        template: { metadata: {}, spec: { containers: [{ name: 'pi', image: 'perl', command: ['perl', '-e', 'print 1'], resources: {} }], restartPolicy: 'Never' } },
      },
      status: {},
    },
    cronjob: {
      kind: 'CronJob', apiVersion: 'batch/v1', metadata: { name: 'cj' },
      spec: {
        schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid', suspend: false, successfulJobsHistoryLimit: 3,
        jobTemplate: { metadata: { name: 'cj' }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'busybox', args: ['date'], resources: {} }], restartPolicy: 'OnFailure' } } } },
      },
      status: {},
    },
    pod: {
      kind: 'Pod', apiVersion: 'v1',
      metadata: { name: 'p', deletionTimestamp: '2025-01-02T03:04:05Z', deletionGracePeriodSeconds: 30 },
      spec: {
        containers: [{ name: 'c', image: 'busybox', stdin: true, tty: true, resources: {}, securityContext: { privileged: true, runAsUser: 0 } }],
        hostNetwork: true, dnsPolicy: 'ClusterFirst', nodeName: 'node1',
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 10 }],
      },
      status: { phase: 'Running', podIP: '10.1.0.4', podIPs: [{ ip: '10.1.0.4' }], startTime: '2025-01-02T03:00:00Z' },
    },
    serviceaccount: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'sa' }, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'reg' }] },
  };
  for (const [name, obj] of Object.entries(cases)) {
    it(name, () => {
      const decoded = decodeKubernetesProtobuf(encodeKubernetesProtobuf(obj));
      // Go's json.Marshal leaves omitempty zero values out: empty strings in maps stay, `immutable: false` (a pointer) stays
      expect(decoded).toEqual(obj);
    });
  }
  it('event with MicroTime and involvedObject', () => {
    const ev = {
      kind: 'Event', apiVersion: 'v1', metadata: { name: 'e1', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u', apiVersion: 'v1' },
      reason: 'Started', message: 'ok', source: { component: 'kubelet' }, count: 1, type: 'Normal',
      eventTime: '2025-01-02T03:04:05.123456Z', reportingComponent: 'kubelet', reportingInstance: 'node1',
    };
    expect(decodeKubernetesProtobuf(encodeKubernetesProtobuf(ev))).toEqual(ev);
  });
});

describe('decodeKubernetesProtobuf: details', () => {
  it('omits omitempty zero scalars that Go writes, keeps non-omitempty ones', () => {
    const body = encodeKubernetesProtobuf({ kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: { name: 'zero' }, value: 0 });
    expect(decodeKubernetesProtobuf(body)).toEqual({ kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: { name: 'zero' }, value: 0 });
  });
  it('skips unknown fields of every wire type', () => {
    const W = protobuf.Writer;
    const ns = W.create()
      .uint32(10).bytes(W.create().uint32(10).string('n').finish())
      .uint32((90 << 3) | 0).uint64(12345)
      .uint32((91 << 3) | 1).fixed64(7)
      .uint32((92 << 3) | 2).string('junk')
      .uint32((93 << 3) | 5).fixed32(9)
      .finish();
    const tm = W.create().uint32(10).string('v1').uint32(18).string('Namespace').finish();
    const u = W.create().uint32(10).bytes(tm).uint32(18).bytes(ns).uint32((77 << 3) | 0).int32(1).finish();
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(u)]);
    expect(decodeKubernetesProtobuf(body)).toEqual({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'n' }, spec: {}, status: {} });
  });
  it('formats Go durations', () => {
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(3600e9)).toBe('1h0m0s');
    expect(formatGoDuration(90e9)).toBe('1m30s');
    expect(formatGoDuration(1.5e9)).toBe('1.5s');
    expect(formatGoDuration(2e6)).toBe('2ms');
  });
  it('knows the messages the brief asks for', () => {
    for (const m of ['core.v1.Namespace', 'core.v1.ConfigMap', 'core.v1.Secret', 'core.v1.Service', 'core.v1.ServiceSpec', 'core.v1.ServicePort',
      'core.v1.ServiceAccount', 'apps.v1.Deployment', 'apps.v1.DeploymentSpec', 'apps.v1.DeploymentStrategy', 'batch.v1.Job', 'batch.v1.JobSpec',
      'batch.v1.CronJob', 'batch.v1.CronJobSpec', 'batch.v1.JobTemplateSpec', 'core.v1.Pod', 'core.v1.PodTemplateSpec', 'core.v1.PodSpec',
      'core.v1.Container', 'core.v1.ContainerPort', 'core.v1.EnvVar', 'core.v1.ResourceRequirements', 'core.v1.VolumeMount', 'core.v1.Volume',
      'core.v1.Probe', 'meta.v1.LabelSelector', 'meta.v1.LabelSelectorRequirement', 'meta.v1.ObjectMeta', 'meta.v1.OwnerReference']) {
      expect(messages().has(m), m).toBe(true);
    }
  });
});

describe('decodeKubernetesProtobuf: malformed input', () => {
  const good = encodeKubernetesProtobuf({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', labels: { a: 'b' } }, data: { k: 'v' } });
  it('bad magic', () => {
    const e = expectBadRequest(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Pod"}')));
    expect(e.message).toContain('expected prefix [107 56 115 0]');
    expectBadRequest(() => decodeKubernetesProtobuf(Buffer.alloc(0)));
    expectBadRequest(() => decodeKubernetesProtobuf(Buffer.from('k8s')));
  });
  it('truncated bodies', () => {
    // every cut inside typeMeta or inside raw is malformed (cuts between the envelope's fields are valid protobuf)
    const tmEnd = 4 + 2 + good[5];
    for (let n = 5; n < tmEnd; n++) expectBadRequest(() => decodeKubernetesProtobuf(good.subarray(0, n)));
    for (let n = tmEnd + 1; n < good.length - 4; n++) expectBadRequest(() => decodeKubernetesProtobuf(good.subarray(0, n)));
  });
  it('truncated varint', () => {
    expectBadRequest(() => decodeKubernetesProtobuf(Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x08, 0xff, 0xff])])));
  });
  it('wrong wire type for a known field', () => {
    // ObjectMeta.name (1) as a varint
    const W = protobuf.Writer;
    const ns = W.create().uint32(10).bytes(W.create().uint32(8).int32(5).finish()).finish();
    const tm = W.create().uint32(10).string('v1').uint32(18).string('Namespace').finish();
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(W.create().uint32(10).bytes(tm).uint32(18).bytes(ns).finish())]);
    const e = expectBadRequest(() => decodeKubernetesProtobuf(body));
    expect(e.message).toMatch(/wrong wire type/);
  });
  it('missing or unknown kind', () => {
    const W = protobuf.Writer;
    const mk = (apiVersion: string, kind: string) => Buffer.concat([Buffer.from('k8s\0', 'latin1'),
      Buffer.from(W.create().uint32(10).bytes(W.create().uint32(10).string(apiVersion).uint32(18).string(kind).finish()).finish())]);
    expect(expectBadRequest(() => decodeKubernetesProtobuf(mk('v1', ''))).message).toMatch(/Kind' is missing/);
    expect(expectBadRequest(() => decodeKubernetesProtobuf(mk('v1', 'Nope'))).message).toMatch(/no kind "Nope" is registered for version "v1"/);
  });
  it('random bytes never throw anything but a BadRequest StatusError', () => {
    let seed = 12345;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    for (let i = 0; i < 3000; i++) {
      const len = rnd() % 200;
      const bytes = Buffer.alloc(len);
      for (let j = 0; j < len; j++) bytes[j] = rnd() & 0xff;
      const withMagic = i % 2 === 0 ? Buffer.concat([Buffer.from('k8s\0', 'latin1'), bytes]) : bytes;
      try { decodeKubernetesProtobuf(withMagic); } catch (e) {
        expect(e).toBeInstanceOf(StatusError);
        expect((e as StatusError).code).toBe(400);
      }
    }
  });
  it('mutated valid bodies never throw anything but a BadRequest StatusError', () => {
    let seed = 777;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    const bodies = fs.readdirSync(fixtures).filter((f) => f.endsWith('.pb.hex'))
      .map((f) => hexBody(fs.readFileSync(path.join(fixtures, f), 'utf8')));
    for (let i = 0; i < 4000; i++) {
      const b = Buffer.from(bodies[i % bodies.length]);
      const flips = 1 + (rnd() % 4);
      for (let k = 0; k < flips; k++) b[4 + (rnd() % (b.length - 4))] = rnd() & 0xff;
      try { decodeKubernetesProtobuf(b); } catch (e) {
        expect(e).toBeInstanceOf(StatusError);
        expect((e as StatusError).code).toBe(400);
      }
    }
  });
});
