/**
 * DefaultPreemption (k/k framework/plugins/defaultpreemption, framework/preemption): when no node fits,
 * find nodes where evicting lower-priority pods would make room (dry run with reprieve, PDBs respected where
 * possible), pick one (fewest PDB violations, lowest highest-victim priority, smallest priority sum, fewest
 * victims, latest start), delete the victims and nominate the node.
 */
import { selectorMatches, type LabelSelector } from '../../../k8s/match.js';
import type { KObject } from '../../../k8s/types.js';
import type { Defaults } from '../../defaults.js';
import { Code, Status, type CycleState, type NodeStatusMap, type PostFilterPlugin } from '../framework.js';
import { fitErrorMessage } from '../fit-error.js';
import type { NodeInfo, PodInfo } from '../node-info.js';

/** What preemption needs from the scheduler. */
export interface PreemptionHost {
  nodes(): readonly NodeInfo[];
  nodeInfo(name: string): NodeInfo | undefined;
  /** Filters with nominated pods on a (copied) node, with a (copied) cycle state. */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  addPod(state: CycleState, pod: PodInfo, p: PodInfo, node: NodeInfo): void;
  removePod(state: CycleState, pod: PodInfo, p: PodInfo, node: NodeInfo): void;
  pdbs(): KObject[];
  /** Random offset in [0, n). */
  randomInt(n: number): number;
  /** Deletes victims and clears lower nominations; returns false when the API refused. */
  prepareCandidate(pod: PodInfo, node: string, victims: PodInfo[]): boolean;
  /** Start time (ms) of a pod, `now` when unset. */
  startTime(p: PodInfo): number;
}

/** A preemption candidate. */
export interface Candidate {
  node: string;
  victims: PodInfo[];
  numPDBViolations: number;
}

/** MoreImportantPod: higher priority, then earlier start. */
export function moreImportant(h: Pick<PreemptionHost, 'startTime'>, a: PodInfo, b: PodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return h.startTime(a) < h.startTime(b);
}

/** The DefaultPreemption plugin. */
export class DefaultPreemption implements PostFilterPlugin {
  readonly name = 'DefaultPreemption';
  constructor(private readonly d: Defaults, private readonly host: PreemptionHost) {}

  /** Preempt; the message is prefixed `preemption: `. */
  postFilter(state: CycleState, pod: PodInfo, statuses: NodeStatusMap): { status: Status; nominatedNode?: string | null; fitError?: boolean } {
    const r = this.preempt(state, pod, statuses);
    const msgs = r.status.reasons.map((x) => `preemption: ${x}`);
    const st = new Status(r.status.code, msgs);
    return { ...r, status: st };
  }

  /** Whether the pod may preempt (PodEligibleToPreemptOthers); the reason when not. */
  eligible(pod: PodInfo, statuses: NodeStatusMap): string | undefined {
    if (pod.pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nom: string | undefined = pod.pod.status?.nominatedNodeName;
    if (nom) {
      if (statuses.get(nom)?.code === Code.UnschedulableAndUnresolvable) return undefined;
      const ni = this.host.nodeInfo(nom);
      if (ni) {
        for (const p of ni.pods.values()) {
          if (p.terminating() && p.priority < pod.priority) return 'not eligible due to a terminating pod on the nominated node.';
        }
      }
    }
    return undefined;
  }

  private preempt(state: CycleState, pod: PodInfo, statuses: NodeStatusMap): { status: Status; nominatedNode?: string | null; fitError?: boolean } {
    const why = this.eligible(pod, statuses);
    if (why) return { status: new Status(Code.Unschedulable, [why]) };
    const all = this.host.nodes();
    // nodesWherePreemptionMightHelp skips only UnschedulableAndUnresolvable nodes: a node without a status
    // (1.29: outside a PreFilterResult) is still tried (a nil Status reads as Success).
    const potential = all.filter((n) => statuses.get(n.name)?.code !== Code.UnschedulableAndUnresolvable);
    const tried = new Map<string, Status>();
    const candidates: Candidate[] = [];
    if (potential.length > 0) {
      const pdbs = this.host.pdbs();
      let num = Math.trunc((potential.length * this.d.minCandidateNodesPercentage) / 100);
      if (num < this.d.minCandidateNodesAbsolute) num = this.d.minCandidateNodesAbsolute;
      if (num > potential.length) num = potential.length;
      const offset = this.host.randomInt(potential.length);
      let nonViolating = 0, violating = 0;
      for (let i = 0; i < potential.length; i++) {
        const ni = potential[(offset + i) % potential.length]!;
        const r = this.selectVictimsOnNode(state.clone(), pod, ni.clone(), pdbs);
        if (r.status.isSuccess() && r.victims.length > 0) {
          candidates.push({ node: ni.name, victims: r.victims, numPDBViolations: r.numViolating });
          if (r.numViolating === 0) nonViolating++;
          else violating++;
          if (nonViolating > 0 && nonViolating + violating >= num) break;
        } else if (r.status.isSuccess()) {
          // A node that fits without victims: nothing to preempt there.
          tried.set(ni.name, new Status(Code.Unschedulable, []));
        } else tried.set(ni.name, r.status);
      }
    }
    if (candidates.length === 0) {
      const msg = fitErrorMessage(all.length, undefined, tried.values(),
        { count: all.length - tried.size, reasons: ['Preemption is not helpful for scheduling'] });
      return { status: new Status(Code.Unschedulable, [msg]), nominatedNode: null, fitError: true };
    }
    const best = this.pickOne(candidates);
    if (!this.host.prepareCandidate(pod, best.node, best.victims)) return { status: new Status(Code.Error, ['preemption failed']) };
    const text = this.d.preemptionSuccessText ? [`found a potential placement for pod on node ${best.node}, preempting ${best.victims.length} victims`] : [];
    return { status: new Status(Code.Success, text), nominatedNode: best.node };
  }

  /** SelectVictimsOnNode: remove all lower-priority pods, check fit, reprieve as many as possible. */
  selectVictimsOnNode(state: CycleState, pod: PodInfo, ni: NodeInfo, pdbs: KObject[]): { status: Status; victims: PodInfo[]; numViolating: number } {
    const potential: PodInfo[] = [];
    for (const p of ni.pods.values()) if (p.priority < pod.priority) potential.push(p);
    if (potential.length === 0) {
      return { status: new Status(Code.UnschedulableAndUnresolvable, ['No preemption victims found for incoming pod']), victims: [], numViolating: 0 };
    }
    for (const p of potential) {
      ni.removePod(p);
      this.host.removePod(state, pod, p, ni);
    }
    const st = this.host.runFilters(state, pod, ni);
    if (!st.isSuccess()) return { status: st, victims: [], numViolating: 0 };
    potential.sort((a, b) => (moreImportant(this.host, a, b) ? -1 : moreImportant(this.host, b, a) ? 1 : 0));
    const { violating, nonViolating } = splitByPDB(potential, pdbs);
    const victims: PodInfo[] = [];
    let numViolating = 0;
    const reprieve = (p: PodInfo): boolean => {
      ni.addPod(p);
      this.host.addPod(state, pod, p, ni);
      const fits = this.host.runFilters(state, pod, ni).isSuccess();
      if (!fits) {
        ni.removePod(p);
        this.host.removePod(state, pod, p, ni);
        victims.push(p);
      }
      return fits;
    };
    for (const p of violating) if (!reprieve(p)) numViolating++;
    for (const p of nonViolating) reprieve(p);
    // Upstream re-sorts the victims (most important first) when both groups contributed, so that
    // pickOne's "highest-priority victim" is victims[0].
    if (violating.length && nonViolating.length) victims.sort((a, b) => (moreImportant(this.host, a, b) ? -1 : moreImportant(this.host, b, a) ? 1 : 0));
    return { status: new Status(Code.Success), victims, numViolating };
  }

  /** pickOneNodeForPreemption. */
  pickOne(cands: Candidate[]): Candidate {
    let list = cands;
    const keep = (score: (c: Candidate) => number) => {
      let best = -Infinity;
      for (const c of list) best = Math.max(best, score(c));
      list = list.filter((c) => score(c) === best);
    };
    keep((c) => -c.numPDBViolations);
    keep((c) => -(c.victims[0]?.priority ?? 0));
    keep((c) => -c.victims.reduce((s, v) => s + v.priority + 2147483648, 0));
    keep((c) => -c.victims.length);
    keep((c) => {
      const top = Math.max(...c.victims.map((v) => v.priority));
      let earliest = Infinity;
      for (const v of c.victims) if (v.priority === top) earliest = Math.min(earliest, this.host.startTime(v));
      return earliest;
    });
    return list[0]!;
  }
}

/** filterPodsWithPDBViolation. */
export function splitByPDB(pods: PodInfo[], pdbs: KObject[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => Number(p.status?.disruptionsAllowed ?? 0));
  const violating: PodInfo[] = [], nonViolating: PodInfo[] = [];
  for (const p of pods) {
    let violated = false;
    if (Object.keys(p.labels).length) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata.namespace !== p.namespace) return;
        const sel: LabelSelector | undefined = pdb.spec?.selector;
        if (!sel || (!sel.matchLabels && !(sel.matchExpressions?.length))) return;
        if (!selectorMatches(sel, p.labels)) return;
        if (pdb.status?.disruptedPods?.[p.pod.metadata.name] !== undefined) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}
