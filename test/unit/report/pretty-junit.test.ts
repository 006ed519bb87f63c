import t from 'tap';
import { codeFrame, colorEnabled, formatPretty, reproduceCommand } from '../../../src/report/pretty.js';
import { formatJunit, xmlEscape } from '../../../src/report/junit.js';
import type { ReportEntry } from '../../../src/report/tap.js';

const src = { file: 'scenarios/faults.yaml', line: 3, col: 5 };
const text = ['expect:', '  - name: first', '  - name: a replacement runs on node-2', '    by: 8m', '    pods: {selector: {app: web}}', '  - name: next', ''].join('\n');
const entries: ReportEntry[] = [
  { kind: 'scenario', name: 'web <is> "replaced" & co', file: 'scenarios/faults.yaml', seed: 7, timeMs: 1234, results: [
    { index: 0, name: 'first', ok: true, at: 60_000, source: { ...src, line: 2 } },
    { index: 1, name: 'a replacement runs on node-2', ok: false, at: 480_000, window: { from: 0, until: 480_000 },
      expected: { match: { spec: { nodeName: 'node-2' } } }, actual: { match: { 'default/web-1': { spec: { nodeName: 'node-1' } } } },
      diff: '--- expected\n+++ actual\n@@ -1,2 +1,2 @@\n spec:\n-  nodeName: node-2\n+  nodeName: node-1\n', source: src },
  ] },
  { kind: 'invalid', file: 'scenarios/bad.yaml', problems: ['scenarios/bad.yaml:1:1: bad \u0001 <x>'] },
];

t.test('colour follows NO_COLOR, FORCE_COLOR and the terminal', async (t) => {
  t.equal(colorEnabled({}, true), true);
  t.equal(colorEnabled({}, false), false);
  t.equal(colorEnabled({ NO_COLOR: '1' }, true), false);
  t.equal(colorEnabled({ FORCE_COLOR: '1' }, false), true);
  t.equal(colorEnabled({ FORCE_COLOR: '0' }, true), false);
  t.equal(colorEnabled({ TERM: 'dumb' }, true), false);
});

t.test('a code frame shows the assertion entry with its line numbers', async (t) => {
  t.same(codeFrame(text, src), ['> 3 |   - name: a replacement runs on node-2', '  4 |     by: 8m', '  5 |     pods: {selector: {app: web}}']);
});

t.test('the reproduce command selects the scenario by exact name and seed', async (t) => {
  t.equal(reproduceCommand('scenarios/faults.yaml', 'web (x)', 3), "kubedrill run scenarios/faults.yaml --grep '^web \\(x\\)$' --seed 3");
});

t.test('pretty output without colour lists scenarios, failures, frame, diff and summary', async (t) => {
  const out = formatPretty(entries, { sources: new Map([['scenarios/faults.yaml', text]]) });
  t.notMatch(out, /\u001b\[/, 'no ANSI codes');
  t.match(out, /^✗ web <is> "replaced" & co scenarios\/faults.yaml\n/);
  t.match(out, /\n  ✓ first \(at 1m0s\)\n/);
  t.match(out, /\n  ✗ a replacement runs on node-2 \(at 8m0s, window 0s\.\.8m0s\)\n/);
  t.match(out, /> 3 \|   - name: a replacement runs on node-2\n/);
  t.match(out, /expected: \{match: \{spec: \{nodeName: node-2\}\}\}/);
  t.match(out, /\n      -  nodeName: node-2\n      \+  nodeName: node-1\n/);
  t.match(out, /reproduce: kubedrill run scenarios\/faults.yaml --grep .* --seed 7\n/);
  t.match(out, /✗ scenarios\/bad.yaml invalid\n/);
  t.match(out, /\n1 failed, 1 invalid \(1\/2 assertions passed\)\n$/);
});

t.test('pretty output with colour uses ANSI codes', async (t) => {
  t.match(formatPretty(entries, { color: true }), /\u001b\[/);
});

t.test('JUnit has a suite per scenario and a case per assertion, escaped', async (t) => {
  const x = formatJunit(entries);
  // No wall-clock times unless asked (--timing): the same files and seed give a byte-identical report.
  t.match(x, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="kubedrill" tests="3" failures="1" errors="1">\n/);
  t.match(x, /<testsuite name="web &lt;is&gt; &quot;replaced&quot; &amp; co" tests="2" failures="1" errors="0" skipped="0" file="scenarios\/faults.yaml">/);
  const timed = formatJunit(entries, { timing: true });
  t.match(timed, /<testsuites name="kubedrill" tests="3" failures="1" errors="1" time="1.234">\n/);
  t.match(timed, /skipped="0" time="1.234" file="scenarios\/faults.yaml">/);
  t.match(x, /<testcase name="first" classname="web &lt;is&gt; &quot;replaced&quot; &amp; co" file="scenarios\/faults.yaml" line="2"\/>/);
  t.match(x, /<failure message="assertion failed at 8m0s" type="AssertionError">at: 8m0s\nwindow: 0s..8m0s\n/);
  t.match(x, /diff: \|\n  --- expected\n/);
  t.match(x, /<error message="invalid scenario file" type="InvalidScenario">scenarios\/bad.yaml:1:1: bad  &lt;x&gt;<\/error>/);
  t.notMatch(x, /\u0001/);
  // Well-formed: tags balance.
  const stack: string[] = [];
  for (const m of x.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) t.equal(stack.pop(), m[2]);
    else stack.push(m[2]!);
  }
  t.same(stack, []);
});

t.test('xmlEscape escapes attribute specials and newlines', async (t) => {
  t.equal(xmlEscape(`a&b<c>"d"'e'\nf`), 'a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;&#10;f');
});
