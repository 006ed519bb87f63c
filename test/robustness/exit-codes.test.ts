/**
 * Every exit path leaves TAP that an independent parser (tap-parser) accepts: exit 0 (all pass), 1 (a point
 * failed), 2 (an invalid file, next to a valid one) and 3 (an internal error: `Bail out!`, a short "please
 * report" naming the scenario and seed on stderr, never a stack trace). Exit 3 is provoked without any
 * test-only switch in the product: tap's mockImport replaces the module that runs a scenario with one that
 * throws, and main() is driven in process; bin.ts's last-resort handler is checked by a child process.
 */
import t from 'tap';
import { Parser } from 'tap-parser';
import { folder, kubedrill, noStack, HEAD } from './helpers.js';

interface Parsed { ok: boolean; count: number; fail: number; bailout: string | boolean; failures: Array<{ tapError?: string }>; plan: { start: number; end: number } }

function parse(tap: string): Promise<Parsed> {
  return new Promise((resolve) => {
    const p = new Parser((results) => resolve(results as unknown as Parsed));
    p.end(tap);
  });
}

const PASS = `${HEAD}name: passes\nexpect: [{nodes: {}, count: 1}]\n`.replace('name: s\n', '');
const FAIL = `${HEAD}name: fails\nexpect: [{nodes: {}, count: 2}]\n`.replace('name: s\n', '');
const dir = folder({ 'pass.yaml': PASS, 'fail.yaml': FAIL, 'invalid.yaml': `${HEAD}untill: 1m\n` });

t.test('exit 0: all points pass, TAP parses and is ok', async (tt) => {
  const r = kubedrill(['run', 'pass.yaml'], { cwd: dir });
  tt.equal(r.code, 0);
  const p = await parse(r.out);
  tt.equal(p.ok, true);
  tt.equal(p.count, 1);
  tt.same(p.failures.filter((f) => f.tapError), []);
});

t.test('exit 1: a failing point, TAP parses with one failure', async (tt) => {
  const r = kubedrill(['run', 'pass.yaml', 'fail.yaml'], { cwd: dir });
  tt.equal(r.code, 1);
  const p = await parse(r.out);
  tt.equal(p.ok, false);
  tt.equal(p.count, 2);
  tt.equal(p.fail, 1);
  tt.same(p.failures.filter((f) => f.tapError), []);
});

t.test('exit 2: an invalid file next to valid ones, TAP parses, problems on stderr', async (tt) => {
  const r = kubedrill(['run', 'fail.yaml', 'invalid.yaml', 'pass.yaml'], { cwd: dir });
  tt.equal(r.code, 2, 'invalid input outranks a failed point');
  tt.match(r.err, /^invalid\.yaml:5:1: unknown key "untill" \(did you mean "until"\?\)$/m);
  const p = await parse(r.out);
  tt.equal(p.count, 3);
  tt.equal(p.fail, 2);
  tt.same(p.failures.filter((f) => f.tapError), []);
  tt.ok(noStack(r.err));
});

t.test('exit 2: a bad option and a missing path are clear usage errors', async (tt) => {
  const bad = kubedrill(['run', 'pass.yaml', '--max-steps', 'lots'], { cwd: dir });
  tt.equal(bad.code, 2);
  tt.match(bad.err, /--max-steps/);
  const missing = kubedrill(['run', 'nope.yaml'], { cwd: dir });
  tt.equal(missing.code, 2);
  tt.match(missing.err, /nope\.yaml/);
  tt.ok(noStack(bad.err + missing.err));
});

t.test('exit 3: an internal error bails out with parseable TAP, the scenario and seed, no stack', async (tt) => {
  // The run command with the module that runs one scenario replaced by one that throws.
  const { runCommand } = await tt.mockImport<typeof import('../../src/cli/commands/run.js')>('../../src/cli/commands/run.js', {
    '../../src/cli/commands/execute.js': {
      executeScenario: () => { throw new TypeError('cannot read properties of undefined (injected)'); },
    },
  });
  const prev = process.cwd();
  process.chdir(dir);
  let out = '', err = '';
  let code: number;
  try {
    code = await runCommand(['run', 'pass.yaml', 'fail.yaml'].slice(1), { out: (s) => { out += s; }, err: (s) => { err += s; } });
  } finally {
    process.chdir(prev);
  }
  tt.equal(code, 3);
  tt.match(out, /^Bail out! internal error in scenario "passes" \(seed 1\): cannot read properties of undefined \(injected\)$/m);
  tt.match(err, /internal error in scenario "passes" \(seed 1\)/);
  tt.match(err, /please report/);
  tt.ok(noStack(err), 'no stack trace on stderr');
  const p = await parse(out);
  tt.equal(p.ok, false);
  tt.ok(p.bailout, 'the parser saw the bail-out');
  tt.same(p.failures.filter((f) => f.tapError), [], 'no TAP syntax errors');
});

t.test('exit 3 from a failure outside any scenario (a command module that throws)', async (tt) => {
  const { main } = await tt.mockImport<typeof import('../../src/cli/main.js')>('../../src/cli/main.js', {
    '../../src/cli/commands/validate.js': { validateCommand: async () => { throw new RangeError('injected'); } },
  });
  let out = '', err = '';
  const code = await main(['validate', 'x.yaml'], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  tt.equal(code, 3);
  tt.match(out, /^Bail out! internal error: injected$/m);
  tt.match(err, /please report/);
  tt.ok(noStack(err));
  const p = await parse(out);
  tt.ok(p.bailout);
});
