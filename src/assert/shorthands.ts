/**
 * Check shorthands: the observed value each one reads from a target, and whether it holds.
 * Pods: phase, qosClass, ready, node, restarts, reason. Nodes: ready, schedulable, taints. Events: message.
 */
import type { KObject } from '../k8s/types.js';
import { globMatch } from '../k8s/match.js';
import { isMap, isOperatorMap, matchPartial, matchValue } from './match.js';

/** Shorthand keys per target kind. */
export const POD_SHORTHANDS: ReadonlySet<string> = new Set(['phase', 'qosClass', 'ready', 'node', 'restarts', 'reason']);
/** Node shorthand keys. */
export const NODE_SHORTHANDS: ReadonlySet<string> = new Set(['ready', 'schedulable', 'taints']);
/** Event shorthand keys. */
export const EVENT_SHORTHANDS: ReadonlySet<string> = new Set(['message']);

interface ContainerStatusLike {
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
  lastState?: { terminated?: { reason?: string } };
}

function containerStatuses(pod: KObject): ContainerStatusLike[] {
  const s = pod.status;
  if (!s) return [];
  const out: ContainerStatusLike[] = [];
  for (const k of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses']) {
    const l = s[k];
    if (Array.isArray(l)) out.push(...(l as ContainerStatusLike[]));
  }
  return out;
}

/** Whether a pod's condition Ready is True. */
export function podReady(pod: KObject): boolean {
  const conds = pod.status?.conditions;
  return Array.isArray(conds) && conds.some((c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True');
}

/** A pod's restarts: the sum of restartCount over all its containers, init containers included. */
export function podRestarts(pod: KObject): number {
  let n = 0;
  for (const c of containerStatuses(pod)) n += typeof c.restartCount === 'number' ? c.restartCount : 0;
  return n;
}

/**
 * A pod's reasons, in order: status.reason, then per container its current waiting or terminated reason and
 * lastState.terminated.reason (duplicates dropped).
 */
export function podReasons(pod: KObject): string[] {
  const out: string[] = [];
  const add = (r: unknown): void => {
    if (typeof r === 'string' && r !== '' && !out.includes(r)) out.push(r);
  };
  add(pod.status?.reason);
  for (const c of containerStatuses(pod)) {
    add(c.state?.waiting?.reason);
    add(c.state?.terminated?.reason);
    add(c.lastState?.terminated?.reason);
  }
  return out;
}

/** A node's readiness: true / false / "unknown" from its Ready condition (absent: "unknown"). */
export function nodeReady(node: KObject): boolean | 'unknown' {
  const conds = node.status?.conditions;
  const c = Array.isArray(conds) ? conds.find((x: { type?: string }) => x.type === 'Ready') : undefined;
  if (c?.status === 'True') return true;
  if (c?.status === 'False') return false;
  return 'unknown';
}

/** A `{min, max}` range (inclusive), if `v` is one. */
export function asRange(v: unknown): { min?: number; max?: number } | undefined {
  if (!isMap(v) || isOperatorMap(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length === 0 || !keys.every((k) => k === 'min' || k === 'max')) return undefined;
  return v as { min?: number; max?: number };
}

/** Whether a number satisfies a count-like expectation: a number, `{min, max}` or operators. */
export function numberHolds(expected: unknown, n: number): boolean {
  const r = asRange(expected);
  if (r) return (r.min === undefined || n >= r.min) && (r.max === undefined || n <= r.max);
  return matchValue(expected, n);
}

/** The observed value of a pod shorthand (for diagnostics). */
export function podShorthandValue(key: string, pod: KObject): unknown {
  switch (key) {
    case 'phase': return pod.status?.phase ?? null;
    case 'qosClass': return pod.status?.qosClass ?? null;
    case 'ready': return podReady(pod);
    case 'node': return pod.spec?.nodeName || null;
    case 'restarts': return podRestarts(pod);
    case 'reason': {
      const r = podReasons(pod);
      return r.length === 0 ? null : r.length === 1 ? r[0] : r;
    }
    default: return undefined;
  }
}

/** Whether a pod shorthand holds for a pod. */
export function podShorthandHolds(key: string, expected: unknown, pod: KObject): boolean {
  switch (key) {
    case 'phase': return matchValue(expected, pod.status?.phase);
    case 'qosClass': return matchValue(expected, pod.status?.qosClass);
    case 'ready': return matchValue(expected, podReady(pod));
    case 'node': {
      const n: string | undefined = pod.spec?.nodeName || undefined;
      if (typeof expected === 'string') return n !== undefined && globMatch(expected, n);
      return matchValue(expected, n);
    }
    case 'restarts': return numberHolds(expected, podRestarts(pod));
    case 'reason': {
      const rs = podReasons(pod);
      if (rs.length === 0) return matchValue(expected, undefined);
      return rs.some((r) => matchValue(expected, r));
    }
    default: return false;
  }
}

/** The observed value of a node shorthand. */
export function nodeShorthandValue(key: string, node: KObject): unknown {
  switch (key) {
    case 'ready': return nodeReady(node);
    case 'schedulable': return node.spec?.unschedulable !== true;
    case 'taints': return node.spec?.taints ?? [];
    default: return undefined;
  }
}

/** Whether a node shorthand holds for a node. */
export function nodeShorthandHolds(key: string, expected: unknown, node: KObject): boolean {
  switch (key) {
    case 'ready': {
      const r = nodeReady(node);
      if (typeof expected === 'string') return r === 'unknown' && expected.toLowerCase() === 'unknown';
      return matchValue(expected, r);
    }
    case 'schedulable': return matchValue(expected, node.spec?.unschedulable !== true);
    case 'taints': return matchPartial(expected, node.spec?.taints, ['spec', 'taints']);
    default: return false;
  }
}

/** The observed value of an event shorthand. */
export function eventShorthandValue(key: string, ev: KObject): unknown {
  return key === 'message' ? ev['message'] : undefined;
}

/** Whether an event shorthand holds. */
export function eventShorthandHolds(key: string, expected: unknown, ev: KObject): boolean {
  return key === 'message' ? matchValue(expected, ev['message']) : false;
}
