/**
 * Objects the API server's validation rejects (test/fixtures/rejected/*.yaml): the file loads (a warning per
 * problem, with file:line:col, in the sibling .expected), and the run stops with an action error at the first
 * such object, every assertion failing with the API server's message (scenario-format: "Action error: … a
 * request the API server rejects (validation, …; in manifests too)"). UPDATE_CORPUS=1 rewrites the files.
 */
import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFile, DEFAULT_LIMITS } from '../../../src/scenario/index.js';
import { runScenario } from '../../../src/runner.js';

const DIR = path.resolve(import.meta.dirname, '../../fixtures/rejected');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

t.ok(files.length >= 2, 'the corpus has cases');
for (const f of files) {
  t.test(`${f} loads with warnings and stops at the first rejected object`, async (t) => {
    const r = loadFile(f, { allowOutside: false, limits: DEFAULT_LIMITS, cwd: DIR });
    t.same(r.problems, [], 'no load problem');
    const got = r.warnings.join('\n') + '\n';
    const expFile = path.join(DIR, f.replace(/\.yaml$/, '.expected'));
    if (process.env['UPDATE_CORPUS']) fs.writeFileSync(expFile, got);
    t.equal(got, fs.readFileSync(expFile, 'utf8'));
    const sc = r.scenarios[0]!;
    const first = sc.manifests.findIndex((m) => m.invalid !== undefined);
    t.ok(first >= 0, 'a manifest is marked invalid');
    const run = runScenario(sc);
    t.equal(run.outcome.error?.message.startsWith(`manifests[${first}] `), true, run.outcome.error?.message);
    t.match(run.outcome.error?.message, /: the API server rejected it: \w+ "[^"]+" is invalid: /);
    t.ok(run.results.every((x) => !x.ok && x.error === run.outcome.error?.message), 'every point fails with the error');
  });
}

t.test('an apply event with an object the API server rejects is an action error at its instant', async (t) => {
  const d = fs.mkdtempSync(path.join(fs.realpathSync(process.env['TMPDIR'] ?? '/tmp'), 'kubedrill-rejected-'));
  fs.writeFileSync(path.join(d, 's.yaml'), `apiVersion: kubedrill/v1
kind: Scenario
name: bad name applied later
until: 1m
nodes: [{name: node-1}]
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: good}, spec: {containers: [{name: c, image: nginx}]}}
events:
  - at: 20s
    apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: Bad_Name}, data: {a: b}}
expect:
  - name: the good pod runs meanwhile
    at: 10s
    pod: good
    phase: Running
`);
  const r = loadFile('s.yaml', { allowOutside: false, limits: DEFAULT_LIMITS, cwd: d });
  t.same(r.problems, []);
  t.match(r.warnings[0], /^s\.yaml:10:63: metadata\.name: Invalid value: "Bad_Name": .* \(the API server rejects this object: the run stops when it is applied\)$/);
  const run = runScenario(r.scenarios[0]!);
  t.match(run.outcome.error?.message, /^events\[0\] apply at 20s: the API server rejected it: ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/);
  t.equal(run.results[0]!.ok, false, 'the point fails with the error, as every point of a stopped run');
  fs.rmSync(d, { recursive: true, force: true });
});
