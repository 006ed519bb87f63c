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
  const requested: number[] = [], allocatable: number[] = [];
  for (const r of resources) {
    const [a, q] = allocatableAndRequest(node, r.name, podRequestFor(pod, r.name, useRequested), useRequested, withPod);
    if (a === 0) {
      requested.push(0);
      allocatable.push(0);
      continue;
    }
    allocatable.push(a);
    requested.push(q);
  }
  return { requested, allocatable };
}
