/** NodeVolumeLimits (k/k framework/plugins/nodevolumelimits): CSI attach limits; simulated nodes publish none, so it never rejects. */
import {
  SKIP, SUCCESS, type CycleState, type FilterPlugin, type PreFilterPlugin, type PreFilterResult, type Status,
} from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';

/** Reason text (kept for completeness). */
export const ERR_REASON_MAX_VOLUME_COUNT = 'node(s) exceed max volume count';

/** In-tree volume sources CSI migration translates (csi-translation-lib), which CSILimits counts. */
const MIGRATABLE = ['awsElasticBlockStore', 'gcePersistentDisk', 'azureDisk', 'azureFile', 'cinder', 'vsphereVolume', 'portworxVolume'];

/** The NodeVolumeLimits plugin (also stands for EBSLimits/GCEPDLimits/AzureDiskLimits in 1.29–1.30). */
export class NodeVolumeLimits implements PreFilterPlugin, FilterPlugin {
  constructor(readonly name: string = 'NodeVolumeLimits') {}
  /**
   * CSILimits.PreFilter: Skip unless the pod has a PVC, generic ephemeral or migratable inline volume
   * (the in-tree EBS/GCE PD/Azure Disk limits of 1.29–1.30 have no PreFilter and are not registered here).
   */
  preFilter(_s: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult } {
    for (const v of (pod.pod.spec?.volumes ?? []) as Array<Record<string, unknown>>) {
      if (v.persistentVolumeClaim || v.ephemeral || MIGRATABLE.some((k) => v[k] !== undefined)) return { status: SUCCESS };
    }
    return { status: SKIP };
  }
  /** Always fits (no CSINode limits are simulated). */
  filter(_s: CycleState, _pod: PodInfo, _node: NodeInfo): Status {
    return SUCCESS;
  }
}
