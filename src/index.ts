/**
 * kubedrill as a library: load scenarios, run them, format reports.
 * @example
 *   import { loadScenarios, runScenario } from 'kubedrill';
 *   const { files } = loadScenarios(['scenarios/']);
 *   for (const f of files) for (const s of f.scenarios) console.log(runScenario(s).results);
 */
export { loadScenarios, runScenario } from './runner.js';
export type { LoadedScenarioFile, LoadOptions, RunOptions, ScenarioRun } from './runner.js';
export type { Scenario, Expectation, Problem } from './scenario/types.js';
export type { AssertionResult } from './assert/evaluate.js';
export { formatTap } from './report/tap.js';
export { createSimulation } from './sim/simulation.js';
