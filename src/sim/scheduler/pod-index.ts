/**
 * Incremental counts over the scheduler cache's assigned pods, so that PodTopologySpread and
 * InterPodAffinity read "pods matching this selector per node / per topology domain" in O(1) instead of
 * rescanning every pod of every node for every pod they score (upstream rescans with 16 goroutines; the
 * simulation is single-threaded and must scale to 150k pods).
 *
 * Two kinds of entries, both registered lazily on first use (one O(pods) scan) and then kept up to date by
 * the scheduler cache's pod add/remove and node add/label/delete calls:
 * - selector entries: pods matching a predicate (PodTopologySpread's namespace + selector of non-terminating
 *   pods, InterPodAffinity's term namespaces + selector), counted per node and per domain of a topology key;
 * - term groups: existing pods' own (anti-)affinity terms grouped by (kind, weight, term), counted per
 *   domain of the term's topology key, for InterPodAffinity's symmetric scoring.
 * What each pod was counted in is remembered, so removal undoes exactly what addition did even when the
 * pod object was changed in place meanwhile. Results are integer sums, independent of iteration order.
 */
import { selectorMatches, type LabelSelector } from '../../k8s/match.js';
import type { AffinityTerm, NodeInfo, PodInfo } from './node-info.js';
import { atLeast } from './node-columns.js';

/** Counts of pods matching one predicate. */
export class SelectorEntry {
  /** Per node: matching pods. Nodes with none are absent. */
  readonly perNode = new Map<NodeInfo, number>();
  /** The same counts by node slot (NodeInfo.idx), read for every scored node. */
  bySlot = new Int32Array(64);
  /** Per topology key: domain value -> matching pods (zero entries removed); rebuilt after node label changes. */
  readonly domains = new Map<string, Map<string, number>>();
  constructor(readonly match: (p: PodInfo) => boolean, readonly anchor: string | undefined) {}
}

/** Existing pods' affinity terms of one kind, weight and shape, counted per domain of the term's key. */
export class TermGroup {
  readonly perNode = new Map<NodeInfo, number>();
  bySlot = new Int32Array(64);
  readonly domains = new Map<string, Map<string, number>>();
  constructor(readonly kind: 'hard' | 'preferred' | 'preferredAnti', readonly term: AffinityTerm) {}
}

type Counted = SelectorEntry | TermGroup;

function bump(m: Map<string, number>, k: string, d: number): void {
  const v = (m.get(k) ?? 0) + d;
  if (v === 0) m.delete(k);
  else m.set(k, v);
}

/** A stable key of a label selector. */
export function selectorKey(sel: LabelSelector): string {
  return JSON.stringify(sel);
}

function termKey(t: AffinityTerm): string {
  return JSON.stringify([[...t.namespaces].sort(), t.nsSelector ?? null, t.selector, t.topologyKey]);
}

/** The index; see the file comment. */
export class PodIndex {
  private readonly entries = new Map<string, SelectorEntry>();
  private readonly anchored = new Map<string, SelectorEntry[]>();
  private readonly unanchored: SelectorEntry[] = [];
  private readonly groups = new Map<string, TermGroup>();
  private readonly groupList: TermGroup[] = [];
  /** Pod uid -> where it was counted, on which node, and its `key=value` labels then. */
  private readonly counted = new Map<string, { node: NodeInfo; in: Counted[]; labels: string[]; pod: PodInfo }>();
  /** `key=value` -> counted pods with that label (uid -> pod), so a new anchored entry scans only those. */
  private readonly byLabel = new Map<string, { kv: string; pods: Map<string, PodInfo> }>();
  private readonly missing = new Map<string, number>();

  /** `nodes` lists the cache's nodes (for the first scan of a new entry). */
  constructor(private readonly nodes: () => Iterable<NodeInfo>) {}

  /** Whether the pod is counted (assigned to a known node). */
  has(uid: string): boolean {
    return this.counted.has(uid);
  }

  /** The entry counting non-terminating pods of `ns` matching `sel` (PodTopologySpread). */
  spreadEntry(ns: string, sel: LabelSelector, key = selectorKey(sel)): SelectorEntry {
    const k = `S\u0000${ns}\u0000${key}`;
    return this.entries.get(k) ?? this.register(k, sel, (p) => p.namespace === ns && !p.terminating() && selectorMatches(sel, p.labels));
  }

  /** The entry counting pods an affinity term without namespaceSelector matches (terminating ones too). */
  termEntry(t: AffinityTerm): SelectorEntry {
    const k = `T\u0000${JSON.stringify([[...t.namespaces].sort(), t.selector])}`;
    const ns = t.namespaces, sel = t.selector;
    return this.entries.get(k) ?? this.register(k, sel, (p) => ns.has(p.namespace) && selectorMatches(sel, p.labels));
  }

  /** Term groups of existing pods, in first-seen order. */
  termGroups(): readonly TermGroup[] {
    return this.groupList;
  }

  /** Matching pods on a node. */
  nodeCount(e: Counted, node: NodeInfo): number {
    if (node.idx >= 0) return node.idx < e.bySlot.length ? e.bySlot[node.idx]! : 0;
    return e.perNode.get(node) ?? 0;
  }

  /** Domain value -> matching pods for a topology key (nodes without the label are not counted). */
  domainCounts(e: Counted, key: string): Map<string, number> {
    let m = e.domains.get(key);
    if (!m) {
      m = new Map();
      for (const [node, c] of e.perNode) {
        const v = node.labels[key];
        if (v !== undefined) bump(m, v, c);
      }
      e.domains.set(key, m);
    }
    return m;
  }

  /** Counts a pod assigned to `node`. */
  addPod(p: PodInfo, node: NodeInfo): void {
    if (this.counted.has(p.uid)) this.removePod(p.uid);
    const into: Counted[] = [];
    const l = p.labels;
    const labels: string[] = [];
    for (const k in l) {
      const kv = `${k}=${l[k]}`;
      let byKv = this.byLabel.get(kv);
      if (!byKv) this.byLabel.set(kv, (byKv = { kv, pods: new Map() }));
      byKv.pods.set(p.uid, p);
      labels.push(byKv.kv); // the one stored string, not this pod's copy
      const list = this.anchored.get(kv);
      if (list) for (const e of list) if (e.match(p)) into.push(e);
    }
    for (const e of this.unanchored) if (e.match(p)) into.push(e);
    if (p.hasAffinity()) {
      for (const t of p.requiredAffinity) into.push(this.group('hard', t));
      for (const t of p.preferredAffinity) into.push(this.group('preferred', t));
      for (const t of p.preferredAntiAffinity) into.push(this.group('preferredAnti', t));
    }
    for (const e of into) this.count(e, node, 1);
    this.counted.set(p.uid, { node, in: into, labels, pod: p });
  }

  /** Uncounts a pod. */
  removePod(uid: string): void {
    const c = this.counted.get(uid);
    if (!c) return;
    this.counted.delete(uid);
    for (const e of c.in) this.count(e, c.node, -1);
    for (const kv of c.labels) {
      const byKv = this.byLabel.get(kv)!;
      byKv.pods.delete(uid);
      if (byKv.pods.size === 0) this.byLabel.delete(kv);
    }
  }

  /** Number of nodes without the label `key`. */
  nodesWithout(key: string): number {
    let n = this.missing.get(key);
    if (n === undefined) {
      n = 0;
      for (const node of this.nodes()) if (node.labels[key] === undefined) n++;
      this.missing.set(key, n);
    }
    return n;
  }

  /** Drops derived domain counts after a node's labels changed, or a node came or went. */
  nodesChanged(): void {
    this.missing.clear();
    for (const e of this.entries.values()) e.domains.clear();
    for (const g of this.groupList) g.domains.clear();
  }

  private count(e: Counted, node: NodeInfo, d: number): void {
    const v = (e.perNode.get(node) ?? 0) + d;
    if (v === 0) e.perNode.delete(node);
    else e.perNode.set(node, v);
    if (node.idx >= 0) {
      e.bySlot = atLeast(e.bySlot, node.idx + 1);
      e.bySlot[node.idx] = v;
    }
    for (const [key, m] of e.domains) {
      const dv = node.labels[key];
      if (dv !== undefined) bump(m, dv, d);
    }
  }

  private group(kind: TermGroup['kind'], t: AffinityTerm): TermGroup {
    const weight = kind === 'hard' ? 0 : t.weight;
    const k = `${kind}\u0000${weight}\u0000${termKey(t)}`;
    let g = this.groups.get(k);
    if (!g) {
      g = new TermGroup(kind, t);
      this.groups.set(k, g);
      this.groupList.push(g);
    }
    return g;
  }

  private register(k: string, sel: LabelSelector, match: (p: PodInfo) => boolean): SelectorEntry {
    const ml = sel.matchLabels;
    let anchor: string | undefined;
    if (ml) for (const lk in ml) { anchor = `${lk}=${String(ml[lk])}`; break; }
    const e = new SelectorEntry(match, anchor);
    this.entries.set(k, e);
    if (anchor === undefined) this.unanchored.push(e);
    else {
      const list = this.anchored.get(anchor);
      if (list) list.push(e);
      else this.anchored.set(anchor, [e]);
    }
    // The pods already counted that the entry matches: those with the anchor label, or all of them.
    const uids = anchor === undefined ? this.counted.keys() : (this.byLabel.get(anchor)?.pods.keys() ?? []);
    for (const uid of uids) {
      const c = this.counted.get(uid)!;
      if (!match(c.pod)) continue;
      c.in.push(e);
      this.count(e, c.node, 1);
    }
    return e;
  }
}
