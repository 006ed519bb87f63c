/**
 * NodeAffinity (k/k framework/plugins/nodeaffinity; component-helpers nodeaffinity): nodeSelector AND
 * required node affinity filter; `matchFields metadata.name In` restricts the nodes via a PreFilterResult;
 * preferred terms score the sum of matching weights, normalised so the best node gets 100.
 */
import type { KObject } from '../../../k8s/types.js';
import {
  defaultNormalizeScore, MAX_NODE_SCORE, SKIP, SUCCESS, type Status, unresolvable, type CycleState, type FilterPlugin,
  type PreFilterPlugin, type PreFilterResult, type ScorePlugin,
} from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';

/** Reason texts. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

/** A NodeSelectorRequirement. */
interface Req {
  key: string;
  operator: string;
  values?: string[];
}

function reqMatches(r: Req, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In': return has && vals.includes(v!);
    case 'NotIn': return !has || !vals.includes(v!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || vals.length !== 1) return false;
      const a = Number.parseInt(v!, 10), b = Number.parseInt(vals[0]!, 10);
      if (!Number.isInteger(a) || !Number.isInteger(b) || !/^-?\d+$/.test(v!) || !/^-?\d+$/.test(vals[0]!)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** Whether one NodeSelectorTerm matches (expressions and fields ANDed; an empty term matches nothing). */
export function nodeSelectorTermMatches(term: { matchExpressions?: Req[]; matchFields?: Req[] }, labels: Record<string, string>, name: string): boolean {
  const exprs = term.matchExpressions ?? [], fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!reqMatches(r, labels)) return false;
  for (const r of fields) {
    if (r.key !== 'metadata.name') return false;
    if (!reqMatches(r, { 'metadata.name': name })) return false;
  }
  return true;
}

/** GetRequiredNodeAffinity(pod).Match(node): nodeSelector pairs AND (ORed) required terms. */
export function requiredNodeAffinityMatches(pod: KObject, node: Pick<NodeInfo, 'labels' | 'name'>): boolean {
  const sel: Record<string, string> | undefined = pod.spec?.nodeSelector;
  if (sel) for (const [k, v] of Object.entries(sel)) if (node.labels[k] !== String(v)) return false;
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!req) return true;
  const terms: any[] = req.nodeSelectorTerms ?? [];
  return terms.some((t) => nodeSelectorTermMatches(t, node.labels, node.name));
}

/** The NodeAffinity plugin. */
export class NodeAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'NodeAffinity';

  /** Skip without nodeSelector/required affinity; a PreFilterResult for `matchFields metadata.name In`. */
  preFilter(s: CycleState, pod: PodInfo): { status: Status; result?: PreFilterResult } {
    const spec = pod.pod.spec ?? {};
    const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!req && !spec.nodeSelector) {
      s.write('NodeAffinity/skip', true);
      return { status: SKIP };
    }
    const terms: any[] = req?.nodeSelectorTerms ?? [];
    if (!req || terms.length === 0) return { status: SUCCESS };
    let names: Set<string> | undefined;
    for (const t of terms) {
      let termNames: Set<string> | undefined;
      for (const r of (t.matchFields ?? []) as Req[]) {
        if (r.key === 'metadata.name' && r.operator === 'In') {
          const set = new Set(r.values ?? []);
          termNames = termNames === undefined ? set : new Set([...termNames].filter((x) => set.has(x)));
        }
      }
      if (termNames === undefined) return { status: SUCCESS };
      names ??= new Set();
      for (const n of termNames) names.add(n);
    }
    if (names !== undefined && names.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) };
    if (names && names.size > 0) return { status: SUCCESS, result: { nodeNames: names } };
    return { status: SUCCESS };
  }

  /** UnschedulableAndUnresolvable when nodeSelector or required affinity does not match. */
  filter(s: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (s.read('NodeAffinity/skip')) return SUCCESS;
    return requiredNodeAffinityMatches(pod.pod, node) ? SUCCESS : unresolvable(ERR_REASON_POD);
  }

  /** Skip without preferred terms. */
  preScore(s: CycleState, pod: PodInfo): Status {
    const pref: any[] = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    if (pref.length === 0) return SKIP;
    s.write('NodeAffinity/pref', pref);
    return SUCCESS;
  }

  /** Sum of the weights of matching preferred terms. */
  score(s: CycleState, _pod: PodInfo, node: NodeInfo): number {
    let n = 0;
    for (const p of s.read<any[]>('NodeAffinity/pref') ?? []) {
      const w = Number(p.weight ?? 0);
      if (w !== 0 && nodeSelectorTermMatches(p.preference ?? {}, node.labels, node.name)) n += w;
    }
    return n;
  }

  /** Best node = 100. */
  normalize(_s: CycleState, _pod: PodInfo, scores: Float64Array): void {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }
}

