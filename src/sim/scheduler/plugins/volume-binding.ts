/**
 * VolumeBinding (k/k framework/plugins/volumebinding): PVCs must exist; unbound Immediate claims reject at
 * PreFilter; bound PVs' node affinity must match; WaitForFirstConsumer claims need an available matching PV on
 * the node or a provisioner. PreBind binds the chosen PV (or provisions one at once) and records the node.
 */
import type { KObject } from '../../../k8s/types.js';
import { value } from '../../../k8s/quantity.js';
import type { Defaults } from '../../defaults.js';
import {
  Code, SKIP, Status, SUCCESS, unresolvable, type BindPlugin, type CycleState, type FilterPlugin, type PluginHandle,
  type PreFilterPlugin, type PreFilterResult,
} from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { nodeSelectorTermMatches } from './node-affinity.js';

/** Reason texts. */
export const ERR_REASON_BINDING = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';

interface State {
  bound: KObject[];
  toBind: KObject[];
  /** Per node: claim name -> chosen PV (undefined: provision). */
  choices: Map<string, Map<string, KObject | undefined>>;
}

/** The claim names a pod uses. */
export function podClaimNames(pod: KObject): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
  return out;
}

/** Whether a PV's required node affinity matches the node. */
export function pvNodeAffinityMatches(pv: KObject, node: NodeInfo): boolean {
  const req = pv.spec?.nodeAffinity?.required;
  if (!req) return true;
  return (req.nodeSelectorTerms ?? []).some((t: any) => nodeSelectorTermMatches(t, node.labels, node.name));
}

/** The VolumeBinding plugin. */
export class VolumeBinding implements PreFilterPlugin, FilterPlugin, BindPlugin {
  readonly name = 'VolumeBinding';
  constructor(private readonly h: PluginHandle, private readonly d: Defaults) {}

  private storageClass(pvc: KObject): KObject | undefined {
    const name: string | undefined = pvc.spec?.storageClassName;
    if (name) return this.h.ctx.store.get('StorageClass', undefined, name);
    return this.h.ctx.store.list('StorageClass').find((sc) => sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
  }

  /** Sorts the pod's claims into bound and to-bind; rejects missing and unbound Immediate ones. */
  preFilter(s: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult } {
    const names = podClaimNames(pod.pod);
    if (names.length === 0) {
      s.write('VolumeBinding/skip', true);
      return { status: SKIP };
    }
    const st: State = { bound: [], toBind: [], choices: new Map() };
    let unboundImmediate = false;
    for (const n of names) {
      const pvc = this.h.ctx.store.get('PersistentVolumeClaim', pod.namespace, n);
      if (!pvc) return { status: unresolvable(`persistentvolumeclaim "${n}" not found`) };
      if (pvc.metadata.deletionTimestamp) return { status: unresolvable(`persistentvolumeclaim "${n}" is being deleted`) };
      if (pvc.spec?.volumeName) st.bound.push(pvc);
      else if (this.storageClass(pvc)?.volumeBindingMode === 'WaitForFirstConsumer') st.toBind.push(pvc);
      else unboundImmediate = true;
    }
    if (unboundImmediate) return { status: unresolvable(ERR_REASON_UNBOUND_IMMEDIATE) };
    s.write('VolumeBinding', st);
    return { status: SUCCESS };
  }

  /** PV node affinity of bound claims; an available PV or a provisioner for the others. */
  filter(s: CycleState, _pod: PodInfo, node: NodeInfo): Status {
    if (s.read('VolumeBinding/skip')) return SUCCESS;
    const st = s.read<State>('VolumeBinding');
    if (!st) return SUCCESS;
    const reasons: string[] = [];
    for (const pvc of st.bound) {
      const pv = this.h.ctx.store.get('PersistentVolume', undefined, pvc.spec.volumeName);
      if (!pv) return unresolvable(ERR_REASON_PV_NOT_EXIST);
      if (!pvNodeAffinityMatches(pv, node)) {
        reasons.push(this.d.volumeNodeAffinityReason);
        break;
      }
    }
    const choice = new Map<string, KObject | undefined>();
    const taken = new Set<string>();
    let cannotBind = false;
    for (const pvc of st.toBind) {
      const pv = this.findPV(pvc, node, taken);
      if (pv) {
        taken.add(pv.metadata.name);
        choice.set(pvc.metadata.name, pv);
        continue;
      }
      const sc = this.storageClass(pvc);
      if (sc && sc.provisioner && sc.provisioner !== 'kubernetes.io/no-provisioner') {
        choice.set(pvc.metadata.name, undefined);
        continue;
      }
      cannotBind = true;
    }
    if (cannotBind) reasons.push(ERR_REASON_BINDING);
    if (reasons.length) return new Status(Code.UnschedulableAndUnresolvable, reasons);
    st.choices.set(node.name, choice);
    return SUCCESS;
  }

  private findPV(pvc: KObject, node: NodeInfo, taken: Set<string>): KObject | undefined {
    const want = value(pvc.spec?.resources?.requests?.storage ?? 0);
    const cls = pvc.spec?.storageClassName ?? '';
    const modes: string[] = pvc.spec?.accessModes ?? [];
    let best: KObject | undefined, bestSize = Infinity;
    for (const pv of this.h.ctx.store.list('PersistentVolume')) {
      if (taken.has(pv.metadata.name) || pv.metadata.deletionTimestamp) continue;
      const ref = pv.spec?.claimRef;
      if (ref && !(ref.name === pvc.metadata.name && ref.namespace === pvc.metadata.namespace)) continue;
      if ((pv.spec?.storageClassName ?? '') !== cls) continue;
      if (pv.status?.phase && pv.status.phase !== 'Available' && !ref) continue;
      const size = value(pv.spec?.capacity?.storage ?? 0);
      if (size < want) continue;
      const pvModes: string[] = pv.spec?.accessModes ?? [];
      if (!modes.every((m) => pvModes.includes(m))) continue;
      if (!pvNodeAffinityMatches(pv, node)) continue;
      if (size < bestSize) {
        best = pv;
        bestSize = size;
      }
    }
    return best;
  }

  /** Binds the chosen PVs (or provisions at once) for WaitForFirstConsumer claims. */
  preBind(s: CycleState, pod: PodInfo, nodeName: string): Status {
    const st = s.read<State>('VolumeBinding');
    if (!st || st.toBind.length === 0) return SUCCESS;
    const choice = st.choices.get(nodeName) ?? new Map<string, KObject | undefined>();
    const store = this.h.ctx.store;
    for (const pvc of st.toBind) {
      if (pvc.spec?.volumeName) continue;
      let pv = choice.get(pvc.metadata.name);
      pvc.metadata.annotations = { ...(pvc.metadata.annotations ?? {}), 'volume.kubernetes.io/selected-node': nodeName };
      if (!pv) {
        const r = this.h.ctx.api.create({
          apiVersion: 'v1', kind: 'PersistentVolume',
          metadata: { name: `pvc-${pvc.metadata.uid ?? pvc.metadata.name}` },
          spec: {
            capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
            accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
            persistentVolumeReclaimPolicy: this.storageClass(pvc)?.reclaimPolicy ?? 'Delete',
            storageClassName: pvc.spec?.storageClassName ?? '',
            nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] }] }] } },
          },
        }, { by: 'default-scheduler' });
        if (!r.ok) return new Status(Code.Error, [r.error.message]);
        pv = r.value;
      }
      pv.spec.claimRef = { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1' };
      pv.status = { ...(pv.status ?? {}), phase: 'Bound' };
      store.update(pv);
      pvc.spec.volumeName = pv.metadata.name;
      pvc.status = { ...(pvc.status ?? {}), phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity };
      store.update(pvc);
    }
    void pod;
    return SUCCESS;
  }
}
