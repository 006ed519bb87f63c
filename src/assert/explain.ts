/**
 * The `explain` diagnostic of a failed `node` check: for each pod target that fails it, the rows of the
 * scheduler's last attempt at or before the judged instant, one line per node, in the words of
 * `kubedrill explain` (rejecting filter and reasons, or each score plugin's score × weight and the total).
 */
import type { ExplainAttempt, ExplainRow, SchedulerHandle } from '../sim/context.js';
import { formatDuration } from '../k8s/duration.js';
import type { Check, CompiledChecks } from './checks.js';
import type { Selected } from './select.js';
import { podShorthandHolds } from './shorthands.js';

/** Most pods explained in one diagnostic (the rest are left out). */
export const EXPLAIN_POD_LIMIT = 10;

/** One node's row as a line: `NODE: rejected by P: reasons` or `NODE: P s×w=x, … total T (chosen)`. */
export function explainRowText(r: ExplainRow): string {
  if (r.rejectedBy) return `${r.node}: rejected by ${r.rejectedBy}: ${(r.reasons ?? []).join(', ')}`;
  if (!r.scores) return `${r.node}: ${r.winner ? 'chosen (only feasible node)' : 'feasible'}`;
  const parts = Object.entries(r.scores).map(([p, s]) => `${p} ${s.score}x${s.weight}=${s.weighted}`);
  return `${r.node}: ${parts.join(', ')}${parts.length ? ', ' : ''}total ${r.total ?? 0}${r.winner ? ' (chosen)' : ''}`;
}

/** An attempt as lines: a heading, one line per node, and the FailedScheduling text when it failed. */
export function explainAttemptLines(a: ExplainAttempt): string[] {
  const out = [`attempt at ${formatDuration(a.at)}: ${a.node ? `bound to ${a.node}` : 'unschedulable'}`];
  for (const r of a.rows) out.push(explainRowText(r));
  if (a.message) out.push(`FailedScheduling: ${a.message}`);
  return out;
}

/**
 * The `explain` diagnostic when a failing check is the pod shorthand `node`: per failing pod target, its
 * last attempt at or before `at`; undefined when no `node` check failed or the targets are not pods.
 */
export function explainForNodeCheck(failing: readonly Check[], cc: CompiledChecks, targets: readonly Selected[],
  sched: SchedulerHandle, at: number): Record<string, string[]> | undefined {
  if (cc.targetKind !== 'pods') return undefined;
  const nodeCheck = failing.find((c) => c.kind === 'shorthand' && c.key === 'node');
  if (!nodeCheck) return undefined;
  const out: Record<string, string[]> = {};
  let n = 0;
  for (const t of targets) {
    if (podShorthandHolds('node', nodeCheck.value, t.obj)) continue;
    if (n++ >= EXPLAIN_POD_LIMIT) break;
    const attempts = sched.attempts(t.key);
    let last: ExplainAttempt | undefined;
    for (const a of attempts) if (a.at <= at) last = a;
    out[t.key] = last ? explainAttemptLines(last)
      : [`no scheduling attempt at or before ${formatDuration(at)} (bound by spec.nodeName, another schedulerName, gated, or not created yet)`];
  }
  return n > 0 ? out : undefined;
}
