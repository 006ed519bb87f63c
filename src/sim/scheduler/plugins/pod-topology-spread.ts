/**
 * PodTopologySpread (k/k framework/plugins/podtopologyspread): `DoNotSchedule` constraints filter on skew
 * (matching pods in the candidate domain + self − global minimum over eligible domains, minDomains,
 * nodeAffinityPolicy/nodeTaintsPolicy, matchLabelKeys); `ScheduleAnyway` constraints (or the system
 * defaults hostname/3 and zone/5 with the selector of the pod's Services/ReplicaSets/StatefulSets) score.
 */
import type { KObject } from '../../../k8s/types.js';
import { selectorMatches, taintTolerated, type LabelSelector, type Toleration } from '../../../k8s/match.js';
import {
  MAX_NODE_SCORE, SKIP, SUCCESS, unresolvable, unschedulable, type CycleState, type FilterPlugin,
  type PluginHandle, type PreFilterPlugin, type PreFilterResult, type ScorePlugin, type Status,
} from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { requiredNodeAffinityMatches } from './node-affinity.js';
import type { SelectorEntry } from '../pod-index.js';
import type { ValueIds } from '../node-columns.js';

/** Reason texts. */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

const HOSTNAME = 'kubernetes.io/hostname';

/** A compiled constraint. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  selectorKey: string;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

/** A configured default constraint (PodTopologySpreadArgs.defaultConstraints). */
export interface DefaultConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
}

/** System default constraints (plugin.go systemDefaultConstraints). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly DefaultConstraint[] = [
  { topologyKey: HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

function compile(c: Record<string, any>, sel: LabelSelector, selectorKey = JSON.stringify(sel)): SpreadConstraint {
  return {
    maxSkew: Number(c.maxSkew ?? 1),
    topologyKey: c.topologyKey,
    selector: sel,
    selectorKey,
    minDomains: Number(c.minDomains ?? 1),
    nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
    nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
  };
}

/** Pod constraints of one `whenUnsatisfiable`, matchLabelKeys merged into the selector. */
export function podConstraints(pod: KObject, action: string): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  const labels = pod.metadata.labels ?? {};
  for (const c of (pod.spec?.topologySpreadConstraints ?? []) as any[]) {
    if (c.whenUnsatisfiable !== action) continue;
    const ls = c.labelSelector;
    const sel: LabelSelector = ls ? { matchLabels: ls.matchLabels, matchExpressions: [...(ls.matchExpressions ?? [])] }
      : { matchLabels: { '\u0000nothing': '\u0000' } };
    for (const k of c.matchLabelKeys ?? []) {
      if (labels[k] === undefined) continue;
      if (sel.matchExpressions!.some((e) => e.key === k && e.operator === 'In')) continue;
      sel.matchExpressions!.push({ key: k, operator: 'In', values: [labels[k]!] });
    }
    out.push(compile(c, sel));
  }
  return out;
}

/** Per-plugin state of one cycle. */
class PreFilterState {
  constraints: SpreadConstraint[] = [];
  /** Per constraint: domain value -> matching pods. */
  tpValueToMatchNum: Array<Map<string, number>> = [];
  clone(): PreFilterState {
    const c = new PreFilterState();
    c.constraints = this.constraints;
    c.tpValueToMatchNum = this.tpValueToMatchNum.map((m) => new Map(m));
    return c;
  }
  minMatch(i: number): number {
    const m = this.tpValueToMatchNum[i]!;
    let min = Number.MAX_SAFE_INTEGER;
    for (const v of m.values()) if (v < min) min = v;
    if (m.size < this.constraints[i]!.minDomains) return 0;
    return min;
  }
}

interface PreScoreState {
  constraints: SpreadConstraint[];
  ignored: Set<string>;
  tpValueToPodCounts: Array<Map<string, number>>;
  weights: number[];
  /** Per constraint, the index entry counting its pods (when the handle has an index). */
  entries?: SelectorEntry[];
  /** The Score loop's inputs by node slot (when the handle keeps label ids and a pod index): see SlotCounts. */
  slots?: SlotCounts;
}

/**
 * PreScore's results laid out for the Score loop: per constraint, the topology value id by node slot and
 * either the count per value id (domain keys) or the index entry's count by slot (hostname).
 */
interface SlotCounts {
  ids: ValueIds[];
  counts: Array<Float64Array | undefined>;
  entries: Array<SelectorEntry | undefined>;
  /** Ignored nodes by slot (absent when none is). */
  ignored?: Uint8Array;
}

/** The PodTopologySpread plugin. */
export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'PodTopologySpread';
  /** Per node: selector key -> count, valid while the node's pod set is unchanged. */
  private countCache = new WeakMap<NodeInfo, { gen: number; counts: Map<string, number> }>();

  constructor(private readonly h: PluginHandle, private readonly defaults: readonly DefaultConstraint[] = SYSTEM_DEFAULT_CONSTRAINTS,
    private readonly systemDefaulted = true, private readonly nodeGen: (n: NodeInfo) => number = () => -1) {}

  /** countPodsMatchSelector: non-terminating pods of the namespace matching the selector. */
  count(node: NodeInfo, c: SpreadConstraint, ns: string): number {
    const ix = this.h.podIndex;
    if (ix) return ix.nodeCount(ix.spreadEntry(ns, c.selector, c.selectorKey), node);
    const key = `${ns}\u0000${c.selectorKey}`;
    const gen = this.nodeGen(node);
    let e = this.countCache.get(node);
    if (gen >= 0 && e && e.gen === gen) {
      const v = e.counts.get(key);
      if (v !== undefined) return v;
    } else if (gen >= 0) {
      e = { gen, counts: new Map() };
      this.countCache.set(node, e);
    }
    let n = 0;
    for (const p of node.pods.values()) {
      if (p.namespace !== ns || p.terminating()) continue;
      if (selectorMatches(c.selector, p.labels)) n++;
    }
    if (gen >= 0) e!.counts.set(key, n);
    return n;
  }

  private matchInclusion(c: SpreadConstraint, pod: KObject, node: NodeInfo): boolean {
    if (c.nodeAffinityPolicy === 'Honor' && !requiredNodeAffinityMatches(pod, node)) return false;
    if (c.nodeTaintsPolicy === 'Honor') {
      const tols: Toleration[] = pod.spec?.tolerations ?? [];
      for (const t of node.taints) {
        if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !taintTolerated(tols, t)) return false;
      }
    }
    return true;
  }

  /** Constraints for a pod: its own, or the defaults with the default selector. */
  constraintsFor(pod: KObject, action: string, s?: CycleState): SpreadConstraint[] {
    if ((pod.spec?.topologySpreadConstraints ?? []).length > 0) return podConstraints(pod, action);
    const defs = this.defaults.filter((d) => d.whenUnsatisfiable === action);
    if (defs.length === 0) return [];
    // The default selector once per cycle (PreFilter and PreScore both need it).
    let memo = s?.read<{ sel: LabelSelector | undefined; key: string }>('PodTopologySpread/defaultSelector');
    if (!memo) {
      const sel = defaultSelector(pod, this.h);
      memo = { sel, key: sel ? JSON.stringify(sel) : '' };
      s?.write('PodTopologySpread/defaultSelector', memo);
    }
    const { sel, key } = memo;
    if (!sel) return [];
    return defs.map((d) => compile(d, sel, key));
  }

  /** Counts matching pods per domain over every eligible node. */
  preFilter(s: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult } {
    const constraints = this.constraintsFor(pod.pod, 'DoNotSchedule', s);
    if (constraints.length === 0) {
      s.write('PodTopologySpread/skip', true);
      return { status: SKIP };
    }
    const st = new PreFilterState();
    st.constraints = constraints;
    st.tpValueToMatchNum = constraints.map(() => new Map());
    for (const node of this.h.nodes()) {
      if (!constraints.every((c) => node.labels[c.topologyKey] !== undefined)) continue;
      constraints.forEach((c, i) => {
        if (!this.matchInclusion(c, pod.pod, node)) return;
        const v = node.labels[c.topologyKey]!;
        const m = st.tpValueToMatchNum[i]!;
        m.set(v, (m.get(v) ?? 0) + this.count(node, c, pod.namespace));
      });
    }
    s.write('PodTopologySpread', st);
    return { status: SUCCESS };
  }

  private adjust(s: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo, delta: number): void {
    const st = s.read<PreFilterState>('PodTopologySpread');
    if (!st || other.namespace !== pod.namespace || other.terminating()) return;
    if (!st.constraints.every((c) => node.labels[c.topologyKey] !== undefined)) return;
    st.constraints.forEach((c, i) => {
      if (!this.matchInclusion(c, pod.pod, node) || !selectorMatches(c.selector, other.labels)) return;
      const v = node.labels[c.topologyKey]!;
      const m = st.tpValueToMatchNum[i]!;
      m.set(v, (m.get(v) ?? 0) + delta);
    });
  }

  /** PreFilterExtensions.AddPod. */
  addPod(s: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): void {
    this.adjust(s, pod, toAdd, node, 1);
  }

  /** PreFilterExtensions.RemovePod. */
  removePod(s: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): void {
    this.adjust(s, pod, toRemove, node, -1);
  }

  /** Missing label: UnschedulableAndUnresolvable; skew above maxSkew: Unschedulable. */
  filter(s: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (s.read('PodTopologySpread/skip')) return SUCCESS;
    const st = s.read<PreFilterState>('PodTopologySpread');
    if (!st) return SUCCESS;
    for (let i = 0; i < st.constraints.length; i++) {
      const c = st.constraints[i]!;
      const v = node.labels[c.topologyKey];
      if (v === undefined) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const min = st.minMatch(i);
      const self = selectorMatches(c.selector, pod.labels) ? 1 : 0;
      const skew = (st.tpValueToMatchNum[i]!.get(v) ?? 0) + self - min;
      if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return SUCCESS;
  }

  /** Soft constraints: counts per domain over all nodes, normalising weights per topology size. */
  preScore(s: CycleState, pod: PodInfo, filtered: readonly NodeInfo[]): Status {
    const constraints = this.constraintsFor(pod.pod, 'ScheduleAnyway', s);
    if (constraints.length === 0) return SKIP;
    const requireAll = (pod.pod.spec?.topologySpreadConstraints ?? []).length > 0 || !this.systemDefaulted;
    const ix = this.h.podIndex, lids = this.h.labelIds;
    if (ix && lids && filtered.every((n) => n.idx >= 0)) return this.preScoreSlots(s, pod, filtered, constraints, requireAll, ix, lids);
    const st: PreScoreState = { constraints, ignored: new Set(), tpValueToPodCounts: constraints.map(() => new Map()), weights: [] };
    const topoSize = constraints.map(() => 0);
    const nc = constraints.length;
    for (const node of filtered) {
      if (requireAll) {
        let all = true;
        for (let i = 0; i < nc; i++) if (node.labels[constraints[i]!.topologyKey] === undefined) { all = false; break; }
        if (!all) {
          st.ignored.add(node.name);
          continue;
        }
      }
      for (let i = 0; i < nc; i++) {
        const c = constraints[i]!;
        if (c.topologyKey === HOSTNAME) continue;
        const v = node.labels[c.topologyKey];
        if (v === undefined) continue;
        const m = st.tpValueToPodCounts[i]!;
        if (!m.has(v)) {
          m.set(v, 0);
          topoSize[i]!++;
        }
      }
    }
    st.weights = constraints.map((c, i) => {
      const size = c.topologyKey === HOSTNAME ? filtered.length - st.ignored.size : topoSize[i]!;
      return Math.log(size + 2);
    });
    if (ix) st.entries = constraints.map((c) => ix.spreadEntry(pod.namespace, c.selector, c.selectorKey));
    this.countDomains(st, pod, requireAll);
    s.write('PodTopologySpread/score', st);
    return SUCCESS;
  }

  /**
   * `preScore` over node slots: the same ignored nodes, topology sizes, weights and per-domain sums, with
   * label values read as ids from typed columns instead of strings from each node's labels.
   */
  private preScoreSlots(s: CycleState, pod: PodInfo, filtered: readonly NodeInfo[], constraints: SpreadConstraint[], requireAll: boolean,
    ix: NonNullable<PluginHandle['podIndex']>, lids: NonNullable<PluginHandle['labelIds']>): Status {
    const nc = constraints.length;
    const vids = constraints.map((c) => lids(c.topologyKey));
    const ids = vids.map((v) => v.ids);
    const isHost = constraints.map((c) => c.topologyKey === HOSTNAME);
    const seen = vids.map((v, i) => (isHost[i] ? undefined : new Uint8Array(v.values.length)));
    const topoSize = constraints.map(() => 0);
    const ignored = new Set<string>();
    let ignoredSlots: Uint8Array | undefined;
    for (let k = 0; k < filtered.length; k++) {
      const node = filtered[k]!, idx = node.idx;
      if (requireAll) {
        let all = true;
        for (let i = 0; i < nc; i++) if ((ids[i]![idx] ?? 0) === 0) { all = false; break; }
        if (!all) {
          ignored.add(node.name);
          (ignoredSlots ??= new Uint8Array(ids[0]!.length))[idx] = 1;
          continue;
        }
      }
      for (let i = 0; i < nc; i++) {
        const sn = seen[i];
        if (sn === undefined) continue;
        const id = ids[i]![idx] ?? 0;
        if (id !== 0 && sn[id] === 0) {
          sn[id] = 1;
          topoSize[i]!++;
        }
      }
    }
    // The domains met, as the Map form the per-domain sums are computed in.
    const tpValueToPodCounts = constraints.map((_c, i) => {
      const m = new Map<string, number>();
      const sn = seen[i];
      if (sn) for (let id = 1; id < sn.length; id++) if (sn[id] === 1) m.set(vids[i]!.values[id]!, 0);
      return m;
    });
    const st: PreScoreState = {
      constraints, ignored, tpValueToPodCounts,
      weights: constraints.map((c, i) => Math.log((isHost[i] ? filtered.length - ignored.size : topoSize[i]!) + 2)),
      entries: constraints.map((c) => ix.spreadEntry(pod.namespace, c.selector, c.selectorKey)),
    };
    this.countDomains(st, pod, requireAll);
    const counts = constraints.map((_c, i) => {
      const sn = seen[i];
      if (!sn) return undefined;
      const out = new Float64Array(sn.length);
      const m = tpValueToPodCounts[i]!, values = vids[i]!.values;
      for (let id = 1; id < sn.length; id++) if (sn[id] === 1) out[id] = m.get(values[id]!) ?? 0;
      return out;
    });
    st.slots = { ids: vids, counts, entries: constraints.map((_c, i) => (isHost[i] ? st.entries![i] : undefined)), ...(ignoredSlots ? { ignored: ignoredSlots } : {}) };
    s.write('PodTopologySpread/score', st);
    return SUCCESS;
  }

  /** Fills `tpValueToPodCounts` (whose keys are the domains met among the filtered nodes) with matching pods per domain. */
  private countDomains(st: PreScoreState, pod: PodInfo, requireAll: boolean): void {
    const constraints = st.constraints;
    const ix = this.h.podIndex;
    if (ix && this.everyNodeIncluded(constraints, pod.pod, requireAll)) {
      // Same sums from the index's per-domain counts (every node is counted, so no per-node pass).
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME) return;
        const m = st.tpValueToPodCounts[i]!;
        if (m.size === 0) return;
        const dc = ix.domainCounts(st.entries![i]!, c.topologyKey);
        for (const v of m.keys()) m.set(v, dc.get(v) ?? 0);
      });
    } else {
      for (const node of this.h.nodes()) {
        if (requireAll && !constraints.every((c) => node.labels[c.topologyKey] !== undefined)) continue;
        constraints.forEach((c, i) => {
          if (!this.matchInclusion(c, pod.pod, node)) return;
          const v = node.labels[c.topologyKey];
          if (v === undefined) return;
          const m = st.tpValueToPodCounts[i]!;
          const cur = m.get(v);
          if (cur === undefined) return;
          m.set(v, cur + this.count(node, c, pod.namespace));
        });
      }
    }
  }

  /**
   * Whether the matchInclusion and requireAll tests pass for every node: nodeAffinityPolicy has nothing to
   * exclude (no nodeSelector or required node affinity, or Ignore), nodeTaintsPolicy is Ignore, and no node
   * lacks a required topology key.
   */
  private everyNodeIncluded(constraints: readonly SpreadConstraint[], pod: KObject, requireAll: boolean): boolean {
    const ix = this.h.podIndex!;
    const spec = pod.spec ?? {};
    const nodeRestricted = Object.keys(spec.nodeSelector ?? {}).length > 0 || !!spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    for (const c of constraints) {
      if (c.nodeTaintsPolicy === 'Honor') return false;
      if (nodeRestricted && c.nodeAffinityPolicy === 'Honor') return false;
      if (requireAll && ix.nodesWithout(c.topologyKey) > 0) return false;
    }
    return true;
  }

  /** Σ count·weight + (maxSkew − 1), rounded. */
  score(s: CycleState, pod: PodInfo, node: NodeInfo): number {
    return this.scoreWith(s.read<PreScoreState>('PodTopologySpread/score')!, pod, node);
  }

  /** `score` for every node. */
  scoreNodes(s: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    const st = s.read<PreScoreState>('PodTopologySpread/score')!;
    const sl = st.slots;
    if (!sl) {
      for (let i = 0; i < nodes.length; i++) out[i] = this.scoreWith(st, pod, nodes[i]!);
      return;
    }
    // scoreWith over node slots.
    const cs = st.constraints, nc = cs.length, weights = st.weights, ign = sl.ignored;
    const ids = sl.ids.map((v) => v.ids), counts = sl.counts, bySlot = sl.entries.map((e) => e?.bySlot);
    for (let k = 0; k < nodes.length; k++) {
      const idx = nodes[k]!.idx;
      if (ign !== undefined && ign[idx] === 1) {
        out[k] = 0;
        continue;
      }
      let score = 0;
      for (let i = 0; i < nc; i++) {
        const id = ids[i]![idx] ?? 0;
        if (id === 0) continue;
        const bs = bySlot[i];
        const cnt = bs !== undefined ? (idx < bs.length ? bs[idx]! : 0) : counts[i]![id]!;
        score += cnt * weights[i]! + (cs[i]!.maxSkew - 1);
      }
      out[k] = Math.round(score);
    }
  }

  private scoreWith(st: PreScoreState, pod: PodInfo, node: NodeInfo): number {
    if (st.ignored.size > 0 && st.ignored.has(node.name)) return 0;
    let score = 0;
    const cs = st.constraints;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      const v = node.labels[c.topologyKey];
      if (v === undefined) continue;
      const cnt = c.topologyKey !== HOSTNAME ? (st.tpValueToPodCounts[i]!.get(v) ?? 0)
        : st.entries ? this.h.podIndex!.nodeCount(st.entries[i]!, node) : this.count(node, c, pod.namespace);
      score += cnt * st.weights[i]! + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  /** Fewest matching pods = 100; ignored nodes 0. */
  normalize(s: CycleState, _pod: PodInfo, scores: Float64Array, nodes: readonly NodeInfo[]): void {
    const st = s.read<PreScoreState>('PodTopologySpread/score')!;
    const ignored = st.ignored.size > 0 ? st.ignored : undefined;
    const n = scores.length;
    let min = Number.MAX_SAFE_INTEGER, max = 0;
    for (let i = 0; i < n; i++) {
      if (ignored?.has(nodes[i]!.name)) continue;
      const sc = scores[i]!;
      if (sc < min) min = sc;
      if (sc > max) max = sc;
    }
    for (let i = 0; i < n; i++) {
      if (ignored?.has(nodes[i]!.name)) {
        scores[i] = 0;
        continue;
      }
      if (max === 0) {
        scores[i] = MAX_NODE_SCORE;
        continue;
      }
      scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
    }
  }
}

/**
 * helper.DefaultSelector: the union of the selectors of Services, ReplicationControllers, ReplicaSets and
 * StatefulSets in the pod's namespace that select it; undefined when none does.
 */
export function defaultSelector(pod: KObject, h: Pick<PluginHandle, 'ctx'>): LabelSelector | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  const matchLabels: Record<string, string> = {};
  const exprs: NonNullable<LabelSelector['matchExpressions']> = [];
  let any = false;
  const store = h.ctx.store;
  // Iterated without copies: nothing here writes the store.
  for (const svc of store.values('Service')) {
    if (svc.metadata.namespace !== ns) continue;
    const sel: Record<string, string> | undefined = svc.spec?.selector;
    if (!sel || Object.keys(sel).length === 0) continue;
    if (!selectorMatches({ matchLabels: sel }, labels)) continue;
    Object.assign(matchLabels, sel);
    any = true;
  }
  for (const rc of store.values('ReplicationController')) {
    if (rc.metadata.namespace !== ns) continue;
    const sel: Record<string, string> | undefined = rc.spec?.selector;
    if (!sel || !selectorMatches({ matchLabels: sel }, labels)) continue;
    Object.assign(matchLabels, sel);
    any = true;
  }
  for (const kind of ['ReplicaSet', 'StatefulSet']) {
    for (const o of store.values(kind)) {
      if (o.metadata.namespace !== ns) continue;
      const sel: LabelSelector | undefined = o.spec?.selector;
      if (!sel || !selectorMatches(sel, labels)) continue;
      if (!sel.matchLabels && !(sel.matchExpressions?.length)) continue;
      Object.assign(matchLabels, sel.matchLabels ?? {});
      exprs.push(...(sel.matchExpressions ?? []));
      any = true;
    }
  }
  if (!any) return undefined;
  return exprs.length ? { matchLabels, matchExpressions: exprs } : { matchLabels };
}
