/**
 * Targets of an expectation: the objects stored at the instant judged, terminating and finished pods
 * included, as `kubectl get` lists them (sorted by namespace, then name; Events in the order recorded).
 * Selection uses the store's indexes (by name, by node, by owner) where a filter allows it, so the work per
 * observation stays proportional to the candidates rather than to the cluster.
 */
import type { KObject } from '../k8s/types.js';
import { isClusterScoped } from '../k8s/types.js';
import { globMatch, selectorMatches, toLabelSelector } from '../k8s/match.js';
import type { Store } from '../sim/store.js';
import type { RecordedEvent } from '../sim/events.js';
import { EventRecorder } from '../sim/events.js';
import type { Target } from '../scenario/types.js';
import { matchPartial, matchValue } from './match.js';
import { nodeShorthandHolds, podShorthandHolds } from './shorthands.js';

/** What selection reads: the settled state at one instant. */
export interface SelectView {
  readonly store: Store;
  readonly events: readonly RecordedEvent[];
}

/** One selected target. */
export interface Selected {
  /** `namespace/name`, or the name of a cluster-scoped object. */
  readonly key: string;
  /** The object as stored (Events: as `kubectl get event -o yaml` shows them). */
  readonly obj: KObject;
  /** Occurrences this target stands for (an Event's `count`; 1 otherwise). */
  readonly occurrences: number;
}

function hasGlob(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

function keyOf(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

function byKey(a: Selected, b: Selected): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Whether a namespace passes a `namespace` filter, a name or glob (`"*"`: all). */
function nsMatch(pattern: string, namespace: string | undefined): boolean {
  return pattern === '*' || (namespace !== undefined && globMatch(pattern, namespace));
}

/** Objects of a kind in a namespace (a name or glob, `"*"`: all; ignored for cluster-scoped kinds) whose name matches. */
function candidates(store: Store, kind: string, namespace: string | undefined, name: string | undefined): KObject[] {
  const pattern = namespace ?? 'default';
  if (!isClusterScoped(kind) && hasGlob(pattern) && pattern !== '*') {
    return candidates(store, kind, '*', name).filter((o) => nsMatch(pattern, o.metadata.namespace));
  }
  const ns = isClusterScoped(kind) || namespace === '*' ? undefined : pattern;
  if (name !== undefined && !hasGlob(name)) {
    if (ns === undefined && !isClusterScoped(kind)) return store.list(kind).filter((o) => o.metadata.name === name);
    const o = store.get(kind, ns, name);
    return o ? [o] : [];
  }
  const list = store.list(kind, ns);
  return name === undefined ? list : list.filter((o) => globMatch(name, o.metadata.name));
}

/** An Event target whose object form is built only when a check reads it. */
function lazyEvent(e: RecordedEvent, occurrences: number): Selected {
  let obj: KObject | undefined;
  return {
    key: `${e.namespace}/${e.name}`,
    occurrences,
    get obj(): KObject {
      return (obj ??= EventRecorder.toObject(e));
    },
  };
}

/** Splits `Kind/name` at the first `/`. */
export function splitKindName(ref: string): { kind: string; name: string } {
  const i = ref.indexOf('/');
  return i < 0 ? { kind: ref, name: '*' } : { kind: ref.slice(0, i), name: ref.slice(i + 1) };
}

/**
 * Pods reached from the owners `Kind/name` (name may be a glob) in `namespace` through chains of
 * controller references (Deployment→ReplicaSet→Pod, CronJob→Job→Pod, ...).
 */
export function podsOwnedBy(store: Store, owner: string, namespace: string): KObject[] {
  const { kind, name } = splitKindName(owner);
  const roots = candidates(store, kind, namespace, name);
  const out: KObject[] = [];
  const seen = new Set<string>();
  const walk = (o: KObject, depth: number): void => {
    const uid = o.metadata.uid;
    if (!uid || seen.has(uid) || depth > 16) return;
    seen.add(uid);
    for (const d of store.dependents(uid)) {
      const ref = d.metadata.ownerReferences?.find((r) => r.uid === uid);
      if (!ref?.controller) continue;
      if (d.kind === 'Pod') {
        if (!seen.has(d.metadata.uid ?? '')) {
          seen.add(d.metadata.uid ?? '');
          out.push(d);
        }
      } else walk(d, depth + 1);
    }
  };
  for (const r of roots) {
    if (r.kind === 'Pod') out.push(r);
    else walk(r, 0);
  }
  return out;
}

/** Whether an object passes a `where` filter (shorthands of the target kind and/or `match`). */
function whereHolds(where: Record<string, unknown>, obj: KObject, kind: 'pods' | 'nodes'): boolean {
  for (const k in where) {
    const v = where[k];
    if (k === 'match') {
      if (!matchPartial(v, obj)) return false;
    } else if (kind === 'pods') {
      if (!podShorthandHolds(k, v, obj)) return false;
    } else if (!nodeShorthandHolds(k, v, obj)) return false;
  }
  return true;
}

/** Selects the targets of an expectation in a settled state. */
export function selectTargets(target: Target, view: SelectView): Selected[] {
  const { store } = view;
  switch (target.kind) {
    case 'pod': {
      return candidates(store, 'Pod', target.namespace, target.name)
        .map((o) => ({ key: keyOf(o), obj: o, occurrences: 1 }))
        .sort(byKey);
    }
    case 'pods': {
      const ns = target.namespace ?? 'default';
      let pods: KObject[];
      if (target.owner !== undefined) {
        pods = podsOwnedBy(store, target.owner, ns);
      } else if (target.name !== undefined && !hasGlob(target.name)) {
        pods = candidates(store, 'Pod', ns, target.name);
      } else if (typeof target.node === 'string' && !hasGlob(target.node)) {
        pods = store.podsOnNode(target.node);
      } else {
        pods = candidates(store, 'Pod', ns, undefined);
      }
      const sel = target.selector ? toLabelSelector(target.selector) : undefined;
      const out: Selected[] = [];
      for (const p of pods) {
        if (!nsMatch(ns, p.metadata.namespace)) continue;
        if (target.name !== undefined && !globMatch(target.name, p.metadata.name)) continue;
        if (target.hasNode || target.node !== undefined) {
          const nodeName: string | undefined = p.spec?.nodeName || undefined;
          if (target.node === null) {
            if (nodeName !== undefined) continue;
          } else if (target.node !== undefined && (nodeName === undefined || !globMatch(target.node, nodeName))) continue;
        }
        if (sel && !selectorMatches(sel, p.metadata.labels)) continue;
        if (target.where && !whereHolds(target.where, p, 'pods')) continue;
        out.push({ key: keyOf(p), obj: p, occurrences: 1 });
      }
      return out.sort(byKey);
    }
    case 'nodes': {
      const sel = target.selector ? toLabelSelector(target.selector) : undefined;
      const out: Selected[] = [];
      for (const n of candidates(store, 'Node', undefined, target.name)) {
        if (sel && !selectorMatches(sel, n.metadata.labels)) continue;
        if (target.where && !whereHolds(target.where, n, 'nodes')) continue;
        out.push({ key: n.metadata.name, obj: n, occurrences: 1 });
      }
      return out.sort(byKey);
    }
    case 'object': {
      const kind = target.kind_;
      if (kind === 'Event') {
        const ns = target.namespace ?? 'default';
        const out: Selected[] = [];
        for (const e of view.events) {
          if (!nsMatch(ns, e.namespace)) continue;
          if (target.name !== undefined && !globMatch(target.name, e.name)) continue;
          out.push(lazyEvent(e, 1));
        }
        return out;
      }
      return candidates(store, kind, target.namespace, target.name)
        .map((o) => ({ key: keyOf(o), obj: o, occurrences: 1 }))
        .sort(byKey);
    }
    case 'events': {
      const ns = target.namespace ?? 'default';
      const ref = target.object !== undefined ? splitKindName(target.object) : undefined;
      const out: Selected[] = [];
      for (const e of view.events) {
        if (target.reason !== undefined && !matchValue(target.reason, e.reason)) continue;
        if (ref && (e.involvedObject.kind !== ref.kind || !globMatch(ref.name, e.involvedObject.name))) continue;
        // Events of cluster-scoped objects (no involvedObject.namespace) always pass the namespace filter.
        if (e.involvedObject.namespace !== undefined && !nsMatch(ns, e.namespace)) continue;
        if (target.type !== undefined && !matchValue(target.type, e.type)) continue;
        if (target.message !== undefined && !matchValue(target.message, e.message)) continue;
        out.push(lazyEvent(e, e.count));
      }
      return out;
    }
  }
}
