/**
 * The sandbox's TLS material: a CA and a serving certificate (SAN 127.0.0.1, localhost) plus a
 * bearer token, generated once per state dir (ECDSA P-256: milliseconds, not seconds).
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Credentials {
  caCert: string;
  serverCert: string;
  serverKey: string;
  token: string;
}

const files = { caCert: 'ca.crt', serverCert: 'apiserver.crt', serverKey: 'apiserver.key', token: 'token' } as const;

/** read the credentials of a state dir, creating them on first use */
export async function loadOrCreateCredentials(dir: string | undefined): Promise<Credentials> {
  if (dir) {
    const paths = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, join(dir, 'pki', f)])) as Record<keyof Credentials, string>;
    if (Object.values(paths).every((p) => existsSync(p))) {
      const c = Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, readFileSync(p, 'utf8').trim()])) as unknown as Credentials;
      c.caCert += '\n';
      c.serverCert += '\n';
      c.serverKey += '\n';
      return c;
    }
    const creds = await generateCredentials();
    mkdirSync(join(dir, 'pki'), { recursive: true, mode: 0o700 });
    for (const [k, p] of Object.entries(paths)) writeFileSync(p, creds[k as keyof Credentials], { mode: 0o600 });
    return creds;
  }
  return generateCredentials();
}

export async function generateCredentials(): Promise<Credentials> {
  const mod = await import('@peculiar/x509');
  // bundled as CommonJS, the namespace arrives under `default`
  const x509 = ((mod as { cryptoProvider?: unknown }).cryptoProvider ? mod : (mod as unknown as { default: typeof mod }).default) as typeof mod;
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
  const caKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: 'CN=kube-tutor-ca',
    notBefore, notAfter,
    keys: caKeys as webcrypto.CryptoKeyPair,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString('hex'),
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore, notAfter,
    signingKey: (caKeys as webcrypto.CryptoKeyPair).privateKey,
    publicKey: (keys as webcrypto.CryptoKeyPair).publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
        { type: 'dns', value: 'kubernetes' },
        { type: 'dns', value: 'kubernetes.default.svc' },
      ]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', (keys as webcrypto.CryptoKeyPair).privateKey));
  const pem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return {
    caCert: ca.toString('pem') + '\n',
    serverCert: cert.toString('pem') + '\n',
    serverKey: pem,
    token: randomBytes(24).toString('base64url'),
  };
}
