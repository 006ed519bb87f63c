/**
 * NodeResourcesFit (k/k framework/plugins/noderesources/fit.go, least_allocated.go, most_allocated.go,
 * requested_to_capacity_ratio.go): requests must fit the node's free allocatable (plus the pod count);
 * scores with LeastAllocated (default), MostAllocated or RequestedToCapacityRatio over non-zero requests.
 */
import type { Defaults } from '../../defaults.js';
import {
  Code, MAX_NODE_SCORE, Status, SUCCESS, type CycleState, type FilterPlugin, type PreFilterPlugin, type PreFilterResult,
  type ScorePlugin,
} from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { ResourceVectors, type ResourceSpec } from './resource-allocation.js';

/** One point of a RequestedToCapacityRatio shape (score 0–10 as configured). */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/** NodeResourcesFitArgs.scoringStrategy. */
export interface ScoringStrategy {
  type: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
  resources: ResourceSpec[];
  shape?: UtilizationShapePoint[];
}

/** The default strategy: LeastAllocated over cpu and memory, weight 1 each. */
export function defaultScoringStrategy(): ScoringStrategy {
  return { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] };
}

/** leastRequestedScore. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** mostRequestedScore. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return Math.trunc((requested * MAX_NODE_SCORE) / capacity);
}

/** helper.BuildBrokenLinearFunction over a shape whose scores are already scaled to 0–100. */
export function brokenLinear(shape: readonly UtilizationShapePoint[], p: number): number {
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (p <= s.utilization) {
      if (i === 0) return s.score;
      const prev = shape[i - 1]!;
      return prev.score + Math.trunc(((s.score - prev.score) * (p - prev.utilization)) / (s.utilization - prev.utilization));
    }
  }
  return shape[shape.length - 1]?.score ?? 0;
}

/** A RequestedToCapacityRatio shape with its 0–10 scores scaled to 0–100. */
function scaledShape(st: ScoringStrategy): UtilizationShapePoint[] {
  return (st.shape ?? []).map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / 10) }));
}

/** The weighted scorer of a strategy over requested/allocatable vectors. */
export function strategyScore(st: ScoringStrategy, requested: readonly number[], allocatable: readonly number[],
  shape: readonly UtilizationShapePoint[] = st.type === 'RequestedToCapacityRatio' ? scaledShape(st) : []): number {
  let nodeScore = 0, weightSum = 0;
  if (st.type === 'RequestedToCapacityRatio') {
    for (let i = 0; i < requested.length; i++) {
      const a = allocatable[i]!, q = requested[i]!;
      if (a === 0) continue;
      const w = st.resources[i]!.weight;
      const rs = q > a ? brokenLinear(shape, 100) : brokenLinear(shape, Math.trunc((q * 100) / a));
      if (rs > 0) {
        nodeScore += rs * w;
        weightSum += w;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  }
  for (let i = 0; i < requested.length; i++) {
    const a = allocatable[i]!;
    if (a === 0) continue;
    const w = st.resources[i]!.weight;
    nodeScore += (st.type === 'MostAllocated' ? mostRequestedScore(requested[i]!, a) : leastRequestedScore(requested[i]!, a)) * w;
    weightSum += w;
  }
  return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
}

/** The NodeResourcesFit plugin. */
export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'NodeResourcesFit';
  private readonly vectors: ResourceVectors;
  /** The RequestedToCapacityRatio shape scaled to 0–100, once. */
  private readonly shape: UtilizationShapePoint[] | undefined;
  constructor(private readonly d: Defaults, readonly strategy: ScoringStrategy = defaultScoringStrategy()) {
    this.vectors = new ResourceVectors(strategy.resources, false);
    this.shape = strategy.type === 'RequestedToCapacityRatio' ? scaledShape(strategy) : undefined;
    const r = strategy.resources;
    this.leastCpuMemory = strategy.type === 'LeastAllocated' && r.length === 2 && r[0]!.name === 'cpu' && r[1]!.name === 'memory'
      ? [r[0]!.weight, r[1]!.weight] : undefined;
  }
  /** The cpu and memory weights when the strategy is LeastAllocated over exactly cpu then memory (scoreNodes' direct path). */
  private readonly leastCpuMemory: [number, number] | undefined;

  /** Nothing to pre-compute beyond PodInfo. */
  preFilter(_s: CycleState, _pod: PodInfo): { status: Status; result?: PreFilterResult } {
    return { status: SUCCESS };
  }

  /** Too many pods / Insufficient <resource>, one reason each. */
  filter(_s: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const reasons = insufficientResources(pod, node, this.d.fitUnresolvableAboveAllocatable);
    if (reasons.length === 0) return SUCCESS;
    const code = reasons.some((r) => r.unresolvable) ? Code.UnschedulableAndUnresolvable : Code.Unschedulable;
    return new Status(code, reasons.map((r) => r.reason));
  }

  /** The strategy's score over non-zero requests. */
  score(_s: CycleState, pod: PodInfo, node: NodeInfo): number {
    const { requested, allocatable } = this.vectors.fill(pod, node);
    return strategyScore(this.strategy, requested, allocatable, this.shape);
  }

  /** `score` for every node; LeastAllocated over cpu and memory (the default) reads the node's fields directly. */
  scoreNodes(s: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    if (this.leastCpuMemory === undefined) {
      for (let i = 0; i < nodes.length; i++) out[i] = this.score(s, pod, nodes[i]!);
      return;
    }
    const [wc, wm] = this.leastCpuMemory;
    const pc = pod.nzCpu, pm = pod.nzMem;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const ac = n.allocCpu, am = n.allocMem;
      let sum = 0, weights = 0;
      if (ac !== 0) {
        sum += leastRequestedScore(n.nzCpu + pc, ac) * wc;
        weights += wc;
      }
      if (am !== 0) {
        sum += leastRequestedScore(n.nzMem + pm, am) * wm;
        weights += wm;
      }
      out[i] = weights === 0 ? 0 : Math.trunc(sum / weights);
    }
  }
}

type Insufficient = Array<{ reason: string; unresolvable: boolean }>;
const NONE: Insufficient = [];

function checkResource(out: Insufficient | undefined, name: string, q: number, alloc: number, requested: number,
  unresolvableAboveAllocatable: boolean): Insufficient | undefined {
  if (q > 0 && q > alloc - requested) {
    (out ??= []).push({ reason: `Insufficient ${name}`, unresolvable: unresolvableAboveAllocatable && q > alloc });
  }
  return out;
}

/** fitsRequest: the insufficient resources of a node for a pod (a shared empty array when it fits; do not mutate). */
export function insufficientResources(pod: PodInfo, node: NodeInfo, unresolvableAboveAllocatable: boolean): Insufficient {
  let out: Insufficient | undefined;
  if (node.podCount + 1 > node.allocPods) out = [{ reason: 'Too many pods', unresolvable: false }];
  if (!pod.anyReq) return out ?? NONE;
  out = checkResource(out, 'cpu', pod.reqCpu, node.allocCpu, node.reqCpu, unresolvableAboveAllocatable);
  out = checkResource(out, 'memory', pod.reqMem, node.allocMem, node.reqMem, unresolvableAboveAllocatable);
  out = checkResource(out, 'ephemeral-storage', pod.reqEph, node.allocEph, node.reqEph, unresolvableAboveAllocatable);
  for (const k of pod.scalarNames) {
    out = checkResource(out, k, pod.req[k]!, node.allocatable[k] ?? 0, node.requested[k] ?? 0, unresolvableAboveAllocatable);
  }
  return out ?? NONE;
}
