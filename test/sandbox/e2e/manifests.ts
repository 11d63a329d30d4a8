/** Book-style manifests (Kubernetes in Action ch. 2–5, fixed for 1.33) used by the end-to-end flows. */

export const kubiaRc = (replicas: number, image = 'luksa/kubia') => `apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: ${replicas}
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: ${image}
        ports:
        - containerPort: 8080
`;

/** book Chapter03/kubia-manual.yaml */
export const kubiaManual = `apiVersion: v1
kind: Pod
metadata:
  name: kubia-manual
spec:
  containers:
  - image: luksa/kubia
    name: kubia
    ports:
    - containerPort: 8080
      protocol: TCP
`;

/** book Chapter04/kubia-liveness-probe.yaml */
export const kubiaLiveness = `apiVersion: v1
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

/** book Chapter04/ssd-monitor-daemonset.yaml, apps/v1 */
export const ssdMonitorDs = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ssd-monitor
spec:
  selector:
    matchLabels:
      app: ssd-monitor
  template:
    metadata:
      labels:
        app: ssd-monitor
    spec:
      nodeSelector:
        disk: ssd
      containers:
      - name: main
        image: luksa/ssd-monitor
`;

/** book Chapter04/batch-job.yaml */
export const batchJob = `apiVersion: batch/v1
kind: Job
metadata:
  name: batch-job
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

/** book Chapter04/cronjob.yaml, batch/v1 */
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

/** book Chapter05/kubia-svc.yaml */
export const kubiaSvc = `apiVersion: v1
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

/** book Chapter09/kubia-deployment-v1.yaml, apps/v1 with a selector */
export const kubiaDeployment = (image = 'luksa/kubia:v1') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
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
`;
