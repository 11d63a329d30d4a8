/**
 * The sandbox's TLS material: a CA and a serving certificate (SAN 127.0.0.1, localhost) plus a
 * bearer token, generated once per state dir (ECDSA P-256: milliseconds, not seconds). Built with
 * node:crypto and the small DER encoder in der.ts: no X.509 library to load at boot.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as der from './der.js';

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

/** a fresh CA and a serving certificate it signs, plus a fresh token (node:crypto only: no x509 library to load) */
export async function generateCredentials(): Promise<Credentials> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = name('kube-tutor-ca');
  const caKeyId = keyId(caKeys.publicKey);
  const ca = certificate({
    issuer: caName, subject: caName, notBefore, notAfter,
    publicKey: caKeys.publicKey, signingKey: caKeys.privateKey,
    extensions: [
      extension(oids.basicConstraints, true, der.sequence(der.boolean(true))),
      extension(oids.keyUsage, true, keyUsage(KeyUsage.digitalSignature, KeyUsage.keyCertSign, KeyUsage.cRLSign)),
      extension(oids.subjectKeyIdentifier, false, der.octetString(caKeyId)),
    ],
  });
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const cert = certificate({
    issuer: caName, subject: name('kube-apiserver'), notBefore, notAfter,
    publicKey: keys.publicKey, signingKey: caKeys.privateKey,
    extensions: [
      extension(oids.basicConstraints, true, der.sequence()),
      extension(oids.keyUsage, true, keyUsage(KeyUsage.digitalSignature)),
      extension(oids.extKeyUsage, false, der.sequence(der.oid(oids.serverAuth))),
      extension(oids.subjectAltName, false, der.sequence(
        der.implicit(7, Buffer.from([127, 0, 0, 1])),
        der.implicit(2, Buffer.from('localhost', 'latin1')),
        der.implicit(2, Buffer.from('kubernetes', 'latin1')),
        der.implicit(2, Buffer.from('kubernetes.default.svc', 'latin1')),
      )),
      extension(oids.subjectKeyIdentifier, false, der.octetString(keyId(keys.publicKey))),
      extension(oids.authorityKeyIdentifier, false, der.sequence(der.implicit(0, caKeyId))),
    ],
  });
  return {
    caCert: pem('CERTIFICATE', ca),
    serverCert: pem('CERTIFICATE', cert),
    serverKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    token: randomBytes(24).toString('base64url'),
  };
}

/**
 * A self-signed serving certificate for `dnsNames` (ECDSA P-256), e.g. the ingress controller's
 * default "Kubernetes Ingress Controller Fake Certificate" (O=Acme Co) when a TLS Secret is missing.
 */
export function selfSignedCertificate(o: { commonName: string; organization?: string; dnsNames: string[]; now?: number }): { cert: string; key: string } {
  const now = o.now ?? Date.now();
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const attrs = [
    ...(o.organization ? [der.set(der.sequence(der.oid(oids.organizationName), der.isPrintable(o.organization) ? der.printableString(o.organization) : der.utf8String(o.organization)))] : []),
    der.set(der.sequence(der.oid(oids.commonName), der.isPrintable(o.commonName) ? der.printableString(o.commonName) : der.utf8String(o.commonName))),
  ];
  const subject = der.sequence(...attrs);
  const cert = certificate({
    issuer: subject, subject, notBefore: new Date(now - 60_000), notAfter: new Date(now + 365 * 86_400_000),
    publicKey: keys.publicKey, signingKey: keys.privateKey,
    extensions: [
      extension(oids.basicConstraints, true, der.sequence()),
      extension(oids.keyUsage, true, keyUsage(KeyUsage.digitalSignature)),
      extension(oids.extKeyUsage, false, der.sequence(der.oid(oids.serverAuth))),
      extension(oids.subjectAltName, false, der.sequence(...o.dnsNames.map((n) => der.implicit(2, Buffer.from(n, 'latin1'))))),
    ],
  });
  return { cert: pem('CERTIFICATE', cert), key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

// ---- X.509 (RFC 5280) ----------------------------------------------------------------------------

const oids = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** KeyUsage bit numbers (RFC 5280 4.2.1.3) */
const enum KeyUsage { digitalSignature = 0, keyCertSign = 5, cRLSign = 6 }

/** a Name holding just a CN (PrintableString when it fits, as before; UTF8String otherwise) */
function name(cn: string): Buffer {
  const value = der.isPrintable(cn) ? der.printableString(cn) : der.utf8String(cn);
  return der.sequence(der.set(der.sequence(der.oid(oids.commonName), value)));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

/** the KeyUsage named-bit BIT STRING, trailing zero bits dropped as DER requires */
function keyUsage(...bits: KeyUsage[]): Buffer {
  const bytes = Buffer.alloc(Math.floor(Math.max(...bits) / 8) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  const last = bytes[bytes.length - 1]!;
  let unused = 0;
  while (unused < 7 && !(last & (1 << unused))) unused++;
  return der.bitString(bytes, unused);
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (the uncompressed EC point) */
function keyId(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  return createHash('sha1').update(point).digest();
}

function certificate(o: {
  issuer: Buffer; subject: Buffer; notBefore: Date; notAfter: Date;
  publicKey: KeyObject; signingKey: KeyObject; extensions: Buffer[];
}): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive (Go rejects negative serials) and a full 16 bytes
  const sigAlg = der.sequence(der.oid(oids.ecdsaWithSHA256)); // parameters absent for ECDSA (RFC 5758)
  const tbs = der.sequence(
    der.explicit(0, der.integer(2)), // v3
    der.integer(serial),
    sigAlg,
    o.issuer,
    der.sequence(der.time(o.notBefore), der.time(o.notAfter)),
    o.subject,
    o.publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.sequence(...o.extensions)),
  );
  const signature = sign('sha256', tbs, { key: o.signingKey, dsaEncoding: 'der' });
  return der.sequence(tbs, sigAlg, der.bitString(signature));
}

function pem(label: string, body: Buffer): string {
  return `-----BEGIN ${label}-----\n${body.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}
