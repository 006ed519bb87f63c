/** CLI behaviour of the built binary: versions, help, exit codes, errors with positions. */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'src', 'cli', 'bin.js');

function run(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd ?? root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

t.test('--version prints the package version', async (tt) => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const r = run(['--version']);
  tt.equal(r.code, 0);
  tt.equal(r.out.trim(), `kubedrill ${pkg.version}`);
});

t.test('--help lists every command, and each command has its own help', async (tt) => {
  const r = run(['--help']);
  tt.equal(r.code, 0);
  for (const c of ['run', 'validate', 'explain', 'state', 'trace', 'timeline', 'schema', 'init']) {
    tt.match(r.out, new RegExp(`\\b${c}\\b`));
    const h = run([c, '--help']);
    tt.equal(h.code, 0, `${c} --help exits 0`);
    tt.match(h.out, /^Usage: kubedrill /);
  }
});

t.test('an unknown option is exit 2 with a message, never a stack trace', async (tt) => {
  const r = run(['run', '--frobnicate']);
  tt.equal(r.code, 2);
  tt.match(r.err, /unknown option --frobnicate/);
  tt.notMatch(r.err, /\n\s+at /);
});

t.test('a missing path is exit 2', async (tt) => {
  const r = run(['run', 'no/such/file.yaml']);
  tt.equal(r.code, 2);
  tt.match(r.err, /no\/such\/file\.yaml/);
});

t.test('an invalid scenario is exit 2 with file:line:col problems on stderr and in TAP', async (tt) => {
  const r = run(['run', 'test/fixtures/cli/invalid.yaml']);
  tt.equal(r.code, 2);
  tt.match(r.err, /test\/fixtures\/cli\/invalid\.yaml:4:1: /);
  tt.match(r.out, /^not ok 1 - test\/fixtures\/cli\/invalid\.yaml$/m);
  tt.match(r.out, /problems:/);
});

t.test('validate accepts the bundled scenarios and rejects an invalid file', async (tt) => {
  tt.equal(run(['validate', 'scenarios/']).code, 0);
  tt.equal(run(['validate', 'test/fixtures/cli/invalid.yaml']).code, 2);
});

t.test('a failing assertion is exit 1', async (tt) => {
  tt.equal(run(['run', 'test/fixtures/cli/failing.yaml']).code, 1);
});

t.test('selecting nothing prints 1..0 and exits 0', async (tt) => {
  const r = run(['run', 'scenarios/', '--grep', '^no scenario has this name$']);
  tt.equal(r.code, 0);
  tt.equal(r.out, 'TAP version 14\n1..0\n');
});

t.test('schema prints the scenario schema', async (tt) => {
  const r = run(['schema']);
  tt.equal(r.code, 0);
  tt.ok(JSON.parse(r.out).properties);
});

t.test('init writes a starter scenario that passes, and never overwrites', async (tt) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedrill-init-'));
  const r = run(['init', 'example.yaml'], { cwd: dir });
  tt.equal(r.code, 0);
  tt.ok(existsSync(join(dir, 'example.yaml')));
  tt.equal(run(['init', 'example.yaml'], { cwd: dir }).code, 2);
  const v = run(['run', join(dir, 'example.yaml')]);
  tt.equal(v.code, 0, v.out + v.err);
});

t.test('--jobs 2 prints the same report as a serial run', async (tt) => {
  const a = run(['run', 'scenarios/', '--jobs', '1']);
  const b = run(['run', 'scenarios/', '--jobs', '2']);
  tt.equal(b.out, a.out);
  tt.equal(b.code, a.code);
});

t.test('--shard partitions the files: every file in exactly one shard', async (tt) => {
  const all = run(['run', 'scenarios/']).out.match(/^# Subtest: .*$/gm) ?? [];
  const parts = [1, 2, 3].flatMap((i) => run(['run', 'scenarios/', '--shard', `${i}/3`]).out.match(/^# Subtest: .*$/gm) ?? []);
  tt.same([...parts].sort(), [...all].sort());
});
