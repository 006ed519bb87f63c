/** `kubedrill trace`: everything that happened, in order, with simulated times (text or JSONL). */
import { parseArgs, UsageError } from '../args.js';
import { FILE_SPEC, loadOne, runOptionsFrom } from './common.js';
import { runScenario } from '../../runner.js';
import { formatDuration } from '../../k8s/duration.js';
import type { TraceRecord } from '../../sim/trace.js';

/** Renders trace records as text lines. */
export function formatTraceText(records: readonly TraceRecord[]): string {
  return records.map((r) => `${formatDuration(r.t).padStart(9)}  ${r.type.padEnd(8)} ${r.object ? r.object + ': ' : ''}${r.message}`).join('\n') + '\n';
}

/** Renders trace records as JSON lines. */
export function formatTraceJsonl(records: readonly TraceRecord[]): string {
  return records.map((r) => JSON.stringify({ t: r.t, time: formatDuration(r.t), type: r.type, ...(r.object ? { object: r.object } : {}), message: r.message })).join('\n') + '\n';
}

/** Runs the `trace` command; returns the exit code. */
export function traceCommand(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): number {
  const p = parseArgs(argv, { ...FILE_SPEC, format: { type: 'value' } });
  const format = p.values.format ?? 'text';
  if (format !== 'text' && format !== 'jsonl') throw new UsageError(`--format takes text or jsonl, not "${format}"`);
  const sc = loadOne(p, io.err);
  if (!sc) return 2;
  const run = runScenario(sc, { ...runOptionsFrom(p), verboseTrace: true });
  const recs = run.simulation.trace.records;
  io.out(format === 'jsonl' ? formatTraceJsonl(recs) : formatTraceText(recs));
  if (run.outcome.error) io.err(`error: ${run.outcome.error.message}\n`);
  return 0;
}
