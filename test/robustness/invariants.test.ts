/**
 * `--check-invariants` (src/sim/invariants.ts): no false positives on the bundled scenarios and examples, and
 * each invariant caught when broken: capacity, a pod bound to a missing node, owner references, time going
 * backwards, a scheduler binding onto an untolerated NoSchedule taint (a pod bound before the taint is fine),
 * and restartCount going down.
 */
import t from 'tap';
import { join } from 'node:path';
import { loadScenarios } from '../../src/index.js';
import { createSimulation } from '../../src/sim/simulation.js';
import { checkInvariants, InvariantError } from '../../src/sim/invariants.js';
import type { KObject } from '../../src/k8s/types.js';
import { folder, kubedrill, root } from './helpers.js';

t.test('the bundled scenarios and the shared examples keep every invariant', async (tt) => {
  const r = kubedrill(['run', 'scenarios/', '../shared/examples/', '--check-invariants'], { cwd: root, timeoutMs: 280_000 });
  tt.ok(r.finished);
  tt.notMatch(r.out, /invariant broken/);
  tt.equal(r.code, 0, 'all pass with --check-invariants');
});

function settled() {
  const d = folder({
    's.yaml': `apiVersion: kubedrill/v1
kind: Scenario
name: s
until: 1m
nodes: [{name: node-1, capacity: {cpu: "2", pods: 5}}, {name: node-2}]
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: early}, spec: {containers: [{name: c, image: i, resources: {requests: {cpu: 500m}}}]}}
`,
  });
  const { files } = loadScenarios([join(d, 's.yaml')]);
  const sim = createSimulation(files[0]!.scenarios[0]!, { checkInvariants: true });
  const out = sim.run();
  if (out.error) throw new Error(out.error.message);
  return sim;
}

const pod = (name: string, spec: Record<string, unknown>): KObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec }, status: { phase: 'Pending' } }) as KObject;

t.test('a settled run passes the checks', async (tt) => {
  const sim = settled();
  tt.doesNotThrow(() => checkInvariants(sim.ctx));
});

t.test('capacity: requests over a node\'s allocatable are caught', async (tt) => {
  const sim = settled();
  const hog = pod('hog', { nodeName: 'node-1', containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '3' } } }] });
  // Not admitted by a kubelet yet (no start time): a pod created with nodeName may overcommit until admission.
  sim.ctx.store.create(hog);
  tt.doesNotThrow(() => checkInvariants(sim.ctx), 'before admission');
  hog.status!.startTime = '2026-01-01T00:00:00Z';
  sim.ctx.store.update(hog);
  let caught: unknown;
  try { checkInvariants(sim.ctx); } catch (e) { caught = e; }
  tt.ok(caught instanceof InvariantError, 'an InvariantError');
  tt.throws(() => checkInvariants(sim.ctx), /node node-1 has cpu requests \d+ over allocatable 2000/);
});

t.test('a pod bound to a node that does not exist is caught once PodGC should have removed it', async (tt) => {
  const sim = settled();
  sim.ctx.store.create(pod('lost', { nodeName: 'ghost' }));
  // PodGC deletes a pod of a node that never existed after its 40s quarantine: not broken yet.
  tt.doesNotThrow(() => checkInvariants(sim.ctx), 'within PodGC grace');
  const d = sim.ctx.defaults;
  sim.ctx.kernel.setNow(sim.ctx.now() + d.podGCOrphanGrace + 2 * d.podGCPeriod + 1);
  tt.throws(() => checkInvariants(sim.ctx), /pod default\/lost is bound to missing node ghost/);
});

t.test('a pod created for a node that never existed is removed by PodGC in time (no violation)', async (tt) => {
  const d = folder({
    'ghost.yaml': `apiVersion: kubedrill/v1
kind: Scenario
name: ghost node
until: 3m
nodes: [{name: small}]
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: filler}, spec: {nodeName: tiny, containers: [{name: c, image: busybox:1.36}]}}
`,
  });
  const sim = createSimulation(loadScenarios([join(d, 'ghost.yaml')]).files[0]!.scenarios[0]!, { checkInvariants: true });
  const out = sim.run();
  tt.equal(out.error, undefined, 'no invariant error');
  tt.equal(sim.ctx.store.get('Pod', 'default', 'filler'), undefined, 'PodGC deleted the pod');
});

t.test('a controller reference to a missing owner is caught', async (tt) => {
  const sim = settled();
  const p = pod('orphan', {});
  p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'no-such-uid', controller: true }];
  sim.ctx.store.create(p);
  tt.throws(() => checkInvariants(sim.ctx), /Pod orphan names a missing controller ReplicaSet\/gone/);
});

t.test('time going backwards is caught', async (tt) => {
  const sim = settled();
  checkInvariants(sim.ctx);
  sim.kernel.now = sim.kernel.now - 1000;
  tt.throws(() => checkInvariants(sim.ctx), /time went backwards/);
});

t.test('a scheduler binding onto an untolerated NoSchedule taint is caught; earlier bindings are fine', async (tt) => {
  const sim = settled();
  const store = sim.ctx.store;
  // Bound before the taint came: fine.
  const node = store.get('Node', undefined, 'node-2')!;
  const before = store.create(pod('before', {}));
  before.spec.nodeName = 'node-2';
  store.update(before);
  node.spec = { ...(node.spec ?? {}), taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
  store.update(node);
  tt.doesNotThrow(() => checkInvariants(sim.ctx), 'a pod bound before the taint stays');
  // Created with spec.nodeName: no scheduler involved, the kubelet admits it.
  store.create(pod('pinned', { nodeName: 'node-2' }));
  tt.doesNotThrow(() => checkInvariants(sim.ctx), 'spec.nodeName bypasses the scheduler');
  // Tolerated: fine.
  const tol = store.create(pod('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] }));
  tol.spec.nodeName = 'node-2';
  store.update(tol);
  tt.doesNotThrow(() => checkInvariants(sim.ctx), 'a tolerating pod may be bound');
  const after = store.create(pod('after', {}));
  after.spec.nodeName = 'node-2';
  store.update(after);
  tt.throws(() => checkInvariants(sim.ctx), /pod default\/after was bound to node node-2 whose taint dedicated=gpu:NoSchedule it does not tolerate/);
});

t.test('restartCount going down is caught', async (tt) => {
  const sim = settled();
  const p = sim.ctx.store.get('Pod', 'default', 'early')!;
  p.status.containerStatuses[0].restartCount = 3;
  sim.ctx.store.update(p);
  tt.doesNotThrow(() => checkInvariants(sim.ctx));
  p.status.containerStatuses[0].restartCount = 1;
  sim.ctx.store.update(p);
  tt.throws(() => checkInvariants(sim.ctx), /pod default\/early container c: restartCount went down from 3 to 1/);
});
