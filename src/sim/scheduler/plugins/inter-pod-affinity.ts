/**
 * InterPodAffinity (k/k framework/plugins/interpodaffinity): required pod affinity (the first pod of a
 * self-affine group may pass), required anti-affinity, and existing pods' anti-affinity (symmetry) filter;
 * preferred terms of both sides and existing pods' required affinity (hardPodAffinityWeight) score,
 * min-max normalised.
 */
import {
  MAX_NODE_SCORE, SKIP, SUCCESS, unresolvable, unschedulable, type CycleState, type FilterPlugin,
  type PluginHandle, type PreFilterPlugin, type PreFilterResult, type ScorePlugin, type Status,
} from '../framework.js';
import { termMatches, type AffinityTerm, type NodeInfo, type PodInfo } from '../node-info.js';

/** Reason texts. */
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

const SEP = '\u0000';

class PreFilterState {
  existingAntiAffinityCounts = new Map<string, number>();
  affinityCounts = new Map<string, number>();
  antiAffinityCounts = new Map<string, number>();
  clone(): PreFilterState {
    const c = new PreFilterState();
    c.existingAntiAffinityCounts = new Map(this.existingAntiAffinityCounts);
    c.affinityCounts = new Map(this.affinityCounts);
    c.antiAffinityCounts = new Map(this.antiAffinityCounts);
    return c;
  }
}

/** PreScore's result: domain sums of scanned pods, plus index counts scaled by a term's weight. */
interface ScoreState {
  topo: Map<string, Map<string, number>>;
  sources: Array<{ key: string; factor: number; counts: Map<string, number> }>;
  /** Whether any term matched any pod on a node with its topology key (else NormalizeScore is a no-op). */
  nonEmpty: boolean;
  /** What Score reads per node, flattened at the end of PreScore: key, its label column (when kept), counts, factor. */
  terms?: Array<{ key: string; column: ReadonlyArray<string | undefined> | undefined; counts: Map<string, number>; factor: number }>;
}

function bump(m: Map<string, number>, k: string, d: number): void {
  m.set(k, (m.get(k) ?? 0) + d);
}

/** The InterPodAffinity plugin. */
export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'InterPodAffinity';
  private readonly nsLabels: (ns: string) => Record<string, string>;

  constructor(private readonly h: PluginHandle, private readonly hardPodAffinityWeight = 1) {
    this.nsLabels = (ns) => h.namespaceLabels(ns);
  }

  private matchesAll(terms: readonly AffinityTerm[], p: PodInfo): boolean {
    if (terms.length === 0) return false;
    return terms.every((t) => termMatches(t, p, this.nsLabels));
  }

  private updateWith(st: PreFilterState, pod: PodInfo, existing: PodInfo, node: NodeInfo, d: number): void {
    const labels = node.labels;
    for (const t of existing.requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined && termMatches(t, pod, this.nsLabels)) bump(st.existingAntiAffinityCounts, t.topologyKey + SEP + v, d);
    }
    if (pod.requiredAffinity.length && this.matchesAll(pod.requiredAffinity, existing)) {
      for (const t of pod.requiredAffinity) {
        const v = labels[t.topologyKey];
        if (v !== undefined) bump(st.affinityCounts, t.topologyKey + SEP + v, d);
      }
    }
    for (const t of pod.requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined && termMatches(t, existing, this.nsLabels)) bump(st.antiAffinityCounts, t.topologyKey + SEP + v, d);
    }
  }

  /** Counts matches per topology pair. */
  preFilter(s: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult } {
    const st = new PreFilterState();
    const nodes = pod.requiredAffinity.length || pod.requiredAntiAffinity.length ? this.h.nodes() : this.h.nodesWithRequiredAntiAffinityPods();
    if (nodes.length === 0 && !pod.requiredAffinity.length && !pod.requiredAntiAffinity.length) {
      s.write('InterPodAffinity/skip', true);
      return { status: SKIP };
    }
    for (const node of nodes) {
      for (const ex of node.pods.values()) {
        if (ex.uid === pod.uid) continue;
        this.updateWith(st, pod, ex, node, 1);
      }
    }
    s.write('InterPodAffinity', st);
    return { status: SUCCESS };
  }

  /** PreFilterExtensions.AddPod. */
  addPod(s: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): void {
    const st = s.read<PreFilterState>('InterPodAffinity');
    if (st) this.updateWith(st, pod, toAdd, node, 1);
  }

  /** PreFilterExtensions.RemovePod. */
  removePod(s: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): void {
    const st = s.read<PreFilterState>('InterPodAffinity');
    if (st) this.updateWith(st, pod, toRemove, node, -1);
  }

  /** Affinity (unresolvable), anti-affinity, existing anti-affinity (unschedulable), in that order. */
  filter(s: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (s.read('InterPodAffinity/skip')) return SUCCESS;
    const st = s.read<PreFilterState>('InterPodAffinity');
    if (!st) return SUCCESS;
    const labels = node.labels;
    // satisfyPodAffinity
    let podsExist = true;
    for (const t of pod.requiredAffinity) {
      const v = labels[t.topologyKey];
      if (v === undefined) return unresolvable(ERR_REASON_AFFINITY);
      if ((st.affinityCounts.get(t.topologyKey + SEP + v) ?? 0) <= 0) podsExist = false;
    }
    if (!podsExist) {
      let any = false;
      for (const v of st.affinityCounts.values()) if (v > 0) { any = true; break; }
      if (any || !this.matchesAll(pod.requiredAffinity, pod)) return unresolvable(ERR_REASON_AFFINITY);
    }
    for (const t of pod.requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined && (st.antiAffinityCounts.get(t.topologyKey + SEP + v) ?? 0) > 0) return unschedulable(ERR_REASON_ANTI_AFFINITY);
    }
    if (st.existingAntiAffinityCounts.size > 0) {
      for (const k in labels) {
        if ((st.existingAntiAffinityCounts.get(k + SEP + labels[k]) ?? 0) > 0) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      }
    }
    return SUCCESS;
  }

  /**
   * Builds the topology score from every relevant existing pod. With the cache's index, the pod's own
   * terms (without namespaceSelector) read per-domain counts of matching pods, and existing pods' terms are
   * read per group of identical terms, tested once against the pod; otherwise every pod is scanned.
   */
  preScore(s: CycleState, pod: PodInfo): Status {
    const has = pod.preferredAffinity.length > 0 || pod.preferredAntiAffinity.length > 0;
    const nodes = has ? this.h.nodes() : this.h.nodesWithAffinityPods();
    if (!has && nodes.length === 0) return SKIP;
    const topo = new Map<string, Map<string, number>>();
    const sc: ScoreState = { topo, sources: [], nonEmpty: false };
    const process = (t: AffinityTerm, weight: number, target: PodInfo, node: NodeInfo, mult: number) => {
      if (!termMatches(t, target, this.nsLabels)) return;
      const v = node.labels[t.topologyKey];
      if (v === undefined) return;
      let m = topo.get(t.topologyKey);
      if (!m) topo.set(t.topologyKey, (m = new Map()));
      m.set(v, (m.get(v) ?? 0) + weight * mult);
    };
    const ix = this.h.podIndex;
    if (ix && !ix.has(pod.uid)) {
      const own = (terms: readonly AffinityTerm[], mult: number) => {
        for (const t of terms) {
          if (t.nsSelector !== undefined) {
            for (const node of nodes) for (const ex of node.pods.values()) if (ex.uid !== pod.uid) process(t, t.weight, ex, node, mult);
            continue;
          }
          const counts = ix.domainCounts(ix.termEntry(t), t.topologyKey);
          if (counts.size > 0) sc.sources.push({ key: t.topologyKey, factor: t.weight * mult, counts });
        }
      };
      own(pod.preferredAffinity, 1);
      own(pod.preferredAntiAffinity, -1);
      for (const g of ix.termGroups()) {
        const factor = g.kind === 'hard' ? this.hardPodAffinityWeight : g.kind === 'preferred' ? g.term.weight : -g.term.weight;
        if (g.kind === 'hard' && this.hardPodAffinityWeight <= 0) continue;
        if (g.perNode.size === 0 || !termMatches(g.term, pod, this.nsLabels)) continue;
        const counts = ix.domainCounts(g, g.term.topologyKey);
        if (counts.size > 0) sc.sources.push({ key: g.term.topologyKey, factor, counts });
      }
      sc.nonEmpty = topo.size > 0 || sc.sources.length > 0;
      s.write('InterPodAffinity/score', this.flatten(sc));
      return SUCCESS;
    }
    for (const node of nodes) {
      if (Object.keys(node.labels).length === 0) continue;
      for (const ex of node.pods.values()) {
        if (ex.uid === pod.uid) continue;
        for (const t of pod.preferredAffinity) process(t, t.weight, ex, node, 1);
        for (const t of pod.preferredAntiAffinity) process(t, t.weight, ex, node, -1);
        if (this.hardPodAffinityWeight > 0) for (const t of ex.requiredAffinity) process(t, this.hardPodAffinityWeight, pod, node, 1);
        for (const t of ex.preferredAffinity) process(t, t.weight, pod, node, 1);
        for (const t of ex.preferredAntiAffinity) process(t, t.weight, pod, node, -1);
      }
    }
    sc.nonEmpty = topo.size > 0;
    s.write('InterPodAffinity/score', this.flatten(sc));
    return SUCCESS;
  }

  /** The per-node reads of Score as one list (topology sums with factor 1, then the index's sources). */
  private flatten(sc: ScoreState): ScoreState {
    const col = this.h.labelColumn;
    sc.terms = [];
    for (const [key, counts] of sc.topo) sc.terms.push({ key, column: col?.(key), counts, factor: 1 });
    for (const src of sc.sources) sc.terms.push({ key: src.key, column: col?.(src.key), counts: src.counts, factor: src.factor });
    return sc;
  }

  /** Σ over topology keys of the node's domain score. */
  score(s: CycleState, _pod: PodInfo, node: NodeInfo): number {
    return scoreTerms(s.read<ScoreState>('InterPodAffinity/score')!.terms!, node);
  }

  /** `score` for every node. */
  scoreNodes(s: CycleState, _pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    const terms = s.read<ScoreState>('InterPodAffinity/score')!.terms!;
    if (terms.length === 0) {
      out.fill(0, 0, nodes.length);
      return;
    }
    for (let i = 0; i < nodes.length; i++) out[i] = scoreTerms(terms, nodes[i]!);
  }

  /** Min-max normalisation to 0–100 (no-op when nothing was counted). */
  normalize(s: CycleState, _pod: PodInfo, scores: Float64Array): void {
    if (!s.read<ScoreState>('InterPodAffinity/score')!.nonEmpty) return;
    let min = Number.MAX_SAFE_INTEGER, max = Number.MIN_SAFE_INTEGER;
    const n = scores.length;
    for (let i = 0; i < n; i++) {
      const sc = scores[i]!;
      if (sc > max) max = sc;
      if (sc < min) min = sc;
    }
    const diff = max - min;
    for (let i = 0; i < n; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i]! - min) / diff)) : 0;
  }
}

/** Σ over the flattened terms of factor × the count of the node's domain (InterPodAffinity Score). */
function scoreTerms(terms: NonNullable<ScoreState['terms']>, node: NodeInfo): number {
  let n = 0;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    const v = t.column !== undefined && node.idx >= 0 ? t.column[node.idx] : node.labels[t.key];
    if (v !== undefined) n += t.factor * (t.counts.get(v) ?? 0);
  }
  return n;
}
