/**
 * The Deployment controller (k/k pkg/controller/deployment: deployment_controller.go, sync.go, rolling.go,
 * recreate.go, progress.go, util/deployment_util.go): owns ReplicaSets named `<deployment>-<pod-template-hash>`,
 * rolls them with RollingUpdate (maxSurge/maxUnavailable fenceposts) or Recreate, scales proportionally,
 * keeps revision annotations, cleans old sets past revisionHistoryLimit and maintains status and the
 * Available / Progressing / ReplicaFailure conditions. Also `kubectl rollout undo`.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import type { ApiResult } from '../apiserver.js';
import { selectorMatches, isEmptySelector, type LabelSelector } from '../../k8s/match.js';
import { clone, deepEqual } from '../../k8s/util.js';
import { fromTime } from '../../k8s/time.js';
import {
  WorkQueue, claimObjects, computeHash, controllerRef, getCondition, getControllerOf, intOr, keyOf, removeCondition,
  scaledValue, splitKey, ts, isPodTerminal, type Condition,
} from './common.js';

const COMPONENT = 'deployment-controller';
/** Annotations kept on ReplicaSets by the Deployment controller (deployment_util.go). */
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** The label the controller adds to ReplicaSets and their pods. */
export const POD_TEMPLATE_HASH = 'pod-template-hash';
const SKIP_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

/** Handle of the running Deployment controller. */
export interface DeploymentController {
  queue: WorkQueue;
}

/** Starts the Deployment controller. */
export function startDeploymentController(ctx: SimContext): DeploymentController {
  const queue = new WorkQueue(ctx, COMPONENT, (key) => syncDeployment(ctx, key, queue));
  ctx.store.watch('Deployment', (_t, d) => queue.add(keyOf(d)));
  ctx.store.watch('ReplicaSet', (_t, rs) => {
    const ref = getControllerOf(rs);
    if (ref) {
      if (ref.kind === 'Deployment') queue.add(`${rs.metadata.namespace}/${ref.name}`);
      return;
    }
    for (const d of ctx.store.list('Deployment', rs.metadata.namespace)) {
      if (selectorMatches(d.spec?.selector, rs.metadata.labels)) queue.add(keyOf(d));
    }
  });
  // Recreate waits for old pods to be gone: a pod deletion re-syncs its Deployment.
  ctx.store.watch('Pod', (type, pod) => {
    if (type !== 'DELETED') return;
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = ctx.store.get('ReplicaSet', pod.metadata.namespace, ref.name);
    const dref = rs && getControllerOf(rs);
    if (dref?.kind === 'Deployment') queue.add(`${pod.metadata.namespace}/${dref.name}`);
  });
  return { queue };
}

const rsReplicas = (rs: KObject | undefined) => (rs ? intOr(rs.spec?.replicas, 1) : 0);
const sum = (list: Array<KObject | undefined>, f: (rs: KObject) => number) =>
  list.reduce((a, rs) => a + (rs ? f(rs) : 0), 0);
const specSum = (l: Array<KObject | undefined>) => sum(l, (rs) => intOr(rs.spec?.replicas, 1));
const statusSum = (l: Array<KObject | undefined>) => sum(l, (rs) => intOr(rs.status?.replicas, 0));
const availSum = (l: Array<KObject | undefined>) => sum(l, (rs) => intOr(rs.status?.availableReplicas, 0));
const readySum = (l: Array<KObject | undefined>) => sum(l, (rs) => intOr(rs.status?.readyReplicas, 0));
const created = (o: KObject) => fromTime(o.metadata.creationTimestamp ?? '') ?? 0;
const byCreation = (a: KObject, b: KObject) => created(a) - created(b) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
const revisionOf = (rs: KObject) => {
  const v = Number(rs.metadata.annotations?.[REVISION] ?? '0');
  return Number.isFinite(v) ? v : 0;
};

function isRolling(d: KObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 makes unavailable 1. */
export function resolveFenceposts(maxSurge: unknown, maxUnavailable: unknown, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true, '25%');
  let unavailable = scaledValue(maxUnavailable, desired, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** MaxSurge of a Deployment (0 unless RollingUpdate). */
export function maxSurgeOf(d: KObject): number {
  if (!isRolling(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, intOr(d.spec?.replicas, 1)).surge;
}

/** MaxUnavailable of a Deployment (0 unless RollingUpdate; never above replicas). */
export function maxUnavailableOf(d: KObject): number {
  const replicas = intOr(d.spec?.replicas, 1);
  if (!isRolling(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const u = resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicas).unavailable;
  return Math.min(u, replicas);
}

function templateWithoutHash(t: any): any {
  const c = clone(t ?? {});
  if (c.metadata?.labels) {
    delete c.metadata.labels[POD_TEMPLATE_HASH];
    if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
  }
  if (c.metadata && Object.keys(c.metadata).length === 0) delete c.metadata;
  return c;
}

/** EqualIgnoreHash: templates equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: any, b: any): boolean {
  return deepEqual(templateWithoutHash(a), templateWithoutHash(b));
}

interface Ctx {
  ctx: SimContext;
  queue: WorkQueue;
  d: KObject;
}

/** Reconciles one Deployment. */
export function syncDeployment(ctx: SimContext, key: string, queue: WorkQueue): void {
  const { namespace, name } = splitKey(key);
  const d = ctx.store.get('Deployment', namespace, name);
  if (!d) return;
  const c: Ctx = { ctx, queue, d };
  const selector: LabelSelector | undefined = d.spec?.selector;
  if (!selector || isEmptySelector(selector)) {
    ctx.recorder.record(d, 'Warning', 'SelectingAll', ctx.msg.deploymentSelectingAll, COMPONENT);
    if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
      d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
      ctx.store.update(d);
    }
    return;
  }
  const rsList = claimObjects(ctx, d, 'ReplicaSet', selector);
  if (d.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = getAllReplicaSets(c, rsList, false);
    syncDeploymentStatus(c, [...oldRSs, newRS], newRS);
    return;
  }
  checkPausedConditions(c);
  if (d.spec?.paused) {
    sync(c, rsList);
    return;
  }
  if (isScalingEvent(c, rsList)) {
    sync(c, rsList);
    return;
  }
  if (isRolling(d)) rolloutRolling(c, rsList);
  else rolloutRecreate(c, rsList);
}

function newCondition(now: number, type: string, status: Condition['status'], reason: string, message: string): Condition {
  return { type, status, lastUpdateTime: ts(now), lastTransitionTime: ts(now), reason, message };
}

/** SetDeploymentCondition: no-op for the same status and reason; keeps lastTransitionTime for the same status. */
function setCondition(status: any, cond: Condition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  if (cur && cur.status === cond.status) cond.lastTransitionTime = cur.lastTransitionTime;
  const rest = ((status.conditions ?? []) as Condition[]).filter((x) => x.type !== cond.type);
  status.conditions = [...rest, cond];
}

function hasProgressDeadline(d: KObject): boolean {
  const v = d.spec?.progressDeadlineSeconds;
  return v === undefined || (typeof v === 'number' && v !== 2147483647);
}

function progressDeadline(c: Ctx): number {
  return intOr(c.d.spec?.progressDeadlineSeconds, c.ctx.defaults.deploymentProgressDeadlineSeconds);
}

function writeStatus(c: Ctx, status: any): void {
  const d = c.d;
  if (deepEqual(d.status ?? {}, status)) return;
  d.status = status;
  c.ctx.store.update(d);
}

function checkPausedConditions(c: Ctx): void {
  const d = c.d;
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond && cond.reason === 'ProgressDeadlineExceeded') return;
  const pausedCondExists = cond?.reason === 'DeploymentPaused';
  const status = clone(d.status ?? {});
  const now = c.ctx.now();
  if (d.spec?.paused && !pausedCondExists) {
    setCondition(status, newCondition(now, 'Progressing', 'Unknown', 'DeploymentPaused', c.ctx.msg.deploymentPaused));
  } else if (!d.spec?.paused && pausedCondExists) {
    setCondition(status, newCondition(now, 'Progressing', 'Unknown', 'DeploymentResumed', c.ctx.msg.deploymentResumed));
  } else return;
  writeStatus(c, status);
}

/** Maps a Deployment's template onto a new ReplicaSet's annotations (SetNewReplicaSetAnnotations). */
function setNewReplicaSetAnnotations(c: Ctx, rs: KObject, newRevision: number, exists: boolean): boolean {
  const d = c.d;
  const ann: Record<string, string> = { ...(rs.metadata.annotations ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_ANNOTATIONS.has(k)) continue;
    if (ann[k] !== v) { ann[k] = v; changed = true; }
  }
  const old = ann[REVISION];
  const oldNum = old === undefined ? 0 : Number(old);
  if (oldNum < newRevision) {
    ann[REVISION] = String(newRevision);
    changed = true;
    if (old !== undefined && exists) {
      ann[REVISION_HISTORY] = ann[REVISION_HISTORY] ? `${ann[REVISION_HISTORY]},${old}` : old;
    }
  }
  // "If the new replica set is about to be created, we need to add replica annotations to it": only then;
  // on an existing ReplicaSet only scaleReplicaSet rewrites them (proportional scaling reads the old values).
  const replicas = intOr(d.spec?.replicas, 1);
  const desired = String(replicas), max = String(replicas + maxSurgeOf(d));
  if (!exists && (ann[DESIRED_REPLICAS] !== desired || ann[MAX_REPLICAS] !== max)) {
    ann[DESIRED_REPLICAS] = desired;
    ann[MAX_REPLICAS] = max;
    changed = true;
  }
  if (changed) rs.metadata.annotations = ann;
  return changed;
}

/**
 * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (template equal to the Deployment's; created when
 * asked and missing) and the old ones; syncs the revision annotations.
 */
function getAllReplicaSets(c: Ctx, rsList: KObject[], createIfMissing: boolean): { newRS: KObject | undefined; oldRSs: KObject[] } {
  const { ctx, d } = c;
  const sorted = [...rsList].sort(byCreation);
  let existing = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
  const oldRSs = sorted.filter((rs) => rs !== existing);
  const maxOld = oldRSs.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
  const newRevision = maxOld + 1;
  const now = ctx.now();
  if (existing) {
    const rsMinReady = intOr(existing.spec?.minReadySeconds, 0);
    const dMinReady = intOr(d.spec?.minReadySeconds, 0);
    const annChanged = setNewReplicaSetAnnotations(c, existing, newRevision, true);
    if (annChanged || rsMinReady !== dMinReady) {
      existing.spec.minReadySeconds = dMinReady;
      if (!dMinReady) delete existing.spec.minReadySeconds;
      if (rsMinReady !== dMinReady) existing.metadata.generation = (existing.metadata.generation ?? 1) + 1;
      ctx.store.update(existing);
      return { newRS: existing, oldRSs };
    }
    const status = clone(d.status ?? {});
    let needs = setDeploymentRevision(d, existing.metadata.annotations?.[REVISION]);
    if (hasProgressDeadline(d) && !getCondition(status, 'Progressing')) {
      setCondition(status, newCondition(now, 'Progressing', 'True', 'FoundNewReplicaSet', ctx.msg.foundNewReplicaSet(existing.metadata.name)));
      needs = true;
    }
    if (needs) {
      d.status = status;
      ctx.store.update(d);
    }
    return { newRS: existing, oldRSs };
  }
  if (!createIfMissing) return { newRS: undefined, oldRSs };
  const template = clone(d.spec?.template ?? {});
  let collision: number | undefined = d.status?.collisionCount;
  for (let attempt = 0; attempt < 100; attempt++) {
    const hash = computeHash(d.spec?.template, collision);
    const name = `${d.metadata.name}-${hash}`;
    const clash = ctx.store.get('ReplicaSet', d.metadata.namespace, name);
    if (clash) {
      if (getControllerOf(clash)?.uid === d.metadata.uid && equalIgnoreHash(clash.spec?.template, d.spec?.template)) {
        return { newRS: clash, oldRSs };
      }
      collision = (collision ?? 0) + 1;
      d.status = { ...(d.status ?? {}), collisionCount: collision };
      ctx.store.update(d);
      continue;
    }
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const sel = clone(d.spec.selector ?? {});
    sel.matchLabels = { ...(sel.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: KObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: d.metadata.namespace, labels: { ...template.metadata.labels }, ownerReferences: [controllerRef(d)] },
      spec: { replicas: 0, selector: sel, template },
    };
    const minReady = intOr(d.spec?.minReadySeconds, 0);
    if (minReady) rs.spec.minReadySeconds = minReady;
    const newReplicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    rs.spec.replicas = newReplicas;
    setNewReplicaSetAnnotations(c, rs, newRevision, false);
    // spec field order as upstream prints it
    rs.spec = { replicas: rs.spec.replicas, ...(rs.spec.minReadySeconds ? { minReadySeconds: rs.spec.minReadySeconds } : {}), selector: sel, template };
    const r = ctx.api.create(rs, { by: COMPONENT });
    if (!r.ok) return { newRS: undefined, oldRSs };
    if (newReplicas > 0) {
      ctx.recorder.record(d, 'Normal', 'ScalingReplicaSet', ctx.msg.scaledUp(name, 0, newReplicas), COMPONENT);
    }
    const status = clone(d.status ?? {});
    setDeploymentRevision(d, String(newRevision));
    if (hasProgressDeadline(d)) {
      setCondition(status, newCondition(now, 'Progressing', 'True', 'NewReplicaSetCreated', ctx.msg.newReplicaSetCreated(name)));
    }
    d.status = status;
    ctx.store.update(d);
    return { newRS: r.value, oldRSs };
  }
  return { newRS: undefined, oldRSs };
}

/** SetDeploymentRevision: sets the Deployment's revision annotation; whether it changed. */
function setDeploymentRevision(d: KObject, revision: string | undefined): boolean {
  if (revision === undefined) return false;
  if (d.metadata.annotations?.[REVISION] === revision) return false;
  d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: revision };
  return true;
}

/** NewRSNewReplicas: the new ReplicaSet's size for this step. */
function newRSNewReplicas(d: KObject, allRSs: KObject[], newRS: KObject): number {
  const replicas = intOr(d.spec?.replicas, 1);
  if (!isRolling(d)) return replicas;
  const current = specSum(allRSs);
  const maxTotal = replicas + maxSurgeOf(d);
  if (current >= maxTotal) return rsReplicas(newRS);
  const up = Math.min(maxTotal - current, replicas - rsReplicas(newRS));
  return rsReplicas(newRS) + up;
}

/** scaleReplicaSetAndRecordEvent: resizes a ReplicaSet (and its replica annotations), with the event. */
function scaleReplicaSet(c: Ctx, rs: KObject, newScale: number): boolean {
  const { ctx, d } = c;
  const cur = rsReplicas(rs);
  const replicas = intOr(d.spec?.replicas, 1);
  const desired = String(replicas), max = String(replicas + maxSurgeOf(d));
  const sizeChange = cur !== newScale;
  const annChange = rs.metadata.annotations?.[DESIRED_REPLICAS] !== desired || rs.metadata.annotations?.[MAX_REPLICAS] !== max;
  if (!sizeChange && !annChange) return false;
  rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max };
  if (sizeChange) {
    rs.spec.replicas = newScale;
    rs.metadata.generation = (rs.metadata.generation ?? 1) + 1;
  }
  ctx.store.update(rs);
  ctx.trace.add('update', `scaled from ${cur} to ${newScale} by ${COMPONENT}`, `ReplicaSet ${rs.metadata.namespace}/${rs.metadata.name}`);
  if (sizeChange) {
    const text = cur < newScale ? ctx.msg.scaledUp(rs.metadata.name, cur, newScale) : ctx.msg.scaledDown(rs.metadata.name, cur, newScale);
    ctx.recorder.record(d, 'Normal', 'ScalingReplicaSet', text, COMPONENT);
  }
  return sizeChange;
}

function isScalingEvent(c: Ctx, rsList: KObject[]): boolean {
  const { newRS, oldRSs } = getAllReplicaSets(c, rsList, false);
  const replicas = intOr(c.d.spec?.replicas, 1);
  for (const rs of [...oldRSs, newRS]) {
    if (!rs || rsReplicas(rs) <= 0) continue;
    const v = rs.metadata.annotations?.[DESIRED_REPLICAS];
    if (v === undefined) continue;
    if (Number(v) !== replicas) return true;
  }
  return false;
}

/** sync: scaling and status only (paused or a scaling event). */
function sync(c: Ctx, rsList: KObject[]): void {
  const { newRS, oldRSs } = getAllReplicaSets(c, rsList, false);
  scale(c, newRS, oldRSs);
  if (c.d.spec?.paused) cleanupDeployment(c, oldRSs);
  syncDeploymentStatus(c, [...oldRSs, newRS], newRS);
}

function activeOf(list: Array<KObject | undefined>): KObject[] {
  return list.filter((rs): rs is KObject => !!rs && rsReplicas(rs) > 0);
}

function scale(c: Ctx, newRS: KObject | undefined, oldRSs: KObject[]): void {
  const d = c.d;
  const replicas = intOr(d.spec?.replicas, 1);
  // FindActiveOrLatest
  const olds = [...oldRSs].sort(byCreation).reverse();
  const active = activeOf([...olds, newRS]);
  let target: KObject | undefined;
  if (newRS || olds.length) {
    if (active.length === 0) target = newRS ?? olds[0];
    else if (active.length === 1) target = active[0];
  }
  if (target) {
    if (rsReplicas(target) !== replicas) scaleReplicaSet(c, target, replicas);
    return;
  }
  // IsSaturated
  if (newRS && rsReplicas(newRS) === replicas && Number(newRS.metadata.annotations?.[DESIRED_REPLICAS]) === replicas &&
    intOr(newRS.status?.availableReplicas, 0) === replicas) {
    for (const old of activeOf(oldRSs)) scaleReplicaSet(c, old, 0);
    return;
  }
  if (!isRolling(d)) return;
  const all = activeOf([...oldRSs, newRS]);
  const allReplicas = specSum(all);
  const allowed = replicas > 0 ? replicas + maxSurgeOf(d) : 0;
  const toAdd = allowed - allReplicas;
  if (toAdd > 0) all.sort((a, b) => rsReplicas(b) - rsReplicas(a) || created(b) - created(a)); // BySizeNewer
  else if (toAdd < 0) all.sort((a, b) => rsReplicas(b) - rsReplicas(a) || created(a) - created(b)); // BySizeOlder
  let added = 0;
  const size = new Map<KObject, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = proportion(d, rs, toAdd, added);
      size.set(rs, rsReplicas(rs) + p);
      added += p;
    } else size.set(rs, rsReplicas(rs));
  }
  all.forEach((rs, i) => {
    if (i === 0 && toAdd !== 0) {
      const v = size.get(rs)! + (toAdd - added);
      size.set(rs, Math.max(0, v));
    }
    scaleReplicaSet(c, rs, size.get(rs)!);
  });
}

function proportion(d: KObject, rs: KObject, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const replicas = intOr(d.spec?.replicas, 1);
  let fraction: number;
  if (replicas === 0) fraction = -rsReplicas(rs);
  else {
    const depReplicas = replicas + maxSurgeOf(d);
    const ann = Number(rs.metadata.annotations?.[MAX_REPLICAS]);
    const annotated = Number.isFinite(ann) && rs.metadata.annotations?.[MAX_REPLICAS] !== undefined ? ann : intOr(d.status?.replicas, 0);
    const size = annotated === 0 ? 0 : (rsReplicas(rs) * depReplicas) / annotated;
    fraction = roundHalfAway(size) - rsReplicas(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function rolloutRolling(c: Ctx, rsList: KObject[]): void {
  let { newRS, oldRSs } = getAllReplicaSets(c, rsList, true);
  const all = () => [...oldRSs, newRS];
  if (newRS && reconcileNewReplicaSet(c, all(), newRS)) {
    syncRolloutStatus(c, all(), newRS);
    return;
  }
  if (reconcileOldReplicaSets(c, all(), activeOf(oldRSs), newRS)) {
    syncRolloutStatus(c, all(), newRS);
    return;
  }
  const status = calculateStatus(c, all(), newRS);
  if (deploymentComplete(c.d, status)) cleanupDeployment(c, oldRSs);
  syncRolloutStatus(c, all(), newRS);
}

function reconcileNewReplicaSet(c: Ctx, all: Array<KObject | undefined>, newRS: KObject): boolean {
  const replicas = intOr(c.d.spec?.replicas, 1);
  if (rsReplicas(newRS) === replicas) return false;
  if (rsReplicas(newRS) > replicas) return scaleReplicaSet(c, newRS, replicas);
  const n = newRSNewReplicas(c.d, all.filter((x): x is KObject => !!x), newRS);
  return scaleReplicaSet(c, newRS, n);
}

function reconcileOldReplicaSets(c: Ctx, all: Array<KObject | undefined>, oldRSs: KObject[], newRS: KObject | undefined): boolean {
  const d = c.d;
  const oldPods = specSum(oldRSs);
  if (oldPods === 0) return false;
  const allPods = specSum(all);
  const minAvailable = intOr(d.spec?.replicas, 1) - maxUnavailableOf(d);
  const newUnavailable = newRS ? rsReplicas(newRS) - intOr(newRS.status?.availableReplicas, 0) : 0;
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // cleanupUnhealthyReplicas
  let cleaned = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const r = rsReplicas(rs);
    const avail = intOr(rs.status?.availableReplicas, 0);
    if (r === 0 || r === avail) continue;
    const n = Math.min(maxScaledDown - cleaned, r - avail);
    scaleReplicaSet(c, rs, r - n);
    cleaned += n;
  }
  // scaleDownOldReplicaSetsForRollingUpdate
  const available = availSum([...oldRSs, newRS]);
  let scaled = 0;
  if (available > minAvailable) {
    const total = available - minAvailable;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (scaled >= total) break;
      const r = rsReplicas(rs);
      if (r === 0) continue;
      const n = Math.min(r, total - scaled);
      scaleReplicaSet(c, rs, r - n);
      scaled += n;
    }
  }
  return cleaned + scaled > 0;
}

function rolloutRecreate(c: Ctx, rsList: KObject[]): void {
  let { newRS, oldRSs } = getAllReplicaSets(c, rsList, false);
  let scaledDown = false;
  for (const rs of activeOf(oldRSs)) if (scaleReplicaSet(c, rs, 0)) scaledDown = true;
  if (scaledDown) {
    syncRolloutStatus(c, [...oldRSs, newRS], newRS);
    return;
  }
  if (oldPodsRunning(c, newRS, oldRSs)) {
    syncRolloutStatus(c, [...oldRSs, newRS], newRS);
    return;
  }
  if (!newRS) ({ newRS, oldRSs } = getAllReplicaSets(c, rsList, true));
  if (newRS) scaleReplicaSet(c, newRS, intOr(c.d.spec?.replicas, 1));
  const status = calculateStatus(c, [...oldRSs, newRS], newRS);
  if (deploymentComplete(c.d, status)) cleanupDeployment(c, oldRSs);
  syncRolloutStatus(c, [...oldRSs, newRS], newRS);
}

function oldPodsRunning(c: Ctx, newRS: KObject | undefined, oldRSs: KObject[]): boolean {
  if (statusSum(oldRSs) > 0) return true;
  for (const rs of oldRSs) {
    if (rs === newRS) continue;
    for (const p of c.ctx.store.dependents(rs.metadata.uid!)) {
      if (p.kind === 'Pod' && !isPodTerminal(p)) return true;
    }
  }
  return false;
}

function cleanupDeployment(c: Ctx, oldRSs: KObject[]): void {
  const d = c.d;
  const limit = intOr(d.spec?.revisionHistoryLimit, c.ctx.defaults.deploymentRevisionHistoryLimit);
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i]!;
    if (intOr(rs.status?.replicas, 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > intOr(rs.status?.observedGeneration, 0)) continue;
    c.ctx.api.delete(rs, { by: COMPONENT });
  }
}

/** calculateStatus (sync.go). */
function calculateStatus(c: Ctx, all: Array<KObject | undefined>, newRS: KObject | undefined): any {
  const { ctx, d } = c;
  const available = availSum(all);
  const total = specSum(all);
  const unavailable = Math.max(0, total - available);
  const status: any = {};
  if (d.metadata.generation) status.observedGeneration = d.metadata.generation;
  const replicas = statusSum(all);
  const updated = statusSum([newRS]);
  const ready = readySum(all);
  if (replicas) status.replicas = replicas;
  if (updated) status.updatedReplicas = updated;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (unavailable) status.unavailableReplicas = unavailable;
  if (ctx.defaults.terminatingReplicas) {
    const sets = all.filter((x): x is KObject => !!x);
    if (sets.every((rs) => typeof rs.status?.terminatingReplicas === 'number')) {
      status.terminatingReplicas = sets.reduce((a, rs) => a + rs.status.terminatingReplicas, 0);
    }
  }
  const conds: Condition[] = ((d.status?.conditions ?? []) as Condition[]).map((x) => ({ ...x }));
  if (conds.length) status.conditions = conds;
  const now = ctx.now();
  if (available >= intOr(d.spec?.replicas, 1) - maxUnavailableOf(d)) {
    setCondition(status, newCondition(now, 'Available', 'True', 'MinimumReplicasAvailable', ctx.msg.deploymentAvailable));
  } else {
    setCondition(status, newCondition(now, 'Available', 'False', 'MinimumReplicasUnavailable', ctx.msg.deploymentUnavailable));
  }
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  return status;
}

function syncDeploymentStatus(c: Ctx, all: Array<KObject | undefined>, newRS: KObject | undefined): void {
  writeStatus(c, calculateStatus(c, all, newRS));
}

function deploymentComplete(d: KObject, s: any): boolean {
  const r = intOr(d.spec?.replicas, 1);
  return intOr(s.updatedReplicas, 0) === r && intOr(s.replicas, 0) === r && intOr(s.availableReplicas, 0) === r &&
    intOr(s.observedGeneration, 0) >= (d.metadata.generation ?? 0);
}

function deploymentProgressing(d: KObject, s: any): boolean {
  const o = d.status ?? {};
  const oldOld = intOr(o.replicas, 0) - intOr(o.updatedReplicas, 0);
  const newOld = intOr(s.replicas, 0) - intOr(s.updatedReplicas, 0);
  return intOr(s.updatedReplicas, 0) > intOr(o.updatedReplicas, 0) || newOld < oldOld ||
    intOr(s.readyReplicas, 0) > intOr(o.readyReplicas, 0) || intOr(s.availableReplicas, 0) > intOr(o.availableReplicas, 0);
}

function deploymentTimedOut(c: Ctx, s: any): boolean {
  if (!hasProgressDeadline(c.d)) return false;
  const cond = getCondition(s, 'Progressing');
  if (!cond) return false;
  if (cond.reason === 'NewReplicaSetAvailable') return false;
  if (cond.reason === 'ProgressDeadlineExceeded') return true;
  const from = fromTime(cond.lastUpdateTime ?? '') ?? 0;
  return from + progressDeadline(c) * 1000 < c.ctx.now();
}

function syncRolloutStatus(c: Ctx, all: Array<KObject | undefined>, newRS: KObject | undefined): void {
  const { ctx, d } = c;
  const status = calculateStatus(c, all, newRS);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const cur = getCondition(d.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && cur?.reason === 'NewReplicaSetAvailable';
  const now = ctx.now();
  if (hasProgressDeadline(d) && !complete) {
    const rsName = newRS?.metadata.name ?? '';
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition(now, 'Progressing', 'True', 'NewReplicaSetAvailable', ctx.msg.newReplicaSetAvailable(rsName)));
    } else if (deploymentProgressing(d, status)) {
      const cond = newCondition(now, 'Progressing', 'True', 'ReplicaSetUpdated', ctx.msg.replicaSetUpdated(rsName));
      if (cur) {
        if (cur.status === 'True') cond.lastTransitionTime = cur.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, cond);
    } else if (deploymentTimedOut(c, status)) {
      setCondition(status, newCondition(now, 'Progressing', 'False', 'ProgressDeadlineExceeded', ctx.msg.progressDeadlineExceeded(rsName)));
    }
  }
  const failure = replicaFailure(all, newRS);
  if (failure) setCondition(status, { ...failure });
  else removeCondition(status, 'ReplicaFailure');
  if (deepEqual(d.status ?? {}, status)) {
    requeueStuck(c, status);
    return;
  }
  writeStatus(c, status);
}

function replicaFailure(all: Array<KObject | undefined>, newRS: KObject | undefined): Condition | undefined {
  const pick = (rs: KObject | undefined) => getCondition(rs?.status, 'ReplicaFailure');
  const fromNew = pick(newRS);
  if (fromNew) return { type: 'ReplicaFailure', status: fromNew.status, lastUpdateTime: fromNew.lastTransitionTime, lastTransitionTime: fromNew.lastTransitionTime, reason: fromNew.reason, message: fromNew.message };
  for (const rs of all) {
    const c = pick(rs);
    if (c) return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }
  return undefined;
}

function requeueStuck(c: Ctx, status: any): void {
  const cur = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(c.d) || !cur || cur.reason === 'NewReplicaSetAvailable' || cur.reason === 'ProgressDeadlineExceeded') return;
  if (deploymentComplete(c.d, status)) return;
  const from = fromTime(cur.lastUpdateTime ?? '') ?? 0;
  const after = from + progressDeadline(c) * 1000 - c.ctx.now();
  c.queue.addAfter(keyOf(c.d), Math.max(0, after) + 1000);
}

/**
 * `kubectl rollout undo deployment/NAME [--to-revision=N]`: copies the template of the ReplicaSet of that
 * revision (default: the previous one) into the Deployment, without its pod-template-hash label.
 */
export function rollbackDeployment(ctx: SimContext, namespace: string, name: string, toRevision?: number): ApiResult {
  const d = ctx.store.get('Deployment', namespace, name);
  if (!d) return { ok: false, error: { code: 404, reason: 'NotFound', message: `deployments.apps "${name}" not found` } };
  if (d.spec?.paused) {
    return { ok: false, error: { code: 400, reason: 'BadRequest', message: ctx.msg.rollbackPaused(name) } };
  }
  const sets = ctx.store.dependents(d.metadata.uid!).filter((o) => o.kind === 'ReplicaSet' && getControllerOf(o)?.uid === d.metadata.uid);
  const byRev = new Map<number, KObject>();
  for (const rs of sets) byRev.set(revisionOf(rs), rs);
  let target: KObject | undefined;
  if (toRevision !== undefined && toRevision > 0) {
    target = byRev.get(toRevision);
    if (!target) return { ok: false, error: { code: 400, reason: 'BadRequest', message: ctx.msg.rollbackRevisionNotFound(toRevision) } };
  } else {
    const revs = [...byRev.keys()].filter((r) => r > 0).sort((a, b) => b - a);
    if (revs.length < 2) return { ok: false, error: { code: 400, reason: 'BadRequest', message: ctx.msg.rollbackNoHistory(name) } };
    target = byRev.get(revs[1]!);
  }
  const template = templateWithoutHash(target!.spec?.template);
  if (equalIgnoreHash(d.spec?.template, template)) {
    ctx.trace.add('action', ctx.msg.rollbackSkipped(revisionOf(target!)), `Deployment ${namespace}/${name}`);
    return { ok: true, value: d };
  }
  const ann: Record<string, string> = {};
  for (const [k, v] of Object.entries(target!.metadata.annotations ?? {})) if (!SKIP_ANNOTATIONS.has(k)) ann[k] = v;
  return ctx.api.patch(d, (o) => {
    o.spec.template = template;
    if (Object.keys(ann).length) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), ...ann };
  }, 'kubectl rollout undo');
}
