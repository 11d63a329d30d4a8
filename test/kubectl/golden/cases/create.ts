/**
 * Making objects: `create -f` (files, directories, stdin, several documents, partial failures, bad
 * input) and the create generators the notes use, as golden cases. `then` checks the objects made.
 */
import { batchCronJob, customNamespace, kubiaManualPod, kubiaRc, kubiaRs, kubiaSvc } from '../../../sandbox/kubectl/manifests.js';
import type { GoldenCase } from './types.js';

/** a throwaway self-signed certificate and key (CN kubia.example.com) for `create secret tls` */
export const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIDGzCCAgOgAwIBAgIUH6TEZOP0o9uoJguDUz8L69kSMu8wDQYJKoZIhvcNAQEL
BQAwHDEaMBgGA1UEAwwRa3ViaWEuZXhhbXBsZS5jb20wIBcNMjYxMTI3MjAxNzI3
WhgPMjEyNjExMDMyMDE3MjdaMBwxGjAYBgNVBAMMEWt1YmlhLmV4YW1wbGUuY29t
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuPOscOxSzu+XHCaO7qIZ
f8zSn42QiuXg5iDeJU7cR1SRu2PkuacjUKbaHBOmAoVCfgVbrAPx5kPjB32G9uj8
35gpx4dwjSVGqdSshq5vB3DE/7tqq6jFEq5iPU16QCzrjInG0k7jUjFfxB2abUpf
4904HzcG/BSuFRsOqD75YIX5WJAw2RddBkXbWFU0Kh0L2t9OfYlINdG7dJfE46d8
UQpD6iRogGoFSUouBBWTXTUVRLYpSTAX3aWuBCV+J8q1degtqouzWDzVee9QZUg+
7QK8/96BGwxOuGYmi1dxkZmiDV1cdcvdeSw1Ie0ivKcCKdHHYQ1jk2wh+mjpv9Nr
WQIDAQABo1MwUTAdBgNVHQ4EFgQUkQepWTTiFgj8vvFySJAxhsGpsSswHwYDVR0j
BBgwFoAUkQepWTTiFgj8vvFySJAxhsGpsSswDwYDVR0TAQH/BAUwAwEB/zANBgkq
hkiG9w0BAQsFAAOCAQEAHXKyw+gShqtpuN5SvUDg5SRLbdLG63ZmkP/WanRd0y5/
N7b8BkJXVfGH67XkcBUMk7eepL+5pzVCjx/5tOQht5LfK0R7aPZ4zw88H5kwDLgO
fj1EHY03BY3aKykp4cGqNYtklsICa61fkPCyo/PINYy2xZzn47TFOE29JDI3A1+7
CzunHuFstXS2290K1KoW2k7NFbPH1qZcctg9CppauDXaZct/StC9LXcVZixviH8A
OZbLm/SrQEbetfCxLNS6PAjPvnPQ4f5viBJaUla0qqHcoKM9fR28WkUEEkTdYv0A
vTo5xmKwD333kk/WReadkGx3ql4A9t+KpV1SvguAfA==
-----END CERTIFICATE-----
`;
export const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC486xw7FLO75cc
Jo7uohl/zNKfjZCK5eDmIN4lTtxHVJG7Y+S5pyNQptocE6YChUJ+BVusA/HmQ+MH
fYb26PzfmCnHh3CNJUap1KyGrm8HcMT/u2qrqMUSrmI9TXpALOuMicbSTuNSMV/E
HZptSl/j3TgfNwb8FK4VGw6oPvlghflYkDDZF10GRdtYVTQqHQva3059iUg10bt0
l8Tjp3xRCkPqJGiAagVJSi4EFZNdNRVEtilJMBfdpa4EJX4nyrV16C2qi7NYPNV5
71BlSD7tArz/3oEbDE64ZiaLV3GRmaINXVx1y915LDUh7SK8pwIp0cdhDWOTbCH6
aOm/02tZAgMBAAECggEACw4LlFtXzsUs4dKfL/3R6tzmCQHn7hlz8iVsScwXKA9S
v6Hmqb8nAfrbJhr5jQSEly5ATr2Un6gWoZu77bW66a15b9L1ZAZinSOYZVt3SPlR
WRzNcTG/B9ETD6l6IWxd7vJMR0VOWpsXZ4xCbv5nUWInaNw752TgC+RoYZ+T/dQi
Hf/N4MuCKgqxfXcKvT4D9zUuA7wGjlC/1sL9Crqqhy8B4kMbyTvwrZxUlc52tn8S
5ERQPrSep4nK/NZwFm9904vNPBBmlNZyzCXR/O8Nsv54cc7a5FRZWyuICM2NCaL2
ttHk8pUuRvwodcRYvh+MwF39G8NlLG/PGxzOm2jJBQKBgQDrSy7LnpCHRKgpx9S8
K+XSI9nMaVRyc+s3RQSpsU/iN63fxTHW9n4EAUwGFETUmwlr7IALUyRZawsvmhv2
R0Ei2pOhlXTOwnIEn0G96UV0LlzLsj2zS+9QzZyE/wfwEpTchI5uyFToq/4zxjbl
E243/45d5CNDQWuYC9HWOu1+zQKBgQDJOl00Xx1omVHJA/XYBogNYBgJhsg3phK/
4lcC+DKxpuUFexDKZ76O9gIY1N7xDKcvHTfEMu4ZgVwyAlx3oQrz1OnPID1LRSmN
D8TP8psNqXq7jKP6Dn0pV59RkW9kRYZwju2PnwvSI0TRFZoS0yRw1Zm6LmCpmmWa
Uvn425QGvQKBgFfFSOR99s3ux4gmWe4DtgxIgVNmKzEympiYb1/Zm8H4IS0rAyd7
9ZAK59AQuYhReRdANpeC4TlV2+ta4nlhJSQaQx3wgY0rLZsZyU1NejIXpVf62ldK
yS/sMynNdKmSVONZs0QSCNJubjnkA9A6ClBrTTErDBhni/pA1nrCqps1AoGAMtZg
57ND7cIWTG+Is5vq0V4+lGGNwaleQUYAb4qe3Azq/Th7JHeTR/DU1Msqy8FDl36N
MS8gwibRUP0RuVNhPfrDWwWtFpARkEa0lUiYbZosnKdKYgk5C7HMWUIh3zZFYbhq
QgePZ/ZrE1uewjS/lxYPsV64IwETvCpMZteqjQ0CgYEAvZLbkiTlunlgpinigRD2
3aDZhRRXSRg75VT0J6msubjXKQF4h8rtZicJWj5QaVuEVR4LJ9wHD141pNiA9rL3
j2nS0S6IHHJMSuGetvIpHitq8iF1oc1FlwyOR5LpytmKcXvRvVAFm3NHYJv1sWsC
KvgiIBLOhtLAmzKDVsoEnA0=
-----END PRIVATE KEY-----
`;

const pod = kubiaManualPod();
const twoPods = `${kubiaManualPod('p1')}---
${kubiaManualPod('p2', { app: 'kubia' })}`;
const mixed = `${kubiaManualPod('p1')}---
apiVersion: apps/v1
kind: ReplicationSet
metadata:
  name: rs1
---
${kubiaManualPod('p2')}`;
const badYaml = `apiVersion: v1
kind: Pod
metadata:
  name: kubia-manual
 spec:
  containers:
  - image: luksa/kubia
`;
const typo = `apiVersion: v1
kind: Pod
metadata:
  name: kubia-typo
spec:
  contianers:
  - image: luksa/kubia
    name: kubia
`;
const list = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-a' }, data: { a: '1' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-b' }, data: { enabled: 'yes' } },
  ],
}, null, 2);
const yaml11 = `apiVersion: v1
kind: ConfigMap
metadata:
  name: yaml11
data:
  mode: "0755"
  when: "2024-01-01"
  on: "yes"
`;
const nsPod = `apiVersion: v1
kind: Pod
metadata:
  name: kubia-ns
  namespace: other
spec:
  containers:
  - image: luksa/kubia
    name: kubia
`;

const cm = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: fortune-config
data:
  sleep-interval: "${value}"
`;
/** a pod no node can run: it stays Pending, so replace --force can delete it at once */
const pendingPod = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: kubia-gpu
spec:
  nodeSelector:
    gpu: "true"
  containers:
  - image: ${image}
    name: kubia
`;

/** replace shares this file: it makes objects anew */
export const REPLACE_CASES: GoldenCase[] = [
  { cmd: 'replace -f cm.yaml', files: { 'cm.yaml': cm('25'), 'cm-old.yaml': cm('10') }, setup: ['create -f cm-old.yaml'], then: ['get cm fortune-config -o jsonpath={.data}'] },
  { cmd: 'replace -f cm.yaml', files: { 'cm.yaml': cm('25') } },
  { cmd: 'replace -f cm.yaml --dry-run=server', files: { 'cm.yaml': cm('25'), 'cm-old.yaml': cm('10') }, setup: ['create -f cm-old.yaml'], then: ['get cm fortune-config -o jsonpath={.data}'] },
  { cmd: 'replace -f cm.yaml -o yaml --dry-run=client', files: { 'cm.yaml': cm('25') } },
  { cmd: 'replace --force -f pod.yaml', files: { 'pod.yaml': pendingPod('luksa/kubia:v2'), 'old.yaml': pendingPod('luksa/kubia') }, setup: ['create -f old.yaml'], then: ['get po kubia-gpu -o jsonpath={.spec.containers[0].image}'] },
  { cmd: 'replace -f pod.yaml', files: { 'pod.yaml': pendingPod('luksa/kubia:v2'), 'old.yaml': pendingPod('luksa/kubia') }, setup: ['create -f old.yaml'] },
  { cmd: 'replace -f -', stdin: cm('30'), files: { 'cm-old.yaml': cm('10') }, setup: ['create -f cm-old.yaml'] },
  { cmd: 'replace' },
  { cmd: 'replace -f nosuch.yaml' },
];

export const CREATE_CASES: GoldenCase[] = [
  // create -f
  { cmd: 'create -f kubia-manual.yaml', files: { 'kubia-manual.yaml': pod }, then: ['get po kubia-manual -o jsonpath={.metadata.name}{.spec.containers[0].image}'] },
  { cmd: 'create -f kubia-manual.yaml -n custom-namespace', files: { 'kubia-manual.yaml': pod }, setup: ['create namespace custom-namespace'], then: ['get po -n custom-namespace -o name'] },
  { cmd: 'create -f custom-namespace.yaml', files: { 'custom-namespace.yaml': customNamespace() }, then: ['get ns custom-namespace -o name'] },
  { cmd: 'create -f kubia-rc.yaml', files: { 'kubia-rc.yaml': kubiaRc('kubia', 3) }, then: ['get rc kubia -o jsonpath={.spec.replicas}'] },
  { cmd: 'create -f kubia-replicaset.yaml', files: { 'kubia-replicaset.yaml': kubiaRs() } },
  { cmd: 'create -f kubia-svc.yaml', files: { 'kubia-svc.yaml': kubiaSvc() } },
  { cmd: 'create -f cj.yaml', files: { 'cj.yaml': batchCronJob() } },
  { cmd: 'create -f kubia-manual.yaml', files: { 'kubia-manual.yaml': pod }, setup: ['create -f kubia-manual.yaml'] },
  { cmd: 'create -f pods.yaml', files: { 'pods.yaml': twoPods }, then: ['get po -o name'] },
  { cmd: 'create -f mixed.yaml', files: { 'mixed.yaml': mixed }, then: ['get po -o name'] },
  { cmd: 'create -f bad.yaml', files: { 'bad.yaml': badYaml } },
  { cmd: 'create -f nosuch.yaml' },
  { cmd: 'create -f typo.yaml', files: { 'typo.yaml': typo } },
  { cmd: 'create -f typo.yaml --validate=false', files: { 'typo.yaml': typo }, then: ['get po kubia-typo -o name'] },
  { cmd: 'create -f list.json', files: { 'list.json': list }, then: ['get cm cm-a cm-b -o jsonpath={.items[*].data}'] },
  { cmd: 'create -f yaml11.yaml -o json --dry-run=client', files: { 'yaml11.yaml': yaml11 } },
  { cmd: 'create -f .', files: { 'a.yaml': kubiaManualPod('a'), 'b.yml': kubiaSvc('b'), 'notes.txt': 'not a manifest' } },
  { cmd: 'create -f - ', stdin: pod, then: ['get po kubia-manual -o name'] },
  { cmd: 'create -f -', stdin: pod, setup: ['create -f kubia-manual.yaml'], files: { 'kubia-manual.yaml': pod } },
  { cmd: 'create -f kubia-manual.yaml --dry-run=client', files: { 'kubia-manual.yaml': pod }, then: ['get po'] },
  { cmd: 'create -f kubia-manual.yaml --dry-run=server', files: { 'kubia-manual.yaml': pod }, then: ['get po'] },
  { cmd: 'create -f kubia-manual.yaml --dry-run=client -o yaml', files: { 'kubia-manual.yaml': pod } },
  { cmd: 'create -f kubia-manual.yaml -o name', files: { 'kubia-manual.yaml': pod } },
  { cmd: 'create -f kubia-manual.yaml --save-config', files: { 'kubia-manual.yaml': pod }, then: ["get po kubia-manual -o jsonpath={.metadata.annotations}"] },
  { cmd: 'create -f ns-pod.yaml -n custom-namespace', files: { 'ns-pod.yaml': nsPod } },
  { cmd: 'create -f kubia-manual.yaml -o wide', files: { 'kubia-manual.yaml': pod } },
  { cmd: 'create' },
  { cmd: 'create pod' },
  // generators
  { cmd: 'create namespace custom-namespace', then: ['get ns custom-namespace -o name'] },
  { cmd: 'create ns custom-namespace', setup: ['create namespace custom-namespace'] },
  { cmd: 'create namespace' },
  { cmd: 'create namespace Bad_Name' },
  { cmd: 'create namespace custom-namespace --dry-run=client -o yaml' },
  { cmd: 'create deployment kubia --image=luksa/kubia --port=8080', then: ['get deploy kubia -o jsonpath={.spec.template.spec.containers}'] },
  { cmd: 'create deployment kubia --image=luksa/kubia --replicas=3 -o yaml --dry-run=client' },
  { cmd: 'create deployment kubia --image=luksa/kubia', setup: ['create deployment kubia --image=luksa/kubia'] },
  { cmd: 'create deployment kubia' },
  { cmd: 'create deploy web --image=nginx --image=busybox -o json --dry-run=client -- sleep 3600' },
  { cmd: 'create service clusterip kubia --tcp=80:8080', then: ['get svc kubia -o jsonpath={.spec.ports}'] },
  { cmd: 'create service nodeport kubia-nodeport --tcp=80:8080 --node-port=30123', then: ['get svc kubia-nodeport -o jsonpath={.spec.ports[0].nodePort}'] },
  { cmd: 'create service loadbalancer kubia-lb --tcp=80:8080 -o yaml --dry-run=client' },
  { cmd: 'create service externalname external-service --external-name=api.somecompany.com', then: ['get svc external-service -o jsonpath={.spec}'] },
  { cmd: 'create service clusterip kubia' },
  { cmd: 'create configmap fortune-config --from-literal=sleep-interval=25', then: ['get cm fortune-config -o jsonpath={.data}'] },
  { cmd: 'create configmap my-config --from-file=app.conf --from-file=flag=debug --from-literal=one=two -o yaml --dry-run=client', files: { 'app.conf': 'x=1\n', 'debug': 'true' } },
  { cmd: 'create configmap env-config --from-env-file=app.env -o json --dry-run=client', files: { 'app.env': '# settings\nMODE=dev\nLEVEL=2\n' } },
  { cmd: 'create configmap c --from-literal=a=1 --from-literal=a=2' },
  { cmd: 'create secret generic db-pass --from-literal=password=s3cret', then: ['get secret db-pass -o jsonpath={.type}{.data}'] },
  { cmd: 'create secret generic db-pass --from-literal=password=s3cret', setup: ['create secret generic db-pass --from-literal=password=x'] },
  { cmd: 'create secret tls kubia-tls --cert=tls.cert --key=tls.key', files: { 'tls.cert': TLS_CERT, 'tls.key': TLS_KEY }, then: ['get secret kubia-tls -o jsonpath={.type}'] },
  { cmd: 'create secret tls kubia-tls --cert=tls.cert', files: { 'tls.cert': TLS_CERT } },
  { cmd: 'create secret docker-registry mydockerhubsecret --docker-username=me --docker-password=pw --docker-email=me@example.com', then: ['get secret mydockerhubsecret -o jsonpath={.data}'] },
  { cmd: 'create job batch-once --image=luksa/batch-job', then: ['get job batch-once -o jsonpath={.spec.template.spec}'] },
  { cmd: 'create job manual-run --from=cronjob/batch-job-every-fifteen-minutes', files: { 'cj.yaml': batchCronJob() }, setup: ['create -f cj.yaml'], then: ['get job manual-run -o jsonpath={.metadata.annotations}{.metadata.ownerReferences[0].kind}'] },
  { cmd: 'create job manual-run --from=cronjob/nope' },
  { cmd: 'create job manual-run' },
  { cmd: "create cronjob every-minute --image=busybox --schedule='*/1 * * * *' -- date", then: ['get cj every-minute -o jsonpath={.spec.schedule}'] },
  { cmd: 'create cronjob every-minute --image=busybox' },
  { cmd: 'create serviceaccount foo', then: ['get sa foo -o name'] },
  { cmd: 'create sa foo', setup: ['create sa foo'] },
  { cmd: 'create token default' },
];
