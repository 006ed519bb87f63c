import t from 'tap';
import * as path from 'node:path';
import { loadFile, DEFAULT_LIMITS } from '../../../src/scenario/index.js';
import { HEAD, lines, loadText } from './helpers.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../../shared/examples');

for (const f of ['01-restart-policies.yaml', '02-scheduling.yaml', '03-faults.yaml']) {
  t.test(`the shared example ${f} loads without problems`, async (t) => {
    const r = loadFile(f, { allowOutside: false, limits: DEFAULT_LIMITS, cwd: EXAMPLES });
    t.same(r.problems, []);
    t.same(r.warnings, []);
    t.ok(r.scenarios.length >= 2);
    t.same(r.scenarios.map((s) => s.docIndex), r.scenarios.map((_, i) => i));
    for (const s of r.scenarios) {
      t.equal(s.file, f);
      t.ok(s.source?.includes(`name: ${s.name}`), 'keeps the document source');
      t.ok(s.expect.length > 0);
    }
  });
}

t.test('an unknown key is reported at its line and column with a suggestion', async (t) => {
  t.same(lines(loadText(`${HEAD}untill: 5m\n`)), ['4:1: unknown key "untill" (did you mean "until"?)']);
  t.same(lines(loadText(`${HEAD}nodes:\n  - name: a\n    lables: {x: y}\n`)), ['6:5: unknown key "lables" in nodes[0] (did you mean "labels"?)']);
  t.same(lines(loadText(`${HEAD}expect:\n  - pod: x\n    phase: Running\n    untill: 1m\n`)), ['7:5: unknown key "untill" in expect[0] (did you mean "until"?)']);
});

t.test('a duplicate key is an error at the second occurrence', async (t) => {
  t.same(lines(loadText(`${HEAD}until: 1m\nuntil: 2m\n`)), ['5:1: duplicate key "until": each key may appear once in a map']);
  t.same(lines(loadText(`${HEAD}nodes:\n  - {name: a, name: b}\n`)), ['5:15: duplicate key "name": each key may appear once in a map']);
});

t.test('YAML syntax errors carry line:col and every one is reported', async (t) => {
  const r = loadText(`${HEAD}nodes: [{name: n}\nexpect:\n  - pod: "x\n`);
  t.equal(r.problems.length, 2);
  t.match(lines(r)[0], /^5:1: yaml: flow sequence/);
  t.match(lines(r)[1], /^7:1: yaml: missing closing "quote/);
});

t.test('all problems of a file are collected, across documents', async (t) => {
  const r = loadText(`${HEAD}untill: 1m\nseed: -1\n---\n${HEAD.replace('name: t', 'name: u')}kubernetes: 1.30\n`);
  t.same(lines(r), [
    '4:1: unknown key "untill" (did you mean "until"?)',
    '5:7: seed: expected a whole number from 0 to 4294967295, got the number -1',
    '10:13: kubernetes: expected a quoted string, got the number 1.30; write kubernetes: "1.30"',
  ]);
  t.same(r.scenarios, []);
});

t.test('empty documents are skipped', async (t) => {
  const r = loadText(`---\n---\n# only a comment\n---\n${HEAD}---\n\n`);
  t.same(lines(r), []);
  t.equal(r.scenarios.length, 1);
  t.equal(r.scenarios[0]!.docIndex, 2, 'the index counts empty documents');
});

t.test('a file with no document is a problem', async (t) => {
  t.same(lines(loadText('# nothing\n')), ['1:1: the file holds no Scenario document']);
});

t.test('scenario names are unique within a file and one line', async (t) => {
  t.same(lines(loadText(`${HEAD}---\n${HEAD}`)), ['7:7: duplicate scenario name "t" (first at line 3); names are unique within a file']);
  t.same(lines(loadText('apiVersion: kubedrill/v1\nkind: Scenario\nname: "a\\nb"\n')), ['3:7: name: expected a one-line name, got "a\\nb"']);
  t.same(lines(loadText('apiVersion: kubedrill/v1\nkind: Scenario\n')), ['1:1: missing required key "name"']);
});

t.test('bytes that are not UTF-8 are refused with their position', async (t) => {
  const bytes = Buffer.concat([Buffer.from(`${HEAD}description: caf`), Buffer.from([0xe9]), Buffer.from('\n')]);
  t.same(lines(loadText(bytes as unknown as string)), ['4:17: the file is not valid UTF-8 (byte 0xe9 at offset 64): save it as UTF-8']);
  const utf16 = Buffer.from('\ufeffname: x\n', 'utf16le');
  t.match(lines(loadText(utf16 as unknown as string))[0], /not valid UTF-8 .*it looks like UTF-16/);
});

t.test('a UTF-8 byte order mark is accepted', async (t) => {
  t.same(lines(loadText(`\ufeff${HEAD}`)), []);
});

t.test('alias bombs stop at the alias limit', async (t) => {
  const bomb = `${HEAD}description: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nx1: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx2: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx3: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nx4: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
  const r = loadText(bomb);
  t.same(r.problems.map((p) => p.message), ['the number of YAML alias expansions exceeds the limit maxAliases (1000); raise it with --max-aliases']);
  t.same(lines(loadText(bomb, {}, { limits: { maxAliases: 10_000 } })).filter((l) => l.includes('alias')), [], 'a raised limit admits it');
});

t.test('a wide alias expansion is bounded too', async (t) => {
  const big = Array.from({ length: 5000 }, (_, i) => String(i)).join(',');
  const text = `${HEAD}description: x\nx0: &a [${big}]\nx1: [${Array.from({ length: 300 }, () => '*a').join(',')}]\n`;
  t.match(loadText(text).problems.map((p) => p.message), [/the size of YAML alias expansions .* exceeds the limit maxAliases/]);
});

t.test('aliases within the limit are expanded as copies', async (t) => {
  const r = loadText(`${HEAD}nodes:\n  - &n {name: a, labels: {z: "1"}}\n  - {name: b}\nbehaviors:\n  - match: {labels: &l {app: web}}\n  - match: {labels: *l}\n`);
  t.same(lines(r), []);
  const b = r.scenarios[0]!.behaviors;
  t.same(b[1]!.match.labels, { app: 'web' });
  t.not(b[0]!.match.labels, b[1]!.match.labels);
});

t.test('nesting deeper than the depth limit is refused before it costs anything', async (t) => {
  const deep = (n: number) => `${HEAD}description: ${'['.repeat(n)}${']'.repeat(n)}\n`;
  t.same(loadText(deep(300)).problems.map((p) => p.message), ['the YAML nesting depth exceeds the limit maxDepth (200); raise it with --max-depth']);
  t.same(loadText(deep(100_000)).problems.map((p) => p.message), ['the YAML nesting depth exceeds the limit maxDepth (200); raise it with --max-depth']);
  t.match(lines(loadText(deep(150))), [/description: expected a string/]);
});

t.test('a file larger than maxFileBytes is refused', async (t) => {
  t.same(loadText(`${HEAD}description: ${'x'.repeat(2000)}\n`, {}, { limits: { maxFileBytes: 1000 } }).problems.map((p) => p.message),
    ['the size of s.yaml (2062 bytes) exceeds the limit maxFileBytes (1000); raise it with --max-file-bytes']);
});

t.test('keys named __proto__ or constructor stay data', async (t) => {
  const r = loadText(`${HEAD}nodes:\n  - name: a\n    labels: {constructor: y, hasOwnProperty: z}\nbehaviors:\n  - match: {labels: {__proto__: x, constructor: y}}\n`);
  t.same(lines(r), []);
  const labels = r.scenarios[0]!.behaviors[0]!.match.labels!;
  t.equal(Object.getPrototypeOf(labels), Object.prototype);
  t.same(Object.keys(labels), ['__proto__', 'constructor']);
  t.equal(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value, 'x');
  t.same(Object.keys(r.scenarios[0]!.nodes[0]!.labels), ['constructor', 'hasOwnProperty']);
  t.equal(({} as Record<string, unknown>)['x'], undefined);
  const top = loadText(`${HEAD}__proto__: {polluted: true}\n`);
  t.same(lines(top), ['4:1: unknown key "__proto__" (expected one of: apiVersion, kind, name, description, seed, kubernetes, until, scheduler, nodes, manifests, behaviors, events, expect)']);
  t.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

t.test('a document that is not a map is a problem', async (t) => {
  t.same(lines(loadText('- a\n- b\n')), ['1:1: expected a Scenario (a map with apiVersion: kubedrill/v1 and kind: Scenario), got a list']);
});

t.test('a later document that is not a Scenario is reported, not skipped', async (t) => {
  t.same(lines(loadText(`${HEAD}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n`)), [
    '5:1: missing required key "name"',
    '5:13: apiVersion: expected "kubedrill/v1", got "v1"',
    '6:7: kind: expected "Scenario", got "Pod"',
    '7:1: unknown key "metadata" (expected one of: apiVersion, kind, name, description, seed, kubernetes, until, scheduler, nodes, manifests, behaviors, events, expect)',
  ]);
});
