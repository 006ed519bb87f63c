/**
 * Partial objects and operators, as `expect` checks and `where` filters use them.
 *
 * Rules (scenario-format.md, "Partial objects"):
 * - a map matches if every key given matches (other keys ignored); `null` matches a null or absent field,
 *   and an absent or null map is read as a map whose every key is absent;
 * - a list matches as a subset: each expected element matches a different actual element, in any order
 *   (a maximum bipartite matching, not a greedy pick); written `key(ordered)`, the actual list must have the
 *   same length and match index by index; an absent list counts as empty;
 * - scalars compare by value without coercion (`1` equals `1.0`, `"1"` is not `1`);
 * - quantity fields compare by amount. A field holds quantities when one of the keys on its path is
 *   `resources`, `requests`, `limits`, `capacity`, `allocatable`, `hard`, `used` or `overhead`, or its own
 *   key is `storage` or `sizeLimit`; there, two values that both parse as quantities compare by amount,
 *   anything else by value;
 * - timestamp fields: when the actual value is an RFC 3339 string, the expected value may be an RFC 3339
 *   string or an instant (a Go duration string or a number of seconds since t=0, `2m` standing for
 *   `2024-01-01T00:02:00Z`); both compare as instants (milliseconds);
 * - operators: a non-empty map whose keys all start with `$`, several ANDed, usable at any value:
 *   `$gt` `$gte` `$lt` `$lte` (numbers, quantities, timestamps; false on anything else or absent), `$ne`
 *   (true on absent; `$ne: null` means present and not null), `$in`, `$regex` (ECMAScript, unanchored,
 *   strings only), `$exists`.
 */
import { parseQuantity } from '../k8s/quantity.js';
import { parseDuration } from '../k8s/duration.js';
import { fromTime } from '../k8s/time.js';
import { setFlagsFromString } from 'node:v8';

/** The suffix marking an ordered list key in a partial object. */
export const ORDERED_SUFFIX = '(ordered)';

/** Keys whose subtree holds quantities. */
const QUANTITY_ANCESTORS: ReadonlySet<string> = new Set([
  'resources', 'requests', 'limits', 'capacity', 'allocatable', 'hard', 'used', 'overhead',
]);
/** Keys that hold a quantity themselves. */
const QUANTITY_KEYS: ReadonlySet<string> = new Set(['storage', 'sizeLimit']);

/** Longest string `$regex` is applied to (a bound on the cost of a hostile pattern). */
export const REGEX_INPUT_LIMIT = 10_000;

/** Where a value sits: whether its field holds quantities. Cheap to extend as matching descends. */
export interface FieldCtx {
  readonly quantity: boolean;
}

const ROOT: FieldCtx = { quantity: false };
const QTY: FieldCtx = { quantity: true };

/** The context of the field `key` below a field with context `ctx`. */
function child(ctx: FieldCtx, key: string): FieldCtx {
  if (ctx.quantity) return ctx;
  return QUANTITY_ANCESTORS.has(key) || QUANTITY_KEYS.has(key) ? QTY : ROOT;
}

/** Whether a value is a plain map (not a list, not null). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether `v` is an operator map: non-empty, every key starting with `$`. */
export function isOperatorMap(v: unknown): v is Record<string, unknown> {
  if (!isMap(v)) return false;
  let n = 0;
  for (const k in v) {
    if (!k.startsWith('$')) return false;
    n++;
  }
  return n > 0;
}

/** The key of an actual field named by a partial's key (`containers(ordered)` -> `containers`). */
export function fieldKey(key: string): { key: string; ordered: boolean } {
  return key.endsWith(ORDERED_SUFFIX) && key.length > ORDERED_SUFFIX.length
    ? { key: key.slice(0, -ORDERED_SUFFIX.length), ordered: true }
    : { key, ordered: false };
}

const regexCache = new Map<string, RegExp | null>();

/**
 * Whether V8's linear-time RegExp engine (the `l` flag) is available. It is enabled once here; where the flag
 * cannot be set, patterns run on the backtracking engine, still bounded by {@link regexProblem} and
 * {@link REGEX_INPUT_LIMIT}.
 */
const LINEAR_ENGINE: boolean = (() => {
  try { setFlagsFromString('--enable-experimental-regexp-engine'); } catch { /* not available */ }
  try { new RegExp('a', 'l' as string); return true; } catch { return false; }
})();

/** Whether V8's linear-time engine takes the pattern (not with back-references, look-arounds, or deeply nested counts). */
function linearOk(p: string): boolean {
  if (!LINEAR_ENGINE) return false;
  try { new RegExp(p, 'l' as string); return true; } catch { return false; }
}

/**
 * Why a pattern (`$regex`, `--grep`) is refused, or undefined when it is accepted: not ECMAScript syntax, or
 * a shape that makes a backtracking matcher take exponential time — a group repeated without bound (`*`, `+`,
 * `{n,}`, a count over 10) that itself contains a repetition (`(a+)+`, `(\w*x)*`, `(a{1,2})+`) or an
 * alternation whose branches can overlap (`(a|aa)+`, `(\d|1)*`) — that V8's linear-time engine cannot run
 * instead (it runs patterns without back-references, look-arounds or deeply nested counted repetitions, so
 * `^([a-z]+-)*[a-z]+$` is fine).
 * `(\d+\.){3}` is accepted everywhere.
 */
export function regexProblem(p: string): string | undefined {
  try {
    new RegExp(p);
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  const bad = nestedRepetition(p);
  return bad === undefined || linearOk(p) ? undefined
    : `regular expression ${JSON.stringify(p)} is refused: the repeated group ${JSON.stringify(bad)} contains a repetition or overlapping alternatives, and V8's linear-time engine cannot run this pattern (a back-reference, a look-around, or counted repetitions nested too deep), so the backtracking engine could take exponential time; rewrite it without nesting (e.g. (a+)+ as a+)`;
}

/** The first repeated group holding a repetition or an ambiguous alternation, as written, or undefined. */
function nestedRepetition(p: string): string | undefined {
  interface Frame { start: number; rep: boolean; branches: string[]; literal: boolean; cur: string }
  const stack: Frame[] = [{ start: -1, rep: false, branches: [], literal: true, cur: '' }];
  const top = () => stack[stack.length - 1]!;
  // Reads a quantifier at i: [length, kind]; kind 0: none or at most once, 1: a fixed count ({3}), 2: a small
  // range ({1,3}), 3: unbounded (*, +, {2,}) or a count over 10. Only unbounded repetition of a group that
  // itself repeats is refused: a bounded one costs at most a small power of the input length.
  const quant = (i: number): [number, number] => {
    const c = p[i];
    if (c === '*' || c === '+') return [p[i + 1] === '?' ? 2 : 1, 3];
    if (c === '?') return [p[i + 1] === '?' ? 2 : 1, 0];
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}\??/.exec(p.slice(i));
      if (m) {
        const lo = Number(m[1]);
        const hi = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
        return [m[0].length, hi > 10 ? 3 : hi <= 1 ? 0 : hi === lo ? 1 : 2];
      }
    }
    return [0, 0];
  };
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    const f = top();
    if (c === '\\') {
      f.literal = f.literal && /[^A-Za-z0-9]/.test(p[i + 1] ?? '');
      f.cur += p[i + 1] ?? '';
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      if (p[j] === '^') j++;
      if (p[j] === ']') j++;
      while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
      f.literal = false;
      i = j + 1;
    } else if (c === '(') {
      let j = i + 1;
      if (p[j] === '?') {
        const m = /^\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(p.slice(j));
        j += m ? m[0].length : 1;
      }
      stack.push({ start: i, rep: false, branches: [], literal: true, cur: '' });
      i = j;
      continue;
    } else if (c === ')' && stack.length > 1) {
      const g = stack.pop()!;
      g.branches.push(g.cur);
      const [len, kind] = quant(i + 1);
      const parent = top();
      if (kind === 3) {
        const ambiguous = g.branches.length > 1 && (!g.literal || g.branches.some((a, x) => g.branches.some((b, y) => x !== y && b.startsWith(a))));
        if (g.rep || ambiguous) return p.slice(g.start, i + 1 + len);
      }
      parent.rep ||= g.rep || kind >= 2;
      parent.literal = false;
      i += 1 + len;
      continue;
    } else if (c === '|') {
      f.branches.push(f.cur);
      f.cur = '';
      i++;
      continue;
    } else if (c === '.' || c === '^' || c === '$') {
      f.literal = false;
      i++;
    } else {
      f.cur += c;
      i++;
    }
    const [len, kind] = quant(i);
    if (len) {
      if (kind >= 2) f.rep = true;
      f.literal = false;
      i += len;
    }
  }
  return undefined;
}

/** A compiled `$regex` (no flags), or null when the pattern is invalid or refused ({@link regexProblem}). */
export function compileRegex(p: string): RegExp | null {
  let re = regexCache.get(p);
  if (re === undefined) {
    re = null;
    if (regexProblem(p) === undefined) {
      if (LINEAR_ENGINE) {
        try { re = new RegExp(p, 'l' as string); } catch { /* back-references, look-arounds: backtracking engine */ }
      }
      re ??= new RegExp(p);
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(p, re);
  }
  return re;
}

/** An instant in ms denoted by an expected value (RFC 3339 string, Go duration string, seconds), if any. */
export function instantOf(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const t = fromTime(v);
    if (t !== undefined) return t;
  }
  if (typeof v === 'string' || typeof v === 'number') {
    const d = parseDuration(v);
    if (d.ok) return d.ms;
  }
  return undefined;
}

/** The instant of an actual timestamp field, if it is an RFC 3339 string. */
function timestampOf(v: unknown): number | undefined {
  return typeof v === 'string' && v.length >= 20 && v.length <= 40 ? fromTime(v) : undefined;
}

/** Scalar equality under the rules above. */
function scalarEquals(expected: unknown, actual: unknown, ctx: FieldCtx): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (actual === undefined || actual === null) return false;
  if (expected === actual) return true;
  if (ctx.quantity) {
    const a = parseQuantity(actual), e = parseQuantity(expected);
    if (a !== undefined && e !== undefined) return a === e || Math.abs(a - e) <= Math.max(Math.abs(a), Math.abs(e)) * 1e-12;
    return false;
  }
  const ta = timestampOf(actual);
  if (ta !== undefined) {
    const te = instantOf(expected);
    return te !== undefined && te === ta;
  }
  return false;
}

/** Orders two values for `$gt` and friends: -1, 0, 1, or undefined when they do not compare. */
function compareOrdered(actual: unknown, operand: unknown, ctx: FieldCtx): number | undefined {
  if (actual === undefined || actual === null) return undefined;
  if (typeof actual === 'number' && typeof operand === 'number') return actual < operand ? -1 : actual > operand ? 1 : 0;
  if (ctx.quantity) {
    const a = parseQuantity(actual), e = parseQuantity(operand);
    if (a === undefined || e === undefined) return undefined;
    if (a === e || Math.abs(a - e) <= Math.max(Math.abs(a), Math.abs(e)) * 1e-12) return 0;
    return a < e ? -1 : 1;
  }
  const ta = timestampOf(actual);
  if (ta !== undefined) {
    const te = instantOf(operand);
    if (te === undefined) return undefined;
    return ta < te ? -1 : ta > te ? 1 : 0;
  }
  return undefined;
}

/** Evaluates an operator map against an actual value (all operators ANDed). Unknown operators are false. */
function matchOperators(ops: Record<string, unknown>, actual: unknown, ctx: FieldCtx): boolean {
  for (const op in ops) {
    const arg = ops[op];
    let ok: boolean;
    switch (op) {
      case '$gt': { const c = compareOrdered(actual, arg, ctx); ok = c !== undefined && c > 0; break; }
      case '$gte': { const c = compareOrdered(actual, arg, ctx); ok = c !== undefined && c >= 0; break; }
      case '$lt': { const c = compareOrdered(actual, arg, ctx); ok = c !== undefined && c < 0; break; }
      case '$lte': { const c = compareOrdered(actual, arg, ctx); ok = c !== undefined && c <= 0; break; }
      case '$ne':
        ok = arg === null ? actual !== undefined && actual !== null : actual === undefined || !matchAt(arg, actual, ctx);
        break;
      case '$in':
        ok = Array.isArray(arg) && arg.some((e) => matchAt(e, actual, ctx));
        break;
      case '$regex': {
        if (typeof actual !== 'string' || typeof arg !== 'string') { ok = false; break; }
        const re = compileRegex(arg);
        ok = re !== null && re.test(actual.length > REGEX_INPUT_LIMIT ? actual.slice(0, REGEX_INPUT_LIMIT) : actual);
        break;
      }
      case '$exists': {
        const present = actual !== undefined && actual !== null;
        ok = arg === true ? present : arg === false ? !present : false;
        break;
      }
      default:
        ok = false;
    }
    if (!ok) return false;
  }
  return true;
}

/** Whether expected list elements match distinct actual elements (maximum bipartite matching). */
function matchSubset(expected: readonly unknown[], actual: readonly unknown[], ctx: FieldCtx): boolean {
  return subsetAssignment(expected, actual, ctx).every((j) => j >= 0);
}

/**
 * For each expected element, the index of the distinct actual element it is matched with in a maximum
 * matching (Kuhn's augmenting paths), or -1.
 */
export function subsetAssignment(expected: readonly unknown[], actual: readonly unknown[], ctx: FieldCtx = ROOT): number[] {
  const n = expected.length, m = actual.length;
  const assign = new Array<number>(n).fill(-1);
  if (n === 0) return assign;
  // Compatibility lists.
  const adj: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) if (matchAt(expected[i], actual[j], ctx)) row.push(j);
    adj.push(row);
  }
  const owner = new Array<number>(m).fill(-1);
  const tryAssign = (i: number, seen: Uint8Array): boolean => {
    for (const j of adj[i]!) {
      if (seen[j]) continue;
      seen[j] = 1;
      if (owner[j]! < 0 || tryAssign(owner[j]!, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < n; i++) tryAssign(i, new Uint8Array(m));
  for (let j = 0; j < m; j++) if (owner[j]! >= 0) assign[owner[j]!] = j;
  return assign;
}

/** Matching with an explicit field context. */
function matchAt(expected: unknown, actual: unknown, ctx: FieldCtx, ordered = false): boolean {
  if (isOperatorMap(expected)) return matchOperators(expected, actual, ctx);
  if (isMap(expected)) {
    if (actual !== undefined && actual !== null && !isMap(actual)) return false;
    const a = (actual ?? undefined) as Record<string, unknown> | undefined;
    for (const k in expected) {
      const f = fieldKey(k);
      const av = a && Object.prototype.hasOwnProperty.call(a, f.key) ? a[f.key] : undefined;
      if (!matchAt(expected[k], av, child(ctx, f.key), f.ordered)) return false;
    }
    return true;
  }
  if (Array.isArray(expected)) {
    if (actual === undefined || actual === null) return expected.length === 0;
    if (!Array.isArray(actual)) return false;
    if (ordered) {
      if (expected.length !== actual.length) return false;
      for (let i = 0; i < expected.length; i++) if (!matchAt(expected[i], actual[i], ctx)) return false;
      return true;
    }
    if (expected.length > actual.length) return false;
    return matchSubset(expected, actual, ctx);
  }
  return scalarEquals(expected, actual, ctx);
}

/**
 * Whether `actual` matches the partial `expected`. `fieldPath` names the keys leading to both values (for
 * the quantity rule) when they are not at the root of an object.
 */
export function matchPartial(expected: unknown, actual: unknown, fieldPath: readonly string[] = []): boolean {
  let ctx = ROOT;
  for (const k of fieldPath) ctx = child(ctx, k);
  return matchAt(expected, actual, ctx);
}

/** Whether a value (a shorthand's actual value, a field) matches an exact value or an operator map. */
export function matchValue(expected: unknown, actual: unknown): boolean {
  return matchAt(expected, actual, ROOT);
}

/** A deep copy of JSON-like data (for diagnostics, since stored objects change in place). */
export function snapshot(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snapshot);
  if (isMap(v)) {
    const o: Record<string, unknown> = {};
    for (const k in v) if (v[k] !== undefined) o[k] = snapshot(v[k]);
    return o;
  }
  return v;
}

/**
 * `actual` pruned to the keys of the partial `expected` (a deep copy), for diagnostics and diffs: maps keep
 * the expected keys that are present (under the key as written, `(ordered)` included, so a diff shows only
 * differences of value); unordered lists list matched elements in the expected order, then the others.
 */
export function prune(expected: unknown, actual: unknown, fieldPath: readonly string[] = []): unknown {
  let ctx = ROOT;
  for (const k of fieldPath) ctx = child(ctx, k);
  return pruneAt(expected, actual, ctx, false);
}

function pruneAt(expected: unknown, actual: unknown, ctx: FieldCtx, ordered: boolean): unknown {
  if (actual === undefined) return undefined;
  if (isOperatorMap(expected)) return snapshot(actual);
  if (isMap(expected)) {
    if (!isMap(actual)) return snapshot(actual);
    const o: Record<string, unknown> = {};
    for (const k in expected) {
      const f = fieldKey(k);
      if (!Object.prototype.hasOwnProperty.call(actual, f.key)) continue;
      const v = pruneAt(expected[k], actual[f.key], child(ctx, f.key), f.ordered);
      if (v !== undefined) o[k] = v;
    }
    return o;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return snapshot(actual);
    const template = expected.find((e) => isMap(e) && !isOperatorMap(e));
    if (ordered) {
      return actual.map((a, i) => pruneAt(i < expected.length ? expected[i] : template, a, ctx, false));
    }
    const assign = subsetAssignment(expected, actual, ctx);
    const used = new Set<number>();
    const out: unknown[] = [];
    assign.forEach((j, i) => {
      if (j >= 0) {
        used.add(j);
        out.push(pruneAt(expected[i], actual[j], ctx, false));
      }
    });
    actual.forEach((a, j) => {
      if (!used.has(j)) out.push(pruneAt(template, a, ctx, false));
    });
    return out;
  }
  return snapshot(actual);
}
