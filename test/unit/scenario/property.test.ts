/**
 * The loader never throws: random text, random bytes and mutated copies of the shared examples all give a
 * result whose problems carry positions inside the file.
 */
import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { loadText } from './helpers.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../../shared/examples');
const examples = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).map((f) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8'));

function wellFormed(text: string | Uint8Array): void {
  const r = loadText(text as string);
  const lineCount = (typeof text === 'string' ? text : Buffer.from(text).toString('latin1')).split('\n').length + 1;
  for (const p of r.problems) {
    if (typeof p.message !== 'string' || p.message === '') throw new Error('empty message');
    if (p.pos.file === 's.yaml' && (p.pos.line < 1 || p.pos.line > lineCount || p.pos.col < 1)) throw new Error(`bad position ${JSON.stringify(p)}`);
  }
  if (r.problems.length > 0 && r.scenarios.length > 0) throw new Error('scenarios despite problems');
}

t.test('random text never crashes the loader', async (t) => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => { wellFormed(s); }), { numRuns: 300, seed: 1 });
  t.pass();
});

t.test('random bytes never crash the loader', async (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => { wellFormed(b); }), { numRuns: 200, seed: 2 });
  t.pass();
});

const tokens = ['{', '}', '[', ']', ': ', '- ', '\n', '  ', '&a ', '*a', '"', "'", '#', '---\n', '!!str ', '<<: ', '__proto__: ', '? ', '|\n', '1.30', 'null', '-1', '1e309'];

t.test('mutated examples never crash the loader', async (t) => {
  const mutation = fc.tuple(fc.nat(examples.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.constantFrom(...tokens)), { minLength: 1, maxLength: 5 }));
  fc.assert(fc.property(mutation, ([i, edits]) => {
    let s = examples[i]!;
    for (const [at, del, ins] of edits) {
      const p = at % (s.length + 1);
      s = s.slice(0, p) + ins + s.slice(p + del);
    }
    wellFormed(s);
  }), { numRuns: 300, seed: 3 });
  t.pass();
});

t.test('hostile shapes give problems, not crashes', async (t) => {
  const hostile = [
    'a: &a [*a]\n',
    '*unknown\n',
    '? [a, b]\n: c\n',
    '!!binary aGVsbG8=\n',
    'apiVersion: kubedrill/v1\nkind: Scenario\nname: x\nnodes: [{name: n, count: 1e12}]\n',
    'apiVersion: kubedrill/v1\nkind: Scenario\nname: x\nuntil: 1e400\n',
    'apiVersion: kubedrill/v1\nkind: Scenario\nname: x\nexpect: [{pod: x, phase: {$in: {}}}]\n',
    'apiVersion: kubedrill/v1\nkind: Scenario\nname: x\nmanifests: [{apiVersion: v1, kind: List, items: [1, {kind: List, apiVersion: v1, items: []}]}]\n',
    '- '.repeat(20000) + 'x\n',
    '\u0000\u0001',
  ];
  for (const h of hostile) {
    t.doesNotThrow(() => wellFormed(h), JSON.stringify(h.slice(0, 40)));
  }
});
