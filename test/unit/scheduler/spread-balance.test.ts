/**
 * Table tests after upstream's podtopologyspread/filtering_test.go and scoring_test.go,
 * noderesources/balanced_allocation_test.go and imagelocality/image_locality_test.go.
 */
import t from 'tap';
import { harness, req, rowsOf, scoresOf } from './harness.js';
import { balancedResourceScore } from '../../../src/sim/scheduler/plugins/node-resources-balanced-allocation.js';
import { imageLocalityPriority } from '../../../src/sim/scheduler/plugins/image-locality.js';
import type { KubeVersion } from '../../../src/sim/defaults.js';

const ZONE = 'topology.kubernetes.io/zone';
const SKEW = "PodTopologySpread: node(s) didn't match pod topology spread constraints";
const MISSING = SKEW + ' (missing required label)';

function tsc(extra: Record<string, any> = {}): any {
  return { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } }, ...extra };
}

t.test('topology spread filter', async (t) => {
  const cases: Array<{
    name: string; nodes: Record<string, { zone?: string; taint?: boolean }>; existing: Record<string, number>; c: any; spec?: any;
    labels?: Record<string, string>; want: Record<string, string>;
  }> = [
    { name: 'maxSkew 1: the zone with two more pods is rejected', nodes: { a: { zone: 'a' }, b: { zone: 'b' } }, existing: { a: 1 },
      c: tsc(), want: { a: SKEW, b: 'ok' } },
    { name: 'maxSkew 2 tolerates a difference of two', nodes: { a: { zone: 'a' }, b: { zone: 'b' } }, existing: { a: 1 },
      c: tsc({ maxSkew: 2 }), want: { a: 'ok', b: 'ok' } },
    { name: 'a pod that does not match its own selector does not add itself', nodes: { a: { zone: 'a' }, b: { zone: 'b' } }, existing: { a: 1 },
      c: tsc(), labels: { app: 'other' }, want: { a: 'ok', b: 'ok' } },
    { name: 'a node without the topology key is unresolvable', nodes: { a: { zone: 'a' }, x: {} }, existing: {},
      c: tsc(), want: { a: 'ok', x: MISSING } },
    { name: 'minDomains above the number of domains makes the global minimum 0', nodes: { a: { zone: 'a' }, b: { zone: 'b' } }, existing: { a: 1, b: 1 },
      c: tsc({ minDomains: 3 }), want: { a: SKEW, b: SKEW } },
    { name: 'without minDomains the same cluster is balanced', nodes: { a: { zone: 'a' }, b: { zone: 'b' } }, existing: { a: 1, b: 1 },
      c: tsc(), want: { a: 'ok', b: 'ok' } },
    { name: 'nodeAffinityPolicy Honor leaves out domains the pod cannot use', nodes: { a: { zone: 'a' }, b: { zone: 'b' }, c: { zone: 'c' } },
      existing: { a: 1, b: 1 }, c: tsc(), spec: { nodeSelector: { pool: 'ab' } }, want: { a: 'ok', b: 'ok', c: "NodeAffinity: node(s) didn't match Pod's node affinity/selector" } },
    { name: 'nodeAffinityPolicy Ignore counts them (the empty zone c is the minimum)', nodes: { a: { zone: 'a' }, b: { zone: 'b' }, c: { zone: 'c' } },
      existing: { a: 1, b: 1 }, c: tsc({ nodeAffinityPolicy: 'Ignore' }), spec: { nodeSelector: { pool: 'ab' } },
      want: { a: SKEW, b: SKEW, c: "NodeAffinity: node(s) didn't match Pod's node affinity/selector" } },
    { name: 'nodeTaintsPolicy Ignore (default) counts a tainted empty zone', nodes: { a: { zone: 'a' }, b: { zone: 'b' }, c: { zone: 'c', taint: true } },
      existing: { a: 1, b: 1 }, c: tsc(), want: { a: SKEW, b: SKEW, c: 'TaintToleration: node(s) had untolerated taint(s)' } },
    { name: 'nodeTaintsPolicy Honor leaves the tainted zone out', nodes: { a: { zone: 'a' }, b: { zone: 'b' }, c: { zone: 'c', taint: true } },
      existing: { a: 1, b: 1 }, c: tsc({ nodeTaintsPolicy: 'Honor' }), want: { a: 'ok', b: 'ok', c: 'TaintToleration: node(s) had untolerated taint(s)' } },
  ];
  for (const c of cases) {
    const h = harness('1.37');
    for (const [n, o] of Object.entries(c.nodes)) {
      const labels: Record<string, string> = o.zone ? { [ZONE]: o.zone } : {};
      if (n === 'a' || n === 'b') labels.pool = 'ab';
      h.node(n, { labels, ...(o.taint ? { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } : {}) });
    }
    for (const [n, k] of Object.entries(c.existing)) for (let i = 0; i < k; i++) h.pod(`e-${n}-${i}`, { nodeName: n }, { labels: { app: 'w' } });
    h.pod('p', { ...(c.spec ?? {}), topologySpreadConstraints: [c.c], containers: [req('4')] }, { labels: c.labels ?? { app: 'w' } });
    t.same(rowsOf(h, 'p'), c.want, c.name);
  }
});

t.test('matchLabelKeys narrows the selector to pods with the same label value', async (t) => {
  const run = (keys?: string[]) => {
    const h = harness('1.37');
    h.node('a', { labels: { [ZONE]: 'a' } });
    h.node('b', { labels: { [ZONE]: 'b' } });
    // Two old-revision pods in zone a; none in b.
    h.pod('old1', { nodeName: 'a' }, { labels: { app: 'w', rev: '1' } });
    h.pod('old2', { nodeName: 'a' }, { labels: { app: 'w', rev: '1' } });
    h.pod('p', { topologySpreadConstraints: [tsc(keys ? { matchLabelKeys: keys } : {})], containers: [req('4')] }, { labels: { app: 'w', rev: '2' } });
    return rowsOf(h, 'p');
  };
  t.same(run(), { a: SKEW, b: 'ok' }, 'without matchLabelKeys the old pods count');
  t.same(run(['rev']), { a: 'ok', b: 'ok' }, 'with matchLabelKeys [rev] only rev=2 pods count');
});

t.test('system default spreading scores by hostname for pods selected by a Service', async (t) => {
  const h = harness('1.37');
  h.node('n1');
  h.node('n2');
  h.ctx.store.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } });
  h.pod('e1', { nodeName: 'n1' }, { labels: { app: 'web' } });
  h.pod('e2', { nodeName: 'n1' }, { labels: { app: 'web' } });
  h.pod('p', {}, { labels: { app: 'web' } });
  // hostname constraint, maxSkew 3, weight ln(2+2): n1 = round(2·1.386 + 2) = 5, n2 = round(0 + 2) = 2;
  // normalised 100·(max + min − s)/max: n1 = 100·2/5 = 40, n2 = 100.
  t.same(scoresOf(h, 'p', 'PodTopologySpread'), { n1: 40, n2: 100 });
  t.equal(h.ctx.store.get('Pod', 'default', 'p')!.spec.nodeName, 'n2');
});

t.test('a pod selected by nothing gets no default spreading score', async (t) => {
  const h = harness('1.37');
  h.node('n1');
  h.node('n2');
  h.pod('p', {}, { labels: { app: 'web' } });
  t.same(scoresOf(h, 'p', 'PodTopologySpread'), {}, 'PreScore skipped');
});

t.test('ScheduleAnyway constraints score fewer matching pods higher', async (t) => {
  const h = harness('1.37');
  h.node('a', { labels: { [ZONE]: 'a' } });
  h.node('b', { labels: { [ZONE]: 'b' } });
  h.node('c', { labels: { [ZONE]: 'c' } });
  for (let i = 0; i < 3; i++) h.pod(`ea${i}`, { nodeName: 'a' }, { labels: { app: 'w' } });
  h.pod('eb', { nodeName: 'b' }, { labels: { app: 'w' } });
  h.pod('p', { topologySpreadConstraints: [tsc({ whenUnsatisfiable: 'ScheduleAnyway' })] }, { labels: { app: 'w' } });
  // weight ln(3+2) = 1.609: a = round(3·1.609) = 5, b = round(1.609) = 2, c = 0; 100·(5+0−s)/5.
  t.same(scoresOf(h, 'p', 'PodTopologySpread'), { a: 0, b: 60, c: 100 });
});

// ---------------------------------------------------------------- balanced allocation

t.test('balanced allocation score formulas', async (t) => {
  const cases: Array<{ name: string; req: [number, number]; alloc: [number, number]; want: number }> = [
    { name: 'equal fractions score 100', req: [3000, 5000], alloc: [6000, 10000], want: 100 },
    { name: 'fractions 0.75 and 0.5: 100·(1 − 0.125) = 87', req: [3000, 5000], alloc: [4000, 10000], want: 87 },
    { name: 'fractions 0.6 and 0.25: 100·(1 − 0.175) = 82', req: [6000, 5000], alloc: [10000, 20000], want: 82 },
    { name: 'fractions above 1 are capped: 1 and 0.5 -> 75', req: [8000, 5000], alloc: [4000, 10000], want: 75 },
    { name: 'a zero-allocatable resource is left out (one fraction -> std 0)', req: [3000, 0], alloc: [4000, 0], want: 100 },
  ];
  for (const c of cases) t.equal(balancedResourceScore(c.req, c.alloc), c.want, c.name);
});

t.test('balanced allocation by version: std up to 1.35, 75 + delta/2 from 1.36', async (t) => {
  const run = (v: KubeVersion) => {
    const h = harness(v);
    h.node('a', { cpu: '4', memory: '10000' });
    h.node('b', { cpu: '6', memory: '10000' });
    h.pod('p', { containers: [req('3', '5000')] });
    return scoresOf(h, 'p', 'NodeResourcesBalancedAllocation');
  };
  t.same(run('1.35'), { a: 87, b: 100 }, '1.35: (1 − std)·100 with the pod');
  // 1.36: a: with 87, without (empty node) 100 -> 75 + trunc(−13/2) = 69; b: 100 and 100 -> 75.
  t.same(run('1.36'), { a: 69, b: 75 }, '1.36: 75 + (with − without)/2');
});

t.test('BestEffort pods skip balanced allocation from 1.33', async (t) => {
  for (const [v, has] of [['1.32', true], ['1.33', false]] as const) {
    const h = harness(v);
    h.node('a');
    h.node('b');
    h.pod('p', {});
    t.equal(Object.keys(scoresOf(h, 'p', 'NodeResourcesBalancedAllocation')).length > 0, has, v);
  }
});

// ---------------------------------------------------------------- image locality

t.test('image locality', async (t) => {
  const MB = 1024 * 1024;
  t.equal(imageLocalityPriority(0, 1), 0, 'nothing present scores 0');
  t.equal(imageLocalityPriority(22 * MB, 1), 0, 'below the 23 MiB floor scores 0');
  t.equal(imageLocalityPriority(1000 * MB, 1), 100, 'at 1000 MiB per container scores 100');
  t.equal(imageLocalityPriority(150 * MB, 2), 6, '150 MiB for two containers: 100·127/1977 = 6');
  t.equal(imageLocalityPriority(500 * MB, 1), 48, '500 MiB for one container: 100·477/977 = 48');

  const h = harness('1.37');
  h.node('a', { images: [{ names: ['big:1'], sizeBytes: 500 * MB }] });
  h.node('b', { images: [{ names: ['big:1'], sizeBytes: 500 * MB }] });
  h.node('c');
  h.node('d');
  h.pod('p', { containers: [{ name: 'c', image: 'big:1' }] });
  // Present on 2 of 4 nodes: 250 MiB counted -> 100·227/977 = 23.
  t.same(scoresOf(h, 'p', 'ImageLocality'), { a: 23, b: 23, c: 0, d: 0 }, 'the size is scaled by the share of nodes holding the image');
});

t.test('init container images count from 1.30', async (t) => {
  const MB = 1024 * 1024;
  for (const [v, want] of [['1.29', 0], ['1.30', 23]] as const) {
    const h = harness(v);
    h.node('a', { images: [{ names: ['init:1'], sizeBytes: 500 * MB }] });
    h.node('b');
    // Two containers (init + app): max 2000 MiB; 250 MiB counted -> 100·227/1977 = 11 on 1.30.
    h.pod('p', { initContainers: [{ name: 'i', image: 'init:1' }], containers: [{ name: 'c', image: 'app:1' }] });
    t.equal(scoresOf(h, 'p', 'ImageLocality').a, want === 0 ? 0 : 11, v);
  }
});
