import t from 'tap';
import { cluster, cs, cond } from './harness.js';

const vol = (name: string, src: Record<string, unknown>) => ({ name, ...src });

t.test('a missing ConfigMap volume keeps the pod ContainerCreating with FailedMount on the mount back-off', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [vol('cfg', { configMap: { name: 'nope' } })] } });
  c.runTo(30_000);
  const p = c.pod('p')!;
  tt.equal(p.status.phase, 'Pending');
  tt.equal(cs(p).state?.waiting?.reason, 'ContainerCreating');
  tt.equal(cond(p, 'PodReadyToStartContainers'), 'False');
  const ev = c.events('FailedMount');
  tt.equal(ev.length, 1);
  tt.equal(ev[0]!.message, 'MountVolume.SetUp failed for volume "cfg" : configmap "nope" not found');
  tt.equal(ev[0]!.type, 'Warning');
  // Attempts at 0, 0.5, 1.5, 3.5, 7.5, 15.5 s (500ms doubling); the next is at 31.5 s.
  tt.equal(ev[0]!.count, 6);
  tt.equal(ev[0]!.last, 15_500);
  tt.same(c.events('Pulling'), [], 'nothing pulled before the volumes are mounted');
});

t.test('the pod starts at the next mount attempt after the ConfigMap appears, at the wait\'s next 300ms poll', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [vol('cfg', { configMap: { name: 'late' } })] } });
  c.at(40_000, () => { c.ctx.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'default' }, data: {} }); });
  c.runTo(63_599);
  tt.equal(c.pod('p')!.status.phase, 'Pending', 'mounted at 63.5s (attempts 31.5s, 63.5s), seen by the poll at 63.6s');
  c.runTo(63_600);
  tt.equal(c.pod('p')!.status.phase, 'Running');
});

t.test('WaitForAttachAndMount gives up after 2m3s and the pod worker retries 10s later', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [vol('s', { secret: { secretName: 'tls' } })] } });
  c.at(130_000, () => { c.ctx.api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'default' }, data: {} }); });
  // Mount attempts: ..., 63.5 s, 127.5 s (back-off 64 s), 249.5 s (capped at 2m2s). The sync that waited from 0s
  // gave up at 123 s; the next one starts at 133 s and finds the volume still unmounted until 249.5 s.
  c.runTo(249_699);
  tt.equal(c.pod('p')!.status.phase, 'Pending');
  c.runTo(249_700);
  tt.equal(c.pod('p')!.status.phase, 'Running', 'the wait that began at 133 s polls every 300ms: 249.7 s');
});

t.test('deleting a pod that waits for its volumes ends the wait: it is gone at once, and mounting stops', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [vol('cfg', { configMap: { name: 'nope' } })] } });
  c.at(10_000, () => { c.ctx.api.delete(c.pod('p')!, {}); });
  c.runTo(10_000);
  tt.notOk(c.pod('p'));
  c.runTo(60_000);
  tt.equal(c.events('FailedMount')[0]!.last, 7_500, 'no attempt after the deletion');
});

t.test('optional sources and other volume kinds do not wait; a projected volume lists all its missing sources', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'ok' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [vol('o', { configMap: { name: 'x', optional: true } }), vol('e', { emptyDir: {} })] } });
  c.createPod({ metadata: { name: 'proj' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [vol('p', { projected: { sources: [{ configMap: { name: 'a' } }, { secret: { name: 'b' } }] } })] } });
  c.runTo(1_000);
  tt.equal(c.pod('ok')!.status.phase, 'Running');
  tt.equal(c.events('FailedMount', 'Pod/proj')[0]?.message, 'MountVolume.SetUp failed for volume "p" : [configmap "a" not found, secret "b" not found]');
});

t.test('env references are not read (the scenario format gives env no bearing): a pod naming a missing Secret runs', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }], envFrom: [{ configMapRef: { name: 'cfg' } }] }] } });
  c.runTo(1_000);
  tt.equal(c.pod('p')!.status.phase, 'Running');
  tt.same(c.events('Failed'), []);
});

t.test('a missing image pull secret is a Warning on every sync, and the pod still runs', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'app', image: 'nginx:1.27' }] } });
  c.runTo(1_000);
  tt.equal(c.pod('p')!.status.phase, 'Running');
  const ev = c.events('FailedToRetrieveImagePullSecret');
  tt.equal(ev[0]?.message, 'Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.');
  tt.equal(ev[0]?.type, 'Warning');
});

t.test('a kube-api-access projected volume copied from a real cluster mounts: kube-root-ca.crt counts as present', async (tt) => {
  const c = cluster();
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [vol('kube-api-access-x2k9p', { projected: { sources: [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
  ] } })] } });
  c.runTo(1_000);
  tt.equal(c.pod('p')!.status.phase, 'Running');
  tt.same(c.events('FailedMount'), []);
});
