/**
 * The sandbox's TLS credentials, built with node:crypto and a tiny DER encoder: Node's X.509 parser
 * (OpenSSL) accepts them, the chain verifies, the SANs match, and a real TLS handshake succeeds
 * with only the CA as trust anchor (default hostname checks) on 127.0.0.1 and localhost.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as der from '../../../src/sandbox/der.js';
import { generateCredentials, loadOrCreateCredentials, type Credentials } from '../../../src/sandbox/tls.js';

const hex = (b: Buffer) => b.toString('hex');

describe('der', () => {
  it('encodes lengths in short and long form', () => {
    expect(hex(der.octetString(Buffer.alloc(3)))).toBe('0403000000');
    expect(hex(der.octetString(Buffer.alloc(127))).slice(0, 4)).toBe('047f');
    expect(hex(der.octetString(Buffer.alloc(128))).slice(0, 6)).toBe('048180');
    expect(hex(der.octetString(Buffer.alloc(300))).slice(0, 8)).toBe('0482012c');
  });
  it('encodes INTEGERs minimally and non-negative', () => {
    expect(hex(der.integer(0))).toBe('020100');
    expect(hex(der.integer(2))).toBe('020102');
    expect(hex(der.integer(128))).toBe('02020080');
    expect(hex(der.integer(256))).toBe('02020100');
    expect(hex(der.integer(Buffer.from('0000ff', 'hex')))).toBe('020200ff');
    expect(hex(der.integer(Buffer.from('00007f', 'hex')))).toBe('02017f');
    expect(hex(der.integer(Buffer.alloc(0)))).toBe('020100');
  });
  it('encodes OBJECT IDENTIFIERs', () => {
    expect(hex(der.oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(der.oid('2.5.29.17'))).toBe('0603551d11');
    expect(hex(der.oid('1.3.6.1.5.5.7.3.1'))).toBe('06082b06010505070301');
  });
  it('encodes BOOLEAN, BIT STRING, strings and context tags', () => {
    expect(hex(der.boolean(true))).toBe('0101ff');
    expect(hex(der.boolean(false))).toBe('010100');
    expect(hex(der.bitString(Buffer.from([0x86]), 1))).toBe('03020186');
    expect(hex(der.printableString('ab'))).toBe('13026162');
    expect(hex(der.utf8String('é'))).toBe('0c02c3a9');
    expect(hex(der.explicit(0, der.integer(2)))).toBe('a003020102');
    expect(hex(der.implicit(7, Buffer.from([127, 0, 0, 1])))).toBe('87047f000001');
    expect(hex(der.sequence())).toBe('3000');
    expect(hex(der.set(der.boolean(true)))).toBe('31030101ff');
  });
  it('encodes times as UTCTime before 2050, GeneralizedTime from 2050', () => {
    expect(der.time(new Date('2036-11-24T17:55:39.999Z')).toString('latin1')).toBe('\x17\x0d361124175539Z');
    expect(der.time(new Date('1999-01-02T03:04:05Z')).toString('latin1')).toBe('\x17\x0d990102030405Z');
    expect(der.time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });
});

describe('generateCredentials', () => {
  let creds: Credentials;
  let ca: X509Certificate;
  let leaf: X509Certificate;

  beforeAll(async () => {
    const t0 = performance.now();
    creds = await generateCredentials();
    const ms = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 20; i++) await generateCredentials();
    console.log(`generateCredentials: first call ${ms.toFixed(2)} ms, then ${((performance.now() - t1) / 20).toFixed(2)} ms on average`);
    ca = new X509Certificate(creds.caCert);
    leaf = new X509Certificate(creds.serverCert);
  });

  it('returns PEM blocks ending in one newline and a url-safe token', () => {
    expect(creds.caCert).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
    expect(creds.serverCert).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    expect(creds.serverKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    expect(creds.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('makes a self-signed P-256 CA', () => {
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=kube-tutor-ca');
    expect(ca.issuer).toBe('CN=kube-tutor-ca');
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('makes a serving certificate signed by the CA, for 127.0.0.1 and the apiserver names', () => {
    expect(leaf.ca).toBe(false);
    expect(leaf.subject).toBe('CN=kube-apiserver');
    expect(leaf.issuer).toBe('CN=kube-tutor-ca');
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkHost('kubernetes')).toBe('kubernetes');
    expect(leaf.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
    expect(leaf.checkHost('example.com')).toBeUndefined();
    expect(leaf.checkIP('10.0.0.1')).toBeUndefined();
    expect(leaf.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default.svc');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extKeyUsage serverAuth
    expect(leaf.checkPrivateKey(createPrivateKey(creds.serverKey))).toBe(true);
  });

  it('uses positive 16-byte serials, ~10 years of validity, and links the key identifiers', () => {
    for (const c of [ca, leaf]) {
      expect(c.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/); // high bit clear: Go rejects negative serials
      const from = Date.parse(c.validFrom);
      const to = Date.parse(c.validTo);
      expect(Math.abs(from - (Date.now() - 60_000))).toBeLessThan(120_000);
      expect((to - from) / 86_400_000).toBeGreaterThan(3649);
    }
    expect(ca.serialNumber).not.toBe(leaf.serialNumber);
    // AKI of the leaf = SKI of the CA (the keyIdentifier bytes appear in both DER encodings)
    const ski = extValue(ca.raw, '0603551d0e'); // 2.5.29.14
    const aki = extValue(leaf.raw, '0603551d23'); // 2.5.29.35
    expect(ski.subarray(2)).toHaveLength(20);
    expect(hex(aki)).toBe('30168014' + hex(ski.subarray(2)));
  });

  it('is fresh each time', async () => {
    const again = await generateCredentials();
    expect(again.caCert).not.toBe(creds.caCert);
    expect(again.serverKey).not.toBe(creds.serverKey);
    expect(again.token).not.toBe(creds.token);
  });

  describe('over TLS', () => {
    let server: https.Server;
    let port: number;
    beforeAll(async () => {
      server = https.createServer({ cert: creds.serverCert, key: creds.serverKey }, (_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const get = (host: string, caCert: string) => new Promise<string>((resolve, reject) => {
      const req = https.get({ host, port, path: '/', ca: caCert, family: 4, agent: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
    });

    it('answers on 127.0.0.1 with only the CA trusted', async () => {
      expect(await get('127.0.0.1', creds.caCert)).toBe('ok');
    });
    it('answers on localhost with only the CA trusted', async () => {
      expect(await get('localhost', creds.caCert)).toBe('ok');
    });
    it('is refused under another CA', async () => {
      const other = await generateCredentials();
      await expect(get('127.0.0.1', other.caCert)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    });
  });
});

describe('loadOrCreateCredentials', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  it('creates the files once (private modes) and reads the same credentials back', async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'kt-tls-'));
    dirs.push(dir);
    const first = await loadOrCreateCredentials(dir);
    for (const f of ['ca.crt', 'apiserver.crt', 'apiserver.key', 'token']) {
      expect(fs.statSync(join(dir, 'pki', f)).mode & 0o777).toBe(0o600);
    }
    expect(fs.statSync(join(dir, 'pki')).mode & 0o777).toBe(0o700);
    const second = await loadOrCreateCredentials(dir);
    expect(second).toEqual(first);
    expect(new X509Certificate(second.serverCert).verify(new X509Certificate(second.caCert).publicKey)).toBe(true);
  });

  it('generates without writing anything when no dir is given', async () => {
    const c = await loadOrCreateCredentials(undefined);
    expect(new X509Certificate(c.caCert).ca).toBe(true);
  });
});

/** the extnValue contents of the extension whose DER-encoded OID (as hex) is `oidHex` */
function extValue(raw: Buffer, oidHex: string): Buffer {
  let at = raw.indexOf(Buffer.from(oidHex, 'hex'));
  expect(at).toBeGreaterThan(0);
  at += oidHex.length / 2;
  if (raw[at] === 0x01) at += 3; // critical BOOLEAN
  expect(raw[at]).toBe(0x04);
  return raw.subarray(at + 2, at + 2 + raw[at + 1]!);
}
