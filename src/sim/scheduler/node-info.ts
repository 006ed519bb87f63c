/**
 * The scheduler's cache (k/k pkg/scheduler/backend/cache, framework/types.go): a PodInfo per pod with what
 * every plugin needs pre-computed once (requests, non-zero requests, host ports, affinity terms), and a
 * NodeInfo per node updated incrementally when pods are bound, changed or deleted, so a scheduling cycle
 * never rescans the cluster's pods. Nodes are listed zone-interleaved like the snapshot's node tree.
 */
import type { KObject } from '../../k8s/types.js';
import type { LabelSelector, Taint } from '../../k8s/match.js';
import { selectorMatches } from '../../k8s/match.js';
import { podNonZeroRequests, podRequests, toResourceList, type ResourceList } from '../../k8s/resources.js';
import type { Defaults } from '../defaults.js';
import { imageKey } from '../../k8s/images.js';
import { atLeast } from './node-columns.js';

/** An inter-pod (anti-)affinity term, compiled (framework.AffinityTerm / WeightedAffinityTerm). */
export interface AffinityTerm {
  /** Namespaces named (the pod's own when neither namespaces nor namespaceSelector is given). */
  namespaces: Set<string>;
  /** namespaceSelector, or undefined (nothing). */
  nsSelector: LabelSelector | undefined;
  selector: LabelSelector;
  topologyKey: string;
  weight: number;
}

/** A host port in use (ip defaulted to 0.0.0.0, protocol to TCP). */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/**
 * The host ports a pod asks for: its containers' (and, with `sidecars`, its restartable init containers')
 * `ports[].hostPort` > 0 (scheduler NodePorts and kubelet admission alike).
 */
export function hostPorts(pod: KObject, sidecars: boolean): HostPort[] {
  const spec = pod.spec ?? {};
  const out: HostPort[] = [];
  const containers: Array<Record<string, any>> = [...(spec.containers ?? [])];
  if (sidecars) for (const c of spec.initContainers ?? []) if (c.restartPolicy === 'Always') containers.push(c);
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      const port = Number(p.hostPort ?? 0);
      if (port > 0) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port });
    }
  }
  return out;
}

/** What the scheduler knows about one pod. */
export class PodInfo {
  readonly key: string;
  readonly uid: string;
  readonly namespace: string;
  labels: Record<string, string>;
  priority: number;
  /** Effective requests (cpu millicores, others units). */
  req: ResourceList;
  /** The cpu, memory and ephemeral-storage entries of `req` (0 when absent), read on every filtered node. */
  reqCpu: number;
  reqMem: number;
  reqEph: number;
  /** Whether any resource other than `pods` is requested (> 0). */
  anyReq: boolean;
  /** Requested scalar (extended, hugepages) resources with an amount > 0, sorted. */
  scalarNames: string[];
  /** Non-zero requests for scoring. */
  nzCpu: number;
  nzMem: number;
  ports: HostPort[];
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: AffinityTerm[];
  preferredAntiAffinity: AffinityTerm[];
  bestEffort: boolean;
  /** The scheduling signature of the pod this was built from (queue.ts podSignature), set by the scheduler cache. */
  sig = '';
  /** Whether the pod was terminating when last accounted (cache bookkeeping). */
  term = false;

  constructor(readonly pod: KObject, d: Defaults) {
    const md = pod.metadata;
    this.namespace = md.namespace ?? 'default';
    this.key = `${this.namespace}/${md.name}`;
    this.uid = md.uid ?? this.key;
    this.labels = md.labels ?? {};
    const spec = pod.spec ?? {};
    this.priority = typeof spec.priority === 'number' ? spec.priority : 0;
    this.req = podRequests(pod, { podLevelResources: d.podLevelResources });
    this.reqCpu = this.req.cpu ?? 0;
    this.reqMem = this.req.memory ?? 0;
    this.reqEph = this.req['ephemeral-storage'] ?? 0;
    this.anyReq = false;
    this.scalarNames = [];
    for (const k in this.req) {
      const q = this.req[k]!;
      if (k !== 'pods' && q > 0) this.anyReq = true;
      if (q > 0 && k !== 'cpu' && k !== 'memory' && k !== 'ephemeral-storage' && k !== 'pods') this.scalarNames.push(k);
    }
    this.scalarNames.sort();
    const nz = podNonZeroRequests(pod, d.defaultMilliCPURequest, d.defaultMemoryRequest);
    this.nzCpu = nz.cpu;
    this.nzMem = nz.memory;
    this.ports = hostPorts(pod, d.nodePortsSidecars);
    const aff = spec.affinity ?? {};
    const mk = (t: Record<string, any>, weight: number): AffinityTerm => compileTerm(t, weight, this.namespace, this.labels, d.minor >= 31);
    this.requiredAffinity = (aff.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => mk(t, 1));
    this.requiredAntiAffinity = (aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => mk(t, 1));
    this.preferredAffinity = (aff.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .map((w: any) => mk(w.podAffinityTerm ?? {}, Number(w.weight ?? 0)));
    this.preferredAntiAffinity = (aff.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .map((w: any) => mk(w.podAffinityTerm ?? {}, Number(w.weight ?? 0)));
    this.bestEffort = isBestEffort(pod);
  }

  /** Whether the pod has any (anti-)affinity term. */
  hasAffinity(): boolean {
    return this.requiredAffinity.length + this.requiredAntiAffinity.length + this.preferredAffinity.length + this.preferredAntiAffinity.length > 0;
  }

  /** Whether the pod is being deleted. */
  terminating(): boolean {
    return this.pod.metadata.deletionTimestamp !== undefined;
  }
}

function isBestEffort(pod: KObject): boolean {
  const spec = pod.spec ?? {};
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const r = c.resources ?? {};
    for (const k of ['cpu', 'memory']) if (r.requests?.[k] !== undefined || r.limits?.[k] !== undefined) return false;
  }
  const pl = spec.resources;
  if (pl) for (const k of ['cpu', 'memory']) if (pl.requests?.[k] !== undefined || pl.limits?.[k] !== undefined) return false;
  return true;
}

/** Compiles a PodAffinityTerm for a pod in `ns` (matchLabelKeys merged when `labelKeys`). */
export function compileTerm(t: Record<string, any>, weight: number, ns: string, podLabels: Record<string, string>, labelKeys: boolean): AffinityTerm {
  const sel: LabelSelector = t.labelSelector
    ? { matchLabels: t.labelSelector.matchLabels, matchExpressions: [...(t.labelSelector.matchExpressions ?? [])] }
    : { matchLabels: { '\u0000nothing': '\u0000' } }; // a nil selector matches nothing
  if (labelKeys && t.labelSelector) {
    for (const k of t.matchLabelKeys ?? []) {
      if (podLabels[k] !== undefined) sel.matchExpressions!.push({ key: k, operator: 'In', values: [podLabels[k]!] });
    }
    for (const k of t.mismatchLabelKeys ?? []) {
      if (podLabels[k] !== undefined) sel.matchExpressions!.push({ key: k, operator: 'NotIn', values: [podLabels[k]!] });
    }
  }
  const namespaces = new Set<string>(t.namespaces ?? []);
  const nsSelector: LabelSelector | undefined = t.namespaceSelector ?? undefined;
  if (namespaces.size === 0 && nsSelector === undefined) namespaces.add(ns);
  return { namespaces, nsSelector, selector: sel, topologyKey: t.topologyKey ?? '', weight };
}

/** AffinityTerm.Matches: the pod's namespace is selected and its labels match. */
export function termMatches(term: AffinityTerm, pod: PodInfo, nsLabels: (ns: string) => Record<string, string>): boolean {
  if (!term.namespaces.has(pod.namespace)) {
    if (!term.nsSelector || !selectorMatches(term.nsSelector, nsLabels(pod.namespace))) return false;
  }
  return selectorMatches(term.selector, pod.labels);
}

/** The name with `:latest` when it has neither tag nor digest (ImageLocality normalizedImageName). */
export const normalizedImageName = imageKey;

/** The columns of a node's row in a NodeTable. */
const enum F { AllocCpu, AllocMem, AllocEph, AllocPods, ReqCpu, ReqMem, ReqEph, NzCpu, NzMem, PodCount, HardTaints, PreferTaints, Unschedulable }
const STRIDE = 13;

/**
 * The nodes' hot numbers, a row of STRIDE doubles per node slot in one Float64Array: the Filter and Score
 * loops read a few numbers of every node they visit, and a contiguous table stays in cache where numbers
 * spread over the NodeInfo objects (boxed, as most exceed small-integer range) do not.
 */
export class NodeTable {
  data: Float64Array;
  constructor(rows = 64) {
    this.data = new Float64Array(rows * STRIDE);
  }
  /** Grows the table to hold slot `idx`; returns this. */
  ensure(idx: number): this {
    this.data = atLeast(this.data, (idx + 1) * STRIDE);
    return this;
  }
}

/** What a Node update changed, for the scheduler's NodeLabel / NodeTaint / NodeAllocatable events. */
export interface NodeChange {
  labels: boolean;
  /** Taints or spec.unschedulable. */
  taints: boolean;
  allocatable: boolean;
}

const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_TAINTS: Taint[] = Object.freeze([]) as unknown as Taint[];
const NO_RESOURCES: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const NO_IMAGES: Array<{ names?: string[]; sizeBytes?: number }> = Object.freeze([]) as unknown as Array<{ names?: string[]; sizeBytes?: number }>;

/** What a NodeInfo last derived its fields from (see setNode). */
interface SeenNode {
  labels: Record<string, string> | undefined;
  labelsJson: string;
  taints: Taint[] | undefined;
  taintsJson: string;
  allocSrc: Record<string, unknown> | undefined;
  allocJson: string;
  images: unknown[] | undefined;
  imagesCount: number;
}

/** What the scheduler knows about one node. */
export class NodeInfo {
  node!: KObject;
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  allocatable: ResourceList = {};
  /** Requested by assigned pods (cpu millicores; memory, ephemeral-storage, extended in units). */
  requested: ResourceList = {};
  /** Pods on the node by uid, in arrival order. */
  readonly pods = new Map<string, PodInfo>();
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  /** Host ports in use: `proto/port` -> list of ips (with repeats). */
  readonly usedPorts = new Map<string, string[]>();
  /** Normalized image name -> size in bytes. */
  imageSizes = new Map<string, number>();
  /** Zone key (region + zone). */
  zone = '';
  /** The parts of the Node object the fields were last derived from (undefined before the first setNode). */
  private seen: SeenNode | undefined;
  /** The table holding this node's hot numbers (the scheduler's shared one, or a private one-row table). */
  private readonly tab: NodeTable;
  private readonly base: number;

  /**
   * `idx`: the node's slot in the scheduler's per-node columns and `table` (-1 outside a scheduler: the
   * numbers then live in a private one-row table, as they do for clones).
   */
  constructor(readonly name: string, readonly idx = -1, table?: NodeTable) {
    this.tab = table && idx >= 0 ? table.ensure(idx) : new NodeTable(1);
    this.base = table && idx >= 0 ? idx * STRIDE : 0;
    this.tab.data.fill(0, this.base, this.base + STRIDE);
  }

  // The hot numbers, read for every filtered and scored node, live in one Float64Array row per node.
  /** The cpu, memory, ephemeral-storage and pods entries of `allocatable`. */
  get allocCpu(): number { return this.tab.data[this.base + F.AllocCpu]!; }
  get allocMem(): number { return this.tab.data[this.base + F.AllocMem]!; }
  get allocEph(): number { return this.tab.data[this.base + F.AllocEph]!; }
  get allocPods(): number { return this.tab.data[this.base + F.AllocPods]!; }
  /** The cpu, memory and ephemeral-storage entries of `requested`. */
  get reqCpu(): number { return this.tab.data[this.base + F.ReqCpu]!; }
  get reqMem(): number { return this.tab.data[this.base + F.ReqMem]!; }
  get reqEph(): number { return this.tab.data[this.base + F.ReqEph]!; }
  /** Non-zero cpu and memory requests of the pods (for scoring). */
  get nzCpu(): number { return this.tab.data[this.base + F.NzCpu]!; }
  get nzMem(): number { return this.tab.data[this.base + F.NzMem]!; }
  /** Number of pods on the node (`pods.size`). */
  get podCount(): number { return this.tab.data[this.base + F.PodCount]!; }
  /** Number of NoSchedule/NoExecute taints, and of PreferNoSchedule ones. */
  get hardTaints(): number { return this.tab.data[this.base + F.HardTaints]!; }
  get preferTaints(): number { return this.tab.data[this.base + F.PreferTaints]!; }
  /** spec.unschedulable. */
  get unschedulable(): boolean { return this.tab.data[this.base + F.Unschedulable] === 1; }

  private put(f: F, v: number): void {
    this.tab.data[this.base + f] = v;
  }

  /**
   * Sets the Node object and its derived fields, and says what changed for the scheduler's cluster events.
   * Work is skipped for parts whose objects are the same as last time: the API server's patches replace
   * labels, spec and status with copies, components replace `spec.taints`, and the kubelet only appends to
   * `status.images` (the appended entries are the new ones). Where a reference did change, the contents
   * are compared, so an equal copy is no change.
   */
  setNode(node: KObject): NodeChange {
    const first = this.seen === undefined;
    const seen = (this.seen ??= { labels: undefined, labelsJson: '', taints: undefined, taintsJson: '', allocSrc: undefined, allocJson: '', images: undefined, imagesCount: 0 });
    this.node = node;
    const change: NodeChange = { labels: first, taints: first, allocatable: first };
    // Labels.
    const labels: Record<string, string> = node.metadata.labels ?? NO_LABELS;
    if (labels !== seen.labels) {
      const json = JSON.stringify(labels);
      if (json !== seen.labelsJson) change.labels = true;
      seen.labels = labels;
      seen.labelsJson = json;
    }
    this.labels = labels;
    // Taints and unschedulable.
    const taints: Taint[] = node.spec?.taints ?? NO_TAINTS;
    const unschedulable = node.spec?.unschedulable === true;
    if (taints !== seen.taints) {
      const json = JSON.stringify(taints);
      if (json !== seen.taintsJson) change.taints = true;
      seen.taints = taints;
      seen.taintsJson = json;
    }
    if (unschedulable !== this.unschedulable) change.taints = true;
    this.taints = taints;
    let hard = 0, prefer = 0;
    for (const t of taints) {
      if (t.effect === 'NoSchedule' || t.effect === 'NoExecute') hard++;
      else if (t.effect === 'PreferNoSchedule') prefer++;
    }
    this.put(F.HardTaints, hard);
    this.put(F.PreferTaints, prefer);
    this.put(F.Unschedulable, unschedulable ? 1 : 0);
    // Allocatable (status.capacity stands in when allocatable is absent; the event compares allocatable).
    const allocSrc = node.status?.allocatable ?? node.status?.capacity ?? NO_RESOURCES;
    if (allocSrc !== seen.allocSrc) {
      const json = JSON.stringify(node.status?.allocatable ?? {});
      if (json !== seen.allocJson) change.allocatable = true;
      seen.allocJson = json;
      seen.allocSrc = allocSrc;
      this.allocatable = toResourceList(allocSrc);
    }
    this.put(F.AllocCpu, this.allocatable.cpu ?? 0);
    this.put(F.AllocMem, this.allocatable.memory ?? 0);
    this.put(F.AllocEph, this.allocatable['ephemeral-storage'] ?? 0);
    this.put(F.AllocPods, this.allocatable.pods ?? 0);
    // Images: a new map (clones share the old one), built whole or from the appended entries.
    const list: Array<{ names?: string[]; sizeBytes?: number }> = node.status?.images ?? NO_IMAGES;
    if (list !== seen.images || list.length !== seen.imagesCount) {
      const appended = list === seen.images && list.length > seen.imagesCount;
      const imgs = appended ? new Map(this.imageSizes) : new Map<string, number>();
      for (let i = appended ? seen.imagesCount : 0; i < list.length; i++) {
        const im = list[i]!;
        for (const n of im.names ?? []) imgs.set(normalizedImageName(n), Number(im.sizeBytes ?? 0));
      }
      this.imageSizes = imgs;
      seen.images = list;
      seen.imagesCount = list.length;
    }
    const l = this.labels;
    const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
    const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
    this.zone = region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
    return change;
  }

  /** Accounts a pod on the node (NodeInfo.AddPod). */
  addPod(p: PodInfo): void {
    if (this.pods.has(p.uid)) return;
    this.pods.set(p.uid, p);
    this.put(F.PodCount, this.pods.size);
    this.account(p, 1);
  }

  /** Removes a pod from the node (NodeInfo.RemovePod). */
  removePod(p: PodInfo): void {
    const cur = this.pods.get(p.uid);
    if (!cur) return;
    this.pods.delete(p.uid);
    this.put(F.PodCount, this.pods.size);
    this.account(cur, -1);
  }

  private account(p: PodInfo, sign: 1 | -1): void {
    for (const k in p.req) this.requested[k] = (this.requested[k] ?? 0) + sign * p.req[k]!;
    this.put(F.ReqCpu, this.requested.cpu ?? 0);
    this.put(F.ReqMem, this.requested.memory ?? 0);
    this.put(F.ReqEph, this.requested['ephemeral-storage'] ?? 0);
    this.put(F.NzCpu, this.nzCpu + sign * p.nzCpu);
    this.put(F.NzMem, this.nzMem + sign * p.nzMem);
    if (p.hasAffinity()) this.podsWithAffinity += sign;
    if (p.requiredAntiAffinity.length > 0) this.podsWithRequiredAntiAffinity += sign;
    for (const hp of p.ports) {
      const k = `${hp.protocol}/${hp.port}`;
      const list = this.usedPorts.get(k) ?? [];
      if (sign > 0) list.push(hp.ip);
      else {
        const i = list.indexOf(hp.ip);
        if (i >= 0) list.splice(i, 1);
      }
      if (list.length) this.usedPorts.set(k, list);
      else this.usedPorts.delete(k);
    }
  }

  /** A copy sharing the Node but with its own pods and sums (for preemption and nominated pods). */
  clone(): NodeInfo {
    const n = new NodeInfo(this.name, this.idx);
    n.node = this.node;
    n.labels = this.labels;
    n.taints = this.taints;
    n.allocatable = this.allocatable;
    n.requested = { ...this.requested };
    n.tab.data.set(this.tab.data.subarray(this.base, this.base + STRIDE), 0);
    for (const [k, v] of this.pods) n.pods.set(k, v);
    n.podsWithAffinity = this.podsWithAffinity;
    n.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity;
    for (const [k, v] of this.usedPorts) n.usedPorts.set(k, [...v]);
    n.imageSizes = this.imageSizes;
    n.zone = this.zone;
    return n;
  }

  /** Whether a host port conflicts with one in use (HostPortInfo.CheckConflict). */
  portConflict(hp: HostPort): boolean {
    const ips = this.usedPorts.get(`${hp.protocol}/${hp.port}`);
    if (!ips || ips.length === 0) return false;
    if (hp.ip === '0.0.0.0') return true;
    return ips.some((ip) => ip === '0.0.0.0' || ip === hp.ip);
  }
}
