/**
 * The node lifecycle controller (k/k pkg/controller/nodelifecycle/node_lifecycle_controller.go):
 * `monitorNodeHealth` every --node-monitor-period (5s) from t=0 with the version's grace period, probe
 * timestamps refreshed from Lease renewals and Ready heartbeats, Ready→Unknown with NodeStatusUnknown,
 * NodeNotReady events and MarkPodsNotReady, NoExecute `unreachable`/`not-ready` taints through a per-zone
 * rate limiter (0.1 nodes/s, burst 1) with disruption modes, and condition-driven NoSchedule taints.
 */
import type { KObject } from '../../k8s/types.js';
import type { SimContext } from '../context.js';
import { PRIORITY } from '../kernel.js';
import { setPodCondition } from '../apiserver.js';
import { toTime } from '../../k8s/time.js';
import type { Taint } from '../../k8s/match.js';

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';
const ZONE_LABEL = 'topology.kubernetes.io/zone';
const REGION_LABEL = 'topology.kubernetes.io/region';

/** NoSchedule taints of true node conditions. */
const CONDITION_TAINTS: Readonly<Record<string, string>> = {
  MemoryPressure: 'node.kubernetes.io/memory-pressure', DiskPressure: 'node.kubernetes.io/disk-pressure',
  PIDPressure: 'node.kubernetes.io/pid-pressure', NetworkUnavailable: 'node.kubernetes.io/network-unavailable',
};
/** NoSchedule taints the controller manages. */
const MANAGED_NO_SCHEDULE: ReadonlySet<string> = new Set([NOT_READY, UNREACHABLE, 'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/network-unavailable',
  'node.kubernetes.io/unschedulable']);

/** Monitor passes run after kubelet timers of the same ms (a renewal due then is seen by the pass). */
export const NODE_MONITOR_PRIORITY = PRIORITY.timer + 5;

interface Health {
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  leaseRenew: string | undefined;
  readyHeartbeat: string | undefined;
  /** Ready status the controller last saw (events on change). */
  lastReady: string | undefined;
  /** The node's Lease as last looked up, and the Lease removal count then (reused while no Lease was removed). */
  lease: KObject | undefined;
  leaseRemovals: number;
  /** zoneOf memo: the labels object the key was built from (cleared at every write of the node). */
  zoneLabels: Record<string, string> | undefined;
  zoneKey: string;
}

/** Ready and not-ready counts of one zone in a monitor pass. */
interface ZoneCount {
  total: number;
  ready: number;
}

const NO_LABELS: Record<string, string> = {};

type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** The zone key of a node's region and zone labels ('' when it has neither). */
function zoneKey(region: string | undefined, zone: string | undefined): string {
  const r = region ?? '', z = zone ?? '';
  return r || z ? `${r}:\u0000:${z}` : '';
}

/** The node lifecycle controller. */
export class NodeLifecycleController {
  private readonly health = new Map<string, Health>();
  /** knownNodeSet: the nodes seen by the last pass, by name. */
  private readonly known = new Map<string, KObject>();
  private readonly zoneStates = new Map<string, ZoneState>();
  /** Per zone: when the next NoExecute taint may be applied (token bucket, burst 1). */
  private readonly zoneNextToken = new Map<string, number>();
  /** Nodes waiting for a NoExecute taint change, in queue order. */
  private readonly pendingTaint = new Map<string, true>();
  private drainTimer: number | undefined;
  private allFullyDisrupted = false;

  /** Starts the monitor loop at t=0 and the NoSchedule taint sync on node updates. */
  constructor(private readonly ctx: SimContext) {
    const period = ctx.defaults.nodeMonitorPeriod;
    const loop = (k: number) => {
      ctx.kernel.at(k * period, () => {
        this.monitorNodeHealth();
        loop(k + 1);
      }, 'node-lifecycle monitor', NODE_MONITOR_PRIORITY);
    };
    loop(Math.ceil(ctx.now() / period));
    ctx.store.watch('Node', (type, node) => {
      if (type === 'DELETED') {
        ctx.kernel.react(() => { this.health.delete(node.metadata.name); this.pendingTaint.delete(node.metadata.name); }, 'node-lifecycle forget');
        return;
      }
      // Labels may have changed: the zone key is rebuilt at the next pass.
      const h = this.health.get(node.metadata.name);
      if (h) h.zoneLabels = undefined;
      ctx.kernel.react(() => this.syncNoScheduleTaints(node), `node-lifecycle NoSchedule ${node.metadata.name}`);
    });
  }

  private ready(node: KObject): Record<string, unknown> | undefined {
    const conds: Array<Record<string, unknown>> | undefined = node.status?.conditions;
    if (!conds) return undefined;
    for (let i = 0; i < conds.length; i++) if (conds[i]!.type === 'Ready') return conds[i];
    return undefined;
  }

  private zoneOf(node: KObject): string {
    const l = node.metadata.labels ?? NO_LABELS;
    return zoneKey(l[REGION_LABEL], l[ZONE_LABEL]);
  }

  /**
   * zoneOf through the node's health entry: the key is rebuilt when the node was written since (the Node
   * watch clears the memo) or holds another labels object. (Node labels objects have a shape of their own
   * each, so reading them every pass is a slow megamorphic load.)
   */
  private zoneOfCached(node: KObject, h: Health): string {
    const l: Record<string, string> = node.metadata.labels ?? NO_LABELS;
    if (h.zoneLabels !== l) {
      h.zoneLabels = l;
      // The same string object every pass: its hash is computed once.
      h.zoneKey = zoneKey(l[REGION_LABEL], l[ZONE_LABEL]);
    }
    return h.zoneKey;
  }

  /**
   * classifyNodes and its events: nodes new to the controller get `RegisteredNode`, nodes gone since the last
   * pass `RemovingNode` (monitorNodeHealth, `RecordNodeEvent`).
   */
  private classifyNodes(nodes: KObject[]): void {
    const ctx = this.ctx;
    let added = false;
    for (const node of nodes) {
      const name = node.metadata.name;
      if (this.known.has(name)) continue;
      this.known.set(name, node);
      added = true;
      ctx.recorder.record(node, 'Normal', 'RegisteredNode', ctx.msg.registeredNode(name), 'node-controller');
    }
    if (!added && this.known.size === nodes.length) return;
    const present = new Set(nodes.map((n) => n.metadata.name));
    for (const [name, gone] of [...this.known]) {
      if (present.has(name)) continue;
      this.known.delete(name);
      ctx.recorder.record(gone, 'Normal', 'RemovingNode', ctx.msg.removingNode(name), 'node-controller');
    }
  }

  /** One `monitorNodeHealth` pass. */
  private monitorNodeHealth(): void {
    const ctx = this.ctx;
    const d = ctx.defaults;
    const now = ctx.now();
    const nodes = ctx.store.list('Node');
    this.classifyNodes(nodes);
    const zoneCounts = new Map<string, ZoneCount>();
    for (const node of nodes) {
      const name = node.metadata.name;
      const observed = this.ready(node);
      const observedStatus = observed?.status as string | undefined;
      let h = this.health.get(name);
      const current = this.tryUpdateNodeHealth(node, now, h);
      h ??= this.health.get(name)!;
      const zone = this.zoneOfCached(node, h);
      let zc = zoneCounts.get(zone);
      if (!zc) zoneCounts.set(zone, (zc = { total: 0, ready: 0 }));
      zc.total++;
      if (current === 'True') zc.ready++;
      // Taint decision: ≤1.33 reads the Ready condition as it was before this pass's health check.
      const decisionStatus = d.taintInSamePass ? current : observedStatus;
      if (decisionStatus === 'False' || decisionStatus === 'Unknown') {
        if (!this.hasTaint(node, decisionStatus === 'False' ? NOT_READY : UNREACHABLE, 'NoExecute')) this.pendingTaint.set(name, true);
      } else if (decisionStatus === 'True') {
        if (this.hasTaint(node, NOT_READY, 'NoExecute') || this.hasTaint(node, UNREACHABLE, 'NoExecute')) {
          this.pendingTaint.delete(name);
          this.setNoExecute(node, undefined);
        }
      }
      // Ready True -> not True: events and MarkPodsNotReady.
      if (current !== 'True' && h.lastReady === 'True') {
        ctx.recorder.record(node, 'Normal', 'NodeNotReady', ctx.msg.nodeNotReady(name), 'node-controller');
        this.markPodsNotReady(name);
      }
      // (NodeReady is the kubelet's event, recorded by its Ready setter; the controller records none.)
      h.lastReady = current;
    }
    this.handleDisruption(zoneCounts, nodes);
    this.drainTaints();
  }

  /** The node's Lease: the one seen last pass while no Lease was removed since, else a store lookup. */
  private leaseOf(name: string, h: Health | undefined): KObject | undefined {
    const store = this.ctx.store;
    const removals = store.removals('Lease');
    if (h !== undefined && h.lease !== undefined && h.leaseRemovals === removals) return h.lease;
    const lease = store.get('Lease', 'kube-node-lease', name);
    if (h) { h.lease = lease; h.leaseRemovals = removals; }
    return lease;
  }

  /** `tryUpdateNodeHealth`: returns the Ready status after the check. `h` is the node's health entry, if any yet. */
  private tryUpdateNodeHealth(node: KObject, now: number, h: Health | undefined): string | undefined {
    const d = this.ctx.defaults;
    const name = node.metadata.name;
    const ready = this.ready(node);
    const lease = this.leaseOf(name, h);
    const renew: string | undefined = lease?.spec?.renewTime;
    if (!h) {
      h = {
        probeTimestamp: now, readyTransitionTimestamp: now, leaseRenew: renew, readyHeartbeat: ready?.lastHeartbeatTime as string | undefined,
        lastReady: ready?.status as string | undefined, lease, leaseRemovals: this.ctx.store.removals('Lease'), zoneLabels: undefined, zoneKey: '',
      };
      this.health.set(name, h);
    } else {
      const hb = ready?.lastHeartbeatTime as string | undefined;
      if (hb !== h.readyHeartbeat) { h.readyHeartbeat = hb; h.probeTimestamp = now; }
      if (renew !== undefined && renew !== h.leaseRenew) { h.leaseRenew = renew; h.probeTimestamp = now; }
    }
    const grace = ready ? d.nodeMonitorGracePeriod : d.nodeStartupGracePeriod;
    if (now <= h.probeTimestamp + grace) return ready?.status as string | undefined;
    // The kubelet stopped posting: every condition it owns becomes Unknown.
    const msg = this.ctx.msg;
    node.status ??= {};
    const conds: Array<Record<string, unknown>> = node.status.conditions ?? (node.status.conditions = []);
    let changed = false;
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      const c = conds.find((x) => x.type === type);
      if (!c) {
        conds.push({
          type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: msg.kubeletNeverPosted,
          lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: toTime(now),
        });
        changed = true;
      } else if (c.status !== 'Unknown') {
        c.status = 'Unknown';
        c.reason = 'NodeStatusUnknown';
        c.message = msg.kubeletStoppedPosting;
        c.lastTransitionTime = toTime(now);
        changed = true;
      }
    }
    if (changed) {
      h.readyTransitionTimestamp = now;
      this.ctx.store.update(node);
      this.ctx.trace.add('node', 'node-controller: kubelet stopped posting node status', `Node ${name}`);
    }
    return 'Unknown';
  }

  private markPodsNotReady(node: string): void {
    const ctx = this.ctx;
    for (const pod of ctx.store.podsOnNode(node)) {
      const ready = (pod.status?.conditions ?? []).find((c: Record<string, unknown>) => c.type === 'Ready');
      if (ready && ready.status === 'False') continue;
      if (setPodCondition(pod, 'Ready', 'False', ready?.reason as string | undefined, ready?.message as string | undefined, ctx.now())) {
        // Only the status flips; reason and message stay as the kubelet wrote them.
        ctx.store.update(pod);
      }
      ctx.recorder.record(pod, 'Warning', 'NodeNotReady', ctx.msg.podNodeNotReady, 'node-controller');
    }
  }

  private handleDisruption(zoneCounts: Map<string, ZoneCount>, nodes: KObject[]): void {
    const d = this.ctx.defaults;
    let allFull = zoneCounts.size > 0;
    for (const [zone, { total, ready }] of zoneCounts) {
      const notReady = total - ready;
      let state: ZoneState = 'Normal';
      if (ready === 0 && notReady > 0) state = 'FullDisruption';
      else if (notReady > 2 && notReady / total >= d.unhealthyZoneThreshold) state = 'PartialDisruption';
      const prev = this.zoneStates.get(zone) ?? 'Normal';
      this.zoneStates.set(zone, state);
      if (prev !== state) this.swapLimiter(zone, this.zoneInterval(prev, total), this.zoneInterval(state, total));
      if (state !== 'FullDisruption') allFull = false;
    }
    if (allFull && !this.allFullyDisrupted) {
      // Every zone is down: the controller assumes a control-plane problem and lifts NoExecute taints.
      for (const n of nodes) this.setNoExecute(n, undefined);
      this.pendingTaint.clear();
    }
    this.allFullyDisrupted = allFull;
  }

  /**
   * A zone's tainting interval in a state (setLimiterInZone): the primary rate when Normal or fully disrupted
   * (HealthyQPSFunc), in PartialDisruption the secondary rate for zones above the large-cluster threshold and
   * none (undefined) for smaller ones (ReducedQPSFunc).
   */
  private zoneInterval(state: ZoneState, zoneSize: number): number | undefined {
    const d = this.ctx.defaults;
    if (state !== 'PartialDisruption') return d.nodeEvictionInterval;
    return zoneSize > d.largeClusterSizeThreshold ? d.secondaryNodeEvictionInterval : undefined;
  }

  /**
   * RateLimitedTimedQueue.SwapLimiter: a new token bucket (burst 1) in place of the old; it starts full unless
   * the old one had no token left (or never gives any), in which case it is drained first.
   */
  private swapLimiter(zone: string, oldInterval: number | undefined, newInterval: number | undefined): void {
    if (oldInterval === newInterval || newInterval === undefined) return;
    const token = this.zoneNextToken.get(zone) ?? -Infinity;
    const now = this.ctx.now();
    this.zoneNextToken.set(zone, oldInterval !== undefined && now >= token ? -Infinity : now + newInterval);
  }

  private zoneAllowsEviction(zone: string, nodes: number): boolean {
    if (this.allFullyDisrupted) return false;
    return this.zoneInterval(this.zoneStates.get(zone) ?? 'Normal', nodes) !== undefined;
  }

  /** doNoExecuteTaintingPass: applies queued taints through each zone's token bucket. */
  private drainTaints(): void {
    const ctx = this.ctx;
    const now = ctx.now();
    let nextWake: number | undefined;
    for (const name of [...this.pendingTaint.keys()]) {
      const node = ctx.store.get('Node', undefined, name);
      if (!node) { this.pendingTaint.delete(name); continue; }
      const status = this.ready(node)?.status as string | undefined;
      if (status === 'True') { this.pendingTaint.delete(name); continue; }
      const zone = this.zoneOf(node);
      const zoneSize = ctx.store.list('Node').filter((n) => this.zoneOf(n) === zone).length;
      if (!this.zoneAllowsEviction(zone, zoneSize)) continue;
      const token = this.zoneNextToken.get(zone) ?? -Infinity;
      if (now < token) { nextWake = Math.min(nextWake ?? Infinity, token); continue; }
      this.zoneNextToken.set(zone, now + this.zoneInterval(this.zoneStates.get(zone) ?? 'Normal', zoneSize)!);
      this.pendingTaint.delete(name);
      this.setNoExecute(node, status === 'False' ? NOT_READY : UNREACHABLE);
    }
    if (nextWake !== undefined && this.drainTimer === undefined) {
      this.drainTimer = ctx.kernel.at(nextWake, () => { this.drainTimer = undefined; this.drainTaints(); }, 'node-lifecycle NoExecute tainter', NODE_MONITOR_PRIORITY);
    }
  }

  private hasTaint(node: KObject, key: string, effect: string): boolean {
    const taints: Taint[] | undefined = node.spec?.taints;
    if (!taints) return false;
    for (let i = 0; i < taints.length; i++) if (taints[i]!.key === key && taints[i]!.effect === effect) return true;
    return false;
  }

  /** Sets the NoExecute readiness taint to `key` (swapping the other), or removes both. */
  private setNoExecute(node: KObject, key: string | undefined): void {
    const taints: Taint[] = node.spec?.taints ?? [];
    const keep = taints.filter((t) => !(t.effect === 'NoExecute' && (t.key === UNREACHABLE || t.key === NOT_READY) && t.key !== key));
    let changed = keep.length !== taints.length;
    if (key && !keep.some((t) => t.key === key && t.effect === 'NoExecute')) {
      keep.push({ key, effect: 'NoExecute', timeAdded: toTime(this.ctx.now()) });
      changed = true;
    }
    if (!changed) return;
    node.spec ??= {};
    if (keep.length) node.spec.taints = keep; else delete node.spec.taints;
    this.ctx.store.update(node);
    this.ctx.trace.add('node', key ? `node-controller: tainted ${key}:NoExecute` : 'node-controller: NoExecute taints removed', `Node ${node.metadata.name}`);
  }

  /** doNoScheduleTaintingPass: condition and cordon taints with effect NoSchedule. */
  private syncNoScheduleTaints(node: KObject): void {
    if (this.ctx.store.get('Node', undefined, node.metadata.name) !== node) return;
    const conds: Array<Record<string, unknown>> = node.status?.conditions ?? [];
    const want = new Set<string>();
    for (const c of conds) {
      if (c.type === 'Ready') {
        if (c.status === 'False') want.add(NOT_READY);
        else if (c.status === 'Unknown') want.add(UNREACHABLE);
      } else if (c.status === 'True') {
        const key = CONDITION_TAINTS[c.type as string];
        if (key) want.add(key);
      }
    }
    if (node.spec?.unschedulable) want.add('node.kubernetes.io/unschedulable');
    const taints: Taint[] = node.spec?.taints ?? [];
    const next = taints.filter((t) => !(t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key) && !want.has(t.key)));
    // SwapNodeControllerTaint stamps every taint it adds with timeAdded.
    for (const k of want) if (!next.some((t) => t.key === k && t.effect === 'NoSchedule')) next.push({ key: k, effect: 'NoSchedule', timeAdded: toTime(this.ctx.now()) });
    if (next.length === taints.length && next.every((t, i) => t === taints[i])) return;
    node.spec ??= {};
    if (next.length) node.spec.taints = next; else delete node.spec.taints;
    this.ctx.store.update(node);
  }
}

