/** Cluster IP and NodePort allocation for Services (the service CIDR and the node port range). */
import { errors } from '../apiserver/errors.js';

function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return NaN;
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}

function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class Ipam {
  private readonly base: number;
  private readonly size: number;
  private usedIPs = new Set<number>();
  private usedPorts = new Set<number>();
  private nextIP = 0;

  /** random in [0,1) for where a NodePort search starts (seeded by the sandbox: same seed, same ports) */
  random: () => number = Math.random;

  constructor(readonly serviceCIDR = '10.96.0.0/12', readonly nodePortRange: [number, number] = [30000, 32767]) {
    const [ip, bits] = serviceCIDR.split('/');
    this.base = ipToInt(ip);
    this.size = 2 ** (32 - Number(bits));
    this.usedIPs.add(this.base); // network address
    this.usedIPs.add(this.base + 1); // the kubernetes service
    this.usedIPs.add(this.base + 10); // kube-dns
  }

  /** mark an address or port taken (services loaded from disk or created at bootstrap) */
  reserve(ip?: string, ports: (number | undefined)[] = []): void {
    if (ip && ip !== 'None') this.usedIPs.add(ipToInt(ip));
    for (const p of ports) if (p) this.usedPorts.add(p);
  }

  allocateClusterIP(requested?: string): string {
    if (requested) {
      const n = ipToInt(requested);
      if (Number.isNaN(n) || n < this.base || n >= this.base + this.size) {
        throw errors.invalid('', 'Service', '', [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: [requested], detail: `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.serviceCIDR}` }]);
      }
      if (this.usedIPs.has(n)) {
        throw errors.invalid('', 'Service', '', [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: [requested], detail: `failed to allocate IP ${requested}: provided IP is already allocated` }]);
      }
      this.usedIPs.add(n);
      return requested;
    }
    // dynamic allocations start in the upper part of the range, as kube's allocator prefers
    for (let i = 0; i < this.size - 2; i++) {
      const n = this.base + 16 + ((this.nextIP + i * 7919) % (this.size - 17));
      if (!this.usedIPs.has(n)) {
        this.usedIPs.add(n);
        this.nextIP = (this.nextIP + 1) % (this.size - 17);
        return intToIp(n);
      }
    }
    throw errors.internal('failed to allocate a serviceIP: range is full');
  }

  releaseClusterIP(ip: string): void {
    this.usedIPs.delete(ipToInt(ip));
  }

  allocateNodePort(requested?: number): number {
    const [lo, hi] = this.nodePortRange;
    if (requested) {
      if (requested < lo || requested > hi) {
        throw errors.invalid('', 'Service', '', [{ type: 'FieldValueInvalid', field: 'spec.ports[0].nodePort', badValue: requested, detail: `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}` }]);
      }
      if (this.usedPorts.has(requested)) {
        throw errors.invalid('', 'Service', '', [{ type: 'FieldValueInvalid', field: 'spec.ports[0].nodePort', badValue: requested, detail: 'provided port is already allocated' }]);
      }
      this.usedPorts.add(requested);
      return requested;
    }
    const span = hi - lo + 1;
    const start = Math.floor(this.random() * span);
    for (let i = 0; i < span; i++) {
      const p = lo + ((start + i) % span);
      if (!this.usedPorts.has(p)) {
        this.usedPorts.add(p);
        return p;
      }
    }
    throw errors.internal('failed to allocate a nodePort: range is full');
  }

  releaseNodePort(port: number): void {
    this.usedPorts.delete(port);
  }
}
