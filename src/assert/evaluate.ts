/**
 * The assertion engine: judges every `expect` entry under its time mode (at / by / always / never) as the
 * simulation hands it settled states in increasing time order, and turns the judgements into results with
 * their diagnostics. Pure: it reads the states it is shown and nothing else.
 *
 * Time modes (scenario-format.md, "expect"):
 * - `at: T`: the checks hold in the settled state at T; diagnostic `at` T;
 * - `by: T` (from F): at some observed instant in [F, T]; pass: `at` the first such instant; fail: `at` T;
 * - `always` (from F, until U): at every observed instant of [F, U]; fail: `at` the first instant they fail;
 * - `never` (from F, until U): at no observed instant of [F, U]; fail: `at` the first instant they hold.
 * "Every instant" means the settled states at F and at each later instant of the window where anything
 * happens; the simulation observes every checkpoint (see {@link Evaluator.checkpoints}) and every such instant.
 */
import type { SourcePos } from '../k8s/types.js';
import type { Store } from '../sim/store.js';
import type { RecordedEvent } from '../sim/events.js';
import type { Expectation, Scenario } from '../scenario/types.js';
import { formatDuration } from '../k8s/duration.js';
import { selectTargets } from './select.js';
import type { Selected } from './select.js';
import { allHold, compileChecks, describe, failingChecks } from './checks.js';
import type { CompiledChecks } from './checks.js';
import type { SchedulerHandle } from '../sim/context.js';
import { explainForNodeCheck } from './explain.js';

/** The settled state at one instant, as the simulation shows it to the evaluator. */
export interface StateView {
  readonly now: number;
  readonly store: Store;
  readonly events: readonly RecordedEvent[];
  /** The scheduler, when the state comes from a simulation (lets a failed `node` check explain itself). */
  readonly scheduler?: SchedulerHandle;
}

/** The outcome of one expectation: one TAP test point. */
export interface AssertionResult {
  /** 0-based index in `expect` (0 for the `run` point of a scenario without assertions). */
  index: number;
  name: string;
  ok: boolean;
  /** Diagnostic `at` (ms). Set on failures with an instant, and on a passing `by` (the first instant it held). */
  at?: number;
  /** The window of `by`, `always` and `never` (ms), set on failures. */
  window?: { from: number; until: number };
  /** The failing checks as written (the exactly-one of `pod:`/`match` as `count: 1`). */
  expected?: unknown;
  /** Those checks as observed: a count, or per target (`namespace/name` or node name) its value. */
  actual?: unknown;
  /** Unified diff `--- expected` / `+++ actual` when one target was judged. */
  diff?: string;
  /** Why the point could not be judged (an action error, a limit, an instant not reached). */
  error?: string;
  /**
   * A failed `node` check on pods: per failing pod (`namespace/name`), the rows of the scheduler's last
   * attempt at or before `at` (as `kubedrill explain` prints them). TAP key after `error`, before `seed`.
   */
  explain?: Record<string, string[]>;
  /** Where the assertion (or the failing action) is written. */
  source: SourcePos;
}

interface Pending {
  readonly exp: Expectation;
  readonly cc: CompiledChecks;
  result?: AssertionResult;
}

/** `from..until` as Go durations. */
export function formatWindow(w: { from: number; until: number }): string {
  return `${formatDuration(w.from)}..${formatDuration(w.until)}`;
}

/** Judges a scenario's expectations over the states of one run. */
export class Evaluator {
  private readonly pending: Pending[];
  private readonly open: Pending[];
  private lastObserved: number | undefined;

  /** Compiles the scenario's expectations. */
  constructor(private readonly scenario: Scenario) {
    this.pending = scenario.expect.map((exp) => ({ exp, cc: compileChecks(exp) }));
    this.open = [...this.pending];
  }

  /** Instants (ms) that must be observed even when nothing happens then (each at, by, from, until, end). */
  checkpoints(): number[] {
    const s = new Set<number>([this.scenario.until]);
    for (const { exp } of this.pending) {
      const m = exp.mode;
      switch (m.kind) {
        case 'at': s.add(m.at); break;
        case 'by': s.add(m.from); s.add(m.by); break;
        default: s.add(m.from); s.add(m.until);
      }
    }
    return [...s].filter((t) => t <= this.scenario.until).sort((a, b) => a - b);
  }

  /**
   * Judges the settled state at `view.now`. Called for every instant where anything happened and every
   * checkpoint, in increasing time order, each instant once.
   */
  observe(view: StateView): void {
    const now = view.now;
    this.lastObserved = now;
    let closed = false;
    for (const p of this.open) {
      if (p.result) continue;
      const m = p.exp.mode;
      try {
        switch (m.kind) {
          case 'at':
            if (now === m.at) this.judgeAt(p, view);
            else if (now > m.at) this.unobserved(p, m.at);
            break;
          case 'by': {
            if (now < m.from) break;
            if (now > m.by) { this.unobserved(p, m.by, { from: m.from, until: m.by }); break; }
            const targets = selectTargets(p.exp.target, view);
            if (allHold(p.cc, targets)) p.result = this.pass(p, now);
            else if (now === m.by) p.result = this.fail(p, now, { from: m.from, until: m.by }, targets, false, view);
            break;
          }
          case 'always': {
            if (now < m.from) break;
            if (now > m.until) { p.result = this.pass(p); break; }
            const targets = selectTargets(p.exp.target, view);
            if (!allHold(p.cc, targets)) p.result = this.fail(p, now, { from: m.from, until: m.until }, targets, false, view);
            else if (now === m.until) p.result = this.pass(p);
            break;
          }
          case 'never': {
            if (now < m.from) break;
            if (now > m.until) { p.result = this.pass(p); break; }
            const targets = selectTargets(p.exp.target, view);
            if (allHold(p.cc, targets)) p.result = this.fail(p, now, { from: m.from, until: m.until }, targets, true);
            else if (now === m.until) p.result = this.pass(p);
            break;
          }
        }
      } catch (e) {
        p.result = { ...this.base(p, false), at: now, error: `cannot judge: ${e instanceof Error ? e.message : String(e)}` };
      }
      if (p.result) closed = true;
    }
    if (closed) {
      for (let i = this.open.length - 1; i >= 0; i--) if (this.open[i]!.result) this.open.splice(i, 1);
    }
  }

  /**
   * Results in `expect` order. `runError` (an action error, a limit) makes every point fail with `error`
   * naming it (a scenario without assertions gets one failing point named `run`).
   */
  finish(runError?: { message: string; pos?: SourcePos }): AssertionResult[] {
    if (runError) {
      if (this.pending.length === 0) {
        return [{ index: 0, name: 'run', ok: false, error: runError.message, source: runError.pos ?? this.scenario.pos }];
      }
      return this.pending.map((p) => ({ ...this.base(p, false), error: runError.message, source: runError.pos ?? p.exp.pos }));
    }
    return this.pending.map((p) => {
      if (p.result) return p.result;
      const m = p.exp.mode;
      switch (m.kind) {
        case 'at':
          return { ...this.base(p, false), at: m.at, error: `the run ended before ${formatDuration(m.at)}` };
        case 'by':
          return {
            ...this.base(p, false), at: m.by, window: { from: m.from, until: m.by },
            error: `the run ended before ${formatDuration(m.by)}`,
          };
        default:
          // No observed instant of the window broke the rule.
          return this.pass(p);
      }
    });
  }

  private base(p: Pending, ok: boolean): AssertionResult {
    return { index: p.exp.index, name: p.exp.name, ok, source: p.exp.pos };
  }

  private pass(p: Pending, byAt?: number): AssertionResult {
    const r = this.base(p, true);
    if (byAt !== undefined) r.at = byAt;
    return r;
  }

  private judgeAt(p: Pending, view: StateView): void {
    const targets = selectTargets(p.exp.target, view);
    p.result = allHold(p.cc, targets) ? this.pass(p) : this.fail(p, view.now, undefined, targets, false, view);
  }

  private unobserved(p: Pending, at: number, window?: { from: number; until: number }): void {
    const r: AssertionResult = { ...this.base(p, false), at };
    if (window) r.window = window;
    r.error = `instant ${formatDuration(at)} was not observed`;
    p.result = r;
  }

  private fail(p: Pending, at: number, window: { from: number; until: number } | undefined, targets: Selected[], holding: boolean, view?: StateView): AssertionResult {
    const checks = holding ? p.cc.checks : failingChecks(p.cc, targets);
    const d = describe(checks, p.cc, targets, holding);
    const r: AssertionResult = { ...this.base(p, false), at };
    if (window) r.window = window;
    r.expected = d.expected;
    r.actual = d.actual;
    if (d.diff !== undefined) r.diff = d.diff;
    if (!holding && view?.scheduler) {
      const ex = explainForNodeCheck(checks, p.cc, targets, view.scheduler, at);
      if (ex) r.explain = ex;
    }
    return r;
  }
}
