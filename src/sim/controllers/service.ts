/**
 * Service IP and port allocation, as kube-apiserver's Service REST storage does it
 * (k/k pkg/registry/core/service/ipallocator, portallocator, storage/alloc.go), installed as an admission
 * plugin: ClusterIPs from the Service CIDR (10.96.0.0/12, the first address for the `kubernetes` Service,
 * dynamic allocations drawn at random from above the static band), explicit IPs honoured or rejected,
 * headless `None`, NodePorts from 30000–32767, ExternalName without an IP. Also creates the `kubernetes`
 * Service in `default` at start.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import type { ApiError } from '../apiserver.js';
import { intToIp, ipToInt, parseCidr } from '../ipam.js';

/** Allocation state for one simulation. */
export class ServiceAllocator {
  private readonly ips = new Map<string, string>(); // ip -> service uid/key
  private readonly ports = new Map<number, string>();
  private readonly base: number;
  private readonly size: number;
  private readonly rng;

  constructor(private readonly ctx: SimContext) {
    const { base, bits } = parseCidr(ctx.defaults.serviceCIDR);
    this.base = base;
    this.size = 2 ** (32 - bits);
    this.rng = ctx.rng('clusterip');
  }

  /** Whether an IP lies in the Service CIDR (network and broadcast addresses excluded). */
  inRange(ip: string): boolean {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
    const off = (ipToInt(ip) - this.base) >>> 0;
    return off >= 1 && off < this.size - 1;
  }

  /** Reserves a specific IP; false when taken. */
  reserveIP(ip: string, owner: string): boolean {
    if (this.ips.has(ip)) return false;
    this.ips.set(ip, owner);
    return true;
  }

  /** A random free IP above the static band (min(max(16, size/16), 256) addresses), else any free one. */
  allocateIP(owner: string): string | undefined {
    const max = this.size - 2; // usable offsets 1..max
    const staticBand = Math.min(Math.max(16, Math.floor(max / 16)), 256);
    const dynLow = staticBand + 1;
    const span = max - dynLow + 1;
    for (let i = 0; i < 64 && span > 0; i++) {
      const ip = intToIp((this.base + dynLow + this.rng.int(span)) >>> 0);
      if (this.reserveIP(ip, owner)) return ip;
    }
    for (let off = 1; off <= max; off++) {
      const ip = intToIp((this.base + off) >>> 0);
      if (this.reserveIP(ip, owner)) return ip;
    }
    return undefined;
  }

  /** Releases the IPs and ports of a Service. */
  release(owner: string): void {
    for (const [ip, o] of [...this.ips]) if (o === owner) this.ips.delete(ip);
    for (const [p, o] of [...this.ports]) if (o === owner) this.ports.delete(p);
  }

  /** Reserves a node port; false when taken. */
  reservePort(port: number, owner: string): boolean {
    const cur = this.ports.get(port);
    if (cur !== undefined && cur !== owner) return false;
    this.ports.set(port, owner);
    return true;
  }

  /** A random free node port above the static band, else any free one. */
  allocatePort(owner: string): number | undefined {
    const [lo, hi] = this.ctx.defaults.nodePortRange;
    const size = hi - lo + 1;
    const staticBand = Math.min(Math.max(16, Math.floor(size / 32)), 128);
    const span = size - staticBand;
    for (let i = 0; i < 64; i++) {
      const p = lo + staticBand + this.rng.int(span);
      if (!this.ports.has(p)) {
        this.ports.set(p, owner);
        return p;
      }
    }
    for (let p = lo; p <= hi; p++) if (!this.ports.has(p)) { this.ports.set(p, owner); return p; }
    return undefined;
  }
}

function invalid(message: string): ApiError {
  return { code: 422, reason: 'Invalid', message };
}

function ownerKey(svc: KObject): string {
  return `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;
}

/** Defaults a Service spec in place (k/k pkg/apis/core/v1/defaults.go SetDefaults_Service). */
export function defaultServiceSpec(svc: KObject): void {
  const spec = svc.spec ?? (svc.spec = {});
  spec.type ??= 'ClusterIP';
  if (spec.type === 'ExternalName') return;
  spec.sessionAffinity ??= 'None';
  spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  for (const p of (spec.ports ?? []) as Array<Record<string, any>>) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
}

/** Installs the Service admission (allocation) and creates the `kubernetes` Service. */
export function startServiceAllocation(ctx: SimContext): ServiceAllocator {
  const alloc = new ServiceAllocator(ctx);
  ctx.api.registerAdmission((op, obj, old) => {
    if (obj.kind !== 'Service') return undefined;
    defaultServiceSpec(obj);
    const spec = obj.spec;
    const owner = ownerKey(obj);
    const name = obj.metadata.name;
    if (op === 'update' && old) {
      // ClusterIPs and node ports are kept across updates unless given.
      if (spec.type !== 'ExternalName') {
        spec.clusterIP ??= old.spec?.clusterIP;
        spec.clusterIPs ??= old.spec?.clusterIPs;
      }
      const oldPorts: any[] = old.spec?.ports ?? [];
      for (const p of (spec.ports ?? []) as any[]) {
        const o = oldPorts.find((x) => x.port === p.port && (x.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
        if (p.nodePort === undefined && o?.nodePort !== undefined && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) p.nodePort = o.nodePort;
      }
    }
    if (spec.type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
      return undefined;
    }
    if (spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
    } else if (op === 'create' || !old?.spec?.clusterIP || old.spec.clusterIP !== spec.clusterIP) {
      const wanted: string | undefined = spec.clusterIP || spec.clusterIPs?.[0] || undefined;
      if (wanted) {
        if (!alloc.inRange(wanted)) return invalid(ctx.msg.clusterIPNotInRange(name, wanted, ctx.defaults.serviceCIDR));
        if (!alloc.reserveIP(wanted, owner)) return invalid(ctx.msg.clusterIPAllocated(name, wanted));
        spec.clusterIP = wanted;
      } else {
        const ip = alloc.allocateIP(owner);
        if (!ip) return invalid(`Service "${name}" is invalid: spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full`);
        spec.clusterIP = ip;
      }
      spec.clusterIPs = [spec.clusterIP];
    }
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    if (spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)) {
      const [lo, hi] = ctx.defaults.nodePortRange;
      const ports: any[] = spec.ports ?? [];
      for (let i = 0; i < ports.length; i++) {
        const p = ports[i];
        const prev = old?.spec?.ports?.find((x: any) => x.nodePort === p.nodePort);
        if (p.nodePort !== undefined && p.nodePort !== null) {
          if (prev && op === 'update') continue;
          if (p.nodePort < lo || p.nodePort > hi) return invalid(ctx.msg.nodePortOutOfRange(name, i, p.nodePort, `${lo}-${hi}`));
          if (!alloc.reservePort(p.nodePort, owner)) return invalid(ctx.msg.nodePortAllocated(name, i, p.nodePort));
        } else {
          const np = alloc.allocatePort(owner);
          if (np === undefined) return invalid(`Service "${name}" is invalid: spec.ports[${i}].nodePort: Internal error: failed to allocate a nodePort: range is full`);
          p.nodePort = np;
        }
      }
    }
    if (spec.type === 'LoadBalancer') {
      obj.status ??= {};
      obj.status.loadBalancer ??= {};
    }
    return undefined;
  });
  ctx.store.watch('Service', (type, svc) => {
    if (type === 'DELETED') alloc.release(ownerKey(svc));
  });
  const r = ctx.api.create({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      clusterIP: ctx.defaults.kubernetesServiceIP,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: ctx.defaults.apiServerSecurePort }],
      sessionAffinity: 'None', type: 'ClusterIP',
    },
  }, { by: 'kube-apiserver' });
  if (!r.ok) ctx.trace.add('error', `kubernetes Service: ${r.error.message}`);
  return alloc;
}
