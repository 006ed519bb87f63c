import t from 'tap';
import { cluster, cond } from './harness.js';
import type { KubeVersion } from '../../../src/sim/defaults.js';
import type { KObject } from '../../../src/k8s/types.js';

function ready(n: KObject): Record<string, unknown> | undefined {
  return (n.status?.conditions ?? []).find((c: Record<string, unknown>) => c.type === 'Ready');
}
function taintKeys(n: KObject): string[] {
  return (n.spec?.taints ?? []).map((x: { key: string; effect: string }) => `${x.key}:${x.effect}`);
}

t.test('a registered node posts Ready and the kubelet creates its Lease', async (tt) => {
  const c = cluster();
  c.runTo(0);
  const n = c.node('node-1');
  tt.same(n.status.conditions.map((x: Record<string, string>) => `${x.type}=${x.status}/${x.reason}`), [
    'MemoryPressure=False/KubeletHasSufficientMemory', 'DiskPressure=False/KubeletHasNoDiskPressure',
    'PIDPressure=False/KubeletHasSufficientPID', 'Ready=True/KubeletReady']);
  tt.equal(ready(n)?.message, 'kubelet is posting ready status');
  const lease = c.ctx.store.get('Lease', 'kube-node-lease', 'node-1')!;
  tt.equal(lease.spec.holderIdentity, 'node-1');
  tt.equal(lease.spec.leaseDurationSeconds, 40);
  c.runTo(20_000);
  tt.equal(lease.spec.renewTime, '2024-01-01T00:00:20.000000Z');
});

t.test('a deleted Lease is recreated at the next renewal and the new one is renewed (no stale Lease kept)', async (tt) => {
  const c = cluster();
  c.at(15_000, () => { c.ctx.api.delete(c.ctx.store.get('Lease', 'kube-node-lease', 'node-1')!, {}); });
  c.runTo(15_000);
  tt.notOk(c.ctx.store.get('Lease', 'kube-node-lease', 'node-1'));
  c.runTo(20_000);
  const lease = c.ctx.store.get('Lease', 'kube-node-lease', 'node-1')!;
  tt.ok(lease, 'recreated at 20s');
  tt.equal(lease.spec.renewTime, '2024-01-01T00:00:20.000000Z');
  c.runTo(50_000);
  tt.equal(c.ctx.store.get('Lease', 'kube-node-lease', 'node-1'), lease);
  tt.equal(lease.spec.renewTime, '2024-01-01T00:00:50.000000Z');
  c.runTo(200_000);
  // Following the deleted Lease, the controller would see no renewal after 10s and mark the node Unknown.
  tt.equal(ready(c.node('node-1'))?.status, 'True');
  tt.equal(ready(c.node('node-1'))?.lastTransitionTime, '2024-01-01T00:00:00Z', 'the controller follows the new Lease: Ready never left True');
});

// nodeDown at 60s: last renewal 50s; Unknown when now > 50s + grace on the 5s grid.
for (const [v, unknownAt, taintAt] of [
  ['1.29', 95_000, 100_000], ['1.31', 95_000, 100_000], ['1.32', 105_000, 110_000],
  ['1.33', 105_000, 110_000], ['1.34', 105_000, 105_000], ['1.37', 105_000, 105_000],
] as const) {
  t.test(`on ${v} a node down at 1m goes Unknown at ${unknownAt / 1000}s and is tainted at ${taintAt / 1000}s`, async (tt) => {
    const c = cluster({ version: v as KubeVersion, nodes: ['node-1', 'node-2'] });
    c.createPod({ metadata: { name: 'p' } });
    c.at(60_000, () => c.fleet.nodeDown('node-1'));
    c.runTo(unknownAt - 1);
    tt.equal(ready(c.node('node-1'))?.status, 'True');
    c.runTo(unknownAt);
    const r = ready(c.node('node-1'))!;
    tt.equal(r.status, 'Unknown');
    tt.equal(r.reason, 'NodeStatusUnknown');
    tt.equal(r.message, 'Kubelet stopped posting node status.');
    tt.equal(cond(c.pod('p'), 'Ready'), 'False');
    tt.equal(c.events('NodeNotReady', 'Node/node-1')[0]?.message, 'Node node-1 status is now: NodeNotReady');
    tt.equal(c.events('NodeNotReady', 'Pod/p')[0]?.message, 'Node is not ready');
    tt.ok(taintKeys(c.node('node-1')).includes('node.kubernetes.io/unreachable:NoSchedule'));
    c.runTo(taintAt - 1);
    if (taintAt > unknownAt) tt.notOk(taintKeys(c.node('node-1')).includes('node.kubernetes.io/unreachable:NoExecute'));
    c.runTo(taintAt);
    tt.ok(taintKeys(c.node('node-1')).includes('node.kubernetes.io/unreachable:NoExecute'));
    // default toleration 300s
    c.runTo(taintAt + 299_999);
    tt.notOk(c.pod('p')!.metadata.deletionTimestamp);
    c.runTo(taintAt + 300_000);
    tt.ok(c.pod('p')!.metadata.deletionTimestamp, 'evicted, stays Terminating on the down node');
    tt.same(c.events('TaintManagerEviction').map((e) => e.message), ['Marking for deletion Pod default/p']);
    tt.equal(cond(c.pod('p'), 'DisruptionTarget'), 'True');
  });
}

t.test('nodeUp lifts the taints, Ready goes True and a pending eviction is cancelled', async (tt) => {
  const c = cluster({ nodes: ['node-1', 'node-2'] });
  c.createPod({ metadata: { name: 'p' } });
  c.at(60_000, () => c.fleet.nodeDown('node-1'));
  c.at(200_000, () => c.fleet.nodeUp('node-1'));
  c.runTo(200_000);
  tt.equal(ready(c.node('node-1'))?.status, 'True');
  tt.same(taintKeys(c.node('node-1')), []);
  tt.same(c.events('NodeReady'), [{ first: 200_000, last: 200_000, count: 1, message: 'Node node-1 status is now: NodeReady', type: 'Normal' }],
    'the kubelet records NodeReady at its first status after the restart (Unknown -> True); none at registration');
  tt.same(c.events('Starting', 'Node/node-1').map((e) => [e.first, e.last, e.count]), [[0, 200_000, 2]], 'the kubelet starts again (folded)');
  tt.same(c.events('NodeHasSufficientMemory', 'Node/node-1').map((e) => [e.first, e.count]), [[0, 2]], 'Unknown -> False again: folded');
  tt.equal(c.events('TaintManagerEviction')[0]?.message, 'Cancelling deletion of Pod default/p');
  c.runTo(220_000);
  tt.equal(cond(c.pod('p'), 'Ready'), 'True');
  c.runTo(500_000);
  tt.notOk(c.pod('p')!.metadata.deletionTimestamp);
});

t.test('a pod without tolerations for NoExecute is evicted at once; tolerationSeconds 0 too', async (tt) => {
  const c = cluster({ nodes: ['node-1', 'node-2'] });
  c.createPod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }],
    tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }] } });
  c.at(10_000, () => {
    const n = c.node('node-1');
    n.spec.taints = [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }];
    c.ctx.store.update(n);
  });
  c.runTo(10_000);
  tt.notOk(c.pod('p'), 'deleted and gone (kubelet up, no stopAfter)');
});

t.test('a single-node cluster that goes down is fully disrupted: no NoExecute taint', async (tt) => {
  const c = cluster({ nodes: ['node-1'] });
  c.createPod({ metadata: { name: 'p' } });
  c.at(60_000, () => c.fleet.nodeDown('node-1'));
  c.runTo(200_000);
  tt.equal(ready(c.node('node-1'))?.status, 'Unknown');
  tt.notOk(taintKeys(c.node('node-1')).includes('node.kubernetes.io/unreachable:NoExecute'));
});

t.test('two nodes of one zone down at once are tainted 10s apart (eviction rate 0.1/s)', async (tt) => {
  const c = cluster({ nodes: ['a', 'b', 'c', 'd', 'e'] });
  c.at(60_000, () => { c.fleet.nodeDown('a'); c.fleet.nodeDown('b'); });
  c.runTo(105_000);
  tt.ok(taintKeys(c.node('a')).includes('node.kubernetes.io/unreachable:NoExecute'));
  tt.notOk(taintKeys(c.node('b')).includes('node.kubernetes.io/unreachable:NoExecute'));
  c.runTo(115_000);
  tt.ok(taintKeys(c.node('b')).includes('node.kubernetes.io/unreachable:NoExecute'));
});

t.test('nodes relabelled into another zone (labels edited in place, then written) count there for disruption', async (tt) => {
  const c = cluster({ nodes: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] });
  c.at(10_000, () => {
    for (const name of ['a', 'b', 'c', 'd']) {
      const n = c.node(name);
      n.metadata.labels['topology.kubernetes.io/zone'] = 'z2';
      c.ctx.store.update(n);
    }
  });
  c.at(60_000, () => { c.fleet.nodeDown('a'); c.fleet.nodeDown('b'); c.fleet.nodeDown('c'); });
  c.runTo(130_000);
  // z2: 3 of 4 nodes not ready -> PartialDisruption (small zone: no NoExecute tainting). Counted in the
  // unlabelled zone (3 of 7) it would be Normal and tainted.
  for (const name of ['a', 'b', 'c']) {
    tt.equal(ready(c.node(name))?.status, 'Unknown');
    tt.notOk(taintKeys(c.node(name)).includes('node.kubernetes.io/unreachable:NoExecute'), name);
  }
});

t.test('a cordoned node gets the unschedulable NoSchedule taint', async (tt) => {
  const c = cluster();
  c.at(5_000, () => { const n = c.node('node-1'); n.spec.unschedulable = true; c.ctx.store.update(n); });
  c.runTo(5_000);
  tt.same(taintKeys(c.node('node-1')), ['node.kubernetes.io/unschedulable:NoSchedule']);
});

t.test('PodGC force-deletes pods of a deleted node after the 40s quarantine', async (tt) => {
  const c = cluster({ nodes: ['node-1', 'node-2'] });
  c.createPod({ metadata: { name: 'p' } });
  c.at(30_000, () => { c.fleet.nodeDown('node-1'); c.ctx.api.delete(c.node('node-1'), {}); });
  c.runTo(79_999);
  tt.ok(c.pod('p'));
  c.runTo(80_000);
  tt.notOk(c.pod('p'), 'first seen at the 40s pass, deleted at the 80s pass');
});

t.test('node events: kubelet start and setters, RegisteredNode / RemovingNode, NodeNotSchedulable / NodeSchedulable', async (tt) => {
  const c = cluster({ nodes: ['node-1', 'node-2'] });
  c.at(60_000, () => { const n = c.node('node-2'); n.spec.unschedulable = true; c.ctx.store.update(n); });
  c.at(95_000, () => { const n = c.node('node-2'); n.spec.unschedulable = false; c.ctx.store.update(n); });
  c.at(120_000, () => { c.ctx.api.delete(c.node('node-2'), {}); });
  c.runTo(130_000);
  const at0 = (reason: string) => c.events(reason, 'Node/node-1').map((e) => [e.first, e.message]);
  tt.same(at0('Starting'), [[0, 'Starting kubelet.']]);
  tt.same(at0('NodeAllocatableEnforced'), [[0, 'Updated Node Allocatable limit across pods']]);
  tt.same(at0('NodeHasSufficientMemory'), [[0, 'Node node-1 status is now: NodeHasSufficientMemory']]);
  tt.same(at0('NodeHasNoDiskPressure'), [[0, 'Node node-1 status is now: NodeHasNoDiskPressure']]);
  tt.same(at0('NodeHasSufficientPID'), [[0, 'Node node-1 status is now: NodeHasSufficientPID']]);
  tt.same(at0('NodeReady'), [], 'a node Ready at its first status records no NodeReady');
  tt.same(at0('RegisteredNode'), [[0, 'Node node-1 event: Registered Node node-1 in Controller']]);
  tt.same(c.events('NodeNotSchedulable', 'Node/node-2').map((e) => [e.first, e.message]), [[60_000, 'Node node-2 status is now: NodeNotSchedulable']],
    'at the kubelet status sync after the cordon');
  tt.same(c.events('NodeSchedulable', 'Node/node-2').map((e) => e.first), [100_000]);
  tt.same(c.events('RemovingNode', 'Node/node-2').map((e) => [e.first, e.message]), [[120_000, 'Node node-2 event: Removing Node node-2 from Controller']]);
});

t.test('a large zone in PartialDisruption taints at the secondary rate (0.01/s); a small one not at all', async (tt) => {
  const names = Array.from({ length: 60 }, (_, i) => `n-${i + 1}`);
  const c = cluster({ nodes: names, version: '1.33' });
  c.at(60_000, () => { for (const n of names.slice(0, 40)) c.fleet.nodeDown(n); });
  c.runTo(400_000);
  // The swap at 1m45s (Normal -> PartialDisruption) finds a token left: the new bucket starts full, so the
  // first taint goes at once (1m50s, the 1.33 next-pass decision), then one per 100s.
  tt.same(c.times('node', /tainted node.kubernetes.io\/unreachable:NoExecute/), [110_000, 210_000, 310_000]);
  const small = cluster({ nodes: names.slice(0, 10), version: '1.33' });
  small.at(60_000, () => { for (const n of names.slice(0, 6)) small.fleet.nodeDown(n); });
  small.runTo(400_000);
  tt.same(small.times('node', /tainted node.kubernetes.io\/unreachable:NoExecute/), [], 'a zone of 10: no tainting while partially disrupted');
});

t.test('taint eviction also handles a pod already terminating; a fired eviction is not cancelled with an event', async (tt) => {
  const c = cluster({ nodes: ['node-1', 'node-2'] });
  c.createPod({ metadata: { name: 'slow' }, spec: { terminationGracePeriodSeconds: 3600, containers: [{ name: 'main', image: 'busybox:1.36' }] } });
  c.at(60_000, () => c.fleet.nodeDown('node-1'));
  c.at(90_000, () => { c.ctx.api.delete(c.pod('slow')!, {}); });
  c.at(452_000, () => c.fleet.nodeUp('node-1'));
  c.runTo(410_000);
  tt.equal(cond(c.pod('slow'), 'DisruptionTarget'), 'True', 'DisruptionTarget added to the terminating pod');
  c.runTo(460_000);
  // 1.37: Unknown and the NoExecute taint at 1m45s; the 300s default toleration runs out at 6m45s.
  tt.same(c.events('TaintManagerEviction').map((e) => [e.first, e.message]), [[405_000, 'Marking for deletion Pod default/slow']],
    'no Cancelling deletion when the taint goes after the eviction ran');
});
