import t from 'tap';
import { HEAD, lines, loadText } from './helpers.js';

t.test('defaults: seed 1, kubernetes "1.37", until 10m', async (t) => {
  const r = loadText(HEAD);
  t.same(lines(r), []);
  const s = r.scenarios[0]!;
  t.equal(s.seed, 1);
  t.equal(s.kubernetes, '1.37');
  t.equal(s.until, 600_000);
  t.same(s.nodes, []);
  t.same(s.expect, []);
});

const durations: Array<[string, string, number | string]> = [
  ['a Go duration in seconds', '30s', 30_000],
  ['milliseconds', '250ms', 250],
  ['fractional seconds', '1.5s', 1500],
  ['hours and minutes', '1h30m', 5_400_000],
  ['a number of seconds', '30', 30_000],
  ['a fractional number of seconds', '0.25', 250],
  ['zero', '0', 0],
  ['a unit Go has but the format does not (days)', '2d', 'until: expected a duration such as 30s, 1m30s or 250ms (or a number of seconds), got "2d"'],
  ['a negative number', '-5', 'until: expected a duration such as 30s, 1m30s or 250ms (or a number of seconds), got the number -5'],
  ['a negative string', '"-5s"', 'until: expected a duration such as 30s, 1m30s or 250ms (or a number of seconds), got "-5s"'],
  ['less than a millisecond', '0.0005', 'until: invalid duration 0.0005: not a whole number of milliseconds'],
  ['a sub-millisecond Go duration', '1.5ms', 'until: invalid duration "1.5ms": not a whole number of milliseconds'],
  ['words', 'ten minutes', 'until: expected a duration such as 30s, 1m30s or 250ms (or a number of seconds), got "ten minutes"'],
  ['a list', '[1]', 'until: expected a duration such as 30s, 1m30s or 250ms (or a number of seconds), got a list'],
];
for (const [name, text, want] of durations) {
  t.test(`until as ${name} (${text})`, async (t) => {
    const r = loadText(`${HEAD}until: ${text}\n`);
    if (typeof want === 'number') {
      t.same(lines(r), []);
      t.equal(r.scenarios[0]!.until, want);
    } else {
      t.same(lines(r), [`4:8: ${want}`]);
      t.same(r.scenarios, [], 'a file with problems yields no scenarios');
    }
  });
}

const versions: Array<[string, string, string | null]> = [
  ['a quoted supported version is accepted', '"1.30"', null],
  ['the oldest supported version is accepted', '"1.29"', null],
  ['a single-quoted version is accepted', "'1.37'", null],
  ['an unquoted 1.30 is a number and an error with the quoted form as hint', '1.30', 'kubernetes: expected a quoted string, got the number 1.30; write kubernetes: "1.30"'],
  ['an unquoted 1.31 keeps its spelling in the hint', '1.31', 'kubernetes: expected a quoted string, got the number 1.31; write kubernetes: "1.31"'],
  ['an unsupported old version is an error', '"1.28"', 'kubernetes: unsupported version "1.28"; expected a quoted string "1.29".."1.37" such as kubernetes: "1.37"'],
  ['a patch version is an error', '"1.30.2"', 'kubernetes: unsupported version "1.30.2"; expected a quoted string "1.29".."1.37" such as kubernetes: "1.37"'],
  ['a v-prefixed version is an error', 'v1.30', 'kubernetes: unsupported version "v1.30"; expected a quoted string "1.29".."1.37" such as kubernetes: "1.37"'],
];
for (const [name, text, want] of versions) {
  t.test(name, async (t) => {
    const r = loadText(`${HEAD}kubernetes: ${text}\n`);
    if (want === null) {
      t.same(lines(r), []);
      t.equal(r.scenarios[0]!.kubernetes, text.replace(/["']/g, ''));
    } else t.same(lines(r), [`4:13: ${want}`]);
  });
}

t.test('seed must be a whole number in 0..2^32-1', async (t) => {
  t.same(lines(loadText(`${HEAD}seed: 4294967295\n`)), []);
  t.same(lines(loadText(`${HEAD}seed: 4294967296\n`)), ['4:7: seed: expected a whole number from 0 to 4294967295, got the number 4294967296']);
  t.same(lines(loadText(`${HEAD}seed: "42"\n`)), ['4:7: seed: expected a whole number, got "42"']);
});

t.test('instants: end means until, nothing after until, windows not reversed', async (t) => {
  const ok = loadText(`${HEAD}until: 2m\nnodes: [{name: n}]\nexpect:\n  - at: end\n    nodes: {}\n    count: 1\n  - by: 1m\n    from: 30s\n    nodes: {}\n    count: 1\n  - never: true\n    until: end\n    nodes: {}\n    count: 0\n`);
  t.same(lines(ok), []);
  const e = ok.scenarios[0]!.expect;
  t.same(e.map((x) => x.mode), [
    { kind: 'at', at: 120_000 },
    { kind: 'by', from: 30_000, by: 60_000 },
    { kind: 'never', from: 0, until: 120_000 },
  ]);
  const bad = loadText(`${HEAD}until: 1m\nexpect:\n  - at: 61s\n    nodes: {}\n    count: 1\n  - by: 10s\n    from: 20s\n    nodes: {}\n    count: 1\n`);
  t.same(lines(bad), [
    '6:9: expect[0].at: 1m1s is after until (1m0s)',
    '9:9: expect[1]: the window ends (by: 10s) before it starts (from: 20s)',
  ]);
});
