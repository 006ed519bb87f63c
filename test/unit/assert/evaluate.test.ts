import t from 'tap';
import { Evaluator } from '../../../src/assert/evaluate.js';
import type { AssertionResult } from '../../../src/assert/evaluate.js';
import type { KObject } from '../../../src/k8s/types.js';
import { World, expectation, pods, scenario } from './fixture.js';

const S = 1000, M = 60_000;

/** Runs a scripted sequence: at each instant, apply `step` then observe (checkpoints merged in). */
function run(ev: Evaluator, w: World, steps: Record<number, (w: World) => void>, until = 10 * M): void {
  const times = new Set<number>([...Object.keys(steps).map(Number), ...ev.checkpoints()]);
  for (const now of [...times].sort((a, b) => a - b)) {
    if (now > until) break;
    w.now = now;
    steps[now]?.(w);
    ev.observe(w.view());
  }
}

function setPhase(w: World, name: string, phase: string): void {
  const p = w.store.get('Pod', 'default', name)!;
  p.status.phase = phase;
  w.store.update(p);
}

function only(r: AssertionResult[]): AssertionResult {
  t.equal(r.length, 1);
  return r[0]!;
}

t.test('checkpoints list every at, by, from, until and end once, sorted', async (t) => {
  const ev = new Evaluator(scenario([
    expectation(pods(), { count: 1 }, { kind: 'at', at: 2 * M }),
    expectation(pods(), { count: 1 }, { kind: 'by', from: 30 * S, by: 2 * M }),
    expectation(pods(), { count: 1 }, { kind: 'always', from: 0, until: 5 * M }),
    expectation(pods(), { count: 1 }, { kind: 'never', from: M, until: 10 * M }),
  ]));
  t.same(ev.checkpoints(), [0, 30 * S, M, 2 * M, 5 * M, 10 * M]);
});

t.test('at judges the settled state at T and reports at T on failure', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([
    expectation({ kind: 'pod', namespace: 'default', name: 'a' }, { phase: 'Running' }, { kind: 'at', at: 2 * M }),
    expectation(pods(), { count: 1, phase: 'Running' }, { kind: 'at', at: 4 * M }),
  ]));
  run(ev, w, { 0: (w) => w.pod('a', { phase: 'Pending' }), [3 * M]: (w) => setPhase(w, 'a', 'Running') });
  const [r1, r2] = ev.finish();
  t.equal(r1!.ok, false);
  t.equal(r1!.at, 2 * M);
  t.same(r1!.expected, { phase: 'Running' });
  t.same(r1!.actual, { phase: { 'default/a': 'Pending' } });
  t.match(r1!.diff, /^--- expected\n\+\+\+ actual\n@@/);
  t.match(r1!.diff, /-phase: Running\n\+phase: Pending\n/);
  t.equal(r1!.source.line, 10);
  t.same(r2, { index: 1, name: 'expect[1]', ok: true, source: r2!.source });
});

t.test('by passes at the first instant the checks hold', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation(pods(), { count: 1, phase: 'Running' }, { kind: 'by', from: 0, by: 5 * M })]));
  run(ev, w, { 0: (w) => w.pod('a', { phase: 'Pending' }), [90 * S]: (w) => setPhase(w, 'a', 'Running'), [2 * M]: (w) => setPhase(w, 'a', 'Failed') });
  const r = only(ev.finish());
  t.equal(r.ok, true);
  t.equal(r.at, 90 * S);
  t.equal(r.expected, undefined);
});

t.test('by ignores instants before from', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation(pods(), { phase: 'Running' }, { kind: 'by', from: M, by: 5 * M })]));
  run(ev, w, { 0: (w) => w.pod('a'), [30 * S]: (w) => setPhase(w, 'a', 'Pending'), [2 * M]: (w) => setPhase(w, 'a', 'Running') });
  t.equal(only(ev.finish()).at, 2 * M);
});

t.test('by fails at T with the window and the state at T', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation(pods(), { phase: 'Running' }, { kind: 'by', from: 0, by: 8 * M })]));
  run(ev, w, { 0: (w) => w.pod('a', { phase: 'Pending' }), [M]: (w) => setPhase(w, 'a', 'Failed') });
  const r = only(ev.finish());
  t.equal(r.ok, false);
  t.equal(r.at, 8 * M);
  t.same(r.window, { from: 0, until: 8 * M });
  t.same(r.actual, { phase: { 'default/a': 'Failed' } });
});

t.test('always fails at the first instant the checks fail', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation(pods({ where: { ready: true } }), { count: { min: 2 } }, { kind: 'always', from: 0, until: 10 * M })]));
  run(ev, w, {
    0: (w) => { w.pod('a'); w.pod('b'); },
    [M]: (w) => { const p = w.store.get('Pod', 'default', 'a')!; p.status.conditions[0].status = 'False'; w.store.update(p); },
    [2 * M]: (w) => w.pod('c'),
  });
  const r = only(ev.finish());
  t.equal(r.ok, false);
  t.equal(r.at, M);
  t.same(r.window, { from: 0, until: 10 * M });
  t.same(r.expected, { count: { min: 2 } });
  t.same(r.actual, { count: 1 });
  t.equal(r.diff, undefined);
});

t.test('always passes when every observed instant of the window holds, with no at', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation(pods(), { count: 1 }, { kind: 'always', from: M, until: 3 * M })]));
  run(ev, w, { 0: (w) => w.pod('a'), [30 * S]: (w) => w.pod('b'), [M]: (w) => w.store.remove(w.store.get('Pod', 'default', 'b')!), [4 * M]: (w) => w.pod('c') });
  const r = only(ev.finish());
  t.equal(r.ok, true);
  t.equal(r.at, undefined);
});

t.test('never fails at the first instant the checks hold together', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation(pods(), { count: 0 }, { kind: 'never', from: 0, until: 10 * M })]));
  run(ev, w, { 0: (w) => w.pod('a'), [2 * M]: (w) => w.store.remove(w.store.get('Pod', 'default', 'a')!) });
  const r = only(ev.finish());
  t.equal(r.ok, false);
  t.equal(r.at, 2 * M);
  t.same(r.expected, { count: 0 });
  t.same(r.actual, { count: 0 });
});

t.test('never passes when the checks never hold together', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation(pods(), { count: 1, phase: 'Failed' }, { kind: 'never', from: 0, until: 10 * M })]));
  run(ev, w, { 0: (w) => { w.pod('a'); w.pod('b', { phase: 'Failed' }); }, [M]: (w) => { w.store.remove(w.store.get('Pod', 'default', 'a')!); setPhase(w, 'b', 'Running'); } });
  t.equal(only(ev.finish()).ok, true);
});

t.test('the zero-target rule', async (t) => {
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ['count compares 0', { count: 0 }, true],
    ['none holds', { none: { status: { phase: 'Failed' } } }, true],
    ['any fails', { any: {} }, false],
    ['match fails', { match: {} }, false],
    ['all fails without a count admitting 0', { all: { status: { phase: 'Running' } } }, false],
    ['all holds with a count admitting 0', { all: { status: { phase: 'Running' } }, count: { max: 2 } }, true],
    ['a shorthand fails without a count', { phase: 'Running' }, false],
    ['a shorthand holds with count 0', { phase: 'Running', count: 0 }, true],
    ['distinctNodes fails without a count', { distinctNodes: true }, false],
    ['distinctNodes holds with count {min: 0}', { distinctNodes: true, count: { min: 0 } }, true],
  ];
  for (const [name, checks, want] of cases) {
    const ev = new Evaluator(scenario([expectation(pods({ selector: { app: 'none' } }), checks)]));
    const w = new World();
    run(ev, w, {});
    t.equal(only(ev.finish()).ok, want, name);
  }
});

t.test('pod: is exactly one target, reported as count: 1', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([
    expectation({ kind: 'pod', namespace: 'default', name: 'crasher' }, { reason: 'CrashLoopBackOff', restarts: { min: 3 } }),
    expectation({ kind: 'pod', namespace: 'default', name: 'web-*' }, { phase: 'Running' }),
    expectation({ kind: 'pod', namespace: 'default', name: 'crasher' }, { reason: 'OOMKilled', restarts: { min: 3 } }),
  ]));
  run(ev, w, { 0: (w) => { w.pod('crasher', { waiting: 'CrashLoopBackOff', last: 'OOMKilled', restarts: 4 }); w.pod('web-1'); w.pod('web-2'); } });
  const [a, b, c] = ev.finish();
  t.equal(a!.ok, true);
  t.equal(c!.ok, true, 'lastState.terminated.reason counts');
  t.equal(b!.ok, false);
  t.same(b!.expected, { count: 1 });
  t.same(b!.actual, { count: 2 });
});

t.test('pod: with no such pod reports count 0 and the failing shorthand', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation({ kind: 'pod', namespace: 'default', name: 'x' }, { phase: 'Running' })]));
  run(ev, w, {});
  const r = only(ev.finish());
  t.same(r.expected, { count: 1, phase: 'Running' });
  t.same(r.actual, { count: 0, phase: {} });
});

t.test('match with several targets fails as count: 1; with one, as the partial with a diff', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([
    expectation(pods(), { match: { spec: { nodeName: 'node-2' } } }),
    expectation(pods({ name: 'a' }), { match: { spec: { nodeName: 'node-2' } } }),
  ]));
  run(ev, w, { 0: (w) => { w.pod('a', { node: 'node-1' }); w.pod('b', { node: 'node-1' }); } });
  const [r1, r2] = ev.finish();
  t.same(r1!.expected, { count: 1 });
  t.same(r1!.actual, { count: 2 });
  t.same(r2!.expected, { match: { spec: { nodeName: 'node-2' } } });
  t.same(r2!.actual, { match: { 'default/a': { spec: { nodeName: 'node-1' } } } });
  t.equal(r2!.diff, '--- expected\n+++ actual\n@@ -1,2 +1,2 @@\n spec:\n-  nodeName: node-2\n+  nodeName: node-1\n');
});

t.test('any lists every target pruned to the partial; all and none the offending ones', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([
    expectation(pods(), { any: { spec: { nodeName: 'node-2' } } }),
    expectation(pods(), { all: { spec: { nodeName: 'node-1' } } }),
    expectation(pods(), { none: { spec: { nodeName: 'node-3' } } }),
  ]));
  run(ev, w, { 0: (w) => { w.pod('a', { node: 'node-1' }); w.pod('b', { node: 'node-3' }); } });
  const [r1, r2, r3] = ev.finish();
  t.equal(r3!.ok, false);
  t.same(r1!.actual, { any: { 'default/a': { spec: { nodeName: 'node-1' } }, 'default/b': { spec: { nodeName: 'node-3' } } } });
  t.same(r3!.diff, undefined, 'no diff for a target set that happens to hold one object');
  t.same(r2!.actual, { all: { 'default/b': { spec: { nodeName: 'node-3' } } } });
  t.same(r3!.actual, { none: { 'default/b': { spec: { nodeName: 'node-3' } } } });
  t.equal(r1!.diff, undefined, 'no diff with two targets');
});

t.test('distinctNodes needs every target scheduled on its own node', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([
    expectation(pods({ selector: { app: 'web' } }), { distinctNodes: true }),
    expectation(pods({ selector: { app: 'api' } }), { distinctNodes: true }),
    expectation(pods({ selector: { app: 'db' } }), { distinctNodes: true }),
  ]));
  run(ev, w, { 0: (w) => {
    w.pod('w1', { node: 'n1', labels: { app: 'web' } }); w.pod('w2', { node: 'n2', labels: { app: 'web' } });
    w.pod('a1', { node: 'n1', labels: { app: 'api' } }); w.pod('a2', { node: 'n1', labels: { app: 'api' } });
    w.pod('d1', { node: 'n1', labels: { app: 'db' } }); w.pod('d2', { labels: { app: 'db' } });
  } });
  const [r1, r2, r3] = ev.finish();
  t.equal(r1!.ok, true);
  t.equal(r2!.ok, false);
  t.same(r2!.actual, { distinctNodes: { 'default/a1': 'n1', 'default/a2': 'n1' } });
  t.equal(r3!.ok, false);
});

t.test('events count sums the folded occurrences', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([
    expectation({ kind: 'events', namespace: 'default', reason: 'BackOff', object: 'Pod/crasher' }, { count: { min: 5 } }, { kind: 'by', from: 0, by: 10 * M }),
    expectation({ kind: 'events', namespace: 'default', reason: 'BackOff' }, { count: 3, message: { $regex: 'Back-off' } }, { kind: 'at', at: M }),
  ]));
  let e: ReturnType<World['event']> | undefined;
  run(ev, w, {
    0: (w) => { const p = w.pod('crasher'); e = w.event(p, 'BackOff', 'Back-off restarting failed container', 1, 'Warning'); },
    [30 * S]: () => { e!.count += 2; },
    [2 * M]: () => { e!.count += 2; },
  });
  const [r1, r2] = ev.finish();
  t.equal(r1!.ok, true);
  t.equal(r1!.at, 2 * M);
  t.equal(r2!.ok, true);
});

t.test('node shorthands: ready, schedulable, taints', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([
    expectation({ kind: 'nodes', name: 'node-1' }, { count: 1, ready: 'unknown', schedulable: false, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }),
    expectation({ kind: 'nodes', name: 'node-2' }, { ready: true, schedulable: true, taints: [] }),
    expectation({ kind: 'nodes', name: 'node-2' }, { ready: false }),
  ]));
  run(ev, w, { 0: (w) => {
    w.node('node-1', { ready: 'Unknown', unschedulable: true, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] });
    w.node('node-2');
  } });
  const [a, b, c] = ev.finish();
  t.equal(a!.ok, true);
  t.equal(b!.ok, true);
  t.equal(c!.ok, false);
  t.same(c!.actual, { ready: { 'node-2': true } });
});

t.test('diagnostics are snapshots, not live objects', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation(pods(), { all: { status: { phase: 'Running' } } }, { kind: 'at', at: M })]));
  let p: KObject | undefined;
  run(ev, w, { 0: (w) => { p = w.pod('a', { phase: 'Pending' }); }, [2 * M]: () => { p!.status.phase = 'Running'; } });
  t.same(only(ev.finish()).actual, { all: { 'default/a': { status: { phase: 'Pending' } } } });
});

t.test('a run error fails every point with the error and the action position', async (t) => {
  const ev = new Evaluator(scenario([expectation(pods(), { count: 0 }), expectation(pods(), { count: 0 })]));
  const rs = ev.finish({ message: 'delete: Deployment default/nope not found', pos: { file: 'f.yaml', line: 7, col: 9 } });
  t.equal(rs.length, 2);
  for (const r of rs) {
    t.equal(r.ok, false);
    t.equal(r.error, 'delete: Deployment default/nope not found');
    t.same(r.source, { file: 'f.yaml', line: 7, col: 9 });
  }
});

t.test('a run error without assertions gives one failing point named run', async (t) => {
  const ev = new Evaluator(scenario([]));
  const rs = ev.finish({ message: 'step limit reached' });
  t.same(rs.map((r) => [r.index, r.name, r.ok, r.error]), [[0, 'run', false, 'step limit reached']]);
});

t.test('a scenario without assertions and without error has no points', async (t) => {
  t.same(new Evaluator(scenario([])).finish(), []);
});

t.test('restarts sums init containers and takes ranges', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([expectation({ kind: 'pod', namespace: 'default', name: 'a' }, { restarts: { min: 3, max: 3 } })]));
  run(ev, w, { 0: (w) => { const p = w.pod('a', { restarts: 2 }); p.status.initContainerStatuses = [{ name: 'init', restartCount: 1 }]; } });
  t.equal(only(ev.finish()).ok, true);
});

t.test('reason null holds only for a pod without reasons; status.reason counts', async (t) => {
  const w = new World();
  const ev = new Evaluator(scenario([
    expectation({ kind: 'pod', namespace: 'default', name: 'ok' }, { reason: null }),
    expectation({ kind: 'pod', namespace: 'default', name: 'ev' }, { reason: null }),
    expectation({ kind: 'pod', namespace: 'default', name: 'ev' }, { reason: 'Evicted', phase: 'Failed', qosClass: 'BestEffort' }),
  ]));
  run(ev, w, { 0: (w) => { w.pod('ok'); w.pod('ev', { reason: 'Evicted', phase: 'Failed' }); } });
  t.same(ev.finish().map((r) => r.ok), [true, false, true]);
});
