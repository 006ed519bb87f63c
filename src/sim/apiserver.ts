/**
 * The simulated API server: create / apply / patch / delete / evict / bind with defaulting, validation,
 * admission (NamespaceLifecycle, DefaultTolerationSeconds, Priority and whatever components register),
 * graceful deletion, finalizers and deletion propagation. Controllers mutate stored objects in place and
 * call `store.update`; anything a user or kubectl would do goes through here.
 */
import type { KObject, SourcePos } from '../k8s/types.js';
import { isClusterScoped } from '../k8s/types.js';
import type { Store } from './store.js';
import type { Defaults } from './defaults.js';
import type { Prng } from './prng.js';
import type { Trace } from './trace.js';
import { toTime } from '../k8s/time.js';
import { defaultObject, generateJobSelector } from '../k8s/defaulting.js';
import { validateObject, formatFieldPath, invalidMessage } from '../k8s/validation.js';
import { appended, clone, deepEqual, isPlainObject } from '../k8s/util.js';
import { NodeAddressAllocator } from './ipam.js';
import { addKubeletLabels } from '../k8s/node.js';
import { messagesFor, type Messages } from './messages.js';

/** An API error as kubectl prints it. */
export interface ApiError {
  code: number;
  reason: 'AlreadyExists' | 'NotFound' | 'Invalid' | 'Forbidden' | 'TooManyRequests' | 'Conflict' | 'BadRequest' | 'InternalError';
  message: string;
}

/** A result of an API call. */
export type ApiResult<T = KObject> = { ok: true; value: T } | { ok: false; error: ApiError };

/** An admission plugin: may mutate `obj`; returns an error to reject. `old` is set on update. */
export type AdmissionPlugin = (op: 'create' | 'update', obj: KObject, old?: KObject) => ApiError | undefined;

/** Deletion propagation (`kubectl delete --cascade`). */
export type Propagation = 'Background' | 'Foreground' | 'Orphan';

/** Options of a delete. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagation?: Propagation;
  /** Who asked (trace only). */
  by?: string;
}

/** Annotation kubectl apply keeps. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const PLURAL_EXCEPTIONS: Readonly<Record<string, string>> = {
  Endpoints: 'endpoints', Ingress: 'ingresses', NetworkPolicy: 'networkpolicies', PriorityClass: 'priorityclasses',
  StorageClass: 'storageclasses', IngressClass: 'ingressclasses', RuntimeClass: 'runtimeclasses',
  PodDisruptionBudget: 'poddisruptionbudgets', ResourceQuota: 'resourcequotas', NetworkPolicies: 'networkpolicies',
};

/** resourceOf by kind (a few dozen kinds at most; bounded anyway). */
const RESOURCE_NAMES = new Map<string, string>();

/** The REST resource name of a kind (`Pod` -> `pods`). */
export function resourceOf(kind: string): string {
  let r = RESOURCE_NAMES.get(kind);
  if (r === undefined) {
    r = pluralOf(kind);
    if (RESOURCE_NAMES.size >= 256) RESOURCE_NAMES.clear();
    RESOURCE_NAMES.set(kind, r);
  }
  return r;
}

function pluralOf(kind: string): string {
  if (PLURAL_EXCEPTIONS[kind]) return PLURAL_EXCEPTIONS[kind]!;
  const l = kind.toLowerCase();
  if (l.endsWith('s')) return l + 'es';
  if (l.endsWith('y')) return l.slice(0, -1) + 'ies';
  return l + 's';
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Kinds with a spec whose registry strategy never sets `metadata.generation` (k/k pkg/registry/core/{node,
 * namespace,service,persistentvolume,persistentvolumeclaim,resourcequota,limitrange} and coordination/lease):
 * `kubectl get -o yaml` shows none.
 */
const NO_GENERATION: ReadonlySet<string> = new Set(['Node', 'Namespace', 'Service', 'PersistentVolume', 'PersistentVolumeClaim', 'ResourceQuota', 'LimitRange', 'Lease']);

/** Priorities of the built-in classes when no PriorityClass object is stored. */
const BUILTIN_PRIORITIES: Readonly<Record<string, number>> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

/** The simulated kube-apiserver. */
export class ApiServer {
  /** Extra admission plugins, run in registration order after the built-in ones. */
  private readonly admission: AdmissionPlugin[] = [];
  /** Eviction check (PodDisruptionBudget), installed by the disruption controller. */
  evictionCheck?: (pod: KObject) => ApiError | undefined;
  private readonly names: Prng;
  private readonly nodeAddresses: NodeAddressAllocator;
  private readonly msg: Messages;

  constructor(
    private readonly store: Store,
    private readonly d: Defaults,
    rng: Prng,
    private readonly trace: Trace,
    private readonly now: () => number,
    largeCluster: boolean,
  ) {
    this.names = rng.fork('names');
    this.msg = messagesFor(d);
    this.nodeAddresses = new NodeAddressAllocator(d.firstNodeIP, largeCluster ? d.largeClusterCIDR : d.clusterCIDR);
  }

  /** Registers an admission plugin. */
  registerAdmission(p: AdmissionPlugin): void {
    this.admission.push(p);
  }

  /** A name from `generateName` + 5 random characters (prefix cut to 58), redrawn on a clash. */
  generateName(kind: string, namespace: string | undefined, prefix: string): string {
    const p = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (;;) {
      const n = this.names.stringAfter(p, 5, GENERATE_ALPHABET);
      if (!this.store.has(kind, namespace, n)) return n;
    }
  }

  /** Creates an object: naming, defaulting, validation, admission, storage. */
  create(input: KObject, opts: { by?: string } = {}): ApiResult {
    const obj = input;
    obj.metadata ??= { name: '' };
    const md = obj.metadata;
    if (isClusterScoped(obj.kind)) delete md.namespace;
    else md.namespace ||= 'default';
    // Admission runs before the registry generates a name, so its Forbidden errors name the request's
    // generateName (admission.NewForbidden / extractResourceName: `pods "web-7d4b9c8f6-" is forbidden: ...`).
    const requested = md.name || md.generateName || '';
    if (!md.name && md.generateName) md.name = this.generateName(obj.kind, md.namespace, md.generateName);
    const res = resourceOf(obj.kind);
    const forbidden = (e: ApiError): ApiResult => ({ ok: false, error: requested === md.name ? e
      : { ...e, message: e.message.replace(`${res} "${md.name}" is forbidden`, `${res} "${requested}" is forbidden`) } });
    if (!isClusterScoped(obj.kind) && md.namespace) {
      const ns = this.store.get('Namespace', undefined, md.namespace);
      if (!ns) return err(404, 'NotFound', `namespaces "${md.namespace}" not found`);
      if (ns.metadata.deletionTimestamp) {
        return err(403, 'Forbidden', `${res} "${requested}" is forbidden: unable to create new content in namespace ${md.namespace} because it is being terminated`);
      }
    }
    if (md.name && this.store.has(obj.kind, md.namespace, md.name)) {
      return err(409, 'AlreadyExists', `${res} "${md.name}" already exists`);
    }
    md.uid = this.store.newUid();
    defaultObject(obj, this.d);
    if (obj.kind === 'Job') generateJobSelector(obj);
    if (obj.kind === 'Node') this.admitNode(obj);
    if (obj.kind === 'Pod') {
      const e = this.admitPod(obj);
      if (e) return forbidden(e);
    }
    const invalid = this.validate(obj);
    if (invalid) return { ok: false, error: invalid };
    for (const p of this.admission) {
      const e = p('create', obj);
      if (e) return forbidden(e);
    }
    if (obj.kind === 'Pod') this.applySchedulingGatedCondition(obj);
    if ((obj.kind !== 'Pod' || this.d.podGeneration) && !NO_GENERATION.has(obj.kind)) {
      if (obj.spec !== undefined || obj.kind === 'Pod') md.generation = 1;
    } else delete md.generation;
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
    this.store.create(obj);
    if (this.trace.keeps('create')) this.trace.add('create', opts.by ? `created by ${opts.by}` : 'created', `${obj.kind} ${md.namespace ? md.namespace + '/' : ''}${md.name}`);
    return { ok: true, value: obj };
  }

  /** `kubectl apply` (client-side): create, or three-way merge with the last applied configuration. */
  apply(config: KObject, by = 'kubectl'): ApiResult {
    const cfg = clone(config);
    const md = cfg.metadata ?? { name: '' };
    const ns = isClusterScoped(cfg.kind) ? undefined : (md.namespace || 'default');
    const live = md.name ? this.store.get(cfg.kind, ns, md.name) : undefined;
    const lastApplied = JSON.stringify(config);
    if (!live) {
      const obj = clone(config);
      obj.metadata ??= { name: '' };
      obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied };
      return this.create(obj, { by });
    }
    const prevRaw = live.metadata.annotations?.[LAST_APPLIED];
    let prev: Record<string, unknown> = {};
    if (prevRaw) {
      try { prev = JSON.parse(prevRaw) as Record<string, unknown>; } catch { prev = {}; }
    }
    return this.patch(live, (o) => {
      threeWayMerge(o as unknown as Record<string, unknown>, prev, config as unknown as Record<string, unknown>);
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied };
    }, by);
  }

  /** Changes a stored object through `mutate` on a copy, with defaulting, validation and admission. */
  patch(live: KObject, mutate: (o: KObject) => void, by = 'kubectl'): ApiResult {
    const next = clone(live);
    mutate(next);
    // Identity and server-owned fields are kept.
    next.metadata.name = live.metadata.name;
    if (live.metadata.namespace) next.metadata.namespace = live.metadata.namespace;
    next.metadata.uid = live.metadata.uid;
    next.metadata.creationTimestamp = live.metadata.creationTimestamp;
    if (live.metadata.deletionTimestamp) next.metadata.deletionTimestamp = live.metadata.deletionTimestamp;
    if (live.status !== undefined && next.status === undefined) next.status = live.status;
    defaultObject(next, this.d);
    const invalid = this.validate(next, live);
    if (invalid) return { ok: false, error: invalid };
    for (const p of this.admission) {
      const e = p('update', next, live);
      if (e) return { ok: false, error: e };
    }
    const specChanged = !deepEqual(next.spec, live.spec);
    if (specChanged && (live.kind !== 'Pod' || this.d.podGeneration) && !NO_GENERATION.has(live.kind)) {
      next.metadata.generation = (live.metadata.generation ?? 0) + 1;
    }
    if (deepEqual(next, live)) return { ok: true, value: live };
    // Write into the stored object so references held by components stay valid.
    for (const k of Object.keys(live)) if (!(k in next)) delete (live as Record<string, unknown>)[k];
    Object.assign(live, next);
    this.store.update(live);
    if (this.trace.keeps('update')) this.trace.add('update', `updated by ${by}`, `${live.kind} ${live.metadata.namespace ? live.metadata.namespace + '/' : ''}${live.metadata.name}`);
    this.maybeFinalize(live);
    return { ok: true, value: live };
  }

  /**
   * Deletes an object like `kubectl delete`: pods gracefully (deletionTimestamp, grace), others at once
   * unless finalizers hold them; `propagation` decides what happens to dependents.
   */
  delete(obj: KObject, opts: DeleteOptions = {}): ApiResult {
    const md = obj.metadata;
    const what = this.trace.keeps('delete') ? `${obj.kind} ${md.namespace ? md.namespace + '/' : ''}${md.name}` : '';
    if (this.store.get(obj.kind, md.namespace, md.name) !== obj) {
      return err(404, 'NotFound', `${resourceOf(obj.kind)} "${md.name}" not found`);
    }
    const propagation = opts.propagation ?? 'Background';
    if (obj.kind === 'Pod') return this.deletePod(obj, opts, what);
    if (md.deletionTimestamp) return { ok: true, value: obj };
    const finalizers = [...(md.finalizers ?? [])];
    if (propagation === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (propagation === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (finalizers.length === 0) {
      md.deletionTimestamp = toTime(this.now());
      this.store.remove(obj);
      this.trace.add('delete', `deleted (${propagation.toLowerCase()})${opts.by ? ' by ' + opts.by : ''}`, what);
      return { ok: true, value: obj };
    }
    md.finalizers = finalizers;
    md.deletionTimestamp = toTime(this.now());
    md.deletionGracePeriodSeconds = 0;
    if ((md.generation ?? 0) > 0) md.generation = (md.generation ?? 0) + 1;
    this.store.update(obj);
    this.trace.add('delete', `marked for deletion (${propagation.toLowerCase()}), finalizers ${finalizers.join(', ')}${opts.by ? ' by ' + opts.by : ''}`, what);
    return { ok: true, value: obj };
  }

  private deletePod(pod: KObject, opts: DeleteOptions, what: string): ApiResult {
    const md = pod.metadata;
    let grace = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? this.d.terminationGracePeriodSeconds;
    if (grace < 0) grace = 1;
    const phase = pod.status?.phase;
    if (!pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
    if (md.deletionTimestamp !== undefined) {
      const prev = md.deletionGracePeriodSeconds ?? 0;
      if (grace >= prev && grace !== 0) return { ok: true, value: pod };
    } else if ((md.generation ?? 0) > 0) md.generation = (md.generation ?? 0) + 1;
    md.deletionGracePeriodSeconds = grace;
    md.deletionTimestamp = toTime(this.now() + grace * 1000);
    if (grace === 0 && !(md.finalizers?.length)) {
      this.store.remove(pod);
      this.trace.add('delete', `deleted${opts.by ? ' by ' + opts.by : ''}`, what);
      return { ok: true, value: pod };
    }
    this.store.update(pod);
    this.trace.add('delete', `terminating (grace ${grace}s)${opts.by ? ' by ' + opts.by : ''}`, what);
    return { ok: true, value: pod };
  }

  /** Removes a finalizer; the object goes once it has a deletionTimestamp and no finalizers left. */
  removeFinalizer(obj: KObject, name: string): void {
    const f = obj.metadata.finalizers ?? [];
    if (!f.includes(name)) return;
    obj.metadata.finalizers = f.filter((x) => x !== name);
    if (obj.metadata.finalizers.length === 0) delete obj.metadata.finalizers;
    this.store.update(obj);
    this.maybeFinalize(obj);
  }

  private maybeFinalize(obj: KObject): void {
    const md = obj.metadata;
    if (!md.deletionTimestamp || md.finalizers?.length) return;
    if (obj.kind === 'Pod' && (md.deletionGracePeriodSeconds ?? 0) !== 0) return;
    if (this.store.get(obj.kind, md.namespace, md.name) !== obj) return;
    this.store.remove(obj);
    this.trace.add('delete', 'deleted (finalizers cleared)', `${obj.kind} ${md.namespace ? md.namespace + '/' : ''}${md.name}`);
  }

  /** The Eviction subresource: PDB check (429), then a graceful delete with DisruptionTarget. */
  evict(pod: KObject, by = 'eviction'): ApiResult {
    if (this.store.get('Pod', pod.metadata.namespace, pod.metadata.name) !== pod) {
      return err(404, 'NotFound', `pods "${pod.metadata.name}" not found`);
    }
    if (!pod.metadata.deletionTimestamp) {
      const e = this.evictionCheck?.(pod);
      if (e) return { ok: false, error: e };
      setPodCondition(pod, 'DisruptionTarget', 'True', 'EvictionByEvictionAPI', 'Eviction API: evicting', this.now());
      this.store.update(pod);
    }
    return this.delete(pod, { by });
  }

  /** The Binding subresource: sets spec.nodeName and PodScheduled=True. */
  bind(pod: KObject, node: string): ApiResult {
    if (pod.spec?.nodeName) return err(409, 'Conflict', `pod ${pod.metadata.name} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec.nodeName = node;
    pod.status ??= {};
    setPodCondition(pod, 'PodScheduled', 'True', undefined, undefined, this.now());
    if (this.d.clearNominatedAtBinding) delete pod.status.nominatedNodeName;
    if (this.d.topologyLabelsAtBinding) {
      const n = this.store.get('Node', undefined, node);
      for (const k of ['topology.kubernetes.io/zone', 'topology.kubernetes.io/region']) {
        const v = n?.metadata.labels?.[k];
        if (v !== undefined) pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [k]: v };
      }
    }
    this.store.update(pod);
    if (this.trace.keeps('bind')) this.trace.add('bind', `bound to ${node}`, `Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
    return { ok: true, value: pod };
  }

  private validate(obj: KObject, old?: KObject): ApiError | undefined {
    const errs = validateObject(obj, this.d, old);
    if (errs.length === 0) return undefined;
    return { code: 422, reason: 'Invalid', message: invalidMessage(obj.kind, obj.metadata.name, errs.map((e) => `${formatFieldPath(e.path)}: ${e.message}`)) };
  }

  private admitNode(node: KObject): void {
    addKubeletLabels(node);
    const { internalIP, podCIDR } = this.nodeAddresses.next();
    node.spec ??= {};
    node.spec.podCIDR ??= podCIDR;
    node.spec.podCIDRs ??= [node.spec.podCIDR];
    node.status ??= {};
    node.status.addresses ??= [
      { type: 'InternalIP', address: internalIP },
      { type: 'Hostname', address: node.metadata.name },
    ];
  }

  /**
   * Pod PrepareForCreate (k/k pkg/registry/core/pod/strategy.go `applySchedulingGatedCondition`): a pod created
   * with scheduling gates and no PodScheduled condition gets PodScheduled=False, reason SchedulingGated.
   */
  private applySchedulingGatedCondition(pod: KObject): void {
    if (!Array.isArray(pod.spec?.schedulingGates) || pod.spec.schedulingGates.length === 0) return;
    if (pod.status?.conditions?.some((c: { type?: string }) => c.type === 'PodScheduled')) return;
    setPodCondition(pod, 'PodScheduled', 'False', 'SchedulingGated', this.msg.schedulingGated, this.now());
  }

  /**
   * Built-in pod admission: Priority and DefaultTolerationSeconds. (ServiceAccount admission is not run: the
   * scenario format stores ServiceAccounts with no effect, so a pod's `serviceAccountName` is never checked.)
   */
  private admitPod(pod: KObject): ApiError | undefined {
    const spec = pod.spec;
    // Priority admission (plugin/pkg/admission/priority).
    const pcName: string | undefined = spec.priorityClassName;
    if (pcName) {
      const pc = this.store.get('PriorityClass', undefined, pcName);
      const builtin = BUILTIN_PRIORITIES;
      if (!pc && builtin[pcName] === undefined) {
        return { code: 403, reason: 'Forbidden', message: `pods "${pod.metadata.name}" is forbidden: no PriorityClass with name ${pcName} was found` };
      }
      spec.priority = pc ? pc.value as number : builtin[pcName];
      if (pc && pc.preemptionPolicy !== undefined) spec.preemptionPolicy ??= pc.preemptionPolicy;
    } else {
      let def: KObject | undefined;
      for (const p of this.store.values('PriorityClass')) if (p.globalDefault === true) { def = p; break; }
      if (def) {
        spec.priorityClassName = def.metadata.name;
        spec.priority = def.value as number;
        if (def.preemptionPolicy !== undefined) spec.preemptionPolicy ??= def.preemptionPolicy;
      } else spec.priority ??= 0;
    }
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
    // DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds).
    let tols: Array<Record<string, unknown>> = spec.tolerations ?? [];
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      const has = tols.some((t) => (t.key === key || ((t.key ?? '') === '' && t.operator === 'Exists')) &&
        (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute'));
      if (!has) tols = appended(tols, { key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.d.defaultTolerationSeconds });
    }
    spec.tolerations = tols;
    return undefined;
  }
}

/**
 * The API server's answer to an object its validation rejects, found when the scenario was loaded (the
 * object never reaches the simulated server, which would need it valid to default it).
 */
export function rejectedByValidation(message: string): ApiResult {
  return err(422, 'Invalid', message);
}

function err(code: number, reason: ApiError['reason'], message: string): ApiResult {
  return { ok: false, error: { code, reason, message } };
}

/**
 * Sets (or updates) a pod condition, moving lastTransitionTime only when the status changes; with
 * `observedGeneration` (kubelet-owned conditions from 1.34) the condition carries it.
 */
export function setPodCondition(pod: KObject, type: string, status: 'True' | 'False' | 'Unknown', reason?: string,
  message?: string, nowMs = 0, observedGeneration?: number): boolean {
  pod.status ??= {};
  const conds: Array<Record<string, unknown>> = pod.status.conditions ?? (pod.status.conditions = NO_CONDITIONS);
  let c: Record<string, unknown> | undefined;
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type === type) { c = conds[i]; break; }
  if (c) {
    const changed = c.status !== status || c.reason !== reason || c.message !== message;
    if (c.status !== status) c.lastTransitionTime = toTime(nowMs);
    if (changed) c.status = status;
    // Deletions first, message before reason: deleting the last-added property keeps the object in fast mode
    // (deleting reason first turned every Ready condition into a dictionary). Additions then append reason
    // before message, so the key order is the one set-or-delete reason, then message, gave.
    if (message === undefined && 'message' in c) delete c.message;
    if (reason === undefined && 'reason' in c) delete c.reason;
    if (reason !== undefined) c.reason = reason;
    if (message !== undefined) c.message = message;
    if (observedGeneration !== undefined && c.observedGeneration !== observedGeneration) {
      c.observedGeneration = observedGeneration;
      return true;
    }
    return changed;
  }
  const ts = toTime(nowMs);
  // PodCondition's field order: type, observedGeneration, status, lastProbeTime, lastTransitionTime, reason, message.
  const nc: Record<string, unknown> = observedGeneration !== undefined
    ? { type, observedGeneration, status, lastProbeTime: null, lastTransitionTime: ts }
    : { type, status, lastProbeTime: null, lastTransitionTime: ts };
  if (reason !== undefined) nc.reason = reason;
  if (message !== undefined) nc.message = message;
  pod.status.conditions = appended(conds, nc);
  return true;
}

/** Placeholder while setPodCondition adds the first condition (never stored: replaced by a copy with it). */
const NO_CONDITIONS: Array<Record<string, unknown>> = [];

/** kubectl's client-side three-way merge: set what the new config says, drop what only the old one said. */
export function threeWayMerge(live: Record<string, unknown>, prev: Record<string, unknown>, next: Record<string, unknown>): void {
  for (const k of Object.keys(prev)) {
    if (!Object.prototype.hasOwnProperty.call(next, k)) delete live[k];
  }
  for (const k of Object.keys(next)) {
    const nv = next[k], lv = live[k], pv = prev[k];
    if (isPlainObject(nv) && isPlainObject(lv)) {
      threeWayMerge(lv, isPlainObject(pv) ? pv : {}, nv);
    } else if (nv === null) {
      delete live[k];
    } else {
      Object.defineProperty(live, k, { value: clone(nv), enumerable: true, writable: true, configurable: true });
    }
  }
}

/** Where an object came from, for action errors. */
export interface Origin {
  pos?: SourcePos;
}
