import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { FAKE_CERT_CN, INGRESS_ADDRESS_ANNOTATION, INGRESS_HTTPS_ADDRESS_ANNOTATION, ingressRequest, networkFor, tlsCertificateFor } from '../../../src/sandbox/network/index.js';
import { selfSignedCertificate } from '../../../src/sandbox/tls.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

let t: TestSandbox;
afterEach(async () => {
  await t?.close();
});

const rt = (kind: string, group = '') => t.sandbox.registry.forKind(group, kind)!;
const create = (kind: string, obj: Record<string, unknown>, group = '') =>
  t.sandbox.store.create(rt(kind, group), 'default', obj as KObject, {});

async function advance(ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 1000) {
    await t.clock.advance(1000);
    await t.sandbox.kubelets?.idle();
    await t.clock.settle();
  }
}

interface HttpsReply { status: number; body: string; subjectCN: string; authorized: boolean }

function get(port: number, servername: string, host: string, ca?: string): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: '/', servername, headers: { Host: host },
      ...(ca ? { ca } : { rejectUnauthorized: false }),
    }, (res) => {
      const sock = res.socket as TLSSocket;
      const cert = sock.getPeerCertificate();
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, subjectCN: String(cert.subject?.CN ?? ''), authorized: sock.authorized }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitFor<T>(f: () => T | undefined, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = f();
    if (v !== undefined) return v;
    await new Promise((r) => setImmediate(r));
    await t.clock.settle();
  }
  throw new Error('timed out waiting');
}

describe('ingress TLS', () => {
  it('serves HTTPS with the TLS Secret of the matching spec.tls entry and routes to the backend', async () => {
    t = await startTestSandbox({ seed: 11 });
    const tls = selfSignedCertificate({ commonName: 'kubia.example.com', dnsNames: ['kubia.example.com'] });
    await create('Secret', {
      metadata: { name: 'tls-secret' }, type: 'kubernetes.io/tls',
      data: { 'tls.crt': Buffer.from(tls.cert).toString('base64'), 'tls.key': Buffer.from(tls.key).toString('base64') },
    });
    await create('Pod', { metadata: { name: 'kubia-a', labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080 }] }] } });
    await create('Service', { metadata: { name: 'kubia-nodeport' }, spec: { type: 'NodePort', selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] } });
    await create('Ingress', {
      metadata: { name: 'kubia' },
      spec: {
        tls: [{ hosts: ['kubia.example.com'], secretName: 'tls-secret' }, { hosts: ['nosecret.example.com'], secretName: 'missing' }],
        rules: [
          { host: 'kubia.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'kubia-nodeport', port: { number: 80 } } } }] } },
          { host: 'nosecret.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'kubia-nodeport', port: { number: 80 } } } }] } },
        ],
      },
    }, 'networking.k8s.io');
    await advance(60_000);
    const ingRT = rt('Ingress', 'networking.k8s.io');
    const ing = await waitFor(() => {
      const i = t.sandbox.store.tryGet(ingRT, 'default', 'kubia');
      return i?.status?.loadBalancer?.ingress?.length ? i : undefined;
    });
    // the status address is unchanged: ADDRESS localhost
    expect(ing.status.loadBalancer.ingress).toEqual([{ hostname: 'localhost' }]);
    const httpsAnn: string | undefined = ing.metadata.annotations?.[INGRESS_HTTPS_ADDRESS_ANNOTATION];
    const port = httpsAnn ? Number(new URL(httpsAnn).port) : 443;
    if (httpsAnn) expect(httpsAnn).toMatch(/^https:\/\/localhost:\d+$/);
    // the secret's certificate, verified against itself, for the SNI name kubia.example.com
    const r = await get(port, 'kubia.example.com', 'kubia.example.com', tls.cert);
    expect(r.authorized).toBe(true);
    expect(r.subjectCN).toBe('kubia.example.com');
    expect(r.status).toBe(200);
    expect(r.body).toBe("You've hit kubia-a\n");
    // no secret behind the entry, or no SNI match: the controller's fake certificate
    const fake = await get(port, 'nosecret.example.com', 'nosecret.example.com');
    expect(fake.subjectCN).toBe(FAKE_CERT_CN);
    expect(fake.body).toBe("You've hit kubia-a\n");
    const other = await get(port, 'other.example.com', 'other.example.com');
    expect(other.subjectCN).toBe(FAKE_CERT_CN);
    expect(other.status).toBe(404);
    // plain HTTP still redirects TLS hosts
    const net = networkFor(t.sandbox.ctx);
    const redirect = ingressRequest(net, { method: 'GET', path: '/', headers: [['Host', 'kubia.example.com']], https: false, clientIP: '172.18.0.1' });
    expect(redirect.status).toBe(308);
    expect(tlsCertificateFor(net, 'KUBIA.example.com')?.cert).toBe(tls.cert);
    expect(tlsCertificateFor(net, 'nosecret.example.com')).toBeUndefined();
    expect(ing.metadata.annotations?.[INGRESS_ADDRESS_ANNOTATION] ?? 'http://localhost:80').toMatch(/^http:\/\/localhost:\d+$/);
  });
});
