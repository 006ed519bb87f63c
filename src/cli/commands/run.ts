/**
 * `kubedrill run`: discover, load, select (--grep, --shard), run (serially or with --jobs worker
 * threads), report (tap, pretty, junit) and decide the exit code (3 > 2 > 1 > 0).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, intOption, UsageError, type OptSpec } from '../args.js';
import { LIMIT_SPEC, limitsFrom, durationOption } from './common.js';
import { loadScenarios } from '../../runner.js';
import type { ReportEntry } from '../../report/tap.js';
import { formatTap } from '../../report/tap.js';
import { executeScenario, type ExecOptions } from './execute.js';
import type { Scenario } from '../../scenario/types.js';
import { runParallel } from './parallel.js';
import { compileRegex, regexProblem } from '../../assert/match.js';

const SPEC: OptSpec = {
  ...LIMIT_SPEC,
  seed: { type: 'value' },
  seeds: { type: 'value' },
  grep: { type: 'value' },
  bail: { type: 'flag' },
  jobs: { type: 'value' },
  shard: { type: 'value' },
  reporter: { type: 'list' },
  record: { type: 'flag' },
  timing: { type: 'flag' },
  'check-invariants': { type: 'flag' },
};

type Io = { out: (s: string) => void; err: (s: string) => void };

/** One unit of work in file order. */
type Item = { kind: 'invalid'; file: string; problems: string[] } | { kind: 'scenario'; scenario: Scenario };

/** Runs the `run` command; returns the exit code. */
export async function runCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, SPEC);
  const seed = intOption(p, 'seed', 0, 2 ** 32 - 1);
  const seeds = intOption(p, 'seeds', 1, 100_000);
  if (seed !== undefined && seeds !== undefined) throw new UsageError('--seed and --seeds exclude each other');
  const jobs = intOption(p, 'jobs', 1, 256) ?? 1;
  let grep: RegExp | undefined;
  if (p.values.grep !== undefined) {
    const bad = regexProblem(p.values.grep);
    if (bad) throw new UsageError(`--grep: ${bad}`);
    grep = compileRegex(p.values.grep)!;
  }
  let shard: { i: number; n: number } | undefined;
  if (p.values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(p.values.shard);
    if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard takes I/N with 1 <= I <= N, not "${p.values.shard}"`);
    shard = { i: Number(m[1]), n: Number(m[2]) };
  }
  const reporters = parseReporters(p.lists.reporter ?? []);
  const maxWallMs = durationOption(p, 'max-wall-time') ?? 120_000;
  const maxSteps = intOption(p, 'max-steps', 1, Number.MAX_SAFE_INTEGER);
  const exec: ExecOptions = {
    ...(seed !== undefined ? { seed } : {}),
    ...(seeds !== undefined ? { seeds } : {}),
    ...(p.flags['check-invariants'] ? { checkInvariants: true } : {}),
    maxWallMs,
    ...(maxSteps !== undefined ? { maxSteps } : {}),
  };

  const loaded = loadScenarios(p.positionals, { allowOutside: !!p.flags['allow-outside'], limits: limitsFrom(p) });
  let code = 0;
  for (const m of loaded.missing) {
    io.err(`${m}\n`);
    code = 2;
  }
  let files = loaded.files;
  if (shard) files = files.filter((_, k) => k % shard!.n === shard!.i - 1);
  const items: Item[] = [];
  for (const f of files) {
    for (const w of f.warnings) io.err(`warning: ${w}\n`);
    if (f.problems.length) {
      for (const pr of f.problems) io.err(`${pr}\n`);
      items.push({ kind: 'invalid', file: f.file, problems: f.problems });
      code = 2;
      continue;
    }
    for (const sc of f.scenarios) if (!grep || grep.test(sc.name)) items.push({ kind: 'scenario', scenario: sc });
  }

  if (p.flags.record) {
    const { recordScenario } = await import('./record.js');
    for (const it of items) if (it.kind === 'scenario') io.out(recordScenario(it.scenario, exec));
    return code;
  }

  const entries: ReportEntry[] = [];
  let bailOut: string | undefined;
  let internal: string | undefined;
  const scenarios = items.filter((i): i is Extract<Item, { kind: 'scenario' }> => i.kind === 'scenario').map((i) => i.scenario);
  const precomputed = jobs > 1 && scenarios.length > 1 && !p.flags.bail
    ? await runParallel(scenarios, exec, jobs)
    : undefined;
  let si = 0;
  for (const it of items) {
    if (it.kind === 'invalid') {
      entries.push({ kind: 'invalid', file: it.file, problems: it.problems });
      continue;
    }
    const idx = si++;
    try {
      const pre = precomputed?.[idx];
      if (pre && 'internal' in pre) throw new Error(pre.internal);
      const entry = pre ?? executeScenario(it.scenario, exec);
      entries.push(entry);
      if (p.flags.bail && entry.results.some((r) => !r.ok)) {
        bailOut = it.scenario.name;
        break;
      }
    } catch (e) {
      const seedUsed = exec.seed ?? it.scenario.seed;
      internal = `internal error in scenario "${it.scenario.name}" (seed ${seedUsed}): ${(e as Error).message?.split('\n')[0] ?? String(e)}`;
      io.err(`kubedrill: ${internal}\nThis is a bug in kubedrill; please report it with the scenario file, its seed and the command line.\n`);
      break;
    }
  }
  const opts = { timing: !!p.flags.timing, ...(internal ? { bailOut: internal } : bailOut ? { bailOut: bailOut } : {}) };
  await emitReports(reporters, entries, opts, io);
  if (internal) return 3;
  if (code) return code;
  return entries.some((e) => e.kind === 'scenario' && e.results.some((r) => !r.ok)) ? 1 : 0;
}

interface ReporterSpec { name: 'tap' | 'pretty' | 'junit'; path?: string }

function parseReporters(list: string[]): ReporterSpec[] {
  const out: ReporterSpec[] = [];
  for (const r of list.length ? list : ['tap']) {
    const [name, path] = r.split(/=(.*)/s) as [string, string | undefined];
    if (name !== 'tap' && name !== 'pretty' && name !== 'junit') throw new UsageError(`--reporter takes tap, pretty or junit (optionally =path), not "${r}"`);
    out.push(path ? { name, path } : { name });
  }
  if (out.filter((r) => !r.path).length > 1) throw new UsageError('at most one reporter may write to stdout; give the others a path (junit=report.xml)');
  return out;
}

async function emitReports(reporters: ReporterSpec[], entries: ReportEntry[], opts: { timing: boolean; bailOut?: string }, io: Io): Promise<void> {
  for (const r of reporters) {
    let text: string;
    if (r.name === 'tap') text = formatTap(entries, opts);
    else if (r.name === 'pretty') {
      const { formatPretty, colorEnabled } = await import('../../report/pretty.js');
      const sources = new Map<string, string>();
      for (const e of entries) {
        if (e.kind === 'scenario' && !sources.has(e.file)) {
          try { sources.set(e.file, readFileSync(e.file, 'utf8')); } catch { /* no code frame */ }
        }
      }
      text = formatPretty(entries, { ...opts, color: colorEnabled(process.env, !r.path && !!process.stdout.isTTY), sources, command: 'npx kubedrill' });
    } else {
      const { formatJunit } = await import('../../report/junit.js');
      text = formatJunit(entries, { timing: opts.timing });
    }
    if (r.path) writeFileSync(r.path, text);
    else io.out(text);
  }
}

