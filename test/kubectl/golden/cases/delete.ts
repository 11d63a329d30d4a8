/**
 * Removing objects: `delete` by name, TYPE/NAME, label, --all, -f, namespaces, cascade modes, dry
 * runs and the argument errors, as golden cases.
 *
 * kubectl waits until deleted objects are gone, and the golden sandboxes' clock only moves between
 * commands: a running pod's 30 s grace period never ends during the command (real kubectl would hang
 * until the harness kills it). So the pods deleted here stay Pending (a node selector no node
 * matches, like the book's kubia-gpu), or the cases pass --wait=false / --grace-period=0 --force.
 */
import { kubiaManualPod, kubiaRc, kubiaRs } from '../../../sandbox/kubectl/manifests.js';
import type { GoldenCase } from './types.js';

/** a pod no node can run (no node has gpu=true): it stays Pending, so deleting it is immediate */
const pendingPod = (name: string, labels: Record<string, string> = {}) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${Object.keys(labels).length ? `  labels:\n${Object.entries(labels).map(([k, v]) => `    ${k}: ${v}\n`).join('')}` : ''}spec:
  nodeSelector:
    gpu: "true"
  containers:
  - image: luksa/kubia
    name: kubia
`;

const pendingRc = `apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 2
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      nodeSelector:
        gpu: "true"
      containers:
      - name: kubia
        image: luksa/kubia
`;

const pods = {
  'gpu.yaml': pendingPod('kubia-gpu'),
  'manual.yaml': pendingPod('kubia-manual', { creation_method: 'manual' }),
  'manual-v2.yaml': pendingPod('kubia-manual-v2', { creation_method: 'manual', env: 'debug' }),
};
const podSetup = ['create -f gpu.yaml', 'create -f manual.yaml', 'create -f manual-v2.yaml'];
const customNs = `apiVersion: v1
kind: Namespace
metadata:
  name: custom-namespace
`;

export const DELETE_CASES: GoldenCase[] = [
  // by name
  { cmd: 'delete po kubia-gpu', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete pod/kubia-gpu pod/kubia-manual', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete po kubia-gpu kubia-manual nosuch', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete po nosuch' },
  { cmd: 'delete po nosuch --ignore-not-found' },
  { cmd: 'delete po kubia-gpu -o name', files: pods, setup: podSetup },
  { cmd: 'delete po kubia-gpu --dry-run=client', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete po kubia-gpu --dry-run=server', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete po kubia-gpu --now', files: pods, setup: podSetup },
  { cmd: 'delete po kubia-gpu --grace-period=0 --force', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete po kubia-manual --wait=false', files: { 'm.yaml': kubiaManualPod() }, setup: ['create -f m.yaml'], advance: 30_000, advanceAfter: 40_000, then: ['get po -o name'] },
  { cmd: 'delete po kubia-manual --grace-period=0 --force', files: { 'm.yaml': kubiaManualPod() }, setup: ['create -f m.yaml'], advance: 30_000, then: ['get po -o name'] },
  // by label, --all, field selector
  { cmd: 'delete po -l creation_method=manual', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete po -l env', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete po -l creation_method=nobody', files: pods, setup: podSetup },
  { cmd: 'delete po --all', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete po --all' },
  { cmd: 'delete po --field-selector=metadata.name=kubia-gpu', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete po --all -A --dry-run=client', files: pods, setup: podSetup },
  { cmd: 'delete all --all', files: { ...pods, 'rc.yaml': pendingRc }, setup: [...podSetup, 'create -f rc.yaml'], then: ['get all -o name'] },
  { cmd: 'delete all -l app=kubia', files: { 'rc.yaml': pendingRc }, setup: ['create -f rc.yaml'], then: ['get rc,po -o name'] },
  // -f
  { cmd: 'delete -f gpu.yaml', files: pods, setup: podSetup, then: ['get po -o name'] },
  { cmd: 'delete -f gpu.yaml -f manual.yaml', files: pods, setup: podSetup },
  { cmd: 'delete -f gpu.yaml', files: pods },
  { cmd: 'delete -f gpu.yaml --ignore-not-found', files: pods },
  { cmd: 'delete -f nosuch.yaml' },
  // namespaces
  { cmd: 'delete ns custom-namespace', setup: ['create namespace custom-namespace'], then: ['get ns custom-namespace'] },
  { cmd: 'delete ns custom-namespace', files: { 'gpu.yaml': pendingPod('kubia-gpu') }, setup: ['create namespace custom-namespace', 'create -f gpu.yaml -n custom-namespace'], then: ['get ns custom-namespace', 'get po -n custom-namespace'] },
  { cmd: 'delete -f custom-namespace.yaml', files: { 'custom-namespace.yaml': customNs }, setup: ['create -f custom-namespace.yaml'] },
  { cmd: 'delete ns nosuch' },
  { cmd: 'delete node nosuch -n default' },
  // controllers and cascade
  { cmd: 'delete rc kubia', files: { 'rc.yaml': kubiaRc('kubia', 3) }, setup: ['create -f rc.yaml'], advance: 30_000, advanceAfter: 40_000, then: ['get rc,po -o name'] },
  { cmd: 'delete rc kubia --cascade=orphan', files: { 'rc.yaml': kubiaRc('kubia', 3) }, setup: ['create -f rc.yaml'], advance: 30_000, advanceAfter: 5_000, then: ['get rc -o name', 'get po -l app=kubia -o jsonpath={.items[*].metadata.ownerReferences}'] },
  { cmd: 'delete rc kubia --cascade=false', files: { 'rc.yaml': kubiaRc('kubia', 3) }, setup: ['create -f rc.yaml'], advance: 30_000, advanceAfter: 5_000, then: ['get rc -o name'] },
  { cmd: 'delete rc kubia --cascade=true', files: { 'rc.yaml': pendingRc }, setup: ['create -f rc.yaml'], then: ['get rc,po -o name'] },
  { cmd: 'delete rc kubia --cascade=foreground', files: { 'rc.yaml': pendingRc }, setup: ['create -f rc.yaml'], then: ['get rc,po -o name'] },
  { cmd: 'delete rs kubia', files: { 'rs.yaml': kubiaRs() }, setup: ['create -f rs.yaml'], advance: 30_000, advanceAfter: 40_000, then: ['get rs,po -o name'] },
  { cmd: 'delete deploy kubia', setup: ['create deployment kubia --image=luksa/kubia'], advance: 30_000, advanceAfter: 40_000, then: ['get deploy,rs,po -o name'] },
  { cmd: 'delete svc,rc kubia', files: { 'rc.yaml': pendingRc }, setup: ['create -f rc.yaml', 'expose rc kubia --port=80 --target-port=8080'], then: ['get svc,rc -o name'] },
  // argument errors
  { cmd: 'delete' },
  { cmd: 'delete po' },
  { cmd: 'delete all' },
  { cmd: 'delete po kubia --all' },
  { cmd: 'delete po --all -l app=kubia' },
  { cmd: 'delete -l app=kubia' },
  { cmd: 'delete po/kubia --all' },
  { cmd: 'delete po kubia -o yaml' },
  { cmd: 'delete po kubia --now --grace-period=5' },
  { cmd: 'delete po kubia --force --grace-period=5' },
  { cmd: 'delete po kubia --cascade=maybe' },
  { cmd: 'delete po kubia --dry-run=maybe' },
  { cmd: 'delete po kubia -A' },
  { cmd: 'delete pdos kubia' },
  { cmd: 'delete po --al' },
];
