/**
 * The taint eviction controller (k/k pkg/controller/tainteviction/taint_eviction.go, the separate
 * `taint-eviction-controller` of 1.29+): for each pod on a node with NoExecute taints, delete at once when a
 * taint is not tolerated, else at the time it processes the taint + the smallest matching tolerationSeconds
 * (none: never). Removing the taints cancels. Before deleting: DisruptionTarget condition and the
 * `Marking for deletion` event; a cancelled eviction gets `Cancelling deletion`.
 */
import type { KObject } from '../../k8s/types.js';
import type { SimContext } from '../context.js';
import type { TimerId } from '../kernel.js';
import { setPodCondition } from '../apiserver.js';
import { toleratesTaint, type Taint, type Toleration } from '../../k8s/match.js';

const SOURCE = 'taint-eviction-controller';

interface Scheduled {
  /**
   * Done: the eviction ran. TimedWorkerQueue keeps the key ("to avoid duplicated calls") so later pod
   * updates add nothing, until the taints go or the pod does; cancelling it then records no event.
   */
  fired?: boolean;
  createdAt: number;
  fireAt: number;
  timer: TimerId;
  pod: KObject;
}

/** The NoExecute taint manager. */
export class TaintEvictionController {
  private readonly scheduled = new Map<string, Scheduled>();
  /** NoExecute taints last seen per node (to react only to changes). */
  private readonly nodeTaints = new Map<string, string>();

  /** Watches Nodes and Pods. */
  constructor(private readonly ctx: SimContext) {
    ctx.store.watch('Node', (type, node) => {
      const name = node.metadata.name;
      if (type === 'DELETED') { this.nodeTaints.delete(name); return; }
      const key = JSON.stringify(noExecuteTaints(node));
      if (this.nodeTaints.get(name) === key) return;
      this.nodeTaints.set(name, key);
      ctx.kernel.react(() => this.handleNode(name), `taint-eviction node ${name}`);
    });
    ctx.store.watch('Pod', (type, pod) => {
      const k = podKey(pod);
      if (type === 'DELETED') {
        ctx.kernel.react(() => this.cancel(k, false), `taint-eviction pod ${k}`);
        return;
      }
      if (!pod.spec?.nodeName) return;
      ctx.kernel.react(() => this.handlePod(pod), `taint-eviction pod ${k}`);
    });
  }

  private handleNode(name: string): void {
    const node = this.ctx.store.get('Node', undefined, name);
    const taints = node ? noExecuteTaints(node) : [];
    for (const pod of this.ctx.store.podsOnNode(name)) this.processPodOnNode(pod, taints);
  }

  private handlePod(pod: KObject): void {
    if (this.ctx.store.getByUid(pod.metadata.uid ?? '') !== pod) return;
    const node = this.ctx.store.get('Node', undefined, pod.spec.nodeName);
    if (!node) return;
    const taints = noExecuteTaints(node);
    if (taints.length === 0 && !this.scheduled.has(podKey(pod))) return;
    this.processPodOnNode(pod, taints);
  }

  private processPodOnNode(pod: KObject, taints: Taint[]): void {
    const k = podKey(pod);
    const now = this.ctx.now();
    // No exception for pods already terminating: upstream processPodOnNode handles every pod on the node.
    if (taints.length === 0) { this.cancel(k, true); return; }
    if (this.scheduled.get(k)?.fired) return;
    const tols: Toleration[] = pod.spec?.tolerations ?? [];
    const used: Toleration[] = [];
    let all = true;
    for (const t of taints) {
      const m = tols.filter((x) => toleratesTaint(x, t));
      if (m.length === 0) { all = false; break; }
      used.push(...m);
    }
    if (!all) {
      this.cancel(k, true);
      this.schedule(pod, now, now);
      return;
    }
    const min = minTolerationTime(used);
    if (min < 0) { this.cancel(k, true); return; }
    const existing = this.scheduled.get(k);
    if (existing && existing.pod === pod) {
      if (existing.createdAt + min <= now + min) return;
      this.cancel(k, true);
      this.schedule(pod, existing.createdAt, existing.createdAt + min);
      return;
    }
    this.schedule(pod, now, now + min);
  }

  private schedule(pod: KObject, createdAt: number, fireAt: number): void {
    const k = podKey(pod);
    const timer = this.ctx.kernel.at(fireAt, () => this.evict(k), `taint-eviction ${k}`);
    this.scheduled.set(k, { createdAt, fireAt, timer, pod });
    this.ctx.trace.add('taint-eviction', `eviction scheduled at ${fireAt}ms`, `Pod ${k}`);
  }

  private cancel(k: string, withEvent: boolean): void {
    const s = this.scheduled.get(k);
    if (!s) return;
    this.scheduled.delete(k);
    if (s.fired) return;
    this.ctx.kernel.cancel(s.timer);
    if (withEvent && this.ctx.store.getByUid(s.pod.metadata.uid ?? '') === s.pod) {
      this.ctx.recorder.record(s.pod, 'Normal', 'TaintManagerEviction',
        this.ctx.msg.cancellingDeletion(s.pod.metadata.namespace ?? 'default', s.pod.metadata.name), SOURCE);
    }
  }

  private evict(k: string): void {
    const s = this.scheduled.get(k);
    if (!s || s.fired) return;
    s.fired = true;
    const pod = s.pod;
    const ctx = this.ctx;
    if (ctx.store.getByUid(pod.metadata.uid ?? '') !== pod) return;
    ctx.recorder.record(pod, 'Normal', 'TaintManagerEviction', ctx.msg.markingForDeletion(pod.metadata.namespace ?? 'default', pod.metadata.name), SOURCE);
    // addConditionAndDeletePod: the DisruptionTarget condition, then a delete with default options (which can
    // only shorten the grace period of a pod already terminating).
    if (setPodCondition(pod, 'DisruptionTarget', 'True', 'DeletionByTaintManager', ctx.msg.taintManagerDisruption, ctx.now())) ctx.store.update(pod);
    const r = ctx.api.delete(pod, { by: SOURCE });
    if (!r.ok) ctx.trace.add('taint-eviction', `delete failed: ${r.error.message}`, `Pod ${k}`);
  }
}

function podKey(pod: KObject): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

/** The node's NoExecute taints. */
function noExecuteTaints(node: KObject): Taint[] {
  return (node.spec?.taints ?? []).filter((t: Taint) => t.effect === 'NoExecute');
}

/** `getMinTolerationTime`: ms; -1 = forever; 0 = now. */
export function minTolerationTime(tols: readonly Toleration[]): number {
  if (tols.length === 0) return 0;
  let min = Infinity;
  for (const t of tols) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}
