/**
 * The StatefulSet controller (k/k pkg/controller/statefulset: stateful_set_control.go, stateful_set_utils.go,
 * stateful_pod_control.go): pods `<set>-<ordinal>` with stable hostname/subdomain, PVCs
 * `<claim>-<set>-<ordinal>` created from volumeClaimTemplates and kept when pods go, OrderedReady (one at a
 * time, waiting for Running and Ready / Available) or Parallel management, scale-down from the highest
 * ordinal, RollingUpdate from the highest ordinal down to the partition (maxUnavailable behind its gate) or
 * OnDelete; a pod is never replaced before the old object is gone.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { clone, deepEqual } from '../../k8s/util.js';
import {
  WorkQueue, claimObjects, computeHash, controllerRef, getControllerOf, intOr, isPodReady, keyOf, podAvailability,
  podFromTemplate, scaledValue, splitKey, watchControlledPods } from './common.js';
import { CONTROLLER_REVISION_HASH } from './daemonset.js';

const COMPONENT = 'statefulset-controller';
/** Label with the pod's name on StatefulSet pods. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** Label with the pod's ordinal (PodIndexLabel). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** Handle of the running StatefulSet controller. */
export interface StatefulSetController {
  queue: WorkQueue;
}

/** Templates seen per set uid and revision name (the ControllerRevision history, kept in memory). */
type History = Map<string, Map<string, any>>;

/** Starts the StatefulSet controller. */
export function startStatefulSetController(ctx: SimContext): StatefulSetController {
  const history: History = new Map();
  const queue = new WorkQueue(ctx, COMPONENT, (key) => syncStatefulSet(ctx, key, queue, history));
  ctx.store.watch('StatefulSet', (type, s) => {
    if (type === 'DELETED') history.delete(s.metadata.uid!);
    queue.add(keyOf(s));
  });
  watchControlledPods(ctx, 'StatefulSet', queue);
  return { queue };
}

function ordinalOf(set: KObject, pod: KObject): number | undefined {
  const prefix = `${set.metadata.name}-`;
  const n = pod.metadata.name;
  if (!n.startsWith(prefix)) return undefined;
  const rest = n.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

function revisionOf(pod: KObject): string | undefined {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH];
}

function isRunningAndReady(p: KObject): boolean {
  return p.status?.phase === 'Running' && isPodReady(p);
}

function claimName(claim: KObject | Record<string, any>, set: KObject, ord: number): string {
  return `${claim.metadata?.name}-${set.metadata.name}-${ord}`;
}

/** Builds the pod of an ordinal from a template revision. */
function newStatefulPod(set: KObject, template: any, revision: string, ord: number): KObject {
  const name = `${set.metadata.name}-${ord}`;
  const pod = podFromTemplate(template, set, { name });
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [CONTROLLER_REVISION_HASH]: revision, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ord) };
  pod.spec.hostname = name;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  const vols: any[] = pod.spec.volumes ?? [];
  for (const ct of (set.spec?.volumeClaimTemplates ?? []) as any[]) {
    const v = { name: ct.metadata?.name, persistentVolumeClaim: { claimName: claimName(ct, set, ord) } };
    const i = vols.findIndex((x) => x.name === v.name);
    if (i >= 0) vols[i] = v;
    else vols.push(v);
  }
  if (vols.length) pod.spec.volumes = vols;
  return pod;
}

/** Reconciles one StatefulSet. */
export function syncStatefulSet(ctx: SimContext, key: string, queue: WorkQueue, history: History): void {
  const { namespace, name } = splitKey(key);
  const set = ctx.store.get('StatefulSet', namespace, name);
  if (!set) return;
  const d = ctx.defaults;
  const now = ctx.now();
  const uid = set.metadata.uid!;
  const updateRevision = `${set.metadata.name}-${computeHash(set.spec?.template, set.status?.collisionCount || undefined)}`;
  let hist = history.get(uid);
  if (!hist) history.set(uid, (hist = new Map()));
  if (!hist.has(updateRevision)) hist.set(updateRevision, clone(set.spec?.template ?? {}));
  const currentRevision: string = set.status?.currentRevision ?? updateRevision;
  const pods = claimObjects(ctx, set, 'Pod', set.spec?.selector, (p) => ordinalOf(set, p) !== undefined);
  const replicaCount = intOr(set.spec?.replicas, 1);
  const start = intOr(set.spec?.ordinals?.start, 0);
  const end = start + replicaCount;
  const minReady = intOr(set.spec?.minReadySeconds, 0);
  const monotonic = (set.spec?.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
  let failed = false;
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  const partition = intOr(set.spec?.updateStrategy?.rollingUpdate?.partition, 0);
  let wait: number | undefined;
  const available = (p: KObject) => {
    if (!isRunningAndReady(p)) return false;
    const a = podAvailability(p, minReady, now);
    if (!a.available && a.wait !== undefined) wait = wait === undefined ? a.wait : Math.min(wait, a.wait);
    return a.available;
  };
  const byOrd = new Map<number, KObject>();
  const condemned: KObject[] = [];
  for (const p of pods) {
    const o = ordinalOf(set, p)!;
    if (o >= start && o < end) byOrd.set(o, p);
    else condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(set, a)! - ordinalOf(set, b)!);
  const templateFor = (ord: number) => {
    // newVersionedStatefulSetPod: ordinals below the partition (or below currentReplicas) keep the current revision.
    const idx = ord - start;
    const useCurrent = rolling && currentRevision !== updateRevision && hist!.has(currentRevision) &&
      (set.spec?.updateStrategy?.rollingUpdate?.partition !== undefined ? idx < partition : idx < intOr(set.status?.currentReplicas, 0));
    return useCurrent ? { template: hist!.get(currentRevision), revision: currentRevision } : { template: set.spec.template, revision: updateRevision };
  };
  const run = (): void => {
    if (set.metadata.deletionTimestamp) return;
    for (let ord = start; ord < end; ord++) {
      let pod = byOrd.get(ord);
      if (pod && !pod.metadata.deletionTimestamp && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')) {
        // processReplica: RecreatingFailedPod (Warning) / RecreatingTerminatedPod (Normal), then the delete.
        const failed = pod.status.phase === 'Failed';
        ctx.recorder.record(set, failed ? 'Warning' : 'Normal', failed ? 'RecreatingFailedPod' : 'RecreatingTerminatedPod',
          ctx.msg.stsRecreatingPod(failed, set.metadata.namespace ?? 'default', set.metadata.name, pod.metadata.name), COMPONENT);
        const r = ctx.api.delete(pod, { by: COMPONENT });
        if (r.ok) ctx.recorder.record(set, 'Normal', 'SuccessfulDelete', ctx.msg.stsDeletePod(pod.metadata.name, set.metadata.name), COMPONENT);
        pod = ctx.store.getByUid(pod.metadata.uid!);
        if (pod) byOrd.set(ord, pod);
        else byOrd.delete(ord);
      }
      if (!pod) {
        const { template, revision } = templateFor(ord);
        const created = createStatefulPod(ctx, set, template, revision, ord);
        if (!created) { failed = true; return; }
        // As upstream's replicas[ord]: the new pod counts below (unavailable in a maxUnavailable budget).
        byOrd.set(ord, created);
        if (monotonic) return;
        continue;
      }
      if (pod.metadata.deletionTimestamp && monotonic) return;
      if (!isRunningAndReady(pod) && monotonic) return;
      if (!available(pod) && monotonic) return;
    }
    const firstUnhealthy = [...byOrd.values(), ...condemned].find((p) => !isRunningAndReady(p) || !!p.metadata.deletionTimestamp);
    for (let i = condemned.length - 1; i >= 0; i--) {
      const p = condemned[i]!;
      if (p.metadata.deletionTimestamp) {
        if (monotonic) return;
        continue;
      }
      if (!isRunningAndReady(p) && monotonic && p !== firstUnhealthy) return;
      deleteStatefulPod(ctx, set, p, true);
      if (monotonic) return;
    }
    if (!rolling) return;
    const replicas: KObject[] = [];
    for (let ord = start; ord < end; ord++) { const p = byOrd.get(ord); if (p) replicas.push(p); }
    if (d.statefulSetMaxUnavailable && set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable !== undefined) {
      const maxU = Math.max(1, scaledValue(set.spec.updateStrategy.rollingUpdate.maxUnavailable, replicaCount, false));
      let unavailable = 0;
      for (const p of replicas) if (p.metadata.deletionTimestamp || !(d.statefulSetMinReadyInUpdate ? available(p) : isRunningAndReady(p))) unavailable++;
      let budget = maxU - unavailable;
      for (let i = replicas.length - 1; i >= partition && budget > 0; i--) {
        const p = replicas[i]!;
        if (revisionOf(p) !== updateRevision && !p.metadata.deletionTimestamp) {
          deleteStatefulPod(ctx, set, p, false);
          budget--;
        }
      }
      return;
    }
    for (let i = replicas.length - 1; i >= partition; i--) {
      const p = replicas[i]!;
      if (revisionOf(p) !== updateRevision && !p.metadata.deletionTimestamp) {
        deleteStatefulPod(ctx, set, p, false);
        return;
      }
      // isHealthy: running and ready (available from 1.34) and not terminating.
      const healthy = (d.statefulSetMinReadyInUpdate ? available(p) : isRunningAndReady(p)) && !p.metadata.deletionTimestamp;
      if (!healthy) return;
    }
  };
  run();
  const after = computeStatus(set, claimObjects(ctx, set, 'Pod', set.spec?.selector, (p) => ordinalOf(set, p) !== undefined), currentRevision, updateRevision, minReady, now);
  if (!deepEqual(set.status ?? {}, after)) {
    set.status = after;
    ctx.store.update(set);
  }
  if (wait !== undefined) queue.addAfter(key, wait);
  // processNextWorkItem: a failed sync (a create the API server refused) is retried rate-limited.
  if (failed) queue.addRateLimited(key);
  else queue.forget(key);
}

/** Creates the pod (and its missing claims); returns the created pod, or undefined when a create failed. */
function createStatefulPod(ctx: SimContext, set: KObject, template: any, revision: string, ord: number): KObject | undefined {
  const podName = `${set.metadata.name}-${ord}`;
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  for (const ct of (set.spec?.volumeClaimTemplates ?? []) as any[]) {
    const cn = claimName(ct, set, ord);
    if (ctx.store.get('PersistentVolumeClaim', set.metadata.namespace, cn)) continue;
    const pvc: KObject = {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name: cn, namespace: set.metadata.namespace, labels: { ...(set.spec?.selector?.matchLabels ?? {}), ...(ct.metadata?.labels ?? {}) } },
      spec: clone(ct.spec ?? {}),
    };
    if (ct.metadata?.annotations) pvc.metadata.annotations = { ...ct.metadata.annotations };
    if (policy.whenDeleted === 'Delete') pvc.metadata.ownerReferences = [controllerRef(set)];
    const r = ctx.api.create(pvc, { by: COMPONENT });
    if (!r.ok) {
      ctx.recorder.record(set, 'Warning', 'FailedCreate', ctx.msg.stsCreateClaimFailed(cn, podName, set.metadata.name, r.error.message), COMPONENT);
      return undefined;
    }
    ctx.recorder.record(set, 'Normal', 'SuccessfulCreate', ctx.msg.stsCreateClaim(cn, podName, set.metadata.name), COMPONENT);
  }
  const pod = newStatefulPod(set, template, revision, ord);
  const r = ctx.api.create(pod, { by: COMPONENT });
  if (!r.ok) {
    ctx.recorder.record(set, 'Warning', 'FailedCreate', ctx.msg.stsCreatePodFailed(podName, set.metadata.name, r.error.message), COMPONENT);
    return undefined;
  }
  ctx.recorder.record(set, 'Normal', 'SuccessfulCreate', ctx.msg.stsCreatePod(podName, set.metadata.name), COMPONENT);
  return r.value;
}

function deleteStatefulPod(ctx: SimContext, set: KObject, pod: KObject, scaleDown: boolean): void {
  if (scaleDown && set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') {
    const ord = ordinalOf(set, pod)!;
    for (const ct of (set.spec?.volumeClaimTemplates ?? []) as any[]) {
      const pvc = ctx.store.get('PersistentVolumeClaim', set.metadata.namespace, claimName(ct, set, ord));
      if (!pvc) continue;
      pvc.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid!, controller: true, blockOwnerDeletion: true }];
      ctx.store.update(pvc);
    }
  }
  const r = ctx.api.delete(pod, { by: COMPONENT });
  if (r.ok) ctx.recorder.record(set, 'Normal', 'SuccessfulDelete', ctx.msg.stsDeletePod(pod.metadata.name, set.metadata.name), COMPONENT);
}

function computeStatus(set: KObject, pods: KObject[], currentRevision: string, updateRevision: string, minReady: number, now: number): any {
  let replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
  for (const p of pods) {
    replicas++;
    if (isRunningAndReady(p)) {
      ready++;
      if (podAvailability(p, minReady, now).available) available++;
    }
    if (!p.metadata.deletionTimestamp) {
      const r = revisionOf(p);
      if (r === currentRevision) current++;
      if (r === updateRevision) updated++;
    }
  }
  let cur = currentRevision;
  const want = intOr(set.spec?.replicas, 1);
  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && updated === replicas && ready === replicas && replicas === want) {
    cur = updateRevision;
    current = updated;
  } else if (currentRevision === updateRevision) current = updated;
  const s: any = { observedGeneration: set.metadata.generation ?? 1, replicas };
  if (ready) s.readyReplicas = ready;
  if (current) s.currentReplicas = current;
  if (updated) s.updatedReplicas = updated;
  s.currentRevision = cur;
  s.updateRevision = updateRevision;
  s.collisionCount = intOr(set.status?.collisionCount, 0);
  s.availableReplicas = available;
  return s;
}
