/**
 * The disruption controller (k/k pkg/controller/disruption/disruption.go) and the Eviction subresource's
 * PodDisruptionBudget check (k/k pkg/registry/core/pod/storage/eviction.go): PDB status (expectedPods,
 * desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods, observedGeneration, condition
 * DisruptionAllowed with reason SufficientPods / InsufficientPods) and 429 TooManyRequests for evictions
 * that would violate a budget, honouring `unhealthyPodEvictionPolicy`.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import type { ApiError } from '../apiserver.js';
import { selectorMatches } from '../../k8s/match.js';
import { fromTime, toTime } from '../../k8s/time.js';
import { deepEqual } from '../../k8s/util.js';
import { WorkQueue, getControllerOf, intOr, isPodReady, isPodTerminal, keyOf, scaledValue, splitKey } from './common.js';

const COMPONENT = 'disruption-controller';
/** How long an evicted pod stays in disruptedPods if it is not deleted (DeletionTimeout 2 min). */
const DELETION_TIMEOUT_MS = 2 * 60_000;

/** Starts the disruption controller and installs the eviction check. */
export function startDisruptionController(ctx: SimContext): WorkQueue {
  const queue = new WorkQueue(ctx, COMPONENT, (key) => syncPdb(ctx, key, queue), { endOfInstant: true });
  const enqueueNs = (ns: string | undefined) => { for (const pdb of ctx.store.list('PodDisruptionBudget', ns)) queue.add(keyOf(pdb)); };
  ctx.store.watch('PodDisruptionBudget', (_t, pdb) => queue.add(keyOf(pdb)));
  ctx.store.watch('Pod', (_t, pod) => {
    for (const pdb of ctx.store.list('PodDisruptionBudget', pod.metadata.namespace)) {
      if (selectorMatches(pdb.spec?.selector, pod.metadata.labels)) queue.add(keyOf(pdb));
    }
  });
  for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']) {
    ctx.store.watch(kind, (_t, o) => enqueueNs(o.metadata.namespace));
  }
  ctx.api.evictionCheck = (pod) => checkEviction(ctx, pod);
  return queue;
}

/**
 * getExpectedScale's finders for a pod: its controller's uid and scale (a ReplicaSet's Deployment, a
 * ReplicaSet, StatefulSet or ReplicationController), `unmanaged` without a controller, or the error that
 * fails the sync (a controller that is gone, or a kind without the scale subresource).
 */
function controllerScale(ctx: SimContext, pod: KObject): { uid: string; scale: number } | 'unmanaged' | { error: string } {
  const ref = getControllerOf(pod);
  if (!ref) return 'unmanaged';
  const ns = pod.metadata.namespace;
  const owner = ctx.store.getByUid(ref.uid);
  if (ref.kind === 'ReplicaSet' && owner) {
    const dref = getControllerOf(owner);
    const dep = dref?.kind === 'Deployment' ? ctx.store.get('Deployment', ns, dref.name) : undefined;
    if (dep && dep.metadata.uid === dref!.uid) return { uid: dep.metadata.uid!, scale: intOr(dep.spec?.replicas, 1) };
    return { uid: owner.metadata.uid!, scale: intOr(owner.spec?.replicas, 1) };
  }
  if ((ref.kind === 'StatefulSet' || ref.kind === 'ReplicationController') && owner) return { uid: owner.metadata.uid!, scale: intOr(owner.spec?.replicas, 1) };
  if (ref.kind === 'ReplicaSet' || ref.kind === 'StatefulSet' || ref.kind === 'ReplicationController' || ref.kind === 'Deployment') {
    return { error: `found no controllers for pod ${JSON.stringify(pod.metadata.name)}` };
  }
  // getScaleController: the scale subresource of any other kind (none among the kinds simulated here).
  const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : '';
  const resource = `${ref.kind.toLowerCase()}s${group ? `.${group}` : ''}`;
  return { error: `${resource} does not implement the scale subresource` };
}

/** Go's %v of a *metav1.LabelSelector (its generated String()). */
function pbLabelSelector(sel: Record<string, any> | undefined): string {
  if (!sel) return 'nil';
  const labels = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}: ${sel.matchLabels[k]},`).join('');
  const exprs = ((sel.matchExpressions ?? []) as Array<Record<string, any>>)
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

function pdbPods(ctx: SimContext, pdb: KObject): KObject[] {
  const sel = pdb.spec?.selector;
  if (!sel) return [];
  return ctx.store.list('Pod', pdb.metadata.namespace).filter((p) => selectorMatches(sel, p.metadata.labels));
}

/** Reconciles the status of one PodDisruptionBudget. */
export function syncPdb(ctx: SimContext, key: string, queue: WorkQueue): void {
  const { namespace, name } = splitKey(key);
  const pdb = ctx.store.get('PodDisruptionBudget', namespace, name);
  if (!pdb) return;
  const now = ctx.now();
  const pods = pdbPods(ctx, pdb);
  // trySync's events: no pods at all; pods without a controller (their scale is unknown, so they add nothing
  // to expectedPods; with maxUnavailable or a percentage the budget then allows no disruption).
  if (pods.length === 0) ctx.recorder.record(pdb, 'Normal', 'NoPods', ctx.msg.pdbNoPods, COMPONENT);
  let expected = pods.length;
  let desired = 0;
  const spec = pdb.spec ?? {};
  let unmanaged = 0;
  let syncError: string | undefined;
  const scaleOf = () => {
    const seen = new Map<string, number>();
    for (const p of pods) {
      const s = controllerScale(ctx, p);
      if (s === 'unmanaged') unmanaged++;
      else if ('error' in s) { syncError ??= s.error; }
      else seen.set(s.uid, s.scale);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  };
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expected = scaleOf();
    desired = Math.max(0, expected - scaledValue(spec.maxUnavailable, expected, true));
  } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') desired = spec.minAvailable;
    else {
      expected = scaleOf();
      desired = scaledValue(spec.minAvailable, expected, true);
    }
  }
  if (syncError !== undefined) {
    // failSafe: disruptionsAllowed 0 and DisruptionAllowed=False SyncFailed with the error; nothing else moves.
    ctx.recorder.record(pdb, 'Warning', 'CalculateExpectedPodCountFailed', ctx.msg.pdbCountFailed(syncError), COMPONENT);
    failSafe(ctx, pdb, syncError);
    return;
  }
  if (unmanaged > 0) ctx.recorder.record(pdb, 'Warning', 'UnmanagedPods', ctx.msg.pdbUnmanagedPods(pbLabelSelector(spec.selector)), COMPONENT);
  // disruptedPods: evicted pods not yet deleted, for at most DeletionTimeout.
  const disrupted: Record<string, string> = {};
  let nextExpiry: number | undefined;
  for (const [podName, at] of Object.entries((pdb.status?.disruptedPods ?? {}) as Record<string, string>)) {
    const p = pods.find((x) => x.metadata.name === podName);
    if (!p || p.metadata.deletionTimestamp) continue;
    const t = fromTime(at) ?? 0;
    if (t + DELETION_TIMEOUT_MS <= now) continue;
    disrupted[podName] = at;
    nextExpiry = nextExpiry === undefined ? t + DELETION_TIMEOUT_MS : Math.min(nextExpiry, t + DELETION_TIMEOUT_MS);
  }
  let healthy = 0;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp || isPodTerminal(p) || disrupted[p.metadata.name]) continue;
    if (isPodReady(p)) healthy++;
  }
  // updatePdbStatus: nothing is allowed while expectedCount is 0.
  const allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
  const gen = pdb.metadata.generation ?? 1;
  const prevCond = (pdb.status?.conditions ?? []).find((c: any) => c.type === 'DisruptionAllowed');
  const status = allowed > 0 ? 'True' : 'False';
  const reason = allowed > 0 ? ctx.msg.pdbSufficientPods : ctx.msg.pdbInsufficientPods;
  const cond = {
    type: 'DisruptionAllowed', status, reason, message: '',
    lastTransitionTime: prevCond && prevCond.status === status ? prevCond.lastTransitionTime : toTime(now),
    observedGeneration: gen,
  };
  const next: any = { observedGeneration: gen };
  if (Object.keys(disrupted).length) next.disruptedPods = disrupted;
  next.disruptionsAllowed = allowed;
  next.currentHealthy = healthy;
  next.desiredHealthy = desired;
  next.expectedPods = expected;
  next.conditions = [cond];
  if (!deepEqual(pdb.status ?? {}, next)) {
    pdb.status = next;
    ctx.store.update(pdb);
  }
  if (nextExpiry !== undefined) queue.addAfter(key, nextExpiry - now);
}

/** failSafe: disruptionsAllowed 0 and the DisruptionAllowed condition False with reason SyncFailed. */
function failSafe(ctx: SimContext, pdb: KObject, message: string): void {
  const status: any = JSON.parse(JSON.stringify(pdb.status ?? {}));
  status.disruptionsAllowed = 0;
  const conds: any[] = status.conditions ?? (status.conditions = []);
  const prev = conds.find((c) => c.type === 'DisruptionAllowed');
  const cond = {
    type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message,
    lastTransitionTime: prev && prev.status === 'False' ? prev.lastTransitionTime : toTime(ctx.now()),
    observedGeneration: status.observedGeneration ?? 0,
  };
  if (prev) Object.assign(prev, cond); else conds.push(cond);
  if (!deepEqual(pdb.status ?? {}, status)) {
    pdb.status = status;
    ctx.store.update(pdb);
  }
}

/** The Eviction subresource's budget check; on success it charges the budget (disruptionsAllowed − 1). */
export function checkEviction(ctx: SimContext, pod: KObject): ApiError | undefined {
  // canIgnorePDB comes first (terminal, pending or already deleting pods are deleted without any budget
  // check), before the budgets are listed and more than one is refused.
  const phase = pod.status?.phase ?? 'Pending';
  if (isPodTerminal(pod) || phase === 'Pending' || pod.metadata.deletionTimestamp) return undefined;
  const pdbs = ctx.store.list('PodDisruptionBudget', pod.metadata.namespace).filter((p) => selectorMatches(p.spec?.selector, pod.metadata.labels));
  if (pdbs.length === 0) return undefined;
  if (pdbs.length > 1) return { code: 500, reason: 'InternalError', message: ctx.msg.pdbMultiple };
  const pdb = pdbs[0]!;
  const st = pdb.status ?? {};
  if (!isPodReady(pod)) {
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return undefined;
    const desired = intOr(st.desiredHealthy, 0);
    if (intOr(st.currentHealthy, 0) >= desired && desired > 0) return undefined;
  }
  if (intOr(st.disruptionsAllowed, 0) <= 0) {
    ctx.trace.add('eviction', ctx.msg.evictionPdbCause(pdb.metadata.name, intOr(st.desiredHealthy, 0), intOr(st.currentHealthy, 0)),
      `Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
    return { code: 429, reason: 'TooManyRequests', message: ctx.msg.evictionPdbViolation };
  }
  st.disruptionsAllowed = intOr(st.disruptionsAllowed, 0) - 1;
  st.disruptedPods = { ...(st.disruptedPods ?? {}), [pod.metadata.name]: toTime(ctx.now()) };
  pdb.status = st;
  ctx.store.update(pdb);
  return undefined;
}
