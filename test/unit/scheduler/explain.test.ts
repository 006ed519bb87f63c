/**
 * `kubedrill explain` on every bundled scheduling scenario, and the `explain` diagnostic of a failed `node`
 * check (the same rows, in TAP between `error` and `seed`).
 */
import t from 'tap';
import { readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadScenarios, runScenario } from '../../../src/runner.js';
import { explainCommand } from '../../../src/cli/commands/explain.js';
import { diagnostics } from '../../../src/report/tap.js';

const DIR = 'scenarios/scheduling';

function explain(argv: string[]): { code: number; out: string; err: string } {
  let out = '', err = '';
  const code = explainCommand(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

t.test('explain works for a pod of every bundled scheduling scenario', async (t) => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
  t.ok(files.length >= 8, 'at least eight scheduling scenario files');
  for (const f of files) {
    const file = join(DIR, f);
    const { files: loaded } = loadScenarios([file]);
    const lf = loaded[0]!;
    t.same(lf.problems, [], `${f} loads`);
    for (const sc of lf.scenarios) {
      const run = runScenario(sc);
      t.ok(run.results.every((r) => r.ok), `${f} / ${sc.name} passes`);
      const sched = run.simulation.ctx.scheduler!;
      const pods = run.simulation.store.list('Pod', 'default').map((p) => p.metadata.name).sort();
      const withAttempts = pods.filter((n) => sched.attempts(`default/${n}`).length > 0);
      t.ok(withAttempts.length > 0, `${sc.name}: the scheduler attempted some pod`);
      for (const name of withAttempts) {
        const r = explain([file, '--scenario', sc.name, '--pod', name]);
        t.equal(r.code, 0, `${sc.name}: explain --pod ${name} exits 0`);
        const lines = r.out.trimEnd().split('\n');
        t.match(lines[0], new RegExp(`^pod default/${name.replace(/[-]/g, '\\-')}, scheduling attempt at \\S+: (bound to \\S+|unschedulable)$`), `${name}: heading`);
        t.match(lines[1], /^NODE\s+RESULT/, `${name}: table header`);
        const last = sched.attempts(`default/${name}`).at(-1)!;
        t.equal(lines.filter((l) => /^\S+( \*)?\s{2,}(rejected by|chosen|feasible)/.test(l)).length, last.rows.length, `${name}: one row per node`);
        if (last.message) t.equal(lines.at(-1), `FailedScheduling: ${last.message}`, `${name}: ends with the FailedScheduling text`);
      }
    }
  }
});

t.test('explain reports pods the scheduler never saw', async (t) => {
  const r = explain([join(DIR, 'resources-too-many-pods.yaml'), '--pod', 'filler-1']);
  t.equal(r.code, 2);
  t.match(r.err, /the scheduler made no attempt for pod default\/filler-1/);
});

const FAILING = `apiVersion: kubedrill/v1
kind: Scenario
name: a failed node check explains itself
kubernetes: "1.37"
until: 20s
nodes:
  - {name: gpu, taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}
  - {name: small, capacity: {cpu: "1"}}
  - {name: big, capacity: {cpu: "8"}}
manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: web}
    spec:
      containers: [{name: app, image: nginx:1.27, resources: {requests: {cpu: "2"}}}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: stuck}
    spec:
      containers: [{name: app, image: nginx:1.27, resources: {requests: {cpu: "16"}}}]
expect:
  - name: web lands on small
    at: 10s
    pod: web
    node: small
  - name: stuck lands somewhere
    by: 15s
    pods: {name: stuck}
    node: {$exists: true}
  - name: nothing to explain for a phase check
    at: 10s
    pod: web
    phase: Failed
`;

t.test('a failed node check carries the explain rows in its diagnostics', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedrill-explain-'));
  const file = join(dir, 'failing.yaml');
  writeFileSync(file, FAILING);
  const sc = loadScenarios([file]).files[0]!.scenarios[0]!;
  const run = runScenario(sc);
  const [onNode, stuck, phase] = run.results;
  t.notOk(onNode!.ok);
  t.same(onNode!.explain, {
    'default/web': [
      'attempt at 0s: bound to big',
      'gpu: rejected by TaintToleration: node(s) had untolerated taint(s)',
      'small: rejected by NodeResourcesFit: Insufficient cpu',
      'big: chosen (only feasible node)',
    ],
  });
  t.notOk(stuck!.ok);
  const rows = stuck!.explain!['default/stuck']!;
  t.match(rows[0], /^attempt at \S+: unschedulable$/, 'the last attempt at or before 15s');
  t.equal(rows.at(-1), 'FailedScheduling: 0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  t.equal(phase!.explain, undefined, 'only a failed node check explains');
  const d = diagnostics(onNode!, run.seed)!;
  t.same(Object.keys(d), ['at', 'expected', 'actual', 'diff', 'explain', 'seed', 'source'], 'explain sits after error/diff and before seed');
});
