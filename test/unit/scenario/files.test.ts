import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFile, DEFAULT_LIMITS } from '../../../src/scenario/index.js';
import { HEAD, lines, loadText, tempDir } from './helpers.js';

const CM = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;

t.test('{file} is read relative to the scenario file, with several documents and a v1 List expanded', async (t) => {
  const dir = tempDir({
    'sc/s.yaml': `${HEAD}manifests:\n  - file: objs/two.yaml\n  - file: ./objs/list.yaml\nevents:\n  - at: 1s\n    apply: {file: objs/two.yaml}\n`,
    'sc/objs/two.yaml': `${CM('a')}---\n---\n${CM('b')}`,
    'sc/objs/list.yaml': `apiVersion: v1\nkind: List\nitems:\n  - ${CM('c').trim().split('\n').join('\n    ')}\n`,
  });
  const r = loadFile('sc/s.yaml', { allowOutside: false, limits: DEFAULT_LIMITS, cwd: dir });
  t.same(lines(r), []);
  const s = r.scenarios[0]!;
  t.same(s.manifests.map((m) => m.object.metadata.name), ['a', 'b', 'c']);
  t.same(s.manifests.map((m) => `${m.pos.file}:${m.pos.line}:${m.pos.col}`), ['sc/objs/two.yaml:1:1', 'sc/objs/two.yaml:6:1', 'sc/objs/list.yaml:4:5']);
  t.same(s.events[0]!.objects!.map((o) => o.object.metadata.name), ['a', 'b']);
  t.not(s.events[0]!.objects![0]!.object, s.manifests[0]!.object, 'each use gets its own copy');
});

const confinement: Array<[string, string, string]> = [
  ['a .. escape is refused', '../outside.yaml', 'file "../outside.yaml" is outside the scenario\'s folder; {file} paths stay inside it (pass --allow-outside to permit this)'],
  ['a .. in the middle that escapes is refused', 'objs/../../outside.yaml', 'file "objs/../../outside.yaml" is outside the scenario\'s folder; {file} paths stay inside it (pass --allow-outside to permit this)'],
  ['an absolute path is refused', '/etc/hostname', 'file "/etc/hostname" is outside the scenario\'s folder; {file} paths stay inside it (pass --allow-outside to permit this)'],
  ['a missing file is a problem', 'nope.yaml', 'file "nope.yaml" not found (looked for sc/nope.yaml)'],
  ['a folder is a problem', 'objs', 'file "sc/objs" is a folder, not a file'],
];
for (const [name, ref, want] of confinement) {
  t.test(`{file} confinement: ${name}`, async (t) => {
    const dir = tempDir({ 'sc/s.yaml': `${HEAD}manifests:\n  - file: ${ref}\n`, 'sc/objs/a.yaml': CM('a'), 'outside.yaml': CM('o') });
    const r = loadFile('sc/s.yaml', { allowOutside: false, limits: DEFAULT_LIMITS, cwd: dir });
    t.same(lines(r), [`5:11: ${want}`]);
  });
}

t.test('{file} confinement: a .. that stays inside is accepted', async (t) => {
  const dir = tempDir({ 'sc/s.yaml': `${HEAD}manifests:\n  - file: objs/../objs/a.yaml\n`, 'sc/objs/a.yaml': CM('a') });
  t.same(lines(loadFile('sc/s.yaml', { allowOutside: false, limits: DEFAULT_LIMITS, cwd: dir })), []);
});

t.test('{file} confinement: a symbolic link out of the folder is refused', { skip: process.platform === 'win32' }, async (t) => {
  const dir = tempDir({ 'sc/s.yaml': `${HEAD}manifests:\n  - file: link.yaml\n  - file: dirlink/o.yaml\n`, 'outside.yaml': CM('o'), 'other/o.yaml': CM('p') });
  fs.symlinkSync(path.join(dir, 'outside.yaml'), path.join(dir, 'sc', 'link.yaml'));
  fs.symlinkSync(path.join(dir, 'other'), path.join(dir, 'sc', 'dirlink'));
  const r = loadFile('sc/s.yaml', { allowOutside: false, limits: DEFAULT_LIMITS, cwd: dir });
  t.same(lines(r), [
    '5:11: file "link.yaml" is a symbolic link that leads outside the scenario\'s folder (pass --allow-outside to permit this)',
    '6:11: file "dirlink/o.yaml" is a symbolic link that leads outside the scenario\'s folder (pass --allow-outside to permit this)',
  ]);
  const ok = loadFile('sc/s.yaml', { allowOutside: true, limits: DEFAULT_LIMITS, cwd: dir });
  t.same(lines(ok), [], '--allow-outside permits it');
});

t.test('{file} confinement: --allow-outside permits .. and absolute paths', async (t) => {
  const dir = tempDir({ 'outside.yaml': CM('o') });
  const r = loadText(`${HEAD}manifests:\n  - file: ${path.join(dir, 'outside.yaml')}\n`, {}, { allowOutside: true });
  t.same(lines(r), []);
  t.equal(r.scenarios[0]!.manifests[0]!.object.metadata.name, 'o');
});

t.test('problems inside a {file} are reported at that file\'s line and column', async (t) => {
  const r = loadText(`${HEAD}manifests:\n  - file: bad.yaml\n  - file: list.yaml\n`, {
    'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: 1\n',
    'list.yaml': '- 1\n- 2\n',
  });
  t.same(r.problems.map((p) => `${p.pos.file}:${p.pos.line}:${p.pos.col}: ${p.message}`), [
    'bad.yaml:5:1: yaml: flow map in block collection must be sufficiently indented and end with a }',
    'list.yaml:1:1: expected a Kubernetes object (a map with apiVersion and kind), got a list',
  ]);
});

t.test('a {file} entry takes only the key file', async (t) => {
  t.same(lines(loadText(`${HEAD}manifests:\n  - {file: a.yaml, name: x}\n`, { 'a.yaml': CM('a') })), ['5:20: unknown key "name" in manifests[0] (expected one of: file)']);
});

t.test('Kubernetes object problems are mapped to their position in the YAML', async (t) => {
  const r = loadText(`${HEAD}manifests:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      containers:\n        - name: c\n          imag: nginx\n`);
  t.ok(r.problems.length >= 1);
  for (const p of r.problems) t.ok(p.pos.line >= 5 && p.pos.line <= 11, `${p.pos.line}:${p.pos.col}: ${p.message}`);
  t.ok(r.problems.some((p) => p.pos.line === 11 && /imag/.test(p.message)), 'the unknown field is reported at its own line');
});
