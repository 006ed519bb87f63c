/**
 * The garbage collector (k/k pkg/controller/garbagecollector): deletes dependents whose owners are all gone
 * (background propagation), deletes the dependents of an owner held by the `foregroundDeletion` finalizer
 * and releases the owner once no `blockOwnerDeletion` dependent remains, and orphans the dependents of an
 * owner held by the `orphan` finalizer (ownerReferences removed, then the finalizer).
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { WorkQueue } from './common.js';

const COMPONENT = 'garbage-collector';
const NO_REFS: ReadonlyArray<{ uid: string }> = [];
/** Finalizer of foreground deletion. */
export const FOREGROUND = 'foregroundDeletion';
/** Finalizer of orphan deletion. */
export const ORPHAN = 'orphan';

/** Starts the garbage collector. */
export function startGarbageCollector(ctx: SimContext): WorkQueue {
  const queue = new WorkQueue(ctx, COMPONENT, (uid) => syncGarbage(ctx, uid));
  // Uids of stored objects seen with a deletionTimestamp (only the API server sets one, and always writes
  // the object then): an owner outside this set cannot be waiting for its dependents, so most writes need
  // no owner lookups.
  const terminating = new Set<string>();
  for (const kind of ctx.store.kinds()) {
    for (const o of ctx.store.values(kind)) if (o.metadata.deletionTimestamp && o.metadata.uid) terminating.add(o.metadata.uid);
  }
  ctx.store.watch('*', (type, obj) => {
    const md = obj.metadata;
    const uid = md.uid;
    if (!uid) return;
    const refs = md.ownerReferences ?? NO_REFS;
    if (type === 'DELETED') {
      terminating.delete(uid);
      for (const d of ctx.store.dependents(uid)) queue.add(d.metadata.uid!);
      for (const r of refs) queue.add(r.uid);
      return;
    }
    if (type === 'ADDED' && refs.length) queue.add(uid);
    if (md.deletionTimestamp) {
      terminating.add(uid);
      const f = md.finalizers;
      if (f && (f.includes(FOREGROUND) || f.includes(ORPHAN))) queue.add(uid);
    }
    if (terminating.size === 0) return;
    // A dependent's change may release an owner waiting for it.
    for (const r of refs) {
      if (!terminating.has(r.uid)) continue;
      const owner = ctx.store.getByUid(r.uid);
      if (owner?.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND)) queue.add(r.uid);
    }
  });
  return queue;
}

function waitingForDependents(o: KObject): boolean {
  return !!o.metadata.deletionTimestamp && !!o.metadata.finalizers?.includes(FOREGROUND);
}

/** Processes one object (by uid) as owner and as dependent. */
export function syncGarbage(ctx: SimContext, uid: string): void {
  const obj = ctx.store.getByUid(uid);
  if (!obj) return;
  const md = obj.metadata;
  if (md.deletionTimestamp && md.finalizers?.includes(ORPHAN)) {
    for (const d of ctx.store.dependents(uid)) {
      d.metadata.ownerReferences = (d.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (d.metadata.ownerReferences.length === 0) delete d.metadata.ownerReferences;
      ctx.store.update(d);
    }
    ctx.trace.add('gc', 'orphaned dependents', `${obj.kind} ${displayOf(obj)}`);
    ctx.api.removeFinalizer(obj, ORPHAN);
    if (!ctx.store.getByUid(uid)) return;
  }
  if (waitingForDependents(obj)) {
    const deps = ctx.store.dependents(uid);
    for (const d of deps) {
      if (d.metadata.deletionTimestamp) continue;
      // attemptToDeleteItem: a dependent whose owners are all gone or waiting goes (foreground when it has owners waiting).
      if (hasSolidOwner(ctx, d, uid)) {
        removeRef(ctx, d, uid);
        continue;
      }
      ctx.api.delete(d, { propagation: 'Foreground', by: COMPONENT });
    }
    const blocking = ctx.store.dependents(uid).some((d) =>
      (d.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (!blocking) {
      ctx.trace.add('gc', 'dependents gone, removing foregroundDeletion', `${obj.kind} ${displayOf(obj)}`);
      ctx.api.removeFinalizer(obj, FOREGROUND);
    }
    if (!ctx.store.getByUid(uid)) return;
  }
  const refs = md.ownerReferences ?? [];
  if (!refs.length || md.deletionTimestamp) return;
  let solid = 0, waiting = 0;
  const dangling: string[] = [];
  for (const r of refs) {
    const owner = ctx.store.getByUid(r.uid);
    if (!owner) dangling.push(r.uid);
    else if (waitingForDependents(owner)) waiting++;
    else solid++;
  }
  if (solid > 0) {
    if (dangling.length || waiting) {
      // Remove the references to absent owners (and to owners waiting on us).
      md.ownerReferences = refs.filter((r) => {
        const o = ctx.store.getByUid(r.uid);
        return o !== undefined && !waitingForDependents(o);
      });
      ctx.store.update(obj);
    }
    return;
  }
  if (waiting > 0) {
    ctx.api.delete(obj, { propagation: 'Foreground', by: COMPONENT });
    return;
  }
  // Every owner is gone: background deletion of the dependent, honouring its own policy finalizers.
  const propagation = md.finalizers?.includes(ORPHAN) ? 'Orphan' : md.finalizers?.includes(FOREGROUND) ? 'Foreground' : 'Background';
  ctx.api.delete(obj, { propagation, by: COMPONENT });
}

function hasSolidOwner(ctx: SimContext, d: KObject, except: string): boolean {
  return (d.metadata.ownerReferences ?? []).some((r) => {
    if (r.uid === except) return false;
    const o = ctx.store.getByUid(r.uid);
    return !!o && !waitingForDependents(o);
  });
}

function removeRef(ctx: SimContext, d: KObject, uid: string): void {
  d.metadata.ownerReferences = (d.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
  if (d.metadata.ownerReferences.length === 0) delete d.metadata.ownerReferences;
  ctx.store.update(d);
}

function displayOf(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}
