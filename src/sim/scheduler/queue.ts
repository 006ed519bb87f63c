/**
 * The scheduling queue (k/k pkg/scheduler/backend/queue): activeQ ordered by PrioritySort, backoffQ ordered
 * by backoff expiry, and the unschedulable pool; pods move on cluster events that may help them, on backoff
 * expiry (1s flush) and after 5 min in the pool (30s flush).
 */
import type { KObject } from '../../k8s/types.js';
import type { PodInfo } from './node-info.js';

/** A queued pod (QueuedPodInfo). */
export interface QueuedPod {
  pi: PodInfo;
  /** Time added to the active queue or the pool (ms). */
  timestamp: number;
  seq: number;
  attempts: number;
  unschedulableCount: number;
  /** Plugins that rejected it in its last attempt. */
  rejectors: Set<string>;
  /** Held by PreEnqueue (scheduling gates). */
  gated: boolean;
  where: 'active' | 'backoff' | 'unschedulable' | 'inflight' | 'none';
  backoffExpiry: number;
  /** Signature of spec+labels, to spot real updates. */
  sig: string;
}

/** A small binary heap. */
export class Heap<T> {
  private a: T[] = [];
  constructor(private readonly less: (x: T, y: T) => boolean) {}
  /** Number of items. */
  get size(): number {
    return this.a.length;
  }
  /** Adds an item. */
  push(x: T): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  /** The first item. */
  peek(): T | undefined {
    return this.a[0];
  }
  /** Removes and returns the first item. */
  pop(): T | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const signatures = new Map<string, string>();

/** What a pod's signature was computed from: the objects themselves, compared by reference. */
interface SignatureInputs {
  labels: unknown;
  gates: unknown;
  tolerations: unknown;
  affinity: unknown;
  nodeSelector: unknown;
  containers: unknown;
  resources: unknown[];
  sig: string;
  /** `sig` after the labels' JSON: a change of labels alone (zone labels at binding) re-serialises only them. */
  rest: string;
}
const lastInputs = new WeakMap<KObject, SignatureInputs>();

/**
 * The signature used to detect pod updates that matter to scheduling. Interned: the pods of one template
 * share one string (the table is dropped when it grows past 100,000 distinct signatures). Writes that do
 * not replace any of its inputs (status writes: the API server's updates and patches put copies in place of
 * the labels and spec parts they change) reuse the last signature instead of serialising the pod again.
 */
export function podSignature(pod: KObject): string {
  const md = pod.metadata, spec = pod.spec ?? {};
  const containers: Array<Record<string, unknown>> = spec.containers ?? [];
  const last = lastInputs.get(pod);
  const sameRest = last !== undefined && last.gates === spec.schedulingGates && last.tolerations === spec.tolerations
    && last.affinity === spec.affinity && last.nodeSelector === spec.nodeSelector && last.containers === spec.containers
    && last.resources.length === containers.length && containers.every((c, i) => c.resources === last.resources[i]);
  if (sameRest && last.labels === md.labels) return last.sig;
  // JSON.stringify of an array is `[` + its items' JSON joined by `,` + `]`, so the labels' JSON and `rest` rebuild it.
  const labelsJson = JSON.stringify(md.labels ?? {});
  let sig: string, rest: string;
  if (sameRest) {
    rest = last.rest;
    sig = '[' + labelsJson + rest;
  } else {
    sig = JSON.stringify([md.labels ?? {}, spec.schedulingGates ?? [], spec.tolerations ?? [], spec.affinity ?? null,
      spec.nodeSelector ?? null, containers.map((c) => c.resources ?? {})]);
    rest = sig.slice(1 + labelsJson.length);
  }
  const known = signatures.get(sig);
  if (known !== undefined) sig = known;
  else {
    if (signatures.size >= 100_000) signatures.clear();
    signatures.set(sig, sig);
  }
  lastInputs.set(pod, {
    labels: md.labels, gates: spec.schedulingGates, tolerations: spec.tolerations, affinity: spec.affinity,
    nodeSelector: spec.nodeSelector, containers: spec.containers, resources: sameRest ? last.resources : containers.map((c) => c.resources), sig, rest,
  });
  return sig;
}
