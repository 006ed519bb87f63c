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

/** Which NodeInfo/PodInfo field holds a resource (cpu, memory and ephemeral-storage are plain fields). */
const enum Field { Cpu, Memory, Ephemeral, Other }

function fieldOf(name: string): Field {
  return name === 'cpu' ? Field.Cpu : name === 'memory' ? Field.Memory : name === 'ephemeral-storage' ? Field.Ephemeral : Field.Other;
}

/**
 * calculateResourceAllocatableRequest for every configured resource of one scorer, into two vectors
 * owned by the filler and overwritten at each `fill` (this runs for every scored node: nothing is
 * allocated). Entries with zero allocatable are 0/0, and so is a scalar resource the pod does not request.
 */
export class ResourceVectors {
  readonly requested: number[];
  readonly allocatable: number[];
  private readonly fields: Field[];
  private readonly names: string[];
  private readonly scalar: boolean[];

  /** `useRequested`: real requests (BalancedAllocation); otherwise the non-zero cpu/memory requests (Fit). */
  constructor(resources: readonly ResourceSpec[], private readonly useRequested: boolean) {
    this.names = resources.map((r) => r.name);
    this.fields = this.names.map(fieldOf);
    this.scalar = this.names.map(isScalarResource);
    this.requested = new Array<number>(resources.length).fill(0);
    this.allocatable = new Array<number>(resources.length).fill(0);
  }

  /** Fills the vectors for the pod on the node, with the pod's request added unless `withPod` is false. */
  fill(pod: PodInfo, node: NodeInfo, withPod = true): this {
    const fields = this.fields, useRequested = this.useRequested;
    for (let i = 0; i < fields.length; i++) {
      let podReq: number, a: number, q: number;
      switch (fields[i]) {
        case Field.Cpu:
          podReq = useRequested ? pod.reqCpu : pod.nzCpu;
          a = node.allocCpu;
          q = useRequested ? node.reqCpu : node.nzCpu;
          break;
        case Field.Memory:
          podReq = useRequested ? pod.reqMem : pod.nzMem;
          a = node.allocMem;
          q = useRequested ? node.reqMem : node.nzMem;
          break;
        case Field.Ephemeral:
          podReq = pod.reqEph;
          a = node.allocEph;
          q = node.reqEph;
          break;
        default: {
          const name = this.names[i]!;
          podReq = pod.req[name] ?? 0;
          a = node.allocatable[name] ?? 0;
          q = node.requested[name] ?? 0;
        }
      }
      if ((podReq === 0 && this.scalar[i]) || a === 0) {
        a = 0;
        q = 0;
      } else if (withPod) q += podReq;
      this.allocatable[i] = a;
      this.requested[i] = q;
    }
    return this;
  }
}
