import t from 'tap';
import { selectTargets } from '../../../src/assert/select.js';
import type { Target } from '../../../src/scenario/types.js';
import { World, pods } from './fixture.js';

function world(): World {
  const w = new World();
  w.node('node-1');
  w.node('node-2', { labels: { zone: 'b' }, ready: 'Unknown' });
  w.node('gpu-1', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] });
  const dep = w.obj('Deployment', 'web');
  const rs = w.obj('ReplicaSet', 'web-abc', {}, dep);
  const other = w.obj('Deployment', 'api');
  const rs2 = w.obj('ReplicaSet', 'api-xyz', {}, other);
  w.pod('web-abc-2', { node: 'node-2', labels: { app: 'web' }, owner: rs });
  w.pod('web-abc-1', { node: 'node-1', labels: { app: 'web' }, owner: rs, ready: false });
  w.pod('api-xyz-1', { node: 'node-1', labels: { app: 'api' }, owner: rs2 });
  w.pod('pending', { labels: { app: 'web' }, phase: 'Pending' });
  w.pod('sys', { ns: 'kube-system', node: 'node-1', labels: { app: 'web' } });
  const cj = w.obj('CronJob', 'nightly', { apiVersion: 'batch/v1' });
  const job = w.obj('Job', 'nightly-28000', { apiVersion: 'batch/v1' }, cj);
  w.pod('nightly-28000-q', { owner: job, phase: 'Succeeded' });
  w.obj('ConfigMap', 'cfg', { apiVersion: 'v1', data: { a: '1' } });
  w.obj('ConfigMap', 'cfg', { apiVersion: 'v1' }, undefined, 'kube-system');
  w.obj('PersistentVolume', 'pv-1', { apiVersion: 'v1' });
  return w;
}

const keys = (w: World, target: Target): string[] => selectTargets(target, w.view()).map((s) => s.key);

t.test('pods default to the default namespace and list by name', async (t) => {
  const w = world();
  t.same(keys(w, pods()), ['default/api-xyz-1', 'default/nightly-28000-q', 'default/pending', 'default/web-abc-1', 'default/web-abc-2']);
});

t.test('namespace "*" selects every namespace', async (t) => {
  t.equal(keys(world(), pods({ namespace: '*' })).length, 6);
});

t.test('a map selector selects pods whose labels all equal', async (t) => {
  t.same(keys(world(), pods({ selector: { app: 'web' } })), ['default/pending', 'default/web-abc-1', 'default/web-abc-2']);
});

t.test('a LabelSelector with matchExpressions selects', async (t) => {
  t.same(keys(world(), pods({ selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } })),
    ['default/api-xyz-1', 'default/nightly-28000-q']);
});

t.test('name and node take globs', async (t) => {
  const w = world();
  t.same(keys(w, pods({ name: 'web-*' })), ['default/web-abc-1', 'default/web-abc-2']);
  t.same(keys(w, pods({ node: 'node-?', hasNode: true })), ['default/api-xyz-1', 'default/web-abc-1', 'default/web-abc-2']);
  t.same(keys(w, pods({ node: 'node-1', hasNode: true })), ['default/api-xyz-1', 'default/web-abc-1']);
});

t.test('node null selects unscheduled pods', async (t) => {
  t.same(keys(world(), pods({ node: null, hasNode: true })), ['default/nightly-28000-q', 'default/pending']);
});

t.test('owner follows Deployment to ReplicaSet to Pod', async (t) => {
  t.same(keys(world(), pods({ owner: 'Deployment/web' })), ['default/web-abc-1', 'default/web-abc-2']);
});

t.test('owner follows CronJob to Job to Pod', async (t) => {
  t.same(keys(world(), pods({ owner: 'CronJob/nightly' })), ['default/nightly-28000-q']);
});

t.test('owner of a missing object selects nothing', async (t) => {
  t.same(keys(world(), pods({ owner: 'Deployment/nope' })), []);
});

t.test('where filters by shorthands and match before the checks', async (t) => {
  const w = world();
  t.same(keys(w, pods({ owner: 'Deployment/web', where: { ready: true } })), ['default/web-abc-2']);
  t.same(keys(w, pods({ where: { match: { spec: { nodeName: 'node-1' } }, phase: 'Running' } })), ['default/api-xyz-1', 'default/web-abc-1']);
});

t.test('pod takes a name or glob', async (t) => {
  t.same(keys(world(), { kind: 'pod', namespace: 'default', name: 'pend*' }), ['default/pending']);
});

t.test('nodes filter by selector, name glob and where', async (t) => {
  const w = world();
  t.same(keys(w, { kind: 'nodes' }), ['gpu-1', 'node-1', 'node-2']);
  t.same(keys(w, { kind: 'nodes', name: 'node-*' }), ['node-1', 'node-2']);
  t.same(keys(w, { kind: 'nodes', selector: { zone: 'b' } }), ['node-2']);
  t.same(keys(w, { kind: 'nodes', where: { ready: 'unknown' } }), ['node-2']);
  t.same(keys(w, { kind: 'nodes', where: { taints: [{ key: 'gpu' }] } }), ['gpu-1']);
});

t.test('object selects a kind by namespace and name, ignoring namespace for cluster-scoped kinds', async (t) => {
  const w = world();
  t.same(keys(w, { kind: 'object', kind_: 'ConfigMap' }), ['default/cfg']);
  t.same(keys(w, { kind: 'object', kind_: 'ConfigMap', namespace: '*' }), ['default/cfg', 'kube-system/cfg']);
  t.same(keys(w, { kind: 'object', kind_: 'PersistentVolume', namespace: 'kube-system' }), ['pv-1']);
  t.same(keys(w, { kind: 'object', kind_: 'Deployment', name: 'w*' }), ['default/web']);
});

t.test('object of kind Event reads the recorder', async (t) => {
  const w = world();
  w.event(w.store.get('Pod', 'default', 'pending')!, 'FailedScheduling', '0/3 nodes are available');
  const s = selectTargets({ kind: 'object', kind_: 'Event' }, w.view());
  t.equal(s.length, 1);
  t.equal(s[0]!.obj.kind, 'Event');
  t.equal(s[0]!.obj['reason'], 'FailedScheduling');
});

t.test('events filter by object, reason, type and message, and count occurrences', async (t) => {
  const w = world();
  const pend = w.store.get('Pod', 'default', 'pending')!;
  const sys = w.store.get('Pod', 'kube-system', 'sys')!;
  const node = w.store.get('Node', undefined, 'node-2')!;
  w.event(pend, 'FailedScheduling', '0/3 nodes are available: 3 Insufficient cpu.', 4, 'Warning');
  w.event(sys, 'FailedScheduling', 'x', 1, 'Warning');
  w.event(node, 'NodeNotReady', 'Node node-2 status is now: NodeNotReady');
  const ev = (target: Record<string, unknown>) => selectTargets({ kind: 'events', namespace: 'default', ...target } as Target, w.view());
  t.equal(ev({ reason: 'FailedScheduling' }).length, 1, 'namespace default filters namespaced objects');
  t.equal(ev({ reason: 'FailedScheduling', namespace: '*' }).length, 2);
  t.equal(ev({ reason: 'NodeNotReady', namespace: 'kube-system' }).length, 1, 'cluster-scoped objects always pass');
  t.equal(ev({ object: 'Pod/pend*' })[0]!.occurrences, 4);
  t.equal(ev({ object: 'Node/pending' }).length, 0);
  t.equal(ev({ type: 'Warning' }).length, 1);
  t.equal(ev({ message: { $regex: '^0/3 nodes' } }).length, 1);
  t.equal(ev({ reason: { $in: ['NodeNotReady', 'FailedScheduling'] } }).length, 2);
});

t.test('terminating pods are targets', async (t) => {
  const w = world();
  const p = w.store.get('Pod', 'default', 'web-abc-1')!;
  p.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  t.ok(keys(w, pods()).includes('default/web-abc-1'));
});
