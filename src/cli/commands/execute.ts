/**
 * Runs one scenario (with one seed or a sweep of seeds) to a report entry. Shared by the serial runner
 * and the worker threads of --jobs, so that both give the same bytes.
 */
import type { Scenario } from '../../scenario/types.js';
import type { ReportEntry } from '../../report/tap.js';
import type { AssertionResult } from '../../assert/evaluate.js';
import { runScenario } from '../../runner.js';
import { reproduceCommand } from '../../report/pretty.js';

/** How to run a scenario. */
export interface ExecOptions {
  seed?: number;
  seeds?: number;
  checkInvariants?: boolean;
  maxWallMs?: number;
  maxSteps?: number;
}

/** Runs a scenario and returns its report entry (scenario kind). */
export function executeScenario(sc: Scenario, opts: ExecOptions): Extract<ReportEntry, { kind: 'scenario' }> {
  const base = {
    ...(opts.checkInvariants ? { checkInvariants: true } : {}),
    ...(opts.maxWallMs ? { maxWallMs: opts.maxWallMs } : {}),
    ...(opts.maxSteps ? { maxSteps: opts.maxSteps } : {}),
    verboseTrace: false,
  };
  const started = Date.now();
  if (!opts.seeds) {
    const seed = opts.seed ?? sc.seed;
    const r = runScenario(sc, { ...base, seed });
    return { kind: 'scenario', name: sc.name, file: sc.file, seed: r.seed, results: r.results, timeMs: Date.now() - started };
  }
  const n = opts.seeds;
  const perSeed: AssertionResult[][] = [];
  for (let s = 1; s <= n; s++) perSeed.push(runScenario(sc, { ...base, seed: s }).results);
  const first = perSeed[0] ?? [];
  const results: AssertionResult[] = [];
  const failing: Record<number, { count: number; smallest: number; rerun: string }> = {};
  first.forEach((_, i) => {
    let count = 0;
    let smallest = 0;
    for (let s = 1; s <= n; s++) {
      const res = perSeed[s - 1]![i]!;
      if (!res.ok) {
        count++;
        if (!smallest) smallest = s;
      }
    }
    if (count === 0) {
      results.push(first[i]!);
      return;
    }
    results.push(perSeed[smallest - 1]![i]!);
    failing[i] = {
      count,
      smallest,
      rerun: reproduceCommand(sc.file, sc.name, smallest, 'npx kubedrill'),
    };
  });
  const minSeed = Object.values(failing).reduce((m, f) => Math.min(m, f.smallest), Infinity);
  return {
    kind: 'scenario', name: sc.name, file: sc.file, seed: Number.isFinite(minSeed) ? minSeed : 1, results,
    timeMs: Date.now() - started, seeds: { total: n, failing },
  };
}
