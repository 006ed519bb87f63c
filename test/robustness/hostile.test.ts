/**
 * Hostile input is refused within configurable limits, with a clear message, in bounded time: each case runs
 * the built CLI in a child process with a hard timeout and asserts the exit code, the message and that it
 * finished (no hang, no stack trace).
 */
import t, { type Test } from 'tap';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAD, folder, kubedrill, noStack, tempDir } from './helpers.js';

/** Asserts a run finished with `code`, printed `message` (string or pattern) and no stack trace. */
function refused(tt: Test, r: ReturnType<typeof kubedrill>, code: number, message: RegExp): void {
  tt.ok(r.finished, `finished in ${r.ms} ms`);
  tt.equal(r.code, code, `exit ${code}`);
  tt.match(r.err + r.out, message);
  tt.ok(noStack(r.err + r.out), 'no stack trace');
}

t.test('YAML alias bomb (billion laughs) is refused at the alias limit', async (tt) => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const d = folder({ 'bomb.yaml': `${HEAD}description: x\nexpect: []\nbomb:\n${levels.map((l) => '  ' + l).join('\n')}\n` });
  const r = kubedrill(['validate', 'bomb.yaml'], { cwd: d, timeoutMs: 20_000 });
  refused(tt, r, 2, /bomb\.yaml:\d+:\d+: the number of YAML alias expansions exceeds the limit maxAliases \(1000\); raise it with --max-aliases/);
  const raised = kubedrill(['validate', 'bomb.yaml', '--max-aliases', '5'], { cwd: d, timeoutMs: 20_000 });
  refused(tt, raised, 2, /limit maxAliases \(5\)/);
});

t.test('deep nesting is refused at the depth limit, block and flow', async (tt) => {
  const flow = '['.repeat(100_000) + ']'.repeat(100_000);
  let block = '';
  for (let i = 0; i < 300; i++) block += `${' '.repeat(i)}k${i}:\n`;
  const d = folder({ 'flow.yaml': `${HEAD}description: ${flow}\n`, 'block.yaml': `${HEAD}x:\n${block.replace(/^/gm, ' ')}` });
  refused(tt, kubedrill(['validate', 'flow.yaml'], { cwd: d, timeoutMs: 20_000 }), 2,
    /flow\.yaml:5:\d+: the YAML nesting depth exceeds the limit maxDepth \(200\); raise it with --max-depth/);
  refused(tt, kubedrill(['validate', 'block.yaml'], { cwd: d, timeoutMs: 20_000 }), 2, /block\.yaml:\d+:\d+: the YAML nesting depth exceeds the limit maxDepth/);
});

t.test('a document over the file-size limit is refused before it is parsed', async (tt) => {
  const d = folder({ 'big.yaml': `${HEAD}description: "${'x'.repeat(5000)}"\n` });
  refused(tt, kubedrill(['validate', 'big.yaml', '--max-file-bytes', '4096'], { cwd: d, timeoutMs: 20_000 }), 2,
    /big\.yaml:1:1: the size of big\.yaml \(\d+ bytes\) exceeds the limit maxFileBytes \(4096\); raise it with --max-file-bytes/);
  // A large but admitted file (a 4 MiB description) loads in bounded time.
  const ok = folder({ 'large.yaml': `${HEAD}description: "${'x'.repeat(4 * 1024 * 1024)}"\nexpect: [{nodes: {}, count: 1}]\n` });
  const r = kubedrill(['run', 'large.yaml'], { cwd: ok, timeoutMs: 60_000 });
  tt.ok(r.finished);
  tt.equal(r.code, 0);
});

t.test('files cheap to write but costly to parse (millions of values or documents) are refused before parsing', async (tt) => {
  const d = folder({
    'docs.yaml': '---\n'.repeat(600_000),
    'items.yaml': `${HEAD}description:\n${'  - a\n'.repeat(600_000)}`,
    'flow.yaml': `${HEAD}description: [${'a,'.repeat(2000)}a]\n`,
  });
  const docs = kubedrill(['validate', 'docs.yaml'], { cwd: d, timeoutMs: 30_000 });
  refused(tt, docs, 2, /docs\.yaml:500001:4: the number of YAML values \(more than 500000\) exceeds the limit maxYamlValues \(500000\); raise it with --max-yaml-values/);
  tt.ok(docs.ms < 20_000, `refused in ${docs.ms} ms`);
  refused(tt, kubedrill(['validate', 'items.yaml'], { cwd: d, timeoutMs: 30_000 }), 2, /items\.yaml:\d+:\d+: the number of YAML values \(more than 500000\) exceeds the limit maxYamlValues/);
  refused(tt, kubedrill(['validate', 'flow.yaml', '--max-yaml-values', '1000'], { cwd: d, timeoutMs: 30_000 }), 2, /flow\.yaml:5:\d+: the number of YAML values \(more than 1000\) exceeds the limit maxYamlValues \(1000\); raise it with --max-yaml-values/);
});

t.test('count: 1000000000 and until: 87600h are refused at their limits, fast', async (tt) => {
  const d = folder({
    'count.yaml': 'apiVersion: kubedrill/v1\nkind: Scenario\nname: s\nnodes: [{name: n, count: 1000000000}]\n',
    'until.yaml': `${HEAD}until: 87600h\n`,
    'replicas.yaml': `${HEAD}manifests:\n  - {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: r}, spec: {replicas: 1000000000, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}}\n`,
  });
  const c = kubedrill(['run', 'count.yaml'], { cwd: d, timeoutMs: 20_000 });
  refused(tt, c, 2, /count\.yaml:4:\d+: the number of nodes \(1000000000\) exceeds the limit maxNodes \(10000\); raise it with --max-nodes/);
  tt.ok(c.ms < 15_000, 'no node was materialised');
  refused(tt, kubedrill(['run', 'until.yaml'], { cwd: d, timeoutMs: 20_000 }), 2,
    /until\.yaml:5:8: until \(87600h0m0s\) exceeds the limit maxSpan \(720h0m0s\); raise it with --max-span/);
  refused(tt, kubedrill(['run', 'replicas.yaml'], { cwd: d, timeoutMs: 20_000 }), 2, /the number of declared pods \(1000000000\) exceeds the limit maxPods \(300000\)/);
  // The limits can be raised: 168h (Kubernetes' 7-day envelope) is within the default already.
  const week = folder({ 'week.yaml': `${HEAD}until: 168h\nexpect: [{nodes: {}, count: 1}]\n` });
  const w = kubedrill(['run', 'week.yaml'], { cwd: week, timeoutMs: 120_000 });
  tt.ok(w.finished);
  tt.equal(w.code, 0, 'seven simulated days run');
});

t.test('reactions that never settle end the run with an error naming the loop (step limit)', async (tt) => {
  const d = folder({
    'busy.yaml': `${HEAD}manifests:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: a}
    spec: {replicas: 20, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}}
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata: {name: b}
    spec: {replicas: 20, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}}
expect:
  - pods: {selector: {app: web}}
    count: 40
`,
  });
  // Overlapping selectors do not fight (controller references), so the run settles by default ...
  const ok = kubedrill(['run', 'busy.yaml'], { cwd: d, timeoutMs: 60_000 });
  tt.equal(ok.code, 0, 'Deployment and ReplicaSet with one selector share the pods without fighting');
  // ... and a step limit below what the instant needs stops it with an error naming the limit and the last reaction.
  const r = kubedrill(['run', 'busy.yaml', '--max-steps', '30'], { cwd: d, timeoutMs: 60_000 });
  refused(tt, r, 1, /error: "the instant 0s never settled: reactions did not settle within 30 steps at one instant \(last: [^)]+\); raise it with --max-steps"/);
  tt.match(r.out, /not ok 1 - s/);
});

t.test('a scenario that simply runs too long is stopped by the wall-time limit', async (tt) => {
  const d = folder({ 'long.yaml': 'apiVersion: kubedrill/v1\nkind: Scenario\nname: long\nuntil: 168h\nnodes: [{name: n, count: 300}]\nexpect: [{nodes: {}, count: 300}]\n' });
  const r = kubedrill(['run', 'long.yaml', '--max-wall-time', '1s'], { cwd: d, timeoutMs: 60_000 });
  refused(tt, r, 1, /error: "?wall-time limit of 1000 ms per scenario reached \(raise it with --max-wall-time\)/);
  tt.ok(r.ms < 30_000, `stopped soon after the limit (${r.ms} ms)`);
});

t.test('{file} references stay inside the scenario folder, symlinks included, unless --allow-outside', async (tt) => {
  const base = tempDir();
  const outside = join(base, 'outside');
  const inside = join(base, 'suite');
  mkdirSync(outside);
  mkdirSync(inside);
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n';
  writeFileSync(join(outside, 'pod.yaml'), pod);
  symlinkSync(join(outside, 'pod.yaml'), join(inside, 'link.yaml'));
  symlinkSync(outside, join(inside, 'dir'));
  writeFileSync(join(inside, 's.yaml'), `${HEAD}manifests:\n  - file: ../outside/pod.yaml\n  - file: link.yaml\n  - file: dir/pod.yaml\n  - file: ${join(outside, 'pod.yaml')}\nexpect: [{pods: {}, count: 4}]\n`);
  const r = kubedrill(['run', 's.yaml'], { cwd: inside, timeoutMs: 20_000 });
  refused(tt, r, 2, /s\.yaml:6:11: file "\.\.\/outside\/pod\.yaml" is outside the scenario's folder; \{file\} paths stay inside it \(pass --allow-outside to permit this\)/);
  tt.match(r.err, /s\.yaml:7:11: file "link\.yaml" is a symbolic link that leads outside the scenario's folder \(pass --allow-outside to permit this\)/);
  tt.match(r.err, /s\.yaml:8:11: file "dir\/pod\.yaml" is a symbolic link that leads outside/);
  tt.match(r.err, /s\.yaml:9:11: file ".*" is outside the scenario's folder/);
  const allowed = kubedrill(['run', 's.yaml', '--allow-outside'], { cwd: inside, timeoutMs: 20_000 });
  tt.equal(allowed.code, 1, 'with --allow-outside all four load (four copies of one pod name: an action error, exit 1)');
  tt.notMatch(allowed.err, /outside the scenario's folder/);
});

t.test('catastrophic regular expressions are refused or bounded, never a hang', async (tt) => {
  const long = 'a'.repeat(240);
  const d = folder({
    'nested.yaml': `${HEAD}expect:\n  - pods: {}\n    all: {metadata: {name: {$regex: "^(a+)+(?=b)"}}}\n`,
    // Nested repetition without back-references or look-arounds runs on V8's linear-time engine.
    'linear.yaml': `${HEAD}manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: ${'a'.repeat(60)}x}, spec: {containers: [{name: c, image: i}]}}
expect:
  - pods: {}
    none: {metadata: {name: {$regex: "^(a+)+$"}}}
  - pods: {}
    none: {metadata: {name: {$regex: "^(a|aa)+$"}}}
`,
    // Allowed patterns with polynomial backtracking, against long strings: bounded by the matcher.
    'poly.yaml': `${HEAD}manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: ${long}, annotations: {note: "${'ab'.repeat(5000)}"}}
    spec: {containers: [{name: c, image: i}]}
expect:
  - pods: {}
    none: {metadata: {annotations: {note: {$regex: ".*a.*b.*c"}}}}
  - pods: {}
    none: {metadata: {name: {$regex: "a*a*a*a*a*a*b"}}}
  - pods: {name: "*a*a*a*a*a*a*a*a*a*a*a*b"}
    count: 0
  - events: {message: {$regex: "(foo|bar)+x"}}
    count: 0
`,
  });
  refused(tt, kubedrill(['validate', 'nested.yaml'], { cwd: d, timeoutMs: 20_000 }), 2,
    /nested\.yaml:7:37: expect\[0\]\.all\.metadata\.name\.\$regex: regular expression "\^\(a\+\)\+\(\?=b\)" is refused: the repeated group "\(a\+\)\+" contains a repetition/);
  const lin = kubedrill(['run', 'linear.yaml'], { cwd: d, timeoutMs: 20_000 });
  tt.ok(lin.finished, `nested patterns on the linear engine finished (${lin.ms} ms)`);
  tt.equal(lin.code, 0, lin.out);
  const r = kubedrill(['run', 'poly.yaml'], { cwd: d, timeoutMs: 60_000 });
  tt.ok(r.finished, `polynomial patterns finished (${r.ms} ms)`);
  tt.equal(r.code, 0, r.out);
  const g = kubedrill(['run', 'poly.yaml', '--grep', '(x+x+)+\\1y'], { cwd: d, timeoutMs: 20_000 });
  refused(tt, g, 2, /--grep: regular expression "\(x\+x\+\)\+\\\\1y" is refused/);
  refused(tt, kubedrill(['run', 'poly.yaml', '--grep', '(unclosed'], { cwd: d, timeoutMs: 20_000 }), 2, /--grep: invalid regular expression: \/\(unclosed\/: Unterminated group/);
});

t.test('non-UTF-8 bytes are refused at the first bad byte', async (tt) => {
  const latin1 = Buffer.concat([Buffer.from(`${HEAD}description: caf`), Buffer.from([0xe9]), Buffer.from('\n')]);
  const utf16 = Buffer.from('\ufeff' + HEAD, 'utf16le');
  const d = folder({ 'latin1.yaml': latin1, 'utf16.yaml': utf16, 'nul.yaml': `${HEAD}description: "a\u0000b"\n` });
  refused(tt, kubedrill(['validate', 'latin1.yaml'], { cwd: d, timeoutMs: 20_000 }), 2,
    /latin1\.yaml:5:17: the file is not valid UTF-8 \(byte 0xe9 at offset \d+\): save it as UTF-8/);
  refused(tt, kubedrill(['validate', 'utf16.yaml'], { cwd: d, timeoutMs: 20_000 }), 2, /utf16\.yaml:1:1: the file is not valid UTF-8 .*it looks like UTF-16/);
  const nul = kubedrill(['validate', 'nul.yaml'], { cwd: d, timeoutMs: 20_000 });
  tt.ok(nul.finished);
  tt.ok(nul.code === 0 || nul.code === 2, 'a NUL escape is a string like any other, or a clear problem');
  tt.ok(noStack(nul.err));
});
