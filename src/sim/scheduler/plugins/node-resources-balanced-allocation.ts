/**
 * NodeResourcesBalancedAllocation (k/k framework/plugins/noderesources/balanced_allocation.go): favours
 * nodes whose cpu and memory fractions (real requests, capped at 1) are close. ≤1.35: (1 − std)·100;
 * 1.36+: 75 + (S_with − S_without)/2 (PR #135573). BestEffort pods skip it from 1.33 (PR #130260).
 */
import type { Defaults } from '../../defaults.js';
import { MAX_NODE_SCORE, SKIP, SUCCESS, type CycleState, type ScorePlugin, type Status } from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { ResourceVectors, type ResourceSpec } from './resource-allocation.js';

/** (1 − std)·100 over the fractions, truncated (balancedResourceScorer). */
export function balancedResourceScore(requested: readonly number[], allocatable: readonly number[]): number {
  // The fractions of the resources with allocatable; two of them (the default cpu + memory) need no list.
  let n = 0, total = 0, f0 = 0, f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    const a = allocatable[i]!;
    if (a === 0) continue;
    let f = requested[i]! / a;
    if (f > 1) f = 1;
    total += f;
    if (n === 0) f0 = f;
    else if (n === 1) f1 = f;
    n++;
  }
  let std = 0;
  if (n === 2) std = Math.abs((f0 - f1) / 2);
  else if (n > 2) {
    const mean = total / n;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      const a = allocatable[i]!;
      if (a === 0) continue;
      let f = requested[i]! / a;
      if (f > 1) f = 1;
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** balancedResourceScore of [cpu, memory] without the vectors (the same arithmetic, operation for operation). */
function balanced2(rc: number, ac: number, rm: number, am: number): number {
  if (ac === 0 || am === 0) {
    // At most one fraction: std 0.
    return Math.trunc((1 - 0) * MAX_NODE_SCORE);
  }
  let fc = rc / ac, fm = rm / am;
  if (fc > 1) fc = 1;
  if (fm > 1) fm = 1;
  return Math.trunc((1 - Math.abs((fc - fm) / 2)) * MAX_NODE_SCORE);
}

/** The NodeResourcesBalancedAllocation plugin. */
export class NodeResourcesBalancedAllocation implements ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  private readonly withPod: ResourceVectors;
  private readonly withoutPod: ResourceVectors;
  /** Whether the resources are exactly cpu then memory (the default): scoreNodes' direct path. */
  private readonly cpuAndMemory: boolean;
  constructor(private readonly d: Defaults, readonly resources: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]) {
    this.withPod = new ResourceVectors(resources, true);
    this.withoutPod = new ResourceVectors(resources, true);
    this.cpuAndMemory = resources.length === 2 && resources[0]!.name === 'cpu' && resources[1]!.name === 'memory';
  }

  /** Skip for BestEffort pods (1.33+). */
  preScore(_s: CycleState, pod: PodInfo): Status {
    if (this.d.balancedSkipsBestEffort && pod.bestEffort) return SKIP;
    return SUCCESS;
  }

  /** The version's balance score. */
  score(_s: CycleState, pod: PodInfo, node: NodeInfo): number {
    const w = this.withPod.fill(pod, node, true);
    const sWith = balancedResourceScore(w.requested, w.allocatable);
    if (this.d.balancedFormula === 'std') return sWith;
    const wo = this.withoutPod.fill(pod, node, false);
    const sWithout = balancedResourceScore(wo.requested, wo.allocatable);
    return 75 + Math.trunc((sWith - sWithout) / 2);
  }

  /** `score` for every node; the default resources (cpu and memory) read the node's fields directly. */
  scoreNodes(s: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    if (!this.cpuAndMemory) {
      for (let i = 0; i < nodes.length; i++) out[i] = this.score(s, pod, nodes[i]!);
      return;
    }
    const pc = pod.reqCpu, pm = pod.reqMem, std = this.d.balancedFormula === 'std';
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const ac = n.allocCpu, am = n.allocMem, rc = n.reqCpu, rm = n.reqMem;
      const sWith = balanced2(rc + pc, ac, rm + pm, am);
      out[i] = std ? sWith : 75 + Math.trunc((sWith - balanced2(rc, ac, rm, am)) / 2);
    }
  }
}
