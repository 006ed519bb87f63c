import t from 'tap';
import { harness, fakeKubelet, podTemplate } from './harness.js';
import { startControllers, rollbackDeployment } from '../../../src/sim/controllers/index.js';
import { resolveFenceposts } from '../../../src/sim/controllers/deployment.js';

function nginx(replicas = 3, extra: Record<string, any> = {}): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'nginx-deployment', labels: { app: 'nginx' } },
    spec: { replicas, selector: { matchLabels: { app: 'nginx' } }, template: podTemplate({ app: 'nginx' }), ...extra },
  };
}

t.test('fenceposts round surge up and unavailable down, never both zero', async (t) => {
  t.same(resolveFenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
  t.same(resolveFenceposts('25%', '25%', 3), { surge: 1, unavailable: 0 });
  t.same(resolveFenceposts('25%', '25%', 1), { surge: 1, unavailable: 0 });
  t.same(resolveFenceposts(0, 0, 5), { surge: 0, unavailable: 1 });
});

t.test('a Deployment creates a ReplicaSet named by its template hash and becomes available', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(nginx());
  h.runUntil(0);
  const rss = h.ctx.store.list('ReplicaSet');
  t.equal(rss.length, 1);
  const rs = rss[0]!;
  t.match(rs.metadata.name, /^nginx-deployment-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  const hash = rs.metadata.labels!['pod-template-hash'];
  t.equal(rs.spec.selector.matchLabels['pod-template-hash'], hash);
  t.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
  t.equal(rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
  t.equal(rs.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '4');
  t.equal(h.pods('nginx-deployment-').length, 3);
  for (const p of h.pods()) t.equal(p.metadata.labels!['pod-template-hash'], hash);
  const d = h.get('Deployment', 'nginx-deployment')!;
  t.match(d.status, { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  t.match(d.status.conditions, [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.` },
  ]);
  t.same(h.events('nginx-deployment'), [`ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} from 0 to 3`]);
});

t.test('a rolling update never drops below replicas minus maxUnavailable and ends on the new ReplicaSet', async (t) => {
  const h = harness();
  fakeKubelet(h, { readyAfter: 5000 });
  startControllers(h.ctx);
  h.ctx.api.apply(nginx(3));
  h.runUntil(10_000);
  const d = h.get('Deployment', 'nginx-deployment')!;
  h.ctx.kernel.at(20_000, () => {
    h.ctx.api.patch(d, (o) => { o.spec.template.spec.containers[0].image = 'nginx:1.16.1'; });
  });
  let minAvail = 99, maxPods = 0;
  // Sample the settled state of each instant (after end-of-instant queues), as assertions see it.
  let sampling = -1;
  h.ctx.store.watch('Pod', () => {
    if (sampling === h.ctx.now()) return;
    sampling = h.ctx.now();
    h.ctx.kernel.at(h.ctx.now(), () => {
      sampling = -1;
      if (h.ctx.now() < 20_000) return;
      const pods = h.pods('nginx-deployment-').filter((p) => !p.metadata.deletionTimestamp);
      minAvail = Math.min(minAvail, pods.filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length);
      maxPods = Math.max(maxPods, pods.length);
    }, 'sample', 1000);
  });
  h.runUntil(120_000);
  t.equal(minAvail, 3, 'maxUnavailable 0 for 3 replicas');
  t.equal(maxPods, 4, 'maxSurge 1');
  const rss = h.ctx.store.list('ReplicaSet');
  t.equal(rss.length, 2);
  const [old, neu] = rss;
  t.equal(old!.spec.replicas, 0);
  t.equal(neu!.spec.replicas, 3);
  t.equal(neu!.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
  t.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
  t.match(d.status, { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 });
  t.equal(d.status.conditions.find((c: any) => c.type === 'Progressing').reason, 'NewReplicaSetAvailable');
  const ev = h.events('nginx-deployment');
  t.ok(ev.includes(`ScalingReplicaSet: Scaled up replica set ${neu!.metadata.name} from 0 to 1`));
  t.ok(ev.includes(`ScalingReplicaSet: Scaled down replica set ${old!.metadata.name} from 3 to 2`));
});

t.test('the 1.31 ScalingReplicaSet text says to N from M', async (t) => {
  const h = harness({ version: '1.31' });
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(nginx(2));
  h.runUntil(0);
  const rs = h.ctx.store.list('ReplicaSet')[0]!;
  t.same(h.events('nginx-deployment'), [`ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} to 2 from 0`]);
});

t.test('Recreate scales the old ReplicaSet to zero and waits for its pods before creating new ones', async (t) => {
  const h = harness();
  fakeKubelet(h, { stopAfter: 10_000 });
  startControllers(h.ctx);
  h.ctx.api.apply(nginx(2, { strategy: { type: 'Recreate' } }));
  h.runUntil(1000);
  const d = h.get('Deployment', 'nginx-deployment')!;
  h.ctx.api.patch(d, (o) => { o.spec.template.spec.containers[0].image = 'nginx:1.16.1'; });
  h.runUntil(5000);
  t.equal(h.pods().filter((p) => p.spec.containers[0].image === 'nginx:1.16.1').length, 0);
  h.runUntil(12_000);
  t.equal(h.pods().filter((p) => p.spec.containers[0].image === 'nginx:1.16.1').length, 2);
});

t.test('a rollout that never becomes ready exceeds its progress deadline', async (t) => {
  const h = harness();
  fakeKubelet(h, { readyAfter: (p) => (p.spec.containers[0].image === 'nginx:bad' ? undefined : 0) });
  startControllers(h.ctx);
  h.ctx.api.apply(nginx(3, { progressDeadlineSeconds: 60 }));
  h.runUntil(1000);
  const d = h.get('Deployment', 'nginx-deployment')!;
  h.ctx.api.patch(d, (o) => { o.spec.template.spec.containers[0].image = 'nginx:bad'; });
  h.runUntil(30_000);
  t.equal(d.status.conditions.find((c: any) => c.type === 'Progressing').reason, 'ReplicaSetUpdated');
  h.runUntil(70_000);
  const c = d.status.conditions.find((c: any) => c.type === 'Progressing');
  t.match(c, { status: 'False', reason: 'ProgressDeadlineExceeded' });
  t.match(c.message, /has timed out progressing\.$/);
});

t.test('rollback restores the previous template as a new revision', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(nginx(2));
  h.runUntil(1000);
  const d = h.get('Deployment', 'nginx-deployment')!;
  h.ctx.api.patch(d, (o) => { o.spec.template.spec.containers[0].image = 'nginx:1.16.1'; });
  h.runUntil(2000);
  const r = rollbackDeployment(h.ctx, 'default', 'nginx-deployment');
  t.ok(r.ok);
  h.runUntil(3000);
  t.equal(d.spec.template.spec.containers[0].image, 'nginx:1.14.2');
  t.equal(d.spec.template.metadata.labels['pod-template-hash'], undefined);
  t.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  t.equal(h.ctx.store.list('ReplicaSet').length, 2);
  const bad = rollbackDeployment(h.ctx, 'default', 'nginx-deployment', 7);
  t.match(bad, { ok: false, error: { message: 'unable to find specified revision 7 in history' } });
});

t.test('scaling a Deployment scales its ReplicaSet proportionally', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(nginx(3));
  h.runUntil(1000);
  const d = h.get('Deployment', 'nginx-deployment')!;
  h.ctx.api.patch(d, (o) => { o.spec.replicas = 5; });
  h.runUntil(2000);
  t.equal(h.pods().length, 5);
  t.equal(h.ctx.store.list('ReplicaSet')[0]!.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '5');
});

t.test('deleting a Deployment in the background removes its ReplicaSets and pods', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(nginx(2));
  h.runUntil(1000);
  h.ctx.api.delete(h.get('Deployment', 'nginx-deployment')!, { propagation: 'Background' });
  h.runUntil(2000);
  t.equal(h.ctx.store.list('ReplicaSet').length, 0);
  t.equal(h.pods().length, 0);
});

t.test('foreground deletion keeps the Deployment until its dependents are gone', async (t) => {
  const h = harness();
  fakeKubelet(h, { stopAfter: 5000 });
  startControllers(h.ctx);
  h.ctx.api.apply(nginx(2));
  h.runUntil(1000);
  const d = h.get('Deployment', 'nginx-deployment')!;
  h.ctx.api.delete(d, { propagation: 'Foreground' });
  h.runUntil(2000);
  t.ok(h.get('Deployment', 'nginx-deployment'));
  t.same(d.metadata.finalizers, ['foregroundDeletion']);
  h.runUntil(7000);
  t.notOk(h.get('Deployment', 'nginx-deployment'));
  t.equal(h.ctx.store.list('ReplicaSet').length, 0);
});

t.test('orphan deletion leaves the ReplicaSet without owner references', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(nginx(2));
  h.runUntil(1000);
  h.ctx.api.delete(h.get('Deployment', 'nginx-deployment')!, { propagation: 'Orphan' });
  h.runUntil(2000);
  t.notOk(h.get('Deployment', 'nginx-deployment'));
  const rs = h.ctx.store.list('ReplicaSet')[0]!;
  t.equal(rs.metadata.ownerReferences, undefined);
  t.equal(h.pods().length, 2);
});
