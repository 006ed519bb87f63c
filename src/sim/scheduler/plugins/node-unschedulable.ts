/** NodeUnschedulable (k/k framework/plugins/nodeunschedulable): cordoned nodes take only pods tolerating the unschedulable taint. */
import { toleratesTaint, type Taint } from '../../../k8s/match.js';
import { SUCCESS, unresolvable, type CycleState, type FilterPlugin, type Status } from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';

/** Reason text. */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** The NodeUnschedulable plugin. */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = 'NodeUnschedulable';
  /** Rejects a cordoned node unless the pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`. */
  filter(_s: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (!node.unschedulable) return SUCCESS;
    const tols = pod.pod.spec?.tolerations ?? [];
    if (tols.some((t: any) => toleratesTaint(t, UNSCHEDULABLE_TAINT))) return SUCCESS;
    return unresolvable(ERR_REASON_UNSCHEDULABLE);
  }
}
