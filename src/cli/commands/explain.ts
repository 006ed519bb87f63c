/** `kubedrill explain <file> --pod NAME [--at T]`: the scheduler's per-node view of a pod. */
import { parseArgs, UsageError } from '../args.js';
import { FILE_SPEC, loadOne, runOptionsFrom, instantOption } from './common.js';
import { runScenario } from '../../runner.js';
import type { ExplainAttempt } from '../../sim/context.js';
import { formatDuration } from '../../k8s/duration.js';
import { globMatch } from '../../k8s/match.js';

/** Renders one scheduling attempt as a table, one row per node. */
export function formatAttempt(a: ExplainAttempt): string {
  const plugins = [...new Set(a.rows.flatMap((r) => Object.keys(r.scores ?? {})))];
  const head = ['NODE', 'RESULT', ...plugins, 'TOTAL'];
  const rows = a.rows.map((r) => {
    if (r.rejectedBy) return [r.node, `rejected by ${r.rejectedBy}: ${(r.reasons ?? []).join(', ')}`, ...plugins.map(() => ''), ''];
    return [r.node + (r.winner ? ' *' : ''), r.scores ? (r.winner ? 'chosen' : 'feasible') : (r.winner ? 'chosen (only feasible node)' : 'feasible'),
      ...plugins.map((p) => {
        const s = r.scores?.[p];
        return s ? `${s.score}x${s.weight}=${s.weighted}` : '';
      }), r.total === undefined ? '' : String(r.total)];
  });
  const all = [head, ...rows];
  const widths: number[] = [];
  for (const r of all) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  const lines = all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd());
  const title = `pod ${a.pod}, scheduling attempt at ${formatDuration(a.at)}: ${a.node ? `bound to ${a.node}` : 'unschedulable'}`;
  return [title, ...lines, ...(a.message ? [`FailedScheduling: ${a.message}`] : [])].join('\n') + '\n';
}

/** Runs the `explain` command; returns the exit code. */
export function explainCommand(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): number {
  const p = parseArgs(argv, { ...FILE_SPEC, pod: { type: 'value' }, at: { type: 'value' } });
  const want = p.values.pod;
  if (!want) throw new UsageError('--pod NAME is required');
  const sc = loadOne(p, io.err);
  if (!sc) return 2;
  const at = instantOption(p, 'at', sc);
  const run = runScenario(sc, { ...runOptionsFrom(p), stopAt: at, verboseTrace: false });
  const sched = run.simulation.ctx.scheduler;
  const [ns, name] = want.includes('/') ? want.split('/', 2) as [string, string] : ['default', want];
  const keys = new Set<string>();
  for (const pod of run.simulation.store.list('Pod', ns)) if (globMatch(name, pod.metadata.name)) keys.add(`${ns}/${pod.metadata.name}`);
  if (keys.size === 0 && !/[*?]/.test(name)) keys.add(`${ns}/${name}`);
  if (keys.size > 1) throw new UsageError(`--pod ${want} matches ${keys.size} pods: ${[...keys].join(', ')}`);
  const key = [...keys][0];
  const attempts = key && sched ? sched.attempts(key).filter((a) => a.at <= at) : [];
  const last = attempts[attempts.length - 1];
  if (!last) {
    io.err(`kubedrill: the scheduler made no attempt for pod ${key ?? want} at or before ${formatDuration(at)}` +
      ' (bound by spec.nodeName, another schedulerName, gated, or not created yet)\n');
    return 2;
  }
  io.out(formatAttempt(last));
  return 0;
}
