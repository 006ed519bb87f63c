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
