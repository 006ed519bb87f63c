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

t.test('a pod PodTopologySpread rejected is requeued by a bound pod from 1.31', async (t) => {
  const run = (v: KubeVersion) => {
    const h = harness(v);
    h.node('n1');
    h.node('n2', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] });
    h.pod('x', { nodeName: 'n1' }, { labels: { app: 'web' } });
    // n1 would make the skew 2 against n2's 0; n2 is tainted.
    h.pod('p', {
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
    }, { labels: { app: 'web' } });
    h.run(5000);
    // The scheduler binds y to n2, which brings n2's count to 1: p now fits on n1.
    h.pod('y', { nodeSelector: { [HOST]: 'n2' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] }, { labels: { app: 'web' } });
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
  const h = harness('1.31');
  h.ctx.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { 'kubernetes.io/metadata.name': 'other' } } });
  h.node('n1');
  h.node('n2', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] });
  h.pod('x', { nodeName: 'n1' }, { labels: { app: 'web' } });
  h.pod('p', {
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
  }, { labels: { app: 'web' } });
  h.run(5000);
  h.pod('y', { nodeSelector: { [HOST]: 'n2' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] }, { labels: { app: 'web' }, namespace: 'other' });
  h.run(60_000);
  t.equal(h.sched.attempts('default/p').length, 1, 'p is not retried: y is in another namespace');
  t.equal(boundAt(h, 'p'), undefined, 'p still waits');
});
