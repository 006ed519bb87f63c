/**
 * The ReplicaSet controller (k/k pkg/controller/replicaset/replica_set.go, replica_set_utils.go): keeps
 * `spec.replicas` active pods, adopting matching orphans and releasing pods that stop matching, creating in
 * slow-start batches and deleting the lowest-ranked pods first (controller_utils.go ActivePodsWithRanks).
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { selectorMatches, type LabelSelector } from '../../k8s/match.js';
import {
  WorkQueue, claimObjects, getControllerOf, isPodActive, isPodReady, isPodTerminating, keyOf, podAvailability,
  podFromTemplate, splitKey, intOr, getCondition, removeCondition, ts, logRank, readySince, type Condition, watchControlledPods } from './common.js';
import { fromTime } from '../../k8s/time.js';

const COMPONENT = 'replicaset-controller';

/** Handle of the running ReplicaSet controller. */
export interface ReplicaSetController {
  queue: WorkQueue;
}

/** Starts the ReplicaSet controller. */
export function startReplicaSetController(ctx: SimContext): ReplicaSetController {
  const queue = new WorkQueue(ctx, COMPONENT, (key) => syncReplicaSet(ctx, key, queue), { endOfInstant: true });
  ctx.store.watch('ReplicaSet', (_t, rs) => queue.add(keyOf(rs)));
  watchControlledPods(ctx, 'ReplicaSet', queue);
  return { queue };
}

/** Reconciles one ReplicaSet: adoption, pod count and status. */
export function syncReplicaSet(ctx: SimContext, key: string, queue: WorkQueue): void {
  const { namespace, name } = splitKey(key);
  const rs = ctx.store.get('ReplicaSet', namespace, name);
  if (!rs) return;
  const selector: LabelSelector | undefined = rs.spec?.selector;
  const pods = claimObjects(ctx, rs, 'Pod', selector);
  const active = pods.filter(isPodActive);
  let manageErr: string | undefined;
  if (!rs.metadata.deletionTimestamp) manageErr = manageReplicas(ctx, rs, active);
  updateReplicaSetStatus(ctx, rs, pods, active, manageErr, queue);
  // processNextWorkItem: a failed sync (a create or delete the API server refused) is retried rate-limited.
  if (manageErr !== undefined) queue.addRateLimited(key);
  else queue.forget(key);
}

function manageReplicas(ctx: SimContext, rs: KObject, active: KObject[]): string | undefined {
  const want = intOr(rs.spec?.replicas, 1);
  const diff = active.length - want;
  const burst = ctx.defaults.replicaSetBurstReplicas;
  if (diff < 0) {
    const n = Math.min(-diff, burst);
    return createInBatches(n, () => {
      const pod = podFromTemplate(rs.spec.template, rs, { generateName: `${rs.metadata.name}-` });
      const r = ctx.api.create(pod, { by: COMPONENT });
      if (!r.ok) {
        ctx.recorder.record(rs, 'Warning', 'FailedCreate', ctx.msg.errorCreating(r.error.message), COMPONENT);
        return r.error.message;
      }
      ctx.recorder.record(rs, 'Normal', 'SuccessfulCreate', ctx.msg.createdPod(r.value.metadata.name), COMPONENT);
      return undefined;
    });
  }
  if (diff > 0) {
    const n = Math.min(diff, burst);
    const related = relatedPods(ctx, rs);
    const victims = rankPodsForDeletion(active, related, ctx.now()).slice(0, n);
    for (const p of victims) {
      const r = ctx.api.delete(p, { by: COMPONENT });
      if (!r.ok) {
        if (r.error.code === 404) continue;
        ctx.recorder.record(rs, 'Warning', 'FailedDelete', ctx.msg.errorDeleting(r.error.message), COMPONENT);
        return r.error.message;
      }
      ctx.recorder.record(rs, 'Normal', 'SuccessfulDelete', ctx.msg.deletedPod(p.metadata.name), COMPONENT);
    }
  }
  return undefined;
}

/**
 * slowStartBatch (controller_utils.go): calls `fn` in batches of 1, 2, 4, ... up to `count` calls, stopping
 * after the first batch with an error. Returns the first error.
 */
export function createInBatches(count: number, fn: () => string | undefined, initial = 1): string | undefined {
  let remaining = count;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let firstErr: string | undefined;
    for (let i = 0; i < batch; i++) {
      const e = fn();
      if (e !== undefined && firstErr === undefined) firstErr = e;
    }
    remaining -= batch;
    if (firstErr !== undefined) return firstErr;
  }
  return undefined;
}

/** Pods of every ReplicaSet controlled by the same owner (getIndirectlyRelatedPods), else the set's own. */
function relatedPods(ctx: SimContext, rs: KObject): KObject[] {
  const owner = getControllerOf(rs);
  const sets = owner
    ? ctx.store.dependents(owner.uid).filter((o) => o.kind === 'ReplicaSet' && getControllerOf(o)?.uid === owner.uid)
    : [rs];
  const out: KObject[] = [];
  for (const s of sets) for (const p of ctx.store.dependents(s.metadata.uid!)) if (p.kind === 'Pod' && isPodActive(p)) out.push(p);
  return out;
}

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(p: KObject): number {
  const v = p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  const n = v === undefined ? 0 : Number(v);
  return Number.isFinite(n) ? n : 0;
}

function maxRestarts(p: KObject): number {
  let m = 0;
  for (const c of (p.status?.containerStatuses ?? []) as Array<Record<string, any>>) m = Math.max(m, intOr(c.restartCount, 0));
  return m;
}

/**
 * Orders pods for scale-down, first victim first (ActivePodsWithRanks.Less with LogarithmicScaleDown):
 * unassigned, Pending < Unknown < Running, not ready, lower deletion cost, more related pods on the node,
 * shorter ready time, more restarts, newer creation, then uid.
 */
export function rankPodsForDeletion(pods: KObject[], related: KObject[], now: number): KObject[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    const n = p.spec?.nodeName;
    if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const rank = (p: KObject) => (p.spec?.nodeName ? perNode.get(p.spec.nodeName) ?? 0 : 0);
  const created = (p: KObject) => fromTime(p.metadata.creationTimestamp ?? '') ?? 0;
  const uidLess = (a: KObject, b: KObject) => ((a.metadata.uid ?? '') < (b.metadata.uid ?? '') ? -1 : (a.metadata.uid ?? '') > (b.metadata.uid ?? '') ? 1 : 0);
  const less = (a: KObject, b: KObject): number => {
    const an = !!a.spec?.nodeName, bn = !!b.spec?.nodeName;
    if (an !== bn) return an ? 1 : -1;
    const ap = PHASE_ORDINAL[a.status?.phase ?? 'Pending'] ?? 0, bp = PHASE_ORDINAL[b.status?.phase ?? 'Pending'] ?? 0;
    if (ap !== bp) return ap - bp;
    const ar = isPodReady(a), br = isPodReady(b);
    if (ar !== br) return ar ? 1 : -1;
    const ac = deletionCost(a), bc = deletionCost(b);
    if (ac !== bc) return ac - bc;
    const ak = rank(a), bk = rank(b);
    if (ak !== bk) return bk - ak;
    if (ar && br) {
      const at = readySince(a) ?? 0, bt = readySince(b) ?? 0;
      if (at !== bt) {
        const d = logRank(now - at) - logRank(now - bt);
        return d === 0 ? uidLess(a, b) : d;
      }
    }
    const arr = maxRestarts(a), brr = maxRestarts(b);
    if (arr !== brr) return brr - arr;
    const act = created(a), bct = created(b);
    if (act !== bct) {
      const d = logRank(now - act) - logRank(now - bct);
      return d === 0 ? uidLess(a, b) : d;
    }
    return 0;
  };
  return [...pods].sort(less);
}

function updateReplicaSetStatus(ctx: SimContext, rs: KObject, pods: KObject[], active: KObject[], manageErr: string | undefined,
  queue: WorkQueue): void {
  const now = ctx.now();
  const minReady = intOr(rs.spec?.minReadySeconds, 0);
  const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
  let fully = 0, ready = 0, available = 0;
  let wait: number | undefined;
  for (const p of active) {
    if (selectorMatches({ matchLabels: templateLabels }, p.metadata.labels)) fully++;
    if (isPodReady(p)) {
      ready++;
      const a = podAvailability(p, minReady, now);
      if (a.available) available++;
      else if (a.wait !== undefined) wait = wait === undefined ? a.wait : Math.min(wait, a.wait);
    }
  }
  const prev = rs.status ?? {};
  const next: Record<string, any> = { replicas: active.length };
  if (fully) next.fullyLabeledReplicas = fully;
  if (ready) next.readyReplicas = ready;
  if (available) next.availableReplicas = available;
  if (ctx.defaults.terminatingReplicas) next.terminatingReplicas = pods.filter(isPodTerminating).length;
  const gen = rs.metadata.generation;
  if (gen) next.observedGeneration = gen;
  const conds: Condition[] = (prev.conditions ?? []).map((c: Condition) => ({ ...c }));
  if (conds.length) next.conditions = conds;
  const failure = getCondition(next, 'ReplicaFailure');
  if (manageErr !== undefined && !failure) {
    const want = intOr(rs.spec?.replicas, 1);
    const reason = active.length < want ? 'FailedCreate' : active.length > want ? 'FailedDelete' : '';
    const c: Condition = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: ts(now), reason, message: manageErr };
    next.conditions = [...(next.conditions ?? []), c];
  } else if (manageErr === undefined && failure) removeCondition(next, 'ReplicaFailure');
  if (JSON.stringify(order(next)) !== JSON.stringify(order(prev))) {
    rs.status = order(next);
    ctx.store.update(rs);
  }
  if (wait !== undefined) queue.addAfter(keyOf(rs), wait);
}

const STATUS_ORDER = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'terminatingReplicas', 'observedGeneration', 'conditions'];

function order(s: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k of STATUS_ORDER) if (s[k] !== undefined) out[k] = s[k];
  for (const k of Object.keys(s)) if (!(k in out) && s[k] !== undefined) out[k] = s[k];
  return out;
}
