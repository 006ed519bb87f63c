/**
 * kube-scheduler for the simulation (k/k pkg/scheduler): watches pods, nodes and volumes, keeps an
 * incremental cache, queues pending `default-scheduler` pods, runs the framework's extension points one pod
 * per kernel reaction, binds, preempts, and reports FailedScheduling with upstream's exact texts.
 */
import type { KObject } from '../../k8s/types.js';
import type { ExplainAttempt, ExplainRow, SchedulerHandle, SimContext } from '../context.js';
import type { Defaults } from '../defaults.js';
import { setPodCondition } from '../apiserver.js';
import { fromTime } from '../../k8s/time.js';
import { selectorMatches, taintTolerated } from '../../k8s/match.js';
import {
  Code, SUCCESS, CycleState, Status, unresolvable, type BindPlugin, type FilterPlugin, type NodeStatusMap,
  type PluginHandle, type PostFilterPlugin, type PreEnqueuePlugin, type PreFilterPlugin, type ScorePlugin,
} from './framework.js';
import { NodeInfo, NodeTable, PodInfo, normalizedImageName, termMatches } from './node-info.js';
import { PodIndex } from './pod-index.js';
import { ImageColumns, LabelColumns, atLeast } from './node-columns.js';
import { resolveProfile, type Profile } from './config.js';
import { fitErrorMessage } from './fit-error.js';
import { Heap, podSignature, type QueuedPod } from './queue.js';
import { SchedulingGates } from './plugins/scheduling-gates.js';
import { PrioritySort } from './plugins/priority-sort.js';
import { NodeUnschedulable } from './plugins/node-unschedulable.js';
import { NodeName, nodeNameFits } from './plugins/node-name.js';
import { TaintToleration } from './plugins/taint-toleration.js';
import { NodeAffinity, requiredNodeAffinityMatches } from './plugins/node-affinity.js';
import { NodePorts, nodePortsFit } from './plugins/node-ports.js';
import { NodeResourcesFit, insufficientResources, type ScoringStrategy } from './plugins/node-resources-fit.js';
import { NodeResourcesBalancedAllocation } from './plugins/node-resources-balanced-allocation.js';
import { ImageLocality } from './plugins/image-locality.js';
import { PodTopologySpread, SYSTEM_DEFAULT_CONSTRAINTS, type DefaultConstraint } from './plugins/pod-topology-spread.js';
import { InterPodAffinity } from './plugins/inter-pod-affinity.js';
import { VolumeBinding } from './plugins/volume-binding.js';
import { VolumeZone } from './plugins/volume-zone.js';
import { VolumeRestrictions } from './plugins/volume-restrictions.js';
import { NodeVolumeLimits } from './plugins/node-volume-limits.js';
import { DynamicResources } from './plugins/dynamic-resources.js';
import { DefaultPreemption, type PreemptionHost } from './plugins/default-preemption.js';
import { DefaultBinder } from './plugins/default-binder.js';

const SCHEDULER = 'default-scheduler';
/** Above this many nodes explain keeps no per-node rows (memory). */
const EXPLAIN_ROWS_MAX_NODES = 1000;
/** The rows of every attempt whose per-node rows are not kept (one shared empty list). */
const NO_ROWS: ExplainRow[] = Object.freeze([]) as unknown as ExplainRow[];

/** Cluster events a plugin may care about. */
type ClusterEvent = 'NodeAdd' | 'NodeLabel' | 'NodeTaint' | 'NodeAllocatable' | 'PodAdd' | 'PodUpdate' | 'PodDelete' | 'Volume';

/** EventsToRegister, coarsely (1.29–1.31 preCheck semantics). */
const INTEREST: Readonly<Record<string, readonly ClusterEvent[]>> = {
  NodeUnschedulable: ['NodeAdd', 'NodeTaint'],
  NodeName: ['NodeAdd'],
  TaintToleration: ['NodeAdd', 'NodeTaint'],
  NodeAffinity: ['NodeAdd', 'NodeLabel'],
  NodePorts: ['NodeAdd', 'PodDelete'],
  NodeResourcesFit: ['NodeAdd', 'NodeAllocatable', 'PodDelete', 'PodUpdate'],
  VolumeRestrictions: ['PodDelete', 'Volume'],
  NodeVolumeLimits: ['NodeAdd', 'PodDelete', 'Volume'],
  VolumeBinding: ['NodeAdd', 'NodeLabel', 'Volume'],
  VolumeZone: ['NodeAdd', 'NodeLabel', 'Volume'],
  PodTopologySpread: ['NodeAdd', 'NodeLabel', 'NodeTaint', 'PodAdd', 'PodUpdate', 'PodDelete'],
  InterPodAffinity: ['NodeAdd', 'NodeLabel', 'PodAdd', 'PodUpdate', 'PodDelete'],
  DynamicResources: ['NodeAdd'],
};

/** The namespace labels QueueingHints match affinity terms with (`term.Matches(pod, nil)`). */
const NO_NS_LABELS = (): Record<string, string> => ({});

/** The simulated kube-scheduler. */
export class Scheduler implements SchedulerHandle {
  readonly profile: Profile;
  private readonly d: Defaults;
  // --- cache ---
  private readonly nodeInfos = new Map<string, NodeInfo>();
  private readonly nodeGen = new Map<NodeInfo, number>();
  private gen = 0;
  private nodeList: NodeInfo[] | undefined;
  /**
   * Nodes holding pods with (anti-)affinity terms / required anti-affinity, in snapshot order; rebuilt only
   * when a node enters or leaves one of the sets (the `has*` flags) or the node list changes.
   */
  private affinityNodes: NodeInfo[] | undefined;
  private antiAffinityNodes: NodeInfo[] | undefined;
  private affinityListOf: NodeInfo[] | undefined;
  private readonly hasAffinityPods = new Set<NodeInfo>();
  private readonly hasAntiAffinityPods = new Set<NodeInfo>();
  /** Position of each node in the current snapshot list. */
  private readonly nodePos = new Map<NodeInfo, number>();
  private readonly assigned = new Map<string, { pi: PodInfo; node: string }>();
  /**
   * Pods this scheduler assumed at binding and has not yet seen bound in the store: their informer add is
   * still to come, and upstream's addPodToCache then fires AssignedPodAdd as for any other bound pod.
   */
  private readonly assumed = new Set<string>();
  private readonly images = new ImageColumns();
  private readonly labelColumns = new LabelColumns(() => this.nodeInfos.values());
  private nextNodeIdx = 0;
  private readonly nodeTable = new NodeTable();
  // --- nominator ---
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  /** Nominated pod uid -> its node (so removal does not visit every node's map). */
  private readonly nominatedOn = new Map<string, string>();
  // --- queue ---
  private readonly entries = new Map<string, QueuedPod>();
  private readonly activeQ: Heap<QueuedPod>;
  private readonly backoffQ = new Heap<QueuedPod>((a, b) => a.backoffExpiry < b.backoffExpiry || (a.backoffExpiry === b.backoffExpiry && a.seq < b.seq));
  private seq = 0;
  private loopQueued = false;
  private backoffTimerAt: number | undefined;
  private flushTimerAt: number | undefined;
  private inFlight: QueuedPod | undefined;
  private inFlightEvents: Array<{ ev: ClusterEvent; node?: NodeInfo; pod?: PodInfo; old?: PodInfo }> = [];
  private nextStartNodeIndex = 0;
  /** Scores of one plugin for the feasible nodes, reused by every plugin of the cycle (and across cycles). */
  private scoreBuf = new Float64Array(64);
  /** Queue entries put in the unschedulable pool (pruned lazily; see unschedulablePods). */
  private readonly pool = new Set<QueuedPod>();
  /** Whether the pool's insertion order is seq order (entries mostly join in seq order), and its largest seq. */
  private poolOrdered = true;
  private poolMaxSeq = 0;
  // --- plugins ---
  private readonly handle: PluginHandle;
  private readonly preEnqueue: PreEnqueuePlugin[] = [];
  private readonly sort = new PrioritySort();
  private readonly preFilters: PreFilterPlugin[] = [];
  private readonly filters: FilterPlugin[] = [];
  private readonly postFilters: PostFilterPlugin[] = [];
  private readonly preScores: ScorePlugin[] = [];
  private readonly scorers: ScorePlugin[] = [];
  private readonly binders: BindPlugin[] = [];
  private readonly preBinders: BindPlugin[] = [];
  private readonly byName = new Map<string, object>();
  private readonly explain = new Map<string, ExplainAttempt[]>();
  private readonly rng;
  private readonly podIndex = new PodIndex(() => this.nodeInfos.values());
  /** Keep per-node rows of each attempt for `kubedrill explain` (the simulation turns it off for large runs). */
  keepExplainRows = true;

  constructor(private readonly ctx: SimContext) {
    this.d = ctx.defaults;
    this.rng = ctx.rng('scheduler');
    this.profile = resolveProfile(this.d, ctx.scenario?.scheduler as Record<string, any> | undefined);
    this.activeQ = new Heap<QueuedPod>((a, b) => this.sort.less(
      { priority: a.pi.priority, timestamp: a.timestamp, seq: a.seq }, { priority: b.pi.priority, timestamp: b.timestamp, seq: b.seq }));
    this.handle = {
      ctx, d: this.d,
      nodes: () => this.nodes(),
      nodeInfo: (n) => this.nodeInfos.get(n),
      nodesWithAffinityPods: () => this.affinityLists()[0],
      nodesWithRequiredAntiAffinityPods: () => this.affinityLists()[1],
      namespaceLabels: (ns) => ctx.store.get('Namespace', undefined, ns)?.metadata.labels ?? {},
      imageNumNodes: (img) => this.images.numNodes(img),
      imageSizesByNode: (img) => this.images.sizes(img),
      labelColumn: (key) => this.labelColumns.column(key),
      labelIds: (key) => this.labelColumns.ids(key),
      podIndex: this.podIndex,
    };
    this.buildPlugins();
    for (const n of ctx.store.list('Node')) this.onNode('ADDED', n);
    for (const p of ctx.store.list('Pod')) this.onPod('ADDED', p);
    ctx.store.watch('Node', (t, o) => this.onNode(t, o));
    ctx.store.watch('Pod', (t, o) => this.onPod(t, o));
    for (const k of ['PersistentVolume', 'PersistentVolumeClaim', 'StorageClass']) {
      ctx.store.watch(k, () => this.clusterEvent('Volume'));
    }
  }

  /** Attempts of a pod (`namespace/name`), oldest first. */
  attempts(podKey: string): readonly ExplainAttempt[] {
    return this.explain.get(podKey) ?? [];
  }

  // ------------------------------------------------------------------ plugins

  private buildPlugins(): void {
    const d = this.d, h = this.handle, args = this.profile.args;
    const fitArgs = args.NodeResourcesFit?.scoringStrategy;
    let strategy: ScoringStrategy | undefined;
    if (fitArgs) {
      strategy = {
        type: fitArgs.type ?? 'LeastAllocated',
        resources: (fitArgs.resources ?? [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]).map((r: any) => ({ name: r.name, weight: r.weight ?? 1 })),
        shape: fitArgs.requestedToCapacityRatio?.shape,
      };
    }
    const ptsArgs = args.PodTopologySpread;
    let defaults: readonly DefaultConstraint[] = SYSTEM_DEFAULT_CONSTRAINTS;
    let systemDefaulted = true;
    if (ptsArgs && (ptsArgs.defaultingType === 'List' || ptsArgs.defaultConstraints)) {
      defaults = ptsArgs.defaultConstraints ?? [];
      systemDefaulted = false;
    }
    const host: PreemptionHost = {
      nodes: () => this.nodes(),
      nodeInfo: (n) => this.nodeInfos.get(n),
      runFilters: (s, p, n) => this.runFiltersWithNominated(s, p, n),
      addPod: (s, p, x, n) => { for (const pl of this.preFilters) pl.addPod?.(s, p, x, n); },
      removePod: (s, p, x, n) => { for (const pl of this.preFilters) pl.removePod?.(s, p, x, n); },
      pdbs: () => this.ctx.store.list('PodDisruptionBudget'),
      randomInt: (n) => this.rng.int(n),
      prepareCandidate: (p, n, v) => this.prepareCandidate(p, n, v),
      startTime: (p) => this.startTime(p),
    };
    const all: Record<string, () => object> = {
      SchedulingGates: () => new SchedulingGates(),
      PrioritySort: () => this.sort,
      NodeUnschedulable: () => new NodeUnschedulable(),
      NodeName: () => new NodeName(),
      TaintToleration: () => new TaintToleration(this.ctx.msg),
      NodeAffinity: () => new NodeAffinity(),
      NodePorts: () => new NodePorts(),
      NodeResourcesFit: () => new NodeResourcesFit(d, strategy),
      VolumeRestrictions: () => new VolumeRestrictions(h),
      EBSLimits: () => new NodeVolumeLimits('EBSLimits'),
      GCEPDLimits: () => new NodeVolumeLimits('GCEPDLimits'),
      NodeVolumeLimits: () => new NodeVolumeLimits(),
      AzureDiskLimits: () => new NodeVolumeLimits('AzureDiskLimits'),
      VolumeBinding: () => new VolumeBinding(h, d),
      VolumeZone: () => new VolumeZone(h),
      PodTopologySpread: () => new PodTopologySpread(h, defaults, systemDefaulted, (n) => this.nodeGen.get(n) ?? -1),
      InterPodAffinity: () => new InterPodAffinity(h, Number(args.InterPodAffinity?.hardPodAffinityWeight ?? d.hardPodAffinityWeight)),
      DynamicResources: () => new DynamicResources(d),
      DefaultPreemption: () => new DefaultPreemption(d, host),
      NodeResourcesBalancedAllocation: () => new NodeResourcesBalancedAllocation(d,
        args.NodeResourcesBalancedAllocation?.resources?.map((r: any) => ({ name: r.name, weight: r.weight ?? 1 }))),
      ImageLocality: () => new ImageLocality(d, h),
      DefaultBinder: () => new DefaultBinder(h),
    };
    const get = (n: string): any => {
      let p = this.byName.get(n);
      if (!p && all[n]) this.byName.set(n, (p = all[n]!()));
      return p;
    };
    const pts = this.profile.points;
    for (const n of pts.preEnqueue) if (get(n)?.preEnqueue) this.preEnqueue.push(get(n));
    for (const n of pts.preFilter) if (get(n)?.preFilter) this.preFilters.push(get(n));
    for (const n of pts.filter) if (get(n)?.filter) this.filters.push(get(n));
    for (const n of pts.postFilter) if (get(n)?.postFilter) this.postFilters.push(get(n));
    for (const n of pts.preScore) if (get(n)?.preScore) this.preScores.push(get(n));
    for (const n of pts.score) if (get(n)?.score) this.scorers.push(get(n));
    for (const n of pts.preBind) if (get(n)?.preBind) this.preBinders.push(get(n));
    for (const n of pts.bind) if (get(n)?.bind) this.binders.push(get(n));
  }

  // ------------------------------------------------------------------ cache

  /** Nodes in the snapshot's zone-interleaved order. */
  nodes(): NodeInfo[] {
    if (this.nodeList) return this.nodeList;
    const zones = new Map<string, NodeInfo[]>();
    for (const n of this.nodeInfos.values()) {
      let z = zones.get(n.zone);
      if (!z) zones.set(n.zone, (z = []));
      z.push(n);
    }
    const out: NodeInfo[] = [];
    const lists = [...zones.values()];
    for (let i = 0; out.length < this.nodeInfos.size; i++) for (const z of lists) if (i < z.length) out.push(z[i]!);
    this.nodePos.clear();
    out.forEach((n, i) => this.nodePos.set(n, i));
    return (this.nodeList = out);
  }

  /** Inserts or removes a node in a list kept in snapshot order (binary search on the snapshot position). */
  private keepInOrder(list: NodeInfo[], n: NodeInfo, present: boolean): void {
    const pos = this.nodePos.get(n)!;
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.nodePos.get(list[mid]!)! < pos) lo = mid + 1;
      else hi = mid;
    }
    if (present) list.splice(lo, 0, n);
    else list.splice(lo, 1);
  }

  private touch(n: NodeInfo): void {
    this.nodeGen.set(n, ++this.gen);
    // A list built for the current snapshot is updated in place; otherwise it is rebuilt when asked for.
    const current = this.nodeList !== undefined && this.affinityListOf === this.nodeList && this.nodePos.has(n);
    this.affinityNodes = this.updateMembership(this.hasAffinityPods, this.affinityNodes, n, n.podsWithAffinity > 0, current);
    this.antiAffinityNodes = this.updateMembership(this.hasAntiAffinityPods, this.antiAffinityNodes, n, n.podsWithRequiredAntiAffinity > 0, current);
  }

  /** Records whether `n` belongs to a node set; returns its ordered list updated in place, or undefined (rebuild). */
  private updateMembership(set: Set<NodeInfo>, list: NodeInfo[] | undefined, n: NodeInfo, has: boolean, current: boolean): NodeInfo[] | undefined {
    if (has === set.has(n)) return list;
    if (has) set.add(n);
    else set.delete(n);
    if (!current || !list) return undefined;
    this.keepInOrder(list, n, has);
    return list;
  }

  /** nodesWithAffinityPods and nodesWithRequiredAntiAffinityPods, in snapshot order. */
  private affinityLists(): [NodeInfo[], NodeInfo[]] {
    const all = this.nodes();
    if (this.affinityListOf !== all) {
      this.affinityListOf = all;
      this.affinityNodes = this.antiAffinityNodes = undefined;
    }
    this.affinityNodes ??= this.hasAffinityPods.size === 0 ? [] : all.filter((n) => this.hasAffinityPods.has(n));
    this.antiAffinityNodes ??= this.hasAntiAffinityPods.size === 0 ? [] : all.filter((n) => this.hasAntiAffinityPods.has(n));
    return [this.affinityNodes, this.antiAffinityNodes];
  }

  private onNode(type: string, node: KObject): void {
    const name = node.metadata.name;
    if (type === 'DELETED') {
      const ni = this.nodeInfos.get(name);
      if (!ni) return;
      this.images.setNode(ni.idx, ni.imageSizes, new Map());
      this.labelColumns.setNode(ni.idx, undefined);
      for (const uid of ni.pods.keys()) this.podIndex.removePod(uid);
      this.nodeInfos.delete(name);
      this.podIndex.nodesChanged();
      this.nodeList = undefined;
      this.affinityNodes = this.antiAffinityNodes = undefined;
      this.hasAffinityPods.delete(ni);
      this.hasAntiAffinityPods.delete(ni);
      return;
    }
    let ni = this.nodeInfos.get(name);
    const isNew = !ni;
    if (!ni) {
      ni = new NodeInfo(name, this.nextNodeIdx++, this.nodeTable);
      this.nodeInfos.set(name, ni);
      // Pods bound before the node was seen.
      for (const a of this.assigned.values()) {
        if (a.node !== name) continue;
        ni.addPod(a.pi);
        this.podIndex.addPod(a.pi, ni);
      }
    }
    const oldZone = ni.zone;
    const oldImages = ni.imageSizes;
    const change = ni.setNode(node);
    if (ni.imageSizes !== oldImages) this.images.setNode(ni.idx, oldImages, ni.imageSizes);
    if (change.labels) this.labelColumns.setNode(ni.idx, ni.labels);
    if (isNew || oldZone !== ni.zone) this.nodeList = undefined;
    this.touch(ni);
    if (change.labels) this.podIndex.nodesChanged();
    if (isNew) this.clusterEvent('NodeAdd', ni);
    else {
      if (change.labels) this.clusterEvent('NodeLabel', ni);
      if (change.taints) this.clusterEvent('NodeTaint', ni);
      if (change.allocatable) this.clusterEvent('NodeAllocatable', ni);
    }
  }

  /** Accounts a bound pod; `queued` is its PodInfo from the queue, reused when built from the same spec. */
  private cacheAddPod(pod: KObject, node: string, queued?: PodInfo): PodInfo {
    const uid = pod.metadata.uid ?? '';
    const cur = this.assigned.get(uid);
    const sig = podSignature(pod);
    if (cur && cur.node === node && cur.pi.pod === pod && sig === cur.pi.sig) {
      const term = !!pod.metadata.deletionTimestamp;
      if (cur.pi.term !== term) {
        // Marked for deletion in place: counts that skip terminating pods change.
        cur.pi.term = term;
        const ni = this.nodeInfos.get(node);
        if (ni) {
          this.podIndex.addPod(cur.pi, ni);
          this.touch(ni);
        }
      }
      return cur.pi;
    }
    if (cur) this.cacheRemovePod(uid);
    const pi = queued && queued.pod === pod && queued.sig === sig ? queued : new PodInfo(pod, this.d);
    pi.sig = sig;
    pi.term = !!pod.metadata.deletionTimestamp;
    this.assigned.set(uid, { pi, node });
    const ni = this.nodeInfos.get(node);
    if (ni) {
      ni.addPod(pi);
      this.podIndex.addPod(pi, ni);
      this.touch(ni);
    }
    return pi;
  }

  private cacheRemovePod(uid: string): PodInfo | undefined {
    const cur = this.assigned.get(uid);
    if (!cur) return undefined;
    this.assigned.delete(uid);
    this.assumed.delete(uid);
    this.podIndex.removePod(uid);
    const ni = this.nodeInfos.get(cur.node);
    if (ni) {
      ni.removePod(cur.pi);
      this.touch(ni);
    }
    return cur.pi;
  }

  private onPod(type: string, pod: KObject): void {
    const uid = pod.metadata.uid ?? '';
    const node: string | undefined = pod.spec?.nodeName || undefined;
    const phase = pod.status?.phase;
    if (type === 'DELETED' || (node && (phase === 'Succeeded' || phase === 'Failed'))) {
      const pi = this.cacheRemovePod(uid);
      this.dropEntry(uid);
      this.removeNominated(uid);
      if (pi) this.clusterEvent('PodDelete', this.nodeInfos.get(node ?? ''), pi);
      return;
    }
    if (node) {
      const queued = this.entries.get(uid)?.pi;
      this.dropEntry(uid);
      this.removeNominated(uid);
      const had = this.assigned.get(uid);
      const before = had ? had.pi.sig : undefined;
      const wasAssumed = this.assumed.delete(uid);
      const pi = this.cacheAddPod(pod, node, queued);
      if (!had || wasAssumed) this.clusterEvent('PodAdd', this.nodeInfos.get(node), pi);
      else if (before !== pi.sig) this.clusterEvent('PodUpdate', this.nodeInfos.get(node), pi, had.pi);
      return;
    }
    if ((pod.spec?.schedulerName ?? SCHEDULER) !== SCHEDULER) return;
    if (pod.metadata.deletionTimestamp) {
      this.dropEntry(uid);
      this.removeNominated(uid);
      return;
    }
    const e = this.entries.get(uid);
    if (!e) {
      const pi = new PodInfo(pod, this.d);
      pi.sig = podSignature(pod);
      const q: QueuedPod = {
        pi, timestamp: this.ctx.now(), seq: ++this.seq, attempts: 0, unschedulableCount: 0, rejectors: new Set(), gated: false,
        where: 'none', backoffExpiry: 0, sig: pi.sig,
      };
      this.entries.set(uid, q);
      const nom: string | undefined = pod.status?.nominatedNodeName;
      if (nom) this.addNominated(pi, nom);
      this.enqueue(q);
      return;
    }
    const sig = podSignature(pod);
    if (sig !== e.sig) {
      e.sig = sig;
      e.pi = new PodInfo(pod, this.d);
      e.pi.sig = sig;
      if (e.where === 'unschedulable') {
        this.ctx.kernel.react(() => {
          if (e.where === 'unschedulable') this.moveToActiveOrBackoff(e);
        }, 'scheduler');
      }
    }
  }

  private dropEntry(uid: string): void {
    const e = this.entries.get(uid);
    if (!e) return;
    e.where = 'none';
    this.entries.delete(uid);
  }

  // ------------------------------------------------------------------ nominator

  private addNominated(pi: PodInfo, node: string): void {
    this.removeNominated(pi.uid);
    let m = this.nominated.get(node);
    if (!m) this.nominated.set(node, (m = new Map()));
    m.set(pi.uid, pi);
    this.nominatedOn.set(pi.uid, node);
  }

  private removeNominated(uid: string): void {
    const node = this.nominatedOn.get(uid);
    if (node === undefined) return;
    this.nominatedOn.delete(uid);
    this.nominated.get(node)!.delete(uid);
  }

  // ------------------------------------------------------------------ queue

  private enqueue(q: QueuedPod): void {
    for (const p of this.preEnqueue) {
      const st = p.preEnqueue(q.pi.pod);
      if (!st.isSuccess()) {
        // Held; the API server set PodScheduled=False (SchedulingGated) when the pod was created.
        q.gated = true;
        q.where = 'unschedulable';
        return;
      }
    }
    q.gated = false;
    q.timestamp = this.ctx.now();
    q.where = 'active';
    this.activeQ.push(q);
    this.kick();
  }

  private kick(): void {
    if (this.loopQueued) return;
    this.loopQueued = true;
    this.ctx.kernel.react(() => {
      this.loopQueued = false;
      this.scheduleOne();
    }, 'scheduler');
  }

  private backoffDuration(q: QueuedPod): number {
    const n = this.d.backoffCountsOnlyUnschedulable ? q.unschedulableCount : q.attempts;
    if (this.profile.podMaxBackoff === 0) return 0;
    let dur = this.profile.podInitialBackoff;
    for (let i = 1; i < n; i++) {
      dur *= 2;
      if (dur > this.profile.podMaxBackoff) return this.profile.podMaxBackoff;
    }
    return dur;
  }

  private moveToActiveOrBackoff(q: QueuedPod): void {
    if (q.gated) {
      this.enqueue(q);
      return;
    }
    const now = this.ctx.now();
    if (q.backoffExpiry > now) {
      q.where = 'backoff';
      this.backoffQ.push(q);
      this.armBackoffTimer();
      if (this.d.popFromBackoffQ) this.kick();
    } else {
      q.where = 'active';
      q.timestamp = now;
      this.activeQ.push(q);
      this.kick();
    }
  }

  private armBackoffTimer(): void {
    const head = this.backoffQ.peek();
    if (!head) return;
    const period = this.d.backoffFlushPeriod;
    const at = Math.ceil(head.backoffExpiry / period) * period;
    if (this.backoffTimerAt !== undefined && this.backoffTimerAt <= at) return;
    this.backoffTimerAt = at;
    this.ctx.kernel.at(at, () => {
      if (this.backoffTimerAt !== at) return;
      this.backoffTimerAt = undefined;
      const now = this.ctx.now();
      for (;;) {
        const h = this.backoffQ.peek();
        if (!h || h.backoffExpiry > now) break;
        this.backoffQ.pop();
        if (h.where !== 'backoff') continue;
        h.where = 'active';
        h.timestamp = now;
        this.activeQ.push(h);
        this.kick();
      }
      this.armBackoffTimer();
    }, 'scheduler backoff flush');
  }

  private armFlushTimer(): void {
    if (this.flushTimerAt !== undefined) return;
    const period = this.d.unschedulableFlushPeriod;
    const at = (Math.floor(this.ctx.now() / period) + 1) * period;
    this.flushTimerAt = at;
    this.ctx.kernel.at(at, () => {
      this.flushTimerAt = undefined;
      const now = this.ctx.now();
      let left = false;
      for (const e of this.unschedulablePods()) {
        if (now - e.timestamp > this.d.podMaxInUnschedulablePodsDuration) this.moveToActiveOrBackoff(e);
        else left = true;
      }
      if (left) this.armFlushTimer();
    }, 'scheduler unschedulable flush');
  }

  /** Whether an event may make a pod rejected by `plugin` schedulable (coarse interest, then QueueingHints). */
  private helps(q: QueuedPod, plugin: string, ev: ClusterEvent, node?: NodeInfo, pod?: PodInfo, old?: PodInfo): boolean {
    if (!(INTEREST[plugin] ?? []).includes(ev)) return false;
    if (!this.d.queueingHints) return true;
    const p = q.pi;
    if (node && (ev === 'NodeAdd' || ev === 'NodeLabel' || ev === 'NodeTaint' || ev === 'NodeAllocatable')) {
      const s = new CycleState();
      switch (plugin) {
        case 'NodeUnschedulable': case 'NodeName': case 'TaintToleration': case 'NodeAffinity': case 'NodePorts': {
          const pl = this.byName.get(plugin) as FilterPlugin | undefined;
          return !pl || pl.filter(s, p, node).isSuccess();
        }
        case 'NodeResourcesFit': return insufficientResources(p, node, false).length === 0;
        default: return true;
      }
    }
    if (pod && (ev === 'PodAdd' || ev === 'PodUpdate' || ev === 'PodDelete')) {
      switch (plugin) {
        case 'NodePorts': return pod.ports.length > 0;
        case 'NodeResourcesFit': return ev === 'PodDelete';
        case 'PodTopologySpread': return this.spreadHint(p, ev, pod, old);
        // isSchedulableAfterPodChange, added pod: it must match all of the waiting pod's required affinity
        // terms (podMatchesAllAffinityTerms, false without terms). Terms are matched with no namespace labels
        // (`t.Matches(pod, nil)`): a namespaceSelector other than `{}` reaches only the listed namespaces.
        // Deletions and updates stay offered: their hints changed between releases.
        case 'InterPodAffinity': return ev !== 'PodAdd' || (p.requiredAffinity.length > 0 && p.requiredAffinity.every((t) => termMatches(t, pod, NO_NS_LABELS)));
        default: return true;
      }
    }
    return true;
  }

  /**
   * PodTopologySpread isSchedulableAfterPodChange: only bound pods of the waiting pod's namespace count; an
   * added or deleted pod must match a DoNotSchedule constraint's selector, an update must change whether its
   * labels match one.
   */
  private spreadHint(p: PodInfo, ev: ClusterEvent, pod: PodInfo, old: PodInfo | undefined): boolean {
    if (pod.namespace !== p.namespace) return false;
    const pl = this.byName.get('PodTopologySpread') as PodTopologySpread | undefined;
    if (!pl) return true;
    const constraints = pl.constraintsFor(p.pod, 'DoNotSchedule');
    if (ev === 'PodUpdate' && old) {
      return constraints.some((c) => selectorMatches(c.selector, old.labels) !== selectorMatches(c.selector, pod.labels));
    }
    return constraints.some((c) => selectorMatches(c.selector, pod.labels));
  }

  /**
   * getUnschedulablePodsWithMatchingAffinityTerm (1.29–1.30) / getUnschedulablePodsWithCrossTopologyTerm
   * (1.31): a required pod-affinity term of the waiting pod matches the bound pod, or (1.31) PodTopologySpread
   * rejected the waiting pod and both are in one namespace.
   */
  private crossTopologyTerm(e: QueuedPod, bound: PodInfo): boolean {
    const p = e.pi;
    if (this.d.assignedPodRequeuesSpread && e.rejectors.has('PodTopologySpread') && p.namespace === bound.namespace) return true;
    const nsLabels = this.handle.namespaceLabels;
    for (const t of p.requiredAffinity) if (termMatches(t, bound, nsLabels)) return true;
    return false;
  }

  /**
   * eventhandlers.go preCheckForNode, used without QueueingHints for node adds and updates: AdmissionCheck
   * (resources fit, required node affinity and nodeSelector, nodeName, host ports), and no NoSchedule taint
   * the pod does not tolerate.
   */
  private nodePreCheck(p: PodInfo, node: NodeInfo): boolean {
    if (insufficientResources(p, node, false).length > 0) return false;
    if (!requiredNodeAffinityMatches(p.pod, node)) return false;
    if (!nodeNameFits(p, node) || !nodePortsFit(p, node)) return false;
    const tols = p.pod.spec?.tolerations;
    for (const t of node.taints) if (t.effect === 'NoSchedule' && !taintTolerated(tols, t)) return false;
    return true;
  }

  private clusterEvent(ev: ClusterEvent, node?: NodeInfo, pod?: PodInfo, old?: PodInfo): void {
    if (this.inFlight) this.inFlightEvents.push({ ev, ...(node ? { node } : {}), ...(pod ? { pod } : {}), ...(old ? { old } : {}) });
    let any = false;
    // Without QueueingHints a bound pod's add/update goes through AssignedPodAdded/Updated, which offer it
    // only to the pods it may concern (scheduling_queue.go); with hints every pod is offered, as here.
    const preFilter = pod && (ev === 'PodAdd' || ev === 'PodUpdate') && !this.d.queueingHints ? pod : undefined;
    // Likewise a node event is offered only to pods that pass preCheckForNode on that node.
    const preCheckNode = node && !pod && ev.startsWith('Node') && !this.d.queueingHints ? node : undefined;
    for (const e of this.unschedulablePods()) {
      if (preFilter && !this.crossTopologyTerm(e, preFilter)) continue;
      if (preCheckNode && !this.nodePreCheck(e.pi, preCheckNode)) continue;
      const rej = e.rejectors;
      let move = rej.size === 0;
      for (const r of rej) if (this.helps(e, r, ev, node, pod, old)) { move = true; break; }
      if (move) {
        any = true;
        e.where = 'none';
        const ee = e;
        this.ctx.kernel.react(() => {
          if (ee.where === 'none' && this.entries.get(ee.pi.uid) === ee) this.moveToActiveOrBackoff(ee);
        }, 'scheduler');
      }
    }
    void any;
  }

  /**
   * The unschedulable pool (ungated pods waiting for a cluster event), in queue-entry order, which is
   * creation (seq) order: entries that left the pool since are dropped here.
   */
  private unschedulablePods(): QueuedPod[] {
    const out: QueuedPod[] = [];
    for (const q of this.pool) {
      if (q.where !== 'unschedulable' || q.gated || this.entries.get(q.pi.uid) !== q) this.pool.delete(q);
      else out.push(q);
    }
    if (!this.poolOrdered) {
      // An entry joined behind a later one: sort once and keep the set in that order from now on.
      out.sort((a, b) => a.seq - b.seq);
      this.pool.clear();
      for (const q of out) this.pool.add(q);
      this.poolOrdered = true;
      this.poolMaxSeq = out.length > 0 ? out[out.length - 1]!.seq : 0;
    }
    return out;
  }

  private pop(): QueuedPod | undefined {
    for (;;) {
      let q = this.activeQ.pop();
      if (!q && this.d.popFromBackoffQ) {
        q = this.backoffQ.pop();
        if (q && q.where !== 'backoff') continue;
      }
      if (!q) return undefined;
      if (q.where !== 'active' && q.where !== 'backoff') continue;
      if (this.entries.get(q.pi.uid) !== q) continue;
      return q;
    }
  }

  // ------------------------------------------------------------------ cycle

  private scheduleOne(): void {
    const q = this.pop();
    if (!q) return;
    if (this.activeQ.size > 0 || (this.d.popFromBackoffQ && this.backoffQ.size > 0)) this.kick();
    const pod = q.pi.pod;
    if (this.ctx.store.getByUid(q.pi.uid) !== pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) {
      this.dropEntry(q.pi.uid);
      return;
    }
    q.where = 'inflight';
    q.attempts++;
    q.timestamp = this.ctx.now();
    this.inFlight = q;
    this.inFlightEvents = [];
    try {
      this.cycle(q);
    } finally {
      this.inFlight = undefined;
    }
  }

  /** RunFilterPlugins: stops at the first failing plugin. */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const filters = state.filters ?? this.filters;
    for (let i = 0; i < filters.length; i++) {
      const f = filters[i]!;
      const st = f.filter(state, pod, node);
      if (st.code !== Code.Success) return st.plugin ? st : new Status(st.code, st.reasons).withPlugin(f.name);
    }
    return SUCCESS;
  }

  /** RunFilterPluginsWithNominatedPods: with equal-or-higher priority nominated pods added, then without. */
  runFiltersWithNominated(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const nom = this.nominatedOn.size > 0 ? this.nominated.get(node.name) : undefined;
    if (nom && nom.size > 0) {
      let ni: NodeInfo | undefined, st: CycleState | undefined;
      for (const p of nom.values()) {
        if (p.uid === pod.uid || p.priority < pod.priority) continue;
        ni ??= node.clone();
        st ??= state.clone();
        ni.addPod(p);
        for (const pl of this.preFilters) pl.addPod?.(st, pod, p, ni);
      }
      if (ni && st) {
        const s = this.runFilters(st, pod, ni);
        if (!s.isSuccess()) return s;
      }
    }
    return this.runFilters(state, pod, node);
  }

  private numFeasibleNodesToFind(n: number): number {
    if (n < this.d.minFeasibleNodesToFind) return n;
    let pct = this.profile.percentageOfNodesToScore;
    if (pct === 0) {
      pct = 50 - Math.trunc(n / 125);
      if (pct < this.d.minFeasibleNodesPercentageToFind) pct = this.d.minFeasibleNodesPercentageToFind;
    }
    const k = Math.trunc((n * pct) / 100);
    return k < this.d.minFeasibleNodesToFind ? this.d.minFeasibleNodesToFind : k;
  }

  private cycle(q: QueuedPod): void {
    const pi = q.pi;
    const all = this.nodes();
    const state = new CycleState();
    const statuses: NodeStatusMap = new Map();
    const rows = this.keepExplainRows && all.length <= EXPLAIN_ROWS_MAX_NODES;
    const attempt: ExplainAttempt = { at: this.ctx.now(), pod: pi.key, rows: rows ? [] : NO_ROWS };
    if (all.length === 0) {
      this.fail(q, attempt, 'no nodes available to schedule pods', new Set(), undefined);
      return;
    }
    // PreFilter
    let allowed: Set<string> | undefined;
    let allowedBy: string[] = [];
    let skipped: Set<string> | undefined;
    for (const pl of this.preFilters) {
      const { status, result } = pl.preFilter(state, pi);
      if (status.code === Code.Skip) {
        (skipped ??= new Set()).add(pl.name);
        continue;
      }
      if (!status.isSuccess()) {
        for (const n of all) statuses.set(n.name, status);
        const msg = fitErrorMessage(all.length, status.message(), []);
        const post = this.runPostFilter(state, pi, statuses, true);
        if (rows) for (const n of all) attempt.rows.push({ node: n.name, rejectedBy: pl.name, reasons: [...status.reasons] });
        this.fail(q, attempt, this.compose(msg, post), new Set([pl.name]), post.nominatedNode);
        return;
      }
      if (result?.nodeNames) {
        allowed = allowed === undefined ? new Set(result.nodeNames) : new Set([...allowed].filter((x) => result.nodeNames!.has(x)));
        allowedBy.push(pl.name);
      }
    }
    if (skipped) state.filters = this.filters.filter((f) => !skipped!.has(f.name));
    allowedBy = [...new Set(allowedBy)].sort();
    let candidates = all;
    if (allowed) {
      candidates = all.filter((n) => allowed!.has(n.name));
      if (this.d.preFilterResultCounted) {
        const st = unresolvable(`node(s) didn't satisfy plugin(s) [${allowedBy.join(' ')}]`);
        for (const n of all) if (!allowed.has(n.name)) statuses.set(n.name, st);
      }
    }
    // Nominated node first.
    let feasible: NodeInfo[] = [];
    const nom: string | undefined = pi.pod.status?.nominatedNodeName;
    if (nom) {
      const ni = this.nodeInfos.get(nom);
      if (ni && (!allowed || allowed.has(nom)) && this.runFiltersWithNominated(state, pi, ni).isSuccess()) feasible = [ni];
    }
    if (feasible.length === 0 && candidates.length > 0) {
      const want = this.numFeasibleNodesToFind(candidates.length);
      const n = candidates.length;
      let processed = 0;
      for (let i = 0; i < n && feasible.length < want; i++) {
        const ni = candidates[(this.nextStartNodeIndex + i) % n]!;
        processed++;
        const st = this.runFiltersWithNominated(state, pi, ni);
        if (st.isSuccess()) feasible.push(ni);
        else statuses.set(ni.name, st);
      }
      this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % n;
    }
    if (rows) for (const [name, st] of statuses) attempt.rows.push({ node: name, rejectedBy: st.plugin || 'framework', reasons: [...st.reasons] });
    if (feasible.length === 0) {
      const msg = fitErrorMessage(all.length, undefined, statuses.values());
      const post = this.runPostFilter(state, pi, statuses, false);
      const rej = new Set<string>();
      for (const st of statuses.values()) if (st.plugin) rej.add(st.plugin);
      this.fail(q, attempt, this.compose(msg, post), rej, post.nominatedNode);
      return;
    }
    let chosen: NodeInfo;
    if (feasible.length === 1) {
      chosen = feasible[0]!;
      if (rows) attempt.rows.push({ node: chosen.name, winner: true });
    } else {
      chosen = this.prioritize(state, pi, feasible, rows ? attempt.rows : undefined);
    }
    this.bindPod(q, state, chosen, attempt);
  }

  private prioritize(state: CycleState, pi: PodInfo, feasible: NodeInfo[], rows: ExplainRow[] | undefined): NodeInfo {
    const skipped = new Set<string>();
    for (const pl of this.preScores) {
      const st = pl.preScore!(state, pi, feasible);
      if (st.code === Code.Skip) skipped.add(pl.name);
    }
    const nf = feasible.length;
    const totals = new Float64Array(nf);
    // Explain rows only when they are kept.
    const per: Array<Record<string, { score: number; weight: number; weighted: number }>> | undefined = rows ? feasible.map(() => ({})) : undefined;
    if (this.scoreBuf.length < nf) this.scoreBuf = atLeast(this.scoreBuf, nf);
    const scores = this.scoreBuf.subarray(0, nf);
    for (const pl of this.scorers) {
      if (skipped.has(pl.name)) continue;
      if (pl.scoreNodes) pl.scoreNodes(state, pi, feasible, scores);
      else for (let i = 0; i < nf; i++) scores[i] = pl.score(state, pi, feasible[i]!);
      pl.normalize?.(state, pi, scores, feasible);
      const w = this.profile.weights[pl.name] ?? 1;
      for (let i = 0; i < nf; i++) totals[i]! += scores[i]! * w;
      if (per) {
        for (let i = 0; i < nf; i++) {
          const sc = scores[i]!;
          per[i]![pl.name] = { score: sc, weight: w, weighted: sc * w };
        }
      }
    }
    // selectHost: reservoir sampling among the top scores.
    let best = 0, cnt = 1;
    for (let i = 1; i < feasible.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        cnt = 1;
      } else if (totals[i] === totals[best]) {
        cnt++;
        if (this.rng.int(cnt) === 0) best = i;
      }
    }
    if (rows && per) feasible.forEach((n, i) => rows.push({ node: n.name, scores: per[i]!, total: totals[i]!, ...(i === best ? { winner: true } : {}) }));
    return feasible[best]!;
  }

  private runPostFilter(state: CycleState, pi: PodInfo, statuses: NodeStatusMap, preFilterRejected: boolean): { msg: string; nominatedNode?: string | null; fitError: boolean } {
    const reasons: string[] = [];
    let nominatedNode: string | null | undefined;
    let fitError = false;
    for (const pl of this.postFilters) {
      const r = pl.postFilter(state, pi, statuses, preFilterRejected) as { status: Status; nominatedNode?: string | null; fitError?: boolean };
      if (r.nominatedNode !== undefined) nominatedNode = r.nominatedNode;
      if (r.status.isSuccess()) return { msg: r.status.message(), nominatedNode, fitError: false };
      if (r.status.code === Code.UnschedulableAndUnresolvable) return { msg: r.status.message(), nominatedNode, fitError: !!r.fitError };
      if (!r.status.isRejected()) return { msg: r.status.message(), nominatedNode, fitError: false };
      if (r.fitError) fitError = true;
      reasons.push(...r.status.reasons);
    }
    return { msg: reasons.join(', '), nominatedNode, fitError };
  }

  private compose(msg: string, post: { msg: string; fitError: boolean }): string {
    if (!post.msg) return msg;
    // 1.29 FitError.Error() appends every non-empty PostFilter message as ` %v.` (SeparatorFormat), so any
    // PostFilter text that already ends with a period gets a second one (issue #123301, fixed in 1.30).
    return `${msg} ${post.msg}${this.d.doublePeriodAfterPreemption ? '.' : ''}`;
  }

  private fail(q: QueuedPod, attempt: ExplainAttempt, message: string, rejectors: Set<string>, nominatedNode: string | null | undefined): void {
    const pod = q.pi.pod;
    attempt.message = message;
    this.record(attempt);
    q.unschedulableCount++;
    q.rejectors = rejectors;
    this.ctx.recorder.record(pod, 'Warning', 'FailedScheduling', message, SCHEDULER);
    if (this.ctx.store.getByUid(q.pi.uid) === pod) {
      setPodCondition(pod, 'PodScheduled', 'False', 'Unschedulable', message, this.ctx.now());
      pod.status ??= {};
      if (nominatedNode) {
        pod.status.nominatedNodeName = nominatedNode;
        this.addNominated(q.pi, nominatedNode);
      } else if (nominatedNode === null) {
        if (pod.status.nominatedNodeName) delete pod.status.nominatedNodeName;
        this.removeNominated(q.pi.uid);
      }
      this.ctx.store.update(pod);
    }
    if (this.entries.get(q.pi.uid) !== q) return;
    q.backoffExpiry = this.ctx.now() + this.backoffDuration(q);
    q.timestamp = this.ctx.now();
    // Events seen during the cycle that may help send the pod to backoff instead of the pool.
    const moved = this.inFlightEvents.some((e) => rejectors.size === 0 || [...rejectors].some((r) => this.helps(q, r, e.ev, e.node, e.pod, e.old)));
    if (moved) this.moveToActiveOrBackoff(q);
    else {
      q.where = 'unschedulable';
      if (!this.pool.has(q)) {
        if (q.seq < this.poolMaxSeq) this.poolOrdered = false;
        else this.poolMaxSeq = q.seq;
        this.pool.add(q);
      }
      this.armFlushTimer();
    }
  }

  private bindPod(q: QueuedPod, state: CycleState, node: NodeInfo, attempt: ExplainAttempt): void {
    const pi = q.pi;
    const pod = pi.pod;
    // Assume.
    this.cacheAddPod(pod, node.name, pi);
    this.assumed.add(pi.uid);
    this.removeNominated(pi.uid);
    for (const pb of this.preBinders) {
      const st = pb.preBind!(state, pi, node.name);
      if (!st.isSuccess()) return this.bindFailed(q, pi, st.message());
    }
    for (const b of this.binders) {
      const st = b.bind!(state, pi, node.name);
      if (!st.isSuccess()) return this.bindFailed(q, pi, st.message());
      break;
    }
    attempt.node = node.name;
    this.record(attempt);
    this.dropEntry(pi.uid);
    this.ctx.recorder.record(pod, 'Normal', 'Scheduled', this.ctx.msg.scheduled(pi.namespace, pod.metadata.name, node.name), SCHEDULER);
  }

  private bindFailed(q: QueuedPod, pi: PodInfo, message: string): void {
    this.cacheRemovePod(pi.uid);
    this.ctx.recorder.record(pi.pod, 'Warning', 'FailedScheduling', message, SCHEDULER);
    if (this.entries.get(pi.uid) === q) {
      q.backoffExpiry = this.ctx.now() + this.backoffDuration(q);
      q.where = 'none';
      this.moveToActiveOrBackoff(q);
    }
  }

  private record(a: ExplainAttempt): void {
    let l = this.explain.get(a.pod);
    if (!l) this.explain.set(a.pod, (l = []));
    l.push(a);
  }

  // ------------------------------------------------------------------ preemption helpers

  private startTime(p: PodInfo): number {
    const st = p.pod.status?.startTime;
    if (typeof st === 'string') {
      const t = fromTime(st);
      if (t !== undefined) return t;
    }
    return this.ctx.now();
  }

  private prepareCandidate(pod: PodInfo, node: string, victims: PodInfo[]): boolean {
    for (const v of victims) {
      const vp = v.pod;
      if (this.ctx.store.getByUid(v.uid) !== vp) continue;
      if (!vp.metadata.deletionTimestamp) {
        setPodCondition(vp, 'DisruptionTarget', 'True', 'PreemptionByScheduler',
          `${vp.spec?.schedulerName ?? SCHEDULER}: preempting to accommodate a higher priority pod`, this.ctx.now());
        this.ctx.store.update(vp);
      }
      this.ctx.recorder.record(vp, 'Normal', 'Preempted', this.ctx.msg.preempted(pod.pod.metadata.uid ?? '', node), SCHEDULER);
      this.ctx.api.delete(vp, { by: SCHEDULER });
    }
    // Lower-priority pods nominated to this node lose the nomination.
    const nom = this.nominated.get(node);
    if (nom) {
      for (const p of [...nom.values()]) {
        if (p.priority >= pod.priority || p.uid === pod.uid) continue;
        nom.delete(p.uid);
        const live = this.ctx.store.getByUid(p.uid);
        if (live?.status?.nominatedNodeName) {
          delete live.status.nominatedNodeName;
          this.ctx.store.update(live);
        }
      }
    }
    return true;
  }
}

/** Re-exported helpers for tests. */
export { requiredNodeAffinityMatches, normalizedImageName };
