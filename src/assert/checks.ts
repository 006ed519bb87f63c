/**
 * Checks of one expectation judged against its targets in one settled state, and the diagnostics of a
 * judgement (`expected`: the checks as written, `actual`: what was observed, `diff` for one target).
 */
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { KObject } from '../k8s/types.js';
import type { Expectation } from '../scenario/types.js';
import { isMap, isOperatorMap, matchPartial, prune, snapshot } from './match.js';
import type { Selected } from './select.js';
import {
  EVENT_SHORTHANDS, NODE_SHORTHANDS, POD_SHORTHANDS, eventShorthandHolds, eventShorthandValue,
  nodeShorthandHolds, nodeShorthandValue, numberHolds, podShorthandHolds, podShorthandValue,
} from './shorthands.js';

/** Most targets listed per check in `actual`; the rest are summarised under a `...` key. */
export const ACTUAL_TARGET_LIMIT = 100;

/** A compiled check. `exactlyOne` is the implicit check of `pod:` (and the count part of `match`). */
export type Check =
  | { kind: 'count'; key: 'count'; value: unknown }
  | { kind: 'exactlyOne'; key: 'count'; value: 1 }
  | { kind: 'all' | 'any' | 'none' | 'match'; key: string; value: unknown }
  | { kind: 'distinctNodes'; key: 'distinctNodes'; value: unknown }
  | { kind: 'shorthand'; key: string; value: unknown };

/** The checks of an expectation, compiled once. */
export interface CompiledChecks {
  readonly checks: readonly Check[];
  /** Whether an explicit `count` admits zero targets (the zero-target rule). */
  readonly countAdmitsZero: boolean;
  readonly targetKind: 'pods' | 'nodes' | 'events' | 'object';
  /** Whether the target is `pod:` (exactly one). */
  readonly exactlyOne: boolean;
}

/** Compiles the checks of an expectation in the order written (the implicit exactly-one of `pod:` first). */
export function compileChecks(exp: Expectation): CompiledChecks {
  const t = exp.target.kind;
  const targetKind = t === 'pod' || t === 'pods' ? 'pods' : t;
  const checks: Check[] = [];
  if (t === 'pod') checks.push({ kind: 'exactlyOne', key: 'count', value: 1 });
  let countAdmitsZero = false;
  for (const key of Object.keys(exp.checks)) {
    const value = exp.checks[key];
    switch (key) {
      case 'count':
        checks.push({ kind: 'count', key, value });
        countAdmitsZero = numberHolds(value, 0);
        break;
      case 'all': case 'any': case 'none': case 'match':
        checks.push({ kind: key, key, value });
        break;
      case 'distinctNodes':
        checks.push({ kind: 'distinctNodes', key, value });
        break;
      default:
        checks.push({ kind: 'shorthand', key, value });
    }
  }
  return { checks, countAdmitsZero, targetKind, exactlyOne: t === 'pod' };
}

function shorthandHolds(kind: CompiledChecks['targetKind'], key: string, expected: unknown, obj: KObject): boolean {
  if (kind === 'pods' && POD_SHORTHANDS.has(key)) return podShorthandHolds(key, expected, obj);
  if (kind === 'nodes' && NODE_SHORTHANDS.has(key)) return nodeShorthandHolds(key, expected, obj);
  if (kind === 'events' && EVENT_SHORTHANDS.has(key)) return eventShorthandHolds(key, expected, obj);
  throw new Error(`${key} is not a check of ${kind}`);
}

function shorthandValue(kind: CompiledChecks['targetKind'], key: string, obj: KObject): unknown {
  if (kind === 'pods') return podShorthandValue(key, obj);
  if (kind === 'nodes') return snapshot(nodeShorthandValue(key, obj));
  return eventShorthandValue(key, obj);
}

function countOf(targets: readonly Selected[]): number {
  let n = 0;
  for (const t of targets) n += t.occurrences;
  return n;
}

function distinctNodesHold(targets: readonly Selected[]): boolean {
  const seen = new Set<string>();
  for (const t of targets) {
    const n: string | undefined = t.obj.spec?.nodeName || undefined;
    if (n === undefined || seen.has(n)) return false;
    seen.add(n);
  }
  return true;
}

/** Whether one check holds for the targets. */
export function checkHolds(c: Check, cc: CompiledChecks, targets: readonly Selected[]): boolean {
  const zero = targets.length === 0;
  switch (c.kind) {
    case 'count': return numberHolds(c.value, countOf(targets));
    case 'exactlyOne': return targets.length === 1;
    case 'any': return targets.some((t) => matchPartial(c.value, t.obj));
    case 'none': return !targets.some((t) => matchPartial(c.value, t.obj));
    case 'match': return targets.length === 1 && matchPartial(c.value, targets[0]!.obj);
    case 'all':
      if (zero) return cc.countAdmitsZero;
      return targets.every((t) => matchPartial(c.value, t.obj));
    case 'distinctNodes':
      if (zero) return cc.countAdmitsZero;
      return c.value !== true || distinctNodesHold(targets);
    case 'shorthand':
      if (zero) return cc.countAdmitsZero;
      return targets.every((t) => shorthandHolds(cc.targetKind, c.key, c.value, t.obj));
  }
}

/** Whether every check holds (stops at the first that does not). */
export function allHold(cc: CompiledChecks, targets: readonly Selected[]): boolean {
  for (const c of cc.checks) if (!checkHolds(c, cc, targets)) return false;
  return true;
}

/** The checks that do not hold. A `match` failing because the targets are not one reads as `count: 1`. */
export function failingChecks(cc: CompiledChecks, targets: readonly Selected[]): Check[] {
  const out: Check[] = [];
  for (const c of cc.checks) {
    if (checkHolds(c, cc, targets)) continue;
    if (c.kind === 'match' && targets.length !== 1) out.push({ kind: 'exactlyOne', key: 'count', value: 1 });
    else out.push(c);
  }
  return out;
}

/** Diagnostics of a judgement. */
export interface Diagnostics {
  expected: Record<string, unknown>;
  actual: Record<string, unknown>;
  diff?: string;
}

function listTargets(targets: readonly Selected[], value: (t: Selected) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const t of targets) {
    if (n === ACTUAL_TARGET_LIMIT) {
      out['...'] = `${targets.length - n} more`;
      break;
    }
    out[t.key] = value(t);
    n++;
  }
  return out;
}

/** The observed value of a per-target check for one target. */
function targetValue(c: Check, cc: CompiledChecks, t: Selected): unknown {
  switch (c.kind) {
    case 'all': case 'any': case 'none': case 'match': return prune(c.value, t.obj);
    case 'distinctNodes': return t.obj.spec?.nodeName || null;
    case 'shorthand': return shorthandValue(cc.targetKind, c.key, t.obj);
    default: return undefined;
  }
}

/**
 * Describes `checks` as written and as observed. `holding`: the checks held (a `never` failure), so each
 * lists every target; otherwise each lists the targets that make it fail (`any`: all of them).
 */
export function describe(checks: readonly Check[], cc: CompiledChecks, targets: readonly Selected[], holding: boolean): Diagnostics {
  const expected: Record<string, unknown> = {};
  const actual: Record<string, unknown> = {};
  const perTarget: Check[] = [];
  for (const c of checks) {
    if (c.key in expected) continue;
    expected[c.key] = snapshot(c.value);
    switch (c.kind) {
      case 'count': actual[c.key] = countOf(targets); break;
      case 'exactlyOne': actual[c.key] = targets.length; break;
      default: {
        perTarget.push(c);
        let shown: readonly Selected[] = targets;
        if (!holding) {
          if (c.kind === 'all') shown = targets.filter((t) => !matchPartial(c.value, t.obj));
          else if (c.kind === 'none') shown = targets.filter((t) => matchPartial(c.value, t.obj));
          else if (c.kind === 'shorthand') shown = targets.filter((t) => !shorthandHolds(cc.targetKind, c.key, c.value, t.obj));
        }
        actual[c.key] = listTargets(shown, (t) => targetValue(c, cc, t));
      }
    }
  }
  const d: Diagnostics = { expected, actual };
  // A diff when one target was judged: the target of `pod:`, or the one of `match` (never for a target set
  // that merely happens to hold one object, as the specification's example shows).
  const judgedOne = cc.exactlyOne || perTarget.some((c) => c.kind === 'match');
  if (!holding && judgedOne && targets.length === 1 && perTarget.length > 0) {
    const t = targets[0]!;
    let exp: unknown, act: unknown;
    const only = perTarget[0]!;
    if (perTarget.length === 1 && (only.kind === 'all' || only.kind === 'any' || only.kind === 'none' || only.kind === 'match')) {
      exp = only.value;
      act = targetValue(only, cc, t);
    } else {
      const e: Record<string, unknown> = {}, a: Record<string, unknown> = {};
      for (const c of perTarget) {
        e[c.key] = c.value;
        a[c.key] = targetValue(c, cc, t);
      }
      exp = e;
      act = a;
    }
    const diff = unifiedDiff(toYaml(exp), toYaml(act));
    if (diff !== undefined) d.diff = diff;
  }
  return d;
}

/** Block-style YAML of a value for diffs. */
export function toYaml(v: unknown): string {
  if (v === undefined) return '';
  return stringify(v, { lineWidth: 0 });
}

/** A unified diff `--- expected` / `+++ actual` of two texts, or undefined when they are equal. */
export function unifiedDiff(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  const nl = (s: string): string => (s === '' || s.endsWith('\n') ? s : s + '\n');
  const patch = createTwoFilesPatch('expected', 'actual', nl(expected), nl(actual), undefined, undefined, { context: 3 });
  const lines = patch.split('\n').filter((l) => !l.startsWith('=====') && !l.startsWith('\\'));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n') + '\n';
}

/** Whether a value is a partial object usable for `prune` (a map that is not an operator map). */
export function isPartialMap(v: unknown): boolean {
  return isMap(v) && !isOperatorMap(v);
}
