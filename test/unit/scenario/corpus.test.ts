/**
 * The invalid-input corpus: each test/fixtures/invalid/*.yaml has a sibling .expected with the exact
 * `file:line:col: message` lines loading it must give (UPDATE_CORPUS=1 rewrites them after a reviewed change).
 */
import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFile, DEFAULT_LIMITS } from '../../../src/scenario/index.js';

const DIR = path.resolve(import.meta.dirname, '../../fixtures/invalid');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

t.ok(files.length >= 15, 'the corpus has cases');
for (const f of files) {
  t.test(`invalid input ${f} gives exactly its expected problems`, async (t) => {
    const r = loadFile(f, { allowOutside: false, limits: DEFAULT_LIMITS, cwd: DIR });
    const got = r.problems.map((p) => `${p.pos.file}:${p.pos.line}:${p.pos.col}: ${p.message}`).join('\n') + '\n';
    const expFile = path.join(DIR, f.replace(/\.yaml$/, '.expected'));
    if (process.env['UPDATE_CORPUS']) fs.writeFileSync(expFile, got);
    t.ok(fs.existsSync(expFile), `${path.basename(expFile)} exists`);
    t.equal(got, fs.readFileSync(expFile, 'utf8'));
    t.same(r.scenarios, [], 'a file with problems yields no scenarios');
    t.ok(r.problems.length > 0);
  });
}
