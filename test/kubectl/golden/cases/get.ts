/**
 * The notes' commands (Kubernetes in Action ch. 1–5 plus the Deployment intro), in modern form,
 * as golden cases: real kubectl and ours must print the same thing. Every case brings its own
 * objects (setup runs with real kubectl on both clusters), so cases do not depend on each other.
 *
 * `files` are written into the working directory of both kubectls; names may be reused by cases
 * since each case writes its files before its setup.
 */
import { batchCronJob, batchJob, kubiaManualPod, kubiaRc, kubiaRs, kubiaSvc, ssdMonitorDs } from '../../../sandbox/kubectl/manifests.js';

import type { GoldenCase } from './types.js';

const rc = kubiaRc('kubia', 3);
const liveness = `apiVersion: v1
kind: Pod
metadata:
  name: kubia-liveness
spec:
  containers:
  - image: luksa/kubia-unhealthy
    name: kubia
    livenessProbe:
      httpGet:
        path: /
        port: 8080
`;

export const GET_CASES: GoldenCase[] = [
  // ch. 2: first steps
  { cmd: 'get nodes' },
  { cmd: 'get no -o wide' },
  { cmd: 'get node --show-labels' },
  { cmd: 'get pods' },
  { cmd: 'get po', setup: ['run kubia --image=luksa/kubia --port=8080'], advance: 30_000 },
  { cmd: 'get pods -o wide', setup: ['run kubia --image=luksa/kubia --port=8080'], advance: 30_000 },
  { cmd: 'get rc', files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'], advance: 30_000 },
  { cmd: 'get replicationcontrollers', files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'], advance: 30_000 },
  { cmd: 'get po --show-labels', files: { 'kubia-rc.yaml': rc }, setup: ['create -f kubia-rc.yaml'], advance: 30_000 },
  { cmd: 'get svc' },
  { cmd: 'get services', setup: ['create deployment kubia --image=luksa/kubia --port=8080', 'expose deployment kubia --type=LoadBalancer --name kubia-http --port=8080'], advance: 30_000 },
  { cmd: 'get svc kubia-http', setup: ['create deployment kubia --image=luksa/kubia --port=8080', 'expose deployment kubia --type=LoadBalancer --name kubia-http --port=8080'], advance: 30_000 },
  { cmd: 'get deploy', setup: ['create deployment kubia --image=luksa/kubia --port=8080'], advance: 30_000 },
  { cmd: 'get rs', setup: ['create deployment kubia --image=luksa/kubia --port=8080'], advance: 30_000 },
  { cmd: 'get po,svc', setup: ['create deployment kubia --image=luksa/kubia --port=8080', 'expose deployment kubia --port=80 --target-port=8080'], advance: 30_000 },
  { cmd: 'get all', setup: ['create deployment kubia --image=luksa/kubia --port=8080'], advance: 30_000 },
  // ch. 3: pods
  { cmd: 'get po kubia-manual -o yaml', files: { 'kubia-manual.yaml': kubiaManualPod() }, setup: ['create -f kubia-manual.yaml'], advance: 30_000 },
  { cmd: 'get po kubia-manual -o json', files: { 'kubia-manual.yaml': kubiaManualPod() }, setup: ['create -f kubia-manual.yaml'], advance: 30_000 },
  { cmd: 'get po -o name', files: { 'kubia-manual.yaml': kubiaManualPod() }, setup: ['create -f kubia-manual.yaml'], advance: 30_000 },
  { cmd: 'get po -L creation_method,env', files: { 'm.yaml': kubiaManualPod('kubia-manual-v2', { creation_method: 'manual', env: 'prod' }) }, setup: ['create -f m.yaml'], advance: 30_000 },
  { cmd: 'get po -l creation_method=manual', files: { 'm.yaml': kubiaManualPod('kubia-manual-v2', { creation_method: 'manual', env: 'prod' }) }, setup: ['create -f m.yaml'] },
  { cmd: 'get po -l env', files: { 'm.yaml': kubiaManualPod('kubia-manual-v2', { creation_method: 'manual', env: 'prod' }) }, setup: ['create -f m.yaml'] },
  { cmd: "get po -l '!env'", files: { 'm.yaml': kubiaManualPod('kubia-manual-v2', { creation_method: 'manual', env: 'prod' }) }, setup: ['create -f m.yaml'] },
  { cmd: 'get po -l creation_method!=manual' },
  { cmd: "get po -l 'env in (prod,devel)'", files: { 'm.yaml': kubiaManualPod('kubia-manual-v2', { creation_method: 'manual', env: 'prod' }) }, setup: ['create -f m.yaml'] },
  { cmd: 'get ns' },
  { cmd: 'get po --namespace kube-system' },
  { cmd: 'get po -A' },
  { cmd: 'get po --all-namespaces -o wide' },
  { cmd: 'get po kubia-liveness', files: { 'l.yaml': liveness }, setup: ['create -f l.yaml'], advance: 60_000 },
  { cmd: 'get po nosuchpod' },
  { cmd: 'get po nosuchpod --ignore-not-found' },
  { cmd: 'get pdos' },
  { cmd: 'get' },
  { cmd: 'get po --all-namespace' },
  // ch. 4: replication and friends
  { cmd: 'get rs', files: { 'rs.yaml': kubiaRs() }, setup: ['create -f rs.yaml'], advance: 30_000 },
  { cmd: 'get ds', files: { 'ds.yaml': ssdMonitorDs() }, setup: ['create -f ds.yaml'], advance: 30_000 },
  { cmd: 'get jobs', files: { 'job.yaml': batchJob() }, setup: ['create -f job.yaml'], advance: 30_000 },
  { cmd: 'get cronjobs', files: { 'cj.yaml': batchCronJob() }, setup: ['create -f cj.yaml'] },
  { cmd: 'get cj -o wide', files: { 'cj.yaml': batchCronJob() }, setup: ['create -f cj.yaml'] },
  // ch. 5: services
  { cmd: 'get endpoints kubia', files: { 'rc.yaml': rc, 'svc.yaml': kubiaSvc() }, setup: ['create -f rc.yaml', 'create -f svc.yaml'], advance: 30_000 },
  { cmd: 'get ep', files: { 'rc.yaml': rc, 'svc.yaml': kubiaSvc() }, setup: ['create -f rc.yaml', 'create -f svc.yaml'], advance: 30_000 },
  { cmd: 'get endpointslices -l kubernetes.io/service-name=kubia', files: { 'rc.yaml': rc, 'svc.yaml': kubiaSvc() }, setup: ['create -f rc.yaml', 'create -f svc.yaml'], advance: 30_000 },
  { cmd: 'get svc kubia -o jsonpath={.spec.clusterIP}', files: { 'svc.yaml': kubiaSvc() }, setup: ['create -f svc.yaml'] },
  { cmd: "get po -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image", files: { 'rc.yaml': rc }, setup: ['create -f rc.yaml'], advance: 30_000 },
  { cmd: 'get po --sort-by=.metadata.name', files: { 'rc.yaml': rc }, setup: ['create -f rc.yaml'], advance: 30_000 },
  { cmd: 'get events --sort-by=.lastTimestamp', files: { 'kubia-manual.yaml': kubiaManualPod() }, setup: ['create -f kubia-manual.yaml'], advance: 30_000 },
  { cmd: 'get po --no-headers', files: { 'rc.yaml': rc }, setup: ['create -f rc.yaml'], advance: 30_000 },
];
