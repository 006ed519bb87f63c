/**
 * The scheduler cache's data structures for large clusters: the NodeTable rows behind NodeInfo's numbers,
 * image and label columns by node slot, the PodIndex's label index, and the reusable score vectors. Each is
 * checked against the plain computation it replaces.
 */
import t from 'tap';
import fc from 'fast-check';
import { NodeInfo, NodeTable, PodInfo } from '../../../src/sim/scheduler/node-info.js';
import { ImageColumns, LabelColumns } from '../../../src/sim/scheduler/node-columns.js';
import { PodIndex } from '../../../src/sim/scheduler/pod-index.js';
import { ResourceVectors } from '../../../src/sim/scheduler/plugins/resource-allocation.js';
import { defaultsFor } from '../../../src/sim/defaults.js';
import { selectorMatches } from '../../../src/k8s/match.js';
import type { KObject } from '../../../src/k8s/types.js';

const d = defaultsFor('1.37');

function nodeObj(name: string, o: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: any[]; unschedulable?: boolean; images?: any[] } = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '16Gi', pods: o.pods ?? '110' }, images: o.images ?? [] },
  };
}

let uidSeq = 0;
function podObj(name: string, labels: Record<string, string>, requests: Record<string, string> = {}, ns = 'default'): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, uid: `uid-${++uidSeq}`, labels },
    spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests } }] },
  };
}

t.test('NodeInfo numbers live in the shared table row of their slot; clones and free NodeInfos keep their own', async (t) => {
  const table = new NodeTable(2);
  const a = new NodeInfo('a', 0, table);
  const b = new NodeInfo('b', 5, table); // grows the table past its 2 rows
  a.setNode(nodeObj('a', { cpu: '2', memory: '8Gi', taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'p', effect: 'PreferNoSchedule' }] }));
  b.setNode(nodeObj('b', { cpu: '16', memory: '64Gi', pods: '3', unschedulable: true }));
  t.equal(a.allocCpu, 2000, 'a keeps its numbers after the table grew');
  t.equal(a.allocMem, 8 * 2 ** 30);
  t.equal(a.hardTaints, 1);
  t.equal(a.preferTaints, 1);
  t.equal(a.unschedulable, false);
  t.equal(b.allocCpu, 16000);
  t.equal(b.allocPods, 3);
  t.equal(b.unschedulable, true);
  t.equal(b.hardTaints, 0);

  const p1 = new PodInfo(podObj('p1', { app: 'x' }, { cpu: '500m', memory: '1Gi' }), d);
  const p2 = new PodInfo(podObj('p2', { app: 'x' }, {}), d);
  a.addPod(p1);
  a.addPod(p2);
  a.addPod(p1); // already there: no change
  t.equal(a.podCount, 2);
  t.equal(a.reqCpu, 500);
  t.equal(a.reqMem, 2 ** 30);
  t.equal(a.nzCpu, 500 + d.defaultMilliCPURequest, 'non-zero requests count the default for the pod without requests');
  t.equal(a.nzMem, 2 ** 30 + d.defaultMemoryRequest);

  const c = a.clone();
  c.removePod(p1);
  t.equal(c.podCount, 1, 'the clone changes');
  t.equal(c.reqCpu, 0);
  t.equal(a.podCount, 2, 'the original does not');
  t.equal(a.reqCpu, 500);
  t.equal(c.idx, a.idx, 'a clone keeps the slot (columns by slot stay valid)');

  const free = new NodeInfo('free');
  free.setNode(nodeObj('free', { cpu: '1' }));
  t.equal(free.allocCpu, 1000, 'a NodeInfo outside a scheduler has a private row');
  t.equal(a.allocCpu, 2000, 'and does not touch slot 0 of anyone');
});

t.test('PodInfo resource fields match its request list', async (t) => {
  const p = new PodInfo(podObj('p', {}, { cpu: '250m', memory: '64Mi', 'ephemeral-storage': '1Gi', 'example.com/gpu': '2', 'hugepages-2Mi': '0' }), d);
  t.equal(p.reqCpu, 250);
  t.equal(p.reqMem, 64 * 2 ** 20);
  t.equal(p.reqEph, 2 ** 30);
  t.ok(p.anyReq);
  t.same(p.scalarNames, ['example.com/gpu'], 'scalar resources with an amount, sorted; zero amounts left out');
  const none = new PodInfo(podObj('n', {}), d);
  t.notOk(none.anyReq);
  t.same(none.scalarNames, []);
});

t.test('ImageColumns hold what the nodes hold: sizes by slot and node counts', async (t) => {
  const cols = new ImageColumns();
  const empty = new Map<string, number>();
  cols.setNode(0, empty, new Map([['nginx:1.27', 100], ['redis:7', 50]]));
  cols.setNode(100, empty, new Map([['nginx:1.27', 120]])); // beyond the first capacity
  t.equal(cols.numNodes('nginx:1.27'), 2);
  t.equal(cols.sizes('nginx:1.27')![0], 100);
  t.equal(cols.sizes('nginx:1.27')![100], 120);
  t.equal(cols.sizes('redis:7')![100], 0, 'a column grown later reads 0 for nodes without the image');
  cols.setNode(0, new Map([['nginx:1.27', 100], ['redis:7', 50]]), new Map([['redis:7', 50]]));
  t.equal(cols.numNodes('nginx:1.27'), 1, 'an image dropped by a node is uncounted');
  t.equal(cols.sizes('nginx:1.27')![0], 0);
  t.equal(cols.sizes('busybox')!, undefined);
  t.equal(cols.numNodes('busybox'), 0);
});

t.test('LabelColumns follow label changes and removed nodes', async (t) => {
  const nodes: Array<{ idx: number; labels: Record<string, string> }> = [{ idx: 0, labels: { zone: 'a' } }, { idx: 1, labels: { zone: 'b' } }];
  const cols = new LabelColumns(() => nodes);
  t.same([...cols.column('zone')], ['a', 'b']);
  nodes.push({ idx: 2, labels: { zone: 'c' } });
  cols.setNode(2, nodes[2]!.labels);
  t.equal(cols.column('zone')[2], 'c', 'a new node is written into existing columns');
  nodes[0]!.labels = { other: 'x' };
  cols.setNode(0, nodes[0]!.labels);
  t.equal(cols.column('zone')[0], undefined, 'a removed label reads undefined');
  t.equal(cols.column('other')[0], 'x', 'a column asked for later is built from the current nodes');
  cols.setNode(1, undefined);
  t.equal(cols.column('zone')[1], undefined, 'a deleted node reads undefined');
});

t.test('PodIndex: entries registered late count exactly what a scan of every pod counts (label index)', async (t) => {
  fc.assert(fc.property(
    fc.array(fc.record({ app: fc.constantFrom('a', 'b', 'c'), tier: fc.constantFrom('web', 'db'), node: fc.integer({ min: 0, max: 3 }), remove: fc.boolean() }), { maxLength: 40 }),
    fc.constantFrom('a', 'b', 'c'),
    (pods, app) => {
      const table = new NodeTable();
      const nodes = [0, 1, 2, 3].map((i) => {
        const n = new NodeInfo(`n${i}`, i, table);
        n.setNode(nodeObj(`n${i}`, { labels: { zone: `z${i % 2}` } }));
        return n;
      });
      const ix = new PodIndex(() => nodes);
      const infos = pods.map((p, i) => new PodInfo(podObj(`p${i}`, { app: p.app, tier: p.tier }), d));
      infos.forEach((pi, i) => {
        const n = nodes[pods[i]!.node]!;
        n.addPod(pi);
        ix.addPod(pi, n);
      });
      infos.forEach((pi, i) => {
        if (!pods[i]!.remove) return;
        nodes[pods[i]!.node]!.removePod(pi);
        ix.removePod(pi.uid);
      });
      const sel = { matchLabels: { app, tier: 'web' } };
      const e = ix.spreadEntry('default', sel);
      for (const n of nodes) {
        let want = 0;
        for (const p of n.pods.values()) if (selectorMatches(sel, p.labels)) want++;
        if (ix.nodeCount(e, n) !== want) return false;
      }
      // Pods added after registration are counted too.
      const late = new PodInfo(podObj('late', { app, tier: 'web' }), d);
      nodes[0]!.addPod(late);
      ix.addPod(late, nodes[0]!);
      let want0 = 0;
      for (const p of nodes[0]!.pods.values()) if (selectorMatches(sel, p.labels)) want0++;
      return ix.nodeCount(e, nodes[0]!) === want0;
    },
  ), { numRuns: 200, seed: 42 });
  t.pass('late registration matches a full scan');
});

t.test('LabelColumns ids: one id per distinct value, 0 where the label is missing, kept up to date', async (t) => {
  const nodes: Array<{ idx: number; labels: Record<string, string> }> = [{ idx: 0, labels: { zone: 'a' } }, { idx: 1, labels: { zone: '' } }, { idx: 2, labels: {} }];
  const cols = new LabelColumns(() => nodes);
  const v = cols.ids('zone');
  t.same([v.values[v.ids[0]!], v.values[v.ids[1]!], v.ids[2]], ['a', '', 0], 'an empty value is a value, a missing label is 0');
  cols.setNode(70, { zone: 'a' }); // past the first 64 slots: the column grows
  t.equal(cols.ids('zone').ids[70], v.ids[0], 'the same value has the same id');
  cols.setNode(0, undefined);
  t.equal(cols.ids('zone').ids[0], 0, 'a deleted node reads 0');
});

t.test('PodTopologySpread scores over node slots equal the per-node scores', async (t) => {
  const { PodTopologySpread } = await import('../../../src/sim/scheduler/plugins/pod-topology-spread.js');
  const { CycleState } = await import('../../../src/sim/scheduler/framework.js');
  fc.assert(fc.property(
    fc.array(fc.record({ zone: fc.constantFrom('z0', 'z1', '', undefined), pool: fc.boolean() }), { minLength: 2, maxLength: 7 }),
    fc.array(fc.record({ app: fc.constantFrom('a', 'b'), node: fc.nat(), term: fc.boolean() }), { maxLength: 30 }),
    fc.record({ hostSkew: fc.integer({ min: 1, max: 3 }), zoneSkew: fc.integer({ min: 1, max: 5 }), selector: fc.boolean(), honorTaints: fc.boolean() }),
    (nodeSpecs, podSpecs, o) => {
      const table = new NodeTable();
      const nodes = nodeSpecs.map((sp, i) => {
        const n = new NodeInfo(`n${i}`, i, table);
        const labels: Record<string, string> = sp.pool ? { pool: 'p' } : {};
        if (sp.zone !== undefined) labels['topology.kubernetes.io/zone'] = sp.zone;
        n.setNode(nodeObj(`n${i}`, { labels, ...(sp.pool ? {} : { taints: [{ key: 'k', effect: 'NoSchedule' }] }) }));
        return n;
      });
      const ix = new PodIndex(() => nodes);
      podSpecs.forEach((ps, i) => {
        const pi = new PodInfo(podObj(`p${i}`, { app: ps.app }), d);
        if (ps.term) pi.pod.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
        const n = nodes[ps.node % nodes.length]!;
        n.addPod(pi);
        ix.addPod(pi, n);
      });
      const pod = podObj('new', { app: 'a' });
      pod.spec.topologySpreadConstraints = [
        { maxSkew: o.hostSkew, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'a' } } },
        { maxSkew: o.zoneSkew, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'a' } },
          ...(o.honorTaints ? { nodeTaintsPolicy: 'Honor' } : {}) },
      ];
      if (o.selector) pod.spec.nodeSelector = { pool: 'p' };
      const pi = new PodInfo(pod, d);
      const cols = new LabelColumns(() => nodes);
      const base = { ctx: {} as never, d, nodes: () => nodes, nodeInfo: (n: string) => nodes.find((x) => x.name === n), nodesWithAffinityPods: () => [],
        nodesWithRequiredAntiAffinityPods: () => [], namespaceLabels: () => ({}), imageNumNodes: () => 0 };
      const run = (h: object): number[] => {
        const pl = new PodTopologySpread(h as never);
        const s = new CycleState();
        pl.preScore(s, pi, nodes);
        const out = new Float64Array(nodes.length).fill(-1);
        pl.scoreNodes(s, pi, nodes, out);
        pl.normalize(s, pi, out, nodes);
        return [...out];
      };
      const slots = run({ ...base, podIndex: ix, labelColumn: (k: string) => cols.column(k), labelIds: (k: string) => cols.ids(k) });
      const indexed = run({ ...base, podIndex: ix });
      const scan = run(base);
      return JSON.stringify(slots) === JSON.stringify(indexed) && JSON.stringify(indexed) === JSON.stringify(scan);
    },
  ), { numRuns: 300, seed: 11 });
  t.pass('slot, index and scanning paths agree');
});

t.test('ResourceVectors fill the requested and allocatable vectors without allocating', async (t) => {
  const table = new NodeTable();
  const n = new NodeInfo('n', 0, table);
  n.setNode({ ...nodeObj('n', { cpu: '4', memory: '8Gi' }), status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'example.com/gpu': '4' } } });
  n.addPod(new PodInfo(podObj('x', {}, { cpu: '1', 'example.com/gpu': '1' }), d));
  const pod = new PodInfo(podObj('p', {}, { cpu: '500m' }), d);
  const fit = new ResourceVectors([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'example.com/gpu', weight: 2 }], false);
  const v = fit.fill(pod, n);
  t.same(v.allocatable, [4000, 8 * 2 ** 30, 0], 'a scalar the pod does not request is left at 0/0');
  t.same(v.requested, [1000 + 500, d.defaultMemoryRequest * 2, 0], 'non-zero requests: the default memory for both pods');
  const again = fit.fill(pod, n, false);
  t.equal(again, v, 'the same vectors are reused');
  t.same(again.requested, [1000, d.defaultMemoryRequest, 0], 'without the pod');
  const real = new ResourceVectors([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], true).fill(pod, n);
  t.same(real.requested, [1500, 0], 'real requests');
});

t.test('the direct cpu+memory scoring paths give the generic scores for any node and pod', async (t) => {
  const { NodeResourcesFit } = await import('../../../src/sim/scheduler/plugins/node-resources-fit.js');
  const { NodeResourcesBalancedAllocation } = await import('../../../src/sim/scheduler/plugins/node-resources-balanced-allocation.js');
  const { CycleState } = await import('../../../src/sim/scheduler/framework.js');
  const qty = fc.integer({ min: 0, max: 64 });
  fc.assert(fc.property(
    fc.array(fc.record({ cpu: qty, mem: qty, usedCpu: qty, usedMem: qty }), { minLength: 1, maxLength: 6 }),
    fc.record({ cpu: qty, mem: qty }), fc.constantFrom('1.29', '1.35', '1.37'),
    (specs, podReq, version) => {
      const dv = defaultsFor(version as '1.29');
      const table = new NodeTable();
      const nodes = specs.map((sp, i) => {
        const n = new NodeInfo(`n${i}`, i, table);
        n.setNode(nodeObj(`n${i}`, { cpu: `${sp.cpu * 250}m`, memory: `${sp.mem * 256}Mi` }));
        if (sp.usedCpu + sp.usedMem > 0) n.addPod(new PodInfo(podObj(`u${i}`, {}, { cpu: `${sp.usedCpu * 300}m`, memory: `${sp.usedMem * 300}Mi` }), dv));
        return n;
      });
      const req: Record<string, string> = {};
      if (podReq.cpu) req.cpu = `${podReq.cpu * 100}m`;
      if (podReq.mem) req.memory = `${podReq.mem * 100}Mi`;
      const pod = new PodInfo(podObj('p', {}, req), dv);
      const s = new CycleState();
      for (const pl of [new NodeResourcesFit(dv), new NodeResourcesBalancedAllocation(dv)]) {
        const out = new Float64Array(nodes.length).fill(-1);
        pl.scoreNodes(s, pod, nodes, out);
        for (let i = 0; i < nodes.length; i++) if (out[i] !== pl.score(s, pod, nodes[i]!)) return false;
      }
      return true;
    },
  ), { numRuns: 300, seed: 7 });
  t.pass('scoreNodes equals score node by node');
});

t.test('podSignature is reused across status writes and recomputed when a scheduling input is replaced', async (t) => {
  const { podSignature } = await import('../../../src/sim/scheduler/queue.js');
  const pod = podObj('sig', { app: 'a' }, { cpu: '100m' });
  const s1 = podSignature(pod);
  pod.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  t.equal(podSignature(pod), s1, 'a status write changes nothing');
  pod.metadata.labels = { app: 'b' };
  const s2 = podSignature(pod);
  t.not(s2, s1, 'replaced labels change it');
  t.equal(s2, podSignature(podObj('fresh', { app: 'b' }, { cpu: '100m' })), 'a labels-only change gives what a full serialisation gives');
  pod.spec.containers = [{ ...pod.spec.containers[0], resources: { requests: { cpu: '200m' } } }];
  t.not(podSignature(pod), s2, 'replaced containers change it');
  pod.spec = { ...pod.spec, tolerations: [{ key: 'k', operator: 'Exists' }] };
  const s3 = podSignature(pod);
  t.match(s3, /"key":"k"/, 'a replaced spec is read again');
  const twin = podObj('twin', { app: 'b' }, {});
  twin.spec = { ...pod.spec };
  t.equal(podSignature(twin), s3, 'equal inputs give the one interned string');
});

t.test('atLeast grows a typed array by doubling, keeping its entries and type', async (t) => {
  const { atLeast } = await import('../../../src/sim/scheduler/node-columns.js');
  const a = new Int32Array([1, 2, 3, 4]);
  t.equal(atLeast(a, 4), a, 'long enough: the same array');
  const g = atLeast(a, 9);
  t.ok(g instanceof Int32Array);
  t.equal(g.length, 16, 'doubled until it fits');
  t.same([...g.slice(0, 5)], [1, 2, 3, 4, 0], 'entries kept, new ones 0');
  t.equal(atLeast(new Float64Array(0), 3).length, 4, 'an empty array grows from 1');
});
