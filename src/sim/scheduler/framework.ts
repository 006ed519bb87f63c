/**
 * The scheduling framework's vocabulary (k/k pkg/scheduler/framework/interface.go, types.go): status codes,
 * Status with reasons and the plugin that answered, the per-cycle state, and the plugin interfaces of every
 * extension point. Plugins are small objects implementing the points they use.
 */
import type { KObject } from '../../k8s/types.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { PodIndex } from './pod-index.js';
import type { ValueIds } from './node-columns.js';
import type { SimContext } from '../context.js';
import type { Defaults } from '../defaults.js';

/** Status codes (framework.Code). */
export const enum Code {
  Success = 0,
  Error = 1,
  Unschedulable = 2,
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
  Pending = 6,
}

/** A plugin's answer: a code, reasons, and (set by the framework) the plugin that answered. */
export class Status {
  plugin = '';
  constructor(readonly code: Code, readonly reasons: readonly string[] = []) {}
  /** The reasons joined with `, ` (Status.Message). */
  message(): string {
    return this.reasons.join(', ');
  }
  /** Whether the code is Success. */
  isSuccess(): boolean {
    return this.code === Code.Success;
  }
  /** Whether the code is Unschedulable or UnschedulableAndUnresolvable (Status.IsRejected). */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }
  /** Sets the answering plugin and returns this. */
  withPlugin(p: string): Status {
    this.plugin = p;
    return this;
  }
}

/** The shared Success status. */
export const SUCCESS: Status = new Status(Code.Success);
/** The shared Skip status. */
export const SKIP: Status = new Status(Code.Skip);

/** Builds an Unschedulable status. */
export function unschedulable(...reasons: string[]): Status {
  return new Status(Code.Unschedulable, reasons);
}

/** Builds an UnschedulableAndUnresolvable status. */
export function unresolvable(...reasons: string[]): Status {
  return new Status(Code.UnschedulableAndUnresolvable, reasons);
}

/** Per-cycle plugin data (framework.CycleState): plugins keep what PreFilter/PreScore computed. */
export class CycleState {
  private data = new Map<string, unknown>();
  /**
   * The Filter plugins of this cycle: the profile's, less those whose PreFilter answered Skip
   * (CycleState.SkipFilterPlugins); undefined means all of them.
   */
  filters: readonly FilterPlugin[] | undefined;
  /** Stores a value. */
  write(key: string, v: unknown): void {
    this.data.set(key, v);
  }
  /** Reads a value (undefined when absent). */
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  /** A shallow copy; plugins whose state changes with AddPod/RemovePod clone their entries themselves. */
  clone(): CycleState {
    const c = new CycleState();
    c.filters = this.filters;
    for (const [k, v] of this.data) {
      const cl = (v as { clone?: () => unknown } | undefined)?.clone;
      c.data.set(k, typeof cl === 'function' ? cl.call(v) : v);
    }
    return c;
  }
}

/** PreFilterResult: a restriction of the nodes worth filtering (undefined = all). */
export interface PreFilterResult {
  nodeNames?: Set<string>;
}

/** What every plugin gets at construction. */
export interface PluginHandle {
  ctx: SimContext;
  d: Defaults;
  /** The scheduler's node infos in snapshot (zone-interleaved) order. */
  nodes(): readonly NodeInfo[];
  /** The NodeInfo of a node by name. */
  nodeInfo(name: string): NodeInfo | undefined;
  /** Nodes holding at least one pod with (anti-)affinity terms; with required anti-affinity. */
  nodesWithAffinityPods(): readonly NodeInfo[];
  nodesWithRequiredAntiAffinityPods(): readonly NodeInfo[];
  /** Labels of a namespace (for namespaceSelector). */
  namespaceLabels(ns: string): Record<string, string>;
  /** Number of nodes holding an image (normalized name). */
  imageNumNodes(image: string): number;
  /** Sizes of an image by `NodeInfo.idx` (0 where absent), when the handle keeps image columns. */
  imageSizesByNode?(image: string): Float64Array | undefined;
  /** Values of a node label by `NodeInfo.idx`, when the handle keeps label columns. */
  labelColumn?(key: string): ReadonlyArray<string | undefined>;
  /** The same values as ids by node slot (read for every scored node without a hash lookup). */
  labelIds?(key: string): ValueIds;
  /** Incremental selector/term counts over assigned pods (absent in plugin unit tests: plugins then scan). */
  podIndex?: PodIndex;
}

/** The base of every plugin. */
export interface Plugin {
  readonly name: string;
}

/** PreEnqueue: a pod may enter the active queue. */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: KObject): Status;
}
/** PreFilter: per-pod computation; may reject or restrict nodes. */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult };
  /** PreFilterExtensions: incremental update of the PreFilter state when a pod is added/removed on a node. */
  addPod?(state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): void;
  removePod?(state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): void;
}
/** Filter: can the pod run on this node. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
}
/** PostFilter: runs when no node fits (preemption). */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, statuses: NodeStatusMap, preFilterRejected: boolean): { status: Status; nominatedNode?: string | null };
}
/** PreScore / Score / NormalizeScore. */
export interface ScorePlugin extends Plugin {
  /** Returns Skip to leave the plugin out of this cycle. */
  preScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status;
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /**
   * Score of every node at once into `out[i]` (same numbers as `score` per node; `out` has one entry per
   * node): the plugin reads its cycle state once and runs one monomorphic loop. Optional; the framework
   * falls back to `score`.
   */
  scoreNodes?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void;
  /** NormalizeScore, in place: `scores[i]` is the score of `nodes[i]` (upstream's NodeScoreList). */
  normalize?(state: CycleState, pod: PodInfo, scores: Float64Array, nodes: readonly NodeInfo[]): void;
}
/** Reserve / PreBind / Bind. */
export interface BindPlugin extends Plugin {
  preBind?(state: CycleState, pod: PodInfo, node: string): Status;
  bind?(state: CycleState, pod: PodInfo, node: string): Status;
}

/** Per node status of a filtering pass (framework.NodeToStatus), in insertion order. */
export type NodeStatusMap = Map<string, Status>;

/** MaxNodeScore. */
export const MAX_NODE_SCORE = 100;

/** DefaultNormalizeScore (k/k framework/plugins/helper/normalize_score.go). */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Float64Array): void {
  const n = scores.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < n; i++) {
    let v = Math.trunc((maxPriority * scores[i]!) / max);
    if (reverse) v = maxPriority - v;
    scores[i] = v;
  }
}
