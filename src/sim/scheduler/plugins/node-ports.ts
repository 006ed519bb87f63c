/** NodePorts (k/k framework/plugins/nodeports): host ports must be free on the node. */
import {
  SKIP, SUCCESS, unschedulable, type CycleState, type FilterPlugin, type PreFilterPlugin, type PreFilterResult, type Status,
} from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';

/** Reason text. */
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

/** nodeports.Fits: none of the pod's host ports is taken on the node (also the scheduler's preCheckForNode). */
export function nodePortsFit(pod: PodInfo, node: NodeInfo): boolean {
  for (const hp of pod.ports) if (node.portConflict(hp)) return false;
  return true;
}

/** The NodePorts plugin. */
export class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = 'NodePorts';
  /** Skip for a pod without host ports (nodeports.go PreFilter: "Skip if a pod has no ports"). */
  preFilter(_s: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult } {
    return { status: pod.ports.length === 0 ? SKIP : SUCCESS };
  }
  /** Unschedulable when any wanted host port conflicts. */
  filter(_s: CycleState, pod: PodInfo, node: NodeInfo): Status {
    return nodePortsFit(pod, node) ? SUCCESS : unschedulable(ERR_REASON_NODE_PORTS);
  }
}
