import t from 'tap';
import { harness, fakeKubelet, podTemplate } from './harness.js';
import { startControllers } from '../../../src/sim/controllers/index.js';

function web(replicas = 3, extra: Record<string, any> = {}): any {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'nginx' } }, serviceName: 'nginx', replicas,
      template: podTemplate({ app: 'nginx' }, 'registry.k8s.io/nginx-slim:0.24'),
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  };
}

t.test('OrderedReady creates web-0, web-1, web-2 one at a time after each is ready', async (t) => {
  const h = harness();
  fakeKubelet(h, { readyAfter: 10_000 });
  startControllers(h.ctx);
  h.ctx.api.apply(web());
  const createdAt: Record<string, number> = {};
  h.ctx.store.watch('Pod', (type, p) => { if (type === 'ADDED') createdAt[p.metadata.name] = h.ctx.now(); });
  h.runUntil(60_000);
  t.same(createdAt, { 'web-0': 0, 'web-1': 10_000, 'web-2': 20_000 });
  const p0 = h.get('Pod', 'web-0')!;
  t.equal(p0.spec.hostname, 'web-0');
  t.equal(p0.spec.subdomain, 'nginx');
  t.same(p0.spec.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }]);
  t.ok(h.get('PersistentVolumeClaim', 'www-web-2'));
  t.ok(h.events('web').includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful'));
  t.ok(h.events('web').includes('SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success'));
  const s = h.get('StatefulSet', 'web')!;
  t.match(s.status, { replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3 });
});

t.test('scale-down removes the highest ordinal first and keeps its claim', async (t) => {
  const h = harness();
  fakeKubelet(h, { stopAfter: 5000 });
  startControllers(h.ctx);
  h.ctx.api.apply(web(3));
  h.runUntil(1000);
  h.ctx.api.patch(h.get('StatefulSet', 'web')!, (o) => { o.spec.replicas = 1; });
  h.runUntil(2000);
  t.ok(h.get('Pod', 'web-2')!.metadata.deletionTimestamp);
  t.notOk(h.get('Pod', 'web-1')!.metadata.deletionTimestamp);
  h.runUntil(20_000);
  t.same(h.pods('web-').map((p) => p.metadata.name), ['web-0']);
  t.ok(h.get('PersistentVolumeClaim', 'www-web-2'));
});

t.test('Parallel creates every pod at once', async (t) => {
  const h = harness();
  fakeKubelet(h, { readyAfter: 10_000 });
  startControllers(h.ctx);
  h.ctx.api.apply(web(3, { podManagementPolicy: 'Parallel' }));
  h.runUntil(0);
  t.equal(h.pods('web-').length, 3);
});

t.test('a rolling update replaces pods from the highest ordinal down to the partition', async (t) => {
  const h = harness();
  fakeKubelet(h, { stopAfter: 2000, readyAfter: 1000 });
  startControllers(h.ctx);
  h.ctx.api.apply(web(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
  h.runUntil(10_000);
  h.ctx.api.patch(h.get('StatefulSet', 'web')!, (o) => { o.spec.template.spec.containers[0].image = 'registry.k8s.io/nginx-slim:0.21'; });
  h.runUntil(11_000);
  t.ok(h.get('Pod', 'web-2')!.metadata.deletionTimestamp, 'web-2 goes first');
  t.notOk(h.get('Pod', 'web-1')!.metadata.deletionTimestamp);
  h.runUntil(60_000);
  const img = (n: string) => h.get('Pod', n)!.spec.containers[0].image;
  t.same([img('web-0'), img('web-1'), img('web-2')], ['registry.k8s.io/nginx-slim:0.24', 'registry.k8s.io/nginx-slim:0.21', 'registry.k8s.io/nginx-slim:0.21']);
  const s = h.get('StatefulSet', 'web')!;
  t.match(s.status, { updatedReplicas: 2, currentReplicas: 1 });
  t.not(s.status.currentRevision, s.status.updateRevision);
});

/** Deletion times of the pods of a Parallel StatefulSet rolled at 10s (each pod takes 5s to stop). */
function parallelRoll(version: '1.34' | '1.36' | '1.37', rollingUpdate: Record<string, unknown>): Record<string, number[]> {
  const h = harness({ version });
  fakeKubelet(h, { stopAfter: 5000 });
  startControllers(h.ctx);
  h.ctx.api.apply(web(3, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate } }));
  h.runUntil(10_000);
  const deletedAt: Record<string, number[]> = {};
  h.ctx.store.watch('Pod', (type, p) => {
    if (type !== 'DELETED' && p.metadata.deletionTimestamp && !(deletedAt[p.metadata.name] ?? []).includes(h.ctx.now())) {
      (deletedAt[p.metadata.name] ??= []).push(h.ctx.now());
    }
  });
  h.ctx.api.patch(h.get('StatefulSet', 'web')!, (o) => { o.spec.template.spec.containers[0].image = 'registry.k8s.io/nginx-slim:0.21'; });
  h.runUntil(60_000);
  return deletedAt;
}

t.test('Parallel rolling update: one pod at a time unless maxUnavailable is on, and a terminating pod is not healthy', async (t) => {
  // stateful_set_control.go: the next ordinal waits while the previous one is terminating (isHealthy).
  const one = { 'web-2': [10_000], 'web-1': [15_000], 'web-0': [20_000] };
  t.same(parallelRoll('1.34', {}), one, '1.34: maxUnavailable gate off');
  t.same(parallelRoll('1.36', { maxUnavailable: 2 }), one, '1.36: gate off again, the field is ignored');
  // With the gate on, the pods recreated in the same sync count as unavailable: two at 10s, the third after.
  const two = parallelRoll('1.37', { maxUnavailable: 2 });
  t.same(two['web-2'], [10_000]);
  t.same(two['web-1'], [10_000]);
  t.ok(two['web-0']![0]! > 10_000, `web-0 waits (${two['web-0']})`);
});

t.test('a Failed or Succeeded pod is recreated with RecreatingFailedPod / RecreatingTerminatedPod (processReplica)', async (t) => {
  const h = harness();
  const k = fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.apply(web(2, { podManagementPolicy: 'Parallel' }));
  h.runUntil(5_000);
  h.ctx.kernel.at(10_000, () => k.finish(h.get('Pod', 'web-0')!, 'Failed'));
  h.ctx.kernel.at(20_000, () => k.finish(h.get('Pod', 'web-1')!, 'Succeeded'));
  h.runUntil(30_000);
  const ev = h.events('web');
  t.ok(ev.includes('RecreatingFailedPod: StatefulSet default/web is recreating failed Pod web-0'), 'failed');
  t.ok(ev.includes('RecreatingTerminatedPod: StatefulSet default/web is recreating terminated Pod web-1'), 'terminated');
  t.ok(ev.indexOf('RecreatingFailedPod: StatefulSet default/web is recreating failed Pod web-0') < ev.indexOf('SuccessfulDelete: delete Pod web-0 in StatefulSet web successful'));
});

t.test('a StatefulSet whose pod is forbidden retries the sync rate-limited and creates it once allowed', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  const set = web(1);
  set.spec.template.spec.priorityClassName = 'high';
  h.ctx.api.apply(set);
  h.runUntil(30_000);
  t.notOk(h.get('Pod', 'web-0'));
  const ev = h.ctx.recorder.events.filter((e) => e.reason === 'FailedCreate');
  t.equal(ev[0]!.message, 'create Pod web-0 in StatefulSet web failed error: pods "web-0" is forbidden: no PriorityClass with name high was found');
  t.ok(ev[0]!.count > 10, `retried (${ev[0]!.count} times)`);
  h.ctx.api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  h.runUntil(41_000);
  t.ok(h.get('Pod', 'web-0'), 'created at the retry at 40.945s');
});
