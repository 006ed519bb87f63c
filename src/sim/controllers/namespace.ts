/**
 * The namespace controller (k/k pkg/controller/namespace/deletion): a Namespace being deleted is marked
 * `Terminating`, its contents are deleted, and it goes once they are gone. When the API server removes a
 * Namespace at once, its contents are deleted after it.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import { isClusterScoped } from '../../k8s/types.js';
import { WorkQueue } from './common.js';

const COMPONENT = 'namespace-controller';

/** Starts the namespace controller (and defaults new Namespaces: phase Active, finalizer `kubernetes`). */
export function startNamespaceController(ctx: SimContext): WorkQueue {
  ctx.api.registerAdmission((op, obj) => {
    if (obj.kind !== 'Namespace' || op !== 'create') return undefined;
    obj.spec ??= {};
    obj.spec.finalizers ??= ['kubernetes'];
    obj.status ??= { phase: 'Active' };
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    return undefined;
  });
  const queue = new WorkQueue(ctx, COMPONENT, (name) => syncNamespace(ctx, name, queue));
  ctx.store.watch('Namespace', (type, ns) => {
    if (type === 'DELETED' || ns.metadata.deletionTimestamp) queue.add(ns.metadata.name);
  });
  ctx.store.watch('*', (type, o) => {
    if (type !== 'DELETED' || !o.metadata.namespace) return;
    const ns = ctx.store.get('Namespace', undefined, o.metadata.namespace);
    if (!ns || ns.metadata.deletionTimestamp) queue.add(o.metadata.namespace);
  });
  return queue;
}

function contents(ctx: SimContext, ns: string): KObject[] {
  const out: KObject[] = [];
  for (const kind of ctx.store.kinds()) {
    if (isClusterScoped(kind) || kind === 'Event') continue;
    for (const o of ctx.store.list(kind, ns)) out.push(o);
  }
  return out;
}

/** Deletes a terminating namespace's contents, then the namespace. */
export function syncNamespace(ctx: SimContext, name: string, _queue: WorkQueue): void {
  const ns = ctx.store.get('Namespace', undefined, name);
  if (ns && !ns.metadata.deletionTimestamp) return;
  if (ns && ns.status?.phase !== 'Terminating') {
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
    ctx.store.update(ns);
  }
  const left = contents(ctx, name);
  for (const o of left) if (!o.metadata.deletionTimestamp) ctx.api.delete(o, { propagation: 'Background', by: COMPONENT });
  if (!ns) return;
  if (contents(ctx, name).length === 0) {
    if (ns.spec?.finalizers?.length) {
      ns.spec.finalizers = [];
      ctx.store.update(ns);
    }
    if (!ns.metadata.finalizers?.length && ctx.store.get('Namespace', undefined, name) === ns) {
      ctx.store.remove(ns);
      ctx.trace.add('delete', 'deleted (namespace emptied)', `Namespace ${name}`);
    }
  }
}
