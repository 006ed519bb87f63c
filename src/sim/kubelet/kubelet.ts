/**
 * The kubelet of one node: node status and Lease heartbeats (k/k pkg/kubelet/kubelet_node_status.go,
 * nodelease), the node's image store, per-node back-offs, pod IPAM and the pod workers.
 */
import type { KObject } from '../../k8s/types.js';
import type { SimContext } from '../context.js';
import type { TimerId } from '../kernel.js';
import { toTime, toMicroTime } from '../../k8s/time.js';
import { HostLocalIpam } from '../ipam.js';
import { Backoff } from './backoff.js';
import { PodWorker } from './pod-worker.js';
import { imageKey } from './status.js';
import { admit, type Admitted, type Rejection } from './admission.js';
import { hostPorts, type HostPort } from '../scheduler/node-info.js';
import { podRequests, qosClass, toResourceList, type ResourceList } from '../../k8s/resources.js';

/** The pod conditions the kubelet owns (status manager mergePodStatus replaces them; others are kept). */
const KUBELET_CONDITIONS: ReadonlySet<string> = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

/** A node condition the kubelet posts, with the event its setter records on a transition to it. */
type WantedCondition = [type: string, status: string, reason: string, message: string, event: string];

/** The conditions the kubelet posts, per message set (built once, never written). */
const wantedByMsg = new WeakMap<object, readonly WantedCondition[]>();

function wantedConditions(msg: SimContext['msg']): readonly WantedCondition[] {
  let want = wantedByMsg.get(msg);
  if (!want) {
    want = [
      ['MemoryPressure', 'False', msg.nodeMemoryReason, msg.nodeMemoryMessage, 'NodeHasSufficientMemory'],
      ['DiskPressure', 'False', msg.nodeDiskReason, msg.nodeDiskMessage, 'NodeHasNoDiskPressure'],
      ['PIDPressure', 'False', msg.nodePIDReason, msg.nodePIDMessage, 'NodeHasSufficientPID'],
      ['Ready', 'True', msg.nodeReadyReason, msg.nodeReadyMessage, 'NodeReady'],
    ];
    wantedByMsg.set(msg, want);
  }
  return want;
}

function conditionOf(conds: Array<Record<string, unknown>>, type: string): Record<string, unknown> | undefined {
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type === type) return conds[i];
  return undefined;
}

/** toMicroTime of the last instant asked for (every kubelet renews at the same few instants). */
let lastMicroMs = NaN;
let lastMicro = '';
function microTime(ms: number): string {
  if (ms !== lastMicroMs) {
    lastMicro = toMicroTime(ms);
    lastMicroMs = ms;
  }
  return lastMicro;
}

/** One node's kubelet. */
export class Kubelet {
  /** Whether the kubelet runs. */
  up = true;
  /** When the kubelet (re)started: its 1-s sync tick counts from here. */
  startedAt: number;
  readonly ipam: HostLocalIpam | undefined;
  /** Container restart back-off (kuberuntime_manager.go), keyed `<pod uid>/<container>`. */
  readonly crashBackoff: Backoff;
  /** Image pull back-off (images/image_manager.go), keyed `<pod uid>_<image>`. */
  readonly imageBackoff: Backoff;
  /** Last pull error per image back-off key (1.32+ waiting message). */
  readonly lastPullError = new Map<string, string>();
  /** serializeImagePulls: when the node's puller is free. */
  pullFreeAt = 0;
  private readonly workers = new Map<string, PodWorker>();
  /** What the admitted, not yet finished pods hold (see admission.ts), and what each of them adds. */
  private readonly held = new Map<string, { req: ResourceList; ports: HostPort[] }>();
  private readonly heldReq: ResourceList = {};
  /** The node's allocatable as amounts, and the status.allocatable object it was read from. */
  private alloc: ResourceList = {};
  private allocOf: unknown = null;
  /** What admission checks a new pod against (a view of `held`). */
  private readonly admitted: Admitted = {
    pods: () => this.held.size,
    requested: this.heldReq,
    ports: () => [...this.held.values()].flatMap((h) => h.ports),
  };
  /** Workers created while the kubelet was down: admitted when it starts again. */
  private readonly unadmitted = new Set<string>();
  /** Pods rejected whose Failed status is not written yet. */
  private readonly rejecting = new Set<string>();
  private statusTimer: TimerId | undefined;
  private leaseTimer: TimerId | undefined;
  private imageCacheTimer: TimerId | undefined;
  /** The runtime's images (what a pull leaves behind), by image key, in pull order. */
  private readonly runtimeImages = new Map<string, { names: string[]; sizeBytes: number }>();
  /** Bumped when runtimeImages changes; the image cache holds version `cachedVersion`, node status `postedVersion`. */
  private imagesVersion = 0;
  private cachedVersion = 0;
  private postedVersion = -1;
  /** The image list cache (image_gc_manager imageCache): largest first, refreshed every 30s. */
  private cachedImages: ReadonlyArray<{ names: string[]; sizeBytes: number }> = [];
  private lastPosted = -Infinity;
  /** spec.unschedulable as seen at the last status sync (kl.lastNodeUnschedulable, false at start). */
  private lastUnschedulable = false;
  /** The Lease last looked up and the Lease removal count then (see storedLease). */
  private lease: KObject | undefined;
  private leaseRemovals = 0;
  /** The node's name (names never change), and whether `node` was found stored at Node removal count `nodeRemovals`. */
  private readonly nodeName: string;
  private nodeStored = false;
  private nodeRemovals = 0;
  private readonly rng;
  /** The addresses list `ip` was read from (see nodeIP). */
  private ipOf: unknown = null;
  private ip: string | undefined;

  constructor(private readonly ctx: SimContext, private node: KObject) {
    const d = ctx.defaults;
    this.nodeName = node.metadata.name;
    this.startedAt = ctx.now();
    const cidr: string | undefined = node.spec?.podCIDR;
    this.ipam = cidr ? new HostLocalIpam(cidr) : undefined;
    this.crashBackoff = new Backoff(d.crashLoopInitialBackoff, d.crashLoopMaxBackoff);
    this.imageBackoff = new Backoff(d.imagePullInitialBackoff, d.imagePullMaxBackoff);
    this.rng = ctx.rng(`kubelet/${node.metadata.name}`);
    // Images declared on the node are in the runtime, the cache and node status from the start.
    for (const i of node.status?.images ?? []) {
      const names: string[] = i.names ?? [];
      if (names.length === 0 || this.runtimeImages.has(imageKey(names[0]!))) continue;
      this.runtimeImages.set(imageKey(names[0]!), { names: [...names], sizeBytes: i.sizeBytes ?? 0 });
      this.imagesVersion++;
    }
  }

  /** The node's name. */
  get name(): string {
    return this.nodeName;
  }

  /** The node's InternalIP (looked up again only when the addresses list is another object). */
  get nodeIP(): string | undefined {
    const list = this.node.status?.addresses;
    if (list !== this.ipOf) {
      this.ipOf = list;
      this.ip = (list ?? []).find((x: Record<string, string>) => x.type === 'InternalIP')?.address;
    }
    return this.ip;
  }

  /** A new container ID (64 hex characters from the kubelet's PRNG stream). */
  newContainerId(): string {
    return this.rng.string(64, '0123456789abcdef');
  }

  // ------------------------------------------------------------ heartbeats

  /** Registration: status posted at once, Lease created, then the 10s loops. */
  start(): void {
    this.startedAt = this.ctx.now();
    this.up = true;
    // kubelet.Run and the container manager's node allocatable enforcement (each kubelet start).
    const node = this.current();
    if (node) {
      this.ctx.recorder.record(node, 'Normal', 'Starting', this.ctx.msg.kubeletStarting, 'kubelet', this.nodeName);
      this.ctx.recorder.record(node, 'Normal', 'NodeAllocatableEnforced', this.ctx.msg.nodeAllocatableEnforced, 'kubelet', this.nodeName);
    }
    this.startImageCache();
    this.syncNodeStatus(true);
    this.renewLease();
    this.scheduleHeartbeats();
    // Pods bound while the kubelet was down are admitted now, oldest first (HandlePodAdditions).
    for (const uid of this.unadmitted) {
      const w = this.workers.get(uid);
      if (!w) continue;
      const r = this.admit(w.pod);
      if (r) {
        this.workers.delete(uid);
        this.reject(w.pod, r);
      }
    }
    this.unadmitted.clear();
    for (const w of this.workers.values()) w.resume();
  }

  private scheduleHeartbeats(): void {
    const d = this.ctx.defaults;
    const kernel = this.ctx.kernel;
    const base = this.ctx.now();
    // One callback per loop for the kubelet's life (the next tick is kept in a variable), labels built once.
    const statusLabel = `kubelet ${this.name} node status`;
    const leaseLabel = `kubelet ${this.name} lease`;
    let statusK = 1, leaseK = 1;
    const statusTick = () => {
      this.syncNodeStatus(false);
      statusK++;
      this.statusTimer = kernel.at(base + statusK * d.nodeStatusUpdateFrequency, statusTick, statusLabel);
    };
    const leaseTick = () => {
      this.renewLease();
      leaseK++;
      this.leaseTimer = kernel.at(base + leaseK * d.leaseRenewInterval, leaseTick, leaseLabel);
    };
    this.statusTimer = kernel.at(base + statusK * d.nodeStatusUpdateFrequency, statusTick, statusLabel);
    this.leaseTimer = kernel.at(base + leaseK * d.leaseRenewInterval, leaseTick, leaseLabel);
  }

  /** Stops the kubelet (nodeDown): heartbeats and pod workers stop; containers keep running. */
  down(): void {
    this.up = false;
    this.ctx.kernel.cancel(this.statusTimer);
    this.ctx.kernel.cancel(this.leaseTimer);
    this.ctx.kernel.cancel(this.imageCacheTimer);
    this.statusTimer = this.leaseTimer = this.imageCacheTimer = undefined;
    for (const w of this.workers.values()) w.freeze();
  }

  /** The Node object was deleted: everything stops for good. */
  stop(): void {
    this.down();
    this.workers.clear();
    this.held.clear();
    for (const k of Object.keys(this.heldReq)) delete this.heldReq[k];
    this.unadmitted.clear();
    const lease = this.ctx.store.get('Lease', 'kube-node-lease', this.name);
    if (lease) this.ctx.api.delete(lease, { by: 'kubelet' });
  }

  private current(): KObject | undefined {
    const store = this.ctx.store;
    // The node found last time is still the stored one while no Node was removed since.
    const removals = store.removals('Node');
    if (this.nodeStored && this.nodeRemovals === removals) return this.node;
    const n = store.get('Node', undefined, this.nodeName);
    if (n) this.node = n;
    this.nodeStored = n !== undefined;
    this.nodeRemovals = removals;
    return n;
  }

  /** tryUpdateNodeStatus: computes the conditions and posts them when changed or every 5 minutes. */
  private syncNodeStatus(force: boolean): void {
    const node = this.current();
    if (!node) return;
    const now = this.ctx.now();
    node.status ??= {};
    const conds: Array<Record<string, unknown>> = node.status.conditions ?? [];
    const want = wantedConditions(this.ctx.msg);
    let changed = false;
    for (const [type, status, reason, message, event] of want) {
      const old = conditionOf(conds, type);
      if (!old || old.status !== status || old.reason !== reason || old.message !== message) changed = true;
      // The setters' events (nodestatus/setters.go): a pressure condition turning False from anything else
      // (a new one starts Unknown); Ready only when an existing condition changes status.
      if (type === 'Ready' ? old !== undefined && old.status !== status : old?.status !== status) {
        this.ctx.recorder.record(node, 'Normal', event, this.ctx.msg.nodeStatusIsNow(this.nodeName, event), 'kubelet', this.nodeName);
      }
    }
    // recordNodeSchedulableEvent: spec.unschedulable against the value at the kubelet's last sync.
    const unschedulable = node.spec?.unschedulable === true;
    if (unschedulable !== this.lastUnschedulable) {
      this.lastUnschedulable = unschedulable;
      const event = unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable';
      this.ctx.recorder.record(node, 'Normal', event, this.ctx.msg.nodeStatusIsNow(this.nodeName, event), 'kubelet', this.nodeName);
    }
    const d = this.ctx.defaults;
    // nodestatus.Images: the cached list, truncated to nodeStatusMaxImages (a new cache is a change).
    const imagesChanged = this.postedVersion !== this.cachedVersion;
    // Nothing above writes node.status, so the unchanged-status check needs no copy of it.
    if (!force && !changed && !imagesChanged && now - this.lastPosted < d.nodeStatusReportFrequency) return;
    if (imagesChanged) {
      const max = d.nodeStatusMaxImages;
      const list = max > -1 && this.cachedImages.length > max ? this.cachedImages.slice(0, max) : this.cachedImages;
      // An empty list is a nil slice upstream, left out of the object (omitempty).
      if (list.length > 0) node.status.images = list.map((i) => ({ names: [...i.names], sizeBytes: i.sizeBytes }));
      else delete node.status.images;
      this.postedVersion = this.cachedVersion;
    }
    const next: Array<Record<string, unknown>> = [];
    for (const [type, status, reason, message] of want) {
      const old = conditionOf(conds, type);
      next.push({
        type, status,
        lastHeartbeatTime: old?.lastHeartbeatTime ?? toTime(now),
        lastTransitionTime: old && old.status === status ? old.lastTransitionTime : toTime(now),
        reason, message,
      });
    }
    for (const c of conds) if (!want.some((w) => w[0] === c.type)) next.push(c);
    for (const c of next) if (want.some((w) => w[0] === c.type)) c.lastHeartbeatTime = toTime(now);
    node.status.conditions = next;
    this.lastPosted = now;
    this.ctx.store.update(node);
    if (this.ctx.trace.keeps('node')) this.ctx.trace.add('node', 'kubelet posted node status', `Node ${this.name}`);
  }

  /** The node's Lease: the one looked up last time while no Lease was removed since, else a store lookup. */
  private storedLease(): KObject | undefined {
    const store = this.ctx.store;
    const removals = store.removals('Lease');
    if (this.lease !== undefined && this.leaseRemovals === removals) return this.lease;
    this.leaseRemovals = removals;
    return (this.lease = store.get('Lease', 'kube-node-lease', this.name));
  }

  private renewLease(): void {
    const now = this.ctx.now();
    const d = this.ctx.defaults;
    const lease = this.storedLease();
    if (lease) {
      lease.spec ??= {};
      lease.spec.renewTime = microTime(now);
      this.ctx.store.update(lease);
      return;
    }
    const node = this.current();
    const r = this.ctx.api.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.name, namespace: 'kube-node-lease',
        ownerReferences: node ? [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: node.metadata.uid ?? '' }] : [],
      },
      spec: { holderIdentity: this.name, leaseDurationSeconds: d.nodeLeaseDurationSeconds, renewTime: toMicroTime(now) },
    }, { by: `kubelet ${this.name}` });
    if (!r.ok) this.ctx.trace.add('kubelet', `lease not created: ${r.error.message}`, `Node ${this.name}`);
  }

  // ------------------------------------------------------------ images

  /** Whether the runtime holds an image (the pull decision reads the runtime, not node status). */
  hasImage(image: string): boolean {
    return this.runtimeImages.has(imageKey(image));
  }

  /**
   * Records a pulled image in the runtime; returns its size. Node status shows it once the image cache
   * (refreshed every 30s) has it and the next status sync (every 10s) posts the change.
   */
  addImage(image: string): number {
    const key = imageKey(image);
    const found = this.runtimeImages.get(key);
    if (found) return found.sizeBytes;
    const size = this.ctx.defaults.pulledImageSizeBytes;
    this.runtimeImages.set(key, { names: [image], sizeBytes: size });
    this.imagesVersion++;
    return size;
  }

  /** imageCache.set(ListImages()): the runtime's images, largest first (ties in pull order). */
  private refreshImageCache(): void {
    if (this.cachedVersion === this.imagesVersion) return;
    this.cachedImages = [...this.runtimeImages.values()].sort((a, b) => b.sizeBytes - a.sizeBytes);
    this.cachedVersion = this.imagesVersion;
  }

  /** The image manager's cache loop: a refresh now, then every imageCacheUpdatePeriod for the kubelet's life. */
  private startImageCache(): void {
    const kernel = this.ctx.kernel;
    const period = this.ctx.defaults.imageCacheUpdatePeriod;
    const label = `kubelet ${this.name} image cache`;
    const tick = () => {
      this.refreshImageCache();
      this.imageCacheTimer = kernel.after(period, tick, label);
    };
    this.refreshImageCache();
    this.imageCacheTimer = kernel.after(period, tick, label);
  }

  // ------------------------------------------------------------ pods

  /** A pod bound to this node changed (watch); `deleted` when it left the store. */
  podEvent(pod: KObject, deleted: boolean): void {
    const uid = pod.metadata.uid ?? '';
    let w = this.workers.get(uid);
    if (!w) {
      if (deleted) return;
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed' || this.rejecting.has(uid)) return;
      if (this.up) {
        const r = this.admit(pod);
        if (r) { this.reject(pod, r); return; }
      }
      w = new PodWorker(this.ctx, this, pod);
      if (!this.up) this.unadmitted.add(uid);
      this.workers.set(uid, w);
      w.seenDel = !!pod.metadata.deletionTimestamp;
      w.seenAds = pod.spec?.activeDeadlineSeconds;
      w.seenGrace = pod.metadata.deletionGracePeriodSeconds;
      if (this.ctx.trace.keeps('kubelet')) this.ctx.trace.add('kubelet', `admitted on ${this.name}`, `Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
      if (this.up) w.resume();
      return;
    }
    const del = !!pod.metadata.deletionTimestamp, ads: unknown = pod.spec?.activeDeadlineSeconds, grace: unknown = pod.metadata.deletionGracePeriodSeconds;
    if (!deleted && w.seenDel === del && w.seenAds === ads && w.seenGrace === grace) return;
    w.seenDel = del;
    w.seenAds = ads;
    w.seenGrace = grace;
    w.podUpdated(pod, deleted);
  }

  /** The worker of a pod, by uid. */
  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  // ------------------------------------------------------------ admission

  /** canAdmitPod: checks the pod against the node and the pods admitted before it; holds its share if admitted. */
  private admit(pod: KObject): Rejection | undefined {
    const node = this.current() ?? this.node;
    const d = this.ctx.defaults;
    const req = podRequests(pod, { podLevelResources: d.podLevelResources });
    const ports = hostPorts(pod, d.nodePortsSidecars);
    const others = this.admitted;
    const allocSrc = node.status?.allocatable;
    if (allocSrc !== this.allocOf) { this.allocOf = allocSrc; this.alloc = toResourceList(allocSrc); }
    const r = admit(pod, req, ports, node, this.alloc, others, this.ctx.msg);
    if (r) return r;
    this.held.set(pod.metadata.uid ?? '', { req, ports });
    for (const k in req) this.heldReq[k] = (this.heldReq[k] ?? 0) + req[k]!;
    return undefined;
  }

  /** A worker's containers stopped for good: its pod no longer counts for admission (filterOutInactivePods). */
  release(uid: string): void {
    const h = this.held.get(uid);
    if (!h) return;
    this.held.delete(uid);
    for (const k in h.req) this.heldReq[k] = this.heldReq[k]! - h.req[k]!;
  }

  /** rejectPod: a Warning Event, then status phase Failed with the reason and `Pod was rejected: <message>`. */
  private reject(pod: KObject, r: Rejection): void {
    const uid = pod.metadata.uid ?? '';
    const what = `Pod ${pod.metadata.namespace}/${pod.metadata.name}`;
    if (this.ctx.trace.keeps('kubelet')) this.ctx.trace.add('kubelet', `rejected on ${this.name}: ${r.reason}`, what);
    this.ctx.recorder.record(pod, 'Warning', r.reason, r.message, 'kubelet', this.name);
    this.rejecting.add(uid);
    // The status manager writes the status shortly after (a reaction at this instant).
    this.ctx.kernel.react(() => {
      this.rejecting.delete(uid);
      const cur = this.ctx.store.getByUid(uid);
      if (!cur || cur.spec?.nodeName !== this.name) return;
      const old = cur.status ?? {};
      const conditions = (old.conditions ?? []).filter((c: { type?: string }) => !KUBELET_CONDITIONS.has(c.type ?? ''));
      const now = this.ctx.now();
      const d = this.ctx.defaults;
      cur.status = {
        phase: 'Failed',
        ...(conditions.length > 0 ? { conditions } : {}),
        message: this.ctx.msg.podRejected(r.message),
        reason: r.reason,
        // updateStatusInternal: a status without a start time gets one.
        startTime: old.startTime ?? toTime(Math.floor(now / 1000) * 1000),
        qosClass: old.qosClass ?? qosClass(cur),
        ...(d.podObservedGeneration && cur.metadata.generation !== undefined ? { observedGeneration: cur.metadata.generation } : {}),
      };
      this.ctx.store.update(cur);
    }, 'kubelet');
  }

  /** Drops a finished, removed pod. */
  forget(w: PodWorker): void {
    this.workers.delete(w.uid);
    this.imageBackoff.resetPrefix(`${w.uid}_`);
  }
}
