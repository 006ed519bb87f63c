import t from 'tap';
import { harness, fakeKubelet } from './harness.js';
import { startControllers } from '../../../src/sim/controllers/index.js';
import { volumeSetUpError, missingPullSecrets } from '../../../src/sim/kubelet/references.js';

function pvc(name: string, extra: Record<string, any> = {}): any {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra } };
}
function pod(name: string, spec: Record<string, any> = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } };
}

t.test('an Immediate claim binds to the smallest matching Available volume', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  for (const [n, size] of [['big', '10Gi'], ['small', '2Gi'], ['tiny', '500Mi']] as const) {
    h.ctx.api.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: n }, spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp' } } });
  }
  h.ctx.api.create(pvc('data', { storageClassName: '' }));
  h.runUntil(0);
  const c = h.get('PersistentVolumeClaim', 'data')!;
  t.equal(c.spec.volumeName, 'small');
  t.match(c.status, { phase: 'Bound', capacity: { storage: '2Gi' } });
  t.same(c.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  t.equal(h.get('PersistentVolume', 'small', undefined as any)!.status.phase, 'Bound');
});

t.test('a default StorageClass with a provisioner provisions pvc-<uid>', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  h.ctx.api.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path' });
  h.ctx.api.create(pvc('data'));
  h.runUntil(0);
  const c = h.get('PersistentVolumeClaim', 'data')!;
  t.equal(c.spec.storageClassName, 'standard');
  t.equal(c.spec.volumeName, `pvc-${c.metadata.uid}`);
  t.equal(h.ctx.store.list('PersistentVolume').length, 1);
});

t.test('a WaitForFirstConsumer claim waits for the selected node', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  h.ctx.api.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' });
  h.ctx.api.create(pvc('data', { storageClassName: 'local' }));
  h.runUntil(0);
  t.equal(h.get('PersistentVolumeClaim', 'data')!.status.phase, 'Pending');
  t.same(h.events('data'), ['WaitForFirstConsumer: waiting for first consumer to be created before binding']);
});

t.test('a deleted claim stays while a pod uses it (pvc-protection)', async (t) => {
  const h = harness();
  const k = fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'x' });
  h.ctx.api.create(pvc('data'));
  h.ctx.api.create(pod('user', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }));
  h.runUntil(0);
  h.ctx.api.delete(h.get('PersistentVolumeClaim', 'data')!);
  h.runUntil(1);
  t.ok(h.get('PersistentVolumeClaim', 'data')?.metadata.deletionTimestamp);
  k.finish(h.get('Pod', 'user')!, 'Succeeded');
  h.runUntil(2);
  t.notOk(h.get('PersistentVolumeClaim', 'data'));
  t.equal(h.ctx.store.list('PersistentVolume').length, 0, 'reclaim policy Delete');
});

t.test('missing ConfigMaps, Secrets and keys give the kubelet texts for volumes and pull secrets', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  const p = pod('p', {
    imagePullSecrets: [{ name: 'regcred' }, { name: 'other' }],
    volumes: [{ name: 'c', configMap: { name: 'cfg' } }, { name: 's', secret: { secretName: 'tls' } }, { name: 'o', configMap: { name: 'opt', optional: true } },
      { name: 'k', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a' }] } },
      { name: 'p', projected: { sources: [{ configMap: { name: 'x' } }, { secret: { name: 'y' } }, { secret: { name: 'z', optional: true } }] } }],
    containers: [{ name: 'app', image: 'x', envFrom: [{ secretRef: { name: 'opt', optional: true } }], env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] }],
  });
  const vols = p.spec!.volumes as Array<Record<string, unknown>>;
  t.same(vols.map((v) => volumeSetUpError(h.ctx, p, v)),
    ['configmap "cfg" not found', 'secret "tls" not found', undefined, 'configmap "cfg" not found', '[configmap "x" not found, secret "y" not found]']);
  h.ctx.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { b: '1' } });
  h.ctx.api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { user: 'u' } });
  h.ctx.api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other' }, data: {} });
  t.equal(volumeSetUpError(h.ctx, p, vols[0]), undefined);
  t.equal(volumeSetUpError(h.ctx, p, vols[3]), 'configmap references non-existent config key: a');
  t.same(missingPullSecrets(h.ctx, p), ['regcred']);
});

t.test('ResourceQuota rejects a pod over the hard limit with the upstream text', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  h.ctx.api.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '1', pods: '2' } } });
  const res = (cpu: string) => ({ containers: [{ name: 'app', image: 'x', resources: { requests: { cpu } } }] });
  t.ok(h.ctx.api.create(pod('a', res('600m'))).ok);
  h.runUntil(0);
  const r = h.ctx.api.create(pod('b', res('500m')));
  t.match(r, { ok: false, error: { code: 403, message: 'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1' } });
  const r2 = h.ctx.api.create(pod('c'));
  t.match(r2, { ok: false, error: { message: 'pods "c" is forbidden: failed quota: compute: must specify requests.cpu for: app' } });
  h.runUntil(1);
  t.same(h.get('ResourceQuota', 'compute')!.status, { hard: { pods: '2', 'requests.cpu': '1' }, used: { pods: '1', 'requests.cpu': '600m' } });
});

t.test('LimitRange defaults are applied to containers and max is enforced', async (t) => {
  const h = harness();
  startControllers(h.ctx);
  h.ctx.api.create({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'cpu-limit-range' }, spec: { limits: [{ type: 'Container', default: { cpu: '1' }, defaultRequest: { cpu: '500m' }, max: { cpu: '2' } }] } });
  h.ctx.api.create(pod('a'));
  const a = h.get('Pod', 'a')!;
  t.same(a.spec.containers[0].resources, { limits: { cpu: '1' }, requests: { cpu: '500m' } });
  t.equal(a.metadata.annotations!['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu request for container app; cpu limit for container app');
  const r = h.ctx.api.create(pod('b', { containers: [{ name: 'app', image: 'x', resources: { limits: { cpu: '3' } } }] }));
  t.match(r, { ok: false, error: { message: 'pods "b" is forbidden: maximum cpu usage per Container is 2, but limit is 3' } });
});

t.test('deleting a namespace deletes its contents', async (t) => {
  const h = harness();
  fakeKubelet(h);
  startControllers(h.ctx);
  h.ctx.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  t.match(h.get('Namespace', 'team', undefined as any), { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  h.ctx.api.create({ ...pod('p'), metadata: { name: 'p', namespace: 'team' } });
  h.ctx.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team' } });
  h.runUntil(0);
  h.ctx.api.delete(h.get('Namespace', 'team', undefined as any)!);
  h.runUntil(1);
  t.equal(h.ctx.store.list('Pod', 'team').length, 0);
  t.equal(h.ctx.store.list('ConfigMap', 'team').length, 0);
});
