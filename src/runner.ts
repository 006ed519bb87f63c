/**
 * The library entry points: load scenario files and run one scenario to assertion results. The CLI and
 * anyone driving kubedrill from their own test framework use these.
 */
import type { Scenario } from './scenario/types.js';
import type { AssertionResult } from './assert/evaluate.js';
import { Evaluator } from './assert/evaluate.js';
import { createSimulation, type Simulation, type RunOutcome } from './sim/simulation.js';
import { discover, loadFile, DEFAULT_LIMITS, type Limits } from './scenario/index.js';
import { InvariantError } from './sim/invariants.js';
import { formatPos, type SourcePos } from './k8s/types.js';

/** A loaded file: its scenarios, or the problems that keep it from running. */
export interface LoadedScenarioFile {
  file: string;
  scenarios: Scenario[];
  problems: string[];
  warnings: string[];
}

/** Options of loadScenarios. */
export interface LoadOptions {
  cwd?: string;
  allowOutside?: boolean;
  limits?: Partial<Limits>;
}

/**
 * Finds scenario files under `paths` (files and folders, default `scenarios/`) and loads them.
 * Problems are `file:line:col: message` strings; a missing path is reported under `missing`.
 */
export function loadScenarios(paths: string[], opts: LoadOptions = {}): { files: LoadedScenarioFile[]; missing: string[] } {
  const cwd = opts.cwd ?? process.cwd();
  const limits: Limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
  const found = discover(paths.length ? paths : ['scenarios/'], cwd);
  const files: LoadedScenarioFile[] = [];
  for (const f of found.files) {
    const r = loadFile(f, { allowOutside: !!opts.allowOutside, limits });
    files.push({ file: r.file, scenarios: r.scenarios, problems: r.problems.map((p) => `${formatPos(p.pos)}: ${p.message}`), warnings: r.warnings });
  }
  return { files, missing: found.problems.map((p) => `${p.pos.line > 0 ? formatPos(p.pos) : p.pos.file}: ${p.message}`) };
}

/** Options of runScenario. */
export interface RunOptions {
  seed?: number;
  checkInvariants?: boolean;
  /** Wall-time limit in ms (the run fails with an error naming the limit). */
  maxWallMs?: number;
  /** Bound on work at one instant. */
  maxSteps?: number;
  /** Stop after this instant (state --at). */
  stopAt?: number;
  /** Keep every write in the trace. */
  verboseTrace?: boolean;
}

/** The outcome of one scenario run. */
export interface ScenarioRun {
  scenario: Scenario;
  seed: number;
  results: AssertionResult[];
  outcome: RunOutcome;
  simulation: Simulation;
}

/** Runs a scenario and evaluates its `expect` block. Throws only on internal errors. */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): ScenarioRun {
  const seed = (opts.seed ?? scenario.seed) >>> 0;
  const sim = createSimulation(scenario, {
    seed,
    ...(opts.checkInvariants ? { checkInvariants: true } : {}),
    ...(opts.maxSteps ? { stepLimit: opts.maxSteps } : {}),
    ...(opts.stopAt !== undefined ? { stopAt: opts.stopAt } : {}),
    ...(opts.verboseTrace !== undefined ? { verboseTrace: opts.verboseTrace } : {}),
    ...(opts.maxWallMs ? { interrupt: wallClockLimit(opts.maxWallMs) } : {}),
  });
  const evaluator = new Evaluator(scenario);
  let outcome: RunOutcome;
  try {
    outcome = sim.run((view) => evaluator.observe(view), evaluator.checkpoints());
  } catch (e) {
    if (e instanceof InvariantError) outcome = { error: { message: `invariant broken: ${e.message}` }, endedAt: sim.kernel.now };
    else throw e;
  }
  const results = evaluator.finish(outcome.error ? errorWithPos(outcome.error) : undefined);
  return { scenario, seed, results, outcome, simulation: sim };
}

function errorWithPos(e: { message: string; pos?: SourcePos }): { message: string; pos?: SourcePos } {
  return e.pos ? { message: e.message, pos: e.pos } : { message: e.message };
}

function wallClockLimit(maxMs: number): () => string | undefined {
  const start = Date.now();
  let n = 0;
  return () => {
    if ((++n & 255) !== 0) return undefined;
    return Date.now() - start > maxMs ? `wall-time limit of ${maxMs} ms per scenario reached (raise it with --max-wall-time)` : undefined;
  };
}
