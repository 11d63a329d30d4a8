import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import { networkFor } from '../../../src/sandbox/network/index.js';
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

const kubiaPod = (name: string, image = 'luksa/kubia') => ({
  metadata: { name, labels: { app: 'kubia' } },
  spec: { containers: [{ name: 'kubia', image, ports: [{ containerPort: 8080, name: 'http' }] }] },
});

const kubiaSvc = (extra: Record<string, unknown> = {}, name = 'kubia') => ({
  metadata: { name },
  spec: { selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }], ...extra },
});

async function exec(pod: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const w = (f: (s: string) => void) => new Writable({ write(c, _e, cb) { f(c.toString()); cb(); } });
  const p = t.sandbox.kubelets!.runtime.exec('default', pod, '', argv, {
    stdout: w((s) => { out += s; }), stderr: w((s) => { err += s; }), tty: false,
  }, new AbortController().signal);
  // commands that wait (timeouts, ping intervals) need simulated time to pass
  let code: number | undefined;
  void p.then((c) => { code = c; });
  for (let i = 0; i < 400 && code === undefined; i++) {
    await t.clock.settle();
    if (code === undefined) await t.clock.advance(1000);
  }
  return { code: await p, out, err };
}

async function cluster(pods = 3, svcExtra: Record<string, unknown> = {}): Promise<void> {
  t = await startTestSandbox({ seed: 7 });
  await create('Service', kubiaSvc(svcExtra));
  for (let i = 0; i < pods; i++) await create('Pod', kubiaPod(`kubia-${i}`));
  await advance(60_000);
}

describe('virtual network', () => {
  it('curl from a pod to a service name reaches different pods; the program logs the client IP', async () => {
    await cluster();
    const hits = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await exec('kubia-0', ['curl', '-s', 'http://kubia']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^You've hit kubia-\d\n$/);
      hits.add(r.out);
    }
    expect(hits.size).toBeGreaterThan(1);
    const r = await exec('kubia-0', ['curl', '-s', 'http://kubia.default.svc.cluster.local']);
    expect(r.out).toMatch(/^You've hit kubia-\d\n$/);
    const fqdn = await exec('kubia-0', ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'kubia.default']);
    expect(fqdn.out).toBe('200');
  });

  it('sessionAffinity ClientIP sticks to one pod', async () => {
    await cluster(3, { sessionAffinity: 'ClientIP' });
    const hits = new Set<string>();
    for (let i = 0; i < 10; i++) hits.add((await exec('kubia-1', ['curl', '-s', 'http://kubia'])).out);
    expect(hits.size).toBe(1);
  });

  it('injects service env vars into containers created after the service only', async () => {
    await cluster(1);
    await create('Service', kubiaSvc({ selector: { app: 'other' } }, 'late-svc'));
    await advance(1000);
    const svc = t.sandbox.store.tryGet(rt('Service'), 'default', 'kubia')!;
    const ip = svc.spec.clusterIP;
    const { out } = await exec('kubia-0', ['env']);
    expect(out).toContain(`KUBIA_SERVICE_HOST=${ip}\n`);
    expect(out).toContain('KUBIA_SERVICE_PORT=80\n');
    expect(out).toContain(`KUBIA_PORT=tcp://${ip}:80\n`);
    expect(out).toContain(`KUBIA_PORT_80_TCP=tcp://${ip}:80\n`);
    expect(out).toContain('KUBIA_PORT_80_TCP_PROTO=tcp\n');
    expect(out).toContain('KUBIA_PORT_80_TCP_PORT=80\n');
    expect(out).toContain(`KUBIA_PORT_80_TCP_ADDR=${ip}\n`);
    expect(out).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    expect(out).toContain('KUBERNETES_SERVICE_PORT=443\n');
    expect(out).not.toContain('LATE_SVC');
    // enableServiceLinks: false keeps only KUBERNETES_*
    await create('Pod', { ...kubiaPod('nolinks'), spec: { ...kubiaPod('x').spec, enableServiceLinks: false } });
    await advance(30_000);
    const nl = await exec('nolinks', ['env']);
    expect(nl.out).toContain('KUBERNETES_SERVICE_HOST=');
    expect(nl.out).not.toContain('KUBIA_');
  });

  it('resolv.conf, hosts, hostname and nslookup', async () => {
    await cluster(2);
    await create('Pod', { metadata: { name: 'bb' }, spec: { containers: [{ name: 'bb', image: 'busybox', command: ['sleep', '3600'] }] } });
    await create('Service', { metadata: { name: 'kubia-headless' }, spec: { clusterIP: 'None', selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080 }] } });
    await advance(30_000);
    expect((await exec('bb', ['cat', '/etc/resolv.conf'])).out).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const bb = t.sandbox.store.tryGet(rt('Pod'), 'default', 'bb')!;
    const hosts = (await exec('bb', ['cat', '/etc/hosts'])).out;
    expect(hosts).toContain('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n');
    expect(hosts).toContain(`${bb.status.podIP}\tbb\n`);
    expect((await exec('bb', ['hostname'])).out).toBe('bb\n');
    const ip = t.sandbox.store.tryGet(rt('Service'), 'default', 'kubia')!.spec.clusterIP;
    const ns = await exec('bb', ['nslookup', 'kubia']);
    expect(ns.code).toBe(0);
    expect(ns.out).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubia.default.svc.cluster.local\nAddress: ${ip}\n\n`);
    const headless = await exec('bb', ['nslookup', 'kubia-headless']);
    const podIPs = ['kubia-0', 'kubia-1'].map((n) => t.sandbox.store.tryGet(rt('Pod'), 'default', n)!.status.podIP).sort();
    const got = [...headless.out.matchAll(/Address: (\S+)/g)].map((m) => m[1]).sort();
    expect(got).toEqual(podIPs);
    const podDNS = await exec('bb', ['nslookup', `${podIPs[0].replace(/\./g, '-')}.default.pod.cluster.local`]);
    expect(podDNS.out).toContain(`Address: ${podIPs[0]}\n`);
    const missing = await exec('bb', ['nslookup', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("** server can't find nope: NXDOMAIN");
    // busybox has wget but no curl
    expect((await exec('bb', ['wget', '-qO-', 'http://kubia'])).out).toMatch(/^You've hit kubia-\d\n$/);
    expect((await exec('bb', ['curl', 'http://kubia'])).err).toBe('sh: curl: not found\n');
    expect((await exec('bb', ['wget', '-qO-', 'http://nope'])).err).toBe("wget: bad address 'nope'\n");
  });

  it('curl errors: unknown host exits 6, no endpoints exits 7, nothing listening is refused', async () => {
    await cluster(1);
    const r = await exec('kubia-0', ['curl', '-s', 'http://nope']);
    expect(r).toEqual({ code: 6, out: '', err: '' });
    const shown = await exec('kubia-0', ['curl', '-sS', 'http://nope']);
    expect(shown.err).toBe('curl: (6) Could not resolve host: nope\n');
    await create('Service', kubiaSvc({ selector: { app: 'none' } }, 'empty'));
    await advance(2000);
    const ip = t.sandbox.store.tryGet(rt('Service'), 'default', 'empty')!.spec.clusterIP;
    const e = await exec('kubia-0', ['curl', '-sS', `http://${ip}`]);
    expect(e.code).toBe(7);
    expect(e.err).toBe(`curl: (7) Failed to connect to ${ip} port 80: Connection refused\n`);
    // the progress meter without -s (stdout is not a terminal)
    const meter = await exec('kubia-0', ['curl', 'http://kubia']);
    expect(meter.err).toContain('% Total    % Received');
    expect(meter.out).toBe("You've hit kubia-0\n");
    const v = await exec('kubia-0', ['curl', '-sv', 'http://kubia']);
    expect(v.err).toContain('> GET / HTTP/1.1\n> Host: kubia\n> User-Agent: curl/7.38.0\n');
    expect(v.err).toContain('< HTTP/1.1 200 OK\n');
    const i = await exec('kubia-0', ['curl', '-si', 'http://kubia']);
    expect(i.out).toMatch(/^HTTP\/1\.1 200 OK\r\nDate: .*\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\nYou've hit kubia-0\n$/);
  });

  it('ping to a ClusterIP gets no reply; to a pod IP it does', async () => {
    await cluster(2);
    const ip = t.sandbox.store.tryGet(rt('Service'), 'default', 'kubia')!.spec.clusterIP;
    const r = await exec('kubia-0', ['ping', '-c', '3', 'kubia']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`PING kubia.default.svc.cluster.local (${ip}): 56 data bytes\n--- kubia.default.svc.cluster.local ping statistics ---\n3 packets transmitted, 0 packets received, 100% packet loss\n`);
    const other = t.sandbox.store.tryGet(rt('Pod'), 'default', 'kubia-1')!.status.podIP;
    const ok = await exec('kubia-0', ['ping', '-c', '2', other]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`64 bytes from ${other}: icmp_seq=0 ttl=64`);
  });

  it('a LoadBalancer service listens on 127.0.0.1:<port> on the host', async () => {
    t = await startTestSandbox({ seed: 3 });
    await create('Pod', kubiaPod('kubia-lb'));
    // port 0 is not allowed; pick a port unlikely to be busy
    const port = 20000 + Math.floor(Math.random() * 9000);
    await create('Service', { metadata: { name: 'kubia-http' }, spec: { type: 'LoadBalancer', selector: { app: 'kubia' }, ports: [{ port, targetPort: 8080 }] } });
    await advance(60_000);
    const svc = t.sandbox.store.tryGet(rt('Service'), 'default', 'kubia-http')!;
    expect(svc.status.loadBalancer.ingress).toEqual([{ hostname: 'localhost' }]);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).toBe("You've hit kubia-lb\n");
    // the same through the routing API, and via the node port
    const host = (await import('../../../src/sandbox/network/index.js'));
    expect(host).toBeTruthy();
    const net = networkFor(t.sandbox.ctx);
    const nodeIP = net.nodeIP(net.nodes()[1])!;
    const viaNodePort = await net.request('10.244.1.50', `http://${nodeIP}:${svc.spec.ports[0].nodePort}/`);
    expect(viaNodePort.body).toBe("You've hit kubia-lb\n");
  });

  it('ingress routes by Host header and path, and gets an address', async () => {
    t = await startTestSandbox({ seed: 5 });
    await create('Pod', kubiaPod('kubia-a'));
    await create('Pod', { metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
    await create('Service', kubiaSvc({ type: 'NodePort' }, 'kubia-nodeport'));
    await create('Service', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await create('Ingress', {
      metadata: { name: 'kubia' },
      spec: {
        tls: [{ hosts: ['secure.example.com'], secretName: 'tls-secret' }],
        rules: [
          { host: 'kubia.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'kubia-nodeport', port: { number: 80 } } } }] } },
          { host: 'web.example.com', http: { paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            { path: '/kubia', pathType: 'Exact', backend: { service: { name: 'kubia-nodeport', port: { number: 80 } } } },
          ] } },
          { host: 'secure.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'kubia-nodeport', port: { number: 80 } } } }] } },
        ],
      },
    }, 'networking.k8s.io');
    await advance(60_000);
    const { ingressRequest } = await import('../../../src/sandbox/network/index.js');
    const net = networkFor(t.sandbox.ctx);
    const get = (host: string, path = '/') => ingressRequest(net, { method: 'GET', path, headers: [['Host', host]], https: false, clientIP: '172.18.0.1' });
    expect(get('kubia.example.com').body).toBe("You've hit kubia-a\n");
    expect(get('web.example.com').body).toContain('Welcome to nginx!');
    expect(get('web.example.com', '/kubia').body).toBe("You've hit kubia-a\n");
    expect(get('web.example.com', '/kubia/x').status).toBe(404); // nginx's own 404 (Prefix / → web)
    expect(get('other.example.com').status).toBe(404);
    const redirect = get('secure.example.com', '/x');
    expect(redirect.status).toBe(308);
    expect(redirect.headers).toContainEqual(['Location', 'https://secure.example.com/x']);
    const ing = t.sandbox.store.tryGet(rt('Ingress', 'networking.k8s.io'), 'default', 'kubia')!;
    expect(ing.status.loadBalancer.ingress).toEqual([{ hostname: 'localhost' }]);
  });
});
