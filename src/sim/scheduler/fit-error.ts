/**
 * FitError.Error() (k/k pkg/scheduler/framework/types.go): `0/N nodes are available:` then the PreFilter
 * message, or the histogram of node reasons as `<count> <reason>` entries sorted as plain strings, then the
 * PostFilter text (§3.5 of the behaviour reference).
 */
import type { Status } from './framework.js';

/** Builds `0/N nodes are available: …` without the PostFilter part. */
export function fitErrorMessage(numAllNodes: number, preFilterMsg: string | undefined, statuses: Iterable<Status>,
  absent?: { count: number; reasons: readonly string[] }): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg) return `${msg} ${preFilterMsg}.`;
  const counts = new Map<string, number>();
  for (const st of statuses) for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (absent && absent.count > 0) for (const r of absent.reasons) counts.set(r, (counts.get(r) ?? 0) + absent.count);
  const entries: string[] = [];
  for (const [r, n] of counts) entries.push(`${n} ${r}`);
  entries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length) msg += ` ${entries.join(', ')}.`;
  return msg;
}
