/**
 * Shared controller machinery (k8s.io/client-go workqueue, k/k pkg/controller/controller_utils.go,
 * controller_ref_manager.go): a de-duplicating FIFO work queue driven by the kernel, owner-reference helpers,
 * orphan indexes for adoption, pod state predicates, the pod-template hash and condition helpers.
 */
import type { SimContext } from '../context.js';
import type { KObject, OwnerReference } from '../../k8s/types.js';
import { PRIORITY, type TimerId } from '../kernel.js';
import { fromTime, toTime } from '../../k8s/time.js';
import { selectorMatches, type LabelSelector } from '../../k8s/match.js';
import { fnv1a32 } from '../prng.js';
import { clone, stableStringify } from '../../k8s/util.js';

/** `namespace/name` key of an object. */
export function keyOf(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

/** Splits a `namespace/name` key. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** Kernel priority of end-of-instant queue processing: after every ordinary timer of the instant. */
export const PRIORITY_END_OF_INSTANT = PRIORITY.timer + 90;

/**
 * A de-duplicating FIFO of keys (client-go workqueue): a key queued twice before it is processed is
 * processed once; each processing step is one kernel reaction labelled with the controller's name.
 * With `endOfInstant`, keys queued during an instant are processed once, after the instant's other timers
 * (for controllers that recompute from many objects, such as endpoints: the settled state is the same,
 * the work is not repeated for every pod write of the instant).
 */
export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly fifo: string[] = [];
  private head = 0;
  private readonly timers = new Map<string, { at: number; id: TimerId }>();
  private flushAt: number | undefined;
  /** Failed syncs of each key since it was last forgotten (addRateLimited). */
  private readonly failures = new Map<string, number>();
  /** Keys with an immediate sync pending (addNow). */
  private readonly now = new Set<string>();

  /** `sync` is called with each key, at the instant it is processed. */
  constructor(private readonly ctx: SimContext, readonly label: string, private readonly sync: (key: string) => void,
    private readonly opts: { endOfInstant?: boolean } = {}) {}

  /** Queues a key for processing at the current instant. */
  add(key: string): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.fifo.push(key);
    if (!this.opts.endOfInstant) {
      this.ctx.kernel.react(() => this.processOne(), this.label);
      return;
    }
    const now = this.ctx.now();
    if (this.flushAt === now) return;
    this.flushAt = now;
    this.ctx.kernel.at(now, () => {
      this.flushAt = undefined;
      this.ctx.kernel.react(() => this.processOne(), this.label);
    }, this.label, PRIORITY_END_OF_INSTANT);
  }

  /**
   * Queues a key for processing right after the write that caused it (first in, first out with the other
   * reactions), also on an end-of-instant queue: for events that change which objects the controller manages
   * (an orphan to adopt), whose sync must see them as upstream's controller would, before later reactions of
   * the instant (the scheduler, the kubelet) move them on. A pending end-of-instant entry of the key is served
   * by it.
   */
  addNow(key: string): void {
    if (!this.opts.endOfInstant) {
      this.add(key);
      return;
    }
    if (this.now.has(key)) return;
    this.now.add(key);
    this.ctx.kernel.react(() => {
      this.now.delete(key);
      this.queued.delete(key);
      this.sync(key);
    }, this.label);
  }

  /**
   * AddRateLimited after a failed sync: the controllers' default rate limiter's per-item exponential back-off
   * (workqueue.DefaultTypedControllerRateLimiter: 5ms doubling to 1000s per failure of the key; its overall
   * 10 qps bucket is not modelled; the Job controller's queue uses 1s doubling to 60s). `forget` after a
   * successful sync resets it.
   */
  addRateLimited(key: string, base = this.ctx.defaults.workqueueBaseDelay, max = this.ctx.defaults.workqueueMaxDelay): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(base * 2 ** n, max));
  }

  /** Forget: the key's failures are cleared (its next failure waits the base delay again). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Queues a key after `ms` (requeue-after); an earlier pending requeue of the key wins. */
  addAfter(key: string, ms: number): void {
    const at = this.ctx.now() + Math.max(0, Math.round(ms));
    const prev = this.timers.get(key);
    if (prev && prev.at <= at && prev.at >= this.ctx.now()) return;
    if (prev) this.ctx.kernel.cancel(prev.id);
    const id = this.ctx.kernel.at(at, () => {
      this.timers.delete(key);
      this.add(key);
    }, this.label);
    this.timers.set(key, { at, id });
  }

  private processOne(): void {
    let key: string | undefined;
    while (key === undefined && this.head < this.fifo.length) {
      const k = this.fifo[this.head++]!;
      // A key already served by addNow (and not queued again since) is skipped.
      if (this.queued.has(k)) key = k;
    }
    if (this.head > 1024 && this.head * 2 > this.fifo.length) {
      this.fifo.splice(0, this.head);
      this.head = 0;
    }
    if (key === undefined) return;
    this.queued.delete(key);
    this.sync(key);
    // End-of-instant queues drain one key per reaction, in order, until empty.
    if (this.opts.endOfInstant && this.head < this.fifo.length && this.flushAt === undefined) {
      this.ctx.kernel.react(() => this.processOne(), this.label);
    }
  }
}

/** A controller owner reference to `owner` (controller: true, blockOwnerDeletion: true). */
export function controllerRef(owner: KObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** The controller owner reference of an object, if any. */
export function getControllerOf(o: KObject): OwnerReference | undefined {
  return (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/**
 * Objects of a kind without a controller owner reference, by namespace, in creation order: the candidates
 * a controller may adopt. Maintained from the store's watch so that no controller scans every object.
 */
export class OrphanIndex {
  private readonly byNs = new Map<string, Set<KObject>>();

  constructor(ctx: SimContext, readonly kind: string) {
    for (const o of ctx.store.list(kind)) this.observe(o, false);
    ctx.store.watch(kind, (type, o) => this.observe(o, type === 'DELETED'));
  }

  private observe(o: KObject, deleted: boolean): void {
    const ns = o.metadata.namespace ?? '';
    let s = this.byNs.get(ns);
    if (deleted || getControllerOf(o)) {
      s?.delete(o);
      return;
    }
    if (!s) this.byNs.set(ns, (s = new Set()));
    s.add(o);
  }

  /** Orphans of a namespace matching a selector. */
  matching(namespace: string, selector: LabelSelector | undefined): KObject[] {
    const s = this.byNs.get(namespace);
    if (!s || !selector) return [];
    const out: KObject[] = [];
    for (const o of s) if (selectorMatches(selector, o.metadata.labels)) out.push(o);
    return out;
  }
}

const orphanIndexes = new WeakMap<SimContext, Map<string, OrphanIndex>>();

/** The shared orphan index of a kind for this simulation. */
export function orphansOf(ctx: SimContext, kind: string): OrphanIndex {
  let m = orphanIndexes.get(ctx);
  if (!m) orphanIndexes.set(ctx, (m = new Map()));
  let ix = m.get(kind);
  if (!ix) m.set(kind, (ix = new OrphanIndex(ctx, kind)));
  return ix;
}

/**
 * ClaimObjects (controller_ref_manager.go): the objects of `kind` this owner controls after adopting matching
 * orphans and releasing owned ones that no longer match. Adoption and release write ownerReferences in place.
 */
export function claimObjects(ctx: SimContext, owner: KObject, kind: string, selector: LabelSelector | undefined,
  extraMatch?: (o: KObject) => boolean): KObject[] {
  const uid = owner.metadata.uid!;
  const out: KObject[] = [];
  const match = (o: KObject) => selectorMatches(selector, o.metadata.labels) && (!extraMatch || extraMatch(o));
  for (const o of ctx.store.dependents(uid)) {
    if (o.kind !== kind) continue;
    const ref = getControllerOf(o);
    if (!ref || ref.uid !== uid) continue;
    if (match(o)) out.push(o);
    else if (!owner.metadata.deletionTimestamp) {
      // Release.
      o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (o.metadata.ownerReferences.length === 0) delete o.metadata.ownerReferences;
      ctx.store.update(o);
    }
  }
  if (owner.metadata.deletionTimestamp) return out;
  for (const o of orphansOf(ctx, kind).matching(owner.metadata.namespace ?? '', selector)) {
    if (o.metadata.deletionTimestamp || (extraMatch && !extraMatch(o))) continue;
    o.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), controllerRef(owner)];
    ctx.store.update(o);
    out.push(o);
  }
  return out;
}

/** Whether a pod is terminal (Succeeded or Failed). */
export function isPodTerminal(p: KObject): boolean {
  const ph = p.status?.phase;
  return ph === 'Succeeded' || ph === 'Failed';
}

/** FilterActivePods: not terminal and not being deleted. */
export function isPodActive(p: KObject): boolean {
  return !isPodTerminal(p) && !p.metadata.deletionTimestamp;
}

/** A pod that is being deleted but not yet terminal (FilterTerminatingPods). */
export function isPodTerminating(p: KObject): boolean {
  return !isPodTerminal(p) && !!p.metadata.deletionTimestamp;
}

/** The pod's condition of a type. */
export function podCondition(p: KObject, type: string): Record<string, any> | undefined {
  return (p.status?.conditions as Array<Record<string, any>> | undefined)?.find((c) => c.type === type);
}

/** Whether the pod's Ready condition is True. */
export function isPodReady(p: KObject): boolean {
  return podCondition(p, 'Ready')?.status === 'True';
}

/** ms since the pod became Ready, or undefined when not ready. */
export function readySince(p: KObject): number | undefined {
  const c = podCondition(p, 'Ready');
  if (c?.status !== 'True') return undefined;
  return (typeof c.lastTransitionTime === 'string' ? fromTime(c.lastTransitionTime) : undefined) ?? 0;
}

/**
 * IsPodAvailable (podutil): ready for at least `minReadySeconds`. When ready but not yet available,
 * `wait` is the ms until it becomes available.
 */
export function podAvailability(p: KObject, minReadySeconds: number, now: number): { available: boolean; wait?: number } {
  const since = readySince(p);
  if (since === undefined) return { available: false };
  if (!minReadySeconds) return { available: true };
  const at = since + minReadySeconds * 1000;
  // upstream: !minReadySecondsDuration || c.LastTransitionTime.Add(minReadySecondsDuration).Before(now)
  if (at < now) return { available: true };
  return { available: false, wait: at - now + 1 };
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each character mapped into the no-vowel alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** controller.ComputeHash: FNV-32a of the template (+ collisionCount), safe-encoded (deterministic, not upstream's). */
export function computeHash(template: unknown, collisionCount?: number): string {
  let s = stableStringify(template ?? {});
  if (collisionCount !== undefined && collisionCount !== null) s += `#${collisionCount}`;
  return safeEncodeString(String(fnv1a32(s)));
}

/** Creates a pod object from a template (controller.GetPodFromTemplate). */
export function podFromTemplate(template: Record<string, any>, owner: KObject, opts: { generateName?: string; name?: string } = {}): KObject {
  const t = clone(template ?? {});
  const md = t.metadata ?? {};
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: opts.name ?? '', namespace: owner.metadata.namespace },
    spec: t.spec ?? {},
  };
  if (opts.generateName) pod.metadata.generateName = opts.generateName;
  if (md.labels) pod.metadata.labels = { ...md.labels };
  if (md.annotations) pod.metadata.annotations = { ...md.annotations };
  if (md.finalizers) pod.metadata.finalizers = [...md.finalizers];
  pod.metadata.ownerReferences = [controllerRef(owner)];
  return pod;
}

/** Reads an integer field with a default. */
export function intOr(v: unknown, def: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : def;
}

/**
 * GetScaledValueFromIntOrPercent: an int, or a percent of `total` rounded up or down.
 */
export function scaledValue(v: unknown, total: number, roundUp: boolean, def: number | string = 0): number {
  const x = v === undefined || v === null ? def : v;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(String(x));
  if (!m) {
    const n = Number(x);
    return Number.isFinite(n) ? n : 0;
  }
  const p = Number(m[1]);
  return roundUp ? Math.ceil((p * total) / 100) : Math.floor((p * total) / 100);
}

/** A controller status condition (type, status, reason, message, times). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
  [k: string]: unknown;
}

/** The condition of a type in a status, if any. */
export function getCondition(status: any, type: string): Condition | undefined {
  return (status?.conditions as Condition[] | undefined)?.find((c) => c.type === type);
}

/** Removes the condition of a type from a status. */
export function removeCondition(status: any, type: string): void {
  if (!status?.conditions) return;
  status.conditions = (status.conditions as Condition[]).filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

/** Timestamp of ms as metav1.Time. */
export function ts(ms: number): string {
  return toTime(ms);
}

/** Whether an object is (still) the stored one. */
export function isStored(ctx: SimContext, o: KObject): boolean {
  return ctx.store.get(o.kind, o.metadata.namespace, o.metadata.name) === o;
}

/** Pods of a namespace matched by a selector (a scan; used sparingly). */
export function podsMatching(ctx: SimContext, namespace: string, selector: LabelSelector | undefined): KObject[] {
  if (!selector) return [];
  return ctx.store.list('Pod', namespace).filter((p) => selectorMatches(selector, p.metadata.labels));
}

/** Sets a value only when it differs (deep), reporting whether it did. */
export function stableSet(obj: Record<string, unknown>, key: string, value: unknown): boolean {
  const cur = obj[key];
  if (stableStringify(cur) === stableStringify(value)) return false;
  if (value === undefined) delete obj[key];
  else obj[key] = value;
  return true;
}

/** logarithmicRankDiff's rank of an age: floor(log2(age in ns)), -1 when not positive (controller_utils.go). */
export function logRank(ageMs: number): number {
  return ageMs > 0 ? Math.floor(Math.log2(ageMs * 1e6)) : -1;
}

/**
 * Watches pods for a controller kind: a pod's controller (when it is of `kind`) is enqueued; an orphan
 * enqueues every object of `kind` in its namespace whose selector matches it (candidates for adoption).
 */
export function watchControlledPods(ctx: SimContext, kind: string, queue: WorkQueue): void {
  ctx.store.watch('Pod', (_t, pod) => {
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind === kind) queue.add(`${pod.metadata.namespace}/${ref.name}`);
      return;
    }
    // An orphan is adopted (and, over the count, deleted) by the owner's next sync: upstream's runs as soon
    // as the pod appears, before the scheduler and the kubelet act on it.
    for (const owner of ctx.store.list(kind, pod.metadata.namespace)) {
      if (selectorMatches(owner.spec?.selector, pod.metadata.labels)) queue.addNow(keyOf(owner));
    }
  });
}
