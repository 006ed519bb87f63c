/** NodeName (k/k framework/plugins/nodename): a pod naming a node fits only there. */
import { SUCCESS, unresolvable, type CycleState, type FilterPlugin, type Status } from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';

/** Reason text. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** nodename.Fits: the pod names no node, or this one (also the scheduler's preCheckForNode). */
export function nodeNameFits(pod: PodInfo, node: NodeInfo): boolean {
  const want: string | undefined = pod.pod.spec?.nodeName;
  return !want || want === node.name;
}

/** The NodeName plugin. */
export class NodeName implements FilterPlugin {
  readonly name = 'NodeName';
  /** Rejects every node but `spec.nodeName` when set. */
  filter(_s: CycleState, pod: PodInfo, node: NodeInfo): Status {
    return nodeNameFits(pod, node) ? SUCCESS : unresolvable(ERR_REASON_NODE_NAME);
  }
}
