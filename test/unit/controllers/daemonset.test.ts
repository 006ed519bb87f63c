import t from 'tap';
import { harness, fakeKubelet } from './harness.js';
import { startControllers } from '../../../src/sim/controllers/index.js';

function fluentd(extra: Record<string, any> = {}, podSpec: Record<string, any> = {}): any {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'fluentd-elasticsearch', namespace: 'kube-system', labels: { 'k8s-app': 'fluentd-logging' } },
    spec: {
      selector: { matchLabels: { name: 'fluentd-elasticsearch' } },
      template: { metadata: { labels: { name: 'fluentd-elasticsearch' } }, spec: { containers: [{ name: 'fluentd-elasticsearch', image: 'quay.io/fluentd_elasticsearch/fluentd:v5.0.1' }], ...podSpec } },
      ...extra,
    },
  };
}

function setup(nodes = ['node-1', 'node-2', 'node-3'], readyAfter = 0) {
  const h = harness({ nodes });
  const k = fakeKubelet(h, { readyAfter });
  startControllers(h.ctx);
  return { h, k };
}

t.test('a DaemonSet runs one pod per node bound by a matchFields affinity term', async (t) => {
  const { h } = setup();
  h.ctx.api.apply(fluentd());
  h.runUntil(0);
  const pods = h.ctx.store.list('Pod', 'kube-system');
  t.equal(pods.length, 3);
  t.same(pods.map((p) => p.spec.nodeName).sort(), ['node-1', 'node-2', 'node-3']);
  for (const p of pods) {
    t.same(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] }] });
    t.ok(p.spec.tolerations.some((x: any) => x.key === 'node.kubernetes.io/unschedulable' && x.effect === 'NoSchedule'));
    t.ok(p.spec.tolerations.some((x: any) => x.key === 'node.kubernetes.io/not-ready' && x.tolerationSeconds === undefined));
  }
  const ds = h.get('DaemonSet', 'fluentd-elasticsearch', 'kube-system')!;
  t.match(ds.status, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 3, numberMisscheduled: 0 });
  t.equal(h.events('fluentd-elasticsearch').filter((e) => e.startsWith('SuccessfulCreate: Created pod: fluentd-elasticsearch-')).length, 3);
});

t.test('tainted nodes without a toleration get no pod but cordoned nodes do', async (t) => {
  const { h } = setup();
  const n1 = h.get('Node', 'node-1', undefined as any)!;
  h.ctx.api.patch(n1, (o) => { o.spec.taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]; });
  const n2 = h.get('Node', 'node-2', undefined as any)!;
  h.ctx.api.patch(n2, (o) => { o.spec.unschedulable = true; o.spec.taints = [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]; });
  h.ctx.api.apply(fluentd());
  h.runUntil(0);
  t.same(h.ctx.store.list('Pod', 'kube-system').map((p) => p.spec.nodeName).sort(), ['node-2', 'node-3']);
  const ds = h.get('DaemonSet', 'fluentd-elasticsearch', 'kube-system')!;
  t.equal(ds.status.desiredNumberScheduled, 2);
});

t.test('a toleration admits the control-plane node and a nodeSelector restricts nodes', async (t) => {
  const { h } = setup();
  const n1 = h.get('Node', 'node-1', undefined as any)!;
  h.ctx.api.patch(n1, (o) => { o.spec.taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]; o.metadata.labels.disk = 'ssd'; });
  h.ctx.api.apply(fluentd({}, { nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }));
  h.runUntil(0);
  t.same(h.ctx.store.list('Pod', 'kube-system').map((p) => p.spec.nodeName), ['node-1']);
});

t.test('a node label edited in place and written re-syncs the set; a write that changes nothing placed does not', async (t) => {
  const { h } = setup();
  h.ctx.api.apply(fluentd({}, { nodeSelector: { disk: 'ssd' } }));
  h.runUntil(0);
  t.same(h.ctx.store.list('Pod', 'kube-system').length, 0);
  const n2 = h.get('Node', 'node-2', undefined as any)!;
  n2.status.unrelated = 'x';
  h.ctx.store.update(n2); // heartbeat-like write: nothing placement-related changed
  h.runUntil(1_000);
  t.same(h.ctx.store.list('Pod', 'kube-system').length, 0);
  n2.metadata.labels.disk = 'ssd'; // same labels object, new key
  h.ctx.store.update(n2);
  h.runUntil(2_000);
  t.same(h.ctx.store.list('Pod', 'kube-system').map((p) => p.spec.nodeName), ['node-2']);
  n2.metadata.labels.disk = 'hdd'; // same key, new value
  h.ctx.store.update(n2);
  h.runUntil(3_000);
  t.same(h.ctx.store.list('Pod', 'kube-system').filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.nodeName), []);
});

t.test('a new node gets a pod and a removed node is not counted', async (t) => {
  const { h } = setup(['node-1']);
  h.ctx.api.apply(fluentd());
  h.runUntil(0);
  h.ctx.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2' }, spec: {}, status: {} });
  h.runUntil(1);
  t.equal(h.ctx.store.list('Pod', 'kube-system').length, 2);
  h.ctx.api.delete(h.get('Node', 'node-1', undefined as any)!);
  h.runUntil(2);
  t.equal(h.get('DaemonSet', 'fluentd-elasticsearch', 'kube-system')!.status.desiredNumberScheduled, 1);
});

t.test('a rolling update replaces one pod at a time with maxUnavailable 1', async (t) => {
  const { h } = setup(['node-1', 'node-2', 'node-3'], 5000);
  h.ctx.api.apply(fluentd());
  h.runUntil(10_000);
  const ds = h.get('DaemonSet', 'fluentd-elasticsearch', 'kube-system')!;
  h.ctx.api.patch(ds, (o) => { o.spec.template.spec.containers[0].image = 'quay.io/fluentd_elasticsearch/fluentd:v5.0.2'; });
  h.runUntil(10_001);
  const newPods = () => h.ctx.store.list('Pod', 'kube-system').filter((p) => !p.metadata.deletionTimestamp && p.spec.containers[0].image.endsWith('v5.0.2'));
  t.equal(newPods().length, 1);
  h.runUntil(16_000);
  t.equal(newPods().length, 2);
  h.runUntil(40_000);
  t.equal(newPods().length, 3);
  t.equal(h.ctx.store.list('Pod', 'kube-system').length, 3);
  t.match(ds.status, { updatedNumberScheduled: 3, numberAvailable: 3 });
});

t.test('a DaemonSet whose pods are forbidden retries rate-limited; the Event names the generateName', async (t) => {
  const { h } = setup(['node-1']);
  h.ctx.api.apply(fluentd({}, { priorityClassName: 'high' }));
  h.runUntil(30_000);
  t.equal(h.ctx.store.list('Pod', 'kube-system').length, 0);
  const ev = h.ctx.recorder.events.filter((e) => e.reason === 'FailedCreate');
  t.equal(ev.length, 1);
  t.equal(ev[0]!.message, 'Error creating: pods "fluentd-elasticsearch-" is forbidden: no PriorityClass with name high was found');
  t.ok(ev[0]!.count > 10, `retried (${ev[0]!.count} times)`);
});
