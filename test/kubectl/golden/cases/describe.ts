/** kubectl describe, for the objects the notes describe */
import { kubiaManualPod, kubiaRc, kubiaRs, kubiaSvc, ssdMonitorDs, batchJob, batchCronJob } from '../../../sandbox/kubectl/manifests.js';
import type { GoldenCase } from './types.js';

const rc = kubiaRc('kubia', 3);

export const DESCRIBE_CASES: GoldenCase[] = [
  { cmd: 'describe pod kubia-manual', files: { 'p.yaml': kubiaManualPod() }, setup: ['create -f p.yaml'], advance: 30_000 },
  { cmd: 'describe po kubia', files: { 'p.yaml': kubiaManualPod() }, setup: ['create -f p.yaml'], advance: 30_000 },
  { cmd: 'describe rc kubia', files: { 'rc.yaml': rc }, setup: ['create -f rc.yaml'], advance: 30_000 },
  { cmd: 'describe rs', files: { 'rs.yaml': kubiaRs() }, setup: ['create -f rs.yaml'], advance: 30_000 },
  { cmd: 'describe ds', files: { 'ds.yaml': ssdMonitorDs() }, setup: ['create -f ds.yaml', 'label node --all disk=ssd'], advance: 30_000 },
  { cmd: 'describe job batch-job', files: { 'job.yaml': batchJob() }, setup: ['create -f job.yaml'], advance: 150_000 },
  { cmd: 'describe cronjob', files: { 'cj.yaml': batchCronJob() }, setup: ['create -f cj.yaml'] },
  { cmd: 'describe svc kubia', files: { 'rc.yaml': rc, 'svc.yaml': kubiaSvc() }, setup: ['create -f rc.yaml', 'create -f svc.yaml'], advance: 30_000 },
  { cmd: 'describe svc', files: { 'svc.yaml': kubiaSvc() }, setup: ['create -f svc.yaml'] },
  { cmd: 'describe endpoints kubia', files: { 'rc.yaml': rc, 'svc.yaml': kubiaSvc() }, setup: ['create -f rc.yaml', 'create -f svc.yaml'], advance: 30_000 },
  { cmd: 'describe deploy kubia', setup: ['create deployment kubia --image=luksa/kubia --port=8080'], advance: 30_000 },
  { cmd: 'describe ns default' },
  { cmd: 'describe ns kube-system' },
  { cmd: 'describe po nosuch' },
  { cmd: 'describe' },
  { cmd: 'describe secret nosuch -n kube-system' },
];
