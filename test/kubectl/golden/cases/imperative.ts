/**
 * The imperative object commands: label, annotate, scale, expose, run, rollout, set image, set env, set resources,
 * cordon/uncordon, taint and drain — the notes' variants and the error cases. Mutating commands check
 * their effect with `then` (read with real kubectl on both clusters).
 */
import { kubiaDeployment } from '../../../sandbox/e2e/manifests.js';
import { kubiaManualPod, kubiaRc, kubiaRs } from '../../../sandbox/kubectl/manifests.js';
import type { GoldenCase } from './types.js';

const manual = { 'kubia-manual.yaml': kubiaManualPod('kubia-manual', { creation_method: 'manual' }) };
const manualNoLabels = { 'kubia-manual.yaml': kubiaManualPod('kubia-manual') };
const v2 = { 'm.yaml': kubiaManualPod('kubia-manual-v2', { creation_method: 'manual', env: 'prod' }) };
const rc = { 'kubia-rc.yaml': kubiaRc('kubia', 3) };
const rs = { 'kubia-rs.yaml': kubiaRs('kubia') };

const deployV1 = kubiaDeployment();
const deploy = { 'kubia-deployment-v1.yaml': deployV1 };
const createDeploy = ['create -f kubia-deployment-v1.yaml'];
const createManual = ['create -f kubia-manual.yaml'];

const label: GoldenCase[] = [
  { cmd: 'label po kubia-manual creation_method=manual', files: manualNoLabels, setup: createManual, then: ['get po --show-labels'] },
  { cmd: 'label po kubia-manual-v2 env=debug --overwrite', files: v2, setup: ['create -f m.yaml'], then: ['get po -L creation_method,env'] },
  { cmd: 'label po kubia-manual creation_method=other', files: manual, setup: createManual, then: ['get po --show-labels'] },
  { cmd: 'label po kubia-manual creation_method=manual', files: manual, setup: createManual },
  { cmd: 'label po kubia-manual creation_method-', files: manual, setup: createManual, then: ['get po --show-labels'] },
  { cmd: 'label po kubia-manual env-', files: manual, setup: createManual },
  { cmd: 'label po kubia-manual a=1 a-', files: manual, setup: createManual },
  { cmd: 'label po kubia-manual a=b c', files: manual, setup: createManual },
  { cmd: 'label po kubia-manual k=bad@value', files: manual, setup: createManual },
  { cmd: 'label po kubia-manual', files: manual, setup: createManual },
  { cmd: 'label' },
  { cmd: 'label po a=b' },
  { cmd: 'label po nope a=b' },
  { cmd: 'label foo x a=b' },
  { cmd: 'label po kubia-manual -l a=b x=1', files: manual, setup: createManual },
  { cmd: 'label po --all -l a=b x=1' },
  { cmd: 'label po --all tier=web', files: { ...v2, ...manual }, setup: ['create -f m.yaml', 'create -f kubia-manual.yaml'], then: ['get po --show-labels'] },
  { cmd: 'label po -l creation_method=manual env=test --overwrite', files: v2, setup: ['create -f m.yaml'], then: ['get po -L env'] },
  { cmd: 'label po kubia-manual x=1 --dry-run=client', files: manual, setup: createManual, then: ['get po --show-labels'] },
  { cmd: 'label po kubia-manual x=1 --dry-run=server', files: manual, setup: createManual, then: ['get po --show-labels'] },
  { cmd: 'label po kubia-manual x=1 -o name', files: manual, setup: createManual },
  { cmd: "label po kubia-manual x=1 -o jsonpath='{.metadata.labels}'", files: manual, setup: createManual },
  { cmd: 'label po kubia-manual x=1 -o wide', files: manual, setup: createManual, then: ['get po --show-labels'] },
  { cmd: 'label po kubia-manual --list', files: manual, setup: createManual },
  { cmd: 'label po kubia-manual x=1 --resource-version=1', files: manual, setup: createManual },
  { cmd: 'label po --all x=1 --resource-version=1' },
  { cmd: 'label node kube-tutor-worker disk=ssd', then: ['get node -L disk'] },
  { cmd: 'label po/kubia-manual svc/nope creation_method=x', files: manual, setup: createManual },
];

const annotate: GoldenCase[] = [
  { cmd: 'annotate pod kubia-manual mycompany.com/someannotation="foo bar"', files: manual, setup: createManual, then: ["get po kubia-manual -o jsonpath='{.metadata.annotations}'"] },
  { cmd: 'annotate pod kubia-manual mycompany.com/someannotation=baz', files: manual, setup: [...createManual, 'annotate pod kubia-manual mycompany.com/someannotation=foo'] },
  { cmd: 'annotate pod kubia-manual mycompany.com/someannotation=baz --overwrite', files: manual, setup: [...createManual, 'annotate pod kubia-manual mycompany.com/someannotation=foo'], then: ["get po kubia-manual -o jsonpath='{.metadata.annotations}'"] },
  { cmd: 'annotate pod kubia-manual mycompany.com/someannotation-', files: manual, setup: [...createManual, 'annotate pod kubia-manual mycompany.com/someannotation=foo'], then: ["get po kubia-manual -o jsonpath='{.metadata.annotations}'"] },
  { cmd: 'annotate pod kubia-manual a=1 a-', files: manual, setup: createManual },
  { cmd: 'annotate pod kubia-manual', files: manual, setup: createManual },
  { cmd: 'annotate' },
  { cmd: 'annotate pod nope a=b' },
  { cmd: 'annotate pod kubia-manual a=b --dry-run=client', files: manual, setup: createManual },
];

const scale: GoldenCase[] = [
  { cmd: 'scale rc kubia --replicas=5', files: rc, setup: ['create -f kubia-rc.yaml'], advance: 30_000, then: ['get rc kubia'] },
  { cmd: 'scale rc kubia --replicas=1', files: rc, setup: ['create -f kubia-rc.yaml'], advance: 30_000, advanceAfter: 60_000, then: ['get rc kubia'] },
  { cmd: 'scale rs kubia --replicas=2', files: rs, setup: ['create -f kubia-rs.yaml'], advance: 30_000, advanceAfter: 30_000, then: ['get rs kubia'] },
  { cmd: 'scale deploy/kubia --replicas=1', files: deploy, setup: createDeploy, advance: 30_000, advanceAfter: 60_000, then: ['get deploy kubia'] },
  { cmd: 'scale rc kubia', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'scale rc kubia --replicas=-1', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'scale rc kubia --replicas=2 --current-replicas=1', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'scale rc kubia --replicas=2 --current-replicas=3', files: rc, setup: ['create -f kubia-rc.yaml'], then: ['get rc kubia -o jsonpath={.spec.replicas}'] },
  { cmd: 'scale rc kubia --replicas=2 --resource-version=1', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'scale rc kubia --replicas=2 --dry-run=client', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'scale rc kubia --replicas=2 --dry-run=server', files: rc, setup: ['create -f kubia-rc.yaml'], then: ['get rc kubia -o jsonpath={.spec.replicas}'] },
  { cmd: 'scale job batch-job --replicas=2', setup: ['create job batch-job --image=busybox -- sleep 5'] },
  { cmd: 'scale rc nope --replicas=1' },
  { cmd: 'scale rc a b --replicas=1' },
  { cmd: 'scale --replicas=1' },
  { cmd: 'scale rc --replicas=1' },
  { cmd: 'scale rc --all --replicas=2', files: rc, setup: ['create -f kubia-rc.yaml'], then: ['get rc'] },
];

const expose: GoldenCase[] = [
  { cmd: 'expose rc kubia --type=LoadBalancer --name kubia-http', files: rc, setup: ['create -f kubia-rc.yaml'], advance: 30_000, then: ['get svc kubia-http -o jsonpath={.spec.ports}'] },
  { cmd: 'expose deployment kubia --port=80 --target-port=8080', files: deploy, setup: createDeploy, then: ['get svc kubia -o jsonpath={.spec}'] },
  { cmd: 'expose rc kubia --type=LoadBalancer --name kubia-http --dry-run=client -o yaml', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'expose rs kubia --port=80 --target-port=8080 --dry-run=client -o json', files: rs, setup: ['create -f kubia-rs.yaml'] },
  { cmd: 'expose pod kubia-manual --name kubia-manual-svc --type=NodePort --dry-run=client -o yaml', files: manual, setup: createManual },
  { cmd: 'expose pod kubia-manual', files: manualNoLabels, setup: createManual },
  { cmd: 'expose deploy kubia', files: deploy, setup: createDeploy },
  { cmd: 'expose svc kubernetes --name k2' },
  { cmd: 'expose job batch-job --port=80', setup: ['create job batch-job --image=busybox -- sleep 5'] },
  { cmd: 'expose rc nope' },
  { cmd: 'expose rc' },
  { cmd: 'expose' },
  { cmd: 'expose rc kubia --session-affinity=x', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'expose rc kubia --name kubia-http', files: rc, setup: ['create -f kubia-rc.yaml', 'expose rc kubia --name kubia-http'] },
];

const run: GoldenCase[] = [
  { cmd: 'run kubia --image=luksa/kubia --port=8080', advanceAfter: 30_000, then: ['get po --show-labels', 'get po kubia -o jsonpath={.spec}'] },
  { cmd: 'run kubia --image=luksa/kubia --port=8080 --dry-run=client -o yaml' },
  { cmd: 'run kubia --image=luksa/kubia --port=8080 -l app=kubia,tier=web --env=A=1 --restart=Never --image-pull-policy=IfNotPresent --dry-run=client -o json' },
  // (cases with `--` cannot be golden-tested: the harness appends --cache-dir after it)
  { cmd: 'run web --image=nginx --port=80 --expose', then: ['get svc web -o jsonpath={.spec.selector}', 'get po web --show-labels'] },
  { cmd: 'run kubia --image=luksa/kubia --dry-run=server' },
  { cmd: 'run kubia' },
  { cmd: 'run --image=luksa/kubia' },
  { cmd: 'run kubia --image=luksa/kubia --restart=Sometimes' },
  { cmd: 'run kubia --image=luksa/kubia --generator=run/v1' },
  { cmd: 'run kubia --image=luksa/kubia --expose' },
  { cmd: 'run kubia --image=luksa/kubia --rm' },
  { cmd: 'run kubia --image=luksa/kubia -it --dry-run=client' },
  { cmd: 'run kubia --image=luksa/kubia --env=1bad=x' },
  { cmd: 'run Kubia_1 --image=luksa/kubia' },
  { cmd: 'run kubia-manual --image=luksa/kubia', files: manual, setup: createManual },
];

const rollout: GoldenCase[] = [
  { cmd: 'rollout status deployment kubia', files: deploy, setup: createDeploy, advance: 120_000 },
  { cmd: 'rollout status deploy/kubia -w=false', files: deploy, setup: createDeploy, advance: 120_000 },
  { cmd: 'rollout status deploy kubia', files: deploy, setup: [...createDeploy, 'set image deployment kubia nodejs=luksa/kubia:v2'], advance: 120_000 },
  { cmd: 'rollout status deploy kubia --revision=1', files: deploy, setup: [...createDeploy, 'set image deployment kubia nodejs=luksa/kubia:v2'], advance: 120_000 },
  { cmd: 'rollout status rc kubia', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'rollout status deploy nope' },
  { cmd: 'rollout status' },
  { cmd: 'rollout history deployment kubia', files: deploy, setup: [...createDeploy, 'set image deployment kubia nodejs=luksa/kubia:v2'], advance: 120_000 },
  {
    cmd: 'rollout history deploy kubia',
    files: deploy,
    setup: [...createDeploy, 'annotate deploy kubia kubernetes.io/change-cause=first', 'set image deployment kubia nodejs=luksa/kubia:v2', 'annotate deploy kubia kubernetes.io/change-cause=to-v2 --overwrite'],
    advance: 120_000,
  },
  { cmd: 'rollout history deploy kubia --revision=2', files: deploy, setup: [...createDeploy, 'set image deployment kubia nodejs=luksa/kubia:v2'], advance: 120_000 },
  { cmd: 'rollout history deploy kubia --revision=7', files: deploy, setup: createDeploy, advance: 60_000 },
  { cmd: 'rollout history rc kubia', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'rollout undo deployment kubia', files: deploy, setup: [...createDeploy, 'set image deployment kubia nodejs=luksa/kubia:v2'], advance: 120_000, advanceAfter: 120_000, then: ['rollout history deploy kubia', 'get deploy kubia -o jsonpath={.spec.template.spec.containers[0].image}'] },
  { cmd: 'rollout undo deployment kubia --to-revision=1', files: deploy, setup: [...createDeploy, 'set image deployment kubia nodejs=luksa/kubia:v2', 'set image deployment kubia nodejs=luksa/kubia:v3'], advance: 120_000, advanceAfter: 120_000, then: ['rollout history deploy kubia'] },
  { cmd: 'rollout undo deployment kubia --to-revision=5', files: deploy, setup: [...createDeploy, 'set image deployment kubia nodejs=luksa/kubia:v2'], advance: 120_000 },
  { cmd: 'rollout undo deployment kubia', files: deploy, setup: createDeploy, advance: 60_000 },
  { cmd: 'rollout undo deployment kubia --dry-run=client', files: deploy, setup: [...createDeploy, 'set image deployment kubia nodejs=luksa/kubia:v2'], advance: 120_000 },
  { cmd: 'rollout pause deployment kubia', files: deploy, setup: createDeploy, then: ['get deploy kubia -o jsonpath={.spec.paused}'] },
  { cmd: 'rollout pause deployment kubia', files: deploy, setup: [...createDeploy, 'rollout pause deployment kubia'] },
  { cmd: 'rollout resume deployment kubia', files: deploy, setup: [...createDeploy, 'rollout pause deployment kubia'], then: ['get deploy kubia -o jsonpath={.spec.paused}'] },
  { cmd: 'rollout resume deployment kubia', files: deploy, setup: createDeploy },
  { cmd: 'rollout pause rc kubia', files: rc, setup: ['create -f kubia-rc.yaml'] },
  { cmd: 'rollout restart deployment kubia', files: deploy, setup: createDeploy, advance: 60_000, then: ["get deploy kubia -o jsonpath='{.spec.template.metadata.annotations}'"] },
  { cmd: 'rollout restart deployment kubia', files: deploy, setup: [...createDeploy, 'rollout pause deployment kubia'] },
  { cmd: 'rollout restart rc/kubia', files: rc, setup: ['create -f kubia-rc.yaml'] },
];

const setImage: GoldenCase[] = [
  { cmd: 'set image deployment kubia nodejs=luksa/kubia:v2', files: deploy, setup: createDeploy, advance: 60_000, advanceAfter: 120_000, then: ['rollout history deploy kubia', 'get rs -o jsonpath={.items[*].spec.template.spec.containers[0].image}'] },
  { cmd: 'set image deploy/kubia nodejs=luksa/kubia:v1', files: deploy, setup: createDeploy },
  { cmd: 'set image deploy/kubia foo=bar', files: deploy, setup: createDeploy },
  { cmd: 'set image deploy/kubia', files: deploy, setup: createDeploy },
  { cmd: 'set image' },
  { cmd: 'set image deploy/nope a=b' },
  { cmd: "set image deploy/kubia '*=luksa/kubia:v3' a=b", files: deploy, setup: createDeploy },
  { cmd: 'set image po kubia-manual kubia=luksa/kubia:v2', files: manual, setup: createManual, then: ['get po kubia-manual -o jsonpath={.spec.containers[0].image}'] },
  { cmd: 'set image po kubia-manual kubia=luksa/kubia:v2 --dry-run=client -o yaml', files: manual, setup: createManual },
];

const envJson = 'get deploy kubia -o jsonpath={.spec.template.spec.containers[0].env}';
/** a Deployment whose variables come from its own metadata, its resources and a Secret */
const refsDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: refs
  labels: {app: refs, tier: web}
spec:
  replicas: 1
  selector:
    matchLabels: {app: refs}
  template:
    metadata:
      labels: {app: refs}
    spec:
      containers:
      - name: main
        image: nginx
        resources:
          requests: {cpu: 250m, memory: 100Mi}
          limits: {memory: 1Gi}
        env:
        - {name: MY_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: MY_TIER, valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}}
        - {name: CPU_MILLI, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}
        - {name: CPU, valueFrom: {resourceFieldRef: {resource: requests.cpu}}}
        - {name: MEM_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
        - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
        - {name: TOKEN, valueFrom: {secretKeyRef: {name: creds, key: token}}}
        - {name: MISSING, valueFrom: {secretKeyRef: {name: creds, key: nope}}}
`;
const setEnv: GoldenCase[] = [
  { cmd: 'set env deploy/kubia GREETING=hello MODE=fast', files: deploy, setup: createDeploy, advance: 60_000, advanceAfter: 120_000, then: [envJson, 'rollout history deploy kubia'] },
  { cmd: 'set env deploy/kubia GREETING=bye', files: deploy, setup: [...createDeploy, 'set env deploy/kubia GREETING=hello MODE=fast'], then: [envJson] },
  { cmd: 'set env deploy/kubia GREETING-', files: deploy, setup: [...createDeploy, 'set env deploy/kubia GREETING=hello MODE=fast'], then: [envJson] },
  { cmd: 'set env deploy/kubia MODE=fast', files: deploy, setup: [...createDeploy, 'set env deploy/kubia MODE=fast'] },
  { cmd: 'set env deploy/kubia MODE=slow --overwrite=false', files: deploy, setup: [...createDeploy, 'set env deploy/kubia MODE=fast'] },
  { cmd: 'set env deploy/kubia --list', files: deploy, setup: [...createDeploy, 'set env deploy/kubia GREETING=hello MODE=fast'] },
  { cmd: 'set env deploy/kubia --list EXTRA=1', files: deploy, setup: createDeploy },
  { cmd: 'set env deploy/kubia -e A=1 -e B=2 --dry-run=client', files: deploy, setup: createDeploy, then: [envJson] },
  { cmd: 'set env deploy/kubia A=1 -c nope', files: deploy, setup: createDeploy },
  { cmd: 'set env deploy/kubia --from=configmap/settings --prefix=APP_', files: deploy, setup: [...createDeploy, 'create configmap settings --from-literal=log-level=debug'], then: [envJson] },
  { cmd: 'set env deploy/kubia --from=configmap/settings --list', files: deploy, setup: [...createDeploy, 'create configmap settings --from-literal=LEVEL=debug'] },
  { cmd: 'set env deploy/kubia --from=configmap/settings --list --resolve', files: deploy, setup: [...createDeploy, 'create configmap settings --from-literal=LEVEL=debug'] },
  { cmd: 'set env deploy/refs --list --resolve', files: { 'refs.yaml': refsDeployment }, setup: ['create secret generic creds --from-literal=token=s3cret', 'create -f refs.yaml'] },
  { cmd: 'set env deploy/refs --list', files: { 'refs.yaml': refsDeployment }, setup: ['create -f refs.yaml'] },
  { cmd: 'set env deploy/kubia --keys=a', files: deploy, setup: createDeploy },
  { cmd: 'set env deploy/kubia A=1 B-  A-', files: deploy, setup: createDeploy },
  { cmd: 'set env deploy/kubia 1A=x', files: deploy, setup: createDeploy },
  { cmd: 'set env A=1 deploy/kubia' },
  { cmd: 'set env' },
  { cmd: 'set env deploy/nope A=1' },
  { cmd: 'set env po kubia-manual A=1', files: manual, setup: createManual },
  { cmd: 'set env svc/kubernetes A=1' },
  { cmd: 'set env svc/kubernetes --list' },
];

const resourcesJson = 'get deploy kubia -o jsonpath={.spec.template.spec.containers[0].resources}';
const setResources: GoldenCase[] = [
  { cmd: 'set resources deploy/kubia --requests=cpu=100m,memory=64Mi --limits=memory=128Mi', files: deploy, setup: createDeploy, advance: 60_000, advanceAfter: 120_000, then: [resourcesJson, 'rollout history deploy kubia'] },
  { cmd: 'set resources deploy/kubia --limits=cpu=0.5', files: deploy, setup: [...createDeploy, 'set resources deploy/kubia --requests=cpu=100m'], then: [resourcesJson] },
  { cmd: 'set resources deploy/kubia --requests=cpu=100m', files: deploy, setup: [...createDeploy, 'set resources deploy/kubia --requests=cpu=0.1'] },
  { cmd: 'set resources deploy/kubia -c nodejs --limits=memory=1Gi --dry-run=client', files: deploy, setup: createDeploy, then: [resourcesJson] },
  { cmd: 'set resources deploy/kubia -c nope --limits=memory=1Gi', files: deploy, setup: createDeploy },
  { cmd: 'set resources deploy/kubia', files: deploy, setup: createDeploy },
  { cmd: 'set resources deploy/kubia --limits=cpu', files: deploy, setup: createDeploy },
  { cmd: 'set resources deploy/kubia --limits=cpu=lots', files: deploy, setup: createDeploy },
  { cmd: 'set resources deploy/nope --limits=cpu=1' },
  { cmd: 'set resources --limits=cpu=1' },
  { cmd: 'set resources po kubia-manual --limits=cpu=1', files: manual, setup: createManual },
  { cmd: 'set resources cm/nope --limits=cpu=1', setup: ['create configmap nope'] },
];

const nodes: GoldenCase[] = [
  { cmd: 'cordon kube-tutor-worker', then: ['get nodes'] },
  { cmd: 'cordon kube-tutor-worker', setup: ['cordon kube-tutor-worker'] },
  { cmd: 'uncordon kube-tutor-worker', setup: ['cordon kube-tutor-worker'], then: ['get nodes'] },
  { cmd: 'uncordon kube-tutor-worker' },
  { cmd: 'cordon' },
  { cmd: 'cordon nope' },
  { cmd: 'cordon kube-tutor-worker -l a=b' },
  { cmd: 'cordon -l disk=ssd', setup: ['label node kube-tutor-worker disk=ssd'], then: ['get nodes'] },
  { cmd: 'cordon kube-tutor-worker --dry-run=client', then: ['get nodes'] },
  { cmd: 'taint node kube-tutor-worker node-type=production:NoSchedule', then: ['get node kube-tutor-worker -o jsonpath={.spec.taints}'] },
  { cmd: 'taint node kube-tutor-worker node-type=production:NoSchedule', setup: ['taint node kube-tutor-worker node-type=production:NoSchedule'] },
  { cmd: 'taint node kube-tutor-worker node-type=test:NoSchedule --overwrite', setup: ['taint node kube-tutor-worker node-type=production:NoSchedule'], then: ['get node kube-tutor-worker -o jsonpath={.spec.taints}'] },
  { cmd: 'taint node kube-tutor-worker node-type:NoSchedule-', setup: ['taint node kube-tutor-worker node-type=production:NoSchedule'], then: ['get node kube-tutor-worker -o jsonpath={.spec.taints}'] },
  { cmd: 'taint node kube-tutor-worker node-type-', setup: ['taint node kube-tutor-worker node-type=production:NoSchedule'] },
  { cmd: 'taint node kube-tutor-worker node-type-' },
  { cmd: 'taint node kube-tutor-worker a=b:Sometimes' },
  { cmd: 'taint node kube-tutor-worker a=b' },
  { cmd: 'taint node kube-tutor-worker' },
  { cmd: 'taint po kubia a=b:NoSchedule' },
  { cmd: 'taint node nope a=b:NoSchedule' },
  { cmd: 'taint node a=b:NoSchedule' },
];

/** a Deployment whose one pod is pinned to a node (drain evicts it; the ReplicaSet puts it back there) */
const pinnedDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      nodeName: kube-tutor-worker
      containers:
      - name: web
        image: nginx
`;
const pinnedPod = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {run: ${name}}
spec:
  nodeName: kube-tutor-worker
  containers:
  - name: main
    image: nginx
${extra}`;
const scratch = `  volumes:
  - name: scratch
    emptyDir: {}
`;

/**
 * drain: one kind of warning or error per case (kubectl 1.33 joins several from a Go map, in no
 * fixed order) and one pod to evict (it evicts them concurrently); --grace-period=0 so the pods are
 * gone at once on the manual clock.
 */
const drain: GoldenCase[] = [
  { cmd: 'drain' },
  { cmd: 'drain nope' },
  { cmd: 'drain kube-tutor-worker -l a=b' },
  { cmd: 'drain kube-tutor-worker --pod-selector="a b"' },
  { cmd: 'drain kube-tutor-worker --timeout=soon' },
  { cmd: 'drain kube-tutor-worker', then: ['get nodes'] },
  { cmd: 'drain kube-tutor-worker --ignore-daemonsets', then: ['get nodes'] },
  { cmd: 'drain kube-tutor-worker --ignore-daemonsets --dry-run=client', then: ['get nodes'] },
  { cmd: 'drain kube-tutor-worker --ignore-daemonsets', setup: ['cordon kube-tutor-worker'] },
  { cmd: 'drain kube-tutor-worker --ignore-daemonsets --grace-period=0', files: { 'web.yaml': pinnedDeployment }, setup: ['apply -f web.yaml'], advance: 60_000, then: ['get nodes', 'get deploy web'] },
  { cmd: 'drain kube-tutor-worker --ignore-daemonsets --grace-period=0 --dry-run=server', files: { 'web.yaml': pinnedDeployment }, setup: ['apply -f web.yaml'], advance: 60_000, then: ['get nodes'] },
  { cmd: 'drain kube-tutor-worker --pod-selector=run=solo', files: { 'p.yaml': pinnedPod('solo') }, setup: ['apply -f p.yaml'], advance: 60_000 },
  { cmd: 'drain kube-tutor-worker --pod-selector=run=solo --force --grace-period=0', files: { 'p.yaml': pinnedPod('solo') }, setup: ['apply -f p.yaml'], advance: 60_000, then: ['get pods'] },
  { cmd: 'drain kube-tutor-worker --pod-selector=run=scratch', files: { 'p.yaml': pinnedPod('scratch', scratch) }, setup: ['apply -f p.yaml'], advance: 60_000 },
  { cmd: 'drain kube-tutor-worker --pod-selector=run=scratch --delete-emptydir-data --force --grace-period=0 --disable-eviction', files: { 'p.yaml': pinnedPod('scratch', scratch) }, setup: ['apply -f p.yaml'], advance: 60_000, then: ['get pods'] },
];

export const IMPERATIVE_CASES: GoldenCase[] = [...label, ...annotate, ...scale, ...expose, ...run, ...rollout, ...setImage, ...setEnv, ...setResources, ...nodes, ...drain];
