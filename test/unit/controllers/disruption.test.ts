import t from 'tap';
import { harness, fakeKubelet, podTemplate } from './harness.js';
import { startControllers, startDrain } from '../../../src/sim/controllers/index.js';

function web(replicas = 3): any {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: podTemplate({ app: 'web' }) } };
}
function pdb(spec: Record<string, any>): any {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web-pdb' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } };
}

t.test('PDB status counts healthy pods against minAvailable', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(web(3));
  h.ctx.api.apply(pdb({ minAvailable: 2 }));
  h.runUntil(0);
  const p = h.get('PodDisruptionBudget', 'web-pdb')!;
  t.match(p.status, { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, observedGeneration: 1, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' }] });
});

t.test('maxUnavailable percent rounds up against the controller scale', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(web(3));
  h.ctx.api.apply(pdb({ maxUnavailable: '50%' }));
  h.runUntil(0);
  t.match(h.get('PodDisruptionBudget', 'web-pdb')!.status, { expectedPods: 3, desiredHealthy: 1, disruptionsAllowed: 2 });
});

t.test('an eviction that would violate the budget gets 429 and the second of two evictions is refused', async (t) => {
  const h = harness();
  fakeKubelet(h, { stopAfter: 5000 });
  startControllers(h.ctx);
  h.ctx.api.apply(web(3));
  h.ctx.api.apply(pdb({ minAvailable: 2 }));
  h.runUntil(0);
  const [a, b] = h.pods('web-');
  t.ok(h.ctx.api.evict(a!).ok);
  const r = h.ctx.api.evict(b!);
  t.match(r, { ok: false, error: { code: 429, reason: 'TooManyRequests', message: "Cannot evict pod as it would violate the pod's disruption budget." } });
});

t.test('drain refuses DaemonSet and unmanaged pods with kubectl\'s message and leaves the node cordoned', async (t) => {
  const h = harness({ nodes: ['node-1'] });
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: { nodeName: 'node-1', containers: [{ name: 'a', image: 'x' }] } });
  h.runUntil(0);
  let out: any;
  startDrain(h.ctx, { node: 'node-1', ignoreDaemonSets: true, deleteEmptyDirData: false, force: false, timeoutMs: 0 }, (o) => { out = o; });
  t.same(out, { ok: false, message: 'error: unable to drain node "node-1" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command...' });
  t.equal(h.get('Node', 'node-1', undefined as any)!.spec.unschedulable, true);
});

t.test('drain retries evictions blocked by a PDB every 5s and finishes when pods are gone', async (t) => {
  const h = harness({ nodes: ['node-1', 'node-2'] });
  fakeKubelet(h, { nodes: ['node-1'], stopAfter: 1000 });
  startControllers(h.ctx);
  h.ctx.api.apply(web(2));
  h.ctx.api.apply(pdb({ minAvailable: 1 }));
  h.runUntil(0);
  let out: any;
  let at = -1;
  h.ctx.kernel.at(1000, () => startDrain(h.ctx, { node: 'node-1', ignoreDaemonSets: true, deleteEmptyDirData: false, force: false, timeoutMs: 0 }, (o) => { out = o; at = h.ctx.now(); }));
  h.runUntil(60_000);
  t.same(out, { ok: true, message: 'node/node-1 drained' });
  const retries = h.ctx.trace.records.filter((r) => r.type === 'drain' && r.message.includes('will retry after 5s'));
  t.ok(retries.length >= 1);
  t.ok(at >= 6000);
});

t.test('drain with a timeout gives up while a PDB blocks it', async (t) => {
  const h = harness({ nodes: ['node-1'] });
  fakeKubelet(h, { nodes: ['node-1'] });
  startControllers(h.ctx);
  h.ctx.api.apply(web(1));
  h.ctx.api.apply(pdb({ minAvailable: 1 }));
  h.runUntil(0);
  let out: any;
  startDrain(h.ctx, { node: 'node-1', ignoreDaemonSets: true, deleteEmptyDirData: false, force: false, timeoutMs: 30_000 }, (o) => { out = o; });
  h.runUntil(60_000);
  t.equal(out.ok, false);
  t.match(out.message, /^error: unable to drain node "node-1" due to error: error when evicting pods\/"web-[a-z0-9-]+" -n "default": global timeout reached: 30s, continuing command\.\.\.$/);
});

t.test('drain --force: one Warning line for the bare pods (PodDeleteList.Warnings)', async (t) => {
  const h = harness({ nodes: ['node-1'] });
  fakeKubelet(h);
  startControllers(h.ctx);
  for (const name of ['bare', 'bare2']) h.ctx.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'node-1', containers: [{ name: 'a', image: 'x' }] } });
  h.runUntil(0);
  startDrain(h.ctx, { node: 'node-1', ignoreDaemonSets: true, deleteEmptyDirData: false, force: true, timeoutMs: 0 }, () => {});
  const lines = h.ctx.trace.records.filter((r) => r.type === 'drain').map((r) => r.message);
  t.ok(lines.includes('Warning: deleting Pods that declare no controller: default/bare, default/bare2'), JSON.stringify(lines));
});

t.test('unmanaged pods add nothing to expectedPods (maxUnavailable / percentages): no disruption allowed, UnmanagedPods', async (t) => {
  const h = harness({ nodes: ['node-1'] });
  fakeKubelet(h);
  startControllers(h.ctx);
  for (const name of ['b1', 'b2', 'b3']) h.ctx.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'a', image: 'x' }] } });
  h.ctx.api.apply(pdb({ maxUnavailable: 1 }));
  for (const name of ['c1', 'c2', 'c3']) h.ctx.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'int' } }, spec: { nodeName: 'node-1', containers: [{ name: 'a', image: 'x' }] } });
  h.ctx.api.apply({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'int-pdb' }, spec: { selector: { matchLabels: { app: 'int' } }, minAvailable: 2 } });
  h.ctx.api.apply({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'none' }, spec: { selector: { matchLabels: { app: 'nothing' } }, minAvailable: 1 } });
  h.runUntil(5_000);
  t.match(h.get('PodDisruptionBudget', 'web-pdb')!.status, { expectedPods: 0, desiredHealthy: 0, currentHealthy: 3, disruptionsAllowed: 0 });
  t.ok(h.events('web-pdb').some((e) => e.startsWith('UnmanagedPods: Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged.')));
  t.match(h.get('PodDisruptionBudget', 'int-pdb')!.status, { expectedPods: 3, desiredHealthy: 2, disruptionsAllowed: 1 }, 'an integer minAvailable counts the pods');
  t.notOk(h.events('int-pdb').some((e) => e.startsWith('UnmanagedPods')));
  t.ok(h.events('none').some((e) => e.startsWith('NoPods: No matching pods found')));
  t.match(h.ctx.api.evict(h.get('Pod', 'b1')!), { ok: false, error: { code: 429 } }, 'the maxUnavailable budget refuses every eviction');
});

t.test('a percentage budget over pods of a kind without a scale subresource fails safe (SyncFailed)', async (t) => {
  const h = harness({ nodes: ['node-1'] });
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 2, completions: 2, template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'x' }] } } } });
  h.ctx.api.apply(pdb({ minAvailable: '50%' }));
  h.runUntil(5_000);
  const st = h.get('PodDisruptionBudget', 'web-pdb')!.status;
  t.equal(st.disruptionsAllowed, 0);
  t.match(st.conditions, [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'jobs.batch does not implement the scale subresource' }]);
  t.ok(h.events('web-pdb').some((e) => e.startsWith('CalculateExpectedPodCountFailed: Failed to calculate the number of expected pods: jobs.batch does not implement the scale subresource')));
});

t.test('an eviction of a pending pod ignores its budgets, even several (canIgnorePDB before the more-than-one check)', async (t) => {
  const h = harness({ nodes: ['node-1'] });
  startControllers(h.ctx);
  h.ctx.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x' }], schedulerName: 'none' } });
  h.ctx.api.apply(pdb({ minAvailable: 1 }));
  h.ctx.api.apply({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'second' }, spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 1 } });
  h.runUntil(1_000);
  t.equal(h.get('Pod', 'p')!.status.phase, 'Pending');
  t.match(h.ctx.api.evict(h.get('Pod', 'p')!), { ok: true });
});
