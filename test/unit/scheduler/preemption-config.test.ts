/**
 * Preemption after upstream's defaultpreemption/default_preemption_test.go (victim selection, node choice,
 * texts) and the profile merge rules of kube-scheduler's configuration (docs: reference/scheduling/config,
 * "multiPoint"; k/k apis/config/v1/default_plugins.go mergePluginSet; runtime/framework.go
 * expandMultiPointPlugins and getScoreWeights).
 */
import t from 'tap';
import { harness, req, failures } from './harness.js';
import { DefaultPreemption, type Candidate } from '../../../src/sim/scheduler/plugins/default-preemption.js';
import { resolveProfile } from '../../../src/sim/scheduler/config.js';
import { defaultsFor, type KubeVersion } from '../../../src/sim/defaults.js';

function priorityClasses(h: ReturnType<typeof harness>): void {
  for (const [name, value] of [['p1', 1], ['p2', 2], ['p10', 10], ['p40', 40], ['p45', 45], ['p50', 50], ['p100', 100], ['high', 1000]] as const) {
    h.ctx.store.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value } as any);
  }
}

function pdb(h: ReturnType<typeof harness>, name: string, labels: Record<string, string>, allowed: number): void {
  h.ctx.store.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: labels }, maxUnavailable: 0 }, status: { disruptionsAllowed: allowed } } as any);
}

t.test('pickOneNodeForPreemption criteria, in order', async (t) => {
  const d = defaultsFor('1.37');
  const starts = new Map<string, number>();
  const host: any = { startTime: (p: any) => starts.get(p.uid) ?? 0 };
  const pre = new DefaultPreemption(d, host);
  const v = (uid: string, priority: number, start = 0): any => {
    starts.set(uid, start);
    return { uid, priority };
  };
  const cand = (node: string, victims: any[], numPDBViolations = 0): Candidate => ({ node, victims, numPDBViolations });
  const cases: Array<{ name: string; cands: Candidate[]; want: string }> = [
    { name: 'fewest PDB violations first, even with more important victims', cands: [cand('a', [v('a1', 1)], 1), cand('b', [v('b1', 100)], 0)], want: 'b' },
    { name: 'then the lowest highest-priority victim', cands: [cand('a', [v('a1', 50), v('a2', 1)]), cand('b', [v('b1', 40), v('b2', 40)])], want: 'b' },
    { name: 'then the smallest priority sum', cands: [cand('a', [v('a1', 10), v('a2', 10)]), cand('b', [v('b1', 10), v('b2', 2)])], want: 'b' },
    { name: 'then the fewest victims', cands: [cand('a', [v('a1', 10), v('a2', 0), v('a3', 0)]), cand('b', [v('b1', 10), v('b2', 0)])], want: 'b' },
    { name: 'then the latest start among the highest-priority victims', cands: [cand('a', [v('s-a1', 10, 1000)]), cand('b', [v('s-b1', 10, 5000)])], want: 'b' },
    { name: 'a full tie keeps the first candidate', cands: [cand('a', [v('t-a1', 10, 7)]), cand('b', [v('t-b1', 10, 7)])], want: 'a' },
  ];
  for (const c of cases) t.equal(pre.pickOne(c.cands).node, c.want, c.name);
});

t.test('preemption picks the node whose victims matter least', async (t) => {
  const h = harness('1.37');
  priorityClasses(h);
  h.node('n1', { cpu: '1' });
  h.node('n2', { cpu: '1' });
  h.pod('v100', { nodeName: 'n1', priorityClassName: 'p100', containers: [req('800m')] });
  h.pod('v10', { nodeName: 'n2', priorityClassName: 'p10', containers: [req('800m')] });
  const p = h.pod('p', { priorityClassName: 'high', containers: [req('800m')] });
  t.equal(p.status.nominatedNodeName, 'n2');
  t.equal(h.events('Preempted', 'v10').length, 1);
  t.equal(h.events('Preempted', 'v100').length, 0);
});

t.test('a PodDisruptionBudget steers preemption to the other node', async (t) => {
  const h = harness('1.37');
  priorityClasses(h);
  h.node('n1', { cpu: '1' });
  h.node('n2', { cpu: '1' });
  h.pod('v10', { nodeName: 'n1', priorityClassName: 'p10', containers: [req('800m')] }, { labels: { app: 'guarded' } });
  h.pod('v100', { nodeName: 'n2', priorityClassName: 'p100', containers: [req('800m')] });
  pdb(h, 'guard', { app: 'guarded' }, 0);
  const p = h.pod('p', { priorityClassName: 'high', containers: [req('800m')] });
  t.equal(p.status.nominatedNodeName, 'n2', 'no PDB violation beats a lower victim priority');
});

t.test('victims are re-sorted after the PDB split, so the highest victim priority compares correctly', async (t) => {
  const h = harness('1.37');
  priorityClasses(h);
  h.node('n1', { cpu: '2' });
  h.node('n2', { cpu: '2' });
  // Both nodes lose two pods, one of them PDB-protected (one violation each).
  h.pod('a-guarded', { nodeName: 'n1', priorityClassName: 'p1', containers: [req('1')] }, { labels: { app: 'g' } });
  h.pod('a-free', { nodeName: 'n1', priorityClassName: 'p50', containers: [req('1')] });
  h.pod('b-guarded', { nodeName: 'n2', priorityClassName: 'p45', containers: [req('1')] }, { labels: { app: 'g' } });
  h.pod('b-free', { nodeName: 'n2', priorityClassName: 'p2', containers: [req('1')] });
  pdb(h, 'guard', { app: 'g' }, 0);
  const p = h.pod('p', { priorityClassName: 'high', containers: [req('2')] });
  // Highest victim: n1 50, n2 45 -> n2.
  t.equal(p.status.nominatedNodeName, 'n2');
});

t.test('reprieve keeps the more important pod when one eviction is enough', async (t) => {
  const h = harness('1.37');
  priorityClasses(h);
  h.node('n', { cpu: '2' });
  h.pod('low', { nodeName: 'n', priorityClassName: 'p1', containers: [req('1')] });
  h.pod('mid', { nodeName: 'n', priorityClassName: 'p50', containers: [req('1')] });
  h.pod('p', { priorityClassName: 'high', containers: [req('1')] });
  t.equal(h.events('Preempted', 'low').length, 1);
  t.equal(h.events('Preempted', 'mid').length, 0);
});

t.test('pods of equal or higher priority are never victims', async (t) => {
  const h = harness('1.37');
  priorityClasses(h);
  h.node('n', { cpu: '1' });
  h.pod('same', { nodeName: 'n', priorityClassName: 'p10', containers: [req('800m')] });
  h.pod('p', { priorityClassName: 'p10', containers: [req('800m')] });
  t.equal(failures(h, 'p')[0], '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
});

t.test('preemptionPolicy Never texts by version', async (t) => {
  const run = (v: KubeVersion) => {
    const h = harness(v);
    priorityClasses(h);
    h.node('n', { cpu: '1' });
    h.pod('low', { nodeName: 'n', priorityClassName: 'p1', containers: [req('800m')] });
    h.pod('p', { priorityClassName: 'high', preemptionPolicy: 'Never', containers: [req('800m')] });
    t.equal(h.events('Preempted', 'low').length, 0, `${v}: nobody is preempted`);
    return failures(h, 'p')[0];
  };
  const base = '0/1 nodes are available: 1 Insufficient cpu.';
  // 1.29: FitError.Error() appends every PostFilter message as " %v." (SeparatorFormat): a second period.
  t.equal(run('1.29'), `${base} preemption: not eligible due to preemptionPolicy=Never..`);
  t.equal(run('1.30'), `${base} preemption: not eligible due to preemptionPolicy=Never.`);
  t.equal(run('1.34'), `${base} no new claims to deallocate, preemption: not eligible due to preemptionPolicy=Never.`);
  t.equal(run('1.37'), `${base} preemption: not eligible due to preemptionPolicy=Never.`);
});

t.test('successful preemption: no text up to 1.36, the placement text on 1.37', async (t) => {
  for (const [v, want] of [
    ['1.29', '0/1 nodes are available: 1 Insufficient cpu.'],
    ['1.36', '0/1 nodes are available: 1 Insufficient cpu.'],
    ['1.37', '0/1 nodes are available: 1 Insufficient cpu. preemption: found a potential placement for pod on node n, preempting 1 victims'],
  ] as const) {
    const h = harness(v);
    priorityClasses(h);
    h.node('n', { cpu: '1' });
    h.pod('low', { nodeName: 'n', priorityClassName: 'p1', containers: [req('800m')] });
    h.pod('p', { priorityClassName: 'high', containers: [req('800m')] });
    t.equal(failures(h, 'p')[0], want, v);
  }
});

// ---------------------------------------------------------------- configuration merge

t.test('scheduler configuration merge rules', async (t) => {
  const d = defaultsFor('1.37');
  const def = resolveProfile(d, undefined);
  t.same(def.points.filter, ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit',
    'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity', 'DynamicResources'],
  'the default filter order (1.37, DynamicResources in the profile)');
  t.same(def.points.score, ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity',
    'NodeResourcesBalancedAllocation', 'ImageLocality'], 'the default score plugins (VolumeBinding scores nothing without storage capacity)');
  t.same([def.weights.TaintToleration, def.weights.NodeAffinity, def.weights.NodeResourcesFit, def.weights.PodTopologySpread,
    def.weights.InterPodAffinity, def.weights.NodeResourcesBalancedAllocation, def.weights.ImageLocality], [3, 2, 1, 2, 2, 1, 1], 'default weights');

  const v129 = resolveProfile(defaultsFor('1.29'), undefined);
  t.same(v129.points.filter.filter((n) => /Limits/.test(n)), ['EBSLimits', 'GCEPDLimits', 'NodeVolumeLimits', 'AzureDiskLimits'], '1.29 keeps the in-tree volume limit plugins');
  t.notOk(v129.points.filter.includes('DynamicResources'), 'no DynamicResources before 1.34');

  const mpOff = resolveProfile(d, { plugins: { multiPoint: { disabled: [{ name: 'ImageLocality' }, { name: 'TaintToleration' }] } } });
  t.notOk(mpOff.points.score.includes('ImageLocality'), 'multiPoint disabled removes a plugin from score');
  t.notOk(mpOff.points.filter.includes('TaintToleration'), 'multiPoint disabled removes a plugin from every point');

  const scoreOff = resolveProfile(d, { plugins: { score: { disabled: [{ name: 'TaintToleration' }] } } });
  t.ok(scoreOff.points.filter.includes('TaintToleration'), 'disabling at score keeps the filter');
  t.notOk(scoreOff.points.score.includes('TaintToleration'), 'and drops the score');

  const allScoreOff = resolveProfile(d, { plugins: { score: { disabled: [{ name: '*' }] } } });
  t.same(allScoreOff.points.score, [], "'*' disables every score plugin");
  t.equal(allScoreOff.points.filter.length, def.points.filter.length, "'*' at score leaves filters alone");

  const onlyFit = resolveProfile(d, { plugins: { score: { disabled: [{ name: '*' }], enabled: [{ name: 'NodeResourcesFit', weight: 5 }] } } });
  t.same(onlyFit.points.score, ['NodeResourcesFit'], "'*' then enabled keeps only the listed plugin");
  t.equal(onlyFit.weights.NodeResourcesFit, 5, 'with its weight');

  const reweigh = resolveProfile(d, { plugins: { score: { enabled: [{ name: 'ImageLocality', weight: 10 }] } } });
  t.equal(reweigh.weights.ImageLocality, 10, 'a score entry changes the weight');
  t.equal(reweigh.points.score.filter((n) => n === 'ImageLocality').length, 1, 'without duplicating the plugin');
  t.equal(reweigh.points.score[0], 'ImageLocality', 'a plugin re-enabled at a point runs first there (expandMultiPointPlugins)');

  const noWeight = resolveProfile(d, { plugins: { score: { enabled: [{ name: 'TaintToleration' }] } } });
  t.equal(noWeight.weights.TaintToleration, 1, 'a score entry without weight counts 1, not the default 3');

  const mpWeight = resolveProfile(d, { plugins: { multiPoint: { enabled: [{ name: 'NodeAffinity', weight: 7 }] } } });
  t.equal(mpWeight.weights.NodeAffinity, 7, 'a multiPoint entry replaces the default weight');
  t.equal(mpWeight.points.filter.indexOf('NodeAffinity'), def.points.filter.indexOf('NodeAffinity'), 'and keeps the default position');

  const both = resolveProfile(d, { plugins: { multiPoint: { enabled: [{ name: 'NodeAffinity', weight: 7 }] }, score: { enabled: [{ name: 'NodeAffinity', weight: 4 }] } } });
  t.equal(both.weights.NodeAffinity, 4, 'the score point weight takes precedence over multiPoint');

  const fitFirst = resolveProfile(d, { plugins: { filter: { enabled: [{ name: 'NodeResourcesFit' }] } } });
  t.equal(fitFirst.points.filter[0], 'NodeResourcesFit', 'a filter re-enabled at the filter point runs first');

  const mpAll = resolveProfile(d, { plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'PrioritySort' }, { name: 'NodeResourcesFit' }, { name: 'DefaultBinder' }] } } });
  t.same(mpAll.points.filter, ['NodeResourcesFit'], "multiPoint '*' drops every default");
  t.same(mpAll.points.bind, ['DefaultBinder']);

  const profiles = resolveProfile(d, { profiles: [{ schedulerName: 'default-scheduler', plugins: { score: { disabled: [{ name: 'ImageLocality' }] } },
    pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }] }], podMaxBackoffSeconds: 3 });
  t.notOk(profiles.points.score.includes('ImageLocality'), 'a one-entry profiles: list is read like the top level');
  t.equal(profiles.args.NodeResourcesFit!.scoringStrategy.type, 'MostAllocated', 'pluginConfig args by plugin name');
  t.equal(profiles.podMaxBackoff, 3000, 'backoff seconds in ms');
});

t.test('a disabled score plugin leaves the explain rows, a weight change the totals', async (t) => {
  const h = harness('1.37', { plugins: { score: { disabled: [{ name: 'ImageLocality' }], enabled: [{ name: 'TaintToleration', weight: 10 }] } } });
  h.node('a', { taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }] });
  h.node('b');
  h.pod('p', {});
  const rows = h.sched.attempts('default/p')[0]!.rows;
  t.notOk(rows.some((r) => r.scores && 'ImageLocality' in r.scores), 'ImageLocality is not scored');
  t.same(rows.find((r) => r.node === 'b')!.scores!.TaintToleration, { score: 100, weight: 10, weighted: 1000 });
});

t.test('MostAllocated bin-packs onto the fuller node', async (t) => {
  const h = harness('1.37', { pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }] });
  h.node('a', { cpu: '4', memory: '4Gi' });
  h.node('b', { cpu: '4', memory: '4Gi' });
  h.pod('first', { nodeName: 'a', containers: [req('2', '2Gi')] });
  const p = h.pod('p', { containers: [req('1', '1Gi')] });
  t.equal(p.spec.nodeName, 'a');
});
