/**
 * Storage: the PersistentVolume controller (k/k pkg/controller/volume/persistentvolume/pv_controller.go) binding
 * Immediate claims to the smallest matching Available volume (capacity, access modes, storageClassName,
 * selector) or provisioning `pvc-<uid>` for classes with a provisioner, releasing and reclaiming volumes whose
 * claims go; the DefaultStorageClass and StorageObjectInUseProtection admission plugins; and the
 * pvc-protection / pv-protection finalizer controllers. WaitForFirstConsumer claims are bound by the
 * scheduler's VolumeBinding plugin once it records `volume.kubernetes.io/selected-node`.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { value } from '../../k8s/quantity.js';
import { selectorMatches } from '../../k8s/match.js';
import { WorkQueue, isPodTerminal, keyOf, splitKey } from './common.js';

const COMPONENT = 'persistentvolume-controller';
/** Events already emitted per claim uid and reason (the controller does not repeat a waiting event per sync). */
const emitted = new WeakMap<SimContext, Set<string>>();

function recordOnce(ctx: SimContext, pvc: KObject, type: 'Normal' | 'Warning', reason: string, msg: string, component = COMPONENT): void {
  let s = emitted.get(ctx);
  if (!s) emitted.set(ctx, (s = new Set()));
  const k = `${pvc.metadata.uid}/${reason}/${msg}`;
  if (s.has(k)) return;
  s.add(k);
  ctx.recorder.record(pvc, type, reason, msg, component);
}
/** Finalizer protecting claims in use. */
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
/** Finalizer protecting bound volumes. */
export const PV_PROTECTION = 'kubernetes.io/pv-protection';
/** Annotation the scheduler sets on WaitForFirstConsumer claims. */
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

function defaultClass(ctx: SimContext): KObject | undefined {
  return ctx.store.list('StorageClass').filter((sc) => sc.metadata.annotations?.[DEFAULT_CLASS] === 'true').pop();
}

function classOf(ctx: SimContext, pvc: KObject): KObject | undefined {
  const n: string | undefined = pvc.spec?.storageClassName;
  return n ? ctx.store.get('StorageClass', undefined, n) : undefined;
}

/** Installs storage admission and starts the volume controllers. */
export function startVolumeControllers(ctx: SimContext): void {
  ctx.api.registerAdmission((op, obj) => {
    if (op !== 'create') return undefined;
    if (obj.kind === 'PersistentVolumeClaim') {
      obj.spec ??= {};
      if (obj.spec.storageClassName === undefined) {
        const sc = defaultClass(ctx);
        if (sc) obj.spec.storageClassName = sc.metadata.name;
      }
      obj.spec.volumeMode ??= 'Filesystem';
      if (!obj.metadata.finalizers?.includes(PVC_PROTECTION)) obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), PVC_PROTECTION];
      obj.status ??= { phase: 'Pending' };
    } else if (obj.kind === 'PersistentVolume') {
      obj.spec ??= {};
      obj.spec.persistentVolumeReclaimPolicy ??= 'Retain';
      obj.spec.volumeMode ??= 'Filesystem';
      if (!obj.metadata.finalizers?.includes(PV_PROTECTION)) obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), PV_PROTECTION];
      obj.status ??= { phase: obj.spec.claimRef ? 'Bound' : 'Available' };
    } else if (obj.kind === 'StorageClass') {
      obj.reclaimPolicy ??= 'Delete';
      obj.volumeBindingMode ??= 'Immediate';
    }
    return undefined;
  });
  const claims = new WorkQueue(ctx, COMPONENT, (key) => syncClaim(ctx, key));
  const volumes = new WorkQueue(ctx, `${COMPONENT}/volumes`, (name) => syncVolume(ctx, name));
  ctx.store.watch('PersistentVolumeClaim', (type, pvc) => {
    claims.add(keyOf(pvc));
    if (pvc.spec?.volumeName) volumes.add(pvc.spec.volumeName);
    if (type === 'DELETED') for (const pv of ctx.store.list('PersistentVolume')) if (pv.spec?.claimRef?.uid === pvc.metadata.uid) volumes.add(pv.metadata.name);
  });
  ctx.store.watch('PersistentVolume', (_t, pv) => {
    volumes.add(pv.metadata.name);
    // A new volume may satisfy waiting claims.
    for (const pvc of ctx.store.list('PersistentVolumeClaim')) if (!pvc.spec?.volumeName) claims.add(keyOf(pvc));
  });
  ctx.store.watch('StorageClass', () => {
    for (const pvc of ctx.store.list('PersistentVolumeClaim')) if (!pvc.spec?.volumeName) claims.add(keyOf(pvc));
  });
  // pvc-protection: a deleted claim goes once no non-terminal pod uses it.
  ctx.store.watch('Pod', (type, pod) => {
    if (type !== 'DELETED' && !isPodTerminal(pod)) return;
    for (const v of (pod.spec?.volumes ?? []) as any[]) {
      const n = v.persistentVolumeClaim?.claimName;
      if (n) claims.add(`${pod.metadata.namespace}/${n}`);
    }
  });
}

function claimInUse(ctx: SimContext, pvc: KObject): boolean {
  return ctx.store.list('Pod', pvc.metadata.namespace).some((p) => !isPodTerminal(p) &&
    ((p.spec?.volumes ?? []) as any[]).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name));
}

/** Reconciles one claim: protection finalizer, Immediate binding and provisioning. */
export function syncClaim(ctx: SimContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const pvc = ctx.store.get('PersistentVolumeClaim', namespace, name);
  if (!pvc) return;
  if (pvc.metadata.deletionTimestamp) {
    if (pvc.metadata.finalizers?.includes(PVC_PROTECTION) && !claimInUse(ctx, pvc)) ctx.api.removeFinalizer(pvc, PVC_PROTECTION);
    return;
  }
  if (pvc.spec?.volumeName) {
    const pv = ctx.store.get('PersistentVolume', undefined, pvc.spec.volumeName);
    if (pv && pvc.status?.phase !== 'Bound') bind(ctx, pv, pvc);
    if (!pv && pvc.status?.phase !== 'Lost') {
      pvc.status = { ...(pvc.status ?? {}), phase: 'Lost' };
      ctx.store.update(pvc);
      ctx.recorder.record(pvc, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', COMPONENT);
    }
    return;
  }
  const sc = classOf(ctx, pvc);
  const scName: string = pvc.spec?.storageClassName ?? '';
  if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.metadata.annotations?.[SELECTED_NODE]) {
    recordOnce(ctx, pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', COMPONENT);
    return;
  }
  const pv = findVolume(ctx, pvc);
  if (pv) {
    bind(ctx, pv, pvc);
    return;
  }
  const provisioner: string | undefined = typeof sc?.provisioner === 'string' ? sc.provisioner : undefined;
  if (sc && provisioner && provisioner !== 'kubernetes.io/no-provisioner') {
    const r = ctx.api.create({
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: `pvc-${pvc.metadata.uid}`, annotations: { 'pv.kubernetes.io/provisioned-by': provisioner } },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: scName,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        claimRef: { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1' },
      },
    }, { by: provisioner });
    if (!r.ok) {
      ctx.recorder.record(pvc, 'Warning', 'ProvisioningFailed', r.error.message, COMPONENT);
      return;
    }
    ctx.recorder.record(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${r.value.metadata.name}`, provisioner);
    bind(ctx, r.value, pvc);
    return;
  }
  const text = scName ? `storageclass.storage.k8s.io "${scName}" not found` : 'no persistent volumes available for this claim and no storage class is set';
  if (scName && sc) recordOnce(ctx, pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', COMPONENT);
  else recordOnce(ctx, pvc, scName ? 'Warning' : 'Normal', scName ? 'ProvisioningFailed' : 'FailedBinding', text);
}

function findVolume(ctx: SimContext, pvc: KObject): KObject | undefined {
  const want = value(pvc.spec?.resources?.requests?.storage ?? 0);
  const cls: string = pvc.spec?.storageClassName ?? '';
  const modes: string[] = pvc.spec?.accessModes ?? [];
  let best: KObject | undefined, bestSize = Infinity;
  for (const pv of ctx.store.list('PersistentVolume')) {
    if (pv.metadata.deletionTimestamp) continue;
    const ref = pv.spec?.claimRef;
    if (ref && !(ref.name === pvc.metadata.name && ref.namespace === pvc.metadata.namespace && (!ref.uid || ref.uid === pvc.metadata.uid))) continue;
    if (!ref && pv.status?.phase && pv.status.phase !== 'Available' && pv.status.phase !== 'Pending') continue;
    if ((pv.spec?.storageClassName ?? '') !== cls) continue;
    if (pvc.spec?.selector && !selectorMatches(pvc.spec.selector, pv.metadata.labels)) continue;
    const size = value(pv.spec?.capacity?.storage ?? 0);
    if (size < want) continue;
    const pvModes: string[] = pv.spec?.accessModes ?? [];
    if (!modes.every((m) => pvModes.includes(m))) continue;
    if (ref) return pv;
    if (size < bestSize) {
      best = pv;
      bestSize = size;
    }
  }
  return best;
}

function bind(ctx: SimContext, pv: KObject, pvc: KObject): void {
  pv.spec.claimRef = { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion };
  pv.metadata.annotations = { ...(pv.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' };
  pv.status = { ...(pv.status ?? {}), phase: 'Bound' };
  ctx.store.update(pv);
  pvc.spec.volumeName = pv.metadata.name;
  pvc.metadata.annotations = { ...(pvc.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' };
  pvc.status = { ...(pvc.status ?? {}), phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity };
  ctx.store.update(pvc);
}

/** Reconciles one volume: release and reclaim when its claim is gone; pv-protection. */
export function syncVolume(ctx: SimContext, name: string): void {
  const pv = ctx.store.get('PersistentVolume', undefined, name);
  if (!pv) return;
  const ref = pv.spec?.claimRef;
  if (!ref && (pv.status?.phase === undefined || pv.status.phase === 'Pending') && !pv.metadata.deletionTimestamp) {
    pv.status = { ...(pv.status ?? {}), phase: 'Available' };
    ctx.store.update(pv);
  }
  if (ref && pv.status?.phase === 'Bound') {
    const pvc = ctx.store.get('PersistentVolumeClaim', ref.namespace, ref.name);
    if (!pvc || (ref.uid && pvc.metadata.uid !== ref.uid)) {
      if (pv.spec.persistentVolumeReclaimPolicy === 'Delete') {
        pv.status = { ...(pv.status ?? {}), phase: 'Released' };
        ctx.store.update(pv);
        ctx.api.delete(pv, { by: COMPONENT });
        return;
      } else {
        pv.status = { ...(pv.status ?? {}), phase: 'Released' };
        ctx.store.update(pv);
      }
    }
  }
  if (pv.metadata.deletionTimestamp && pv.metadata.finalizers?.includes(PV_PROTECTION) && pv.status?.phase !== 'Bound') {
    ctx.api.removeFinalizer(pv, PV_PROTECTION);
  }
}
