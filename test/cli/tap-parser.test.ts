/** Our TAP is valid TAP 14 for an independent parser, in passing, failing, invalid and bail-out runs. */
import t from 'tap';
import { Parser } from 'tap-parser';
import { join } from 'node:path';
import { cli } from '../helpers.js';

const root = join(import.meta.dirname, '..', '..');
process.chdir(root);

function parse(tap: string): Promise<{ ok: boolean; failures: unknown[]; bailout: unknown }> {
  return new Promise((resolve) => {
    const p = new Parser((results) => resolve(results as unknown as { ok: boolean; failures: unknown[]; bailout: unknown }));
    p.end(tap);
  });
}

t.test('the bundled scenarios produce parseable, passing TAP', async (tt) => {
  const r = await cli(['run', 'scenarios/']);
  const res = await parse(r.out);
  tt.equal(res.ok, true);
  tt.same(res.failures.filter((f) => (f as { tapError?: string }).tapError), []);
});

t.test('an invalid file still leaves parseable TAP', async (tt) => {
  const r = await cli(['run', 'test/fixtures/cli/invalid.yaml']);
  tt.equal(r.code, 2);
  const res = await parse(r.out);
  tt.equal(res.ok, false);
  tt.same(res.failures.filter((f) => (f as { tapError?: string }).tapError), []);
});

t.test('a failing assertion leaves parseable TAP with diagnostics', async (tt) => {
  const r = await cli(['run', 'test/fixtures/cli/failing.yaml']);
  tt.equal(r.code, 1);
  const res = await parse(r.out);
  tt.equal(res.ok, false);
  tt.same(res.failures.filter((f) => (f as { tapError?: string }).tapError), []);
});

t.test('--bail stops with a Bail out! line that parses', async (tt) => {
  const r = await cli(['run', 'test/fixtures/cli/failing.yaml', 'scenarios/', '--bail']);
  tt.equal(r.code, 1);
  tt.match(r.out, /^Bail out! /m);
  const res = await parse(r.out);
  tt.ok(res.bailout);
});
