/**
 * Which bound pods requeue a waiting pod, by version (upstream scheduling_queue.go AssignedPodAdded and
 * eventhandlers.go addPodToCache): a pod the scheduler itself binds is "added" when its binding is seen,
 * exactly like a pod created with nodeName. Without QueueingHints (1.29–1.31) the add is offered only to
 * pods with a matching required pod-affinity term, and from 1.31 also to pods PodTopologySpread rejected
 * in the same namespace; with QueueingHints (1.32+) to every pod, the plugins' hints deciding.
 */
import t from 'tap';
import { harness, type Harness } from './harness.js';
import type { KubeVersion } from '../../../src/sim/defaults.js';

const HOST = 'kubernetes.io/hostname';

/** When the pod's successful attempt ran (ms), or undefined while it waits. */
function boundAt(h: Harness, pod: string): number | undefined {
  return h.sched.attempts(`default/${pod}`).find((a) => a.node)?.at;
}

t.test('a follower with required pod affinity is scheduled as soon as the scheduler binds its leader', async (t) => {
  for (const v of ['1.29', '1.30', '1.31', '1.32', '1.37'] as KubeVersion[]) {
    const h = harness(v);
    h.node('n1');
    h.node('n2');
    h.pod('follower', {
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: HOST, labelSelector: { matchLabels: { app: 'leader' } } }] } },
    }, { labels: { app: 'follower' } });
    h.run(5000);
    t.equal(boundAt(h, 'follower'), undefined, `${v}: the follower waits for a leader`);
    h.pod('leader', {}, { labels: { app: 'leader' } });
    h.run(1000);
    const leader = h.sched.attempts('default/leader').find((a) => a.node);
    const follower = h.sched.attempts('default/follower').find((a) => a.node);
    t.equal(leader?.at, 5000, `${v}: the leader is bound at 5s`);
    t.equal(follower?.at, 5000, `${v}: the follower follows in the same instant, not at the 5 min flush`);
    t.equal(follower?.node, leader?.node, `${v}: on the leader's node`);
  }
});

/** A waiting pod `p` rejected by PodTopologySpread (n1 would skew 2 against n2's 0; n2 is tainted) at 5s. */
function spreadRejected(v: KubeVersion): Harness {
  const h = harness(v);
  h.node('n1');
  h.node('n2', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] });
  h.pod('x', { nodeName: 'n1' }, { labels: { app: 'web' } });
  h.pod('p', {
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
  }, { labels: { app: 'web' } });
  h.run(5000);
  return h;
}

/** A pod that the scheduler binds to n2 (it tolerates the taint). With p's labels, in p's namespace, it brings n2's count to 1, so p fits on n1. */
function onN2(h: Harness, name: string, labels: Record<string, string>, namespace = 'default'): void {
  h.pod(name, { nodeSelector: { [HOST]: 'n2' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] }, { labels, namespace });
}

t.test('a pod PodTopologySpread rejected is requeued by a bound pod from 1.31', async (t) => {
  const run = (v: KubeVersion) => {
    const h = spreadRejected(v);
    onN2(h, 'y', { app: 'web' });
    h.run(10 * 60_000);
    return { y: boundAt(h, 'y'), p: boundAt(h, 'p') };
  };
  for (const v of ['1.29', '1.30'] as KubeVersion[]) {
    const r = run(v);
    t.equal(r.y, 5000, `${v}: y is bound at 5s`);
    t.ok(r.p !== undefined && r.p >= 300_000, `${v}: p waits for the unschedulable-pods flush (bound at ${r.p} ms)`);
  }
  for (const v of ['1.31', '1.32', '1.37'] as KubeVersion[]) {
    const r = run(v);
    t.equal(r.y, 5000, `${v}: y is bound at 5s`);
    t.ok(r.p !== undefined && r.p >= 5000 && r.p <= 6000, `${v}: p is requeued by y's binding (bound at ${r.p} ms)`);
  }
});

t.test('without QueueingHints a bound pod in another namespace does not requeue a spread-rejected pod', async (t) => {
  const h = spreadRejected('1.31');
  h.ctx.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { 'kubernetes.io/metadata.name': 'other' } } });
  onN2(h, 'y', { app: 'web' }, 'other');
  h.run(60_000);
  t.equal(h.sched.attempts('default/p').length, 1, 'p is not retried: y is in another namespace');
  t.equal(boundAt(h, 'p'), undefined, 'p still waits');
});


function relabel(h: Harness, pod: string, labels: Record<string, string>): void {
  const live = h.ctx.store.get('Pod', 'default', pod)!;
  const r = h.ctx.api.patch(live, (o) => { o.metadata.labels = labels; });
  if (!r.ok) throw new Error(r.error.message);
  h.run(0);
}

t.test('QueueingHints: PodTopologySpread retries only for bound pods its selectors see', async (t) => {
  for (const v of ['1.32', '1.37'] as KubeVersion[]) {
    const h = spreadRejected(v);
    onN2(h, 'other', { app: 'other' });
    h.run(1000);
    t.ok(boundAt(h, 'other') !== undefined, `${v}: the unrelated pod is bound`);
    t.equal(h.sched.attempts('default/p').length, 1, `${v}: a bound pod outside the selector does not retry p`);
    relabel(h, 'other', { app: 'other', tier: 'x' });
    h.run(1000);
    t.equal(h.sched.attempts('default/p').length, 1, `${v}: nor does a label change that leaves it outside`);
    relabel(h, 'other', { app: 'web' });
    h.run(1000);
    t.equal(boundAt(h, 'p'), 7000, `${v}: a label change that brings it under the selector does, and p now fits`);
  }
  // Without hints (1.31) the pre-filter alone decides: any bound pod of the namespace retries p.
  const h = spreadRejected('1.31');
  onN2(h, 'other', { app: 'other' });
  h.run(1000);
  t.equal(h.sched.attempts('default/p').length, 2, '1.31: the unrelated bound pod retries p (and it fails again)');
});

t.test('QueueingHints: InterPodAffinity retries on an added pod only if it matches every required affinity term', async (t) => {
  const run = (v: KubeVersion) => {
    const h = harness(v);
    h.node('n1');
    h.node('n2');
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: HOST, labelSelector: { matchLabels: { app: 'cache' } } }] } };
    for (const n of ['c1', 'c2', 'c3']) h.pod(n, { affinity: anti }, { labels: { app: 'cache' } });
    h.run(5000);
    const waiting = ['c1', 'c2', 'c3'].find((n) => boundAt(h, n) === undefined)!;
    const before = h.sched.attempts(`default/${waiting}`).length;
    h.pod('web', {}, { labels: { app: 'web' } });
    h.run(1000);
    return { bound: boundAt(h, 'web'), retries: h.sched.attempts(`default/${waiting}`).length - before };
  };
  for (const v of ['1.29', '1.31', '1.32', '1.37'] as KubeVersion[]) {
    const r = run(v);
    t.equal(r.bound, 5000, `${v}: the unrelated pod is bound`);
    t.equal(r.retries, 0, `${v}: the replica held back by anti-affinity is not retried for it`);
  }
});

t.test('without QueueingHints a node event reaches only pods that pass preCheckForNode on that node', async (t) => {
  for (const v of ['1.29', '1.30', '1.31'] as KubeVersion[]) {
    const h = harness(v);
    h.node('n1', { cpu: '2' });
    h.pod('big', { containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu: '3' } } }] });
    h.run(5000);
    t.equal(h.sched.attempts('default/big').length, 1, `${v}: big does not fit`);
    h.node('small', { cpu: '1' });
    h.run(1000);
    t.equal(h.sched.attempts('default/big').length, 1, `${v}: a node it does not fit on does not retry it`);
    h.node('tainted', { cpu: '8', taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] });
    h.run(1000);
    t.equal(h.sched.attempts('default/big').length, 1, `${v}: nor does a node with a NoSchedule taint it does not tolerate`);
    h.node('roomy', { cpu: '4' });
    h.run(1000);
    t.equal(boundAt(h, 'big'), 7000, `${v}: a node it fits on retries it at once`);
  }
});
