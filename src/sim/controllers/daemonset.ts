/**
 * The DaemonSet controller (k/k pkg/controller/daemon/daemon_controller.go, update.go,
 * util/daemonset_util.go): one pod per eligible node (nodeSelector, required node affinity, NoSchedule and
 * NoExecute taints against the template's tolerations plus the automatic ones), bound by the default scheduler
 * through a required `matchFields metadata.name In [NODE]` term; RollingUpdate (maxUnavailable / maxSurge)
 * and OnDelete updates; status counters.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { selectorMatches, taintTolerated, type Taint, type Toleration } from '../../k8s/match.js';
import { fromTime } from '../../k8s/time.js';
import { clone, deepEqual } from '../../k8s/util.js';
import {
  WorkQueue, claimObjects, computeHash, getControllerOf, intOr, isPodReady, keyOf, podAvailability, podFromTemplate,
  scaledValue, splitKey, watchControlledPods } from './common.js';

const COMPONENT = 'daemonset-controller';
/** Label carrying the template hash on DaemonSet (and StatefulSet) pods. */
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';

/**
 * What the Node watch compares: the JSON text of a node's labels and taints. For the common case (plain
 * labels with string values, no taints) it also keeps the label keys and values, so that an unchanged node
 * is recognised without serialising it again (same keys in the same order with the same strings, and still
 * no taints, is the same JSON text).
 */
interface PlacementSig {
  json: string;
  /** Label keys and values in order when the labels are plain with string values and taints are empty. */
  keys: string[] | undefined;
  vals: string[];
}

const NO_LABELS: Record<string, string> = {};
const NO_TAINTS: unknown[] = [];

function isSimpleLabels(labels: unknown): labels is Record<string, unknown> {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return false;
  const proto: unknown = Object.getPrototypeOf(labels);
  return proto === Object.prototype || proto === null;
}

function isNoTaints(taints: unknown): boolean {
  return Array.isArray(taints) && taints.length === 0 && Object.getPrototypeOf(taints) === Array.prototype;
}

function placementSig(json: string, labels: unknown, taints: unknown): PlacementSig {
  if (!isSimpleLabels(labels) || !isNoTaints(taints)) return { json, keys: undefined, vals: [] };
  const keys: string[] = [], vals: string[] = [];
  for (const k of Object.keys(labels)) {
    const v = labels[k];
    if (typeof v !== 'string') return { json, keys: undefined, vals: [] };
    keys.push(k);
    vals.push(v);
  }
  return { json, keys, vals };
}

/** Whether labels and taints are, without serialising them, known to give the JSON text of `prev`. */
function sameSimplePlacement(prev: PlacementSig, labels: unknown, taints: unknown): boolean {
  const keys = prev.keys;
  if (keys === undefined || !isNoTaints(taints) || !isSimpleLabels(labels)) return false;
  const vals = prev.vals;
  let i = 0;
  for (const k in labels) {
    if (!Object.prototype.hasOwnProperty.call(labels, k)) return false;
    if (i >= keys.length || k !== keys[i] || labels[k] !== vals[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** Handle of the running DaemonSet controller. */
export interface DaemonSetController {
  queue: WorkQueue;
}

/** Starts the DaemonSet controller. */
export function startDaemonSetController(ctx: SimContext): DaemonSetController {
  const queue = new WorkQueue(ctx, COMPONENT, (key) => syncDaemonSet(ctx, key, queue), { endOfInstant: true });
  ctx.store.watch('DaemonSet', (_t, ds) => queue.add(keyOf(ds)));
  // Only node changes that can change placement (labels, taints; adds and removals) re-sync every set:
  // heartbeats do not.
  const seen = new Map<string, PlacementSig>();
  ctx.store.watch('Node', (type, node) => {
    const name = node.metadata.name;
    if (type !== 'DELETED') {
      const labels: unknown = node.metadata.labels ?? NO_LABELS;
      const taints: unknown = node.spec?.taints ?? NO_TAINTS;
      const prev = seen.get(name);
      if (prev !== undefined && sameSimplePlacement(prev, labels, taints)) return;
      const sig = JSON.stringify([labels, taints]);
      const next = placementSig(sig, labels, taints);
      if (prev !== undefined && prev.json === sig) {
        seen.set(name, next);
        return;
      }
      seen.set(name, next);
    } else seen.delete(name);
    for (const ds of ctx.store.list('DaemonSet')) queue.add(keyOf(ds));
  });
  watchControlledPods(ctx, 'DaemonSet', queue);
  return { queue };
}

/** AddOrUpdateDaemonPodTolerations: the tolerations every DaemonSet pod gets. */
export function addDaemonPodTolerations(spec: Record<string, any>): void {
  const tols: Toleration[] = spec.tolerations ?? [];
  const add = (t: Toleration) => {
    const i = tols.findIndex((x) => x.key === t.key && x.effect === t.effect);
    if (i >= 0) {
      if (deepEqual(tols[i], t)) return;
      tols[i] = t;
    } else tols.push(t);
  };
  add({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
  add({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' });
  add({ key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' });
  add({ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' });
  add({ key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' });
  add({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
  if (spec.hostNetwork) add({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  spec.tolerations = tols;
}

/** Whether a node selector requirement holds for a node (labels, or fields for matchFields). */
function requirementHolds(r: any, values: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, r.key);
  const v = values[r.key];
  const list: string[] = r.values ?? [];
  switch (r.operator) {
    case 'In': return has && list.includes(v!);
    case 'NotIn': return !has || !list.includes(v!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': return has && Number(v) > Number(list[0]);
    case 'Lt': return has && Number(v) < Number(list[0]);
    default: return false;
  }
}

/** Whether a node satisfies a required NodeSelector (terms OR-ed; a term's requirements AND-ed). */
export function nodeSelectorMatches(nodeSelector: any, node: KObject): boolean {
  const terms: any[] = nodeSelector?.nodeSelectorTerms ?? [];
  if (!terms.length) return false;
  const labels = node.metadata.labels ?? {};
  const fields = { 'metadata.name': node.metadata.name };
  return terms.some((t) => {
    const exprs: any[] = t.matchExpressions ?? [];
    const fs: any[] = t.matchFields ?? [];
    if (!exprs.length && !fs.length) return false;
    return exprs.every((r) => requirementHolds(r, labels)) && fs.every((r) => requirementHolds(r, fields));
  });
}

/**
 * NodeShouldRunDaemonPod: `shouldRun` (a pod should be created there) and `shouldContinueRunning` (an existing
 * pod may stay: NoSchedule taints do not evict).
 */
export function nodeShouldRunDaemonPod(node: KObject, podSpec: Record<string, any>): { shouldRun: boolean; shouldContinueRunning: boolean } {
  if (podSpec.nodeName && podSpec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  const sel: Record<string, string> | undefined = podSpec.nodeSelector;
  if (sel && !selectorMatches({ matchLabels: sel }, node.metadata.labels)) return { shouldRun: false, shouldContinueRunning: false };
  const req = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req && !nodeSelectorMatches(req, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints: Taint[] = node.spec?.taints ?? [];
  const tols: Toleration[] = podSpec.tolerations ?? [];
  let shouldRun = true, cont = true;
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (taintTolerated(tols, taint)) continue;
    shouldRun = false;
    if (taint.effect === 'NoExecute') cont = false;
  }
  return { shouldRun, shouldContinueRunning: cont };
}

/** The pod spec a DaemonSet creates for a node: tolerations and the node-name affinity term. */
export function daemonPodSpec(ds: KObject, nodeName: string): Record<string, any> {
  const spec = clone(ds.spec?.template?.spec ?? {});
  addDaemonPodTolerations(spec);
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  spec.affinity ??= {};
  spec.affinity.nodeAffinity ??= {};
  spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
  return spec;
}

/** NewPod(ds, node) for the predicates: the template's spec plus the automatic tolerations. */
function predicateSpec(ds: KObject): Record<string, any> {
  const spec = clone(ds.spec?.template?.spec ?? {});
  addDaemonPodTolerations(spec);
  return spec;
}

function templateHash(ds: KObject): string {
  return computeHash(ds.spec?.template, ds.status?.collisionCount || undefined);
}

function created(p: KObject): number {
  return fromTime(p.metadata.creationTimestamp ?? '') ?? 0;
}

/** Reconciles one DaemonSet. */
export function syncDaemonSet(ctx: SimContext, key: string, queue: WorkQueue): void {
  const { namespace, name } = splitKey(key);
  const ds = ctx.store.get('DaemonSet', namespace, name);
  if (!ds) return;
  const now = ctx.now();
  const hash = templateHash(ds);
  claimObjects(ctx, ds, 'Pod', ds.spec?.selector);
  const byNode = daemonPodsByNode(ctx, ds);
  const nodes = ctx.store.list('Node');
  const templateSpec = predicateSpec(ds);
  const minReady = intOr(ds.spec?.minReadySeconds, 0);
  const surgeAllowed = isRolling(ds) && maxSurge(ds, nodes.length) > 0;
  const toCreate: string[] = [];
  const toDelete: KObject[] = [];
  const failedEvents: string[] = [];
  const deleting = !!ds.metadata.deletionTimestamp;
  if (!deleting) {
    for (const node of nodes) {
      const nn = node.metadata.name;
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, templateSpec);
      const list = (byNode.get(nn) ?? []).slice().sort((a, b) => created(a) - created(b));
      if (shouldRun) {
        const running: KObject[] = [];
        for (const p of list) {
          if (p.metadata.deletionTimestamp) continue;
          if (p.status?.phase === 'Failed') {
            failedEvents.push(ctx.msg.dsFailedDaemonPod(p.metadata.namespace ?? 'default', p.metadata.name, nn));
            toDelete.push(p);
          } else if (p.status?.phase === 'Succeeded') toDelete.push(p);
          else running.push(p);
        }
        if (!surgeAllowed) {
          if (running.length === 0) toCreate.push(nn);
          else toDelete.push(...running.slice(1));
        } else {
          if (running.length === 0) toCreate.push(nn);
          else {
            const updated = running.filter((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash);
            const old = running.filter((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] !== hash);
            const keepNew = updated.find((p) => podAvailability(p, minReady, now).available) ?? updated[0];
            for (const p of updated) if (p !== keepNew) toDelete.push(p);
            if (keepNew && podAvailability(keepNew, minReady, now).available) toDelete.push(...old);
            else toDelete.push(...old.slice(1));
          }
        }
      } else if (!shouldContinueRunning) {
        for (const p of list) if (!p.metadata.deletionTimestamp) toDelete.push(p);
      }
    }
  }
  for (const m of failedEvents) ctx.recorder.record(ds, 'Warning', 'FailedDaemonPod', m, COMPONENT);
  const failed = syncNodes(ctx, ds, toDelete, toCreate, hash);
  // processNextWorkItem: a failed sync is retried rate-limited.
  if (failed) queue.addRateLimited(key);
  else queue.forget(key);
  if (!deleting && isRolling(ds) && toCreate.length === 0 && toDelete.length === 0) rollingUpdate(ctx, ds, nodes, hash, queue);
  updateStatus(ctx, ds, nodes, hash, queue);
}

/** getNodesToDaemonPods: the set's pods by target node (nodeName or the affinity term), terminal deleted ones skipped. */
function daemonPodsByNode(ctx: SimContext, ds: KObject): Map<string, KObject[]> {
  const byNode = new Map<string, KObject[]>();
  for (const p of ctx.store.dependents(ds.metadata.uid!)) {
    if (p.kind !== 'Pod' || getControllerOf(p)?.uid !== ds.metadata.uid) continue;
    if (p.metadata.deletionTimestamp && (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded')) continue;
    const n: string | undefined = p.spec?.nodeName || nodeOfAffinity(p);
    if (!n) continue;
    let l = byNode.get(n);
    if (!l) byNode.set(n, (l = []));
    l.push(p);
  }
  return byNode;
}

function nodeOfAffinity(p: KObject): string | undefined {
  const terms = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const f = terms?.[0]?.matchFields?.[0];
  return f?.key === 'metadata.name' && f.operator === 'In' ? f.values?.[0] : undefined;
}

function isRolling(ds: KObject): boolean {
  return (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function maxSurge(ds: KObject, n: number): number {
  return scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxSurge, n, true, 0);
}

function maxUnavailable(ds: KObject, n: number): number {
  const ru = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  const surge = maxSurge(ds, n);
  let u = scaledValue(ru.maxUnavailable, n, true, surge > 0 ? 0 : 1);
  if (surge === 0 && u === 0) u = 1;
  return u;
}

/** Creates and deletes daemon pods; returns whether a create failed (the sync then fails and is retried). */
function syncNodes(ctx: SimContext, ds: KObject, toDelete: KObject[], toCreate: string[], hash: string): boolean {
  let failed = false;
  for (const nn of toCreate) {
    const pod = podFromTemplate(ds.spec.template, ds, { generateName: `${ds.metadata.name}-` });
    pod.spec = daemonPodSpec(ds, nn);
    pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [CONTROLLER_REVISION_HASH]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) };
    const r = ctx.api.create(pod, { by: COMPONENT });
    if (!r.ok) {
      ctx.recorder.record(ds, 'Warning', 'FailedCreate', ctx.msg.errorCreating(r.error.message), COMPONENT);
      failed = true;
      break;
    }
    ctx.recorder.record(ds, 'Normal', 'SuccessfulCreate', ctx.msg.createdPod(r.value.metadata.name), COMPONENT);
  }
  for (const p of toDelete) {
    const r = ctx.api.delete(p, { by: COMPONENT });
    if (r.ok) ctx.recorder.record(ds, 'Normal', 'SuccessfulDelete', ctx.msg.deletedPod(p.metadata.name), COMPONENT);
  }
  return failed;
}

/** rollingUpdate (update.go), both the maxSurge = 0 and the surge branch. */
function rollingUpdate(ctx: SimContext, ds: KObject, nodes: KObject[], hash: string, queue: WorkQueue): void {
  const now = ctx.now();
  const minReady = intOr(ds.spec?.minReadySeconds, 0);
  const templateSpec = predicateSpec(ds);
  const eligible = nodes.filter((n) => nodeShouldRunDaemonPod(n, templateSpec).shouldRun);
  const desired = eligible.length;
  const surge = maxSurge(ds, desired);
  const unavailableMax = maxUnavailable(ds, desired);
  const byNode = daemonPodsByNode(ctx, ds);
  const podsOf = (nn: string) => (byNode.get(nn) ?? []).filter((p) => !p.metadata.deletionTimestamp);
  let wait: number | undefined;
  const avail = (p: KObject) => {
    const a = podAvailability(p, minReady, now);
    if (!a.available && a.wait !== undefined) wait = wait === undefined ? a.wait : Math.min(wait, a.wait);
    return a.available;
  };
  if (surge === 0) {
    let numUnavailable = 0;
    const allowed: KObject[] = [], candidates: KObject[] = [];
    for (const n of eligible) {
      const pods = podsOf(n.metadata.name);
      const newPod = pods.find((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash);
      const oldPod = pods.find((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] !== hash);
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) { if (!avail(newPod)) numUnavailable++; }
      else if (oldPod) {
        if (!avail(oldPod)) allowed.push(oldPod);
        else if (numUnavailable < unavailableMax) candidates.push(oldPod);
      }
    }
    const remaining = Math.min(Math.max(0, unavailableMax - numUnavailable), candidates.length);
    syncNodes(ctx, ds, [...allowed, ...candidates.slice(0, remaining)], [], hash);
  } else {
    let numSurge = 0;
    const allowedNew: string[] = [], candidateNew: string[] = [], oldToDelete: KObject[] = [];
    for (const n of eligible) {
      const pods = podsOf(n.metadata.name);
      const newPod = pods.find((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash);
      const oldPod = pods.find((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] !== hash);
      if (!oldPod) continue;
      if (!newPod) {
        if (!avail(oldPod)) allowedNew.push(n.metadata.name);
        else if (numSurge < surge) candidateNew.push(n.metadata.name);
      } else if (!avail(newPod)) numSurge++;
      else oldToDelete.push(oldPod);
    }
    const remaining = Math.min(Math.max(0, surge - numSurge), candidateNew.length);
    syncNodes(ctx, ds, oldToDelete, [...allowedNew, ...candidateNew.slice(0, remaining)], hash);
  }
  if (wait !== undefined) queue.addAfter(keyOf(ds), wait);
}

function updateStatus(ctx: SimContext, ds: KObject, nodes: KObject[], hash: string, queue: WorkQueue): void {
  const now = ctx.now();
  const minReady = intOr(ds.spec?.minReadySeconds, 0);
  const templateSpec = predicateSpec(ds);
  let desired = 0, current = 0, mis = 0, ready = 0, available = 0, updated = 0;
  let wait: number | undefined;
  const byNode = daemonPodsByNode(ctx, ds);
  for (const n of nodes) {
    const pods = (byNode.get(n.metadata.name) ?? []).slice().sort((a, b) => created(a) - created(b));
    const { shouldRun } = nodeShouldRunDaemonPod(n, templateSpec);
    if (shouldRun) {
      desired++;
      if (pods.length) {
        current++;
        const p = pods[0]!;
        if (isPodReady(p)) {
          ready++;
          const a = podAvailability(p, minReady, now);
          if (a.available) available++;
          else if (a.wait !== undefined) wait = wait === undefined ? a.wait : Math.min(wait, a.wait);
        }
        if (p.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash) updated++;
      }
    } else if (pods.length) mis++;
  }
  const next: any = { currentNumberScheduled: current, numberMisscheduled: mis, desiredNumberScheduled: desired, numberReady: ready };
  if (ds.metadata.generation) next.observedGeneration = ds.metadata.generation;
  if (updated) next.updatedNumberScheduled = updated;
  if (available) next.numberAvailable = available;
  if (desired - available > 0) next.numberUnavailable = desired - available;
  if (ds.status?.collisionCount !== undefined) next.collisionCount = ds.status.collisionCount;
  if (ds.status?.conditions) next.conditions = ds.status.conditions;
  if (!deepEqual(ds.status ?? {}, next)) {
    ds.status = next;
    ctx.store.update(ds);
  }
  if (wait !== undefined) queue.addAfter(keyOf(ds), wait);
}
