/**
 * The resource-allocation scorer shared by NodeResourcesFit and NodeResourcesBalancedAllocation
 * (k/k framework/plugins/noderesources/resource_allocation.go): per configured resource, the node's
 * allocatable and requested-plus-pod amount; Fit scores non-zero requests, BalancedAllocation real ones.
 */
import type { NodeInfo, PodInfo } from '../node-info.js';

/** A resource and its weight (config.ResourceSpec). */
export interface ResourceSpec {
  name: string;
  weight: number;
}

/** Whether a resource is a scalar (extended, hugepages) one. */
export function isScalarResource(name: string): boolean {
  return name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage' && name !== 'pods';
}

/** The pod's request of a resource for scoring (non-zero defaults for cpu/memory unless `useRequested`). */
export function podRequestFor(pod: PodInfo, name: string, useRequested: boolean): number {
  if (!useRequested && name === 'cpu') return pod.nzCpu;
  if (!useRequested && name === 'memory') return pod.nzMem;
  return pod.req[name] ?? 0;
}

/**
 * calculateResourceAllocatableRequest: [allocatable, requested + pod]; [0, 0] for a scalar resource the pod
 * does not request.
 */
export function allocatableAndRequest(node: NodeInfo, name: string, podReq: number, useRequested: boolean, withPod = true): [number, number] {
  if (podReq === 0 && isScalarResource(name)) return [0, 0];
  let requested: number;
  if (!useRequested && name === 'cpu') requested = node.nzCpu;
  else if (!useRequested && name === 'memory') requested = node.nzMem;
  else requested = node.requested[name] ?? 0;
  return [node.allocatable[name] ?? 0, requested + (withPod ? podReq : 0)];
}

/** The requested and allocatable vectors for a node (entries with zero allocatable left at 0/0). */
export function vectors(pod: PodInfo, node: NodeInfo, resources: readonly ResourceSpec[], useRequested: boolean, withPod = true): { requested: number[]; allocatable: number[] } {
  // allocatableAndRequest inlined (no tuple per resource): this runs for every scored node.
  const n = resources.length;
  const requested: number[] = new Array(n), allocatable: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const name = resources[i]!.name;
    const podReq = podRequestFor(pod, name, useRequested);
    let a = 0, q = 0;
    if (!(podReq === 0 && isScalarResource(name))) {
      a = node.allocatable[name] ?? 0;
      if (a !== 0) {
        if (!useRequested && name === 'cpu') q = node.nzCpu;
        else if (!useRequested && name === 'memory') q = node.nzMem;
        else q = node.requested[name] ?? 0;
        q += withPod ? podReq : 0;
      }
    }
    allocatable[i] = a;
    requested[i] = q;
  }
  return { requested, allocatable };
}
