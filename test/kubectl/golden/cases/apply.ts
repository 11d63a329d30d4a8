/**
 * Declarative updates: apply (client-side and server-side), patch and edit, as golden cases.
 * `then` checks compare the resulting objects (real kubectl reads both clusters).
 */
import { kubiaManualPod, kubiaRc } from '../../../sandbox/kubectl/manifests.js';
import type { GoldenCase } from './types.js';

const pod = (image = 'luksa/kubia', labels = 'app: kubia-apply', extraPort = '') => `apiVersion: v1
kind: Pod
metadata:
  name: kubia
  labels:
    ${labels}
spec:
  containers:
  - image: ${image}
    name: kubia
    ports:
    - containerPort: 8080
      protocol: TCP
${extraPort}`;

const deploy = (image = 'luksa/kubia:v1', replicas = 3, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: kubia
  template:
    metadata:
      name: kubia
      labels:
        app: kubia
    spec:
      containers:
      - image: ${image}
        name: nodejs
${extra}`;

const svc = `apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app: kubia
`;

const rc = kubiaRc('kubia', 3);
const getYaml = (what: string) => `get ${what} -o yaml`;
const editor = (from: string, to: string) => ({ KUBE_EDITOR: `sed -i 's/${from}/${to}/'` });

export const APPLY_CASES: GoldenCase[] = [
  // ---- client-side apply
  { cmd: 'apply -f kubia.yaml', files: { 'kubia.yaml': pod() }, then: [getYaml('po kubia')] },
  { cmd: 'apply -f kubia.yaml', files: { 'kubia.yaml': pod() }, setup: ['apply -f kubia.yaml'], then: [getYaml('po kubia')] },
  {
    cmd: 'apply -f kubia-v2.yaml',
    files: { 'kubia.yaml': pod(), 'kubia-v2.yaml': pod('luksa/kubia:v2', 'app: kubia-apply\n    tier: web') },
    setup: ['apply -f kubia.yaml'],
    then: [getYaml('po kubia')],
  },
  {
    cmd: 'apply -f kubia-v1.yaml',
    files: { 'kubia-v1.yaml': pod(), 'kubia-v2.yaml': pod('luksa/kubia:v2', 'app: kubia-apply\n    tier: web') },
    setup: ['apply -f kubia-v2.yaml'],
    then: ['get po kubia --show-labels', getYaml('po kubia')],
  },
  // a change the API server refuses (pod ports cannot be updated)
  {
    cmd: 'apply -f kubia-ports.yaml',
    files: { 'kubia.yaml': pod(), 'kubia-ports.yaml': pod().replace('containerPort: 8080', 'containerPort: 8081') },
    setup: ['apply -f kubia.yaml'],
  },
  // created without apply: the warning, then the annotation is added
  { cmd: 'apply -f kubia-rc.yaml', files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'], then: [getYaml('rc kubia')] },
  { cmd: 'apply -f kubia-rc.yaml', files: { 'kubia-rc.yaml': kubiaRc('kubia', 5) }, setup: ['create -f kubia-rc.yaml', 'scale rc kubia --replicas=2'], then: ['get rc kubia'] },
  // deployments: rolling update by apply, and scale by apply
  {
    cmd: 'apply -f kubia-deployment-v2.yaml',
    files: { 'kubia-deployment-v1.yaml': deploy(), 'kubia-deployment-v2.yaml': deploy('luksa/kubia:v2') },
    setup: ['apply -f kubia-deployment-v1.yaml'],
    advance: 30_000,
    then: [getYaml('deploy kubia')],
  },
  {
    cmd: 'apply -f kubia-deployment.yaml',
    files: { 'kubia-deployment.yaml': deploy('luksa/kubia:v1', 3, '      - image: busybox\n        name: sidecar\n') },
    setup: ['create deployment kubia --image=luksa/kubia:v1 --replicas=2'],
    then: ['get deploy kubia -o jsonpath={.spec.template.spec.containers[*].name}'],
  },
  // a file with several objects, and a directory
  { cmd: 'apply -f all.yaml', files: { 'all.yaml': `${deploy()}---\n${svc}` }, then: ['get deploy,svc kubia'] },
  { cmd: 'apply -f manifests', files: { 'manifests/a-deploy.yaml': deploy(), 'manifests/b-svc.yaml': svc }, then: ['get deploy,svc kubia'] },
  { cmd: 'apply -f manifests', files: { 'manifests/a-deploy.yaml': deploy(), 'manifests/b-svc.yaml': svc }, setup: ['apply -f manifests/b-svc.yaml'] },
  { cmd: 'apply -f -', stdin: kubiaManualPod(), then: ['get po kubia-manual --show-labels'] },
  // output and dry runs
  { cmd: 'apply -f kubia.yaml -o name', files: { 'kubia.yaml': pod() } },
  { cmd: 'apply -f kubia.yaml -o yaml', files: { 'kubia.yaml': pod() } },
  { cmd: 'apply -f kubia-v2.yaml -o json', files: { 'kubia.yaml': pod(), 'kubia-v2.yaml': pod('luksa/kubia:v2') }, setup: ['apply -f kubia.yaml'] },
  { cmd: 'apply -f kubia.yaml --dry-run=client', files: { 'kubia.yaml': pod() }, then: ['get po'] },
  { cmd: 'apply -f kubia.yaml --dry-run=server', files: { 'kubia.yaml': pod() }, then: ['get po'] },
  { cmd: 'apply -f kubia-v2.yaml --dry-run=client -o yaml', files: { 'kubia.yaml': pod(), 'kubia-v2.yaml': pod('luksa/kubia:v2') }, setup: ['apply -f kubia.yaml'] },
  { cmd: 'apply -f kubia-v2.yaml --dry-run=server', files: { 'kubia.yaml': pod(), 'kubia-v2.yaml': pod('luksa/kubia:v2') }, setup: ['apply -f kubia.yaml'], then: [getYaml('po kubia')] },
  // errors
  { cmd: 'apply' },
  { cmd: 'apply -f nope.yaml' },
  { cmd: 'apply kubia.yaml' },
  { cmd: 'apply -f kubia.yaml -o wide', files: { 'kubia.yaml': pod() } },
  { cmd: 'apply -f kubia.yaml --dry-run=maybe', files: { 'kubia.yaml': pod() } },
  { cmd: 'apply -f kubia.yaml --force-conflicts', files: { 'kubia.yaml': pod() } },
  { cmd: 'apply -f kubia.yaml --validate=sometimes', files: { 'kubia.yaml': pod() } },
  { cmd: 'apply -f bad.yaml', files: { 'bad.yaml': pod().replace('  containers:', '  foo: bar\n  containers:') } },
  { cmd: 'apply -f bad.yaml --validate=false', files: { 'bad.yaml': pod().replace('  containers:', '  foo: bar\n  containers:') }, then: ['get po kubia'] },
  {
    cmd: 'apply -f bad.yaml',
    files: { 'kubia.yaml': pod(), 'bad.yaml': pod().replace('  containers:', '  foo: bar\n  containers:') },
    setup: ['apply -f kubia.yaml'],
  },
  { cmd: 'apply -f invalid.yaml', files: { 'invalid.yaml': pod().replace('name: kubia\n  labels', 'name: Kubia_1\n  labels') } },
  { cmd: 'apply -f nokind.yaml', files: { 'nokind.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n' } },
  // ---- server-side apply
  { cmd: 'apply -f kubia.yaml --server-side', files: { 'kubia.yaml': pod() }, then: ['get po kubia --show-labels'] },
  { cmd: 'apply -f kubia-v2.yaml --server-side', files: { 'kubia.yaml': pod(), 'kubia-v2.yaml': pod('luksa/kubia:v2') }, setup: ['apply -f kubia.yaml --server-side'], then: [getYaml('po kubia')] },
  { cmd: 'apply -f kubia-v2.yaml --server-side', files: { 'kubia.yaml': pod(), 'kubia-v2.yaml': pod('luksa/kubia:v2') }, setup: ['apply -f kubia.yaml'], then: [getYaml('po kubia'), 'get po kubia -o jsonpath={.metadata.managedFields[*].manager}'] },
  { cmd: 'apply -f kubia-deployment.yaml --server-side --field-manager=other', files: { 'kubia-deployment.yaml': deploy('luksa/kubia:v1', 5) }, setup: ['apply -f kubia-deployment.yaml --server-side'] },
  {
    cmd: 'apply -f kubia-deployment-5.yaml --server-side --field-manager=other',
    files: { 'kubia-deployment.yaml': deploy(), 'kubia-deployment-5.yaml': deploy('luksa/kubia:v1', 5) },
    setup: ['apply -f kubia-deployment.yaml --server-side'],
    then: ['get deploy kubia -o jsonpath={.spec.replicas}'],
  },
  {
    cmd: 'apply -f kubia-deployment-5.yaml --server-side --field-manager=other --force-conflicts',
    files: { 'kubia-deployment.yaml': deploy(), 'kubia-deployment-5.yaml': deploy('luksa/kubia:v1', 5) },
    setup: ['apply -f kubia-deployment.yaml --server-side'],
    then: ['get deploy kubia -o jsonpath={.spec.replicas}'],
  },
  { cmd: 'apply -f kubia.yaml --server-side --dry-run=server -o yaml', files: { 'kubia.yaml': pod() } },
  { cmd: 'apply -f kubia.yaml --server-side --dry-run=client', files: { 'kubia.yaml': pod() } },
  // ---- apply view-last-applied
  { cmd: 'apply view-last-applied po kubia', files: { 'kubia.yaml': pod() }, setup: ['apply -f kubia.yaml'] },
  { cmd: 'apply view-last-applied po/kubia -o json', files: { 'kubia.yaml': pod() }, setup: ['apply -f kubia.yaml'] },
  { cmd: 'apply view-last-applied rc kubia', files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'apply view-last-applied po nope' },
  { cmd: 'apply view-last-applied' },

  // ---- patch
  { cmd: `patch deploy kubia -p '{"spec":{"replicas":3}}'`, setup: ['create deployment kubia --image=luksa/kubia:v1'], then: ['get deploy kubia -o jsonpath={.spec.replicas}'] },
  { cmd: `patch deploy kubia -p '{"spec":{"replicas":1}}'`, setup: ['create deployment kubia --image=luksa/kubia:v1'] },
  { cmd: `patch deployment/kubia -p 'spec: {replicas: 2}'`, setup: ['create deployment kubia --image=luksa/kubia:v1'], then: ['get deploy kubia -o jsonpath={.spec.replicas}'] },
  {
    cmd: `patch deploy kubia -p '{"spec":{"template":{"spec":{"containers":[{"name":"kubia","image":"luksa/kubia:v2"}]}}}}'`,
    setup: ['create deployment kubia --image=luksa/kubia:v1'],
    then: ['get deploy kubia -o jsonpath={.spec.template.spec.containers[*].image}'],
  },
  { cmd: `patch deploy kubia --type=json -p '[{"op":"replace","path":"/spec/replicas","value":2}]'`, setup: ['create deployment kubia --image=luksa/kubia:v1'], then: ['get deploy kubia -o jsonpath={.spec.replicas}'] },
  { cmd: `patch deploy kubia --type=merge -p '{"metadata":{"labels":{"env":"test"}}}'`, setup: ['create deployment kubia --image=luksa/kubia:v1'], then: ['get deploy kubia --show-labels'] },
  { cmd: `patch deploy kubia -p '{"spec":{"replicas":4}}' -o name`, setup: ['create deployment kubia --image=luksa/kubia:v1'] },
  { cmd: `patch deploy kubia -p '{"spec":{"replicas":4}}' --dry-run=server`, setup: ['create deployment kubia --image=luksa/kubia:v1'], then: ['get deploy kubia -o jsonpath={.spec.replicas}'] },
  { cmd: `patch deploy kubia -p '{"spec":{"replicas":4}}' --dry-run=client -o jsonpath={.spec.replicas}`, setup: ['create deployment kubia --image=luksa/kubia:v1'] },
  { cmd: `patch po kubia-manual -p '{"metadata":{"labels":{"env":"debug"}}}'`, files: { 'm.yaml': kubiaManualPod() }, setup: ['create -f m.yaml'], then: ['get po kubia-manual --show-labels'] },
  { cmd: `patch svc kubia -p '{"spec":{"type":"NodePort"}}'`, files: { 'svc.yaml': svc }, setup: ['create -f svc.yaml'], then: ['get svc kubia -o jsonpath={.spec.type}'] },
  { cmd: `patch deploy kubia -p '{"spec":{"foo":1}}'`, setup: ['create deployment kubia --image=luksa/kubia:v1'] },
  // errors
  { cmd: 'patch deploy kubia', setup: ['create deployment kubia --image=luksa/kubia:v1'] },
  { cmd: `patch deploy kubia -p '{bad'`, setup: ['create deployment kubia --image=luksa/kubia:v1'] },
  { cmd: `patch deploy nope -p '{"spec":{"replicas":3}}'` },
  { cmd: `patch deploy -p '{}'` },
  { cmd: `patch -p '{}'` },
  { cmd: `patch deploy kubia --type=foo -p '{}'`, setup: ['create deployment kubia --image=luksa/kubia:v1'] },
  { cmd: `patch deploy kubia -p '{}' --patch-file p.json`, setup: ['create deployment kubia --image=luksa/kubia:v1'] },
  { cmd: 'patch deploy kubia --patch-file nope.json', setup: ['create deployment kubia --image=luksa/kubia:v1'] },
  { cmd: 'patch deploy kubia --patch-file p.yaml', files: { 'p.yaml': 'spec:\n  replicas: 2\n' }, setup: ['create deployment kubia --image=luksa/kubia:v1'], then: ['get deploy kubia -o jsonpath={.spec.replicas}'] },
  { cmd: `patch deploy/kubia -p '{"spec":{"replicas":"x"}}'`, setup: ['create deployment kubia --image=luksa/kubia:v1'] },

  // ---- edit (a scripted editor)
  { cmd: 'edit rc kubia', env: editor('replicas: 3', 'replicas: 5'), files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'], then: ['get rc kubia -o jsonpath={.spec.replicas}'] },
  { cmd: 'edit rc/kubia', env: editor('replicas: 3', 'replicas: 3'), files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'edit rc kubia -o json', env: editor('"replicas": 3', '"replicas": 4'), files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'], then: ['get rc kubia -o jsonpath={.spec.replicas}'] },
  { cmd: 'edit rc kubia', env: { KUBE_EDITOR: 'cat' }, files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'edit rc kubia', env: editor('replicas: 3', 'replicas: -1'), files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'edit rc kubia', env: editor('name: kubia$', 'name: other'), files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'edit svc kubia', env: editor('port: 80', 'port: 8000'), files: { 'svc.yaml': svc }, setup: ['create -f svc.yaml'], then: ['get svc kubia -o jsonpath={.spec.ports[*].port}'] },
  { cmd: 'edit deploy kubia', env: editor('luksa\\/kubia:v1', 'luksa\\/kubia:v2'), setup: ['create deployment kubia --image=luksa/kubia:v1'], then: ['get deploy kubia -o jsonpath={.spec.template.spec.containers[*].image}'] },
  { cmd: 'edit rc kubia', env: { KUBE_EDITOR: 'false' }, files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'edit rc kubia', env: { KUBE_EDITOR: 'no-such-editor' }, files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'edit rc nope', env: { KUBE_EDITOR: 'cat' } },
  { cmd: 'edit', env: { KUBE_EDITOR: 'cat' } },
];
