import t from 'tap';
import { harness, req } from './harness.js';
import type { KubeVersion } from '../../../src/sim/defaults.js';

function mixed(v: KubeVersion): string {
  const h = harness(v);
  h.node('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
  h.node('a', { cpu: '1' });
  h.node('b', { cpu: '1' });
  h.pod('f1', { containers: [req('600m')] });
  h.pod('f2', { containers: [req('600m')] });
  h.pod('big', { containers: [req('900m')] });
  return h.events('FailedScheduling', 'big')[0] ?? '';
}

t.test('the mixed taint / cpu example prints the version text', async (t) => {
  const base = '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.';
  const pre = 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
  t.equal(mixed('1.29'), `${base} ${pre}.`);
  t.equal(mixed('1.31'), `${base} ${pre}`);
  t.equal(mixed('1.34'), `${base} no new claims to deallocate, ${pre}`);
  t.equal(mixed('1.35'), `0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, ${pre}`);
  t.equal(mixed('1.37'), `0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. ${pre}`);
});

t.test('a request above every node total is not helpful for preemption from 1.34', async (t) => {
  for (const [v, want] of [
    ['1.31', '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.'],
    ['1.37', '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.'],
  ] as const) {
    const h = harness(v);
    h.node('a', { cpu: '2' });
    h.node('b', { cpu: '2' });
    h.pod('big', { containers: [req('3')] });
    t.equal(h.events('FailedScheduling', 'big')[0], want, v);
  }
});

t.test('entries sort as plain strings so 10 precedes 2', async (t) => {
  const h = harness('1.37');
  for (let i = 0; i < 10; i++) h.node(`t${i}`, { taints: [{ key: 'k', effect: 'NoSchedule' }] });
  h.node('c1', { unschedulable: true });
  h.node('c2', { unschedulable: true });
  h.pod('p', {});
  t.equal(h.events('FailedScheduling', 'p')[0],
    '0/12 nodes are available: 10 node(s) had untolerated taint(s), 2 node(s) were unschedulable. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.');
});

t.test('a missing PVC rejects at PreFilter with the version suffix', async (t) => {
  for (const [v, want] of [
    ['1.33', '0/1 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'],
    ['1.29', '0/1 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..'],
    ['1.35', '0/1 nodes are available: persistentvolumeclaim "data" not found. not found'],
  ] as const) {
    const h = harness(v);
    h.node('a');
    h.pod('p', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] });
    t.equal(h.events('FailedScheduling', 'p')[0], want, v);
  }
});

t.test('preemptionPolicy Never says it is not eligible', async (t) => {
  const h = harness('1.31');
  h.node('a', { cpu: '1' });
  h.pod('p', { preemptionPolicy: 'Never', containers: [req('2')] });
  t.equal(h.events('FailedScheduling', 'p')[0], '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
});

t.test('a pod that fits is bound with a Scheduled event and PodScheduled=True', async (t) => {
  const h = harness('1.37');
  h.node('only');
  const p = h.pod('web', {});
  t.equal(p.spec.nodeName, 'only');
  t.same(h.events('Scheduled', 'web'), ['Successfully assigned default/web to only']);
  t.equal(h.sched.attempts('default/web').length, 1);
});

t.test('the unschedulable pod gets PodScheduled=False Unschedulable with the same text', async (t) => {
  const h = harness('1.37');
  h.node('a', { unschedulable: true });
  const p = h.pod('p', {});
  const c = p.status.conditions.find((x: any) => x.type === 'PodScheduled');
  t.equal(c.status, 'False');
  t.equal(c.reason, 'Unschedulable');
  t.equal(c.message, h.events('FailedScheduling', 'p')[0]);
});

t.test('a pod is scheduled once a node joins', async (t) => {
  const h = harness('1.31');
  h.node('a', { cpu: '1' });
  const p = h.pod('p', { containers: [req('2')] });
  h.node('b', { cpu: '4' });
  h.run(2000);
  t.equal(p.spec.nodeName, 'b');
});

t.test('scheduling gates hold the pod with SchedulingGated', async (t) => {
  const h = harness('1.37');
  h.node('a');
  const p = h.pod('p', { schedulingGates: [{ name: 'wait' }] });
  h.run(0);
  t.notOk(p.spec.nodeName);
  const c = p.status.conditions.find((x: any) => x.type === 'PodScheduled');
  t.equal(c.reason, 'SchedulingGated');
  t.equal(c.status, 'False');
  t.equal(c.message, 'Scheduling is blocked due to non-empty scheduling gates');
});

t.test('the API server sets SchedulingGated at creation; the scheduler writes nothing while the pod waits', async (t) => {
  // k/k pkg/registry/core/pod/strategy.go PrepareForCreate -> applySchedulingGatedCondition.
  const h = harness('1.29');
  h.node('a');
  const seen: string[] = [];
  h.ctx.store.watch('Pod', (type, pod) => {
    const c = (pod.status?.conditions ?? []).find((x: any) => x.type === 'PodScheduled');
    seen.push(`${type} ${c?.reason ?? '-'}`);
  });
  const p = h.pod('p', { schedulingGates: [{ name: 'wait' }] });
  h.run(60_000);
  t.same(seen, ['ADDED SchedulingGated']);
  t.notOk(p.spec.nodeName);
  // A pod without gates gets no condition from the API server.
  const q = h.pod('q', {});
  t.equal(q.spec.nodeName, 'a');
  t.equal(q.status.conditions.find((x: any) => x.type === 'PodScheduled')?.reason, undefined);
});
