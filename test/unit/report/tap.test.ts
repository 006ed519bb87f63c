import t from 'tap';
import { Parser } from 'tap-parser';
import { formatTap, escapeDescription } from '../../../src/report/tap.js';
import type { ReportEntry } from '../../../src/report/tap.js';

const M = 60_000;
const src = (line: number) => ({ file: 'scenarios/faults.yaml', line, col: 5 });

const specExample: ReportEntry[] = [{
  kind: 'scenario', name: 'web is replaced', file: 'scenarios/faults.yaml', seed: 1,
  results: [
    { index: 0, name: 'the node goes unknown', ok: true, at: M + 55_000, source: src(40) },
    {
      index: 1, name: 'a replacement runs on node-2', ok: false, at: 8 * M, window: { from: 0, until: 8 * M },
      expected: { any: { spec: { nodeName: 'node-2' } } },
      actual: { any: { 'default/web-7d4b9c8f6-x2k9p': { spec: { nodeName: 'node-1' } } } },
      source: src(48),
    },
  ],
}];

t.test('the report matches the specification example byte for byte', async (t) => {
  t.equal(formatTap(specExample), [
    'TAP version 14',
    '# Subtest: web is replaced',
    '    ok 1 - the node goes unknown',
    '      ---',
    '      at: 1m55s',
    '      ...',
    '    not ok 2 - a replacement runs on node-2',
    '      ---',
    '      at: 8m0s',
    '      window: 0s..8m0s',
    '      expected: {any: {spec: {nodeName: node-2}}}',
    '      actual: {any: {default/web-7d4b9c8f6-x2k9p: {spec: {nodeName: node-1}}}}',
    '      seed: 1',
    '      source: scenarios/faults.yaml:48:5',
    '      ...',
    '    1..2',
    'not ok 1 - web is replaced',
    '1..1',
    '',
  ].join('\n'));
});

t.test('selecting nothing prints an empty plan', async (t) => {
  t.equal(formatTap([]), 'TAP version 14\n1..0\n');
});

t.test('an invalid file is a top-level failing point with its problems', async (t) => {
  const out = formatTap([
    { kind: 'invalid', file: 'scenarios/bad.yaml', problems: ['scenarios/bad.yaml:3:1: unknown key "foo"', 'scenarios/bad.yaml:9:7: invalid duration "5x"'] },
    { kind: 'scenario', name: 'ok one', file: 'scenarios/a.yaml', seed: 1, results: [{ index: 0, name: 'expect[0]', ok: true, source: src(1) }], timeMs: 12.4 },
  ], { timing: true });
  t.equal(out, [
    'TAP version 14',
    'not ok 1 - scenarios/bad.yaml',
    '  ---',
    '  problems:',
    `    - 'scenarios/bad.yaml:3:1: unknown key "foo"'`,
    `    - 'scenarios/bad.yaml:9:7: invalid duration "5x"'`,
    '  ...',
    '# Subtest: ok one',
    '    ok 1 - expect[0]',
    '    1..1',
    'ok 2 - ok one # time=12ms',
    '1..2',
    '',
  ].join('\n'));
});

t.test('descriptions escape backslash and hash', async (t) => {
  t.equal(escapeDescription('a # b \\ c'), 'a \\# b \\\\ c');
  const out = formatTap([{ kind: 'scenario', name: 'issue #12', file: 'f', seed: 1, results: [{ index: 0, name: 'C:\\x # y', ok: true, source: src(1) }] }]);
  t.match(out, /    ok 1 - C:\\\\x \\# y\n/);
  t.match(out, /\nok 1 - issue \\#12\n/);
  t.match(out, /\n# Subtest: issue #12\n/, 'the subtest comment keeps the name as is');
});

t.test('a failure with a diff, an error and --seeds keeps the key order', async (t) => {
  const out = formatTap([{
    kind: 'scenario', name: 's', file: 'f.yaml', seed: 3,
    seeds: { total: 20, failing: { 0: { count: 4, smallest: 3, rerun: 'kubedrill run f.yaml --seed 3' } } },
    results: [
      { index: 0, name: 'p', ok: false, at: 90_000, expected: { phase: 'Running' }, actual: { phase: { 'default/a': 'Pending' } },
        diff: '--- expected\n+++ actual\n@@ -1 +1 @@\n-phase: Running\n+phase: Pending\n', source: src(5) },
      { index: 1, name: 'q', ok: true, at: 1000, source: src(9) },
    ],
  }]);
  t.equal(out, [
    'TAP version 14',
    '# Subtest: s',
    '    not ok 1 - p',
    '      ---',
    '      at: 1m30s',
    '      expected: {phase: Running}',
    '      actual: {phase: {default/a: Pending}}',
    '      diff: |',
    '        --- expected',
    '        +++ actual',
    '        @@ -1 +1 @@',
    '        -phase: Running',
    '        +phase: Pending',
    '      seed: 3',
    '      source: scenarios/faults.yaml:5:5',
    '      failingSeeds: 4/20',
    '      rerun: kubedrill run f.yaml --seed 3',
    '      ...',
    '    ok 2 - q',
    '    1..2',
    'not ok 1 - s',
    '1..1',
    '',
  ].join('\n'), 'a passing by point has no block under --seeds');
});

t.test('a run error point names the error', async (t) => {
  const out = formatTap([{ kind: 'scenario', name: 's', file: 'f.yaml', seed: 1, results: [{ index: 0, name: 'run', ok: false, error: 'delete: Deployment default/x: not found', source: src(3) }] }]);
  t.match(out, /      error: "delete: Deployment default\/x: not found"\n      seed: 1\n      source: scenarios\/faults.yaml:3:5\n/);
});

t.test('a scenario without points has an empty plan and passes', async (t) => {
  t.equal(formatTap([{ kind: 'scenario', name: 'empty', file: 'f', seed: 1, results: [] }]), 'TAP version 14\n# Subtest: empty\n    1..0\nok 1 - empty\n1..1\n');
});

t.test('bail out ends the report', async (t) => {
  const out = formatTap(specExample, { bailOut: 'web is replaced' });
  t.ok(out.endsWith('not ok 1 - web is replaced\nBail out! web is replaced\n'));
});

function parse(tap: string): Promise<{ final: { ok: boolean; count: number; pass: number; fail: number; plan: { start: number; end: number } }; errors: unknown[]; bailout: unknown }> {
  return new Promise((resolve) => {
    const errors: unknown[] = [];
    let bailout: unknown = false;
    const p = new Parser({ strict: true }, (final) => resolve({ final: final as never, errors, bailout }));
    p.on('parseError', (e) => errors.push(e));
    p.on('bailout', (b) => { bailout = b; });
    p.end(tap);
  });
}

t.test('tap-parser reads our report without errors', async (t) => {
  const entries: ReportEntry[] = [
    ...specExample,
    { kind: 'invalid', file: 'scenarios/bad #1.yaml', problems: ['scenarios/bad #1.yaml:1:1: x'] },
    { kind: 'scenario', name: 'fine \\ # ok', file: 'a', seed: 2, timeMs: 5, results: [
      { index: 0, name: 'by point', ok: true, at: 3000, source: src(2) },
      { index: 1, name: 'multi', ok: false, at: 0, expected: { all: { a: [1, 'b: c', null] } }, actual: { all: { 'ns/x': { a: [] } } },
        diff: '--- expected\n+++ actual\n@@ -1,4 +1,1 @@\n-a:\n-  - 1\n-  - "b: c"\n-  - null\n+a: []\n', source: src(3) },
    ] },
  ];
  for (const timing of [false, true]) {
    const r = await parse(formatTap(entries, { timing }));
    t.same(r.errors, [], 'no parse errors');
    t.equal(r.final.count, 3);
    t.equal(r.final.pass, 0);
    t.equal(r.final.fail, 3);
    t.same(r.final.plan.end, 3);
  }
  const empty = await parse(formatTap([]));
  t.same(empty.errors, []);
  t.equal(empty.final.ok, true);
  const bailed = await parse(formatTap(specExample, { bailOut: 'web is replaced' }));
  t.equal(bailed.bailout, 'web is replaced');
});

t.test('tap-parser reads subtest points and their diagnostics', async (t) => {
  const seen: Array<{ name: string; ok: boolean; diag: unknown }> = [];
  await new Promise<void>((resolve) => {
    const p = new Parser({ strict: true }, () => resolve());
    p.on('child', (c: Parser) => c.on('assert', (a: { name: string; ok: boolean; diag: unknown }) => seen.push({ name: a.name, ok: a.ok, diag: a.diag })));
    p.end(formatTap(specExample));
  });
  t.same(seen, [
    { name: 'the node goes unknown', ok: true, diag: { at: '1m55s' } },
    { name: 'a replacement runs on node-2', ok: false, diag: {
      at: '8m0s', window: '0s..8m0s', expected: { any: { spec: { nodeName: 'node-2' } } },
      actual: { any: { 'default/web-7d4b9c8f6-x2k9p': { spec: { nodeName: 'node-1' } } } }, seed: 1, source: 'scenarios/faults.yaml:48:5',
    } },
  ]);
});
