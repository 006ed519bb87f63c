/**
 * The scenario module: finding scenario files, loading them into typed Scenarios with every problem at
 * file:line:col, and the resource limits that bound hostile input.
 */
export { discover } from './discover.js';
export { loadFile, type LoadOptions, type LoadResult } from './load.js';
export { DEFAULT_LIMITS, LIMIT_OPTIONS, limitMessage, type Limits } from './limits.js';
export { scenarioSchema } from './validate.js';
export type { Scenario, Problem, Expectation, ScenarioEvent, NodeDecl, Behavior, Target, TimeMode } from './types.js';
