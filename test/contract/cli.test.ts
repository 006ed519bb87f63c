/** Contract: scenario-format.md "Command line", one test per clause. */
import t from 'tap';
import { readFileSync, existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, files, scenarioFile, parseTap, pod } from './lib.js';

const root = join(import.meta.dirname, '..', '..');
const HDR = 'apiVersion: kubedrill/v1\nkind: Scenario\n';
const H = (name = 'c', until = '1m') => `name: ${name}\nuntil: ${until}\nnodes: [{name: n, count: 2}]\n`;
const ok = (name: string) => `${HDR}${H(name)}expect:\n  - {nodes: {}, count: 2}\n`;
const bad = (name: string) => `${HDR}${H(name)}expect:\n  - {nodes: {}, count: 3}\n`;

async function inDir<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const old = process.cwd();
  process.chdir(dir);
  try { return await f(); } finally { process.chdir(old); }
}

const twoSeeds = `${HDR}name: two\nseed: 5\nuntil: 1m\nnodes: [{name: n, count: 2}]\nmanifests:\n${pod('p')}expect:\n  - {name: where, pod: p, node: n-1}\n---\n${HDR}name: other\nuntil: 1m\nnodes: [{name: n, count: 2}]\nmanifests:\n${pod('q')}expect:\n  - {pod: q, phase: Running}\n`;

t.test('cli: kubedrill run [paths...] runs scenarios, TAP on stdout; default scenarios/', async (t) => {
  const dir = files({ 'scenarios/a.yaml': ok('a'), 'scenarios/sub/b.yml': ok('b'), 'scenarios/.hidden.yaml': ok('hidden'), 'scenarios/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
  const r = await inDir(dir, () => cli(['run']));
  t.equal(r.code, 0);
  t.match(r.out, /^TAP version 14\n# Subtest: a\n[\s\S]*# Subtest: b\n[\s\S]*1\.\.2\n$/);
  t.notMatch(r.out, /hidden/);
});

t.test('cli: files and folders are taken in the order given, a folder\'s files in byte order, each file once', async (t) => {
  const dir = files({ 'd/B.yaml': ok('B'), 'd/a.yaml': ok('a'), 'd/a/z.yaml': ok('z'), 'x.yaml': ok('x') });
  const r = await cli(['run', join(dir, 'x.yaml'), join(dir, 'd'), join(dir, 'x.yaml')]);
  const names = r.out.split('\n').filter((l) => l.startsWith('# Subtest: ')).map((l) => l.slice(11));
  t.same(names, ['x', 'B', 'a', 'z'], 'd/a.yaml < d/a/z.yaml in byte order');
});

t.test('cli: validate loads and checks only; problems on stderr; exit 0 or 2', async (t) => {
  const dir = files({ 'a.yaml': ok('a'), 'b.yaml': `${HDR}${H('b')}bogus: 1\n` });
  const r = await cli(['validate', join(dir, 'a.yaml')]);
  t.equal(r.code, 0);
  const r2 = await cli(['validate', dir]);
  t.equal(r2.code, 2);
  t.match(r2.err, `${join(dir, 'b.yaml')}:6:1: `);
  t.notMatch(r2.out, /Subtest/);
  const r3 = await cli(['validate', join(dir, 'bad.yaml')]);
  t.equal(r3.code, 2);
});

t.test('cli: explain <file> --pod NAME [--at T] shows, per node, the rejecting filter with its reason or each score plugin\'s score x weight and the total', async (t) => {
  const f = scenarioFile(`name: e\nuntil: 1m\nnodes: [{name: small, capacity: {cpu: "1"}}, {name: big, count: 2}]\nmanifests:\n${pod('p').replace('image: "nginx:1.27"}', 'image: "nginx:1.27", resources: {requests: {cpu: "2"}}}')}`);
  const r = await cli(['explain', f, '--pod', 'p']);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /small/);
  t.match(r.out, /Insufficient cpu/);
  t.match(r.out, /big-1/);
  t.match(r.out, /big-2/);
  t.match(r.out, /NodeResourcesFit/);
  t.match(r.out, /total/i);
  const r2 = await cli(['explain', f, '--pod', 'p', '--at', '0s']);
  t.equal(r2.code, 0);
  const r3 = await cli(['explain', f, '--pod', 'nope']);
  t.equal(r3.code, 2);
});

t.test('cli: state <file> --at T [--kind Pod] [-o yaml|wide] prints the stored objects at T like kubectl get', async (t) => {
  const f = scenarioFile(`${H('s', '2m')}manifests:\n${pod('p')}events:\n  - {at: 1m, delete: {kind: Pod, name: p}}\n`);
  const r = await cli(['state', f, '--at', '30s', '--kind', 'Pod']);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
  t.match(r.out, /^(default\s+)?p\s+1\/1\s+Running\s+0\s+30s/m);
  const r2 = await cli(['state', f, '--at', '90s', '--kind', 'Pod']);
  t.notMatch(r2.out, /^(default\s+)?p\s/m);
  const y = await cli(['state', f, '--at', '30s', '--kind', 'Pod', '-o', 'yaml']);
  t.match(y.out, /kind: Pod/);
  t.match(y.out, /creationTimestamp: "?2024-01-01T00:00:00Z"?/);
  const w = await cli(['state', f, '--at', '30s', '--kind', 'Pod', '-o', 'wide']);
  t.match(w.out, /IP\s+NODE/);
  const late = await cli(['state', f, '--at', '3m']);
  t.equal(late.code, 2, 'an instant after until');
  const plural = await cli(['state', f, '--kind', 'pods']);
  t.equal(plural.code, 2, 'an unknown kind');
  t.match(plural.err, /--kind: unknown kind "pods": neither simulated nor among the scenario's objects \(kinds are singular and case-sensitive: did you mean "Pod"\?\)/);
});

t.test('cli: trace <file> [--format text|jsonl] prints everything that happened, in order, with simulated times', async (t) => {
  const f = scenarioFile(`${H('t')}manifests:\n${pod('p')}events:\n  - {at: 30s, cordon: n-1}\n`);
  const r = await cli(['trace', f]);
  t.equal(r.code, 0);
  t.match(r.out, /^\s+0s\s+\w+\s+/m);
  t.match(r.out, /30s\s+action\s+cordon n-1/);
  const j = await cli(['trace', f, '--format', 'jsonl']);
  const recs = j.out.trim().split('\n').map((l) => JSON.parse(l) as { t: number });
  t.ok(recs.length > 5);
  t.same(recs.map((x) => x.t), [...recs.map((x) => x.t)].sort((a, b) => a - b), 'in time order');
  const bad = await cli(['trace', f, '--format', 'xml']);
  t.equal(bad.code, 2);
});

t.test('cli: timeline <file> -o run.svg|run.html draws the run', async (t) => {
  const f = scenarioFile(`${H('tl')}manifests:\n${pod('p')}events:\n  - {at: 30s, nodeDown: n-1}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'kd-tl-'));
  const svg = join(dir, 'run.svg');
  const r = await cli(['timeline', f, '-o', svg]);
  t.equal(r.code, 0, r.err);
  const s = readFileSync(svg, 'utf8');
  t.match(s, /^(<\?xml[^>]*>\s*)?<svg[\s>]/);
  t.match(s, /n-1/);
  t.match(s, /n-2/);
  const html = join(dir, 'run.html');
  t.equal((await cli(['timeline', f, '-o', html])).code, 0);
  t.match(readFileSync(html, 'utf8'), /<html[\s>]/i);
  t.equal((await cli(['timeline', f, '-o', join(dir, 'run.png')])).code, 2);
});

t.test('cli: schema prints schemas/scenario.schema.json', async (t) => {
  const r = await cli(['schema']);
  t.equal(r.code, 0);
  t.equal(r.out, readFileSync(join(root, 'schemas', 'scenario.schema.json'), 'utf8'));
  JSON.parse(r.out);
});

t.test('cli: init [file] writes a commented starter scenario (default scenarios/example.yaml; never overwrites)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kd-init-'));
  const r = await inDir(dir, () => cli(['init']));
  t.equal(r.code, 0, r.err);
  const text = readFileSync(join(dir, 'scenarios', 'example.yaml'), 'utf8');
  t.match(text, /^#/m, 'commented');
  const v = await cli(['run', join(dir, 'scenarios', 'example.yaml')]);
  t.equal(v.code, 0, 'the starter passes');
  writeFileSync(join(dir, 'mine.yaml'), 'keep me');
  const r2 = await cli(['init', join(dir, 'mine.yaml')]);
  t.not(r2.code, 0);
  t.equal(readFileSync(join(dir, 'mine.yaml'), 'utf8'), 'keep me');
  const r3 = await cli(['init', join(dir, 'other.yaml')]);
  t.equal(r3.code, 0);
  t.ok(existsSync(join(dir, 'other.yaml')));
});

t.test('cli: --version, --help and <command> --help', async (t) => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const v = await cli(['--version']);
  t.equal(v.code, 0);
  t.match(v.out, pkg.version);
  const h = await cli(['--help']);
  t.equal(h.code, 0);
  for (const c of ['run', 'validate', 'explain', 'state', 'trace', 'timeline', 'schema', 'init']) t.match(h.out, c);
  const rh = await cli(['run', '--help']);
  t.equal(rh.code, 0);
  for (const o of ['--seed', '--seeds', '--grep', '--bail', '--jobs', '--shard', '--reporter', '--record', '--timing']) t.match(rh.out, o);
  for (const c of ['validate', 'explain', 'state', 'trace', 'timeline', 'schema', 'init']) {
    const ch = await cli([c, '--help']);
    t.equal(ch.code, 0, c);
    t.match(ch.out, /Usage: kubedrill /);
  }
});

t.test('cli: commands taking <file> also take --seed N and --scenario NAME (needed when the file holds several)', async (t) => {
  const f = scenarioFile(twoSeeds, {}, true);
  const noPick = await cli(['trace', f]);
  t.equal(noPick.code, 2);
  t.match(noPick.err, /--scenario/);
  for (const cmd of [['trace'], ['state', '--at', '10s'], ['explain', '--pod', 'p']]) {
    const r = await cli([cmd[0]!, f, ...cmd.slice(1), '--scenario', 'two', '--seed', '3']);
    t.equal(r.code, 0, `${cmd[0]}: ${r.err}`);
  }
  const a = await cli(['trace', f, '--scenario', 'two', '--seed', '1', '--format', 'jsonl']);
  const b = await cli(['trace', f, '--scenario', 'two', '--seed', '2', '--format', 'jsonl']);
  const c = await cli(['trace', f, '--scenario', 'two', '--seed', '1', '--format', 'jsonl']);
  t.not(a.out, b.out, 'the seed changes the run (uids, names)');
  t.equal(a.out, c.out);
  const tl = mkdtempSync(join(tmpdir(), 'kd-tl-'));
  t.equal((await cli(['timeline', f, '--scenario', 'other', '--seed', '2', '-o', join(tl, 'x.svg')])).code, 0);
  t.equal((await cli(['trace', f, '--scenario', 'nope'])).code, 2);
});

t.test('cli: run --seed N overrides every seed:', async (t) => {
  const f = scenarioFile(twoSeeds, {}, true);
  const r = await cli(['run', f, '--seed', '9']);
  const seeds = r.out.split('\n').filter((l) => /^      seed:/.test(l));
  t.ok(seeds.every((l) => l === '      seed: 9'));
  const r2 = await cli(['run', f]);
  const other = await cli(['run', f, '--seed', '5']);
  t.equal(r2.out.split('# Subtest: other')[0], other.out.split('# Subtest: other')[0], 'seed: 5 in the file equals --seed 5');
});

t.test('cli: run --seeds N runs each scenario with seeds 1..N; a point fails if any seed fails it, reporting the smallest', async (t) => {
  const f = scenarioFile(`name: tie\nuntil: 10s\nnodes: [{name: n, count: 2}]\nmanifests:\n${pod('p')}expect:\n  - {name: on n-1, pod: p, node: n-1}\n  - {name: always fine, pod: p, phase: Running}\n`);
  const fails: number[] = [];
  for (let s = 1; s <= 6; s++) if ((await cli(['run', f, '--seed', String(s)])).code === 1) fails.push(s);
  t.ok(fails.length > 0 && fails.length < 6, `seed-dependent: ${fails}`);
  const r = await cli(['run', f, '--seeds', '6']);
  t.equal(r.code, 1);
  t.match(r.out, new RegExp(`not ok 1 - on n-1\\n[\\s\\S]*?      seed: ${fails[0]}\\n      source: [^\\n]*\\n      failingSeeds: ${fails.length}/6\\n      rerun: [^\\n]*\\n      \\.\\.\\.\\n    ok 2 - always fine\\n`));
});

t.test('cli: run --grep PATTERN selects scenario names (ECMAScript regex, unanchored); files with problems are reported regardless', async (t) => {
  const dir = files({ 'a.yaml': ok('alpha one') + '---\n' + ok('beta two'), 'b.yaml': `${HDR}${H('gamma')}bogus: 1\n` });
  const r = await cli(['run', dir, '--grep', 'ta t']);
  t.equal(r.code, 2);
  const names = r.out.split('\n').filter((l) => /^(not )?ok/.test(l));
  t.same(names, ['ok 1 - beta two', `not ok 2 - ${join(dir, 'b.yaml')}`]);
  const r2 = await cli(['run', join(dir, 'a.yaml'), '--grep', '^alpha']);
  t.equal(r2.code, 0);
  t.match(r2.out, /^ok 1 - alpha one\n1\.\.1\n$/m);
  t.equal((await cli(['run', dir, '--grep', '('])).code, 2, 'a bad pattern is a bad option');
});

t.test('cli: run --bail: after the first scenario with a failing point, Bail out! <name>, nothing more runs, exit 1', async (t) => {
  const dir = files({ 'a.yaml': ok('first'), 'b.yaml': bad('second'), 'c.yaml': ok('third') });
  const r = await cli(['run', dir, '--bail']);
  t.equal(r.code, 1);
  t.match(r.out, /not ok 2 - second\nBail out! second\n$/);
  t.notMatch(r.out, /third/);
  const p = await parseTap(r.out);
  t.ok(p.bailout);
  const r2 = await cli(['run', dir, '--bail', '--jobs', '2']);
  t.equal(r2.out, r.out, 'same with --jobs');
});

t.test('cli: run --jobs N runs in parallel workers; output order stays file order', async (t) => {
  const dir = files(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.yaml`, i === 2 ? bad(`s${i}`) : ok(`s${i}`)])));
  const serial = await cli(['run', dir]);
  const par = await cli(['run', dir, '--jobs', '3']);
  t.equal(par.out, serial.out);
  t.equal(par.code, 1);
});

t.test('cli: run --shard I/N takes the files at 0-based positions k with k mod N = I-1', async (t) => {
  const dir = files(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.yaml`, ok(`s${i}`)])));
  const names = async (s: string) => (await cli(['run', dir, '--shard', s])).out.split('\n').filter((l) => l.startsWith('# Subtest: ')).map((l) => l.slice(11));
  t.same(await names('1/2'), ['s0', 's2', 's4']);
  t.same(await names('2/2'), ['s1', 's3']);
  t.same(await names('3/3'), ['s2']);
  t.equal((await cli(['run', dir, '--shard', '0/2'])).code, 2);
  t.equal((await cli(['run', dir, '--shard', '3/2'])).code, 2);
});

t.test('cli: run --reporter tap|pretty|junit is repeatable, junit=path writes a file, at most one on stdout', async (t) => {
  const dir = files({ 'a.yaml': ok('a'), 'b.yaml': bad('b') });
  const out = mkdtempSync(join(tmpdir(), 'kd-rep-'));
  const r = await cli(['run', dir, '--reporter', 'pretty', '--reporter', `junit=${join(out, 'r.xml')}`, '--reporter', `tap=${join(out, 'r.tap')}`]);
  t.equal(r.code, 1);
  t.notMatch(r.out, /TAP version/);
  t.match(r.out, /\ba\b/);
  t.match(readFileSync(join(out, 'r.tap'), 'utf8'), /^TAP version 14\n/);
  t.ok(existsSync(join(out, 'r.xml')));
  t.equal((await cli(['run', dir, '--reporter', 'tap', '--reporter', 'junit'])).code, 2, 'two on stdout');
  t.equal((await cli(['run', dir, '--reporter', 'xml'])).code, 2);
  const j = await cli(['run', dir, '--reporter', 'junit']);
  t.match(j.out, /^<\?xml/);
});

/** A strict XML well-formedness check (no XML parser in node_modules): tags nest, attributes quoted, entities known. */
function parseXml(s: string): { name: string; attrs: Record<string, string>; children: any[]; text: string } {
  let i = 0;
  const fail = (m: string) => { throw new Error(`${m} at ${i}: ${s.slice(i, i + 40)}`); };
  const decode = (x: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(x)) fail('bad entity');
    if (/[<]/.test(x)) fail('raw <');
    return x.replace(/&#(\d+);/g, (_, d) => String.fromCharCode(+d)).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  };
  if (s.startsWith('<?xml')) { i = s.indexOf('?>') + 2; }
  const ws = () => { while (/\s/.test(s[i] ?? '')) i++; };
  const elem = (): any => {
    ws();
    if (s[i] !== '<') fail('expected <');
    i++;
    const m = /^[A-Za-z_][\w.-]*/.exec(s.slice(i));
    if (!m) fail('bad name');
    const name = m![0];
    i += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      ws();
      if (s.startsWith('/>', i)) { i += 2; return { name, attrs, children: [], text: '' }; }
      if (s[i] === '>') { i++; break; }
      const a = /^([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(s.slice(i));
      if (!a) fail('bad attribute');
      if (a![1]! in attrs) fail('duplicate attribute');
      attrs[a![1]!] = decode(a![2]!);
      i += a![0].length;
    }
    const children: any[] = [];
    let text = '';
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) fail('unclosed');
      text += decode(s.slice(i, lt));
      i = lt;
      if (s.startsWith('</', i)) {
        const end = `</${name}>`;
        if (!s.startsWith(end, i)) fail(`expected ${end}`);
        i += end.length;
        return { name, attrs, children, text };
      }
      children.push(elem());
    }
  };
  const rootEl = elem();
  ws();
  if (i !== s.length) fail('trailing content');
  return rootEl;
}

t.test('cli: JUnit has a testsuite per scenario and a testcase per assertion (well-formed XML)', async (t) => {
  const dir = files({ 'a.yaml': ok('a & <b>') + '---\n' + `${HDR}${H('two')}expect:\n  - {name: 'x "q"', nodes: {}, count: 2}\n  - {nodes: {}, count: 5}\n`, 'z.yaml': `${HDR}${H('z')}bogus: 1\n` });
  const r = await cli(['run', dir, '--reporter', 'junit']);
  t.equal(r.code, 2);
  const doc = parseXml(r.out);
  t.equal(doc.name, 'testsuites');
  const suites = doc.children.filter((c: any) => c.name === 'testsuite');
  t.same(suites.map((s: any) => s.attrs.name), ['a & <b>', 'two', join(dir, 'z.yaml')]);
  t.same(suites.map((s: any) => s.children.filter((c: any) => c.name === 'testcase').length), [1, 2, 1]);
  const two = suites[1].children.filter((c: any) => c.name === 'testcase');
  t.equal(two[0].attrs.name, 'x "q"');
  t.equal(two[0].children.length, 0);
  t.equal(two[1].children[0].name, 'failure');
  t.match(two[1].children[0].text, /expected: \{count: 5\}/);
  t.equal(suites[1].attrs.failures, '1');
});

t.test('cli: run --record prints each scenario with an expect block describing what actually happened at until', async (t) => {
  const f = scenarioFile(`${H('rec')}manifests:\n${pod('p')}${pod('q', { spec: '      restartPolicy: Never\n' })}behaviors:\n  - {match: {pod: q}, runs: [{exitAfter: 5s, exitCode: 2}]}\nexpect:\n  - {name: old, nodes: {}, count: 99}\n`);
  const r = await cli(['run', f, '--record']);
  t.equal(r.code, 0, r.err);
  t.notMatch(r.out, /TAP version/);
  t.match(r.out, /kind: Scenario/);
  t.notMatch(r.out, /count: 99/);
  const dir = mkdtempSync(join(tmpdir(), 'kd-rec-'));
  writeFileSync(join(dir, 'r.yaml'), r.out);
  const again = await cli(['run', join(dir, 'r.yaml')]);
  t.equal(again.code, 0, `the recorded scenario passes\n${again.out}`);
  t.match(again.out, /ok \d+ - /);
  t.match(r.out, /Failed/);
});

t.test('cli: run --timing appends " # time=<n>ms" to top-level points', async (t) => {
  const dir = files({ 'a.yaml': ok('a'), 'b.yaml': bad('b') });
  const r = await cli(['run', dir, '--timing']);
  t.match(r.out, /^ok 1 - a # time=\d+ms$/m);
  t.match(r.out, /^not ok 2 - b # time=\d+ms\n1\.\.2\n$/m);
  const p = await parseTap(r.out);
  t.equal(p.count, 2);
});
