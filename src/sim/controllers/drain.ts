/**
 * `kubectl drain` (k8s.io/kubectl pkg/drain: drain.go, filters.go, cordon.go): cordons the node, refuses
 * when DaemonSet pods (without --ignore-daemonsets), pods with emptyDir data (without --delete-emptydir-data)
 * or unmanaged pods (without --force) are found, evicts the rest through the Eviction API, retrying a 429 every
 * 5s, waits for the pods to be gone, and gives up at the global timeout (0: none). The node stays cordoned
 * when the drain fails.
 */
import type { SimContext } from '../context.js';
import type { KObject } from '../../k8s/types.js';
import type { TimerId } from '../kernel.js';
import { formatDuration } from '../../k8s/duration.js';
import { getControllerOf, isPodTerminal } from './common.js';

/** Options of a drain, as the scenario's `drain` action gives them. */
export interface DrainSpec {
  node: string;
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  force: boolean;
  /** ms; 0 = no timeout. */
  timeoutMs: number;
}

/** How a drain ended. */
export interface DrainOutcome {
  ok: boolean;
  message: string;
}

type Status = { kind: 'delete'; warning?: string } | { kind: 'skip'; warning?: string } | { kind: 'fatal'; message: string };

function hasLocalStorage(pod: KObject): boolean {
  return ((pod.spec?.volumes ?? []) as any[]).some((v) => v.emptyDir !== undefined);
}

/**
 * GetPodsForDeletion's filters in kubectl's order (daemonSet, mirrorPod, localStorage, unreplicated): each
 * replaces the status, and the first that does not allow deletion stops the chain, so an earlier warning is
 * dropped when a later filter passes the pod ("this warning gets dropped by subsequent filters").
 */
function filterPod(ctx: SimContext, pod: KObject, spec: DrainSpec): Status {
  const m = ctx.msg;
  const ref = getControllerOf(pod);
  const finished = isPodTerminal(pod);
  // daemonSetFilter: finished pods go; a DaemonSet that is gone is an error, or with --force a warning.
  if (ref?.kind === 'DaemonSet' && !finished) {
    const ds = ctx.store.get('DaemonSet', pod.metadata.namespace, ref.name);
    if (!ds && !spec.force) return { kind: 'fatal', message: m.drainDaemonSetNotFound(ref.name) };
    if (ds) {
      if (!spec.ignoreDaemonSets) return { kind: 'fatal', message: m.drainDaemonSetFatal };
      return { kind: 'skip', warning: m.drainDaemonSetWarning };
    }
  }
  // mirrorPodFilter
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return { kind: 'skip' };
  // localStorageFilter
  if (hasLocalStorage(pod) && !finished && !spec.deleteEmptyDirData) return { kind: 'fatal', message: m.drainLocalStorageFatal };
  // unreplicatedFilter, the last: its status stands.
  if (finished || ref) return { kind: 'delete' };
  if (spec.force) return { kind: 'delete', warning: m.drainUnmanagedWarning };
  return { kind: 'fatal', message: m.drainUnmanagedFatal };
}

function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`;
}

/**
 * Starts a drain of `spec.node`; `done` is called once, with kubectl's closing line (`node/N drained`) or its
 * error line (the caller records it). Progress lines go to the trace as `drain` records.
 */
export function startDrain(ctx: SimContext, spec: DrainSpec, done: (outcome: DrainOutcome) => void): void {
  const m = ctx.msg;
  const node = spec.node;
  const say = (msg: string) => ctx.trace.add('drain', msg, `Node ${node}`);
  let finished = false;
  const timers: TimerId[] = [];
  const finish = (o: DrainOutcome) => {
    if (finished) return;
    finished = true;
    for (const t of timers) ctx.kernel.cancel(t);
    done(o);
  };
  const n = ctx.store.get('Node', undefined, node);
  if (!n) {
    finish({ ok: false, message: `Error from server (NotFound): nodes "${node}" not found` });
    return;
  }
  if (n.spec?.unschedulable) say(m.drainAlreadyCordoned(node));
  else {
    const r = ctx.api.patch(n, (o) => { o.spec = { ...(o.spec ?? {}), unschedulable: true }; }, 'kubectl drain');
    if (!r.ok) {
      finish({ ok: false, message: `error: ${r.error.message}` });
      return;
    }
    say(m.drainCordoned(node));
  }
  // GetPodsForDeletion
  const fatal = new Map<string, string[]>();
  const warnings = new Map<string, string[]>();
  const toEvict: KObject[] = [];
  for (const pod of ctx.store.podsOnNode(node)) {
    const st = filterPod(ctx, pod, spec);
    const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (st.kind === 'fatal') {
      const l = fatal.get(st.message) ?? [];
      l.push(id);
      fatal.set(st.message, l);
    } else {
      if (st.warning) {
        const l = warnings.get(st.warning) ?? [];
        l.push(id);
        warnings.set(st.warning, l);
      }
      if (st.kind === 'delete') toEvict.push(pod);
    }
  }
  if (fatal.size) {
    const errs = [...fatal].map(([msg, pods]) => m.drainCannotDelete(msg, pods));
    finish({ ok: false, message: m.drainUnable(node, aggregate(errs)) });
    return;
  }
  // PodDeleteList.Warnings: one line, the groups joined by `; `.
  if (warnings.size) say(m.drainWarning([...warnings].map(([w, pods]) => `${w}: ${pods.join(', ')}`)));
  const pending = new Set<KObject>(toEvict);
  const waiting = new Set<KObject>();
  const errors: string[] = [];
  const checkDone = () => {
    if (finished || pending.size || waiting.size) return;
    if (errors.length) finish({ ok: false, message: m.drainUnable(node, aggregate(errors)) });
    else finish({ ok: true, message: m.drainDrained(node) });
  };
  const gone = (pod: KObject) => ctx.store.getByUid(pod.metadata.uid!) === undefined;
  ctx.store.watch('Pod', (type, pod) => {
    if (finished || type !== 'DELETED' || !waiting.has(pod)) return;
    ctx.kernel.react(() => {
      if (!waiting.delete(pod)) return;
      say(m.drainEvicted(pod.metadata.namespace ?? 'default', pod.metadata.name));
      checkDone();
    }, 'kubectl-drain');
  });
  const evict = (pod: KObject) => {
    if (finished) return;
    const ns = pod.metadata.namespace ?? 'default';
    if (gone(pod)) {
      pending.delete(pod);
      checkDone();
      return;
    }
    const r = ctx.api.evict(pod, 'kubectl drain');
    if (r.ok || r.error.code === 404) {
      pending.delete(pod);
      if (gone(pod)) say(m.drainEvicted(ns, pod.metadata.name));
      else waiting.add(pod);
      checkDone();
      return;
    }
    if (r.error.code === 429) {
      say(m.drainRetry(ns, pod.metadata.name));
      timers.push(ctx.kernel.after(ctx.defaults.drainRetryPeriod, () => evict(pod), 'kubectl-drain'));
      return;
    }
    pending.delete(pod);
    errors.push(m.drainEvictError(ns, pod.metadata.name, r.error.message));
    checkDone();
  };
  for (const pod of toEvict) {
    say(m.drainEvicting(pod.metadata.namespace ?? 'default', pod.metadata.name));
    evict(pod);
  }
  if (spec.timeoutMs > 0 && !finished) {
    timers.push(ctx.kernel.after(spec.timeoutMs, () => {
      if (finished) return;
      const t = formatDuration(spec.timeoutMs);
      const errs: string[] = [...errors];
      for (const p of pending) errs.push(m.drainEvictTimeout(p.metadata.namespace ?? 'default', p.metadata.name, t));
      for (const p of waiting) errs.push(m.drainWaitTimeout(p.metadata.namespace ?? 'default', p.metadata.name, t));
      finish({ ok: false, message: m.drainUnable(node, aggregate(errs)) });
    }, 'kubectl-drain'));
  }
  checkDone();
}
