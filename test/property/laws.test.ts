/**
 * Algebraic laws of the value helpers, checked with fast-check (short budgets: the whole property suite stays
 * well under a minute): quantities, durations, globs (against the regular-expression reading, and never
 * slow), the partial matcher's operators, and the `$regex` guard (never throws, never accepts a nested
 * repetition, and what it accepts compiles and runs in bounded time).
 */
import t from 'tap';
import fc from 'fast-check';
import { parseQuantity, compareQuantities, quantityEquals, milliValue } from '../../src/k8s/quantity.js';
import { parseDuration, formatDuration } from '../../src/k8s/duration.js';
import { globMatch, globToRegExp } from '../../src/k8s/match.js';
import { matchPartial, matchValue, regexProblem, compileRegex } from '../../src/assert/match.js';

const runs = { numRuns: 300, seed: 20261123 };

const decimalSuffix = fc.constantFrom('', 'm', 'k', 'M', 'G', 'T');
const binarySuffix = fc.constantFrom('Ki', 'Mi', 'Gi', 'Ti');
const amount = fc.integer({ min: 0, max: 100_000 });

t.test('quantities: suffixes scale, m is a thousandth, binary suffixes are powers of 1024', async (tt) => {
  fc.assert(fc.property(amount, (n) => parseQuantity(`${n}m`)! * 1000 === n || Math.abs(parseQuantity(`${n}m`)! * 1000 - n) < 1e-9), runs);
  fc.assert(fc.property(amount, binarySuffix, (n, s) => parseQuantity(`${n}${s}`) === n * 1024 ** (['Ki', 'Mi', 'Gi', 'Ti'].indexOf(s) + 1)), runs);
  fc.assert(fc.property(amount, (n) => quantityEquals(`${n}`, `${n * 1000}m`) && quantityEquals(n, `${n}`) && milliValue(`${n}`) === n * 1000), runs);
  tt.pass('held');
});

t.test('quantities: comparison is a total order consistent with the amounts', async (tt) => {
  const q = fc.tuple(amount, decimalSuffix).map(([n, s]) => `${n}${s}`);
  fc.assert(fc.property(q, q, (a, b) => {
    const c = compareQuantities(a, b)!;
    const d = compareQuantities(b, a)!;
    return c === -d && (c === 0) === quantityEquals(a, b) && (c < 0) === (parseQuantity(a)! < parseQuantity(b)! && !quantityEquals(a, b));
  }), runs);
  fc.assert(fc.property(q, q, q, (a, b, c) => {
    if (compareQuantities(a, b)! <= 0 && compareQuantities(b, c)! <= 0) return compareQuantities(a, c)! <= 0;
    return true;
  }), runs);
  tt.pass('held');
});

t.test('quantities: arbitrary strings never throw and garbage is undefined', async (tt) => {
  fc.assert(fc.property(fc.string({ maxLength: 30 }), (s) => { const v = parseQuantity(s); return v === undefined || Number.isFinite(v); }), runs);
  fc.assert(fc.property(fc.constantFrom('1.5.0', '4 cores', '16GB', '1Gb', '', ' 1', '1 ', 'Ki', '--1', '1e', 'NaN', 'Infinity'), (s) => parseQuantity(s) === undefined), runs);
  tt.pass('held');
});

t.test('durations: format then parse is the identity; parts add up; seconds as numbers agree', async (tt) => {
  const ms = fc.integer({ min: 0, max: 30 * 24 * 3_600_000 });
  fc.assert(fc.property(ms, (x) => { const r = parseDuration(formatDuration(x)); return r.ok && r.ms === x; }), runs);
  fc.assert(fc.property(fc.nat(1000), fc.nat(59), fc.nat(59), fc.nat(999), (h, m, s, l) => {
    const r = parseDuration(`${h}h${m}m${s}s${l}ms`);
    return r.ok && r.ms === ((h * 60 + m) * 60 + s) * 1000 + l;
  }), runs);
  fc.assert(fc.property(fc.nat(1_000_000), (s) => { const r = parseDuration(s); const q = parseDuration(`${s}s`); return r.ok && q.ok && r.ms === q.ms; }), runs);
  fc.assert(fc.property(fc.string({ maxLength: 20 }), (s) => { const r = parseDuration(s); return !r.ok || (Number.isInteger(r.ms) && r.ms >= 0); }), runs);
  tt.pass('held');
});

t.test('globs: the linear matcher agrees with the regular-expression reading', async (tt) => {
  const alpha = fc.constantFrom('a', 'b', '-', '*', '?');
  const glob = fc.array(alpha, { maxLength: 8 }).map((a) => a.join(''));
  const name = fc.array(fc.constantFrom('a', 'b', '-'), { maxLength: 12 }).map((a) => a.join(''));
  fc.assert(fc.property(glob, name, (g, s) => globMatch(g, s) === globToRegExp(g).test(s)), { numRuns: 2000, seed: 3 });
  fc.assert(fc.property(name, (s) => globMatch('*', s) && globMatch(s, s) && globMatch(`*${s}`, s) && globMatch(`${s}*`, s)), runs);
  fc.assert(fc.property(name, (s) => globMatch('?'.repeat(s.length), s) && !globMatch('?'.repeat(s.length + 1), s)), runs);
  tt.pass('held');
});

t.test('globs: hostile patterns stay fast', async (tt) => {
  const t0 = Date.now();
  for (let n = 1; n <= 60; n++) globMatch('*a'.repeat(n) + '*b', 'a'.repeat(253));
  tt.ok(Date.now() - t0 < 2000, `60 hostile globs against 253 characters in ${Date.now() - t0} ms`);
});

t.test('matcher: operators agree with their plain readings', async (tt) => {
  const scalar = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('a', 'b', '1'), fc.boolean(), fc.constant(null));
  fc.assert(fc.property(scalar, scalar, (e, a) => matchValue({ $ne: e }, a) === !matchValue(e, a) || e === null), runs);
  fc.assert(fc.property(fc.array(scalar, { maxLength: 4 }), scalar, (list, a) => matchValue({ $in: list }, a) === list.some((x) => matchValue(x, a))), runs);
  fc.assert(fc.property(fc.integer(), fc.integer(), (x, y) =>
    matchValue({ $gt: y }, x) === x > y && matchValue({ $lte: y }, x) === x <= y && matchValue({ $gte: y, $lt: y }, x) === false), runs);
  fc.assert(fc.property(amount, (n) => matchPartial({ cpu: `${n}` }, { cpu: `${n * 1000}m` }, ['resources', 'requests'])), runs);
  fc.assert(fc.property(scalar, (a) => matchValue({ $exists: true }, a) === (a !== null) && matchValue({ $exists: false }, a) === (a === null)), runs);
  tt.pass('held');
});

t.test('$regex guard: never throws; nested repetition runs on the linear engine, refused only where that engine cannot run it; what it accepts runs fast on long input', async (tt) => {
  const atom = fc.constantFrom('a', 'b', '.', '\\d', '\\w', '[ab]', 'x');
  const quant = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,}', '{0,3}');
  const piece: fc.Arbitrary<string> = fc.letrec((tie) => ({
    piece: fc.oneof(
      { weight: 3, arbitrary: fc.tuple(atom, quant).map(([a, q]) => a + q) },
      { weight: 1, arbitrary: fc.tuple(fc.array(tie('piece'), { minLength: 1, maxLength: 3 }), fc.boolean(), quant).map(([ps, alt, q]) => `(${ps.join(alt ? '|' : '')})${q}`) },
    ),
  })).piece as fc.Arbitrary<string>;
  const pattern = fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => ps.join(''));
  const inputs = ['a'.repeat(3000) + '!', 'ab'.repeat(1500) + '!', '1'.repeat(3000) + '!'];
  fc.assert(fc.property(pattern, (p) => {
    const bad = regexProblem(p);
    const nested = /\([^()]*(?:[*+]|\{1,\}|\{0,3\})[^()]*\)(?:[*+]|\{1,\})/.test(p);
    // A look-around keeps the pattern off the linear engine: nested repetition is then refused.
    if (nested && regexProblem(`${p}(?=z)`) === undefined) throw new Error(`accepted nested repetition with a look-ahead ${p}(?=z)`);
    if (bad !== undefined) {
      // Refused only when the linear engine cannot take it (deeply nested counts here).
      let linear = true;
      try { new RegExp(p, 'l' as string); } catch { linear = false; }
      if (linear) throw new Error(`refused ${p}: ${bad}`);
      return compileRegex(p) === null;
    }
    const re = compileRegex(p)!;
    const t0 = Date.now();
    for (const s of inputs) re.test(s);
    if (Date.now() - t0 > 1000) throw new Error(`accepted pattern ${p} took ${Date.now() - t0} ms`);
    return true;
  }), { numRuns: 400, seed: 11 });
  fc.assert(fc.property(fc.string({ maxLength: 40 }), (p) => { regexProblem(p); return true; }), runs);
  tt.pass('held');
});
