/**
 * Invariants checked after every instant in debug mode (--check-invariants) and in tests: no node over
 * its allocatable requests, no live pod bound to a node gone longer than PodGC's grace, owner references
 * pointing at live owners (or the dependent being deleted), time never decreasing.
 */
import type { SimContext } from './context.js';
import { podRequests, toResourceList } from '../k8s/resources.js';

/** An invariant that does not hold. */
export class InvariantError extends Error {}

interface Watched {
  lastTime: number;
  nodeGoneAt: Map<string, number>;
}

const state = new WeakMap<SimContext, Watched>();

/** Starts the bookkeeping the checks need (call before the run starts). */
export function installInvariantWatches(ctx: SimContext): void {
  const w: Watched = { lastTime: -1, nodeGoneAt: new Map() };
  state.set(ctx, w);
  ctx.store.watch('Node', (type, node) => {
    if (type === 'DELETED') w.nodeGoneAt.set(node.metadata.name, ctx.now());
    else w.nodeGoneAt.delete(node.metadata.name);
  });
}

/** Throws InvariantError when the cluster breaks an invariant. */
export function checkInvariants(ctx: SimContext): void {
  const w = state.get(ctx) ?? { lastTime: -1, nodeGoneAt: new Map<string, number>() };
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
      const goneAt = w.nodeGoneAt.get(n) ?? -Infinity;
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
