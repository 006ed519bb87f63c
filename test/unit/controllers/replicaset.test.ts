import t from 'tap';
import { harness, fakeKubelet, podTemplate } from './harness.js';
import { startControllers } from '../../../src/sim/controllers/index.js';
import { rankPodsForDeletion, createInBatches } from '../../../src/sim/controllers/replicaset.js';
import { loadScenarios, runScenario } from '../../../src/runner.js';

function frontend(replicas = 3): any {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'frontend', labels: { app: 'guestbook', tier: 'frontend' } },
    spec: { replicas, selector: { matchLabels: { tier: 'frontend' } }, template: podTemplate({ tier: 'frontend' }, 'gcr.io/google_samples/gb-frontend:v3') },
  };
}

t.test('a ReplicaSet creates its replicas with owner references and SuccessfulCreate events', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(frontend());
  h.runUntil(0);
  const pods = h.pods('frontend-');
  t.equal(pods.length, 3);
  for (const p of pods) {
    t.match(p.metadata.name, /^frontend-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    t.same(p.metadata.ownerReferences?.[0], { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'frontend', uid: h.get('ReplicaSet', 'frontend')!.metadata.uid, controller: true, blockOwnerDeletion: true });
  }
  t.equal(h.events('frontend').filter((e) => e.startsWith('SuccessfulCreate: Created pod: frontend-')).length, 3);
  const st = h.get('ReplicaSet', 'frontend')!.status;
  t.match(st, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1, terminatingReplicas: 0 });
});

t.test('a ReplicaSet adopts a matching orphan pod instead of creating one', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod1', labels: { tier: 'frontend' } }, spec: { containers: [{ name: 'a', image: 'x' }] } });
  h.ctx.api.apply(frontend());
  h.runUntil(0);
  t.equal(h.pods().length, 3);
  t.equal(h.get('Pod', 'pod1')!.metadata.ownerReferences?.[0]?.name, 'frontend');
});

t.test('a pod relabelled out of the selector is released and replaced', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(frontend(2));
  h.runUntil(0);
  const p = h.pods('frontend-')[0]!;
  h.ctx.api.patch(p, (o) => { o.metadata.labels = { tier: 'debug' }; });
  h.runUntil(1);
  t.equal(p.metadata.ownerReferences, undefined);
  t.equal(h.pods('frontend-').length, 3);
});

t.test('scale-down removes not-ready pods before ready ones, with SuccessfulDelete events', async (t) => {
  const h = harness();
  let n = 0;
  fakeKubelet(h, { readyAfter: () => (n++ === 1 ? undefined : 0) });
  startControllers(h.ctx);
  h.ctx.api.apply(frontend(3));
  h.runUntil(0);
  const notReady = h.pods('frontend-').find((p) => p.status?.phase !== 'Running')!;
  t.ok(notReady);
  h.ctx.api.patch(h.get('ReplicaSet', 'frontend')!, (o) => { o.spec.replicas = 2; });
  h.runUntil(1);
  t.notOk(h.get('Pod', notReady.metadata.name));
  t.ok(h.events('frontend').includes(`SuccessfulDelete: Deleted pod: ${notReady.metadata.name}`));
});

t.test('ranking puts unassigned before assigned and newer before older', async (t) => {
  const mk = (name: string, node: string | undefined, created: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, uid: name, creationTimestamp: created }, spec: { nodeName: node }, status: { phase: node ? 'Running' : 'Pending' } });
  const a = mk('a', 'n1', '2024-01-01T00:00:00Z'), b = mk('b', undefined, '2024-01-01T00:00:00Z'), c = mk('c', 'n1', '2024-01-01T01:00:00Z');
  const r = rankPodsForDeletion([a, b, c] as any, [], 3 * 3600_000).map((p) => p.metadata.name);
  t.same(r, ['b', 'c', 'a']);
});

t.test('slow start creates in batches of 1, 2, 4 and stops after a failing batch', async (t) => {
  let calls = 0;
  createInBatches(10, () => (++calls === 2 ? 'boom' : undefined));
  t.equal(calls, 3);
  calls = 0;
  createInBatches(10, () => { calls++; return undefined; });
  t.equal(calls, 10);
});

t.test('minReadySeconds delays availableReplicas', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  const rs = frontend(1);
  rs.spec.minReadySeconds = 10;
  h.ctx.api.apply(rs);
  h.runUntil(5000);
  t.equal(h.get('ReplicaSet', 'frontend')!.status.availableReplicas, undefined);
  h.runUntil(11000);
  t.equal(h.get('ReplicaSet', 'frontend')!.status.availableReplicas, 1);
});

t.test('the docs frontend ReplicaSet deletes the bare pods it adopts, before they are scheduled, under any seed', async (t) => {
  const sc = loadScenarios(['scenarios/workloads/frontend-replicaset.yaml']).files[0]!.scenarios[0]!;
  for (let seed = 1; seed <= 12; seed++) {
    const run = runScenario(sc, { seed });
    t.same(run.results.filter((r) => !r.ok).map((r) => r.name), [], `seed ${seed}: every assertion holds`);
    const bound = run.simulation.trace.records.filter((r) => r.type === 'bind' && /Pod default\/pod[12]$/.test(r.object));
    t.same(bound.map((r) => r.object), [], `seed ${seed}: neither bare pod was ever bound`);
  }
});

t.test('a ReplicaSet whose pods the API server forbids retries rate-limited, and its events fold on the generateName', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  const rs = frontend(2);
  rs.spec.template.spec.priorityClassName = 'high';
  h.ctx.api.apply(rs);
  h.runUntil(60_000);
  t.equal(h.pods().length, 0);
  const ev = h.ctx.recorder.events.filter((e) => e.reason === 'FailedCreate');
  t.equal(ev.length, 1, 'one Event, folded');
  t.equal(ev[0]!.message, 'Error creating: pods "frontend-" is forbidden: no PriorityClass with name high was found');
  // Syncs fail at 0s (twice: the status write requeues it), then 5ms doubling: 5, 25, 65, ... 40.945s.
  t.equal(ev[0]!.count, 14);
  t.equal(ev[0]!.lastMs, 40_945);
  t.match(h.get('ReplicaSet', 'frontend')!.status.conditions, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' }]);
  h.ctx.api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  h.runUntil(81_904);
  t.equal(h.pods().length, 0, 'nothing retries before the next back-off (81.905s)');
  h.runUntil(81_905);
  t.equal(h.pods().length, 2, 'created at the rate-limited retry');
  t.equal(h.pods()[0]!.spec.priority, 1000);
});
