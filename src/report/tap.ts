/**
 * The TAP 14 reporter (scenario-format.md, "Output and exit codes"): one subtest per scenario in file
 * order, test points indented by 4 and their YAML diagnostics by 6, plans last, a closing top-level point
 * bearing the scenario name; files with problems as a top-level `not ok` with `problems:`; a final plan
 * (`1..0` when nothing was selected). No other comments; `--timing` appends ` # time=<n>ms` to top-level
 * points. A pure function of its input: the same results give the same bytes.
 */
import type { AssertionResult } from '../assert/evaluate.js';
import { formatPos } from '../k8s/types.js';
import { formatDuration } from '../k8s/duration.js';
import { yamlBlock } from './yaml-block.js';

/** Results of `--seeds N` for one scenario: per failing point (by `expect` index), how many seeds failed it. */
export interface SeedsSummary {
  total: number;
  failing: Record<number, { count: number; smallest: number; rerun: string }>;
}

/** One entry of a report, in file order. */
export type ReportEntry =
  | {
    kind: 'scenario'; name: string; file: string; seed: number; results: AssertionResult[]; timeMs?: number;
    seeds?: SeedsSummary;
  }
  | { kind: 'invalid'; file: string; problems: string[] };

/** Options of {@link formatTap}. */
export interface TapOptions {
  /** Append ` # time=<n>ms` to top-level points (`--timing`). */
  timing?: boolean;
  /** End with `Bail out! <message>` instead of the final plan (`--bail`, internal errors). */
  bailOut?: string;
}

function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ');
}

/** A TAP description: one line, `\` and `#` escaped (TAP 14). */
export function escapeDescription(s: string): string {
  return oneLine(s).replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}

/** Whether a scenario entry passed (all its points ok). */
export function entryOk(e: ReportEntry): boolean {
  return e.kind === 'scenario' && e.results.every((r) => r.ok);
}

/** The diagnostic fields of a test point, in the contract's key order, or undefined for no block. */
export function diagnostics(r: AssertionResult, seed: number, seeds?: SeedsSummary): Record<string, unknown> | undefined {
  if (r.ok) {
    if (r.at !== undefined && !seeds) return { at: formatDuration(r.at) };
    return undefined;
  }
  const d: Record<string, unknown> = {};
  if (r.at !== undefined) d['at'] = formatDuration(r.at);
  if (r.window) d['window'] = `${formatDuration(r.window.from)}..${formatDuration(r.window.until)}`;
  if (r.expected !== undefined) d['expected'] = r.expected;
  if (r.actual !== undefined) d['actual'] = r.actual;
  if (r.diff !== undefined) d['diff'] = r.diff;
  if (r.error !== undefined) d['error'] = r.error;
  if (r.explain !== undefined) d['explain'] = r.explain;
  d['seed'] = seed;
  d['source'] = formatPos(r.source);
  const f = seeds?.failing[r.index];
  if (seeds && f) {
    d['failingSeeds'] = `${f.count}/${seeds.total}`;
    d['rerun'] = f.rerun;
  }
  return d;
}

function pushBlock(out: string[], indent: string, fields: Record<string, unknown>, blockKeys?: ReadonlySet<string>): void {
  out.push(`${indent}---`);
  for (const l of yamlBlock(fields, blockKeys ? { blockKeys } : {})) out.push(l === '' ? '' : indent + l);
  out.push(`${indent}...`);
}

const PROBLEMS: ReadonlySet<string> = new Set(['problems']);
/** The `explain` rows of a failed `node` check read best one per line. */
const EXPLAIN: ReadonlySet<string> = new Set(['explain']);

/** The TAP 14 report of the entries, ending with a newline. */
export function formatTap(entries: ReportEntry[], opts: TapOptions = {}): string {
  const out: string[] = ['TAP version 14'];
  let k = 0;
  for (const e of entries) {
    k++;
    if (e.kind === 'invalid') {
      out.push(`not ok ${k} - ${escapeDescription(e.file)}`);
      pushBlock(out, '  ', { problems: e.problems }, PROBLEMS);
      continue;
    }
    out.push(`# Subtest: ${oneLine(e.name)}`);
    let n = 0;
    for (const r of e.results) {
      n++;
      out.push(`    ${r.ok ? 'ok' : 'not ok'} ${n} - ${escapeDescription(r.name)}`);
      const d = diagnostics(r, e.seed, e.seeds);
      if (d) pushBlock(out, '      ', d, EXPLAIN);
    }
    out.push(`    1..${n}`);
    const time = opts.timing && e.timeMs !== undefined ? ` # time=${Math.round(e.timeMs)}ms` : '';
    out.push(`${entryOk(e) ? 'ok' : 'not ok'} ${k} - ${escapeDescription(e.name)}${time}`);
  }
  if (opts.bailOut !== undefined) out.push(`Bail out! ${opts.bailOut.replace(/\r\n|\r|\n/g, ' ')}`);
  else out.push(`1..${k}`);
  return out.join('\n') + '\n';
}
