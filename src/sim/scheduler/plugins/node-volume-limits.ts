/** NodeVolumeLimits (k/k framework/plugins/nodevolumelimits): CSI attach limits; simulated nodes publish none, so it never rejects. */
import { SUCCESS, type CycleState, type FilterPlugin, type Status } from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';

/** Reason text (kept for completeness). */
export const ERR_REASON_MAX_VOLUME_COUNT = 'node(s) exceed max volume count';

/** The NodeVolumeLimits plugin (also stands for EBSLimits/GCEPDLimits/AzureDiskLimits in 1.29–1.30). */
export class NodeVolumeLimits implements FilterPlugin {
  constructor(readonly name: string = 'NodeVolumeLimits') {}
  /** Always fits (no CSINode limits are simulated). */
  filter(_s: CycleState, _pod: PodInfo, _node: NodeInfo): Status {
    return SUCCESS;
  }
}
