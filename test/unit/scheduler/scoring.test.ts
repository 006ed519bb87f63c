import t from 'tap';
import { leastRequestedScore, mostRequestedScore, strategyScore, defaultScoringStrategy } from '../../../src/sim/scheduler/plugins/node-resources-fit.js';
import { balancedResourceScore } from '../../../src/sim/scheduler/plugins/node-resources-balanced-allocation.js';
import { imageLocalityPriority } from '../../../src/sim/scheduler/plugins/image-locality.js';
import { defaultNormalizeScore } from '../../../src/sim/scheduler/framework.js';
import { harness, req } from './harness.js';

t.test('least allocated: differently sized nodes score 37 and 50 (least_allocated_test)', async (t) => {
  const st = defaultScoringStrategy();
  t.equal(strategyScore(st, [3000, 5000], [4000, 10000]), 37);
  t.equal(strategyScore(st, [3000, 5000], [6000, 10000]), 50);
  t.equal(leastRequestedScore(5000, 4000), 0);
  t.equal(mostRequestedScore(5000, 4000), 100);
});

t.test('balanced allocation: differently sized nodes score 87 and 100 (balanced_allocation_test)', async (t) => {
  t.equal(balancedResourceScore([3000, 5000], [4000, 10000]), 87);
  t.equal(balancedResourceScore([3000, 5000], [6000, 10000]), 100);
});

t.test('image locality clamps below 23 MiB to 0 and at the max to 100', async (t) => {
  t.equal(imageLocalityPriority(10 * 1024 * 1024, 1), 0);
  t.equal(imageLocalityPriority(2000 * 1024 * 1024, 1), 100);
});

t.test('taint toleration normalisation is reversed: fewest taints get 100', async (t) => {
  const s = Float64Array.of(0, 2, 1);
  defaultNormalizeScore(100, true, s);
  t.same([...s], [100, 0, 50]);
  const zero = Float64Array.of(0, 0);
  defaultNormalizeScore(100, true, zero);
  t.same([...zero], [100, 100], 'all zero: every node gets the maximum');
});

t.test('a PreferNoSchedule taint steers the pod away (weight 3)', async (t) => {
  const h = harness('1.37');
  h.node('tainted', { taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }] });
  h.node('clean');
  const p = h.pod('p', {});
  t.equal(p.spec.nodeName, 'clean');
  const a = h.sched.attempts('default/p')[0]!;
  const row = a.rows.find((r) => r.node === 'tainted')!;
  t.same(row.scores!.TaintToleration, { score: 0, weight: 3, weighted: 0 });
});

t.test('required pod anti-affinity spreads replicas and then blocks', async (t) => {
  const h = harness('1.37');
  h.node('n1');
  h.node('n2');
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'w' } }, topologyKey: 'kubernetes.io/hostname' }] } };
  const a = h.pod('a', { affinity: anti }, { labels: { app: 'w' } });
  const b = h.pod('b', { affinity: anti }, { labels: { app: 'w' } });
  h.pod('c', { affinity: anti }, { labels: { app: 'w' } });
  t.not(a.spec.nodeName, b.spec.nodeName);
  t.equal(h.events('FailedScheduling', 'c')[0],
    "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
});

t.test('a hard topology spread constraint rejects the skewed zone', async (t) => {
  const h = harness('1.37');
  h.node('a1', { labels: { 'topology.kubernetes.io/zone': 'a' } });
  h.node('b1', { labels: { 'topology.kubernetes.io/zone': 'b' } });
  const tsc = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } } }];
  h.pod('x', { nodeSelector: { 'topology.kubernetes.io/zone': 'a' } }, { labels: { app: 'w' } });
  const y = h.pod('y', { topologySpreadConstraints: tsc }, { labels: { app: 'w' } });
  t.equal(y.spec.nodeName, 'b1');
});

t.test('a high-priority pod preempts a low-priority one and binds when it is gone', async (t) => {
  const h = harness('1.37');
  h.ctx.store.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as any);
  h.node('n', { cpu: '1' });
  const low = h.pod('low', { containers: [req('800m')] });
  t.equal(low.spec.nodeName, 'n');
  const high = h.pod('high', { priorityClassName: 'high', containers: [req('800m')] });
  t.equal(high.status.nominatedNodeName, 'n');
  t.match(h.events('Preempted', 'low')[0], /^Preempted by pod .+ on node n$/);
  t.equal(h.events('FailedScheduling', 'high')[0],
    '0/1 nodes are available: 1 Insufficient cpu. preemption: found a potential placement for pod on node n, preempting 1 victims');
  const dt = low.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
  t.equal(dt.reason, 'PreemptionByScheduler');
  // The kubelet is not simulated here: finish the deletion by hand.
  h.ctx.store.remove(low);
  h.run(1000);
  t.equal(high.spec.nodeName, 'n');
});
