/**
 * Table tests after upstream's taint_toleration_test.go and fit_test.go / least_allocated_test.go /
 * most_allocated_test.go / requested_to_capacity_ratio_test.go (cases restated, numbers checked against
 * the upstream tables and comments).
 */
import t from 'tap';
import { harness, req, reqs, scoresOf, rowsOf, failures } from './harness.js';
import { strategyScore, defaultScoringStrategy, type ScoringStrategy } from '../../../src/sim/scheduler/plugins/node-resources-fit.js';

const NS = (key: string, value: string | undefined, effect: string) => ({ key, ...(value !== undefined ? { value } : {}), effect });

t.test('taint toleration filter', async (t) => {
  const cases: Array<{ name: string; taints: any[]; tolerations: any[]; want: string }> = [
    { name: 'a node without taints admits a pod without tolerations', taints: [], tolerations: [], want: 'ok' },
    { name: 'an untolerated NoSchedule taint rejects the pod', taints: [NS('dedicated', 'user1', 'NoSchedule')], tolerations: [],
      want: 'TaintToleration: node(s) had untolerated taint {dedicated: user1}' },
    { name: 'an Equal toleration with the same key, value and effect admits the pod', taints: [NS('dedicated', 'user1', 'NoSchedule')],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user1', effect: 'NoSchedule' }], want: 'ok' },
    { name: 'an Equal toleration with another value does not', taints: [NS('dedicated', 'user1', 'NoSchedule')],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
      want: 'TaintToleration: node(s) had untolerated taint {dedicated: user1}' },
    { name: 'an Exists toleration ignores the value', taints: [NS('foo', 'bar', 'NoSchedule')],
      tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }], want: 'ok' },
    { name: 'a toleration with an empty effect matches every effect', taints: [NS('foo', 'bar', 'NoExecute')],
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar' }], want: 'ok' },
    { name: 'a toleration for NoSchedule does not tolerate NoExecute', taints: [NS('foo', 'bar', 'NoExecute')],
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }],
      want: 'TaintToleration: node(s) had untolerated taint {foo: bar}' },
    { name: 'an empty key with Exists tolerates every taint', taints: [NS('a', 'b', 'NoSchedule'), NS('c', 'd', 'NoExecute')],
      tolerations: [{ operator: 'Exists' }], want: 'ok' },
    { name: 'PreferNoSchedule never filters', taints: [NS('foo', 'bar', 'PreferNoSchedule')], tolerations: [], want: 'ok' },
    { name: 'the reason names the first untolerated taint in node order', taints: [NS('a', 'x', 'NoSchedule'), NS('b', 'y', 'NoSchedule')],
      tolerations: [{ key: 'a', operator: 'Exists' }], want: 'TaintToleration: node(s) had untolerated taint {b: y}' },
    { name: 'an empty taint value prints as {key: }', taints: [NS('gpu', undefined, 'NoSchedule')], tolerations: [],
      want: 'TaintToleration: node(s) had untolerated taint {gpu: }' },
  ];
  for (const c of cases) {
    const h = harness('1.34');
    h.node('n', { taints: c.taints });
    h.pod('p', { tolerations: c.tolerations });
    t.equal(rowsOf(h, 'p').n, c.want, c.name);
  }
});

t.test('the taint reason reads "untolerated taint(s)" from 1.35', async (t) => {
  for (const [v, want] of [['1.34', '{k: v}'], ['1.35', '(s)'], ['1.37', '(s)']] as const) {
    const h = harness(v);
    h.node('n', { taints: [NS('k', 'v', 'NoSchedule')] });
    h.pod('p', {});
    t.equal(rowsOf(h, 'p').n, `TaintToleration: node(s) had untolerated taint${want === '(s)' ? '(s)' : ' ' + want}`, v);
  }
});

t.test('taint toleration score counts untolerated PreferNoSchedule taints, fewest = 100', async (t) => {
  const cases: Array<{ name: string; tolerations: any[]; nodes: Record<string, any[]>; want: Record<string, number> }> = [
    {
      name: 'a tolerated PreferNoSchedule taint costs nothing, an untolerated one costs everything',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      nodes: { a: [], b: [NS('foo', 'bar', 'PreferNoSchedule')], c: [NS('foo', 'blah', 'PreferNoSchedule')] },
      want: { a: 100, b: 100, c: 0 },
    },
    {
      name: 'the more untolerated taints a node has, the lower its score',
      tolerations: [],
      nodes: { a: [], b: [NS('k1', 'v', 'PreferNoSchedule')], c: [NS('k1', 'v', 'PreferNoSchedule'), NS('k2', 'v', 'PreferNoSchedule')] },
      want: { a: 100, b: 50, c: 0 },
    },
    {
      name: 'NoSchedule taints the pod tolerates do not lower the score',
      tolerations: [{ key: 'cpu', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }],
      nodes: { a: [], b: [NS('cpu', 'arm64', 'NoSchedule')], c: [NS('k', 'v', 'PreferNoSchedule')] },
      want: { a: 100, b: 100, c: 0 },
    },
    {
      name: 'a NoSchedule-only toleration does not tolerate a PreferNoSchedule taint',
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
      nodes: { a: [], b: [NS('k', 'v', 'PreferNoSchedule')] },
      want: { a: 100, b: 0 },
    },
    {
      name: 'no node has an untolerated taint: every node scores 100',
      tolerations: [],
      nodes: { a: [], b: [] },
      want: { a: 100, b: 100 },
    },
  ];
  for (const c of cases) {
    const h = harness('1.37');
    for (const [n, taints] of Object.entries(c.nodes)) h.node(n, { taints });
    h.pod('p', { tolerations: c.tolerations });
    t.same(scoresOf(h, 'p', 'TaintToleration'), c.want, c.name);
  }
});

t.test('resource fit filter reasons', async (t) => {
  const cases: Array<{ name: string; node?: Record<string, any>; existing?: Array<Record<string, any>>; pod: Record<string, any>; want: string; v?: '1.31' | '1.37' }> = [
    { name: 'a pod without requests fits an empty node', pod: {}, want: 'ok' },
    { name: 'a pod without requests is still counted against allocatable pods', node: { pods: 1 }, existing: [{}], pod: {},
      want: 'NodeResourcesFit: Too many pods' },
    { name: 'too many pods and insufficient cpu are both reported', node: { pods: 1, cpu: '1' }, existing: [{ containers: [req('600m')] }],
      pod: { containers: [req('600m')] }, want: 'NodeResourcesFit: Too many pods, Insufficient cpu' },
    { name: 'cpu and memory shortfalls are one reason each, cpu first', node: { cpu: '1', memory: '1Gi' },
      pod: { containers: [req('2', '2Gi')] }, want: 'NodeResourcesFit: Insufficient cpu, Insufficient memory' },
    { name: 'requests are summed over app containers', node: { cpu: '1' }, pod: { containers: [req('600m'), { ...req('600m'), name: 'd' }] },
      want: 'NodeResourcesFit: Insufficient cpu' },
    { name: 'an init container counts as its own maximum, not added to the app sum (fits)', node: { cpu: '2' },
      pod: { initContainers: [{ ...req('2'), name: 'i' }], containers: [req('1')] }, want: 'ok' },
    { name: 'an init container larger than the node rejects the pod', node: { cpu: '2' },
      pod: { initContainers: [{ ...req('3'), name: 'i' }], containers: [req('1')] }, want: 'NodeResourcesFit: Insufficient cpu' },
    { name: 'a sidecar (restartPolicy Always) adds to the app containers', node: { cpu: '2' },
      pod: { initContainers: [{ ...req('1'), name: 's', restartPolicy: 'Always' }], containers: [req('1500m')] },
      want: 'NodeResourcesFit: Insufficient cpu' },
    { name: 'an init container after a sidecar needs the sidecar too', node: { cpu: '2' },
      pod: { initContainers: [{ ...req('1'), name: 's', restartPolicy: 'Always' }, { ...req('1500m'), name: 'i' }], containers: [req('100m')] },
      want: 'NodeResourcesFit: Insufficient cpu' },
    { name: 'pod overhead is added to the requests', node: { cpu: '1' },
      pod: { overhead: { cpu: '500m' }, containers: [req('600m')] }, want: 'NodeResourcesFit: Insufficient cpu' },
    { name: 'an extended resource the node lacks is insufficient', pod: { containers: [reqs({ 'example.com/dongle': '1' })] },
      want: 'NodeResourcesFit: Insufficient example.com/dongle' },
    { name: 'an extended resource within allocatable fits', node: { extra: { 'example.com/dongle': '2' } },
      pod: { containers: [reqs({ 'example.com/dongle': '2' })] }, want: 'ok' },
    { name: 'extended resources used by existing pods are subtracted', node: { extra: { 'example.com/dongle': '2' } },
      existing: [{ containers: [reqs({ 'example.com/dongle': '1' })] }], pod: { containers: [reqs({ 'example.com/dongle': '2' })] },
      want: 'NodeResourcesFit: Insufficient example.com/dongle' },
  ];
  for (const c of cases) {
    const h = harness(c.v ?? '1.37');
    h.node('n', c.node ?? {});
    (c.existing ?? []).forEach((e, i) => h.pod(`e${i}`, { nodeName: 'n', ...e }));
    h.pod('p', c.pod);
    t.equal(rowsOf(h, 'p').n, c.want, c.name);
  }
});

t.test('a request above the node total is unresolvable from 1.34, so preemption is not helpful', async (t) => {
  for (const [v, tail] of [['1.33', '1 No preemption victims found for incoming pod.'], ['1.34', '1 Preemption is not helpful for scheduling.']] as const) {
    const h = harness(v);
    h.node('n', { cpu: '2' });
    h.pod('p', { containers: [req('3')] });
    t.match(failures(h, 'p')[0], new RegExp(`^0/1 nodes are available: 1 Insufficient cpu\\. .*preemption: 0/1 nodes are available: ${tail.replace(/\./g, '\\.')}$`), v);
  }
  // Too many pods is never unresolvable: a lower-priority pod can make room.
  const h = harness('1.37');
  h.node('n', { pods: 1 });
  h.pod('e', { nodeName: 'n' });
  h.pod('p', {});
  t.equal(failures(h, 'p')[0], '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
});

// Vectors are [cpu millicores, memory bytes] as in the upstream tables.
const LEAST: Array<{ name: string; req: [number, number][]; alloc: [number, number][]; want: number[]; st?: ScoringStrategy }> = [
  { name: 'nothing scheduled, nothing requested (non-zero defaults aside)', req: [[0, 0], [0, 0]], alloc: [[4000, 10000], [4000, 10000]], want: [100, 100] },
  { name: 'nothing scheduled, differently sized nodes', req: [[3000, 5000], [3000, 5000]], alloc: [[4000, 10000], [6000, 10000]], want: [37, 50] },
  { name: 'no resources requested, pods scheduled with resources', req: [[6000, 0], [6000, 5000]], alloc: [[10000, 20000], [10000, 20000]], want: [70, 57] },
  { name: 'resources requested, pods scheduled with resources', req: [[6000, 5000], [6000, 10000]], alloc: [[10000, 20000], [10000, 20000]], want: [57, 45] },
  { name: 'differently sized nodes with pods', req: [[6000, 5000], [6000, 10000]], alloc: [[10000, 20000], [10000, 50000]], want: [57, 60] },
  { name: 'a request above capacity scores that resource 0', req: [[6000, 0], [6000, 5000]], alloc: [[4000, 10000], [4000, 10000]], want: [50, 25] },
  { name: 'weights memory 2 cpu 1', req: [[3000, 5000], [3000, 5000]], alloc: [[4000, 10000], [6000, 10000]], want: [41, 50],
    st: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 2 }] } },
];

t.test('least allocated scoring (least_allocated_test)', async (t) => {
  for (const c of LEAST) {
    const st = c.st ?? defaultScoringStrategy();
    t.same(c.req.map((r, i) => strategyScore(st, r, c.alloc[i]!)), c.want, c.name);
  }
});

t.test('most allocated scoring (most_allocated_test)', async (t) => {
  const st: ScoringStrategy = { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] };
  const cases: Array<{ name: string; req: [number, number][]; alloc: [number, number][]; want: number[] }> = [
    { name: 'nothing requested scores 0', req: [[0, 0], [0, 0]], alloc: [[4000, 10000], [4000, 10000]], want: [0, 0] },
    { name: 'differently sized nodes: (75+50)/2 and (50+50)/2', req: [[3000, 5000], [3000, 5000]], alloc: [[4000, 10000], [6000, 10000]], want: [62, 50] },
    { name: 'pods scheduled with resources', req: [[6000, 5000], [6000, 10000]], alloc: [[10000, 20000], [10000, 20000]], want: [42, 55] },
    { name: 'a request above capacity is capped at 100', req: [[5000, 5000], [5000, 5000]], alloc: [[4000, 10000], [4000, 10000]], want: [75, 75] },
  ];
  for (const c of cases) t.same(c.req.map((r, i) => strategyScore(st, r, c.alloc[i]!)), c.want, c.name);
});

t.test('requested to capacity ratio scoring (requested_to_capacity_ratio_test)', async (t) => {
  const res = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
  const leastLike: ScoringStrategy = { type: 'RequestedToCapacityRatio', resources: res, shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] };
  const mostLike: ScoringStrategy = { type: 'RequestedToCapacityRatio', resources: res, shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] };
  // 3000/4000 = 75% -> 25, 5000/10000 = 50% -> 50; mean 37.5 rounds to 38 (math.Round, unlike the other strategies).
  t.equal(strategyScore(leastLike, [3000, 5000], [4000, 10000]), 38, 'least-like shape rounds half up');
  t.equal(strategyScore(leastLike, [3000, 5000], [6000, 10000]), 50, 'least-like shape, bigger node');
  t.equal(strategyScore(mostLike, [3000, 5000], [4000, 10000]), 63, 'most-like shape: (75+50)/2 = 62.5 -> 63');
  t.equal(strategyScore(mostLike, [0, 0], [4000, 10000]), 0, 'a resource scoring 0 is left out of the mean');
  const bins: ScoringStrategy = { type: 'RequestedToCapacityRatio', resources: res,
    shape: [{ utilization: 0, score: 0 }, { utilization: 50, score: 10 }, { utilization: 100, score: 0 }] };
  t.equal(strategyScore(bins, [2000, 5000], [4000, 10000]), 100, 'peak of a broken-linear shape');
  t.equal(strategyScore(bins, [1000, 7500], [4000, 10000]), 50, 'interpolated on both segments');
});

t.test('least allocated end to end: a pod without requests counts 100m / 200Mi', async (t) => {
  const h = harness('1.37');
  h.node('a', { cpu: '1', memory: '1000Mi' });
  h.node('b', { cpu: '2', memory: '1000Mi' });
  h.pod('p', {});
  // a: cpu (1000-100)*100/1000 = 90, mem (1000-200)*100/1000 = 80 -> 85; b: 95, 80 -> 87.
  t.same(scoresOf(h, 'p', 'NodeResourcesFit'), { a: 85, b: 87 });
});
