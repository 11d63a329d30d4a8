/** Manifests in the style of the Kubernetes in Action examples (written to temp files by the tests). */

export const kubiaManualPod = (name = 'kubia-manual', labels: Record<string, string> = {}) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${labelsBlock(labels, '  ')}spec:
  containers:
  - image: luksa/kubia
    name: kubia
    ports:
    - containerPort: 8080
      protocol: TCP
`;

export const kubiaRc = (name = 'kubia', replicas = 3, image = 'luksa/kubia', app = 'kubia') => `apiVersion: v1
kind: ReplicationController
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: kubia
        image: ${image}
        ports:
        - containerPort: 8080
`;

export const kubiaRs = (name = 'kubia') => `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: ${name}
spec:
  replicas: 3
  selector:
    matchExpressions:
      - key: app
        operator: In
        values:
          - kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
`;

export const ssdMonitorDs = (name = 'ssd-monitor') => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      nodeSelector:
        disk: ssd
      containers:
      - name: main
        image: luksa/ssd-monitor
`;

export const batchJob = (name = 'batch-job') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  template:
    metadata:
      labels:
        app: batch-job
    spec:
      restartPolicy: OnFailure
      containers:
      - name: main
        image: luksa/batch-job
`;

export const batchCronJob = (name = 'batch-job-every-fifteen-minutes') => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "0,15,30,45 * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            app: periodic-batch-job
        spec:
          restartPolicy: OnFailure
          containers:
          - name: main
            image: luksa/batch-job
`;

export const kubiaSvc = (name = 'kubia') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app: kubia
`;

export const customNamespace = (name = 'custom-namespace') => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
`;

/** a pod owned (controller) by a ReplicationController, as the RC controller would have created it */
export const ownedPod = (name: string, rcName: string, rcUid: string, app: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${app}
  ownerReferences:
  - apiVersion: v1
    kind: ReplicationController
    name: ${rcName}
    uid: ${rcUid}
    controller: true
    blockOwnerDeletion: true
spec:
  containers:
  - name: kubia
    image: luksa/kubia
`;

/** a v1 Event about a pod (what the scheduler would have recorded) */
export const podEvent = (name: string, podName: string, podUid: string, reason: string, message: string, ts: string) => `apiVersion: v1
kind: Event
metadata:
  name: ${name}
involvedObject:
  apiVersion: v1
  kind: Pod
  name: ${podName}
  namespace: default
  uid: ${podUid}
reason: ${reason}
message: ${JSON.stringify(message)}
type: Normal
source:
  component: default-scheduler
firstTimestamp: "${ts}"
lastTimestamp: "${ts}"
count: 1
`;

function labelsBlock(labels: Record<string, string>, indent: string): string {
  const keys = Object.keys(labels);
  if (!keys.length) return '';
  return `${indent}labels:\n${keys.map((k) => `${indent}  ${k}: "${labels[k]}"`).join('\n')}\n`;
}
