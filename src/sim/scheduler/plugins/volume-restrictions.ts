/** VolumeRestrictions (k/k framework/plugins/volumerestrictions): ReadWriteOncePod claims in use elsewhere reject at PreFilter. */
import { SUCCESS, unresolvable, type CycleState, type PluginHandle, type PreFilterPlugin, type PreFilterResult, type Status } from '../framework.js';
import type { PodInfo } from '../node-info.js';
import { podClaimNames } from './volume-binding.js';

/** Reason text. */
export const ERR_REASON_RWOP_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

/** The VolumeRestrictions plugin. */
export class VolumeRestrictions implements PreFilterPlugin {
  readonly name = 'VolumeRestrictions';
  constructor(private readonly h: PluginHandle) {}

  /** Rejects when a ReadWriteOncePod claim is used by an assigned pod. */
  preFilter(_s: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult } {
    for (const n of podClaimNames(pod.pod)) {
      const pvc = this.h.ctx.store.get('PersistentVolumeClaim', pod.namespace, n);
      if (!(pvc?.spec?.accessModes ?? []).includes('ReadWriteOncePod')) continue;
      for (const ni of this.h.nodes()) {
        for (const p of ni.pods.values()) {
          if (p.uid !== pod.uid && p.namespace === pod.namespace && podClaimNames(p.pod).includes(n)) {
            return { status: unresolvable(ERR_REASON_RWOP_CONFLICT) };
          }
        }
      }
    }
    return { status: SUCCESS };
  }
}
