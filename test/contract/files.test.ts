/** Contract: scenario-format.md "Files". */
import t from 'tap';
import { cliIn, passes, points, scenario, tempDir } from './helpers.js';

const S = 'Files: ';
const pass = (name: string) => scenario('until: 1s\nexpect:\n  - nodes: {}\n    count: 0\n', name);
const CM = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;

t.test(`${S}a file holds one or more Scenario documents separated by --- (empty ones skipped)`, async (t) => {
  const dir = tempDir({ 's.yaml': `---\n# only a comment\n---\n${pass('one')}---\n---\n${pass('two')}---\n` });
  const r = await cliIn(dir, ['run', 's.yaml']);
  passes(t, r);
  t.same(points(r.out).filter((l) => !/^ok 1 - expect/.test(l)), ['ok 1 - expect[0]', 'ok 1 - one', 'ok 1 - expect[0]', 'ok 2 - two'].filter((l) => !/^ok 1 - expect/.test(l)));
  t.match(r.out, /# Subtest: one[\s\S]*# Subtest: two/);
});

t.test(`${S}run and validate take files and folders (default scenarios/)`, async (t) => {
  const dir = tempDir({ 'scenarios/a.yaml': pass('in default folder'), 'other/b.yaml': pass('in other folder'), 'c.yaml': pass('a file') });
  const def = await cliIn(dir, ['run']);
  passes(t, def);
  t.match(def.out, /ok 1 - in default folder/);
  t.notMatch(def.out, /other folder/);
  const both = await cliIn(dir, ['run', 'other', 'c.yaml']);
  passes(t, both);
  t.match(both.out, /ok 1 - in other folder\n[\s\S]*ok 2 - a file\n/);
  t.equal((await cliIn(dir, ['validate'])).code, 0);
  t.equal((await cliIn(dir, ['validate', 'other', 'c.yaml'])).code, 0);
  const bad = tempDir({ 'scenarios/bad.yaml': `${pass('x')}bogus: 1\n` });
  t.equal((await cliIn(bad, ['validate'])).code, 2, 'validate reads scenarios/ by default');
});

t.test(`${S}folders are searched recursively for *.yaml/*.yml, skipping names starting with .`, async (t) => {
  const dir = tempDir({
    'd/top.yaml': pass('top'),
    'd/sub/deep/x.yml': pass('deep yml'),
    'd/.hidden.yaml': pass('hidden file'),
    'd/.git/y.yaml': pass('hidden folder'),
    'd/notes.txt': pass('not yaml'),
  });
  const r = await cliIn(dir, ['run', 'd']);
  passes(t, r);
  t.match(r.out, /ok 1 - deep yml/);
  t.match(r.out, /ok 2 - top/);
  t.notMatch(r.out, /hidden|not yaml/);
});

t.test(`${S}a file found in a folder counts only if its first document has kind: Scenario, so manifests may sit beside scenarios`, async (t) => {
  const dir = tempDir({
    'd/s.yaml': scenario('manifests:\n  - file: cm.yaml\nexpect:\n  - object: {kind: ConfigMap, name: beside}\n    count: 1\n', 'uses its neighbour'),
    'd/cm.yaml': CM('beside'),
    'd/later.yaml': `${CM('x')}---\n${pass('second document')}`,
  });
  const r = await cliIn(dir, ['run', 'd']);
  passes(t, r);
  t.match(r.out, /ok 1 - uses its neighbour\n1\.\.1\n$/);
  const v = await cliIn(dir, ['validate', 'd']);
  t.equal(v.code, 0);
});

t.test(`${S}order: arguments as given, a folder's files in byte order of path, each file once`, async (t) => {
  const dir = tempDir({ 'd/b.yaml': pass('b'), 'd/B.yaml': pass('B'), 'd/a.yaml': pass('a'), 'd/a-z/q.yaml': pass('a-z/q'), 'd/a/z.yaml': pass('a/z'), 'e.yaml': pass('e') });
  const r = await cliIn(dir, ['run', 'e.yaml', 'd', 'd/a.yaml', './e.yaml']);
  passes(t, r);
  const names = points(r.out).filter((l) => !/expect\[/.test(l)).map((l) => l.replace(/^ok \d+ - /, ''));
  t.same(names, ['e', 'B', 'a-z/q', 'a', 'a/z', 'b']);
});

t.test(`${S}{file: path} is relative to the scenario file's directory, may hold several documents, and a v1 List is expanded`, async (t) => {
  const list = 'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: l1}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: l2}}\n';
  const dir = tempDir({
    'a/b/s.yaml': scenario(`until: 2s
manifests:
  - file: objs/two.yaml
  - file: ./objs/list.yaml
events:
  - at: 1s
    apply: {file: objs/later.yaml}
expect:
  - object: {kind: ConfigMap, name: "?"}
    count: 2
  - object: {kind: ConfigMap, name: "l?"}
    count: 2
  - at: 0s
    object: {kind: ConfigMap, name: later}
    count: 0
  - object: {kind: ConfigMap, name: later}
    count: 1
`),
    'a/b/objs/two.yaml': `${CM('x')}---\n---\n${CM('y')}`,
    'a/b/objs/list.yaml': list,
    'a/b/objs/later.yaml': CM('later'),
  });
  passes(t, await cliIn(dir, ['run', 'a/b/s.yaml']));
  passes(t, await cliIn(tempDir(), ['run', `${dir}/a/b/s.yaml`]));
});

t.test(`${S}output shows paths as reached from the arguments, with /`, async (t) => {
  const dir = tempDir({ 'd/sub/bad.yaml': `${pass('x')}bogus: 1\n`, 'd/sub/good.yaml': pass('good') });
  const r = await cliIn(dir, ['run', 'd']);
  t.equal(r.code, 2);
  t.match(r.out, /^not ok 1 - d\/sub\/bad\.yaml$/m);
  t.match(r.err, /^d\/sub\/bad\.yaml:8:1: /m);
  const r2 = await cliIn(`${dir}/d`, ['run', '.']);
  t.match(r2.out, /^not ok 1 - sub\/bad\.yaml$/m);
  const r3 = await cliIn(dir, ['run', './d//sub/']);
  t.match(r3.out, /^not ok 1 - d\/sub\/bad\.yaml$/m);
});
