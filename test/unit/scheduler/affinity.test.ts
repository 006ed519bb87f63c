/**
 * Table tests after upstream's nodeaffinity/node_affinity_test.go and interpodaffinity/filtering_test.go,
 * scoring_test.go: which nodes pass, with which reason, and the normalised scores.
 */
import t from 'tap';
import { harness, rowsOf, scoresOf, failures } from './harness.js';
import type { KubeVersion } from '../../../src/sim/defaults.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const NA = "NodeAffinity: node(s) didn't match Pod's node affinity/selector";

function required(...terms: any[]): any {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
}

t.test('required node affinity and nodeSelector', async (t) => {
  const nodes: Record<string, Record<string, string>> = {
    n1: { zone: 'a', disk: 'ssd', gen: '5' },
    n2: { zone: 'b', disk: 'hdd', gen: '3' },
    n3: { zone: 'c' },
  };
  const cases: Array<{ name: string; spec: any; want: Record<string, string> }> = [
    { name: 'nodeSelector requires every pair', spec: { nodeSelector: { zone: 'a', disk: 'ssd' } }, want: { n1: 'ok', n2: NA, n3: NA } },
    { name: 'terms are ORed', spec: { affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }) }, want: { n1: 'ok', n2: 'ok', n3: NA } },
    { name: 'expressions within a term are ANDed', spec: { affinity: required({ matchExpressions: [
      { key: 'zone', operator: 'In', values: ['a', 'b'] }, { key: 'disk', operator: 'In', values: ['hdd'] }] }) }, want: { n1: NA, n2: 'ok', n3: NA } },
    { name: 'nodeSelector and required affinity must both hold', spec: { nodeSelector: { disk: 'ssd' },
      affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }) }, want: { n1: NA, n2: NA, n3: NA } },
    { name: 'NotIn matches nodes without the label', spec: { affinity: required({ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['ssd'] }] }) },
      want: { n1: NA, n2: 'ok', n3: 'ok' } },
    { name: 'DoesNotExist matches only nodes without the label', spec: { affinity: required({ matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] }) },
      want: { n1: NA, n2: NA, n3: 'ok' } },
    { name: 'Exists matches any value', spec: { affinity: required({ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }) },
      want: { n1: 'ok', n2: 'ok', n3: NA } },
    { name: 'Gt compares integers (5 > 4, 3 is not)', spec: { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }) },
      want: { n1: 'ok', n2: NA, n3: NA } },
    { name: 'Lt compares integers and fails without the label', spec: { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }) },
      want: { n1: NA, n2: 'ok', n3: NA } },
    { name: 'an empty term matches nothing, but another term still can', spec: { affinity: required({}, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['c'] }] }) },
      want: { n1: NA, n2: NA, n3: 'ok' } },
    { name: 'matchFields metadata.name NotIn filters by name', spec: { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }) },
      want: { n1: NA, n2: 'ok', n3: 'ok' } },
  ];
  for (const c of cases) {
    const h = harness('1.37');
    for (const [n, labels] of Object.entries(nodes)) h.node(n, { labels });
    h.pod('p', { ...c.spec, containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu: '4' } } }] });
    // The pod asks for the whole node so that a feasible node shows as 'ok' without scoring noise.
    t.same(rowsOf(h, 'p'), c.want, c.name);
  }
});

t.test('matchFields metadata.name In restricts nodes through a PreFilterResult (counted from 1.30)', async (t) => {
  const run = (v: KubeVersion) => {
    const h = harness(v);
    h.node('n1', { cpu: '1' });
    h.node('n2');
    h.node('n3');
    h.pod('p', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }),
      containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu: '2' } } }] });
    return failures(h, 'p')[0];
  };
  // 1.29: the two excluded nodes have no status, so preemption tries them too (nodesWherePreemptionMightHelp
  // reads a missing status as Success) and finds no victims there; the PostFilter text gets a second period.
  t.equal(run('1.29'), '0/3 nodes are available: 1 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..');
  t.equal(run('1.31'), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.");
});

t.test('preferred node affinity: sum of matching weights, best node = 100', async (t) => {
  const pref = (w: number, exprs: any[]) => ({ weight: w, preference: { matchExpressions: exprs } });
  const cases: Array<{ name: string; pref: any[]; want: Record<string, number> }> = [
    { name: 'no term matches: everyone 0', pref: [pref(5, [{ key: 'zone', operator: 'In', values: ['x'] }])], want: { n1: 0, n2: 0, n3: 0 } },
    { name: 'every node matching the only term gets 100', pref: [pref(5, [{ key: 'zone', operator: 'In', values: ['a'] }])], want: { n1: 100, n2: 100, n3: 0 } },
    { name: 'weights 2, 4 and 5 (both labels): 2/11, 11/11 and 4/11 of 100, truncated', pref: [
      pref(2, [{ key: 'zone', operator: 'In', values: ['a'] }]),
      pref(4, [{ key: 'disk', operator: 'In', values: ['ssd'] }]),
      pref(5, [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'In', values: ['ssd'] }]),
    ], want: { n1: 18, n2: 100, n3: 36 } },
  ];
  for (const c of cases) {
    const h = harness('1.37');
    h.node('n1', { labels: { zone: 'a' } });
    h.node('n2', { labels: { zone: 'a', disk: 'ssd' } });
    h.node('n3', { labels: { zone: 'b', disk: 'ssd' } });
    h.pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: c.pref } } });
    t.same(scoresOf(h, 'p', 'NodeAffinity'), c.want, c.name);
  }
});

t.test('preferred node affinity carries weight 2 in the total', async (t) => {
  const h = harness('1.37');
  h.node('n1', { labels: { zone: 'a' } });
  h.node('n2', { labels: { zone: 'b' } });
  h.pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } }] } } });
  const row = h.sched.attempts('default/p')[0]!.rows.find((r) => r.node === 'n2')!;
  t.same(row.scores!.NodeAffinity, { score: 100, weight: 2, weighted: 200 });
  t.equal(h.ctx.store.get('Pod', 'default', 'p')!.spec.nodeName, 'n2');
});

// ---------------------------------------------------------------- inter-pod affinity

const IPA = "InterPodAffinity: node(s) didn't match pod affinity rules";
const IPAA = "InterPodAffinity: node(s) didn't match pod anti-affinity rules";
const IPEX = "InterPodAffinity: node(s) didn't satisfy existing pods anti-affinity rules";
const term = (labels: Record<string, string>, topologyKey: string, extra: Record<string, any> = {}) => ({ labelSelector: { matchLabels: labels }, topologyKey, ...extra });

function zones(h: ReturnType<typeof harness>): void {
  h.node('a1', { labels: { [ZONE]: 'a' } });
  h.node('a2', { labels: { [ZONE]: 'a' } });
  h.node('b1', { labels: { [ZONE]: 'b' } });
}

t.test('inter-pod affinity filter', async (t) => {
  const cases: Array<{ name: string; existing: Array<{ node: string; labels?: Record<string, string>; spec?: any; ns?: string }>; labels?: Record<string, string>; spec: any; want: Record<string, string> }> = [
    { name: 'required affinity admits every node of the matching pod\'s zone',
      existing: [{ node: 'a1', labels: { app: 'db' } }], spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, ZONE)] } } },
      want: { a1: 'ok', a2: 'ok', b1: IPA } },
    { name: 'required affinity on hostname admits only the matching pod\'s node',
      existing: [{ node: 'b1', labels: { app: 'db' } }], spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, HOST)] } } },
      want: { a1: IPA, a2: IPA, b1: 'ok' } },
    { name: 'the first pod of a self-affine group may go anywhere when nothing matches',
      existing: [], labels: { app: 'web' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } } },
      want: { a1: 'ok', a2: 'ok', b1: 'ok' } },
    { name: 'a pod that does not match its own affinity term gets no first-pod exception',
      existing: [], labels: { app: 'web' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, ZONE)] } } },
      want: { a1: IPA, a2: IPA, b1: IPA } },
    { name: 'a term that only matches pods in another namespace does not count (namespaces default to the pod\'s own)',
      existing: [{ node: 'a1', labels: { app: 'db' }, ns: 'other' }], spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, ZONE)] } } },
      want: { a1: IPA, a2: IPA, b1: IPA } },
    { name: 'namespaces: [other] reaches the other namespace',
      existing: [{ node: 'a1', labels: { app: 'db' }, ns: 'other' }], spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, ZONE, { namespaces: ['other'] })] } } },
      want: { a1: 'ok', a2: 'ok', b1: IPA } },
    { name: 'an empty namespaceSelector reaches every namespace',
      existing: [{ node: 'b1', labels: { app: 'db' }, ns: 'other' }], spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, ZONE, { namespaceSelector: {} })] } } },
      want: { a1: IPA, a2: IPA, b1: 'ok' } },
    { name: 'a namespaceSelector matches namespace labels',
      existing: [{ node: 'b1', labels: { app: 'db' }, ns: 'other' }], spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, ZONE, { namespaceSelector: { matchLabels: { team: 'x' } } })] } } },
      want: { a1: IPA, a2: IPA, b1: 'ok' } },
    { name: 'required anti-affinity on zone rejects the whole zone',
      existing: [{ node: 'a1', labels: { app: 'web' } }], spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } } },
      want: { a1: IPAA, a2: IPAA, b1: 'ok' } },
    { name: 'existing pods\' required anti-affinity is symmetric',
      existing: [{ node: 'a1', labels: { app: 'db' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST)] } } } }],
      labels: { app: 'web' }, spec: {}, want: { a1: IPEX, a2: 'ok', b1: 'ok' } },
    { name: 'existing pods\' anti-affinity does not apply to pods it does not select',
      existing: [{ node: 'a1', labels: { app: 'db' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } } } }],
      labels: { app: 'api' }, spec: {}, want: { a1: 'ok', a2: 'ok', b1: 'ok' } },
    { name: 'a node without the topology key fails required affinity',
      existing: [{ node: 'a1', labels: { app: 'db' } }], spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, 'rack')] } } },
      want: { a1: IPA, a2: IPA, b1: IPA } },
  ];
  for (const c of cases) {
    const h = harness('1.37');
    h.ctx.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { 'kubernetes.io/metadata.name': 'other', team: 'x' } } });
    zones(h);
    c.existing.forEach((e, i) => h.pod(`e${i}`, { nodeName: e.node, ...(e.spec ?? {}) }, { labels: e.labels ?? {}, namespace: e.ns ?? 'default' }));
    h.pod('p', { ...c.spec, containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu: '4' } } }] }, { labels: c.labels ?? {} });
    const rows = rowsOf(h, 'p');
    // A feasible node shows 'ok' whether it won or not; scored rows are 'ok' too.
    t.same(rows, c.want, c.name);
  }
});

t.test('inter-pod affinity scoring', async (t) => {
  const pref = (w: number, labels: Record<string, string>, key = HOST) => ({ weight: w, podAffinityTerm: term(labels, key) });
  const cases: Array<{ name: string; existing: Array<{ node: string; labels: Record<string, string>; spec?: any }>; labels?: Record<string, string>; spec: any; hard?: number; want: Record<string, number> }> = [
    { name: 'preferred affinity 10 and anti-affinity 5 are min-max normalised: 10 -> 100, -5 -> 0, 0 -> 33',
      existing: [{ node: 'a1', labels: { app: 'db' } }, { node: 'a2', labels: { app: 'cache' } }],
      spec: { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(10, { app: 'db' })] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(5, { app: 'cache' })] } } },
      want: { a1: 100, a2: 0, b1: 33 } },
    { name: 'a zone-wide preferred term scores every node of the zone',
      existing: [{ node: 'a1', labels: { app: 'db' } }],
      spec: { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(10, { app: 'db' }, ZONE)] } } },
      want: { a1: 100, a2: 100, b1: 0 } },
    { name: 'existing pods\' required affinity attracts with hardPodAffinityWeight (default 1)',
      existing: [{ node: 'b1', labels: { app: 'db' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST)] } } } }],
      labels: { app: 'web' }, spec: {}, want: { a1: 0, a2: 0, b1: 100 } },
    { name: 'hardPodAffinityWeight 0 turns that off',
      existing: [{ node: 'b1', labels: { app: 'db' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST)] } } } }],
      labels: { app: 'web' }, spec: {}, hard: 0, want: { a1: 0, a2: 0, b1: 0 } },
    { name: 'existing pods\' preferred anti-affinity repels symmetric-wise',
      existing: [{ node: 'a1', labels: { app: 'db' }, spec: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(7, { app: 'web' })] } } } }],
      labels: { app: 'web' }, spec: {}, want: { a1: 0, a2: 100, b1: 100 } },
  ];
  for (const c of cases) {
    const cfg = c.hard !== undefined ? { pluginConfig: [{ name: 'InterPodAffinity', args: { hardPodAffinityWeight: c.hard } }] } : undefined;
    const h = harness('1.37', cfg);
    zones(h);
    c.existing.forEach((e, i) => h.pod(`e${i}`, { nodeName: e.node, ...(e.spec ?? {}) }, { labels: e.labels }));
    h.pod('p', c.spec, { labels: c.labels ?? {} });
    t.same(scoresOf(h, 'p', 'InterPodAffinity'), c.want, c.name);
  }
});
