/** VolumeZone (k/k framework/plugins/volumezone): bound PVs' zone/region labels must match the node's. */
import { SKIP, SUCCESS, unresolvable, type CycleState, type FilterPlugin, type PluginHandle, type PreFilterPlugin, type PreFilterResult, type Status } from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { podClaimNames } from './volume-binding.js';

/** Reason text. */
export const ERR_REASON_VOLUME_ZONE = 'node(s) had no available volume zone';
const ZONE_KEYS = ['topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/region'];

/** The VolumeZone plugin. */
export class VolumeZone implements PreFilterPlugin, FilterPlugin {
  readonly name = 'VolumeZone';
  constructor(private readonly h: PluginHandle) {}

  /** Collects the zone constraints of bound PVs. */
  preFilter(s: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult } {
    const cons: Array<{ key: string; values: Set<string> }> = [];
    for (const n of podClaimNames(pod.pod)) {
      const pvc = this.h.ctx.store.get('PersistentVolumeClaim', pod.namespace, n);
      const pvName = pvc?.spec?.volumeName;
      if (!pvName) continue;
      const pv = this.h.ctx.store.get('PersistentVolume', undefined, pvName);
      for (const k of ZONE_KEYS) {
        const v = pv?.metadata.labels?.[k];
        if (v !== undefined) cons.push({ key: k, values: new Set(v.split('__')) });
      }
    }
    if (cons.length === 0) return { status: SKIP };
    s.write('VolumeZone', cons);
    return { status: SUCCESS };
  }

  /** Node labels must hold one of each PV's zones. */
  filter(s: CycleState, _pod: PodInfo, node: NodeInfo): Status {
    const cons = s.read<Array<{ key: string; values: Set<string> }>>('VolumeZone');
    if (!cons) return SUCCESS;
    for (const c of cons) {
      const v = node.labels[c.key];
      if (v === undefined) continue;
      if (!c.values.has(v)) return unresolvable(ERR_REASON_VOLUME_ZONE);
    }
    return SUCCESS;
  }
}
