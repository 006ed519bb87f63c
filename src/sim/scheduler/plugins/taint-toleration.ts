/**
 * TaintToleration (k/k framework/plugins/tainttoleration): NoSchedule/NoExecute taints must be tolerated;
 * untolerated PreferNoSchedule taints lower the score (fewest wins, reverse-normalised).
 */
import { taintTolerated, type Taint, type Toleration } from '../../../k8s/match.js';
import type { Messages } from '../../messages.js';
import {
  defaultNormalizeScore, MAX_NODE_SCORE, SUCCESS, unresolvable, type CycleState, type FilterPlugin, 
  type ScorePlugin, type Status,
} from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';

/** ErrReasonNotMatch: no longer the Filter's text (see Messages.taintReason), still the kubelet admission's. */
export const ERR_REASON_NOT_MATCH = "node(s) had taints that the pod didn't tolerate";

/** The number of the node's PreferNoSchedule taints the tolerations do not tolerate. */
function untolerated(tols: readonly Toleration[], node: NodeInfo): number {
  let n = 0;
  for (const t of node.taints as Taint[]) if (t.effect === 'PreferNoSchedule' && !taintTolerated(tols as Toleration[], t)) n++;
  return n;
}

/** The TaintToleration plugin. */
export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = 'TaintToleration';
  constructor(private readonly msg: Pick<Messages, 'taintReason'>) {}

  /** UnschedulableAndUnresolvable at the first untolerated NoSchedule/NoExecute taint (node order). */
  filter(_s: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (node.hardTaints === 0) return SUCCESS;
    const tols: Toleration[] = pod.pod.spec?.tolerations ?? [];
    for (const t of node.taints) {
      if (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') continue;
      if (!taintTolerated(tols, t)) return unresolvable(this.msg.taintReason(t.key, t.value ?? ''));
    }
    return SUCCESS;
  }

  /** Keeps the tolerations that can tolerate PreferNoSchedule (effect empty or PreferNoSchedule). */
  preScore(s: CycleState, pod: PodInfo): Status {
    const tols: Toleration[] = (pod.pod.spec?.tolerations ?? []).filter((t: Toleration) => !t.effect || t.effect === 'PreferNoSchedule');
    s.write('TaintToleration', tols);
    return SUCCESS;
  }

  /** The number of untolerated PreferNoSchedule taints. */
  score(s: CycleState, _pod: PodInfo, node: NodeInfo): number {
    if (node.preferTaints === 0) return 0;
    return untolerated(s.read<Toleration[]>('TaintToleration') ?? [], node);
  }

  /** `score` for every node. */
  scoreNodes(s: CycleState, _pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    const tols = s.read<Toleration[]>('TaintToleration') ?? [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      out[i] = node.preferTaints === 0 ? 0 : untolerated(tols, node);
    }
  }

  /** Reverse normalisation: fewest untolerated taints = 100. */
  normalize(_s: CycleState, _pod: PodInfo, scores: Float64Array): void {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }
}
