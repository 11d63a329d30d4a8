/**
 * Streaming commands with a deterministic outcome: logs of running/finished containers, exec of the
 * sandbox's simulated programs, attach/port-forward argument errors. (Live streams — logs -f,
 * exec -it, port-forward — are integration tests in test/kubectl/stream/.)
 */
import { batchJob, kubiaManualPod, kubiaRc } from '../../../sandbox/kubectl/manifests.js';
import type { GoldenCase } from './types.js';

const pod = { files: { 'kubia-manual.yaml': kubiaManualPod() }, setup: ['create -f kubia-manual.yaml'], advance: 30_000 };
const deploy = { setup: ['create deployment kubia --image=luksa/kubia --replicas=2 --port=8080'], advance: 30_000 };
const rc = { files: { 'kubia-rc.yaml': kubiaRc('kubia', 3) }, setup: ['create -f kubia-rc.yaml'], advance: 30_000 };
const twoContainers = `apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: a
    image: luksa/kubia
  - name: b
    image: busybox
    command: ["sh", "-c", "echo hello from b; sleep 99999"]
`;
const two = { files: { 'two.yaml': twoContainers }, setup: ['create -f two.yaml'], advance: 30_000 };

export const STREAM_CASES: GoldenCase[] = [
  // logs
  { cmd: 'logs kubia-manual', ...pod },
  { cmd: 'logs kubia-manual -c kubia', ...pod },
  { cmd: 'logs kubia-manual --tail 1', ...pod },
  { cmd: 'logs kubia-manual --tail=0', ...pod },
  { cmd: 'logs kubia-manual --since=1h', ...pod },
  { cmd: 'logs kubia-manual -p', ...pod },
  { cmd: 'logs kubia-manual -c foo', ...pod },
  { cmd: 'logs kubia-manual extra', ...pod },
  { cmd: 'logs kubia-manual --since=1h --since-time=2020-01-01T00:00:00Z', ...pod },
  { cmd: 'logs kubia-manual --since=-1h', ...pod },
  { cmd: 'logs kubia-manual --since-time=yesterday', ...pod },
  { cmd: 'logs kubia-manual --foo', ...pod },
  { cmd: 'logs' },
  { cmd: 'logs nope' },
  { cmd: 'logs deploy/nope' },
  { cmd: 'logs svc/kubernetes', setup: ['get svc'] },
  { cmd: 'logs deploy/kubia', ...deploy },
  { cmd: 'logs rc/kubia', ...rc },
  { cmd: 'logs -l app=kubia', ...rc },
  { cmd: 'logs -l app=nomatch', ...rc },
  { cmd: 'logs -l app=kubia -f --max-log-requests 2', ...rc },
  { cmd: 'logs two', ...two },
  { cmd: 'logs two -c b', ...two },
  { cmd: 'logs job/batch-job', files: { 'job.yaml': batchJob() }, setup: ['create -f job.yaml'], advance: 200_000 },
  // exec (more in test/kubectl/stream)
  { cmd: 'exec kubia-manual -- hostname', ...pod },
  { cmd: 'exec kubia-manual -- env', ...pod },
  { cmd: "exec kubia-manual -- sh -c 'exit 137'", ...pod },
  { cmd: 'exec -t kubia-manual -- hostname', ...pod },
  { cmd: 'exec kubia-manual env', ...pod },
  { cmd: 'exec kubia-manual', ...pod },
  { cmd: 'exec' },
  { cmd: 'exec nope -- env' },
  { cmd: 'exec kubia-manual -c foo -- env', ...pod },
  { cmd: 'exec -p kubia-manual -- env', ...pod },
  { cmd: 'exec deploy/kubia -- hostname', ...deploy },
  { cmd: 'exec svc/kubernetes -- env' },
  { cmd: 'exec two -- hostname', ...two },
  { cmd: 'exec two -c b -- hostname', ...two },
  // attach / port-forward / cp / top argument and server errors
  { cmd: 'attach' },
  { cmd: 'attach nope' },
  { cmd: 'port-forward' },
  { cmd: 'port-forward kubia-manual', ...pod },
  { cmd: 'port-forward nope 8080' },
  { cmd: 'port-forward kubia-manual abc', ...pod },
  { cmd: 'port-forward kubia-manual 99999', ...pod },
  { cmd: 'port-forward kubia-manual 8080:x', ...pod },
  { cmd: 'port-forward svc/kubernetes 443' },
  { cmd: 'port-forward kubia-manual 8080 --address=foo', ...pod },
  { cmd: 'cp' },
  { cmd: 'cp a b' },
  { cmd: 'cp kubia-manual:/a kubia-manual:/b', ...pod },
  { cmd: 'top pods' },
  { cmd: 'top nodes' },
  { cmd: 'top pod kubia-manual', ...pod },
  // events
  { cmd: 'events --for pod/kubia-manual', ...pod },
  { cmd: 'events --for pod/kubia-manual --no-headers', ...pod },
  { cmd: 'events --types=Warning' },
  { cmd: 'events --types=Foo' },
  { cmd: 'events --for nope' },
  { cmd: 'events --for foo/x' },
  { cmd: 'events -o wide' },
  { cmd: 'events --for deploy/kubia', ...deploy },
  { cmd: 'events -A --types=Warning' },
];
