/**
 * The pod garbage collector (k/k pkg/controller/podgc/gc_controller.go), every 20s from t=0:
 * terminated pods beyond --terminated-pod-gc-threshold (oldest first), pods on not-ready nodes tainted
 * `node.kubernetes.io/out-of-service` that are terminating, pods bound to nodes missing for more than the
 * 40s quarantine, and unscheduled terminating pods. Deletions are forced (grace 0); a victim that is not
 * terminal is first set Failed with DisruptionTarget reason DeletionByPodGC.
 */
import type { KObject } from '../../k8s/types.js';
import type { SimContext } from '../context.js';
import { setPodCondition } from '../apiserver.js';
import { fromTime } from '../../k8s/time.js';

const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

/** The PodGC controller. */
export class PodGCController {
  /** Missing node name -> when it becomes eligible (quarantine end). */
  private readonly quarantine = new Map<string, number>();

  /** Starts the 20s loop at t=0. */
  constructor(private readonly ctx: SimContext) {
    const period = ctx.defaults.podGCPeriod;
    const loop = (k: number) => {
      ctx.kernel.at(k * period, () => { this.gc(); loop(k + 1); }, 'pod-gc');
    };
    loop(Math.ceil(ctx.now() / period));
  }

  private gc(): void {
    const pods = this.ctx.store.list('Pod');
    this.gcTerminated(pods);
    this.gcTerminating(pods);
    this.gcOrphaned(pods);
    this.gcUnscheduledTerminating(pods);
  }

  private gcTerminated(pods: KObject[]): void {
    const threshold = this.ctx.defaults.terminatedPodGCThreshold;
    if (threshold <= 0) return;
    const terminated = pods.filter((p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed');
    const excess = terminated.length - threshold;
    if (excess <= 0) return;
    const sorted = [...terminated].sort((a, b) =>
      (fromTime(a.metadata.creationTimestamp ?? '') ?? 0) - (fromTime(b.metadata.creationTimestamp ?? '') ?? 0));
    for (const p of sorted.slice(0, excess)) this.forceDelete(p, undefined);
  }

  private gcTerminating(pods: KObject[]): void {
    for (const p of pods) {
      if (!p.metadata.deletionTimestamp || !p.spec?.nodeName) continue;
      const node = this.ctx.store.get('Node', undefined, p.spec.nodeName);
      if (!node) continue;
      const ready = (node.status?.conditions ?? []).find((c: Record<string, unknown>) => c.type === 'Ready');
      if (ready?.status === 'True') continue;
      if (!(node.spec?.taints ?? []).some((t: { key: string }) => t.key === OUT_OF_SERVICE)) continue;
      this.forceDelete(p, this.ctx.msg.podGCOutOfService);
    }
  }

  private gcOrphaned(pods: KObject[]): void {
    const now = this.ctx.now();
    const missing = new Set<string>();
    // The pods' nodes (from the store's node index) first: only when one is missing are the pods scanned,
    // in store order, which decides the order of the quarantine.
    if (this.ctx.store.podNodeNames().some((n) => !this.ctx.store.get('Node', undefined, n))) {
      for (const p of pods) {
        const n: string | undefined = p.spec?.nodeName || undefined;
        if (n && !this.ctx.store.get('Node', undefined, n)) missing.add(n);
      }
    }
    for (const n of missing) if (!this.quarantine.has(n)) this.quarantine.set(n, now + this.ctx.defaults.podGCOrphanGrace);
    for (const [n, at] of [...this.quarantine]) {
      if (this.ctx.store.get('Node', undefined, n)) { this.quarantine.delete(n); continue; }
      if (now < at) continue;
      this.quarantine.delete(n);
      for (const p of this.ctx.store.podsOnNode(n)) this.forceDelete(p, this.ctx.msg.podGCNodeGone);
    }
  }

  private gcUnscheduledTerminating(pods: KObject[]): void {
    for (const p of pods) if (p.metadata.deletionTimestamp && !p.spec?.nodeName) this.forceDelete(p, undefined);
  }

  private forceDelete(pod: KObject, message: string | undefined): void {
    const ctx = this.ctx;
    if (ctx.store.getByUid(pod.metadata.uid ?? '') !== pod) return;
    const phase = pod.status?.phase;
    if (message && phase !== 'Succeeded' && phase !== 'Failed') {
      pod.status ??= {};
      pod.status.phase = 'Failed';
      setPodCondition(pod, 'DisruptionTarget', 'True', 'DeletionByPodGC', message, ctx.now());
      ctx.store.update(pod);
    }
    const r = ctx.api.delete(pod, { gracePeriodSeconds: 0, by: 'pod-gc' });
    if (!r.ok) ctx.trace.add('pod-gc', `delete failed: ${r.error.message}`, `Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
  }
}
