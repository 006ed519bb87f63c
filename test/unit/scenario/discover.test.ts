import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover } from '../../../src/scenario/index.js';
import { firstDocIsScenario } from '../../../src/scenario/discover.js';
import { HEAD, tempDir } from './helpers.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n';

t.test('folders are searched recursively in byte order of path, skipping dot names and non-scenarios', async (t) => {
  const dir = tempDir({
    'scenarios/b.yaml': HEAD,
    'scenarios/a.yml': HEAD,
    'scenarios/B.yaml': HEAD,
    'scenarios/sub/z.yaml': HEAD,
    'scenarios/sub-x.yaml': HEAD,
    'scenarios/.hidden.yaml': HEAD,
    'scenarios/.git/c.yaml': HEAD,
    'scenarios/pod.yaml': POD,
    'scenarios/readme.md': HEAD,
    'scenarios/later.yaml': `${POD}---\n${HEAD}`,
    'scenarios/empty-first.yaml': `---\n# c\n---\n${HEAD}`,
    'scenarios/broken.yaml': `${HEAD}nodes: [\n`,
  });
  const r = discover(['scenarios'], dir);
  t.same(r.problems, []);
  t.same(r.files, [
    'scenarios/B.yaml', 'scenarios/a.yml', 'scenarios/b.yaml', 'scenarios/broken.yaml', 'scenarios/empty-first.yaml',
    'scenarios/sub-x.yaml', 'scenarios/sub/z.yaml',
  ]);
});

t.test('arguments keep their order, each file once, paths as reached with /', async (t) => {
  const dir = tempDir({ 'x/one.yaml': HEAD, 'x/two.yaml': HEAD, 'y/pod.yaml': POD });
  const r = discover(['x/two.yaml', './x/', 'y/pod.yaml', 'x/two.yaml'], dir);
  t.same(r.problems, []);
  t.same(r.files, ['x/two.yaml', 'x/one.yaml', 'y/pod.yaml'], 'a file named explicitly counts whatever its kind');
});

t.test('a missing path is a problem and the others are still found', async (t) => {
  const dir = tempDir({ 'a.yaml': HEAD });
  const r = discover(['nope', 'a.yaml', 'gone/x.yaml'], dir);
  t.same(r.files, ['a.yaml']);
  t.same(r.problems, [
    { pos: { file: 'nope', line: 0, col: 0 }, message: 'no such file or folder: nope' },
    { pos: { file: 'gone/x.yaml', line: 0, col: 0 }, message: 'no such file or folder: gone/x.yaml' },
  ]);
});

t.test('an absolute folder argument is shown as given', async (t) => {
  const dir = tempDir({ 'd/s.yaml': HEAD });
  const abs = path.join(dir, 'd');
  t.same(discover([abs], '/').files, [`${abs.split(path.sep).join('/')}/s.yaml`]);
});

t.test('symlinked folders are followed once, without loops', { skip: process.platform === 'win32' }, async (t) => {
  const dir = tempDir({ 'd/s.yaml': HEAD });
  fs.symlinkSync(path.join(dir, 'd'), path.join(dir, 'd', 'loop'));
  const r = discover(['d'], dir);
  t.same(r.files, ['d/s.yaml']);
});

t.test('an empty folder selects nothing without a problem', async (t) => {
  const dir = tempDir({ 'e/.keep': '' });
  t.same(discover(['e'], dir), { files: [], problems: [] });
});

const firstDoc: Array<[string, string, boolean]> = [
  ['a Scenario', HEAD, true],
  ['a Pod', POD, false],
  ['a Scenario after empty documents', `---\n---\n${HEAD}`, true],
  ['a Scenario with a syntax error later in the document', `${HEAD}nodes: [\n`, true],
  ['a quoted kind', 'kind: "Scenario"\n', true],
  ['kind nested, not top-level', 'spec:\n  kind: Scenario\n', false],
  ['a Pod first and a Scenario second', `${POD}---\n${HEAD}`, false],
  ['an empty file', '', false],
];
for (const [name, text, want] of firstDoc) {
  t.test(`first document: ${name}`, async (t) => {
    t.equal(firstDocIsScenario(text), want);
  });
}
