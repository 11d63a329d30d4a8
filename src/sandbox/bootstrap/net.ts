/** Minimal IPv4 CIDR arithmetic for the bootstrap objects. */

export interface Cidr {
  /** network address as an unsigned 32-bit integer */
  base: number;
  prefix: number;
}

export function parseIPv4(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address: ${ip}`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`invalid IPv4 address: ${ip}`);
    n = n * 256 + Number(p);
  }
  return n >>> 0;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): Cidr {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  if (!m || Number(m[2]) > 32) throw new Error(`invalid IPv4 CIDR: ${cidr}`);
  const prefix = Number(m[2]);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (parseIPv4(m[1]) & mask) >>> 0, prefix };
}

/** The address at `offset` inside the range (1 = first usable, like the kubernetes service IP). */
export function ipAt(cidr: string, offset: number): string {
  const c = parseCidr(cidr);
  const size = 2 ** (32 - c.prefix);
  if (offset < 0 || offset >= size) throw new Error(`offset ${offset} outside ${cidr}`);
  return formatIPv4((c.base + offset) >>> 0);
}

/**
 * The index-th subnet of size /newPrefix inside `cidr`, as kube-controller-manager's range
 * allocator hands out node podCIDRs (10.244.0.0/24, 10.244.1.0/24, ...).
 */
export function subnetAt(cidr: string, newPrefix: number, index: number): string {
  const c = parseCidr(cidr);
  if (newPrefix < c.prefix) throw new Error(`/${newPrefix} does not fit in ${cidr}`);
  const count = 2 ** (newPrefix - c.prefix);
  if (index < 0 || index >= count) throw new Error(`subnet ${index} outside ${cidr}`);
  return `${formatIPv4((c.base + index * 2 ** (32 - newPrefix)) >>> 0)}/${newPrefix}`;
}

/**
 * kube-controller-manager's default --node-cidr-mask-size for IPv4 is 24; when the cluster CIDR
 * is too small to give every node a /24 we shrink the per-node range until they all fit.
 */
export function nodeMaskSize(podCIDR: string, nodeCount: number): number {
  const { prefix } = parseCidr(podCIDR);
  let mask = Math.max(24, prefix);
  while (mask < 30 && 2 ** (mask - prefix) < nodeCount) mask++;
  return mask;
}
