/**
 * Deterministic addresses of a kubeadm cluster with a flannel-style network: node InternalIPs from
 * 172.18.0.2 upward, the k-th /24 of the cluster CIDR as each node's podCIDR, and host-local IPAM handing
 * out pod IPs (`.1` is the bridge; next free after the last handed out, wrapping).
 */

/** Dotted quad -> 32-bit unsigned. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, p) => ((a << 8) | Number(p)) >>> 0, 0) >>> 0;
}

/** 32-bit unsigned -> dotted quad. */
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses `a.b.c.d/len`. */
export function parseCidr(cidr: string): { base: number; bits: number } {
  const [ip, len] = cidr.split('/');
  const bits = Number(len);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ipToInt(ip!) & mask) >>> 0, bits };
}

/** Node addresses: InternalIP and podCIDR of the k-th node. */
export class NodeAddressAllocator {
  private k = 0;
  constructor(private readonly firstIp: string, private readonly clusterCidr: string) {}

  /** The next node's addresses. */
  next(): { internalIP: string; podCIDR: string } {
    const k = this.k++;
    const internalIP = intToIp(ipToInt(this.firstIp) + k);
    const { base } = parseCidr(this.clusterCidr);
    const podCIDR = `${intToIp((base + k * 256) >>> 0)}/24`;
    return { internalIP, podCIDR };
  }
}

/** host-local IPAM for one node's /24: `.1` is the bridge, hands out .2 .. .254 round-robin. */
export class HostLocalIpam {
  private last: number;
  private used = new Set<number>();
  private readonly base: number;
  constructor(podCIDR: string) {
    this.base = parseCidr(podCIDR).base;
    this.last = 1;
  }

  /** Allocates the next free address, or undefined when the range is exhausted. */
  allocate(): string | undefined {
    for (let i = 0; i < 253; i++) {
      let cand = this.last + 1 + i;
      cand = ((cand - 2) % 253) + 2; // wrap within 2..254
      if (!this.used.has(cand)) {
        this.used.add(cand);
        this.last = cand;
        return intToIp((this.base + cand) >>> 0);
      }
    }
    return undefined;
  }

  /** Releases an address. */
  release(ip: string): void {
    this.used.delete((ipToInt(ip) - this.base) >>> 0);
  }
}
