/** Contract: scenario-format.md "Output and exit codes", one test per clause. */
import t from 'tap';
import { join, dirname } from 'node:path';
import { cli, files, scenarioFile, runBody, parseTap, passes, pod } from './lib.js';

const HDR = 'apiVersion: kubedrill/v1\nkind: Scenario\n';
const H = (name = 'o', until = '1m') => `name: ${name}\nuntil: ${until}\nnodes: [{name: n1}]\n`;

t.test('output: kubedrill run prints TAP version 14 on stdout, shaped as the example byte for byte', async (t) => {
  const f = scenarioFile(`name: web is replaced
until: 8m
nodes: [{name: n1}]
manifests:
${pod('p')}events:
  - {at: 1m, cordon: n1}
expect:
  - name: the node is cordoned
    by: 2m
    nodes: {}
    schedulable: false
  - name: p runs elsewhere
    at: end
    pod: p
    phase: Failed
  - name: at point passes silently
    at: 30s
    nodes: {}
    count: 1
`);
  const r = await cli(['run', f]);
  t.equal(r.code, 1);
  t.equal(r.out, `TAP version 14
# Subtest: web is replaced
    ok 1 - the node is cordoned
      ---
      at: 1m0s
      ...
    not ok 2 - p runs elsewhere
      ---
      at: 8m0s
      expected: {phase: Failed}
      actual: {phase: {default/p: Running}}
      diff: |
        --- expected
        +++ actual
        @@ -1,1 +1,1 @@
        -phase: Failed
        +phase: Running
      seed: 1
      source: ${f}:19:5
      ...
    ok 3 - at point passes silently
    1..3
not ok 1 - web is replaced
1..1
`);
});

t.test('output: one subtest per scenario, in file order; the closing point bears the scenario name and is ok only if all its points are', async (t) => {
  const f = scenarioFile(`${HDR}${H('first')}expect:\n  - {nodes: {}, count: 1}\n---\n${HDR}${H('second')}expect:\n  - {nodes: {}, count: 1}\n  - {nodes: {}, count: 2}\n---\n${HDR}${H('third')}expect:\n  - {nodes: {}, count: 1}\n`, {}, true);
  const r = await cli(['run', f]);
  t.equal(r.code, 1);
  const top = r.out.split('\n').filter((l) => /^(not )?ok|^# Subtest|^1\.\./.test(l));
  t.same(top, ['# Subtest: first', 'ok 1 - first', '# Subtest: second', 'not ok 2 - second', '# Subtest: third', 'ok 3 - third', '1..3']);
});

t.test('output: no other comments, and no times unless --timing appends " # time=<n>ms" to top-level points', async (t) => {
  const f = scenarioFile(`${H()}expect:\n  - {nodes: {}, count: 1}\n`);
  const r = await cli(['run', f]);
  t.notMatch(r.out, /^\s*#(?! Subtest: )/m);
  t.notMatch(r.out, /time=/);
  const r2 = await cli(['run', f, '--timing']);
  t.match(r2.out, /^ok 1 - o # time=\d+ms$/m);
  t.notMatch(r2.out, /^    ok 1 - .*time=/m, 'only top-level points');
});

t.test('output: descriptions escape \\ and # (TAP 14)', async (t) => {
  const r = await runBody(`name: 'a \\ b # c'\nuntil: 1m\nnodes: [{name: n1}]\nexpect:\n  - {name: 'x # y \\ z', nodes: {}, count: 1}\n`);
  t.equal(r.code, 0);
  t.match(r.out, /^    ok 1 - x \\# y \\\\ z$/m);
  t.match(r.out, /^ok 1 - a \\\\ b \\# c$/m);
  const p = await parseTap(r.out);
  t.equal(p.ok, true);
});

t.test('output: diagnostic keys in order: at, window, expected, actual, diff, error, seed, source', async (t) => {
  const r = await runBody(`${H()}manifests:\n${pod('p')}expect:
  - {name: by, by: 30s, from: 10s, pod: p, phase: Failed}
`, ['--seed', '7']);
  const block = r.out.split('\n').filter((l) => /^      \w+:/.test(l)).map((l) => /^      (\w+):/.exec(l)![1]);
  t.same(block, ['at', 'window', 'expected', 'actual', 'diff', 'seed', 'source']);
  t.match(r.out, /      window: 10s\.\.30s\n/);
  t.match(r.out, /      seed: 7\n/, 'the seed used');
});

t.test('output: expected shows the failing checks as written, the exactly-one of pod:/match as count: 1', async (t) => {
  const r = await runBody(`${H()}manifests:\n${pod('a')}${pod('b')}expect:
  - {name: m, pods: {}, match: {metadata: {name: a}}, phase: Running}
  - {name: p, pod: "*", phase: Running}
  - {name: checks, pods: {}, count: 2, phase: Failed, ready: true}
`);
  t.match(r.out, /not ok 1 - m\n      ---\n      at: 1m0s\n      expected: \{count: 1\}\n      actual: \{count: 2\}\n/);
  t.match(r.out, /not ok 2 - p\n      ---\n      at: 1m0s\n      expected: \{count: 1\}\n      actual: \{count: 2\}\n/);
  t.match(r.out, /not ok 3 - checks\n      ---\n      at: 1m0s\n      expected: \{phase: Failed\}\n      actual: \{phase: \{default\/a: Running, default\/b: Running\}\}\n/);
});

t.test('output: actual gives a count, or per target namespace/name or a node\'s name, its value or its object pruned to the partial\'s keys', async (t) => {
  const r = await runBody(`${H()}manifests:\n${pod('a')}expect:
  - {name: nodes, nodes: {}, ready: false}
  - {name: pruned, pods: {}, all: {spec: {nodeName: zz}}}
`);
  t.match(r.out, /      actual: \{ready: \{n1: true\}\}\n/);
  t.match(r.out, /      actual: \{all: \{default\/a: \{spec: \{nodeName: n1\}\}\}\}\n/);
});

t.test('output: diff (unified, --- expected/+++ actual) only when one target was judged', async (t) => {
  const r = await runBody(`${H()}manifests:\n${pod('a')}${pod('b')}expect:
  - {name: one, pod: a, phase: Failed}
  - {name: many, pods: {}, phase: Failed}
`);
  const [one, many] = r.out.split('not ok 2');
  t.match(one, /      diff: \|\n        --- expected\n        \+\+\+ actual\n/);
  t.notMatch(many, /diff:/);
});

t.test('output: error carries the run error, before seed and source', async (t) => {
  const r = await runBody(`${H()}events:\n  - {at: 10s, crash: {pod: nope}}\nexpect:\n  - {name: a, nodes: {}, count: 1}\n`);
  t.match(r.out, /not ok 1 - a\n      ---\n(      (at|window):.*\n)*      error: .*\n      seed: 1\n      source: .*:\d+:\d+\n      \.\.\.\n/);
});

t.test('output: source is file:line:col of the assertion, or of the failing action', async (t) => {
  const r = await runBody(`${H()}events:\n  - {at: 10s, crash: {pod: nope}}\n`);
  t.match(r.out, /source: .*s\.yaml:7:5\n/);
  const r2 = await runBody(`${H()}expect:\n  - {nodes: {}, count: 2}\n`);
  t.match(r2.out, /source: .*s\.yaml:7:5\n/);
});

t.test('output: passing points have no block, except by: at alone (not under --seeds)', async (t) => {
  const f = scenarioFile(`${H()}expect:\n  - {name: a, nodes: {}, count: 1}\n  - {name: b, by: 10s, nodes: {}, count: 1}\n  - {name: c, always: true, nodes: {}, count: 1}\n  - {name: d, never: true, nodes: {}, count: 0}\n`);
  const r = await cli(['run', f]);
  t.match(r.out, /    ok 1 - a\n    ok 2 - b\n      ---\n      at: 0s\n      \.\.\.\n    ok 3 - c\n    ok 4 - d\n    1\.\.4\n/);
  const r2 = await cli(['run', f, '--seeds', '2']);
  t.match(r2.out, /    ok 1 - a\n    ok 2 - b\n    ok 3 - c\n    ok 4 - d\n    1\.\.4\n/);
});

t.test('output: under --seeds a failing point adds failingSeeds (k/N) and rerun (a command), reporting the smallest failing seed', async (t) => {
  // Two equal nodes: the scheduler's pick among equally scored nodes is drawn from the seed.
  const f = scenarioFile(`name: tie\nuntil: 10s\nnodes: [{name: n, count: 2}]\nmanifests:\n${pod('p')}expect:\n  - {name: lands on n-1, pod: p, node: n-1}\n`);
  const per: boolean[] = [];
  for (let s = 1; s <= 8; s++) per.push((await cli(['run', f, '--seed', String(s)])).code === 0);
  const failing = per.map((ok, i) => (ok ? 0 : i + 1)).filter(Boolean);
  t.ok(failing.length > 0 && failing.length < 8, `fails for some seeds only: ${failing}`);
  const r = await cli(['run', f, '--seeds', '8']);
  t.equal(r.code, 1);
  t.match(r.out, new RegExp(`      seed: ${failing[0]}\\n      source: .*\\n      failingSeeds: ${failing.length}/8\\n      rerun: .*--seed ${failing[0]}\\n`));
  const rerun = /rerun: (.*)\n/.exec(r.out)![1]!;
  t.match(rerun, /^npx kubedrill run /);
  // The rerun command reproduces the failure.
  const argv = rerun.replace(/^npx kubedrill /, '').match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'(.*)'$/, '$1'));
  const again = await cli(argv);
  t.equal(again.code, 1);
});

t.test('output: a file with problems runs none of its scenarios; it appears in its place as a top-level not ok with problems:, also on stderr; other files still run', async (t) => {
  const dir = files({
    'a.yaml': `${HDR}${H('a')}expect:\n  - {nodes: {}, count: 1}\n`,
    'b.yaml': `${HDR}${H('b')}bogus: 1\nexpect:\n  - {nodes: {}, count: 1}\n---\n${HDR}${H('b2')}`,
    'c.yaml': `${HDR}${H('c')}expect:\n  - {nodes: {}, count: 1}\n`,
  });
  const r = await cli(['run', dir]);
  t.equal(r.code, 2);
  const b = join(dir, 'b.yaml');
  t.match(r.out, `ok 1 - a\nnot ok 2 - ${b}\n  ---\n  problems:\n    - `);
  t.match(r.out, `${b}:6:1: unknown key`);
  t.match(r.out, /\n  \.\.\.\n# Subtest: c\n/);
  t.match(r.out, /^ok 3 - c\n1\.\.3\n$/m);
  t.notMatch(r.out, /Subtest: b2/);
  t.match(r.err, `${b}:6:1: `);
});

t.test('output: the same files and seed give a byte-identical report', async (t) => {
  const f = scenarioFile(`name: d\nuntil: 5m\nnodes: [{name: n, count: 3}]\nmanifests:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec:\n      replicas: 5\n      selector: {matchLabels: {app: web}}\n      template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx:1.27}]}}\nevents:\n  - {at: 1m, nodeDown: n-1}\nexpect:\n  - {name: all on n-2, pods: {}, node: n-2}\n  - {by: 5m, pods: {}, count: 5}\n`);
  const a = await cli(['run', f, '--seed', '3']);
  const b = await cli(['run', f, '--seed', '3']);
  t.equal(a.out, b.out);
  t.equal(a.code, b.code);
});

t.test('output: a scenario\'s result depends only on its document, files and seed (not on other scenarios, --jobs, --grep, --shard)', async (t) => {
  const sc = (name: string, n: number) => `${HDR}name: ${name}\nuntil: 2m\nnodes: [{name: n, count: 3}]\nmanifests:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec:\n      replicas: ${n}\n      selector: {matchLabels: {app: web}}\n      template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx:1.27}]}}\nexpect:\n  - {name: spread, pods: {}, distinctNodes: true}\n  - {name: names, pods: {}, none: {metadata: {name: {$regex: "b"}}}}\n`;
  const dir = files({ 'a.yaml': sc('alpha', 3) + '---\n' + sc('beta', 2), 'b.yaml': sc('gamma', 3), 'c.yaml': sc('delta', 2) });
  const full = await cli(['run', dir]);
  const jobs = await cli(['run', dir, '--jobs', '3']);
  t.equal(jobs.out, full.out, '--jobs gives the same bytes');
  const subtest = (out: string, name: string) => {
    const m = new RegExp(`# Subtest: ${name}\\n((?:    .*\\n)*)`).exec(out);
    return m?.[1];
  };
  const grep = await cli(['run', dir, '--grep', '^gamma$']);
  t.equal(subtest(grep.out, 'gamma'), subtest(full.out, 'gamma'), '--grep');
  const shard = await cli(['run', dir, '--shard', '3/3']);
  t.equal(subtest(shard.out, 'delta'), subtest(full.out, 'delta'), '--shard');
  const alone = await cli(['run', scenarioFile(sc('beta', 2), {}, true)]);
  const noSource = (x: string | undefined) => x?.replace(/source: .*\n/g, '');
  t.equal(noSource(subtest(alone.out, 'beta')), noSource(subtest(full.out, 'beta')), 'other scenarios of the file');
});

t.test('output: selecting nothing prints 1..0, exit 0', async (t) => {
  const f = scenarioFile(`${H()}expect:\n  - {nodes: {}, count: 1}\n`);
  const r = await cli(['run', f, '--grep', 'nomatch']);
  t.equal(r.code, 0);
  t.equal(r.out, 'TAP version 14\n1..0\n');
  const dir = files({ 'm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
  const r2 = await cli(['run', dir]);
  t.equal(r2.code, 0);
  t.equal(r2.out, 'TAP version 14\n1..0\n');
});

t.test('output: exit 0 when all passed, with TAP an independent parser accepts', async (t) => {
  const r = await passes(t, `${H()}expect:\n  - {nodes: {}, count: 1}\n`);
  const p = await parseTap(r.out);
  t.equal(p.ok, true);
  t.same(p.failures, []);
});

t.test('output: exit 1 when a point failed, with parseable TAP', async (t) => {
  const r = await runBody(`${H()}expect:\n  - {nodes: {}, count: 2}\n`);
  t.equal(r.code, 1);
  const p = await parseTap(r.out);
  t.equal(p.ok, false);
  t.same(p.failures.filter((f) => f.tapError), []);
  t.equal(p.plan.end, 1);
});

t.test('output: exit 2 for invalid input (a file with every problem at file:line:col; a missing path; a bad option)', async (t) => {
  const f = scenarioFile(`${H()}bogus: 1\nother: 2\n`);
  const r = await cli(['run', f]);
  t.equal(r.code, 2);
  t.match(r.err, new RegExp(`${f}:6:1: .*\\n${f}:7:1: `));
  const p = await parseTap(r.out);
  t.same(p.failures.filter((x) => x.tapError), []);
  const r2 = await cli(['run', '/nonexistent/nowhere.yaml']);
  t.equal(r2.code, 2);
  t.match(r2.err, /nowhere\.yaml/);
  const r3 = await cli(['run', f, '--no-such-option']);
  t.equal(r3.code, 2);
});

t.test('output: exit 3 on an internal error, after Bail out! <message>, with parseable TAP', async (t) => {
  // Test-only hook: the runner is replaced by one that throws, as a bug in the simulator would.
  const real = await import('../../src/cli/commands/execute.js');
  const { runCommand } = await t.mockImport<typeof import('../../src/cli/commands/run.js')>('../../src/cli/commands/run.ts', {
    '../../src/cli/commands/execute.js': { ...real, executeScenario: () => { throw new Error('boom in the simulator'); } },
  });
  let out = '';
  let err = '';
  const f = scenarioFile(`${H()}expect:\n  - {nodes: {}, count: 1}\n`);
  const code = await runCommand([f], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  t.equal(code, 3);
  t.match(out, /^Bail out! .*boom in the simulator/m);
  t.match(err, /boom in the simulator/);
  const p = await parseTap(out);
  t.ok(p.bailout);
});

t.test('output: the highest exit code wins (a failed assertion plus an invalid file: 2; internal error: 3)', async (t) => {
  const dir = files({
    'a.yaml': `${HDR}${H('a')}expect:\n  - {nodes: {}, count: 2}\n`,
    'b.yaml': `${HDR}${H('b')}bogus: 1\n`,
  });
  const r = await cli(['run', dir]);
  t.equal(r.code, 2);
  const r2 = await cli(['run', join(dir, 'a.yaml'), '/nonexistent.yaml']);
  t.equal(r2.code, 2);
  const real = await import('../../src/cli/commands/execute.js');
  let calls = 0;
  const { runCommand } = await t.mockImport<typeof import('../../src/cli/commands/run.js')>('../../src/cli/commands/run.ts', {
    '../../src/cli/commands/execute.js': { ...real, executeScenario: (...a: Parameters<typeof real.executeScenario>) => { if (++calls > 1) throw new Error('late boom'); return real.executeScenario(...a); } },
  });
  const both = files({
    'a.yaml': `${HDR}${H('a')}expect:\n  - {nodes: {}, count: 2}\n`,
    'b.yaml': `${HDR}${H('b')}bogus: 1\n`,
    'c.yaml': `${HDR}${H('c')}expect:\n  - {nodes: {}, count: 1}\n`,
  });
  let out = '';
  const code = await runCommand([both], { out: (s) => { out += s; }, err: () => {} });
  t.equal(code, 3, `3 > 2 > 1\n${out}`);
  void dirname;
});
