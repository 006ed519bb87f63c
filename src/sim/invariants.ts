/**
 * Invariants checked after every instant in debug mode (--check-invariants) and in tests: no node over
 * its allocatable requests, no live pod bound to a node gone longer than PodGC's grace, owner references
 * pointing at live owners (or the dependent being deleted), time never decreasing, no pod bound by the
 * scheduler to a node whose NoSchedule taint it does not tolerate (judged at the binding: pods bound before
 * the taint came, pods created with `spec.nodeName`, which bypass the scheduler, and profiles that disable
 * TaintToleration are fine), and every
 * container's `restartCount` never decreasing.
 */
import type { SimContext } from './context.js';
import type { KObject } from '../k8s/types.js';
import { podRequests, toResourceList } from '../k8s/resources.js';
import { taintTolerated, type Taint, type Toleration } from '../k8s/match.js';
import { resolveProfile } from './scheduler/config.js';

/** An invariant that does not hold. */
export class InvariantError extends Error {}

interface Watched {
  lastTime: number;
  nodeGoneAt: Map<string, number>;
  /** Pod uid -> node it was bound to (bindings seen so far). */
  boundTo: Map<string, string>;
  /** `uid/container` -> highest restartCount seen. */
  restarts: Map<string, number>;
  /** Violations seen by the watches, thrown at the next check. */
  broken: string[];
  /** Whether the scheduler profile filters on taints (a scenario may disable TaintToleration). */
  taintFilter: boolean;
}

const state = new WeakMap<SimContext, Watched>();

/** Starts the bookkeeping the checks need (call before the run starts). */
export function installInvariantWatches(ctx: SimContext): void {
  let taintFilter = true;
  try {
    taintFilter = resolveProfile(ctx.defaults, ctx.scenario?.scheduler as Record<string, unknown> | undefined).points.filter.includes('TaintToleration');
  } catch { /* an unusual configuration: keep the check */ }
  const w: Watched = { lastTime: -1, nodeGoneAt: new Map(), boundTo: new Map(), restarts: new Map(), broken: [], taintFilter };
  state.set(ctx, w);
  ctx.store.watch('Node', (type, node) => {
    if (type === 'DELETED') w.nodeGoneAt.set(node.metadata.name, ctx.now());
    else w.nodeGoneAt.delete(node.metadata.name);
  });
  ctx.store.watch('Pod', (type, pod) => {
    const uid = pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (type === 'DELETED') {
      w.boundTo.delete(uid);
      for (const c of containerNames(pod)) w.restarts.delete(`${uid}/${c}`);
      return;
    }
    const nodeName: string | undefined = pod.spec?.nodeName;
    if (nodeName && !w.boundTo.has(uid)) {
      w.boundTo.set(uid, nodeName);
      // Created with spec.nodeName (ADDED already bound): no scheduler involved, the kubelet admits it.
      if (type !== 'ADDED' && w.taintFilter) checkTaintsAtBinding(ctx, w, pod, nodeName);
    }
    for (const st of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])] as Array<{ name: string; restartCount?: number }>) {
      const key = `${uid}/${st.name}`;
      const n = Number(st.restartCount ?? 0);
      const prev = w.restarts.get(key);
      if (prev !== undefined && n < prev) w.broken.push(`pod ${pod.metadata.namespace}/${pod.metadata.name} container ${st.name}: restartCount went down from ${prev} to ${n}`);
      if (prev === undefined || n > prev) w.restarts.set(key, n);
    }
  });
}

/** Whether the scheduler bound the pod (PodScheduled=True). */
function scheduled(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type?: string; status?: string }) => c.type === 'PodScheduled' && c.status === 'True');
}

function containerNames(pod: KObject): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c: { name: string }) => c.name);
}

/** A pod the scheduler binds must tolerate every NoSchedule/NoExecute taint its node has at that moment. */
function checkTaintsAtBinding(ctx: SimContext, w: Watched, pod: KObject, nodeName: string): void {
  const node = ctx.store.get('Node', undefined, nodeName);
  if (!node) return; // the missing-node check covers it
  const tols = (pod.spec?.tolerations ?? []) as Toleration[];
  for (const taint of (node.spec?.taints ?? []) as Taint[]) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!taintTolerated(tols, taint)) {
      w.broken.push(`pod ${pod.metadata.namespace}/${pod.metadata.name} was bound to node ${nodeName} whose taint ${taint.key}${taint.value ? '=' + taint.value : ''}:${taint.effect} it does not tolerate`);
      return;
    }
  }
}

/** Throws InvariantError when the cluster breaks an invariant. */
export function checkInvariants(ctx: SimContext): void {
  const w = state.get(ctx) ?? { lastTime: -1, nodeGoneAt: new Map<string, number>(), boundTo: new Map<string, string>(), restarts: new Map<string, number>(), broken: [], taintFilter: true };
  if (w.broken.length) throw new InvariantError(w.broken[0]!);
  const now = ctx.now();
  if (now < w.lastTime) throw new InvariantError(`time went backwards: ${w.lastTime} -> ${now}`);
  w.lastTime = now;
  for (const node of ctx.store.list('Node')) {
    const alloc = toResourceList(node.status?.allocatable ?? node.status?.capacity);
    const used: Record<string, number> = {};
    let pods = 0;
    for (const p of ctx.store.podsOnNode(node.metadata.name)) {
      const ph = p.status?.phase;
      if (ph === 'Succeeded' || ph === 'Failed') continue;
      // A pod created with spec.nodeName counts once the kubelet admitted it (its first status has a start
      // time); until then it may overcommit the node, as on a real cluster, and admission rejects it.
      if (p.status?.startTime === undefined && !scheduled(p)) continue;
      pods++;
      for (const [k, v] of Object.entries(podRequests(p))) used[k] = (used[k] ?? 0) + v;
    }
    if (alloc.pods !== undefined && pods > alloc.pods) throw new InvariantError(`node ${node.metadata.name} runs ${pods} pods, allocatable ${alloc.pods}`);
    for (const [k, v] of Object.entries(used)) {
      const a = alloc[k];
      if (a !== undefined && v > a) throw new InvariantError(`node ${node.metadata.name} has ${k} requests ${v} over allocatable ${a}`);
    }
  }
  const grace = ctx.defaults.podGCOrphanGrace + 2 * ctx.defaults.podGCPeriod;
  for (const p of ctx.store.list('Pod')) {
    const n: string | undefined = p.spec?.nodeName;
    if (n && !ctx.store.get('Node', undefined, n)) {
      // A node that never existed (a pod created with its name) is missing from the first check that sees it.
      let goneAt = w.nodeGoneAt.get(n);
      if (goneAt === undefined) w.nodeGoneAt.set(n, (goneAt = now));
      if (now - goneAt > grace) throw new InvariantError(`pod ${p.metadata.namespace}/${p.metadata.name} is bound to missing node ${n}`);
    }
  }
  for (const kind of ctx.store.kinds()) {
    for (const o of ctx.store.list(kind)) {
      for (const ref of o.metadata.ownerReferences ?? []) {
        if (ref.controller && !ctx.store.getByUid(ref.uid) && !o.metadata.deletionTimestamp) {
          throw new InvariantError(`${o.kind} ${o.metadata.name} names a missing controller ${ref.kind}/${ref.name}`);
        }
      }
    }
  }
}
