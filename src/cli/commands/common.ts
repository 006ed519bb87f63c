/**
 * Pieces shared by the commands: limit options, loading one scenario for file commands, instants.
 */
import type { OptSpec, Parsed } from '../args.js';
import { UsageError, intOption } from '../args.js';
import type { Limits } from '../../scenario/index.js';
import { loadScenarios } from '../../runner.js';
import type { Scenario } from '../../scenario/types.js';
import { parseDuration } from '../../k8s/duration.js';

/** Options every loading command takes. */
export const LIMIT_SPEC: OptSpec = {
  'allow-outside': { type: 'flag' },
  'max-nodes': { type: 'value' },
  'max-pods': { type: 'value' },
  'max-objects': { type: 'value' },
  'max-events': { type: 'value' },
  'max-span': { type: 'value' },
  'max-wall-time': { type: 'value' },
  'max-steps': { type: 'value' },
  'max-aliases': { type: 'value' },
  'max-depth': { type: 'value' },
  'max-file-bytes': { type: 'value' },
  'max-yaml-values': { type: 'value' },
};

/** Options of commands taking one `<file>`. */
export const FILE_SPEC: OptSpec = {
  ...LIMIT_SPEC,
  seed: { type: 'value' },
  scenario: { type: 'value' },
};

/** A duration option in ms, or a UsageError. */
export function durationOption(p: Parsed, name: string): number | undefined {
  const v = p.values[name];
  if (v === undefined) return undefined;
  const d = parseDuration(/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);
  if (!d.ok) throw new UsageError(`--${name}: ${d.message}`);
  return d.ms;
}

/** The limits given on the command line. */
export function limitsFrom(p: Parsed): Partial<Limits> {
  const l: Partial<Limits> = {};
  const big = Number.MAX_SAFE_INTEGER;
  const n = intOption(p, 'max-nodes', 1, big); if (n !== undefined) l.maxNodes = n;
  const pods = intOption(p, 'max-pods', 1, big); if (pods !== undefined) l.maxPods = pods;
  const o = intOption(p, 'max-objects', 1, big); if (o !== undefined) l.maxObjects = o;
  const e = intOption(p, 'max-events', 1, big); if (e !== undefined) l.maxEvents = e;
  const s = durationOption(p, 'max-span'); if (s !== undefined) l.maxSpan = s;
  const w = durationOption(p, 'max-wall-time'); if (w !== undefined) l.maxWallMs = w;
  const a = intOption(p, 'max-aliases', 0, big); if (a !== undefined) l.maxAliases = a;
  const dp = intOption(p, 'max-depth', 1, big); if (dp !== undefined) l.maxDepth = dp;
  const fb = intOption(p, 'max-file-bytes', 1, big); if (fb !== undefined) l.maxFileBytes = fb;
  const yv = intOption(p, 'max-yaml-values', 1, big); if (yv !== undefined) l.maxYamlValues = yv;
  return l;
}

/** Loads the one scenario a file command works on; problems are printed and give exit 2 (undefined). */
export function loadOne(p: Parsed, err: (s: string) => void): Scenario | undefined {
  const file = p.positionals[0];
  if (!file) throw new UsageError('a scenario file is required');
  if (p.positionals.length > 1) throw new UsageError(`one scenario file only (got ${p.positionals.join(' ')})`);
  const { files, missing } = loadScenarios([file], { allowOutside: !!p.flags['allow-outside'], limits: limitsFrom(p) });
  if (missing.length) {
    for (const m of missing) err(`${m}\n`);
    return undefined;
  }
  const f = files[0];
  if (!f) {
    err(`${file}: not a scenario file (its first document is not kind: Scenario)\n`);
    return undefined;
  }
  for (const w of f.warnings) err(`warning: ${w}\n`);
  if (f.problems.length) {
    for (const m of f.problems) err(`${m}\n`);
    return undefined;
  }
  const want = p.values.scenario;
  if (want !== undefined) {
    const s = f.scenarios.find((x) => x.name === want);
    if (!s) throw new UsageError(`no scenario named "${want}" in ${f.file} (scenarios: ${f.scenarios.map((x) => JSON.stringify(x.name)).join(', ')})`);
    return s;
  }
  if (f.scenarios.length !== 1) {
    throw new UsageError(`${f.file} holds ${f.scenarios.length} scenarios; choose one with --scenario NAME (${f.scenarios.map((x) => JSON.stringify(x.name)).join(', ')})`);
  }
  return f.scenarios[0];
}

/** An instant option (`end` = until), checked against the scenario. */
export function instantOption(p: Parsed, name: string, sc: Scenario): number {
  const v = p.values[name];
  if (v === undefined || v === 'end') return sc.until;
  const ms = durationOption(p, name)!;
  if (ms > sc.until) throw new UsageError(`--${name} ${v} lies after until (${sc.until / 1000}s)`);
  return ms;
}

/** The run options a file command's flags ask for. */
export function runOptionsFrom(p: Parsed): { seed?: number; maxSteps?: number; maxWallMs?: number } {
  const out: { seed?: number; maxSteps?: number; maxWallMs?: number } = {};
  const seed = intOption(p, 'seed', 0, 2 ** 32 - 1);
  if (seed !== undefined) out.seed = seed;
  const steps = intOption(p, 'max-steps', 1, Number.MAX_SAFE_INTEGER);
  if (steps !== undefined) out.maxSteps = steps;
  const w = durationOption(p, 'max-wall-time');
  if (w !== undefined) out.maxWallMs = w;
  return out;
}
