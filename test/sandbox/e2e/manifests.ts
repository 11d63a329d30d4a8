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

// the book's manifests that the real-kubectl acceptance suite already has
export { batchCronJob } from '../kubectl/manifests.js';
import { batchJob as batchJobOf, kubiaSvc as kubiaSvcNamed, ssdMonitorDs as ssdMonitorDsOf } from '../kubectl/manifests.js';

/** book Chapter04/batch-job.yaml */
export const batchJob = batchJobOf();
/** book Chapter04/ssd-monitor-daemonset.yaml */
export const ssdMonitorDs = ssdMonitorDsOf();
/** book Chapter05/kubia-svc.yaml */
export const kubiaSvc = kubiaSvcNamed();
