/**
 * Golden tests: every scenario file under scenarios/ and test/golden/ has its expected TAP checked in
 * (test/golden/expected/<path>.txt); any difference fails. UPDATE_GOLDEN=1 rewrites them.
 */
import t from 'tap';
import { readFileSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cli } from '../helpers.js';

const root = join(import.meta.dirname, '..', '..');
process.chdir(root);

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    if (e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e) && /^(apiVersion|kind|#|\s|---)/m.test(readFileSync(p, 'utf8')) && /kind:\s*Scenario/.test(readFileSync(p, 'utf8'))) out.push(p);
  }
  return out;
}

const files = [...yamlFiles(join(root, 'scenarios')), ...yamlFiles(join(root, 'test', 'golden'))].map((f) => relative(root, f));
t.ok(files.length >= 12, `at least 12 golden scenario files (found ${files.length})`);
for (const f of files) {
  t.test(`${f} gives its expected TAP`, async (tt) => {
    const r = await cli(['run', f]);
    const expected = join(root, 'test', 'golden', 'expected', f.replace(/[\\/]/g, '__') + '.txt');
    const actual = `exit ${r.code}\n${r.out}`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expected, actual);
    tt.ok(existsSync(expected), `${expected} exists (UPDATE_GOLDEN=1 npx tap test/golden writes it)`);
    if (existsSync(expected)) tt.equal(actual, readFileSync(expected, 'utf8'));
  });
}
